"""PDFs that look the same everywhere: the Chinese glyphs they use are embedded as a font subset.

The font is Noto Sans CJK SC (SIL Open Font License) from the `noto-cjk-sans-otc` package, an
OpenType collection with CFF outlines; fpdf2 subsets CFF fonts (reportlab's TTFont cannot), so a
notice carries only the few hundred glyphs it draws and prints on a machine without Chinese fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from noto_cjk_sans_otc import FONT_PATH

FONT = "NotoSansSC"
# Index of the Simplified Chinese face in NotoSansCJK-Regular.ttc (JP, KR, SC, TC, HK, then Mono).
_SC_FACE = 2
_LINE = 1.6


def chinese_date(day: date) -> str:
    """A date as officials write it: 2026年12月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


class OfficialPdf(FPDF):
    """An A4 document in Noto Sans SC with the helpers a notice or a report needs."""

    def __init__(self, *, title: str, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.add_font(FONT, fname=str(FONT_PATH), collection_font_number=_SC_FACE)
        self.set_title(title)
        self.set_lang("zh-CN")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_page()
        self.set_font(FONT, size=12)

    def footer(self) -> None:
        """Page numbers in Chinese at the foot of every page."""
        self.set_y(-14)
        self.set_font(FONT, size=9)
        self.cell(0, 6, f"第 {self.page_no()} 页 共 {{nb}} 页", align=Align.C)

    def heading(self, text: str, *, size: float = 20) -> None:
        """A centred title."""
        self.set_font(FONT, size=size)
        self.multi_cell(0, size * 0.5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(size * 0.3)

    def paragraph(self, text: str, *, size: float = 12, indent: bool = True) -> None:
        """A paragraph of running text, its first line indented by two characters as in Chinese documents."""
        self.set_font(FONT, size=size)
        lead = "\u3000\u3000" if indent else ""
        # Chinese breaks between any two characters, not only at spaces.
        self.multi_cell(
            0, size * 0.35 * _LINE, lead + text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR
        )
        self.ln(size * 0.2)

    def ruled_table(self, rows: Sequence[Sequence[Any]], *, widths: Sequence[float], size: float = 11) -> None:
        """A ruled table; the first row is the heading row (repeated on every page)."""
        self.set_font(FONT, size=size)
        with self.table(
            col_widths=tuple(widths),
            line_height=size * 0.35 * _LINE,
            first_row_as_headings=True,
            repeat_headings=1,
            headings_style=FontFace(emphasis="", fill_color=(217, 225, 242)),
        ) as grid:
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell("" if value is None else str(value))
        self.ln(4)

    def sign_off(self, issuer: str, on: date) -> None:
        """The issuer and the date at the right, over a dashed circle marking where the seal is pressed."""
        self.ln(6)
        if self.will_page_break(42):
            self.add_page()
        self.set_font(FONT, size=12)
        right = self.w - self.r_margin
        centre_x, centre_y = right - 30, self.get_y() + 16
        self.set_draw_color(190, 190, 190)
        self.set_dash_pattern(dash=1.5, gap=1.5)
        self.circle(x=centre_x, y=centre_y, radius=16)
        self.set_dash_pattern()
        self.set_draw_color(0, 0, 0)
        self.set_text_color(160, 160, 160)
        # Under the date, inside the circle, so a long issuer never runs over it.
        self.text(centre_x - 6, centre_y + 13, "(盖章)")
        self.set_text_color(0, 0, 0)
        self.set_y(centre_y - 6)
        self.cell(0, 8, issuer, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 8, chinese_date(on), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(centre_y + 20)

    def bar_chart(self, title: str, bars: Sequence[tuple[str, float]], *, unit: str, height: float = 60) -> None:
        """Horizontal bars with their values, e.g. closure rates; the longest bar is the largest value."""
        if self.will_page_break(height + 16):
            self.add_page()
        self.set_font(FONT, size=12)
        self.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        label_w, value_w = 50.0, 28.0
        room = self.w - self.l_margin - self.r_margin - label_w - value_w
        top = max((v for _, v in bars), default=0) or 1
        bar_h = min(8.0, height / max(len(bars), 1))
        self.set_font(FONT, size=10)
        for label, value in bars:
            y = self.get_y()
            self.cell(label_w, bar_h, label, align=Align.R)
            self.set_fill_color(70, 110, 170)
            self.rect(self.l_margin + label_w + 2, y + bar_h * 0.15, max(room * value / top, 0.3), bar_h * 0.7, "F")
            self.set_x(self.l_margin + label_w + room + 4)
            self.cell(value_w - 4, bar_h, f"{value:g}{unit}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        # Tables fill with the current fill colour: give back white.
        self.set_fill_color(255, 255, 255)
        self.ln(4)

    def to_bytes(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())

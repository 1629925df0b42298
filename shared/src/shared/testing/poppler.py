"""Open PDFs as a reader's machine does, with poppler (installed from Debian when absent)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def ensure_poppler() -> None:
    """Install poppler-utils when pdftoppm is missing (tests render PDFs, they never skip)."""
    if shutil.which("pdftoppm") is None:
        # A fresh machine may have no package lists yet.
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "poppler-utils"], check=True, capture_output=True)


def _run(tool: str, pdf: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    ensure_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True)


def pdf_text(pdf: bytes) -> str:
    """The text poppler extracts (what a reader copies from the page)."""
    return _run("pdftotext", pdf, "-layout").stdout.decode("utf-8")


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """Each font the PDF uses with whether its glyphs are embedded (pdffonts' emb column)."""
    lines = _run("pdffonts", pdf).stdout.decode().splitlines()[2:]
    # Columns: name type encoding emb sub uni object-id; the type may hold spaces, so read from the right.
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines if line.strip()]


def render_page(pdf: bytes, page: int = 1, *, dpi: int = 60) -> tuple[bytes, str]:
    """Page `page` rendered to PNG by pdftoppm, with what poppler complained of (missing fonts)."""
    ensure_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(Path(folder) / "page"),
            ],
            capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes(), done.stderr.decode()

"""一图两清单: the four-colour map as GeoJSON and the two lists as XLSX."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from hazard_service.reference import division_names
from hazard_service.risks.models import RiskPoint
from shared.contracts.vocabulary import RISK_LEVEL_COLOURS, RISK_LEVEL_LABELS

RISK_CONTROL_COLUMNS = (
    "序号",
    "企业名称",
    "所属乡镇",
    "风险点名称",
    "所在部位",
    "风险等级",
    "危险有害因素",
    "可能导致的事故",
    "管控责任单位",
    "责任人",
    "联系电话",
)
MEASURE_COLUMNS = ("序号", "企业名称", "风险点名称", "风险等级", "措施类别", "管控措施", "措施责任人", "检查频次")
MEASURE_KIND_LABELS = {
    "engineering": "工程技术",
    "management": "管理",
    "training": "培训教育",
    "protective_equipment": "个体防护",
    "emergency": "应急处置",
}


def geojson(points: Sequence[RiskPoint]) -> dict[str, Any]:
    """A FeatureCollection of the located risk points, coloured by level."""
    features = []
    for p in points:
        if p.longitude is None or p.latitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(p.id),
                "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
                "properties": {
                    "name": p.name,
                    "enterprise_id": str(p.enterprise_id),
                    "enterprise_name": p.enterprise_name,
                    "township_code": p.township_code,
                    "level": p.level,
                    "level_label": RISK_LEVEL_LABELS[p.level],
                    "colour": RISK_LEVEL_COLOURS[p.level],
                    "responsible_person": p.responsible_person,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _workbook(title: str, columns: Sequence[str], rows: list[list[Any]], level_column: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    fills = {label: PatternFill("solid", fgColor=RISK_LEVEL_COLOURS[code].lstrip("#")) for code, label in
             RISK_LEVEL_LABELS.items()}  # fmt: skip
    for (cell,) in sheet.iter_rows(min_row=2, min_col=level_column, max_col=level_column):
        if cell.value in fills:
            cell.fill = fills[str(cell.value)]
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def risk_control_xlsx(points: Sequence[RiskPoint]) -> bytes:
    """风险管控责任清单: one row per risk point."""
    names = division_names()
    rows = [
        [
            n,
            p.enterprise_name or str(p.enterprise_id),
            names.get(p.township_code, p.township_code),
            p.name,
            p.location or "",
            RISK_LEVEL_LABELS[p.level],
            p.hazard_factors or "",
            p.possible_accidents or "",
            p.responsible_unit or "",
            p.responsible_person,
            p.responsible_phone or "",
        ]
        for n, p in enumerate(points, start=1)
    ]
    return _workbook("风险管控责任清单", RISK_CONTROL_COLUMNS, rows, level_column=6)


def control_measure_xlsx(points: Sequence[RiskPoint]) -> bytes:
    """管控措施清单: one row per control measure."""
    rows: list[list[Any]] = []
    for p in points:
        for m in p.control_measures:
            rows.append(
                [
                    len(rows) + 1,
                    p.enterprise_name or str(p.enterprise_id),
                    p.name,
                    RISK_LEVEL_LABELS[p.level],
                    MEASURE_KIND_LABELS.get(m.get("kind", ""), m.get("kind", "")),
                    m.get("measure", ""),
                    m.get("responsible_person") or p.responsible_person,
                    m.get("check_frequency") or "",
                ]
            )
    return _workbook("管控措施清单", MEASURE_COLUMNS, rows, level_column=4)

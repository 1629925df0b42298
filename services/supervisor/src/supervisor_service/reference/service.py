"""Use cases of reference data: versioned import and look-ups other features validate against."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import UnitOfWork
from shared.errors import ValidationFailed, field_error
from supervisor_service.reference import repository
from supervisor_service.reference.domain import REFERENCE_KINDS, IndustryScope, dataset_checksum, industry_division
from supervisor_service.reference.exceptions import DatasetVersionClash, InvalidReferenceCode
from supervisor_service.reference.models import Department, Industry, Jurisdiction, ReferenceDataset
from supervisor_service.reference.schemas import ImportOutcome, ReferenceDocument

MODELS: dict[str, repository.ReferenceModel] = {
    "jurisdictions": Jurisdiction,
    "departments": Department,
    "industries": Industry,
}


def bundled_document(kind: str) -> dict[str, Any]:
    """A reference data file shipped in shared/reference_data."""
    path = resources.files("shared") / "reference_data" / f"{kind}.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _rows(kind: str, items: list[dict[str, Any]], version: str) -> list[dict[str, Any]]:
    errors = []
    rows = []
    for index, item in enumerate(items):
        if not item.get("code") or not item.get("name"):
            errors.append(field_error(f"items.{index}", "code and name are required"))
            continue
        row: dict[str, Any] = {
            "code": str(item["code"]),
            "name": str(item["name"]),
            "dataset_version": version,
            "retired_in_version": None,
        }
        if kind == "jurisdictions":
            row |= {"level": item.get("level", ""), "parent_code": item.get("parent_code"), "type": item.get("type")}
        elif kind == "departments":
            row |= {
                "kind": item.get("kind", "industry_department"),
                "supervised_industry_codes": [str(c) for c in item.get("supervised_industry_sections", [])],
                "hosted_by": item.get("hosted_by"),
                "note": item.get("note"),
            }
        else:
            row |= {"level": item.get("level", ""), "parent_code": item.get("parent_code")}
        rows.append(row)
    if errors:
        raise ValidationFailed(f"{len(errors)} invalid {kind} entries", errors=errors[:50])
    return rows


async def import_reference_data(*, uow: UnitOfWork, kind: str, document: ReferenceDocument) -> ImportOutcome:
    """Import one version of a reference data kind; the same version twice changes nothing."""
    if kind not in REFERENCE_KINDS:
        raise ValidationFailed("unknown kind", errors=[field_error("kind", f"one of {', '.join(REFERENCE_KINDS)}")])
    raw = document.model_dump(mode="json")
    checksum = dataset_checksum(raw)
    async with uow:
        outcome = await _import(uow.session, kind, document, checksum)
        await uow.commit()
        return outcome


async def _import(session: AsyncSession, kind: str, document: ReferenceDocument, checksum: str) -> ImportOutcome:
    existing = await repository.get_dataset(session, kind, document.version)
    if existing is not None:
        if existing.checksum != checksum:
            raise DatasetVersionClash(f"{kind} version {document.version} was already imported with other content")
        return ImportOutcome(kind=kind, version=document.version, outcome="unchanged", upserted=0, retired=0)
    latest = await repository.latest_dataset(session, kind)
    if latest is not None and latest.effective_from > document.effective_from:
        raise DatasetVersionClash(
            f"{kind} version {document.version} is older than the current version {latest.version}"
        )
    model = MODELS[kind]
    rows = _rows(kind, document.items, document.version)
    await repository.upsert_entries(session, model, rows)
    retired = await repository.retire_missing(session, model, {r["code"] for r in rows}, document.version)
    session.add(
        ReferenceDataset(
            kind=kind,
            version=document.version,
            effective_from=document.effective_from,
            source=document.source,
            checksum=checksum,
            item_count=len(rows),
        )
    )
    await session.flush()
    return ImportOutcome(kind=kind, version=document.version, outcome="imported", upserted=len(rows), retired=retired)


async def import_bundled_reference_data(session: AsyncSession) -> list[ImportOutcome]:
    """Import every bundled reference data file into an open transaction (used by the seed)."""
    outcomes = []
    for kind in REFERENCE_KINDS:
        raw = bundled_document(kind)
        document = ReferenceDocument.model_validate(raw)
        outcomes.append(await _import(session, kind, document, dataset_checksum(document.model_dump(mode="json"))))
    return outcomes


async def industry_section(session: AsyncSession, industry_code: str, field: str = "industry_code") -> str:
    """The GB/T 4754 section letter of a code; 422 when its section or division is unknown."""
    if industry_code.isalpha():
        found = await repository.industry(session, industry_code)
        if found is None:
            raise InvalidReferenceCode("unknown industry", errors=[field_error(field, "unknown GB/T 4754 section")])
        return found.code
    division = industry_division(industry_code)
    found = await repository.industry(session, division) if division else None
    if found is None or found.parent_code is None:
        raise InvalidReferenceCode("unknown industry", errors=[field_error(field, "unknown GB/T 4754 division")])
    return found.parent_code


async def check_township(session: AsyncSession, township_code: str, village_code: str | None) -> None:
    """422 unless the township exists and the village (if any) lies in it."""
    township = await repository.jurisdiction(session, township_code)
    if township is None or township.level != "township":
        raise InvalidReferenceCode("unknown township", errors=[field_error("township_code", "not a known township")])
    if village_code is not None:
        village = await repository.jurisdiction(session, village_code)
        if village is None or village.parent_code != township_code:
            raise InvalidReferenceCode(
                "unknown village", errors=[field_error("village_code", "not a village of the township")]
            )


async def check_department(session: AsyncSession, code: str | None, field: str = "supervising_department") -> None:
    """422 unless the department code is known (None passes)."""
    if code is not None and await repository.department(session, code) is None:
        raise InvalidReferenceCode("unknown department", errors=[field_error(field, "not a known department")])


async def department_scope(session: AsyncSession, code: str | None) -> IndustryScope:
    """The industries a department supervises (empty for an unknown department)."""
    department = await repository.department(session, code) if code else None
    return IndustryScope.of(department.supervised_industry_codes if department else [])

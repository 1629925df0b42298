"""Use cases of judgment standards: import and read."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.reference import load
from hazard_service.standards import repository
from hazard_service.standards.models import JudgmentClause, JudgmentStandard
from hazard_service.standards.schemas import ImportResult, StandardsDocument
from shared.db import UnitOfWork


def bundled_document() -> StandardsDocument:
    """The standards shipped in the shared reference data (incl. 应急管理部令第10号)."""
    return StandardsDocument.model_validate(load("hazard_standards.json"))


async def import_standards(*, uow: UnitOfWork, document: StandardsDocument) -> ImportResult:
    """Import standard versions and their clauses; re-importing the same version changes nothing."""
    async with uow:
        result = await add_standards(uow.session, document)
        await uow.commit()
        return result


async def add_standards(session: AsyncSession, document: StandardsDocument) -> ImportResult:
    """Add the standard versions and clauses not yet there, in the caller's transaction."""
    added = existing = clauses_added = 0
    for item in document.items:
        version = item.version or document.version
        created = await repository.insert_standard(
            session,
            {
                "code": item.code,
                "version": version,
                "name": item.name,
                "issuer": item.issuer,
                "issuer_document": item.issuer_document,
                "effective_from": item.effective_from,
                "effective_to": item.effective_to,
                "status": item.status,
                "industries": item.industries,
                "item_count": item.item_count,
                "scope_note": item.scope_note,
            },
        )
        added += created
        existing += not created
        section_industries = {s.code: s.industries for s in item.sections}
        clauses_added += await repository.insert_clauses(
            session,
            [
                {
                    "standard_code": item.code,
                    "standard_version": version,
                    "code": clause.code,
                    "article": clause.article,
                    "title": clause.title,
                    "section": clause.section,
                    "kind": clause.kind,
                    "industries": clause.industries or section_industries.get(clause.section or "", item.industries),
                    "confidence": clause.confidence,
                }
                for clause in item.clauses
            ],
        )
    return ImportResult(standards_added=added, standards_existing=existing, clauses_added=clauses_added)


async def list_standards(*, session: AsyncSession) -> Sequence[JudgmentStandard]:
    """Every imported standard version."""
    return await repository.standards(session)


async def list_clauses(
    *, session: AsyncSession, standard_code: str, version: str | None, industry: str | None
) -> Sequence[JudgmentClause]:
    """Clauses of a standard, optionally filtered by industry."""
    return await repository.clauses(session, standard_code, version, industry)

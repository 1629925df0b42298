"""Bodies of the judgment standard API and the import format."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ClauseImport(BaseModel):
    """A clause in the import format (the shape of hazard_standards.json)."""

    model_config = ConfigDict(extra="ignore")

    code: str = Field(min_length=1, max_length=64)
    article: str | None = None
    title: str = Field(min_length=1)
    section: str | None = None
    kind: str | None = None
    industry_scope: str | None = None
    confidence: str | None = None
    industries: list[str] | None = Field(default=None, description="Defaults to the section's industries.")


class SectionImport(BaseModel):
    """A section (article) grouping clauses, with the industries it applies to."""

    model_config = ConfigDict(extra="ignore")

    code: str
    article: str | None = None
    name: str | None = None
    industries: list[str] = Field(default_factory=list)


class StandardImport(BaseModel):
    """One standard in the import format."""

    model_config = ConfigDict(extra="ignore")

    code: str = Field(min_length=1, max_length=64)
    version: str | None = Field(default=None, description="Defaults to the document's version.")
    name: str
    issuer: str | None = None
    issuer_document: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    status: str = "in_force"
    industries: list[str] = Field(default_factory=list)
    item_count: int | None = None
    scope_note: str | None = None
    sections: list[SectionImport] = Field(default_factory=list)
    clauses: list[ClauseImport] = Field(min_length=1)


class StandardsDocument(BaseModel):
    """A file of standards: `version` applies to every standard that names none."""

    model_config = ConfigDict(extra="ignore")

    version: str = Field(min_length=1, max_length=32)
    effective_from: date | None = None
    items: list[StandardImport] = Field(min_length=1)


class ImportResult(BaseModel):
    """What an import added."""

    standards_added: int
    standards_existing: int
    clauses_added: int


class StandardRead(BaseModel):
    """An imported standard version."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    version: str
    name: str
    issuer: str | None
    issuer_document: str | None
    effective_from: date | None
    effective_to: date | None
    status: str
    industries: list[str]
    item_count: int | None


class ClauseRead(BaseModel):
    """A clause a major hazard may cite."""

    model_config = ConfigDict(from_attributes=True)

    standard_code: str
    standard_version: str
    code: str
    article: str | None
    title: str
    section: str | None
    kind: str | None
    industries: list[str]
    confidence: str | None

"""Use cases of the supplementary figures the committee office enters by hand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.projections.models import SupplementaryFigure
from reporting_service.reports.schemas import SupplementaryFigureRead, SupplementaryFigureWrite
from shared import clock
from shared.auth.principal import Principal
from shared.db.uow import UnitOfWork


async def put_figure(*, uow: UnitOfWork, actor: Principal, figure: SupplementaryFigureWrite) -> SupplementaryFigureRead:
    """Create or replace a figure as `actor` (audited with the unit of work)."""
    async with uow:
        values = {**figure.model_dump(), "entered_by": actor.subject, "entered_at": clock.now()}
        stmt = insert(SupplementaryFigure).values(**values)
        await uow.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["period_start", "period_end", "indicator"],
                set_={k: stmt.excluded[k] for k in ("label", "value", "unit", "entered_by", "entered_at")},
            )
        )
        await uow.commit()
    return SupplementaryFigureRead(**values)


async def list_figures(*, session: AsyncSession, date_from: date, date_to: date) -> list[SupplementaryFigureRead]:
    """Figures whose period lies inside the range."""
    rows = await session.scalars(
        select(SupplementaryFigure)
        .where(SupplementaryFigure.period_start >= date_from, SupplementaryFigure.period_end <= date_to)
        .order_by(SupplementaryFigure.period_start, SupplementaryFigure.indicator)
    )
    return [SupplementaryFigureRead.model_validate(r) for r in rows]

"""Errors of penalty cases, each carrying its HTTP status."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, IllegalTransition, NotFound, ValidationFailed


class CaseNotFound(NotFound):
    """No such case in the caller's jurisdiction."""

    type_slug = "case-not-found"
    title = "Case not found"


class CaseArchived(Conflict):
    """An archived case can no longer change."""

    type_slug = "case-archived"
    title = "Case archived"


class StageNotAllowed(IllegalTransition):
    """The action is not allowed in the case's current stage, or a procedural condition is unmet."""

    type_slug = "case-stage-not-allowed"
    title = "Not allowed in this stage"


class SimplifiedProcedureRefused(ValidationFailed):
    """The penalty exceeds what the simplified procedure allows."""

    type_slug = "simplified-procedure-refused"
    title = "Simplified procedure not allowed"


class OutsideDelegation(Forbidden):
    """A township acted outside its delegation (scope, term or limit)."""

    type_slug = "outside-delegation"
    title = "Outside the township's delegation"


class PaymentRefused(Conflict):
    """The payment cannot be recorded (nothing owed or more than owed)."""

    type_slug = "payment-refused"
    title = "Payment refused"

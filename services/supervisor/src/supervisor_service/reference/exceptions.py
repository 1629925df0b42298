"""Errors of reference data import."""

from shared.errors import Conflict, ValidationFailed


class DatasetVersionClash(Conflict):
    """The version was already imported with different content, or is older than the current one."""

    type_slug = "reference-dataset-clash"
    title = "Reference data version clash"


class InvalidReferenceCode(ValidationFailed):
    """A code does not exist in the imported reference data."""

    type_slug = "unknown-reference-code"
    title = "Unknown reference code"

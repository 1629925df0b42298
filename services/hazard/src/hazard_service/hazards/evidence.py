"""The evidence store a deployment chooses, and who signs the URLs of its photos."""

from __future__ import annotations

from dataclasses import dataclass

from hazard_service.config import HazardSettings
from hazard_service.hazards.evidence_postgres import PostgresEvidenceStore
from hazard_service.hazards.signing import UrlSigner
from hazard_service.hazards.storage import EvidenceStore


@dataclass(frozen=True)
class Evidence:
    """The evidence store, and the signer of the API's own photo route for objects the store does not serve."""

    store: EvidenceStore
    signer: UrlSigner | None

    @classmethod
    def from_settings(cls, settings: HazardSettings) -> Evidence:
        """The store the settings choose (`photo_store`), with a signer unless the store presigns every URL."""
        store: EvidenceStore
        if settings.photo_store == "s3":
            # Imported here: the S3 backend loads boto3, which a PostgreSQL deployment never needs.
            from hazard_service.hazards.evidence_s3 import S3EvidenceStore

            store = S3EvidenceStore.from_settings(settings)
        else:
            store = PostgresEvidenceStore()
        presigns = settings.photo_store == "s3" and settings.photo_s3_presign
        return cls(store, None if presigns else UrlSigner.from_settings(settings))

    def signed_url(self, key: str, *, api_path: str, content_type: str) -> str:
        """A short-lived URL of the object without a bearer token: the store's own, or `api_path` signed."""
        presigned = self.store.presigned_url(key, content_type)
        if presigned is not None:
            return presigned
        if self.signer is None:
            raise RuntimeError("a store that presigns nothing needs the API's signer")
        return self.signer.sign(api_path)

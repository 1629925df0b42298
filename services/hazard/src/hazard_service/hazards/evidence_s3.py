"""The S3 evidence store for production: MinIO or any S3-compatible object storage, shared by every replica.

boto3 is synchronous, so each call runs in a worker thread; presigned GET URLs are computed locally.
"""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.config import HazardSettings
from hazard_service.hazards.storage import EvidenceMissing

MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class S3EvidenceStore:
    """Evidence as objects in one bucket; the database session is not used (the bucket has no transactions)."""

    def __init__(self, client: Any, bucket: str, *, presigner: Any | None, ttl_s: int) -> None:
        self.client = client
        self.bucket = bucket
        self.presigner = presigner
        self.ttl_s = ttl_s

    @classmethod
    def from_settings(cls, settings: HazardSettings) -> S3EvidenceStore:
        """Clients for the configured endpoint; presigned URLs name the address a browser reaches."""
        assert settings.photo_s3_bucket is not None  # the settings validator requires it for this store
        secret = settings.photo_s3_secret_access_key
        options: dict[str, Any] = {
            "region_name": settings.photo_s3_region,
            "aws_access_key_id": settings.photo_s3_access_key_id,
            "aws_secret_access_key": secret.get_secret_value() if secret else None,
            # Path-style addressing: MinIO and other self-hosted S3 APIs serve no per-bucket host names.
            "config": Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        }
        client = boto3.client("s3", endpoint_url=settings.photo_s3_endpoint_url, **options)
        public_url = settings.photo_s3_public_url or settings.photo_s3_endpoint_url
        presigner = boto3.client("s3", endpoint_url=public_url, **options) if settings.photo_s3_presign else None
        return cls(client, settings.photo_s3_bucket, presigner=presigner, ttl_s=settings.photo_url_ttl_s)

    async def put(self, session: AsyncSession, key: str, data: bytes, content_type: str) -> None:
        """Upload the object (before the hazard's transaction commits: a rolled-back upload leaves an orphan)."""
        await asyncio.to_thread(
            self.client.put_object, Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
        )

    async def get(self, session: AsyncSession, key: str) -> bytes:
        """Download the object."""

        def read() -> bytes:
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in MISSING_CODES:
                    raise EvidenceMissing(key) from error
                raise
            body: bytes = answer["Body"].read()
            return body

        return await asyncio.to_thread(read)

    async def delete(self, session: AsyncSession, key: str) -> None:
        """Delete the object (S3 answers success for an absent key too)."""
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=key)

    def presigned_url(self, key: str, content_type: str) -> str | None:
        """A presigned GET URL of the object, valid for the configured lifetime (None: the API serves it)."""
        if self.presigner is None:
            return None
        params = {
            "Bucket": self.bucket,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseCacheControl": f"private, max-age={self.ttl_s}",
        }
        url: str = self.presigner.generate_presigned_url("get_object", Params=params, ExpiresIn=self.ttl_s)
        return url

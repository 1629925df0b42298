"""Short-lived signed URLs the hazard API serves itself: HMAC-SHA256 over the path and the expiry."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode

from hazard_service.config import HazardSettings
from shared import clock
from shared.settings import ConfigurationError

# Keys for different purposes are derived from one secret, so a photo signature can sign nothing else.
PURPOSE = b"hazard-photo-url-v1"


@dataclass(frozen=True)
class UrlSigner:
    """Signs a path for `ttl_s` seconds and checks a signature a request brings back."""

    key: bytes
    ttl_s: int

    @classmethod
    def from_settings(cls, settings: HazardSettings) -> UrlSigner:
        """The signer keyed by HAZARD_PHOTO_URL_SECRET, or else by the HS256 token key every replica shares."""
        if settings.photo_url_secret is not None:
            secret = settings.photo_url_secret.get_secret_value().encode()
        elif settings.auth_hs256_key_file is not None:
            secret = settings.auth_hs256_key_file.read_bytes().strip()
        else:
            raise ConfigurationError("HAZARD_PHOTO_URL_SECRET is required to sign photo URLs")
        return cls(hmac.new(secret, PURPOSE, hashlib.sha256).digest(), settings.photo_url_ttl_s)

    def _signature(self, path: str, expires: int) -> str:
        return hmac.new(self.key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def sign(self, path: str) -> str:
        """The path with `expires` (Unix seconds) and `signature` query parameters."""
        expires = int(clock.now().timestamp()) + self.ttl_s
        return f"{path}?{urlencode({'expires': expires, 'signature': self._signature(path, expires)})}"

    def remaining_s(self, path: str, expires: int, signature: str) -> int | None:
        """Seconds the signature stays valid, or None when it is forged, for another path or expired."""
        remaining = expires - int(clock.now().timestamp())
        valid = hmac.compare_digest(self._signature(path, expires).encode(), signature.encode())
        return remaining if valid and 0 < remaining <= self.ttl_s else None

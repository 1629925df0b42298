"""Request signing of the upward direct report: HMAC-SHA256 over method, path, timestamp, nonce and body digest.

The string signed is the five lines `METHOD`, `path` (with its query, if any), `timestamp` (Unix seconds),
`nonce` and the hex SHA-256 of the body, joined by "\\n"; the signature is its lowercase hex HMAC-SHA256 under
the target's secret. The headers are documented in `contract/README.md`; the simulator verifies them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from shared import clock

KEY_ID = "X-Signature-Key-Id"
TIMESTAMP = "X-Signature-Timestamp"
NONCE = "X-Signature-Nonce"
DIGEST = "X-Content-SHA256"
SIGNATURE = "X-Signature"


def _signature(secret: str, method: str, path: str, timestamp: str, nonce: str, digest: str) -> str:
    text = "\n".join((method.upper(), path, timestamp, nonce, digest))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def sign(*, key_id: str, secret: str, method: str, path: str, body: bytes) -> dict[str, str]:
    """The signature headers of one request."""
    timestamp = str(int(clock.now().timestamp()))
    nonce = secrets.token_hex(16)
    digest = hashlib.sha256(body).hexdigest()
    return {
        KEY_ID: key_id,
        TIMESTAMP: timestamp,
        NONCE: nonce,
        DIGEST: digest,
        SIGNATURE: _signature(secret, method, path, timestamp, nonce, digest),
    }


class BadSignature(Exception):
    """The request's signature is missing, wrong, stale or replayed."""


def verify(
    *,
    secrets_by_key: Mapping[str, str],
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    seen_nonces: set[str],
    max_skew_s: int = 300,
) -> str:
    """Check a request's signature; return its key id (raises BadSignature)."""
    try:
        key_id, timestamp, nonce = headers[KEY_ID], headers[TIMESTAMP], headers[NONCE]
        digest, signature = headers[DIGEST], headers[SIGNATURE]
    except KeyError as exc:
        raise BadSignature(f"missing header {exc.args[0]}") from None
    secret = secrets_by_key.get(key_id)
    if secret is None:
        raise BadSignature(f"unknown key id {key_id}")
    if not timestamp.isdigit() or abs(clock.now().timestamp() - int(timestamp)) > max_skew_s:
        raise BadSignature("timestamp outside the allowed skew")
    if digest != hashlib.sha256(body).hexdigest():
        raise BadSignature("body digest does not match")
    expected = _signature(secret, method, path, timestamp, nonce, digest)
    if not hmac.compare_digest(expected, signature):
        raise BadSignature("signature does not match")
    if nonce in seen_nonces:
        raise BadSignature("nonce already used")
    seen_nonces.add(nonce)
    return key_id

"""JWT verification: HS256 with a local key (embedded default) or RS256 via an OIDC JWKS URL."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, cast

import jwt
from starlette.concurrency import run_in_threadpool

from shared.auth.principal import Principal
from shared.errors import Unauthorized

DEV_ISSUER = "safety-dev"
DEV_AUDIENCE = "safety-api"


def ensure_signing_key(path: Path) -> bytes:
    """Read the development signing key, generating a random one on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip().encode()


def mint_token(
    key: bytes,
    *,
    subject: str,
    roles: list[str],
    jurisdictions: list[str] | None = None,
    department: str | None = None,
    name: str | None = None,
    enterprise_id: str | None = None,
    supervisor_id: str | None = None,
    ttl_seconds: int = 8 * 3600,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
) -> str:
    """Sign an HS256 development token with the claims a principal is built from."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "roles": roles,
        "jurisdictions": jurisdictions or [],
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "iss": issuer,
        "aud": audience,
    }
    optional = {
        "department": department,
        "name": name,
        "enterprise_id": enterprise_id,
        "supervisor_id": supervisor_id,
    }
    claims.update({k: v for k, v in optional.items() if v is not None})
    return jwt.encode(claims, key, algorithm="HS256")


# How many verified tokens a process remembers (least recently used first out).
VERIFIED_TOKENS_KEPT = 10_000


class TokenVerifier:
    """Verifies bearer tokens and turns their claims into a Principal."""

    def __init__(
        self,
        *,
        hs256_key: bytes | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        audience: str | None = None,
    ) -> None:
        if not hs256_key and not jwks_url:
            raise ValueError("a verifier needs an HS256 key or a JWKS URL")
        self._hs256_key = hs256_key
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600) if jwks_url else None
        self.issuer = issuer if issuer is not None else (DEV_ISSUER if hs256_key else None)
        self.audience = audience if audience is not None else (DEV_AUDIENCE if hs256_key else None)
        # A front end sends the same token with every request until it expires: verify it once.
        self._verified: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        """Check signature, algorithm, expiry, issuer and audience; 401 on any failure."""
        cached = self._verified.get(token)
        if cached is not None and time.time() < cached[0]:
            self._verified.move_to_end(token)
            return cached[1]
        principal = await self._verify_signed(token)
        self._verified[token] = (float(cast(float, principal.claims["exp"])), principal)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return principal

    async def _verify_signed(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                signing_key = await run_in_threadpool(self._jwks.get_signing_key_from_jwt, token)
                key: Any = signing_key.key
                algorithms = ["RS256"]
            else:
                key = self._hs256_key
                algorithms = ["HS256"]
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("the token has expired") from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized(f"the token is not valid: {exc}") from None
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """Build a principal from verified JWT claims."""
    roles = claims.get("roles") or []
    jurisdictions = claims.get("jurisdictions") or []
    if not isinstance(roles, list) or not isinstance(jurisdictions, list):
        raise Unauthorized("the token's roles and jurisdictions must be lists")
    return Principal(
        subject=str(claims["sub"]),
        roles=frozenset(str(r) for r in roles),
        jurisdictions=tuple(str(j) for j in jurisdictions),
        department=claims.get("department"),
        name=claims.get("name"),
        enterprise_id=claims.get("enterprise_id"),
        supervisor_id=claims.get("supervisor_id"),
        claims=claims,
    )


def verifier_from_settings(
    *, key_file: Path | None, jwks_url: str | None, issuer: str | None, audience: str | None
) -> TokenVerifier:
    """The production verifier when a JWKS URL is set, otherwise the local HS256 key."""
    if jwks_url:
        return TokenVerifier(jwks_url=jwks_url, issuer=issuer, audience=audience)
    if key_file is None:
        raise ValueError("set AUTH_JWKS_URL (production) or AUTH_HS256_KEY_FILE (embedded)")
    return TokenVerifier(hs256_key=ensure_signing_key(key_file), issuer=issuer, audience=audience)

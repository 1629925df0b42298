"""Authentication (JWT bearer) and the principal with roles and jurisdiction."""

from shared.auth.principal import Principal, Role, division_prefix
from shared.auth.tokens import TokenVerifier, mint_token

__all__ = ["Principal", "Role", "TokenVerifier", "division_prefix", "mint_token"]

"""Magic login links: signed, expiring tokens naming one member of one store."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from domain.errors import Unauthenticated

LOGIN_LINK_PREFIX = "swl_"
LOGIN_LINK_TTL_SECONDS = 30 * 60


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class LoginClaims:
    user_id: int
    workspace_id: str
    expires_at: int


class LoginLinkSigner:
    """HMAC-SHA256 over the claims with a key derived for this purpose only (an access token's signature
    never verifies as a login link, nor the other way round)."""

    def __init__(self, secret: str, ttl_seconds: int = LOGIN_LINK_TTL_SECONDS) -> None:
        self._key = hashlib.sha256(("login-link:" + secret).encode()).digest()
        self.ttl_seconds = ttl_seconds

    def issue(self, user_id: int, workspace_id: str, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {"sub": user_id, "ws": workspace_id, "exp": issued + self.ttl_seconds, "n": secrets.token_hex(8)}
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{LOGIN_LINK_PREFIX}{payload}.{self._sign(payload)}"

    def verify(self, token: str, *, now: float | None = None) -> LoginClaims:
        if not token.startswith(LOGIN_LINK_PREFIX):
            raise Unauthenticated("Invalid login link.", code="invalid_token")
        payload, sep, signature = token.removeprefix(LOGIN_LINK_PREFIX).partition(".")
        if not sep or not hmac.compare_digest(self._sign(payload), signature):
            raise Unauthenticated("Invalid login link.", code="invalid_token")
        try:
            data = json.loads(_unb64(payload))
            claims = LoginClaims(int(data["sub"]), str(data["ws"]), int(data["exp"]))
        except (ValueError, KeyError, TypeError):
            raise Unauthenticated("Invalid login link.", code="invalid_token") from None
        if claims.expires_at < (now if now is not None else time.time()):
            raise Unauthenticated("This login link has expired.", code="token_expired")
        return claims

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

"""Credentials: API keys (random, stored hashed) and signed member access tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from domain.errors import Unauthenticated

API_KEY_PREFIX = "swk_"
ACCESS_TOKEN_PREFIX = "swt_"


@dataclass(frozen=True)
class NewApiKey:
    plaintext: str
    prefix: str
    key_hash: str


def hash_api_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def generate_api_key() -> NewApiKey:
    public = secrets.token_hex(4)
    plaintext = f"{API_KEY_PREFIX}{public}_{secrets.token_urlsafe(32)}"
    return NewApiKey(plaintext=plaintext, prefix=f"{API_KEY_PREFIX}{public}", key_hash=hash_api_key(plaintext))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    workspace_id: str
    expires_at: int


class AccessTokenSigner:
    """HMAC-SHA256 signed tokens: ``swt_<payload>.<signature>``."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("access-token:" + secret).encode()).digest()

    def issue(self, user_id: int, workspace_id: str, ttl_seconds: int) -> str:
        now = int(time.time())
        payload = _b64(json.dumps({"sub": user_id, "ws": workspace_id, "iat": now, "exp": now + ttl_seconds}).encode())
        return f"{ACCESS_TOKEN_PREFIX}{payload}.{self._sign(payload)}"

    def verify(self, token: str) -> AccessClaims:
        body = token.removeprefix(ACCESS_TOKEN_PREFIX)
        payload, sep, signature = body.partition(".")
        if not sep or not hmac.compare_digest(self._sign(payload), signature):
            raise Unauthenticated("Invalid access token.", code="invalid_token")
        try:
            data = json.loads(_unb64(payload))
            claims = AccessClaims(int(data["sub"]), str(data["ws"]), int(data["exp"]))
        except (ValueError, KeyError, TypeError):
            raise Unauthenticated("Invalid access token.", code="invalid_token") from None
        if claims.expires_at < time.time():
            raise Unauthenticated("Access token has expired.", code="token_expired")
        return claims

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=2**14, r=8, p=1)
    return hmac.compare_digest(candidate, _unb64(digest))

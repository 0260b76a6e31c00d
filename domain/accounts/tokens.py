"""Credentials: API keys (random, stored hashed), passwords (scrypt), and signed expiring tokens.

Signed tokens are standard JWTs (HS256, through PyJWT), one purpose each: member access tokens
(``access``) and magic login links (``login-link``). Each purpose signs with its own key derived from the
secret, and carries its own audience, so a token of one purpose never verifies as another. The header's
``kid`` names the secret that signed it: the first secret signs, every listed secret verifies, so a secret
is rotated by putting the new one first and keeping the old one listed until its tokens have expired.

Access tokens are bare JWTs; login links are ``swl_`` + a JWT. Tokens issued before JWTs (``swt_…`` access
tokens, ``swl_…`` login links: one HMAC over a JSON payload, so one dot) are still accepted until they
expire; they live at most ``SHOPWRIGHT_ACCESS_TOKEN_TTL_SECONDS``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import Unauthenticated

API_KEY_PREFIX = "swk_"
ACCESS = "access"
LOGIN_LINK = "login-link"
LOGIN_LINK_TTL_SECONDS = 30 * 60
ISSUER = "shopwright"
_ALGORITHM = "HS256"
_PREFIXES = {LOGIN_LINK: "swl_"}  # login links keep the prefix they always had: recognisable in a URL
LEGACY_ACCESS_PREFIX = "swt_"
_LEGACY_PREFIXES = {ACCESS: LEGACY_ACCESS_PREFIX, LOGIN_LINK: "swl_"}
_WORDS = {ACCESS: "access token", LOGIN_LINK: "login link"}
# What an expired token answers (the words clients have always seen).
_EXPIRED = {ACCESS: "Access token has expired.", LOGIN_LINK: "This login link has expired."}
LEEWAY_SECONDS = 30  # clocks of several servers never agree to the second


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
class TokenClaims:
    """Who a token names: a user in a workspace, until ``expires_at`` (epoch seconds)."""

    user_id: int
    workspace_id: str
    expires_at: int


@dataclass(frozen=True)
class _Key:
    kid: str
    secret: str

    def for_purpose(self, purpose: str) -> bytes:
        return hashlib.sha256(f"{purpose}:{self.secret}".encode()).digest()


class TokenService:
    """Issues and verifies the service's signed tokens. ``secrets[0]`` signs; all of them verify."""

    def __init__(self, secret_keys: Sequence[str]) -> None:
        keys = [_Key(hashlib.sha256(s.encode()).hexdigest()[:12], s) for s in secret_keys if s]
        if not keys:
            raise ValueError("TokenService needs at least one secret")
        self._keys = keys
        self._by_kid = {k.kid: k for k in keys}

    # --- the two purposes -----------------------------------------------------------------------

    def issue_access_token(self, user_id: int, workspace_id: str, ttl_seconds: int) -> str:
        return self.issue(ACCESS, user_id, workspace_id, ttl_seconds)

    def verify_access_token(self, token: str) -> TokenClaims:
        return self.verify(ACCESS, token)

    def issue_login_link(self, user_id: int, workspace_id: str, *, ttl_seconds: int = LOGIN_LINK_TTL_SECONDS) -> str:
        return self.issue(LOGIN_LINK, user_id, workspace_id, ttl_seconds, nonce=True)

    def verify_login_link(self, token: str) -> TokenClaims:
        return self.verify(LOGIN_LINK, token)

    # --- the mechanism --------------------------------------------------------------------------

    def issue(self, purpose: str, user_id: int, workspace_id: str, ttl_seconds: int, *, nonce: bool = False) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": f"{ISSUER}:{purpose}",
            "sub": str(user_id),
            "ws": workspace_id,
            "iat": now,
            "exp": now + ttl_seconds,
        }
        if nonce:
            claims["jti"] = secrets.token_hex(8)
        key = self._keys[0]
        token = jwt.encode(claims, key.for_purpose(purpose), algorithm=_ALGORITHM, headers={"kid": key.kid})
        return _PREFIXES.get(purpose, "") + token

    def verify(self, purpose: str, token: str) -> TokenClaims:
        word = _WORDS.get(purpose, "token")
        legacy = _LEGACY_PREFIXES.get(purpose)
        if legacy is not None and token.startswith(legacy) and token.count(".") == 1:
            return self._verify_legacy(purpose, token.removeprefix(legacy), word)
        token = token.removeprefix(_PREFIXES.get(purpose, ""))
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise Unauthenticated(f"Invalid {word}.", code="invalid_token") from None
        key = self._by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthenticated(f"Invalid {word}.", code="invalid_token")
        try:
            claims = jwt.decode(
                token,
                key.for_purpose(purpose),
                algorithms=[_ALGORITHM],
                audience=f"{ISSUER}:{purpose}",
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated(_EXPIRED.get(purpose, "This token has expired."), code="token_expired") from None
        except jwt.PyJWTError:
            raise Unauthenticated(f"Invalid {word}.", code="invalid_token") from None
        return _claims(claims, word)

    def sign_claims(self, purpose: str, claims: dict[str, Any], ttl_seconds: int) -> str:
        """A JWT of ``purpose`` (its own key and audience, like the tokens above) carrying ``claims``: for
        opaque values the service hands out and must get back unaltered, such as page tokens."""
        now = int(time.time())
        body = {**claims, "iss": ISSUER, "aud": f"{ISSUER}:{purpose}", "iat": now, "exp": now + ttl_seconds}
        key = self._keys[0]
        return jwt.encode(body, key.for_purpose(purpose), algorithm=_ALGORITHM, headers={"kid": key.kid})

    def verify_claims(self, purpose: str, token: str) -> dict[str, Any] | None:
        """The claims of a token ``sign_claims`` issued for ``purpose``; None when it is not one (forged,
        altered, of another purpose, or expired)."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._by_kid.get(kid) if isinstance(kid, str) else None
            if key is None:
                return None
            claims: dict[str, Any] = jwt.decode(
                token,
                key.for_purpose(purpose),
                algorithms=[_ALGORITHM],
                audience=f"{ISSUER}:{purpose}",
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "aud", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        return claims

    def _verify_legacy(self, purpose: str, body: str, word: str) -> TokenClaims:
        """The pre-JWT format: ``<prefix><base64 JSON>.<base64 HMAC-SHA256>``, keyed per purpose."""
        payload, sep, signature = body.partition(".")
        derivation = "access-token:" if purpose == ACCESS else "login-link:"
        valid = sep and any(
            hmac.compare_digest(
                _b64(
                    hmac.new(
                        hashlib.sha256((derivation + k.secret).encode()).digest(), payload.encode(), hashlib.sha256
                    ).digest()
                ),
                signature,
            )
            for k in self._keys
        )
        if not valid:
            raise Unauthenticated(f"Invalid {word}.", code="invalid_token")
        try:
            data = json.loads(_unb64(payload))
        except ValueError:
            raise Unauthenticated(f"Invalid {word}.", code="invalid_token") from None
        claims = _claims(data, word)
        if claims.expires_at < time.time():
            raise Unauthenticated(_EXPIRED.get(purpose, "This token has expired."), code="token_expired")
        return claims


def _claims(data: Any, word: str) -> TokenClaims:
    try:
        return TokenClaims(int(data["sub"]), str(data["ws"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError):
        raise Unauthenticated(f"Invalid {word}.", code="invalid_token") from None


_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Hashing takes ~100 ms of CPU by design. It runs on one thread of its own (the library releases the GIL
# while it works), so however many users are created at once the event loop keeps a core to answer with.
_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-hashing")


async def hash_password(password: str) -> str:
    """The password's argon2id hash, computed off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_HASHING, _HASHER.hash, password)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``: argon2 hashes, and the scrypt ones written before them.
    CPU-heavy: call it through ``asyncio.to_thread``."""
    if stored.startswith("scrypt$"):
        try:
            _scheme, salt, digest = stored.split("$")
        except ValueError:
            return False
        candidate = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=2**14, r=8, p=1)
        return hmac.compare_digest(candidate, _unb64(digest))
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False

"""Signed, expiring links to media files: ``/media/<token>``.

The token is a JWT (HS256, PyJWT) naming the file (id, workspace, storage key, content type, an optional
download filename) and its expiry, signed with a key derived from the app's secret for this purpose only, so
no other token of the service verifies as a media link. The header's ``kid`` names the secret: the first one
signs, every listed one verifies (rotation keeps links working until they expire). Serving needs nothing but
the token and the storage: no database read, no credentials, and nothing a caller can change.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from domain.errors import DomainError, NotFound
from domain.media.models import MediaFile

PURPOSE = "media"
ISSUER = "shopwright"
AUDIENCE = f"{ISSUER}:{PURPOSE}"
PATH_PREFIX = "/media/"
MAX_TTL_SECONDS = 7 * 24 * 3600
_ALGORITHM = "HS256"
MAX_TOKEN_LENGTH = 4096


class MediaLinkExpired(DomainError, status=403, code="link_expired"):
    """A genuine media link whose time is up."""


@dataclass(frozen=True)
class SignedUrl:
    path: str  # "/media/<token>"; the absolute URL is the public base URL + path
    expires_at: datetime


@dataclass(frozen=True)
class SignedMedia:
    media_id: str
    workspace_id: str
    storage_key: str
    content_type: str
    filename: str | None
    expires_at: datetime

    def remaining_seconds(self, now: float | None = None) -> int:
        return max(0, int(self.expires_at.timestamp() - (time.time() if now is None else now)))


def _key(secret: str) -> tuple[str, bytes]:
    kid = hashlib.sha256(secret.encode()).hexdigest()[:12]
    return kid, hashlib.sha256(f"{PURPOSE}:{secret}".encode()).digest()


def _safe_filename(filename: str) -> str:
    """A download name without path parts or control characters (it ends up in a header)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"')
    return name.strip()[:200]


class MediaUrls:
    def __init__(self, secrets: Sequence[str], default_ttl_seconds: int = 3600) -> None:
        keys = [_key(s) for s in secrets if s]
        if not keys:
            raise ValueError("MediaUrls needs at least one secret")
        if not 1 <= default_ttl_seconds <= MAX_TTL_SECONDS:
            raise ValueError(f"default_ttl_seconds must be between 1 and {MAX_TTL_SECONDS}")
        self._signing = keys[0]
        self._by_kid = dict(keys)
        self.default_ttl_seconds = default_ttl_seconds

    def sign(self, media: MediaFile, *, ttl_seconds: int | None = None, filename: str | None = None) -> SignedUrl:
        ttl = self.default_ttl_seconds if ttl_seconds is None else ttl_seconds
        if not 1 <= ttl <= MAX_TTL_SECONDS:
            raise ValueError(f"ttl_seconds must be between 1 and {MAX_TTL_SECONDS}")
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": media.id,
            "ws": media.workspace_id,
            "key": media.storage_key,
            "ct": media.content_type,
            "iat": now,
            "exp": now + ttl,
        }
        if filename:
            safe = _safe_filename(filename)
            if safe:
                claims["fn"] = safe
        kid, secret = self._signing
        token = jwt.encode(claims, secret, algorithm=_ALGORITHM, headers={"kid": kid})
        return SignedUrl(path=PATH_PREFIX + token, expires_at=datetime.fromtimestamp(now + ttl, UTC))

    def verify(self, token: str) -> SignedMedia:
        """The file a link names; ``NotFound`` for anything not signed by us (altered, forged, of another
        purpose), ``MediaLinkExpired`` for a genuine link past its expiry. No leeway: a link's expiry is exact."""
        invalid = NotFound("This media link is not valid.")
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise invalid
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            secret = self._by_kid.get(kid) if isinstance(kid, str) else None
            if secret is None:
                raise invalid
            claims = jwt.decode(
                token,
                secret,
                algorithms=[_ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "sub", "aud", "iss", "ws", "key", "ct"]},
            )
        except jwt.ExpiredSignatureError:
            raise MediaLinkExpired("This media link has expired.") from None
        except jwt.PyJWTError:
            raise invalid from None
        try:
            filename = claims.get("fn")
            return SignedMedia(
                media_id=str(claims["sub"]),
                workspace_id=str(claims["ws"]),
                storage_key=str(claims["key"]),
                content_type=str(claims["ct"]),
                filename=str(filename) if filename else None,
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except (KeyError, TypeError, ValueError):
            raise invalid from None

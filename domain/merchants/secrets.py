"""Merchant credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with keys derived from
the app's secret by HKDF, so no second secret has to be managed. Rotation follows the app secret's: the first
secret encrypts, every previous one (``SHOPWRIGHT_PREVIOUS_SECRET_KEYS``) still decrypts, and ``rotate`` re-encrypts
a token under the current key."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from domain.merchants.ports import MerchantUnavailable

_INFO = b"shopwright/merchant-credentials/v1"


def derive_key(secret: str) -> bytes:
    """The Fernet key for ``secret`` (URL-safe base64 of 32 HKDF-SHA256 bytes)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


class FernetCipher:
    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets:
            raise ValueError("at least one secret is needed")
        self._fernet = MultiFernet([Fernet(derive_key(s)) for s in secrets])

    def encrypt(self, values: Mapping[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(dict(values), sort_keys=True).encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> dict[str, Any]:
        try:
            found = json.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError):
            raise MerchantUnavailable(
                "The merchant credentials cannot be decrypted with the current or previous secret keys; "
                "connect the merchant again.",
                transient=False,
            ) from None
        if not isinstance(found, dict):
            raise MerchantUnavailable("The stored merchant credentials are damaged.", transient=False)
        return found

    def rotate(self, token: str) -> str:
        """``token`` encrypted under the current secret (it must decrypt under one of them)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise MerchantUnavailable(
                "These credentials were encrypted under an unknown secret.", transient=False
            ) from None

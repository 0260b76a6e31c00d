"""Callback URLs and signatures (the network side lives in workers.webhooks)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from domain.errors import InvalidInput

SIGNATURE_HEADER = "X-Shopwright-Signature"
MAX_URL_LENGTH = 2048


def validate_callback_url(url: str, *, field: str = "callback_url") -> str:
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput.field(field, f"The callback URL must be at most {MAX_URL_LENGTH} characters.")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput.field(field, "The callback URL must be an absolute http or https URL.")
    if parts.username or parts.password:
        raise InvalidInput.field(field, "The callback URL must not carry credentials.")
    return url


def is_private_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, body), header)

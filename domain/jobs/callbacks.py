"""Callback URLs and signatures (the network side lives in workers.webhooks).

Deliveries are signed the Standard Webhooks way (https://www.standardwebhooks.com): ``webhook-id`` (the
delivery id, the same on every retry), ``webhook-timestamp`` (the attempt's Unix time) and
``webhook-signature`` (``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``, one per valid secret,
space-separated), with the workspace's ``whsec_…`` secret. The signature covers the timestamp, so a receiver
that refuses old timestamps refuses replays. ``X-Shopwright-Signature`` (HMAC of the body alone) is still
sent for one release.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from standardwebhooks import Webhook

from domain.errors import InvalidInput

LEGACY_SIGNATURE_HEADER = "X-Shopwright-Signature"
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
    """Whether a callback may not go to ``address``: anything but a global unicast address (private,
    loopback, link-local, shared 100.64/10, documentation, reserved, unspecified, multicast)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return not ip.is_global or ip.is_multicast


def signature_headers(
    secrets: Iterable[str], delivery_id: str, sent_at: datetime, body: bytes, *, legacy_secret: str
) -> dict[str, str]:
    """The signature headers of one attempt: Standard Webhooks (one ``v1`` signature per secret still valid,
    so receivers keep verifying through a rotation) plus the legacy body-only one."""
    text = body.decode()
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(Webhook(s).sign(delivery_id, sent_at, text) for s in secrets),
        LEGACY_SIGNATURE_HEADER: legacy_signature(legacy_secret, body),
    }


def legacy_signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC of the body>``: covers neither a timestamp nor the delivery id (removed next release)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_legacy_signature(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(legacy_signature(secret, body), header)

"""AWS Signature Version 4 for one HTTP request (what PA-API 5 requires), with the standard library only.

botocore would bring its own pins (python-dateutil) for one function; the algorithm is public and short, and
``tests/merchants/test_sigv4.py`` checks it against AWS's published example signatures."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        pairs.append((quote(name, safe="-_.~"), quote(value, safe="-_.~")))
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


def canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], signed: list[str], body: bytes
) -> str:
    lower = {k.lower(): " ".join(v.strip().split()) for k, v in headers.items()}
    canonical_headers = "".join(f"{name}:{lower[name]}\n" for name in signed)
    return "\n".join(
        [
            method.upper(),
            quote(path or "/", safe="/-_.~"),
            _canonical_query(query),
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def signature(
    *,
    secret_key: str,
    region: str,
    service: str,
    when: datetime,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    signed: list[str],
    body: bytes,
) -> str:
    """The hex signature of a request whose ``headers`` (``signed`` names them, lower case, sorted) are final."""
    stamp, day = when.strftime("%Y%m%dT%H%M%SZ"), when.strftime("%Y%m%d")
    scope = f"{day}/{region}/{service}/aws4_request"
    request = canonical_request(method, path, query, headers, signed, body)
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(request.encode("utf-8")).hexdigest()])
    key = _hmac(f"AWS4{secret_key}".encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(
    *,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    when: datetime,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
) -> str:
    """The ``Authorization`` header for a request carrying ``headers`` (every one of them is signed)."""
    signed = sorted(k.lower() for k in headers)
    sig = signature(
        secret_key=secret_key,
        region=region,
        service=service,
        when=when,
        method=method,
        path=path,
        query=query,
        headers=headers,
        signed=signed,
        body=body,
    )
    scope = f"{when.strftime('%Y%m%d')}/{region}/{service}/aws4_request"
    return f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(signed)}, Signature={sig}"

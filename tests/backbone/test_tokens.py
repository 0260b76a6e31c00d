"""The signed-token facility: JWTs per purpose, key rotation, and the pre-JWT tokens still accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from domain.accounts.tokens import LEEWAY_SECONDS, TokenService
from domain.errors import Unauthenticated


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def legacy_token(secret: str, prefix: str, derivation: str, ttl: int) -> str:
    """A token as the service issued them before JWTs (HMAC-SHA256 over a base64 JSON payload)."""
    now = int(time.time())
    payload = _b64(json.dumps({"sub": 7, "ws": "ws-1", "iat": now, "exp": now + ttl}).encode())
    key = hashlib.sha256((derivation + secret).encode()).digest()
    return f"{prefix}{payload}.{_b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())}"


def test_access_tokens_are_standard_jwts_with_a_key_id_and_audience():
    tokens = TokenService(["s3cret"])
    token = tokens.issue_access_token(7, "ws-1", 60)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256" and header["kid"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == "shopwright:access" and claims["sub"] == "7" and claims["ws"] == "ws-1"
    verified = tokens.verify_access_token(token)
    assert (verified.user_id, verified.workspace_id) == (7, "ws-1")


def test_a_token_of_one_purpose_never_verifies_as_another():
    tokens = TokenService(["s3cret"])
    link = tokens.issue_login_link(7, "ws-1")
    assert link.startswith("swl_")
    with pytest.raises(Unauthenticated):
        tokens.verify_access_token(link.removeprefix("swl_"))
    with pytest.raises(Unauthenticated):
        tokens.verify_login_link("swl_" + tokens.issue_access_token(7, "ws-1", 60))


def test_rotation_signs_with_the_first_secret_and_verifies_with_every_listed_one():
    old = TokenService(["old-secret"])
    issued_before = old.issue_access_token(7, "ws-1", 60)
    rotated = TokenService(["new-secret", "old-secret"])
    assert rotated.verify_access_token(issued_before).user_id == 7
    fresh = rotated.issue_access_token(7, "ws-1", 60)
    assert jwt.get_unverified_header(fresh)["kid"] != jwt.get_unverified_header(issued_before)["kid"]
    with pytest.raises(Unauthenticated):
        old.verify_access_token(fresh)  # the old secret alone cannot verify what the new one signed
    with pytest.raises(Unauthenticated):
        TokenService(["new-secret"]).verify_access_token(issued_before)  # retired: no longer listed


def test_expired_and_tampered_tokens_are_refused():
    tokens = TokenService(["s3cret"])
    with pytest.raises(Unauthenticated) as expired:
        tokens.verify_access_token(tokens.issue_access_token(7, "ws-1", -LEEWAY_SECONDS - 5))
    assert expired.value.code == "token_expired"
    header, payload, signature = tokens.issue_access_token(7, "ws-1", 60).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "8"
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(Unauthenticated) as tampered:
        tokens.verify_access_token(forged)
    assert tampered.value.code == "invalid_token"
    unsigned = jwt.encode({"sub": "7", "ws": "ws-1", "exp": 2**31}, key="", algorithm="none")
    with pytest.raises(Unauthenticated):
        tokens.verify_access_token(unsigned)


def test_tokens_issued_before_jwts_stay_valid_for_their_lifetime():
    tokens = TokenService(["s3cret"])
    access = legacy_token("s3cret", "swt_", "access-token:", 60)
    assert tokens.verify_access_token(access).user_id == 7
    link = legacy_token("s3cret", "swl_", "login-link:", 60)
    assert tokens.verify_login_link(link).workspace_id == "ws-1"
    with pytest.raises(Unauthenticated) as expired:
        tokens.verify_access_token(legacy_token("s3cret", "swt_", "access-token:", -5))
    assert expired.value.code == "token_expired"
    with pytest.raises(Unauthenticated):
        tokens.verify_access_token(legacy_token("other", "swt_", "access-token:", 60))
    with pytest.raises(Unauthenticated):  # an old access token is no login link
        tokens.verify_login_link("swl_" + access.removeprefix("swt_"))


def test_clocks_a_few_seconds_apart_still_agree():
    """A token issued by a server whose clock runs ahead (iat in the future) verifies on the others."""
    ahead = TokenService(["s3cret"])
    now = int(time.time()) + 10
    token = jwt.encode(
        {"iss": "shopwright", "aud": "shopwright:access", "sub": "7", "ws": "ws-1", "iat": now, "exp": now + 60},
        ahead._keys[0].for_purpose("access"),
        algorithm="HS256",
        headers={"kid": ahead._keys[0].kid},
    )
    assert ahead.verify_access_token(token).user_id == 7


def test_an_expired_access_token_reads_as_it_always_has():
    with pytest.raises(Unauthenticated, match=r"^Access token has expired\.$"):
        TokenService(["s3cret"]).verify_access_token(legacy_token("s3cret", "swt_", "access-token:", -5))

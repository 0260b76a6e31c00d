"""Signed media links: they name the file and expire; an altered, forged, foreign or expired token is refused."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from domain.accounts.tokens import TokenService
from domain.errors import NotFound
from domain.media.models import MediaFile
from domain.media.urls import MediaLinkExpired, MediaUrls


def media_file(**overrides) -> MediaFile:
    values = {
        "id": "8f14e45f-ceea-467e-9d0f-d9b5a3c1e2a7",
        "workspace_id": "ws-1",
        "sha256": "ab" * 32,
        "content_type": "image/png",
        "size_bytes": 10,
        "storage_key": "ws-1/" + "ab" * 32 + ".png",
    }
    values.update(overrides)
    return MediaFile(**values)


def token_of(path: str) -> str:
    assert path.startswith("/media/")
    return path.removeprefix("/media/")


def test_a_signed_link_names_the_file_until_it_expires():
    urls = MediaUrls(["secret-one"], default_ttl_seconds=600)
    before = time.time()
    signed = urls.sign(media_file(), filename="front.png")
    found = urls.verify(token_of(signed.path))
    assert (found.media_id, found.workspace_id, found.storage_key, found.content_type, found.filename) == (
        media_file().id,
        "ws-1",
        media_file().storage_key,
        "image/png",
        "front.png",
    )
    assert found.expires_at == signed.expires_at
    assert before + 599 <= signed.expires_at.timestamp() <= time.time() + 600
    assert 598 <= found.remaining_seconds() <= 600


def test_the_ttl_can_be_chosen_per_link_within_bounds():
    urls = MediaUrls(["s"])
    signed = urls.sign(media_file(), ttl_seconds=30)
    assert signed.expires_at.timestamp() - time.time() <= 30
    assert urls.verify(token_of(signed.path)).filename is None
    for bad in (0, -5, 8 * 24 * 3600):
        with pytest.raises(ValueError):
            urls.sign(media_file(), ttl_seconds=bad)


def test_an_expired_link_is_refused_as_expired():
    urls = MediaUrls(["secret-one"])
    signed = urls.sign(media_file(), ttl_seconds=1)
    time.sleep(1.1)
    with pytest.raises(MediaLinkExpired) as refused:
        urls.verify(token_of(signed.path))
    assert (refused.value.status, refused.value.code) == (403, "link_expired")


def _tamper_claims(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: _tamper_claims(t, key="ws-2/other.png"),  # another file
        lambda t: _tamper_claims(t, exp=int(time.time()) + 10**6),  # a longer life
        lambda t: _tamper_claims(t, ct="text/html"),  # served as a page
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: t.split(".")[0] + ".." + t.split(".")[2],
        lambda t: "not-a-token",
        lambda t: "",
        lambda t: "a" * 5000,
    ],
    ids=["key", "exp", "content-type", "signature", "no-payload", "garbage", "empty", "huge"],
)
def test_an_altered_link_is_not_found(tamper):
    urls = MediaUrls(["secret-one"])
    token = token_of(urls.sign(media_file()).path)
    with pytest.raises(NotFound) as refused:
        urls.verify(tamper(token))
    assert refused.value.message == "This media link is not valid."


def test_links_of_another_secret_or_purpose_and_unsigned_ones_are_not_found():
    mine, theirs = MediaUrls(["secret-one"]), MediaUrls(["secret-two"])
    with pytest.raises(NotFound):
        mine.verify(token_of(theirs.sign(media_file()).path))
    # An access token of the same secret is signed for another purpose: it is no media link.
    access = TokenService(["secret-one"]).issue_access_token(1, "ws-1", 600)
    with pytest.raises(NotFound):
        mine.verify(access)
    claims = {"sub": "x", "ws": "ws-1", "key": "ws-1/x.png", "ct": "image/png", "exp": int(time.time()) + 60}
    unsigned = jwt.encode(claims, key="", algorithm="none")
    with pytest.raises(NotFound):
        mine.verify(unsigned)


def test_links_signed_before_a_rotation_still_verify():
    old = MediaUrls(["old-secret"])
    rotated = MediaUrls(["new-secret", "old-secret"])
    token = token_of(old.sign(media_file()).path)
    assert rotated.verify(token).media_id == media_file().id
    assert MediaUrls(["new-secret"]).sign(media_file()).path != old.sign(media_file()).path
    with pytest.raises(NotFound):
        MediaUrls(["new-secret"]).verify(token)  # once the old secret is dropped


def test_a_download_name_loses_path_parts_and_quotes():
    urls = MediaUrls(["s"])
    signed = urls.sign(media_file(), filename='../../etc/"passwd"\r\n.zip')
    assert urls.verify(token_of(signed.path)).filename == "passwd.zip"


def test_media_urls_need_a_secret():
    with pytest.raises(ValueError):
        MediaUrls([])
    with pytest.raises(ValueError):
        MediaUrls([""])

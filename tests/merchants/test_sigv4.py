"""The SigV4 signer against AWS's published examples (the signature test suite's get-vanilla and post-vanilla,
and the IAM ListUsers example of the signing documentation)."""

from __future__ import annotations

from datetime import datetime

from workers.merchants.sigv4 import authorization, signature

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = datetime(2015, 8, 30, 12, 36, 0)
HEADERS = {"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"}


def _sign(method: str, service: str, headers: dict[str, str], query: str = "") -> str:
    return signature(
        secret_key=SECRET,
        region="us-east-1",
        service=service,
        when=WHEN,
        method=method,
        path="/",
        query=query,
        headers=headers,
        signed=sorted(headers),
        body=b"",
    )


def test_get_vanilla() -> None:
    assert _sign("GET", "service", HEADERS) == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"


def test_post_vanilla() -> None:
    assert _sign("POST", "service", HEADERS) == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"


def test_iam_list_users_example() -> None:
    headers = {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        "host": "iam.amazonaws.com",
        "x-amz-date": "20150830T123600Z",
    }
    found = _sign("GET", "iam", headers, "Action=ListUsers&Version=2010-05-08")
    assert found == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"


def test_authorization_header_names_scope_and_every_header() -> None:
    header = authorization(
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region="us-east-1",
        service="service",
        when=WHEN,
        method="GET",
        path="/",
        query="",
        headers={"X-Amz-Date": "20150830T123600Z", "Host": "example.amazonaws.com"},
        body=b"",
    )
    assert header == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )

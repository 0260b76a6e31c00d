"""Merchant credentials at rest: encrypted with a key derived from the app secret, still readable after a rotation
(the old secret among the previous ones), unreadable without it; the database never holds them in clear."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.merchants.models import MerchantConnection
from domain.merchants.ports import MerchantUnavailable
from domain.merchants.secrets import FernetCipher
from resolvers.context import AppServices
from tests.merchants.conftest import paapi_connection
from tests.merchants.helpers import connect
from tests.support.factories import WorkspaceInfo


def test_round_trip_and_rotation() -> None:
    old = FernetCipher(["old-secret"])
    token = old.encrypt({"secret_key": "s3cr3t"})
    assert "s3cr3t" not in token
    rotated = FernetCipher(["new-secret", "old-secret"])
    assert rotated.decrypt(token) == {"secret_key": "s3cr3t"}
    again = rotated.rotate(token)
    assert FernetCipher(["new-secret"]).decrypt(again) == {"secret_key": "s3cr3t"}
    with pytest.raises(MerchantUnavailable, match="connect the merchant again"):
        FernetCipher(["new-secret"]).decrypt(token)
    with pytest.raises(MerchantUnavailable):
        FernetCipher(["x"]).decrypt("not a token")


async def test_stored_encrypted(services: AppServices, workspace: WorkspaceInfo) -> None:
    conn = paapi_connection()
    await connect(services, workspace, "amazon", conn["adapter"], conn["settings"], conn["credentials"])
    async with services.read() as session:
        row = (await session.execute(select(MerchantConnection))).scalar_one()
    assert row.credentials is not None and conn["credentials"]["secret_key"] not in row.credentials
    assert services.providers.merchants is not None
    assert services.providers.merchants.cipher.decrypt(row.credentials) == conn["credentials"]

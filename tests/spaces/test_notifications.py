"""Posting emails every other member of the space who opted in, through the loopback SMTP server
(``tests.support.smtp``), by the ``mail.send`` job: one mail each, with the title, prices, notification price and
image. A slow or absent mail server never changes the post's answer. (The job's retries and its record of a
failure are the mail tests'.)"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from domain.mail.models import EmailNotification
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import AppPool
from tests.spaces.helpers import SAMPLE, Shop, counts, post, sample
from tests.support.smtp import SmtpServer, mail_settings, mail_test_registry


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], smtp: SmtpServer) -> Settings:
    return settings_factory(**mail_settings(smtp))


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[Starlette]:
    async with app_pool.use(settings, mail_test_registry) as application:
        yield application


async def notifications(services: AppServices, workspace_id: str) -> list[EmailNotification]:
    async with services.read() as session:
        rows = await session.scalars(
            select(EmailNotification)
            .where(EmailNotification.workspace_id == workspace_id)
            .order_by(EmailNotification.to_address)
        )
        return list(rows)


async def test_each_other_opted_in_member_gets_exactly_one_mail(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    response = await post(client, shop, shop.alice, SAMPLE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert "emailConfigMissing" not in body
    # bob and vera opted in; alice posted (and did not opt in); the owner did not opt in; carol is not a member.
    received = await smtp.wait_for(2)
    assert sorted(r for m in received for r in m.rcpt_tos) == sorted([shop.emails["bob"], shop.emails["vera"]])
    for message in received:
        text, html = message.part("text/plain"), message.part("text/html")
        assert "Samsung - F90BN Camcorder" in message.message["Subject"]
        for part in (text, html):
            assert "699.99" in part
            assert "596.89" in part
            assert "$596.00" in part
            assert "http://mystore.example.com/images/?source=Samsung_F90BN.jpg" in part
        assert "Notification price: $596.00" in text
        assert '<img src="http://mystore.example.com/images/?source=Samsung_F90BN.jpg"' in html
        assert SAMPLE["productUrl"] in text
    rows = await notifications(services, shop.ws.workspace_id)
    assert {(r.to_address, r.kind, r.reference) for r in rows} == {
        (shop.emails["bob"], "space.product_post", body["contentId"]),
        (shop.emails["vera"], "space.product_post", body["contentId"]),
    }


async def test_the_poster_is_never_notified_and_an_absent_price_is_blank(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    response = await post(client, shop, shop.bob, sample(notificationProductPrice=..., productImageUrl=""))
    assert response.status_code == 201, response.text
    received = await smtp.wait_for(1)
    assert [m.rcpt_tos for m in received] == [(shop.emails["vera"],)]
    text = received[0].part("text/plain")
    assert "\nNotification price: \n" in text
    assert "\nImage: \n" in text
    assert "<img" not in received[0].part("text/html")


async def test_member_supplied_text_is_escaped_in_the_html(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    title = '<script>alert("x")</script> Camcorder'
    response = await post(client, shop, shop.alice, sample(productTitle=title))
    assert response.status_code == 201
    received = await smtp.wait_for(2)
    html = received[0].part("text/html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


async def test_a_refused_post_sends_no_mail(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    refused = [
        sample(productCurrencyCode="US"),
        sample(notificationProductPrice="x"),
        sample(productImageUrl="https://elsewhere.example.org/a.jpg"),
    ]
    for body in refused:
        assert (await post(client, shop, shop.alice, body)).status_code == 400
    assert (await post(client, shop, shop.carol, SAMPLE)).status_code == 403
    assert await counts(services, shop.ws.workspace_id) == (0, 0, 0)
    # A post that goes through afterwards is the first mail the server sees.
    assert (await post(client, shop, shop.alice, SAMPLE)).status_code == 201
    assert len(await smtp.wait_for(2)) == 2


async def test_with_the_mail_server_down_the_post_still_succeeds(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    smtp.down()
    response = await post(client, shop, shop.alice, SAMPLE)
    assert response.status_code == 201, response.text
    assert "emailConfigMissing" not in response.json()
    rows = await notifications(services, shop.ws.workspace_id)
    assert [r.to_address for r in rows] == sorted([shop.emails["bob"], shop.emails["vera"]])
    assert all(r.job_id is not None for r in rows)
    assert smtp.received() == []


async def test_an_uploaded_image_is_mailed_as_a_fresh_link_that_serves_it(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    from tests.spaces.test_media_upload import png, upload

    data = png((10, 120, 200))
    uploaded = (await upload(client, shop, shop.alice, data)).json()
    response = await post(client, shop, shop.alice, sample(productImageUrl=uploaded["mediaUrl"]))
    assert response.status_code == 201, response.text
    received = await smtp.wait_for(2)
    text = received[0].part("text/plain")
    link = next(line.removeprefix("Image: ") for line in text.splitlines() if line.startswith("Image: "))
    assert link.startswith("http://testserver/media/")
    assert link != uploaded["mediaUrl"]  # signed afresh, for a week
    served = await client.get(link)
    assert served.status_code == 200
    assert served.content == data


async def test_a_member_whose_address_the_mailer_refuses_does_not_stop_the_post(
    client: httpx.AsyncClient, services: AppServices, shop: Shop, smtp: SmtpServer
) -> None:
    from sqlalchemy import update

    from domain.accounts.models import User

    async with services.unit_of_work() as uow:  # an address written before addresses were checked
        await uow.session.execute(update(User).where(User.email == shop.emails["bob"]).values(email="bob at home"))
    response = await post(client, shop, shop.alice, SAMPLE)
    assert response.status_code == 201, response.text
    received = await smtp.wait_for(1)
    assert [m.rcpt_tos for m in received] == [(shop.emails["vera"],)]
    assert [r.to_address for r in await notifications(services, shop.ws.workspace_id)] == [shop.emails["vera"]]

"""The SMTP adapter against real servers on loopback: STARTTLS and implicit TLS with certificate checks, timeouts,
refused connections, and the settings that configure (or refuse to configure) it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from domain.ai.ports import ProviderSet
from domain.mail.jobs import MAX_BACKOFF_SECONDS, backoff_seconds
from domain.mail.ports import EmailMessage, MailError
from domain.mail.service import mail_configured
from shopwright.runtime import build_mailer
from shopwright.settings import Settings
from tests.conftest import make_test_registry
from tests.support.smtp import Certificate, SmtpServer, free_port, self_signed, silent_server
from workers.mail.smtp import SmtpMailer, compose

SENDER = "Shop <noreply@shop.example>"
MESSAGE = EmailMessage(to="member@example.com", subject="Hello", text="Plain words", html="<p>Plain words</p>")

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command makes the cert")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture(scope="module")
def starttls_server(certificate: Certificate) -> Iterator[SmtpServer]:
    server = SmtpServer(tls_context=certificate.server_context(), require_starttls=True)
    server.up()
    yield server
    server.down()


@pytest.fixture(scope="module")
def implicit_tls_server(certificate: Certificate) -> Iterator[SmtpServer]:
    server = SmtpServer(ssl_context=certificate.server_context())
    server.up()
    yield server
    server.down()


@needs_openssl
async def test_starttls_delivers_over_an_encrypted_connection(starttls_server, certificate):
    starttls_server.reset()
    mailer = SmtpMailer(
        host="127.0.0.1", port=starttls_server.port, sender=SENDER, tls="starttls", ca_file=certificate.cert
    )
    await mailer.send(MESSAGE)
    [received] = starttls_server.received()
    assert received.tls
    assert received.part("text/plain").strip() == "Plain words"


@needs_openssl
async def test_implicit_tls_delivers(implicit_tls_server, certificate):
    implicit_tls_server.reset()
    mailer = SmtpMailer(
        host="127.0.0.1", port=implicit_tls_server.port, sender=SENDER, tls="tls", ca_file=certificate.cert
    )
    await mailer.send(MESSAGE)
    [received] = implicit_tls_server.received()
    assert received.tls


@needs_openssl
async def test_an_untrusted_certificate_is_refused_for_good(starttls_server):
    starttls_server.reset()
    mailer = SmtpMailer(host="127.0.0.1", port=starttls_server.port, sender=SENDER, tls="starttls")
    with pytest.raises(MailError) as caught:
        await mailer.send(MESSAGE)
    assert not caught.value.transient
    assert "TLS with the mail server failed" in caught.value.message
    assert starttls_server.received() == []


@needs_openssl
async def test_plain_smtp_to_a_server_that_requires_starttls_is_refused_for_good(starttls_server):
    starttls_server.reset()
    mailer = SmtpMailer(host="127.0.0.1", port=starttls_server.port, sender=SENDER, tls="none")
    with pytest.raises(MailError) as caught:
        await mailer.send(MESSAGE)
    assert (caught.value.transient, caught.value.code) == (False, 530)
    assert starttls_server.received() == []


async def test_a_server_without_starttls_is_refused_for_good_when_starttls_is_required(smtp):
    mailer = SmtpMailer(host=smtp.host, port=smtp.port, sender=SENDER, tls="starttls")
    with pytest.raises(MailError) as caught:
        await mailer.send(MESSAGE)
    assert not caught.value.transient
    assert caught.value.message == (
        "The mail server cannot be used with these settings: SMTP STARTTLS extension not supported by server."
    )
    assert smtp.received() == []


async def test_a_server_that_never_answers_times_out_transiently():
    async with silent_server() as (host, port):
        mailer = SmtpMailer(host=host, port=port, sender=SENDER, tls="none", timeout_seconds=0.3)
        with pytest.raises(MailError) as caught:
            await mailer.send(MESSAGE)
    assert caught.value.transient
    assert caught.value.message.startswith("The mail server timed out")


async def test_a_refused_connection_is_transient():
    mailer = SmtpMailer(host="127.0.0.1", port=free_port(), sender=SENDER, tls="none", timeout_seconds=2)
    with pytest.raises(MailError) as caught:
        await mailer.send(MESSAGE)
    assert caught.value.transient
    assert caught.value.message.startswith("Could not reach the mail server")


def test_compose_lets_headers_replace_but_not_duplicate():
    mime = compose(
        EmailMessage(to="a@b.example", subject="S", text="t", headers={"Subject": "Other", "X-Kind": "post"}),
        SENDER,
    )
    assert mime.get_all("Subject") == ["Other"]
    assert mime["X-Kind"] == "post"
    assert mime.get_content_type() == "text/plain"


def test_mail_is_configured_only_with_host_and_sender(tmp_path):
    assert build_mailer(Settings(data_dir=tmp_path)) is None
    assert not mail_configured(ProviderSet())
    assert not mail_configured(None)
    mailer = build_mailer(Settings(data_dir=tmp_path, smtp_host="smtp.example", smtp_from=SENDER))
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.port, mailer.tls, mailer.timeout_seconds, mailer.retry_backoff_seconds) == (
        587,
        "starttls",
        30.0,
        10.0,
    )
    assert mail_configured(ProviderSet(mail=mailer))
    with pytest.raises(ValueError, match="both SHOPWRIGHT_SMTP_HOST and SHOPWRIGHT_SMTP_FROM"):
        build_mailer(Settings(data_dir=tmp_path, smtp_host="smtp.example"))
    with pytest.raises(ValueError, match="both"):
        build_mailer(Settings(data_dir=tmp_path, smtp_from=SENDER))
    with pytest.raises(ValueError, match="not an email address"):
        build_mailer(Settings(data_dir=tmp_path, smtp_host="smtp.example", smtp_from="nobody"))
    with pytest.raises(ValueError, match="without SHOPWRIGHT_SMTP_USERNAME"):
        build_mailer(Settings(data_dir=tmp_path, smtp_host="h", smtp_from=SENDER, smtp_password="p"))


async def test_an_app_without_smtp_settings_has_no_mailer(settings_factory, app_pool):
    async with app_pool.use(settings_factory(), make_test_registry) as app:
        assert not mail_configured(app.state.services.providers)


def test_backoff_doubles_from_the_second_attempt_and_is_capped():
    assert [backoff_seconds(10, a) for a in (1, 2, 3, 4, 5)] == [0, 10, 20, 40, 80]
    assert backoff_seconds(10, 9) == MAX_BACKOFF_SECONDS == 120
    assert backoff_seconds(0, 4) == 0

"""Where a callback goes: the host is resolved once per attempt, the addresses are checked, and the request is
sent to a checked address with the URL's host in Host and in TLS (SNI and certificate verification), so no
second lookup can move it (DNS rebinding). Private and loopback addresses are refused unless allowed."""

from __future__ import annotations

import contextlib
import shutil
import ssl
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from domain.db import NullDispatcher
from domain.jobs.callbacks import is_private_address
from domain.jobs.repository import JobsRepository
from domain.jobs.service import JobService
from tests.support import jobkinds
from tests.support.callbacks import receiving, signed_bodies
from workers.runtime import CallbackPolicy
from workers.webhooks import CallbackSender


class Resolver:
    """A DNS stand-in: every name resolves to ``addresses``; remembers each question."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = list(addresses)
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.addresses


def policy(*, allow_private: bool) -> CallbackPolicy:
    return CallbackPolicy(allow_private=allow_private, max_attempts=1, backoff_seconds=0.01, timeout_seconds=5)


async def _queued_delivery(services, workspace, url: str) -> int:
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={}, callback_url=url)
    async with services.read() as session:
        (delivery,) = await JobsRepository(session).deliveries_for_job(job.id)
    return delivery.id


async def _attempts(services, delivery_id: int):
    async with services.read() as session:
        return await JobsRepository(session).attempts_for([delivery_id])


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


@pytest.mark.parametrize(
    "address",
    [
        *("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"),
        *("224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"),
    ],
)
def test_private_loopback_and_reserved_addresses_are_not_callback_targets(address):
    assert is_private_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_global_addresses_are_callback_targets(address):
    assert not is_private_address(address)


async def test_request_goes_to_the_address_that_was_checked(services, workspace):
    """hooks.test exists in no DNS: the request can only have reached the receiver through the address the
    sender's one lookup gave, while the receiver still sees the URL's host."""
    resolver = Resolver("127.0.0.1")
    async with receiving() as receiver:
        port = _port(receiver.url)
        delivery = await _queued_delivery(services, workspace, f"http://hooks.test:{port}/hook")
        sender = CallbackSender(services.db, policy(allow_private=True), resolver=resolver)
        assert await sender.deliver(delivery) == "delivered"
    assert resolver.asked == [("hooks.test", port)]
    ((headers, _),) = receiver.requests
    assert headers["host"] == f"hooks.test:{port}"
    assert [b["status"] for b in await signed_bodies(services, workspace, receiver)] == ["queued"]


async def test_a_name_resolving_to_loopback_is_delivered_when_private_targets_are_allowed(services, workspace):
    async with receiving() as receiver:
        port = _port(receiver.url)
        delivery = await _queued_delivery(services, workspace, f"http://localhost:{port}/hook")
        assert await CallbackSender(services.db, policy(allow_private=True)).deliver(delivery) == "delivered"
    ((headers, _),) = receiver.requests
    assert headers["host"] == f"localhost:{port}"


@pytest.mark.parametrize("answer", [("127.0.0.1",), ("10.0.0.7",), ("93.184.216.34", "127.0.0.1")])
async def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
    services, workspace, answer, monkeypatch
):
    async def no_connection(*args, **kwargs):
        raise AssertionError("a refused callback must not connect anywhere")

    monkeypatch.setattr(httpx.AsyncClient, "send", no_connection)
    resolver = Resolver(*answer)
    async with receiving() as receiver:
        delivery = await _queued_delivery(services, workspace, f"http://hooks.test:{_port(receiver.url)}/hook")
        sender = CallbackSender(services.db, policy(allow_private=False), resolver=resolver)
        assert await sender.deliver(delivery) == "failed"
    assert receiver.requests == [] and len(resolver.asked) == 1
    ((attempt,),) = [await _attempts(services, delivery)]
    assert attempt.status_code is None
    assert attempt.error.startswith("Refused: hooks.test resolves to the private or loopback address")


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a certificate it signed for hooks.test (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    where = tmp_path_factory.mktemp("tls")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=where, check=True, capture_output=True)

    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA")
    openssl("req", *ec, "-keyout", "hook.key", "-out", "hook.csr", "-subj", "/CN=hooks.test")
    (where / "san.cnf").write_text("subjectAltName=DNS:hooks.test\n")
    openssl(
        "x509", "-req", "-in", "hook.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "san.cnf", "-out", "hook.pem",
    )  # fmt: skip
    return where


async def test_https_names_the_host_in_tls_while_connecting_to_the_checked_address(services, workspace, certificates):
    trusted = ssl.create_default_context(cafile=str(certificates / "ca.pem"))
    tls = {"ssl_certfile": str(certificates / "hook.pem"), "ssl_keyfile": str(certificates / "hook.key")}
    async with contextlib.AsyncExitStack() as stack:
        receiver = await stack.enter_async_context(receiving(0, **tls))
        port = _port(receiver.url)
        good = await _queued_delivery(services, workspace, f"https://hooks.test:{port}/hook")
        wrong_name = await _queued_delivery(services, workspace, f"https://other.test:{port}/hook")
        sender = CallbackSender(services.db, policy(allow_private=True), resolver=Resolver("127.0.0.1"), verify=trusted)
        assert await sender.deliver(good) == "delivered"
        assert await sender.deliver(wrong_name) == "failed"  # the certificate is for hooks.test only
    ((headers, _),) = receiver.requests
    assert headers["host"] == f"hooks.test:{port}"
    ((attempt,),) = [await _attempts(services, wrong_name)]
    assert attempt.status_code is None and "CERTIFICATE_VERIFY_FAILED" in (attempt.error or "")

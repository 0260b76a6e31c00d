"""Mail jobs through RQ: a separate `shopwright worker` process builds the mailer from the same settings and
delivers; the backoff between attempts shows in the job's progress. The RQ test needs SHOPWRIGHT_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import uuid

from tests.mail.helpers import finished, load_notification, queue_mail
from tests.support.factories import make_workspace
from tests.support.jobs import events_of, start_worker, worker_env
from tests.support.smtp import mail_settings, mail_test_registry


async def test_an_rq_worker_sends_the_mail(settings_factory, app_pool, smtp, redis_url):
    settings = settings_factory(
        **mail_settings(smtp), redis_url=redis_url, rq_queue=f"shopwright-test-{uuid.uuid4().hex[:8]}"
    )
    async with app_pool.use(settings, mail_test_registry) as app:
        services = app.state.services
        workspace = await make_workspace(services)
        queued = await queue_mail(services, workspace.workspace_id)
        env = worker_env(
            {
                "SHOPWRIGHT_DATABASE_URL": str(settings.database_url),
                "SHOPWRIGHT_REDIS_URL": redis_url,
                "SHOPWRIGHT_RQ_QUEUE": settings.rq_queue,
                "SHOPWRIGHT_SECRET_KEY": str(settings.secret_key),
                "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
                "SHOPWRIGHT_SMTP_HOST": smtp.host,
                "SHOPWRIGHT_SMTP_PORT": str(smtp.port),
                "SHOPWRIGHT_SMTP_TLS": "none",
                "SHOPWRIGHT_SMTP_FROM": "Shopwright <noreply@shop.example>",
            }
        )
        process = start_worker(env, burst=True)
        out, _ = await asyncio.to_thread(process.communicate, timeout=120)
        assert process.returncode == 0, out.decode()
        job = await finished(services, queued)
        assert job.status == "completed", (job.error_message, out.decode())
        [received] = smtp.received()
        assert received.rcpt_tos == ("member@example.com",)
        row = await load_notification(services, queued.id)
        assert (row.status, row.attempts) == ("sent", 1)


async def test_each_retry_waits_the_doubling_backoff(settings_factory, app_pool, smtp):
    smtp.fail_next(2, "421 4.7.0 Too many connections, slow down")
    settings = settings_factory(**mail_settings(smtp, smtp_retry_backoff_seconds=0.1))
    async with app_pool.use(settings, mail_test_registry) as app:
        services = app.state.services
        workspace = await make_workspace(services)
        queued = await queue_mail(services, workspace.workspace_id)
        job = await finished(services, queued)
        assert (job.status, job.attempts) == ("completed", 3)
        waits = [e.message for e in await events_of(services, job.id) if e.message and e.message.startswith("Wait")]
        last = "(The mail server answered 421 4.7.0 Too many connections, slow down)"
        assert waits == [f"Waiting 0.1 s before attempt 2 {last}", f"Waiting 0.2 s before attempt 3 {last}"]

"""Content generation against the local OpenAI-compatible test server with a fixed latency.

Two measurements, side by side in one run, both against the same server:

- ``provider``: the OpenAI provider alone — one structured call per product, all submitted at once; the
  provider's concurrency limit is the only thing pacing them;
- ``pipeline``: the real thing — a content-generation job submitted through
  ``POST /brandbrain/content-generation/jobs`` (the document's example configuration, one product per
  group), run by the in-process job runner on an SQLite database, until the job completes.

For each: wall time, the ideal time (LLM calls / concurrency * latency: what a perfectly packed schedule
of those calls would take), their ratio (1.00 is perfect; the pipeline's extra is its own work: prompts,
guardrails, progress events, database writes), and LLM calls and tokens per product.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from domain.ai.ports import Usage
from tests.support.fake_openai import FakeOpenAI, fake_openai_in_thread
from workers.ai.openai_provider import OpenAITextProvider, RetryPolicy

CONTENT_TYPES = ["title", "bullets", "desc"]

CONTENT_CONFIG: dict[str, Any] = {
    "word_map": {" - ": ", ", "Not Applicable": ""},
    "tone": {"GENERIC": {"Our product is capable of many things": "Explore the endless potential of our product."}},
    "client": {
        "prompt_attributes": ["Long Product Name", "Brand", "Colour"],
        "forbidden_words": ["shopper barrier", "shopping barrier"],
        "content_type_family_map": {"title": "title", "bullets": "bullets", "desc": "string"},
        "field_map": {"brand": "Brand", "long_product_name": "Long Product Name"},
        "validation_entities": ["PRODUCT_NAME", "SIZE"],
        "false_words_entity_map": {"COLOR": "Colour", "SIZE": "Size"},
        "variant_data_fields": ["Colour"],
        "style_guide_content_types": ["bullets", "desc"],
        "tone_content_types": ["bullets", "desc"],
        "skip_content_types": ["howtouse"],
    },
    "style_guide": {"tone_of_voice": "Informal but professional", "writing_style": "Simple and concise"},
    "content_types": {
        "title": {
            "task": "Write an e-commerce sales title for the product.",
            "character_limit": 100,
            "restrictions": ["* Never use ALL CAPS in your product titles."],
            "additions": {"title": "{{attr.brand}}, {{title}}"},
            "keyword_groups": {"must": ["title"], "omit": ["avoid"]},
        },
        "bullets": {
            "task": "I want 5 bullet points explaining the highlights of the product.",
            "character_limit": 250,
            "guidelines_shortener": ["Always finish a bullet point with a full stop."],
            "additions": {"bullets_1": "Highlights: {{bullets_1}}"},
            "keyword_groups": {"must": ["generic"], "verbatim_must_claims": ["bullets_must_claims"]},
        },
        "desc": {
            "task": "Write a long description of the product. Use about 200 words.",
            "character_limit": 1000,
            "guidelines_shortener": ["Always ensure grammar is correct."],
            "additions": {"desc": "{{desc}}\nThanks, from the team at {{attr.brand}}!"},
            "keyword_groups": {"omit": ["avoid"], "verbatim_must_claims": ["desc_must_claims"]},
        },
    },
}

COLOURS = ["Black", "White", "Red", "Blue", "Green", "Silver", "Gold", "Grey"]
KINDS = ["Gadget", "Speaker", "Lamp", "Charger", "Headset", "Keyboard", "Camera", "Watch"]


def make_product(i: int) -> dict[str, Any]:
    kind = KINDS[i % len(KINDS)]
    colour = COLOURS[(i // len(KINDS)) % len(COLOURS)]
    name = f"QuantumTech {kind} {100 + i}"
    return {
        "product_id": f"{1234567890000 + i}",
        "product_name": name,
        "product_description": f"A {colour.lower()} {kind.lower()} designed for modern needs, model {100 + i}.",
        "brand": "QuantumTech",
        "market": "uk",
        "language": "en",
        "variant_group_id": f"G{i:06d}",
        "keywords": {
            "generic": ["tech", kind.lower()],
            "title": ["Quantum", kind],
            "avoid": ["obsolete"],
            "desc_must_claims": ["Designed in the UK"],
            "bullets_must_claims": ["'Claim': Two-year warranty*, 'Disclaimer': *Terms apply."],
        },
        "reviews": [{"review_id": f"R{i}", "review_text": f"My {kind.lower()} exceeded my expectations!", "cust": "c"}],
        "attributes": [
            {"name": "long_product_name", "value": f"{name} in {colour}"},
            {"name": "brand", "value": "QuantumTech"},
            {"name": "colour", "value": colour},
        ],
    }


def generation_request(products: int) -> dict[str, Any]:
    return {
        "skip_grouping": True,
        "products": [make_product(i) for i in range(products)],
        "content_generation_params": {
            "market": "uk",
            "channel": "TechStore",
            "language": "en",
            "content_types": list(CONTENT_TYPES),
            "content_config": copy.deepcopy(CONTENT_CONFIG),
        },
    }


@dataclass
class Measurement:
    name: str
    products: int
    wall_seconds: float
    calls: int
    concurrency: int
    latency: float
    usage: Usage
    note: str = ""

    @property
    def ideal_seconds(self) -> float:
        return self.calls / self.concurrency * self.latency

    @property
    def ratio(self) -> float:
        return self.wall_seconds / self.ideal_seconds if self.ideal_seconds else float("nan")


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "bullets": {"type": "array", "items": {"type": "string"}, "minItems": 5, "maxItems": 5},
        "desc": {"type": "string"},
    },
    "required": ["title", "bullets", "desc"],
    "additionalProperties": False,
}


async def bench_provider(fake: FakeOpenAI, *, products: int, concurrency: int) -> Measurement:
    """One structured call per product through the provider alone."""
    fake.reset()
    fake.latency = LATENCY
    provider = OpenAITextProvider(
        api_key="bench", base_url=fake.base_url, concurrency=concurrency, retry=RetryPolicy(backoff_seconds=0.01)
    )
    try:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                provider.generate_json(
                    system="You write product content.",
                    user=str(make_product(i)),
                    schema=SCHEMA,
                    schema_name="product_content",
                )
                for i in range(products)
            )
        )
        wall = time.perf_counter() - started
    finally:
        await provider.close()
    usage = sum((r.usage for r in results), Usage())
    return Measurement("provider alone", products, wall, fake.calls, concurrency, LATENCY, usage)


async def bench_pipeline(fake: FakeOpenAI, *, products: int, concurrency: int) -> Measurement:
    """A whole content-generation job through the REST surface and the in-process runner."""
    from domain.jobs.repository import JobsRepository
    from shopwright.app import build_app
    from shopwright.migrate import upgrade
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace

    fake.reset()
    fake.latency = LATENCY
    with tempfile.TemporaryDirectory(prefix="shopwright-bench-", dir=BENCH_DIR) as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            database_url=url,
            data_dir=Path(tmp),
            secret_key="benchmark",
            redis_url=None,
            ai_provider="openai",
            openai_base_url=fake.base_url,
            openai_api_key="bench",
            llm_concurrency=concurrency,
            llm_backoff_seconds=0.01,
            max_body_bytes=16 * 1024 * 1024,
        )
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            services = app.state.services
            workspace = await make_workspace(services, name="Benchmark")
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                body = generation_request(products)
                started = time.perf_counter()
                response = await client.post(
                    "/brandbrain/content-generation/jobs", json=body, headers={"x-api-key": workspace.api_key}
                )
                if response.status_code >= 300:
                    raise RuntimeError(f"submit failed: {response.status_code} {response.text[:300]}")
                job_id = response.json()["job_id"]
                while True:
                    async with services.read() as session:
                        job = await JobsRepository(session).get(job_id)
                    if job is not None and job.is_terminal:
                        break
                    await asyncio.sleep(0.02)
                wall = time.perf_counter() - started
                if job.status != "completed":
                    raise RuntimeError(f"job {job.status}: {job.error_code} {job.error_message}")
                result = (await client.get(
                    f"/brandbrain/content-generation/jobs/{job_id}/result", headers={"x-api-key": workspace.api_key}
                )).json()  # fmt: skip
        codes = Counter(w.get("code") for entry in result.values() for w in entry.get("warnings", []))
        warnings = ", ".join(f"{code} {n}" for code, n in codes.most_common()) or "none"
        return Measurement(
            "pipeline (job)",
            products,
            wall,
            fake.calls,
            concurrency,
            LATENCY,
            Usage(job.prompt_tokens, job.completion_tokens),
            note=f"{len(result)} results; warnings: {warnings}",
        )


def pipeline_available() -> bool:
    try:
        import domain.content.pipeline  # noqa: F401
        import resolvers.rest.content  # noqa: F401
    except ImportError:
        return False
    return True


LATENCY = 0.2
FAILURES: list[str] = []
BENCH_DIR: str | None = None


def report(rows: list[Measurement]) -> str:
    head = (
        f"{'':<16}{'calls':>7}{'wall s':>9}{'ideal s':>9}{'ratio':>7}{'calls/prod':>12}"
        f"{'tokens/prod':>13}{'(prompt+compl.)':>18}"
    )
    lines = [head]
    for m in rows:
        per = m.usage.total_tokens / m.products
        split = f"({m.usage.prompt_tokens / m.products:.0f}+{m.usage.completion_tokens / m.products:.0f})"
        lines.append(
            f"{m.name:<16}{m.calls:>7}{m.wall_seconds:>9.2f}{m.ideal_seconds:>9.2f}{m.ratio:>7.2f}"
            f"{m.calls / m.products:>12.2f}{per:>13.0f}{split:>18}" + (f"   {m.note}" if m.note else "")
        )
    return "\n".join(lines)


async def run(products: int, concurrency: int, only: str | None) -> list[Measurement]:
    rows: list[Measurement] = []
    with fake_openai_in_thread() as fake:
        if only in (None, "provider"):
            rows.append(await bench_provider(fake, products=products, concurrency=concurrency))
        if only in (None, "pipeline"):
            if pipeline_available():
                try:
                    rows.append(await bench_pipeline(fake, products=products, concurrency=concurrency))
                except RuntimeError as exc:
                    FAILURES.append(f"pipeline (job) did not complete: {exc}")
            else:
                print("(the content pipeline is not available: provider alone only)")
    return rows


def main(argv: list[str] | None = None) -> int:
    global LATENCY
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="the provider's concurrency (SHOPWRIGHT_LLM_CONCURRENCY)"
    )
    parser.add_argument("--latency", type=float, default=0.2, help="the test server's fixed latency, seconds")
    parser.add_argument("--only", choices=["provider", "pipeline"], default=None)
    args = parser.parse_args(argv)
    LATENCY = args.latency
    print(
        f"content generation: {args.products} products, OpenAI-compatible test server on loopback with "
        f"{args.latency * 1000:.0f} ms latency, provider concurrency {args.concurrency}"
    )
    rows = asyncio.run(run(args.products, args.concurrency, args.only))
    print(report(rows))
    print("ideal = LLM calls / concurrency x latency; ratio = wall / ideal (1.00 = perfectly packed calls)")
    for failure in FAILURES:
        print(failure)
    return 1 if FAILURES else 0

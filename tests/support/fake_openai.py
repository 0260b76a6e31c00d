"""A small OpenAI-compatible server for tests and benchmarks, run on loopback with uvicorn.

It serves ``POST /v1/chat/completions`` (and ``/chat/completions``) like the real API: with a
``response_format`` JSON schema it answers a JSON object that matches the schema, written from the words of
the user message (deterministic for a given request), with a plausible ``usage``. ``POST /v1/images/edits``
(multipart, like the SDK sends it) and ``/v1/images/generations`` answer a real PNG as ``b64_json``: a scene
gradient drawn with Pillow at the requested size, its colours chosen by the prompt. Image requests are
recorded like chat ones (``body``: the form fields or JSON; ``files``: the uploaded images). Everything the
tests need to make it misbehave is on the ``FakeOpenAI`` object the ``fake_openai`` fixture yields (for the
image endpoints, a ``Reply(content=...)`` is sent as the ``b64_json`` as it is):

- ``latency``: seconds every answer waits (the benchmark uses 0.2);
- ``script(*answers)``: the next answers, in order — a dict (the JSON content), a ``Reply`` (status,
  raw content, headers), or a callable ``(request) -> dict | Reply | None``;
- ``handler``: a callable consulted for every request once the script is used up (None = default answer);
- ``fail(status, times, retry_after=None)``: the next ``times`` requests fail with ``status``;
- ``always(status)``: every request fails with ``status`` until ``reset()``;
- ``malformed(times)``: the next answers' content is not JSON;
- ``break_rules(...)``: the default answer, made to break content rules (too long, forbidden words,
  claims removed, wrong entities) — see ``RuleBreaker``;
- ``requests``: every request received (``RecordedRequest``: body, system, user, schema, model), and
  ``max_in_flight``: the most requests it was serving at the same time.

A chat message may carry content parts, as vision requests send them: its text parts are the message's text
(``user``), its ``image_url`` parts the request's ``images`` (a URL that is neither ``data:image/...`` nor http(s)
is a 400, as the real API answers).

``fake_openai.settings()`` gives the Settings overrides that point the app at it.
"""

from __future__ import annotations

import asyncio
import base64
import email.parser
import email.policy
import hashlib
import io
import json
import re
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.serving import loopback_server, serving

__all__ = [
    "FakeOpenAI",
    "RecordedRequest",
    "Reply",
    "RuleBreaker",
    "fake_openai",
    "fake_openai_in_thread",
    "running_fake_openai",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
_STOP = frozenset(
    """the and for with that this from your you are was were will have has had not but all any can its our
    their them they into about which when what who how use used using must should would could may might than
    then there these those also only such each other more most some very just like been being does did done
    json schema object string array write return field fields content type types product products""".split()
)


@dataclass
class Reply:
    """One scripted answer. ``data`` becomes the message content as JSON; ``content`` is sent as it is."""

    data: dict[str, Any] | None = None
    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float | None = None
    usage: tuple[int, int] | None = None


@dataclass
class RecordedRequest:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    received_at: float
    files: dict[str, bytes] = field(default_factory=dict)  # an image request's uploads, by form field

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    def _message(self, role: str) -> str:
        return "\n".join(_text_of(m.get("content", "")) for m in self.body.get("messages", []) if m.get("role") == role)

    @property
    def images(self) -> list[str]:
        """The image URLs (data URLs) a vision request's user message carried as ``image_url`` content parts."""
        return [
            str((part.get("image_url") or {}).get("url", ""))
            for m in self.body.get("messages", [])
            if isinstance(m.get("content"), list)
            for part in m["content"]
            if isinstance(part, dict) and part.get("type") == "image_url"
        ]

    @property
    def system(self) -> str:
        return self._message("system")

    @property
    def user(self) -> str:
        return self._message("user")

    @property
    def prompt(self) -> str:
        return f"{self.system}\n{self.user}"

    @property
    def schema(self) -> dict[str, Any] | None:
        fmt = self.body.get("response_format") or {}
        if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":  # images ask for "b64_json"
            return None
        schema: dict[str, Any] | None = (fmt.get("json_schema") or {}).get("schema")
        return schema

    @property
    def schema_name(self) -> str | None:
        fmt = self.body.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name") if isinstance(fmt, dict) else None
        return str(name) if name else None


def _text_of(content: Any) -> str:
    """A message's text: a plain string, or the text parts of a content-part list (images are left out)."""
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return str(content)


Answer = dict[str, Any] | Reply | Callable[[RecordedRequest], "dict[str, Any] | Reply | None"]


# --- default answers: a JSON object that matches the schema, written from the prompt's words ------------


class _Writer:
    def __init__(self, request: RecordedRequest) -> None:
        words = [w for w in _WORD.findall(request.user) if w.lower() not in _STOP]
        self.words = words or ["Practical", "everyday", "design"]
        self.seed = int(hashlib.sha256(request.user.encode()).hexdigest()[:8], 16)
        self.root = request.schema or {}

    def words_from(self, start: int, count: int) -> list[str]:
        n = len(self.words)
        return [self.words[(start + i) % n] for i in range(count)]

    def sentence(self, key: str, count: int) -> str:
        start = (self.seed + sum(map(ord, key)) * 7) % len(self.words)
        text = " ".join(self.words_from(start, count))
        return text[:1].upper() + text[1:] + "."

    def text(self, key: str, schema: dict[str, Any]) -> str:
        lowered = key.lower()
        if "title" in lowered or "name" in lowered:
            out = self.sentence(key, 7).rstrip(".")
        elif "desc" in lowered or "summary" in lowered or "body" in lowered:
            out = " ".join(self.sentence(f"{key}{i}", 9 + i % 4) for i in range(5))
        else:
            out = self.sentence(key, 12)
        limit = schema.get("maxLength")
        if isinstance(limit, int) and len(out) > limit:
            out = out[:limit].rsplit(" ", 1)[0] if " " in out[:limit] else out[:limit]
        return out

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            node: Any = self.root
            for part in ref[2:].split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            return self.resolve(node) if isinstance(node, dict) else {}
        return schema

    def value(self, schema: dict[str, Any], key: str) -> Any:
        schema = self.resolve(schema)
        for combinator in ("anyOf", "oneOf", "allOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options:
                usable = [o for o in options if self.resolve(o).get("type") != "null"] or options
                return self.value(usable[0], key)
        if schema.get("enum"):
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object":
            props: dict[str, Any] = schema.get("properties", {})
            return {name: self.value(sub, name) for name, sub in props.items()}
        if kind == "array":
            items = schema.get("items", {"type": "string"})
            count = max(int(schema.get("minItems", 0)), min(int(schema.get("maxItems", 5)), 5))
            return [self.value(items, f"{key}_{i}") for i in range(count)]
        if kind == "integer":
            return int(schema.get("minimum", 1))
        if kind == "number":
            return float(schema.get("minimum", 1.0))
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self.text(key, schema)


def default_answer(request: RecordedRequest) -> dict[str, Any]:
    """The JSON object the server answers when nothing is scripted."""
    value = _Writer(request).value(request.schema or {"type": "object", "properties": {}}, "root")
    return value if isinstance(value, dict) else {"value": value}


# --- rule breaking -----------------------------------------------------------------------------------


@dataclass
class RuleBreaker:
    """Turns a well-behaved answer into one that breaks content rules, for the guardrail tests.

    ``too_long``: every string is repeated until it has at least this many characters; ``words``: inserted
    into every string; ``drop``: phrases removed (e.g. the claims the prompt asked for); ``replace``:
    phrase → wrong phrase (wrong entities, e.g. {"Black": "Red"}); ``extra_items``: list items added.
    """

    too_long: int | None = None
    words: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    replace: dict[str, str] = field(default_factory=dict)
    extra_items: int = 0

    def __call__(self, request: RecordedRequest, answer: dict[str, Any]) -> dict[str, Any]:
        result = self._apply(answer)
        return result if isinstance(result, dict) else answer

    def _apply(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._apply(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [self._apply(v) for v in value]
            if items and all(isinstance(i, str) for i in items):
                items += [items[-1]] * self.extra_items
            return items
        if isinstance(value, str):
            return self._text(value)
        return value

    def _text(self, text: str) -> str:
        for phrase in self.drop:
            text = text.replace(phrase, "")
        for old, new in self.replace.items():
            text = re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
        if self.words:
            text = f"{text.rstrip('.')} with {', '.join(self.words)}."
        if self.too_long:
            base = text or "Long text."
            while len(text) < self.too_long:
                text = f"{text} {base}"
        return text


# --- the server ----------------------------------------------------------------------------------------


class FakeOpenAI:
    def __init__(self) -> None:
        self.url = ""
        self.requests: list[RecordedRequest] = []
        self.reset()

    def reset(self) -> None:
        self.requests.clear()
        self.latency = 0.0
        self.handler: Callable[[RecordedRequest], dict[str, Any] | Reply | None] | None = None
        self.transform: Callable[[RecordedRequest, dict[str, Any]], dict[str, Any]] | None = None
        self._script: deque[Answer] = deque()
        self._always: int | None = None
        self.in_flight = 0
        self.max_in_flight = 0
        # Requests still being served from before a reset (a client that timed out) must not count.
        self.generation = getattr(self, "generation", 0) + 1

    # controls ------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """Settings overrides that make the app use this server through the OpenAI provider."""
        values: dict[str, Any] = {
            "ai_provider": "openai",
            "openai_base_url": self.base_url,
            "openai_api_key": "test-key",
            "llm_backoff_seconds": 0.01,
            "llm_timeout_seconds": 10.0,
        }
        values.update(extra)
        return values

    def script(self, *answers: Answer) -> None:
        self._script.extend(answers)

    def fail(self, status: int = 429, times: int = 1, *, retry_after: float | None = None) -> None:
        headers = {"retry-after": f"{retry_after:g}"} if retry_after is not None else {}
        self._script.extend(Reply(status=status, headers=dict(headers)) for _ in range(times))

    def always(self, status: int | None = 500) -> None:
        self._always = status

    def malformed(self, times: int = 1, content: str = '{"title": "unfinished') -> None:
        self._script.extend(Reply(content=content) for _ in range(times))

    def break_rules(self, **rules: Any) -> RuleBreaker:
        breaker = RuleBreaker(**rules)
        self.transform = breaker
        return breaker

    @property
    def calls(self) -> int:
        return len(self.requests)

    # serving -------------------------------------------------------------------------------------

    def _next_reply(self, request: RecordedRequest) -> Reply:
        if self._always is not None:
            return Reply(status=self._always)
        answer: Any = None
        if self._script:
            answer = self._script.popleft()
        elif self.handler is not None:
            answer = self.handler
        if callable(answer) and not isinstance(answer, Reply):
            answer = answer(request)
        if isinstance(answer, Reply):
            return answer
        data = answer if isinstance(answer, dict) else default_answer(request)
        if self.transform is not None and answer is None:
            data = self.transform(request, data)
        return Reply(data=data)

    async def chat_completions(self, request: Request) -> Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "Invalid JSON body.", "invalid_request_error")
        if not isinstance(body, dict) or not body.get("model") or not isinstance(body.get("messages"), list):
            return _error(400, "'model' and 'messages' are required.", "invalid_request_error")
        recorded = RecordedRequest(request.url.path, body, dict(request.headers), time.monotonic())
        if any(not url.startswith(("data:image/", "https://", "http://")) for url in recorded.images):
            return _error(400, "Invalid image_url: a data:image/... URL or an http(s) URL.", "invalid_request_error")
        self.requests.append(recorded)
        generation = self.generation
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self._next_reply(recorded)
            delay = self.latency if reply.delay is None else reply.delay
            if delay:
                await asyncio.sleep(delay)
            if reply.status != 200:
                kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                return _error(reply.status, f"Scripted failure ({reply.status}).", kind, reply.headers)
            return JSONResponse(_completion(recorded, reply), headers=reply.headers)
        finally:
            if generation == self.generation:
                self.in_flight -= 1

    async def images(self, request: Request) -> Response:
        """``/v1/images/edits`` (multipart: ``image`` and the fields) and ``/v1/images/generations`` (JSON)."""
        raw = await request.body()
        if request.url.path.endswith("/edits"):
            body, files = _multipart(request.headers.get("content-type", ""), raw)
            if not files.get("image") and not files.get("image[]"):
                return _error(400, "'image' is required.", "invalid_request_error")
        else:
            try:
                body, files = json.loads(raw), {}
            except json.JSONDecodeError:
                return _error(400, "Invalid JSON body.", "invalid_request_error")
        if not isinstance(body, dict) or not body.get("prompt") or not body.get("model"):
            return _error(400, "'prompt' and 'model' are required.", "invalid_request_error")
        recorded = RecordedRequest(request.url.path, body, dict(request.headers), time.monotonic(), files)
        self.requests.append(recorded)
        generation = self.generation
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self._next_reply(recorded)
            delay = self.latency if reply.delay is None else reply.delay
            if delay:
                await asyncio.sleep(delay)
            if reply.status != 200:
                kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                return _error(reply.status, f"Scripted failure ({reply.status}).", kind, reply.headers)
            if reply.data and reply.content is None:  # a scripted JSON body (the default answer is {})
                return JSONResponse(reply.data, headers=reply.headers)
            encoded = reply.content if reply.content is not None else await asyncio.to_thread(_scene_png, recorded)
            answer = {"created": int(time.time()), "data": [{"b64_json": encoded}]}
            return JSONResponse(answer, headers=reply.headers)
        finally:
            if generation == self.generation:
                self.in_flight -= 1

    async def models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model", "owned_by": "fake"}]})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self.chat_completions, methods=["POST"]),
                Route("/chat/completions", self.chat_completions, methods=["POST"]),
                Route("/v1/images/edits", self.images, methods=["POST"]),
                Route("/v1/images/generations", self.images, methods=["POST"]),
                Route("/v1/models", self.models, methods=["GET"]),
            ]
        )


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def _completion(request: RecordedRequest, reply: Reply) -> dict[str, Any]:
    if reply.content is not None:
        content = reply.content
    elif reply.data is not None:
        content = json.dumps(reply.data)
    else:
        content = "OK"
    prompt_tokens, completion_tokens = reply.usage or (_tokens(request.prompt) + 8, _tokens(content))
    return {
        "id": f"chatcmpl-fake-{len(content)}-{int(request.received_at * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _multipart(content_type: str, raw: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A multipart/form-data body as (fields, files), read with the standard library's MIME parser."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        raw_payload = part.get_payload(decode=True)
        payload = raw_payload if isinstance(raw_payload, bytes) else b""
        if not isinstance(name, str):
            continue
        if part.get_filename() is not None:
            files[name] = payload
        else:
            fields[name] = payload.decode()
    return fields, files


def _scene_png(request: RecordedRequest) -> str:
    """A PNG scene (a vertical gradient, colours from the prompt) at the requested size, base64-encoded."""
    size = str(request.body.get("size") or "1024x1024")
    width, _, height = size.partition("x")
    w, h = (int(width), int(height)) if width.isdigit() and height.isdigit() else (1024, 1024)
    digest = hashlib.sha256(str(request.body.get("prompt", "")).encode()).digest()
    top, bottom = tuple(digest[:3]), tuple(digest[3:6])
    ramp = Image.linear_gradient("L").resize((w, h))
    scene = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), ramp)
    out = io.BytesIO()
    scene.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": kind}}
    return JSONResponse(body, status_code=status, headers=headers or {})


@asynccontextmanager
async def running_fake_openai() -> AsyncIterator[FakeOpenAI]:
    """Starts the fake server on a free loopback port for the duration of the block."""
    fake = FakeOpenAI()
    async with serving(fake.app(), lifespan="off") as url:
        fake.url = url
        yield fake


@contextmanager
def fake_openai_in_thread() -> Iterator[FakeOpenAI]:
    """The fake server on its own thread and event loop, so that a busy client (a benchmark running the
    whole app in one process) does not slow the server's answers down the way a remote server would not."""
    fake = FakeOpenAI()
    server, fake.url = loopback_server(fake.app(), lifespan="off")
    thread = threading.Thread(target=server.run, name="fake-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake OpenAI server did not start")
        time.sleep(0.01)
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="session")
async def _fake_openai_server() -> AsyncIterator[FakeOpenAI]:
    async with running_fake_openai() as fake:
        yield fake


@pytest.fixture
async def fake_openai(_fake_openai_server: FakeOpenAI) -> AsyncIterator[FakeOpenAI]:
    """The OpenAI-compatible test server, with a clean script and request log for this test."""
    _fake_openai_server.reset()
    yield _fake_openai_server
    _fake_openai_server.reset()

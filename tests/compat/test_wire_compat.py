"""Wire-compatibility golden test for the REST surfaces: the store API (``/api/...``), the content-services API
(``/brandbrain/...``) and the service's own ``/v1/jobs`` (plus health and unknown paths).

A corpus of requests (``corpus()``) runs in order against a freshly migrated SQLite database; later steps use
ids captured from earlier answers (``${name}`` placeholders). Every answer's status, content type, a few
headers (the rate-limit headers by presence only) and the raw body text, after normalisation of volatile values
(timestamps, random UUIDs, keys, tokens, cursors), are compared with the recording in ``golden_*.json``, one file
per surface. The body is compared as text, so key order and formatting count.

Record (against the code whose behaviour is the reference; here the frozen worktree /work/golden, whose packages
must win over the editable install, hence PYTHONPATH, the importlib import mode and no conftest)::

    cd /work/golden && SHOPWRIGHT_RECORD_GOLDEN=1 PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/work/golden \
        /work/main/.venv/bin/python -m pytest -q -s -p no:cacheprovider --noconftest --import-mode=importlib \
        /work/main/tests/compat/test_wire_compat.py --rootdir /work/golden

(it prints which ``shopwright`` it imported). Replay against the code under test: ``pytest tests/compat``.

Replay (the default): every step is compared and all mismatching steps are reported at once. A step whose
answer is meant to change goes in ``ALLOWED_CHANGES`` (step name -> reason); its comparison is skipped and the
reason printed.

Only ``make_workspaces`` creates data without HTTP (the two workspaces with their owner keys, through the CLI);
everything else, extra API keys included (GraphQL ``createApiKey``), goes over HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import difflib
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from shopwright.app import build_app
from shopwright.migrate import upgrade
from shopwright.settings import Settings

pytestmark = pytest.mark.asyncio

# Step name -> why its answer is allowed to differ from the recording (the comparison is skipped).
ALLOWED_CHANGES: dict[str, str] = {}

RECORD_ENV = "SHOPWRIGHT_RECORD_GOLDEN"
HERE = Path(__file__).resolve().parent
GOLDEN_FILES = {
    "store": HERE / "golden_store.json",
    "content": HERE / "golden_content.json",
    "service": HERE / "golden_service.json",
}


# --- the one function that knows how workspaces come to be -------------------------------------------------


async def make_workspaces(app: Starlette) -> dict[str, dict[str, str]]:
    """Two workspaces ("A" and "B"), each with its owner, the owner's full-access API key and access token, made by
    the CLI (``shopwright workspace create --json``) against the app's database and secret key. Returns
    ``{"A": {"api_key": ..., "access_token": ...}, "B": {...}}``."""
    from shopwright import cli

    settings = app.state.settings
    env = {
        "SHOPWRIGHT_DATABASE_URL": str(settings.database_url),
        "SHOPWRIGHT_SECRET_KEY": str(settings.secret_key),
        "SHOPWRIGHT_DATA_DIR": str(settings.data_dir),
    }

    def create(name: str, email: str) -> dict[str, str]:
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):
                code = cli.main(["workspace", "create", "--name", name, "--owner-email", email, "--json"])
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        assert code == 0, output.getvalue()
        created = json.loads(output.getvalue().strip().splitlines()[-1])
        return {"api_key": created["api_key"], "access_token": created["access_token"]}

    return {
        "A": await asyncio.to_thread(create, "Store A", "owner-a@example.com"),
        "B": await asyncio.to_thread(create, "Store B", "owner-b@example.com"),
    }


# --- steps ----------------------------------------------------------------------------------------------------

NO_BODY: Any = object()


@dataclass
class Step:
    name: str
    method: str
    path: str  # with its query string; ``${var}`` placeholders are filled from earlier captures
    json: Any = NO_BODY  # a JSON body (``${var}`` alone in a string is replaced by the value, keeping its type)
    raw: str | None = None  # a raw body (sent as is, with ``headers``)
    big_body: int | None = None  # a body of this many bytes (a JSON object with one long string)
    headers: dict[str, str] | None = None
    auth: str = "A"  # a credential name (see ``Credentials``)
    via: str = "bearer"  # "bearer" (Authorization) or "x-api-key"
    capture: dict[str, str] | None = None  # var -> dotted path into the JSON answer ("data.id", "0.config_id")
    poll: tuple[str, tuple[str, ...]] | None = None  # repeat until the value at the path is one of these
    until_status: int | None = None  # repeat until the answer has this status (at most 200 tries)
    mask: tuple[str, ...] = ()  # JSON keys whose scalar values are racy: recorded as "<masked>"
    settle: bool = False  # wait for the jobs the step started (AI flags write the row later) before the next step

    @property
    def surface(self) -> str:
        if self.path.startswith("/api"):
            return "store"
        if self.path.startswith("/brandbrain"):
            return "content"
        return "service"


def S(name: str, method: str, path: str, body: Any = NO_BODY, **kw: Any) -> Step:
    return Step(name=name, method=method, path=path, json=body, **kw)


JSON_CT = {"content-type": "application/json"}
TEXT_CT = {"content-type": "text/plain"}
INVALID_UTF8 = "<a body with bytes that are not UTF-8>"  # sent as b'{"title": "\\xff\\xfe"}'
L256 = "x" * 256
L257 = "y" * 257
SUPERSCRIPT_TWO = "%C2%B2"  # "²": str.isdigit() says yes, int() says no
HUGE = "99999999999999999999"  # beyond 64 bits
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

PRODUCT_FULL: dict[str, Any] = {
    "title": "QuantumTech Gadget",
    "subtitle": "The gadget for modern needs",
    "link_title": "Gadget",
    "content": "A high-tech gadget designed for modern needs. It folds flat and charges in an hour.",
    "content_bottom": "Warranty: two years.",
    "highlights": ["Folds flat", "Charges in an hour"],
    "summary": "A folding gadget.",
    "meta_title": "QuantumTech Gadget",
    "meta_keywords": "gadget, tech",
    "meta_description": "Buy the QuantumTech Gadget.",
    "review_quantity": 12,
    "review_score": 4.5,
    "enabled": True,
    "in_sitemap": True,
    "brand_id": "${brand_acme}",
    "upc": "012345678905",
    "ean": "4006381333931",
    "mpn": "QT-1",
    "main_image_url": "https://img.example.com/qt.png",
    "external_product_code": "1234567890001",
    "market": "uk",
    "language": "en",
    "variant_group_id": "G123",
    "keywords": [{"group": "title", "keywords": ["Quantum", "Tech"]}, {"group": "generic", "keywords": ["gadget"]}],
    "attributes": {"colour": "Black", "brand": "QuantumTech", "weight": "250 g"},
    "reviews": [
        {"review_id": "R1", "review_text": "An innovative product that exceeded my expectations!", "cust": "ann"}
    ],
}

PRODUCT_ODD: dict[str, Any] = {
    "title": "Odd Lamp",
    "keywords": ["lamp", {"name": "title", "values": ["Odd", "Lamp"]}, 7, None],
    "attributes": {"Brand": "Lumo", "specs": {"watts": 40}, "tags": ["a", "b"], "count": 3, "dimmable": True},
    "reviews": ["Bright and warm.", {"text": "Nice", "author": "bob"}, 5, {"review_text": ""}],
}

OFFER: dict[str, Any] = {
    "merchant": "amazon",
    "merchant_offer_id": "B0GR52QJCF",
    "title": "Amazon Product",
    "url_detail": "https://www.amazon.com/dp/B0GR52QJCF",
    "price": 19.99,
    "price_full": 24.5,
    "currency": "USD",
    "condition": "new",
    "stock_available": True,
    "features": ["Fast", "Light"],
    "images": ["https://img.example.com/o1.png"],
    "locale": "en_US",
}

SHOES: list[dict[str, Any]] = [
    {
        "product_id": "1001",
        "product_name": "Trail Runner Shoe",
        "product_description": "A light running shoe for rough trails. The sole grips on wet rock.",
        "brand": "Stride",
        "market": "uk",
        "language": "en",
        "variant_group_id": "G1",
        "keywords": {"title": ["trail", "running"], "claims": ["Grips on wet rock"], "avoid": ["cheap"]},
        "reviews": [{"review_id": "r1", "review_text": "Comfortable from the first run.", "cust": "ann"}],
        "attributes": [{"name": "colour", "value": "Red"}, {"name": "size", "value": "42"}],
        "ignored_extra_field": "kept out of the prompt",
    },
    {
        "product_id": "1002",
        "product_name": "Trail Runner Shoe",
        "product_description": "A light running shoe for rough trails. The sole grips on wet rock.",
        "brand": "Stride",
        "market": "uk",
        "language": "en",
        "variant_group_id": "G1",
        "keywords": {"title": ["trail", "running"], "claims": ["Grips on wet rock"]},
        "attributes": [{"name": "colour", "value": "Blue"}, {"name": "size", "value": "43"}],
    },
]

SHOE_CONFIG: dict[str, Any] = {
    "word_map": {"cheap": "affordable"},
    "keyword_groups": {"must": ["title"], "omit": ["avoid"]},
    "client": {
        "prompt_attributes": ["colour", "size"],
        "variant_data_fields": ["colour"],
        "forbidden_words": ["cheap"],
        "validation_entities": ["COLOR"],
        "false_words_entity_map": {"COLOR": "colour"},
    },
    "content_types": {
        "title": {"character_limit": 60, "additions": {"title": "{{attr.brand}} {{title}}"}},
        "bullets": {"character_limit": 120, "keyword_groups": {"verbatim_must_claims": ["claims"]}},
        "desc": {"character_limit": 400, "additions": {"desc": "{{desc}} Thanks from {{attr.brand}}!"}},
    },
}


def gen(**changes: Any) -> dict[str, Any]:
    """A valid submit body (two inline products), with top-level changes (``None`` removes a key)."""
    body: dict[str, Any] = {
        "external_tracking_id": "track-001",
        "products": SHOES,
        "content_generation_params": {
            "market": "uk",
            "channel": "Web",
            "language": "en",
            "content_types": ["title", "bullets", "desc"],
            "content_config": SHOE_CONFIG,
        },
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def params(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"content_types": ["title"]}
    base.update(changes)
    return base


def by_ids(*ids: Any, **param_changes: Any) -> dict[str, Any]:
    return {"product_ids": list(ids), "content_generation_params": params(**param_changes)}


def one_product(**product_changes: Any) -> dict[str, Any]:
    product = {**SHOES[1], **product_changes}
    return {"products": [product], "content_generation_params": params()}


CONFIG_BODY: dict[str, Any] = {
    "name": "brandx",
    "description": "Brand X house style",
    "content_config": {
        "word_map": {"cheap": "affordable"},
        "client": {"forbidden_words": ["cheap"], "content_type_family_map": {"tagline": "string"}},
        "style_guide": {"tone_of_voice": "Warm", "house_rule": "Never shout"},
        "tone": {"GENERIC": {"plain": "Made to last."}},
        "content_types": {
            "title": {"character_limit": 60},
            "tagline": {"task": "Write a tagline.", "character_limit": 80, "guidelines": ["Short."]},
        },
    },
}

FEEDBACK: dict[str, Any] = {
    "product_id": "1001",
    "initial_pdp_content": {"title": "Stride Trail Runner Shoe", "bullets": ["Light.", "Grips."]},
    "corrected_pdp_content": {"title": "Stride Trail Runner Shoe, Red", "bullets": ["Light.", "Grips on wet rock."]},
    "comment_history": [
        {"content_type": "title", "feedback": "Name the colour", "initial_content": "Stride Trail Runner Shoe"},
        {"content_type": "bullets", "feedback": "Use the claim verbatim"},
    ],
}

# The analytics reads of an empty store, over a fixed past window so that the recording does not change with the date.
ANALYTICS_WINDOW = "from=2026-03-01&to=2026-03-07"
ANALYTICS_PATHS = (
    f"/api/analytics/visits/summary?period=day&{ANALYTICS_WINDOW}",
    f"/api/analytics/visits?{ANALYTICS_WINDOW}",
    "/api/analytics/visitors",
    "/api/analytics/visitors/1",
    f"/api/analytics/pages?{ANALYTICS_WINDOW}",
    f"/api/analytics/countries?{ANALYTICS_WINDOW}",
    f"/api/analytics/devices?{ANALYTICS_WINDOW}",
    f"/api/analytics/sources?{ANALYTICS_WINDOW}",
    f"/api/analytics/clicks/summary?period=week&{ANALYTICS_WINDOW}",
    f"/api/analytics/clicks?{ANALYTICS_WINDOW}",
    "/api/analytics/checkouts",
    f"/api/analytics/actions?{ANALYTICS_WINDOW}",
)

JOBS = "/brandbrain/content-generation/jobs"
CONFIGS = "/brandbrain/content-configs"
BLOCKER_IDS = [f"missing-{i}" for i in range(1000)]


def general_store_steps() -> list[Step]:
    return [
        S("store_status_public", "GET", "/api/store/status", auth="none"),
        S("store_status_with_key", "GET", "/api/store/status"),
        S("store_status_post_405", "POST", "/api/store/status", {}),
        S("auth_none_401", "GET", "/api/products", auth="none"),
        S("auth_unknown_key_401", "GET", "/api/products", auth="bogus"),
        S("auth_garbage_token_401", "GET", "/api/products", auth="garbage"),
        S("auth_basic_scheme_401", "GET", "/api/products", auth="basic"),
        S("auth_empty_bearer_401", "GET", "/api/products", auth="empty_bearer"),
        S("auth_revoked_key_401", "GET", "/api/products", auth="A_revoked"),
        S("auth_tampered_access_token_401", "GET", "/api/products", auth="A_tampered"),
        S("auth_x_api_key_not_accepted_401", "GET", "/api/products", via="x-api-key"),
        S("auth_owner_key_ok", "GET", "/api/products", auth="A_owner"),
        S("auth_access_token_ok", "GET", "/api/products", auth="A_token"),
        S("unknown_api_path_404", "GET", "/api/nope"),
        S("unknown_api_path_no_auth_404", "GET", "/api/nope", auth="none"),
        S("unknown_api_nested_404", "GET", "/api/products/1/nope"),
        S("api_prefix_alone_404", "GET", "/api"),
        S("api_trailing_slash_redirect", "GET", "/api/products/"),
        S("products_put_405", "PUT", "/api/products", {}),
        S("products_head", "HEAD", "/api/products"),
        S("products_options_405", "OPTIONS", "/api/products"),
        S("products_delete_collection_405", "DELETE", "/api/products"),
        S("product_put_405", "PUT", "/api/products/1", {}),
        S("products_body_too_large_413", "POST", "/api/products", big_body=1_100_000, headers=JSON_CT),
    ]


def brand_steps() -> list[Step]:
    b = "/api/brands"
    return [
        S("brands_list_empty", "GET", b),
        S(
            "brand_create",
            "POST",
            b,
            {"title": "Acme", "subtitle": "Since 1950", "meta_title": "Acme", "enabled": True, "unknown": "ignored"},
            capture={"brand_acme": "data.id"},
        ),
        S("brand_create_accents", "POST", b, {"title": "Café Crème!"}, capture={"brand_cafe": "data.id"}),
        S("brand_create_same_title", "POST", b, {"title": "Café Crème!"}, capture={"brand_cafe2": "data.id"}),
        S(
            "brand_create_vendor_json_type",
            "POST",
            b,
            raw='{"title": "Doomed Brand", "enabled": 0}',
            headers={"content-type": "application/vnd.api+json"},
            capture={"brand_doomed": "data.id"},
        ),
        S("brand_create_slug_taken_422", "POST", b, {"title": "Other", "slug": "Cafe Creme"}),
        S("brand_create_slug_symbols_422", "POST", b, {"title": "Other", "slug": "!!!"}),
        S("brand_create_missing_title_422", "POST", b, {}),
        S("brand_create_blank_title_422", "POST", b, {"title": "   "}),
        S("brand_create_title_too_long_422", "POST", b, {"title": L256}),
        S("brand_create_enabled_null_422", "POST", b, {"title": "x", "enabled": None}),
        S(
            "brand_create_many_errors_422",
            "POST",
            b,
            {"title": 5, "enabled": "yes", "meta_title": L256, "meta_keywords": 7, "content": ["a"], "slug": 1},
        ),
        S("brand_create_title_error_and_slug_taken_422", "POST", b, {"title": L256, "slug": "acme"}),
        S("brand_create_malformed_json_422", "POST", b, raw='{"title": ', headers=JSON_CT),
        S("brand_create_json_array_422", "POST", b, [1, 2]),
        S("brand_create_json_string_422", "POST", b, "hello"),
        S("brand_create_json_null_422", "POST", b, raw="null", headers=JSON_CT),
        S("brand_create_empty_body_422", "POST", b, raw="", headers=JSON_CT),
        S("brand_create_text_plain_422", "POST", b, raw='{"title": "x"}', headers=TEXT_CT),
        S("brand_create_invalid_utf8_422", "POST", b, raw=INVALID_UTF8, headers=JSON_CT),
        S("brand_create_read_key_403", "POST", b, {"title": "x"}, auth="A_read"),
        S("brand_create_products_key_403", "POST", b, {"title": "x"}, auth="A_products_read"),
        S("brand_create_no_auth_401", "POST", b, {"title": "x"}, auth="none"),
        S("brand_create_other_workspace", "POST", b, {"title": "Globex"}, auth="B", capture={"b_brand": "data.id"}),
        S("brand_get", "GET", b + "/${brand_acme}"),
        S("brand_get_unknown_404", "GET", b + "/999999"),
        S("brand_get_other_workspace_404", "GET", b + "/${b_brand}"),
        S("brand_get_zero_404", "GET", b + "/0"),
        S("brand_get_negative_404", "GET", b + "/-1"),
        S("brand_get_not_a_number_404", "GET", b + "/abc"),
        S("brand_get_beyond_32_bits_404", "GET", b + "/2147483648"),
        S("brand_get_superscript_digit", "GET", b + "/" + SUPERSCRIPT_TWO),
        S("brand_get_read_key", "GET", b + "/${brand_acme}", auth="A_read"),
        S("brand_get_products_key_403", "GET", b + "/${brand_acme}", auth="A_products_read"),
        S("brand_update", "PATCH", b + "/${brand_acme}", {"subtitle": "Since 1951", "slug": "Acme Inc"}),
        S("brand_update_same_slug", "PATCH", b + "/${brand_acme}", {"slug": "acme-inc"}),
        S("brand_update_slug_taken_422", "PATCH", b + "/${brand_acme}", {"slug": "cafe-creme"}),
        S("brand_update_title_null_422", "PATCH", b + "/${brand_acme}", {"title": None}),
        S("brand_update_empty_object", "PATCH", b + "/${brand_cafe2}", {}),
        S(
            "brand_update_json_charset",
            "PATCH",
            b + "/${brand_cafe2}",
            raw='{"subtitle": "Caf\u00e9"}',
            headers={"content-type": "application/json; charset=utf-8"},
        ),
        S("brand_update_other_workspace_404", "PATCH", b + "/${b_brand}", {"title": "Mine"}),
        S("brand_update_unknown_404", "PATCH", b + "/999999", {"title": "x"}),
        S("brand_update_unknown_bad_body_404", "PATCH", b + "/999999", {"title": None}),
        S("brand_update_read_key_403", "PATCH", b + "/${brand_acme}", {"title": "x"}, auth="A_read"),
        S("brands_list", "GET", b),
        S("brands_list_search", "GET", b + "?search=CAF"),
        S("brands_list_enabled_false", "GET", b + "?enabled=false"),
        S("brands_list_enabled_bad_422", "GET", b + "?enabled=yes"),
        S("brands_list_sort_title_asc", "GET", b + "?sort_by=title&sort_dir=asc"),
        S("brands_list_sort_by_without_dir", "GET", b + "?sort_by=id"),
        S("brands_list_sort_by_unknown_422", "GET", b + "?sort_by=price"),
        S("brands_list_sort_dir_bad_422", "GET", b + "?sort_dir=up"),
        S("brands_list_sort_both_bad_422", "GET", b + "?sort_by=price&sort_dir=up"),
        S("brands_list_page_2", "GET", b + "?per_page=2&page=2"),
        S("brands_list_page_beyond", "GET", b + "?page=99"),
        S("brands_list_per_page_100", "GET", b + "?per_page=100&search=a"),
        S("brands_list_page_zero_422", "GET", b + "?page=0"),
        S("brands_list_per_page_101_422", "GET", b + "?per_page=101"),
        S("brands_list_per_page_abc_422", "GET", b + "?per_page=abc"),
        S("brands_list_page_and_per_page_bad_422", "GET", b + "?page=x&per_page=0"),
        S("brands_list_page_huge", "GET", b + "?page=" + HUGE),
        S("brands_list_other_workspace", "GET", b, auth="B"),
        # A clean merges and deletes brands: the corpus keeps its brands, so only its refusals are recorded here
        # (tests/store_ops runs it).
        S("brands_clean_niche_too_long_422", "POST", b + "/clean", {"niche": L256}),
        S("brands_clean_read_key_403", "POST", b + "/clean", auth="A_read"),
        S("brands_clean_no_auth_401", "POST", b + "/clean", auth="none"),
        S("brands_clean_get", "GET", b + "/clean"),
    ]


def category_steps() -> list[Step]:
    c = "/api/categories"
    return [
        S("categories_tree_empty", "GET", c + "/tree"),
        S(
            "category_create_root",
            "POST",
            c,
            {"title": "Electronics", "sort_order": 2},
            capture={"cat_root": "data.id"},
        ),
        S(
            "category_create_child",
            "POST",
            c,
            {"title": "Phones", "parent_id": "${cat_root}"},
            capture={"cat_child": "data.id"},
        ),
        S(
            "category_create_grandchild",
            "POST",
            c,
            {"title": "Smartphones", "parent_id": "${cat_child}", "sort_order": 1, "meta_title": "Smart"},
            capture={"cat_grand": "data.id"},
        ),
        S(
            "category_create_second_root",
            "POST",
            c,
            {"title": "Home", "sort_order": 1},
            capture={"cat_home": "data.id"},
        ),
        S(
            "category_create_ai_flags_false",
            "POST",
            c,
            {"title": "Garden", "generate_ai_content": False, "generate_images": False, "image_source": None},
            capture={"cat_garden": "data.id"},
        ),
        S(
            "category_create_ai_flag_string_false",
            "POST",
            c,
            {"title": "Toys", "generate_ai_content": "false", "enabled": False},
            capture={"cat_toys": "data.id"},
        ),
        S("category_create_other_workspace", "POST", c, {"title": "Theirs"}, auth="B", capture={"b_cat": "data.id"}),
        S("category_create_unknown_parent_422", "POST", c, {"title": "x", "parent_id": 999999}),
        S("category_create_other_workspace_parent_422", "POST", c, {"title": "x", "parent_id": "${b_cat}"}),
        S("category_create_parent_string_422", "POST", c, {"title": "x", "parent_id": "${cat_root:s}"}),
        S("category_create_parent_beyond_32_bits_422", "POST", c, {"title": "x", "parent_id": 3000000000}),
        S(
            "category_create_many_errors_422",
            "POST",
            c,
            {"title": "", "sort_order": "first", "enabled": "no", "meta_title": L256, "parent_id": 1.5},
        ),
        S("category_create_slug_taken_422", "POST", c, {"title": "x", "slug": "PHONES"}),
        S("category_create_ai_content", "POST", c, {"title": "AI", "generate_ai_content": True}, settle=True),
        S(
            "category_create_ai_images_list",
            "POST",
            c,
            {"title": "AI", "generate_images": ["hero", "listing"]},
            settle=True,
        ),
        S("category_create_ai_image_source", "POST", c, {"title": "AI", "image_source": "stock"}, settle=True),
        S(
            "category_create_ai_all_flags",
            "POST",
            c,
            {"title": "AI", "generate_ai_content": 1, "generate_images": True, "image_source": "ai"},
            settle=True,
        ),
        S("category_create_ai_flag_missing_title_422", "POST", c, {"generate_ai_content": True}),
        S("category_create_bad_image_source_422", "POST", c, {"title": "x", "image_source": "camera"}),
        S("category_create_bad_generate_images_422", "POST", c, {"title": "x", "generate_images": ["banner"]}),
        S(
            "category_create_bad_image_flags_both_422",
            "POST",
            c,
            {"title": L256, "generate_images": "often", "image_source": 3},
        ),
        S("category_get", "GET", c + "/${cat_root}"),
        S("category_get_unknown_404", "GET", c + "/999999"),
        S("category_get_other_workspace_404", "GET", c + "/${b_cat}"),
        S("category_update_parent_self_422", "PATCH", c + "/${cat_root}", {"parent_id": "${cat_root}"}),
        S("category_update_parent_descendant_422", "PATCH", c + "/${cat_root}", {"parent_id": "${cat_grand}"}),
        S("category_update_move", "PATCH", c + "/${cat_garden}", {"parent_id": "${cat_home}", "subtitle": "Outside"}),
        S("category_update_unknown_parent_422", "PATCH", c + "/${cat_garden}", {"parent_id": 999999}),
        S("category_update_ai_flag", "PATCH", c + "/${cat_garden}", {"generate_images": True}, settle=True),
        S("category_update_sort_order_null_422", "PATCH", c + "/${cat_garden}", {"sort_order": None}),
        S("category_update_slug", "PATCH", c + "/${cat_toys}", {"slug": "Toys & Games"}),
        S("category_update_read_key_403", "PATCH", c + "/${cat_root}", {"title": "x"}, auth="A_read"),
        S("category_update_other_workspace_404", "PATCH", c + "/${b_cat}", {"title": "x"}),
        S("categories_list", "GET", c),
        S("categories_list_roots", "GET", c + "?parent_id="),
        S("categories_list_children", "GET", c + "?parent_id=${cat_root}"),
        S("categories_list_parent_bad_422", "GET", c + "?parent_id=abc"),
        S("categories_list_search", "GET", c + "?search=PHONE"),
        S("categories_list_enabled_false", "GET", c + "?enabled=0"),
        S("categories_list_enabled_bad_422", "GET", c + "?enabled=2"),
        S("categories_list_sort_title_desc", "GET", c + "?sort_by=title&sort_dir=DESC"),
        S("categories_list_sort_bad_422", "GET", c + "?sort_by=products_count"),
        S("categories_list_other_workspace", "GET", c, auth="B"),
        S("categories_tree", "GET", c + "/tree"),
        S("categories_tree_read_key", "GET", c + "/tree", auth="A_read"),
        S("categories_tree_post_405", "POST", c + "/tree", {}),
        S("categories_fill_not_connected_422", "POST", c + "/fill", {"api_name": "amazon", "locale": "us"}),
        S("categories_generate_list_offline_503", "POST", c + "/generate-list", {"niche": "vintage cameras"}),
        S("categories_fill_get", "GET", c + "/fill"),
        S("categories_fill_no_auth_401", "POST", c + "/fill", auth="none"),
    ]


def product_steps() -> list[Step]:
    p = "/api/products"
    return [
        S("products_list_empty", "GET", p),
        S("product_create_full", "POST", p, PRODUCT_FULL, capture={"p_gadget": "data.id"}),
        S("product_create_minimal", "POST", p, {"title": "Café Crème!"}, capture={"p_cafe": "data.id"}),
        S(
            "product_create_same_title",
            "POST",
            p,
            {"title": "Café Crème!", "enabled": 1},
            capture={"p_cafe2": "data.id"},
        ),
        S("product_create_odd_fields", "POST", p, PRODUCT_ODD, capture={"p_odd": "data.id"}),
        S("product_create_to_delete", "POST", p, {"title": "Doomed Product"}, capture={"p_doomed": "data.id"}),
        S(
            "product_create_other_workspace",
            "POST",
            p,
            {"title": "Their Product"},
            auth="B",
            capture={"b_product": "data.id"},
        ),
        S("product_create_slug_taken_422", "POST", p, {"title": "x", "slug": "quantumtech-gadget"}),
        S("product_create_unknown_brand_422", "POST", p, {"title": "x", "brand_id": 999999}),
        S("product_create_other_workspace_brand_422", "POST", p, {"title": "x", "brand_id": "${b_brand}"}),
        S("product_create_brand_id_string_422", "POST", p, {"title": "x", "brand_id": "${brand_acme:s}"}),
        S("product_create_brand_id_beyond_32_bits_422", "POST", p, {"title": "x", "brand_id": 2147483648}),
        S(
            "product_create_unknown_brand_and_slug_taken_422",
            "POST",
            p,
            {"title": "x", "brand_id": 999999, "slug": "doomed-product"},
        ),
        S(
            "product_create_many_errors_422",
            "POST",
            p,
            {
                "title": 12,
                "highlights": "fast",
                "review_score": "high",
                "review_quantity": 1.5,
                "enabled": "yes",
                "upc": "u" * 65,
                "keywords": {},
                "attributes": [],
                "in_sitemap": None,
                "market": "m" * 17,
            },
        ),
        S("product_create_blank_title_422", "POST", p, {"title": "  "}),
        S("product_create_nan_score_422", "POST", p, raw='{"title": "x", "review_score": NaN}', headers=JSON_CT),
        S("product_create_read_key_403", "POST", p, {"title": "x"}, auth="A_read"),
        S("product_create_products_read_key_403", "POST", p, {"title": "x"}, auth="A_products_read"),
        S("product_get", "GET", p + "/${p_gadget}"),
        S("product_get_include_all", "GET", p + "/${p_gadget}?include=brand,offers,categories"),
        S("product_get_include_brand_none", "GET", p + "/${p_cafe}?include=brand"),
        S("product_get_include_empty", "GET", p + "/${p_gadget}?include="),
        S("product_get_include_unknown_422", "GET", p + "/${p_gadget}?include=brand,reviews"),
        S("product_get_unknown_404", "GET", p + "/999999"),
        S("product_get_unknown_bad_include", "GET", p + "/999999?include=reviews"),
        S("product_get_other_workspace_404", "GET", p + "/${b_product}"),
        S("product_get_products_key", "GET", p + "/${p_gadget}", auth="A_products_read"),
        S("product_update", "PATCH", p + "/${p_cafe2}", {"subtitle": "Now with a subtitle", "title": "Renamed Café"}),
        S("product_update_brand_null", "PATCH", p + "/${p_gadget}", {"brand_id": None}),
        S("product_update_brand_back", "PATCH", p + "/${p_gadget}", {"brand_id": "${brand_acme}"}),
        S("product_update_unknown_brand_422", "PATCH", p + "/${p_gadget}", {"brand_id": 999999}),
        S("product_update_highlights_null_422", "PATCH", p + "/${p_gadget}", {"highlights": None}),
        S("product_update_slug_taken_422", "PATCH", p + "/${p_cafe2}", {"slug": "cafe-creme"}),
        S("product_update_slug_own", "PATCH", p + "/${p_cafe2}", {"slug": "cafe-creme-2"}),
        S("product_update_other_workspace_404", "PATCH", p + "/${b_product}", {"title": "x"}),
        S("product_update_malformed_json_422", "PATCH", p + "/${p_gadget}", raw="{", headers=JSON_CT),
        S("product_update_unknown_id_malformed_json", "PATCH", p + "/999999", raw="{", headers=JSON_CT),
        S("product_update_read_key_403", "PATCH", p + "/${p_gadget}", {"title": "x"}, auth="A_read"),
        S(
            "product_categories_sync",
            "POST",
            p + "/${p_gadget}/categories",
            {"category_ids": ["${cat_grand}", "${cat_root}", "${cat_grand}"]},
        ),
        S("product_categories_sync_other", "POST", p + "/${p_cafe}/categories", {"category_ids": ["${cat_home}"]}),
        S(
            "product_categories_sync_unknown_422",
            "POST",
            p + "/${p_gadget}/categories",
            {"category_ids": ["${cat_root}", 999999, "${b_cat}"]},
        ),
        S("product_categories_sync_missing_422", "POST", p + "/${p_gadget}/categories", {}),
        S("product_categories_sync_null_422", "POST", p + "/${p_gadget}/categories", {"category_ids": None}),
        S("product_categories_sync_string_422", "POST", p + "/${p_gadget}/categories", {"category_ids": "1"}),
        S("product_categories_sync_zero_422", "POST", p + "/${p_gadget}/categories", {"category_ids": [0]}),
        S("product_categories_sync_bool_422", "POST", p + "/${p_gadget}/categories", {"category_ids": [True]}),
        S("product_categories_sync_non_object_422", "POST", p + "/${p_gadget}/categories", [1]),
        S(
            "product_categories_sync_read_key_403",
            "POST",
            p + "/${p_gadget}/categories",
            {"category_ids": []},
            auth="A_read",
        ),
        S("product_categories_sync_other_workspace_404", "POST", p + "/${b_product}/categories", {"category_ids": []}),
        S("product_categories_get", "GET", p + "/${p_gadget}/categories"),
        S("product_categories_get_other_workspace_404", "GET", p + "/${b_product}/categories"),
        S("product_categories_put_405", "PUT", p + "/${p_gadget}/categories", {"category_ids": []}),
        S("product_analytics", "GET", p + "/${p_gadget}/analytics"),
        S("product_analytics_unknown_404", "GET", p + "/999999/analytics"),
        S("product_delete", "DELETE", p + "/${p_doomed}"),
        S("product_get_deleted_404", "GET", p + "/${p_doomed}"),
        S("product_delete_again_404", "DELETE", p + "/${p_doomed}"),
        S("product_create_deleted_slug_taken_422", "POST", p, {"title": "x", "slug": "doomed-product"}),
        S(
            "product_create_deleted_title_next_slug",
            "POST",
            p,
            {"title": "Doomed Product"},
            capture={"p_doomed2": "data.id"},
        ),
        S("product_delete_read_key_403", "DELETE", p + "/${p_cafe}", auth="A_read"),
        S("product_delete_other_workspace_404", "DELETE", p + "/${b_product}"),
        S("products_import_links_not_connected_422", "POST", p + "/import-links", {"links": ["B09V3KXJPB"]}),
        S("products_import_links_read_key_403", "POST", p + "/import-links", auth="A_read"),
        S("products_import_links_get", "GET", p + "/import-links"),
    ]


def offer_steps() -> list[Step]:
    o = "/api/offers"
    p = "/api/products"
    return [
        S("offers_merchants_empty", "GET", o + "/merchants"),
        S("offer_create", "POST", o, OFFER, capture={"offer_amazon": "data.id"}),
        S(
            "offer_create_alias_id",
            "POST",
            o,
            {
                "merchant": "ebay",
                "merchant_product_id": "EB-1",
                "title": "eBay Listing",
                "url_detail": "http://ebay.example/1",
                "price": 5,
            },
            capture={"offer_ebay": "data.id"},
        ),
        S(
            "offer_create_disabled",
            "POST",
            o,
            {
                "merchant": "etsy",
                "merchant_offer_id": "ET-1",
                "title": "Etsy",
                "url_detail": "https://etsy.example/1",
                "enabled": False,
            },
            capture={"offer_etsy": "data.id"},
        ),
        S(
            "offer_create_out_of_stock",
            "POST",
            o,
            {
                "merchant": "shopify",
                "merchant_offer_id": "SH-1",
                "title": "Shopify",
                "url_detail": "https://shop.example/1",
                "stock_available": False,
            },
            capture={"offer_shopify": "data.id"},
        ),
        S(
            "offer_create_to_delete",
            "POST",
            o,
            {**OFFER, "merchant_offer_id": "B0DOOMED"},
            capture={"offer_doomed": "data.id"},
        ),
        S("offer_create_other_workspace", "POST", o, OFFER, auth="B", capture={"b_offer": "data.id"}),
        S(
            "offer_create_missing_merchant_offer_id_422",
            "POST",
            o,
            {k: v for k, v in OFFER.items() if k != "merchant_offer_id"},
        ),
        S("offer_create_missing_required_422", "POST", o, {}),
        S("offer_create_url_ftp_422", "POST", o, {**OFFER, "url_detail": "ftp://example.com/x"}),
        S("offer_create_url_no_host_422", "POST", o, {**OFFER, "url_detail": "https://"}),
        S("offer_create_url_relative_422", "POST", o, {**OFFER, "url_detail": "/dp/B0"}),
        S(
            "offer_create_many_errors_422",
            "POST",
            o,
            {
                **OFFER,
                "price": "cheap",
                "currency": "DOLLARS-US-X",
                "images": "a.png",
                "stock_available": "yes",
                "merchant": L256,
            },
        ),
        S("offer_create_read_key_403", "POST", o, OFFER, auth="A_read"),
        S("offer_get", "GET", o + "/${offer_amazon}"),
        S("offer_get_unknown_404", "GET", o + "/999999"),
        S("offer_get_other_workspace_404", "GET", o + "/${b_offer}"),
        S("offer_update", "PATCH", o + "/${offer_amazon}", {"price": 17.5, "merchant_product_id": "B0NEW"}),
        S("offer_update_empty_merchant_offer_id_422", "PATCH", o + "/${offer_amazon}", {"merchant_offer_id": ""}),
        S("offer_update_url_null_422", "PATCH", o + "/${offer_amazon}", {"url_detail": None}),
        S("offer_update_other_workspace_404", "PATCH", o + "/${b_offer}", {"price": 1}),
        S("offer_update_read_key_403", "PATCH", o + "/${offer_amazon}", {"price": 1}, auth="A_read"),
        S(
            "offer_products_sync",
            "POST",
            o + "/${offer_amazon}/products",
            {"product_ids": ["${p_gadget}", "${p_cafe}"]},
        ),
        S("offer_products_sync_ebay", "POST", o + "/${offer_ebay}/products", {"product_ids": ["${p_gadget}"]}),
        S("offer_products_sync_shopify", "POST", o + "/${offer_shopify}/products", {"product_ids": ["${p_cafe2}"]}),
        S(
            "offer_products_sync_unknown_422",
            "POST",
            o + "/${offer_amazon}/products",
            {"product_ids": ["${p_gadget}", "${p_doomed}", "${b_product}", 999999]},
        ),
        S(
            "offer_products_sync_too_many_422",
            "POST",
            o + "/${offer_amazon}/products",
            {"product_ids": list(range(1, 1002))},
        ),
        S("offer_products_sync_empty", "POST", o + "/${offer_doomed}/products", {"product_ids": []}),
        S(
            "offer_products_sync_read_key_403",
            "POST",
            o + "/${offer_amazon}/products",
            {"product_ids": []},
            auth="A_read",
        ),
        S("offer_products_get_405", "GET", o + "/${offer_amazon}/products"),
        S("offers_list", "GET", o),
        S("offers_list_merchant", "GET", o + "?merchant=amazon"),
        S("offers_list_search", "GET", o + "?search=LISTING"),
        S("offers_list_enabled_false", "GET", o + "?enabled=false"),
        S("offers_list_product", "GET", o + "?product_id=${p_gadget}"),
        S("offers_list_product_bad_422", "GET", o + "?product_id=abc"),
        S("offers_list_product_superscript", "GET", o + "?product_id=" + SUPERSCRIPT_TWO),
        S("offers_list_sort_price_asc", "GET", o + "?sort_by=price&sort_dir=asc"),
        S("offers_list_sort_merchant", "GET", o + "?sort_by=merchant"),
        S("offers_list_sort_bad_422", "GET", o + "?sort_by=url_detail"),
        S("offers_list_other_workspace", "GET", o, auth="B"),
        S("offers_merchants", "GET", o + "/merchants"),
        S("offers_merchants_products_key_403", "GET", o + "/merchants", auth="A_products_read"),
        S("offer_delete", "DELETE", o + "/${offer_doomed}"),
        S("offer_delete_again_404", "DELETE", o + "/${offer_doomed}"),
        S("product_offers", "GET", p + "/${p_gadget}/offers"),
        S("product_offers_sorted", "GET", p + "/${p_gadget}/offers?sort_by=price&sort_dir=asc"),
        S("product_offers_sort_bad_422", "GET", p + "/${p_gadget}/offers?sort_by=title_x"),
        S("product_offers_unknown_404", "GET", p + "/999999/offers"),
        S("product_offers_products_key", "GET", p + "/${p_gadget}/offers", auth="A_products_read"),
        S("product_get_include_all_after_links", "GET", p + "/${p_gadget}?include=categories,offers,brand"),
    ]


def catalog_list_steps() -> list[Step]:
    p = "/api/products"
    return [
        S("products_list", "GET", p),
        S("products_list_include_all", "GET", p + "?include=brand,offers,categories&per_page=2"),
        S("products_list_include_unknown_422", "GET", p + "?include=brand,bogus"),
        S("products_list_search", "GET", p + "?search=quantum"),
        S("products_list_search_encoded", "GET", p + "?search=caf%C3%A9"),
        S("products_list_enabled", "GET", p + "?enabled=true"),
        S("products_list_enabled_bad_422", "GET", p + "?enabled=maybe"),
        S("products_list_brand", "GET", p + "?brand_id=${brand_acme}"),
        S("products_list_brand_bad_422", "GET", p + "?brand_id=abc"),
        S("products_list_brand_negative_422", "GET", p + "?brand_id=-1"),
        S("products_list_brand_superscript", "GET", p + "?brand_id=" + SUPERSCRIPT_TWO),
        S("products_list_category", "GET", p + "?category_id=${cat_root}"),
        S("products_list_generated_false", "GET", p + "?generated=false"),
        S("products_list_generated_bad_422", "GET", p + "?generated=2"),
        S("products_list_sort_title_asc", "GET", p + "?sort_by=title&sort_dir=asc"),
        S("products_list_sort_review_score", "GET", p + "?sort_by=review_score"),
        S("products_list_sort_bad_422", "GET", p + "?sort_by=price"),
        S("products_list_page_2", "GET", p + "?per_page=2&page=2&sort_by=id&sort_dir=asc"),
        S("products_list_page_zero_422", "GET", p + "?page=0"),
        S("products_list_page_superscript", "GET", p + "?page=" + SUPERSCRIPT_TWO),
        S("products_list_page_huge", "GET", p + "?page=" + HUGE),
        S("products_list_page_and_sort_bad_422", "GET", p + "?page=0&sort_by=price"),
        S("products_list_repeated_param", "GET", p + "?per_page=1&per_page=2&sort_by=id&sort_by=title"),
        S("products_list_filters_and_page_bad_422", "GET", p + "?enabled=maybe&page=0"),
        S("products_list_products_key", "GET", p, auth="A_products_read"),
        S("products_list_other_workspace", "GET", p, auth="B"),
        S("brand_products", "GET", "/api/brands/${brand_acme}/products"),
        S("brand_products_include", "GET", "/api/brands/${brand_acme}/products?include=brand"),
        S("brand_products_other_workspace_404", "GET", "/api/brands/${b_brand}/products"),
        S("brand_products_products_key_403", "GET", "/api/brands/${brand_acme}/products", auth="A_products_read"),
        S("brand_get_with_count", "GET", "/api/brands/${brand_acme}"),
        S("category_products", "GET", "/api/categories/${cat_root}/products"),
        S("category_products_include", "GET", "/api/categories/${cat_grand}/products?include=categories"),
        S("category_products_unknown_404", "GET", "/api/categories/999999/products"),
        S("category_products_per_page_bad_422", "GET", "/api/categories/${cat_root}/products?per_page=0"),
        S("categories_tree_with_counts", "GET", "/api/categories/tree"),
    ]


def store_endpoint_steps() -> list[Step]:
    steps = [
        S("store_info", "GET", "/api/store/info"),
        S("store_info_read_key", "GET", "/api/store/info", auth="A_read"),
        S("store_info_products_key_403", "GET", "/api/store/info", auth="A_products_read"),
        S("store_info_no_auth_401", "GET", "/api/store/info", auth="none"),
        S("store_stats", "GET", "/api/store/stats"),
        S("data_stats", "GET", "/api/data/stats"),
        S("store_warnings", "GET", "/api/store/warnings"),
        S("store_locales", "GET", "/api/store/locales"),
        S("store_locales_post_405", "POST", "/api/store/locales", {}),
        S("store_clean_read_key_403", "POST", "/api/store/clean", auth="A_read"),
        S("store_clean_operations_string_422", "POST", "/api/store/clean", {"operations": "all"}),
        S("store_clean_operations_empty_422", "POST", "/api/store/clean", {"operations": []}),
        S(
            "store_clean_operations_unknown_422",
            "POST",
            "/api/store/clean",
            {"operations": ["expired_offers", "everything", "x"]},
        ),
        S("store_clean_operations_number_422", "POST", "/api/store/clean", {"operations": [1]}),
        S("store_clean_non_object_422", "POST", "/api/store/clean", [1]),
        S("store_clean_malformed_422", "POST", "/api/store/clean", raw="{", headers=JSON_CT),
        S("store_clean_text_plain_422", "POST", "/api/store/clean", raw="{}", headers=TEXT_CT),
        S("store_clean_expired_offers", "POST", "/api/store/clean", {"operations": ["expired_offers"]}),
        S("store_clean_get_405", "GET", "/api/store/clean"),
        # Picking an icon and drawing a logo change the store's settings: only their refusals are recorded here.
        S("store_regenerate_stock_texts_offline_503", "POST", "/api/store/regenerate-stock-texts"),
        S("store_pick_logo_icon_niche_too_long_422", "POST", "/api/store/pick-logo-icon", {"niche": L256}),
        S("store_generate_logo_niche_too_long_422", "POST", "/api/store/generate-logo", {"niche": L256}),
        S("store_generate_logo_products_key_403", "POST", "/api/store/generate-logo", auth="A_products_read"),
        S("store_generate_logo_get_405", "GET", "/api/store/generate-logo"),
    ]
    for path in ANALYTICS_PATHS:
        slug = path.removeprefix("/api/").split("?")[0].replace("/", "_").replace("-", "_")
        steps.append(S(slug, "GET", path))
    steps += [
        S("analytics_no_auth_401", "GET", "/api/analytics/visits", auth="none"),
        S("analytics_read_key", "GET", f"/api/analytics/visits?{ANALYTICS_WINDOW}", auth="A_read"),
        S("analytics_period_year_422", "GET", "/api/analytics/visits/summary?period=year"),
        S("analytics_length_zero_422", "GET", "/api/analytics/visits/summary?length=0"),
        S("analytics_from_after_to_422", "GET", "/api/analytics/visits?from=2026-03-07&to=2026-03-01"),
        S("analytics_malformed_date_422", "GET", "/api/analytics/visits?from=2026-02-30"),
        S("analytics_post_405", "POST", "/api/analytics/visits", {}),
        S("analytics_unknown_404", "GET", "/api/analytics/nope"),
    ]
    return steps


def settings_steps() -> list[Step]:
    s = "/api/settings"
    steps = [S("settings_get_all", "GET", s), S("settings_get_all_read_key", "GET", s, auth="A_read")]
    for group in ("store", "offers", "product", "traffic", "article", "social", "template", "xml-sitemap"):
        steps.append(S(f"settings_get_{group.replace('-', '_')}", "GET", f"{s}/{group}"))
    steps += [
        S("settings_get_unknown_group_404", "GET", s + "/nope"),
        S("settings_get_products_key_403", "GET", s, auth="A_products_read"),
        S(
            "settings_patch_all",
            "PATCH",
            s,
            {
                "store_niche": "  vintage cameras  ",
                "store_live": False,
                "offers_amazon_affiliate_tag": "tag-20",
                "template_primary_color": "#123456",
                "template_image_source": "stock",
                "xml-sitemap_include_pages": False,
            },
        ),
        S("settings_patch_all_unknown_keys_422", "PATCH", s, {"store_nope": 1, "bogus": 2, "store_live": True}),
        S("settings_patch_all_unknown_and_bad_value_422", "PATCH", s, {"store_live": "yes", "bogus": 1}),
        S(
            "settings_patch_all_many_bad_values_422",
            "PATCH",
            s,
            {
                "store_live": "yes",
                "product_per_page": 0,
                "store_default_country": "XX",
                "store_enabled_countries": [],
                "template_name": "modern",
                "store_name": 5,
                "social_facebook_url": "h" * 2049,
                "article_per_page": "abc",
                "template_primary_color": "c" * 33,
            },
        ),
        S("settings_patch_all_reset_null", "PATCH", s, {"store_niche": None}),
        S("settings_patch_all_empty", "PATCH", s, {}),
        S("settings_patch_all_non_object_422", "PATCH", s, ["store_live"]),
        S("settings_patch_all_read_key_403", "PATCH", s, {"store_niche": "x"}, auth="A_read"),
        S("settings_put_405", "PUT", s, {}),
        S(
            "settings_patch_store_group",
            "PATCH",
            s + "/store",
            {"niche": "tech", "default_country": "gb", "enabled_countries": ["us", "GB", "us", "de"]},
        ),
        S("settings_patch_group_prefixed_key_422", "PATCH", s + "/store", {"store_niche": "x"}),
        S("settings_patch_unknown_group_404", "PATCH", s + "/nope", {"x": 1}),
        S("settings_patch_unknown_group_malformed_json", "PATCH", s + "/nope", raw="{", headers=JSON_CT),
        S("settings_patch_xml_sitemap_group", "PATCH", s + "/xml-sitemap", {"enabled": False}),
        S("settings_patch_product_per_page_string", "PATCH", s + "/product", {"per_page": "50"}),
        S("settings_patch_product_per_page_float", "PATCH", s + "/product", {"per_page": 40.0}),
        S("settings_patch_product_per_page_bool_422", "PATCH", s + "/product", {"per_page": True}),
        S("settings_patch_product_per_page_range_422", "PATCH", s + "/product", {"per_page": 101}),
        S("settings_patch_bool_as_int_422", "PATCH", s + "/offers", {"show_price": 1}),
        S(
            "settings_patch_template_choice_422",
            "PATCH",
            s + "/template",
            {"image_source": "camera", "name": "crystal"},
        ),
        S("settings_patch_group_read_key_403", "PATCH", s + "/store", {"niche": "x"}, auth="A_read"),
        S("settings_get_store_after_patches", "GET", s + "/store"),
        S("settings_get_all_other_workspace", "GET", s, auth="B"),
        S("store_info_after_settings", "GET", "/api/store/info"),
        S("store_locales_after_settings", "GET", "/api/store/locales"),
        S("store_warnings_after_settings", "GET", "/api/store/warnings"),
    ]
    return steps


def user_steps() -> list[Step]:
    u = "/api/users"
    return [
        S("users_list", "GET", u),
        S("users_list_read_key", "GET", u, auth="A_read"),
        S(
            "user_create",
            "POST",
            u,
            {
                "email": " Jane@Example.com ",
                "first_name": "Jane",
                "last_name": "Doe",
                "password": "secret123",
                "newsletter": False,
            },
            capture={"user_jane": "data.id"},
        ),
        S("user_create_existing_200", "POST", u, {"email": "jane@example.com", "first_name": "Other"}),
        S(
            "user_create_roles",
            "POST",
            u,
            {"email": "staff@example.com", "roles": ["viewer", "staff"]},
            capture={"user_staff": "data.id"},
        ),
        S(
            "user_create_admin",
            "POST",
            u,
            {"email": "admin@example.com", "roles": ["admin"], "newsletter": "0"},
            capture={"user_admin": "data.id"},
        ),
        S("user_create_bad_email_422", "POST", u, {"email": "not-an-email"}),
        S("user_create_missing_email_422", "POST", u, {"first_name": "No Email"}),
        S("user_create_email_number_422", "POST", u, {"email": 5}),
        S("user_create_roles_string_422", "POST", u, {"email": "r@example.com", "roles": "admin"}),
        S("user_create_roles_unknown_422", "POST", u, {"email": "r@example.com", "roles": ["superuser"]}),
        S("user_create_roles_empty_422", "POST", u, {"email": "r@example.com", "roles": []}),
        S(
            "user_create_many_errors_422",
            "POST",
            u,
            {"email": "bad", "roles": "x", "first_name": 7, "newsletter": "maybe", "password": "p" * 256},
        ),
        S(
            "user_create_owner_with_write_key_403",
            "POST",
            u,
            {"email": "boss@example.com", "roles": ["owner"]},
            auth="A_write",
        ),
        S("user_create_with_users_write_key_403", "POST", u, {"email": "v@example.com"}, auth="A_users_write"),
        S("user_create_read_key_403", "POST", u, {"email": "v@example.com"}, auth="A_read"),
        S("user_create_shared_in_b", "POST", u, {"email": "shared@example.com", "first_name": "Sam"}, auth="B"),
        S(
            "user_create_shared_in_a",
            "POST",
            u,
            {"email": "SHARED@example.com", "first_name": "Ignored"},
            capture={"user_shared": "data.id"},
        ),
        S("user_get", "GET", u + "/${user_jane}"),
        S("user_get_owner", "GET", u + "/1"),
        S("user_get_unknown_404", "GET", u + "/999999"),
        S("user_get_other_workspace_owner_404", "GET", u + "/2"),
        S("user_update", "PATCH", u + "/${user_jane}", {"first_name": "Janet", "newsletter": True}),
        S("user_update_email", "PATCH", u + "/${user_jane}", {"email": "Janet@Example.com"}),
        S("user_update_email_taken_422", "PATCH", u + "/${user_jane}", {"email": "owner-a@example.com"}),
        S("user_update_email_invalid_422", "PATCH", u + "/${user_jane}", {"email": "janet"}),
        S("user_update_email_null_422", "PATCH", u + "/${user_jane}", {"email": None}),
        S(
            "user_update_many_errors_422",
            "PATCH",
            u + "/${user_jane}",
            {"first_name": 5, "last_name": L256, "email": "nope", "newsletter": "x"},
        ),
        S("user_update_shared_name_403", "PATCH", u + "/${user_shared}", {"first_name": "Changed"}),
        S("user_update_shared_newsletter", "PATCH", u + "/${user_shared}", {"newsletter": False, "first_name": "Sam"}),
        S("user_update_unknown_404", "PATCH", u + "/999999", {"first_name": "x"}),
        S("user_update_read_key_403", "PATCH", u + "/${user_jane}", {"first_name": "x"}, auth="A_read"),
        S("user_delete_405", "DELETE", u + "/${user_jane}"),
        S("users_list_after", "GET", u),
        S("users_list_page_2", "GET", u + "?per_page=2&page=2"),
        S("users_list_page_zero_422", "GET", u + "?page=0"),
        S("users_list_per_page_101_422", "GET", u + "?per_page=101"),
        S("users_list_other_workspace", "GET", u, auth="B"),
        S("login_link", "GET", u + "/login-link?email=janet@example.com"),
        S("login_link_uppercase_email", "GET", u + "/login-link?email=JANET@EXAMPLE.COM"),
        S("login_link_missing_email_422", "GET", u + "/login-link"),
        S("login_link_unknown_email_422", "GET", u + "/login-link?email=nobody@example.com"),
        S("login_link_other_workspace_member_422", "GET", u + "/login-link?email=owner-b@example.com"),
        S("login_link_owner_with_write_key_403", "GET", u + "/login-link?email=owner-a@example.com", auth="A_write"),
        S("login_link_read_key_403", "GET", u + "/login-link?email=janet@example.com", auth="A_read"),
        S("login_link_post_405", "POST", u + "/login-link", {}),
        S("settings_set_store_url", "PATCH", "/api/settings/store", {"url": "https://shop.example.com/"}),
        S("login_link_with_store_url", "GET", u + "/login-link?email=janet@example.com"),
        S("store_info_with_store_url", "GET", "/api/store/info"),
    ]


def article_category_steps() -> list[Step]:
    a = "/api/article-categories"
    return [
        S("article_categories_list_empty", "GET", a),
        S("article_category_create", "POST", a, {"title": "Guides", "sort_order": 1}, capture={"ac_guides": "data.id"}),
        S(
            "article_category_create_child",
            "POST",
            a,
            {"title": "Camera Guides", "parent_id": "${ac_guides}"},
            capture={"ac_camera": "data.id"},
        ),
        S(
            "article_category_create_parent_as_string",
            "POST",
            a,
            {"title": "Lens Guides", "parent_id": "${ac_camera:s}", "content_top": "Top", "sort_order": "3"},
            capture={"ac_lens": "data.id"},
        ),
        S(
            "article_category_create_other_workspace",
            "POST",
            a,
            {"title": "Theirs"},
            auth="B",
            capture={"b_ac": "data.id"},
        ),
        S("article_category_create_unknown_parent_422", "POST", a, {"title": "x", "parent_id": 999999}),
        S("article_category_create_other_workspace_parent_422", "POST", a, {"title": "x", "parent_id": "${b_ac}"}),
        S(
            "article_category_create_many_errors_422",
            "POST",
            a,
            {
                "title": "",
                "parent_id": "x",
                "sort_order": None,
                "enabled": "perhaps",
                "meta_description": 5,
                "subtitle": L256,
            },
        ),
        S("article_category_create_slug_taken_422", "POST", a, {"title": "Other", "slug": "Guides"}),
        S("article_category_create_slug_symbols_422", "POST", a, {"title": "x", "slug": "%%%"}),
        S("article_category_create_read_key_403", "POST", a, {"title": "x"}, auth="A_read"),
        S("article_category_get", "GET", a + "/${ac_guides}"),
        S("article_category_get_unknown_404", "GET", a + "/999999"),
        S("article_category_get_other_workspace_404", "GET", a + "/${b_ac}"),
        S("article_category_update_cycle_422", "PATCH", a + "/${ac_guides}", {"parent_id": "${ac_lens}"}),
        S("article_category_update_self_parent_422", "PATCH", a + "/${ac_guides}", {"parent_id": "${ac_guides}"}),
        S(
            "article_category_update",
            "PATCH",
            a + "/${ac_camera}",
            {"subtitle": "Hands-on", "title": "Camera Guides 2026"},
        ),
        S("article_category_update_slug_taken_422", "PATCH", a + "/${ac_camera}", {"slug": "lens-guides"}),
        S("article_category_update_other_workspace_404", "PATCH", a + "/${b_ac}", {"title": "x"}),
        S("article_categories_list", "GET", a),
        S("article_categories_list_roots", "GET", a + "?parent_id="),
        S("article_categories_list_children", "GET", a + "?parent_id=${ac_guides}"),
        S("article_categories_list_parent_bad_422", "GET", a + "?parent_id=abc"),
        S("article_categories_list_search", "GET", a + "?search=LENS"),
        S("article_categories_list_enabled_bad_422", "GET", a + "?enabled=perhaps"),
        S("article_categories_list_sort", "GET", a + "?sort_by=sort_order&sort_dir=asc"),
        S("article_categories_list_sort_both_bad_422", "GET", a + "?sort_by=bad&sort_dir=bad"),
        S("article_categories_list_many_bad_422", "GET", a + "?sort_by=bad&enabled=perhaps&parent_id=x"),
        S("article_categories_list_articles_key", "GET", a, auth="A_articles_read"),
    ]


def article_steps() -> list[Step]:
    a = "/api/articles"
    return [
        S("articles_list_empty", "GET", a),
        S(
            "article_create",
            "POST",
            a,
            {
                "title": "Best Cameras of 2026",
                "content": "<p>Our picks.</p>",
                "published_at": "2021-01-15T10:00:00+02:00",
                "article_categories": ["${ac_camera}", "${ac_guides}"],
                "product_category_id": "${cat_root}",
                "hero_image_url": "https://img.example.com/hero.jpg",
                "listing_image_url": None,
                "meta_title": "Best cameras",
                "generate_seo_keyword": "best cameras",
                "generate_ai_content": False,
            },
            capture={"art_best": "data.id"},
        ),
        S("article_create_minimal", "POST", a, {"title": "A Guide"}, capture={"art_guide": "data.id"}),
        S(
            "article_create_date_only",
            "POST",
            a,
            {"title": "Dated", "published_at": "2021-02-01", "enabled": "false"},
            capture={"art_dated": "data.id"},
        ),
        S(
            "article_create_ids_as_strings",
            "POST",
            a,
            {
                "title": "Strings",
                "product_category_id": "${cat_home:s}",
                "article_categories": ["${ac_lens:s}", "${ac_lens}"],
            },
            capture={"art_strings": "data.id"},
        ),
        S("article_create_other_workspace", "POST", a, {"title": "Theirs"}, auth="B", capture={"b_article": "data.id"}),
        S("article_create_bad_date_422", "POST", a, {"title": "x", "published_at": "yesterday"}),
        S(
            "article_create_unknown_categories_422",
            "POST",
            a,
            {"title": "x", "article_categories": ["${ac_guides}", 999999, "${b_ac}"]},
        ),
        S("article_create_unknown_product_category_422", "POST", a, {"title": "x", "product_category_id": 999999}),
        S(
            "article_create_other_workspace_product_category_422",
            "POST",
            a,
            {"title": "x", "product_category_id": "${b_cat}"},
        ),
        S("article_create_categories_null_422", "POST", a, {"title": "x", "article_categories": None}),
        S("article_create_slug_taken_422", "POST", a, {"title": "x", "slug": "A Guide"}),
        S(
            "article_create_many_errors_422",
            "POST",
            a,
            {
                "title": L256,
                "published_at": "2026-13-01",
                "article_categories": "1",
                "product_category_id": "abc",
                "enabled": "maybe",
                "generate_ai_content": "perhaps",
                "hero_image_url": 5,
                "slug": "a-guide",
            },
        ),
        S(
            "article_create_unknown_refs_and_bad_fields_422",
            "POST",
            a,
            {"title": "", "article_categories": [999999], "product_category_id": 999999},
        ),
        S("article_create_ai_content", "POST", a, {"title": "x", "generate_ai_content": True}, settle=True),
        S("article_create_ai_content_string", "POST", a, {"title": "x", "generate_ai_content": "perhaps"}, settle=True),
        S("article_create_ai_images", "POST", a, {"title": "x", "generate_images": ["hero", "social"]}, settle=True),
        S("article_create_ai_bad_image_source_422", "POST", a, {"title": "x", "image_source": "camera"}),
        S("article_create_ai_missing_title_422", "POST", a, {"generate_ai_content": True}),
        S(
            "article_create_ai_unknown_category",
            "POST",
            a,
            {"title": "x", "generate_ai_content": True, "article_categories": [999999]},
            settle=True,
        ),
        S("article_create_read_key_403", "POST", a, {"title": "x"}, auth="A_read"),
        S("article_create_articles_read_key_403", "POST", a, {"title": "x"}, auth="A_articles_read"),
        S("article_get", "GET", a + "/${art_best}"),
        S("article_get_unknown_404", "GET", a + "/999999"),
        S("article_get_other_workspace_404", "GET", a + "/${b_article}"),
        S(
            "article_update",
            "PATCH",
            a + "/${art_best}",
            {"title": "Best Cameras of 2026 (updated)", "article_categories": ["${ac_lens}"], "subtitle": "Our picks"},
        ),
        S("article_update_slug", "PATCH", a + "/${art_best}", {"slug": "Best Cameras"}),
        S("article_update_slug_taken_422", "PATCH", a + "/${art_best}", {"slug": "a-guide"}),
        S("article_update_published_null", "PATCH", a + "/${art_dated}", {"published_at": None}),
        S("article_update_categories_empty", "PATCH", a + "/${art_strings}", {"article_categories": []}),
        S("article_update_ai", "PATCH", a + "/${art_best}", {"image_source": "ai"}, settle=True),
        S("article_update_other_workspace_404", "PATCH", a + "/${b_article}", {"title": "x"}),
        S("article_update_title_blank_422", "PATCH", a + "/${art_best}", {"title": " "}),
        S("article_fill_empty_images", "POST", a + "/${art_best}/fill-empty-images"),
        S("article_fill_empty_images_again", "POST", a + "/${art_best}/fill-empty-images"),
        S("article_fill_empty_images_no_hero", "POST", a + "/${art_guide}/fill-empty-images"),
        S("article_fill_empty_images_unknown_404", "POST", a + "/999999/fill-empty-images"),
        S("article_fill_empty_images_read_key_403", "POST", a + "/${art_best}/fill-empty-images", auth="A_read"),
        S("article_fill_empty_images_get_405", "GET", a + "/${art_best}/fill-empty-images"),
        S("articles_list", "GET", a),
        S("articles_list_search", "GET", a + "?search=GUIDE"),
        S("articles_list_enabled_false", "GET", a + "?enabled=false"),
        S("articles_list_generated_false", "GET", a + "?generated=0"),
        S("articles_list_generated_bad_422", "GET", a + "?generated=maybe"),
        S("articles_list_category", "GET", a + "?article_category_id=${ac_lens}"),
        S("articles_list_category_bad_422", "GET", a + "?article_category_id=abc"),
        S("articles_list_sort_published_asc", "GET", a + "?sort_by=published_at&sort_dir=asc"),
        S("articles_list_sort_bad_422", "GET", a + "?sort_by=views"),
        S("articles_list_page_2", "GET", a + "?per_page=2&page=2"),
        S("articles_list_page_huge", "GET", a + "?page=" + HUGE),
        S("articles_list_per_page_zero_422", "GET", a + "?per_page=0"),
        S("articles_list_empty_filters", "GET", a + "?search=&enabled=&sort_by=&sort_dir="),
        S("articles_generate_topics_offline_503", "POST", a + "/generate-topics", {"count": 3}),
        S("articles_generate_topics_get", "GET", a + "/generate-topics"),
        S("article_delete", "DELETE", a + "/${art_guide}"),
        S("article_delete_again_404", "DELETE", a + "/${art_guide}"),
        S("article_category_with_articles", "GET", "/api/article-categories/${ac_lens}"),
        S("article_category_delete_parent", "DELETE", "/api/article-categories/${ac_guides}"),
        S("article_category_child_became_root", "GET", "/api/article-categories/${ac_camera}"),
        S("article_after_category_delete", "GET", a + "/${art_best}"),
        S("article_category_delete_read_key_403", "DELETE", "/api/article-categories/${ac_camera}", auth="A_read"),
    ]


def page_steps() -> list[Step]:
    p = "/api/pages"
    return [
        S("pages_list_read_key_creates_homepage", "GET", p, auth="A_read", capture={"page_home": "data.0.id"}),
        S(
            "page_create",
            "POST",
            p,
            {"title": "About Us", "key": "about", "content": "<p>Us.</p>"},
            capture={"page_about": "data.id"},
        ),
        S("page_create_empty_key", "POST", p, {"title": "No Key", "key": ""}, capture={"page_nokey": "data.id"}),
        S("page_create_title_home", "POST", p, {"title": "Home"}, capture={"page_home2": "data.id"}),
        S("page_create_other_workspace", "POST", p, {"title": "Theirs"}, auth="B", capture={"b_page": "data.id"}),
        S("page_create_key_taken_422", "POST", p, {"title": "x", "key": "about"}),
        S("page_create_homepage_key_taken_422", "POST", p, {"title": "x", "key": "homepage"}),
        S("page_create_slug_taken_422", "POST", p, {"title": "x", "slug": "home"}),
        S(
            "page_create_many_errors_422",
            "POST",
            p,
            {"title": None, "key": 5, "slug": L256, "enabled": "no", "meta_title": []},
        ),
        S("page_create_key_and_slug_taken_422", "POST", p, {"title": "x", "key": "about", "slug": "about-us"}),
        S("page_create_ai", "POST", p, {"title": "x", "generate_ai_content": True}, settle=True),
        S("page_create_ai_bad_422", "POST", p, {"title": "x", "generate_images": "often"}),
        S("page_create_read_key_403", "POST", p, {"title": "x"}, auth="A_read"),
        S("page_get", "GET", p + "/${page_about}"),
        S("page_get_unknown_404", "GET", p + "/999999"),
        S("page_get_other_workspace_404", "GET", p + "/${b_page}"),
        S("page_update", "PATCH", p + "/${page_about}", {"subtitle": "Who we are", "key": "about-us"}),
        S("page_update_key_taken_422", "PATCH", p + "/${page_about}", {"key": "homepage"}),
        S("page_update_key_own", "PATCH", p + "/${page_about}", {"key": "about-us"}),
        S("page_update_key_null", "PATCH", p + "/${page_nokey}", {"key": None, "enabled": False}),
        S("page_update_ai", "PATCH", p + "/${page_about}", {"generate_images": ["listing"]}, settle=True),
        S("page_update_other_workspace_404", "PATCH", p + "/${b_page}", {"title": "x"}),
        S("pages_list", "GET", p),
        S("pages_list_key", "GET", p + "?key=homepage"),
        S("pages_list_search", "GET", p + "?search=ABOUT"),
        S("pages_list_enabled_false", "GET", p + "?enabled=false"),
        S("pages_list_sort_key_asc", "GET", p + "?sort_by=key&sort_dir=asc"),
        S("pages_list_sort_bad_422", "GET", p + "?sort_by=content"),
        S("pages_list_other_workspace", "GET", p, auth="B"),
        S("page_delete", "DELETE", p + "/${page_nokey}"),
        S("page_delete_homepage", "DELETE", p + "/${page_home}"),
        S("pages_list_recreates_homepage", "GET", p + "?key=homepage"),
        S("page_delete_again_404", "DELETE", p + "/${page_home}"),
        S("page_delete_read_key_403", "DELETE", p + "/${page_about}", auth="A_read"),
        S("page_post_item_405", "POST", p + "/${page_about}", {}),
    ]


def config_steps() -> list[Step]:
    c = CONFIGS
    return [
        S("configs_list", "GET", c, capture={"cfg_default": "0.config_id"}),
        S("configs_list_public", "GET", c + "?scope=PUBLIC"),
        S("configs_list_private_empty", "GET", c + "?scope=PRIVATE"),
        S("configs_list_scope_bad_422", "GET", c + "?scope=public"),
        S("configs_list_no_auth_401", "GET", c, auth="none"),
        S("configs_list_unknown_key_401", "GET", c, auth="bogus"),
        S("configs_list_unknown_x_api_key_401", "GET", c, auth="bogus", via="x-api-key"),
        S("configs_list_basic_scheme_401", "GET", c, auth="basic"),
        S("configs_list_x_api_key", "GET", c, via="x-api-key"),
        S("configs_list_access_token", "GET", c, auth="A_token"),
        S("configs_list_products_key_403", "GET", c, auth="A_products_read"),
        S("config_get_public", "GET", c + "/${cfg_default}"),
        S("config_create", "POST", c, CONFIG_BODY, capture={"cfg_brandx": "config_id"}),
        S(
            "config_create_second",
            "POST",
            c,
            {"name": "other", "content_config": {}},
            capture={"cfg_other": "config_id"},
        ),
        S(
            "config_create_other_workspace",
            "POST",
            c,
            {"name": "theirs", "content_config": {}},
            auth="B",
            capture={"b_cfg": "config_id"},
        ),
        S("config_create_name_taken_409", "POST", c, CONFIG_BODY),
        S("config_create_public_name_409", "POST", c, {"name": "default", "content_config": {}}),
        S("config_create_bad_name_422", "POST", c, {"name": "Brand-X", "content_config": {}}),
        S("config_create_name_too_long_422", "POST", c, {"name": "a" * 21, "content_config": {}}),
        S("config_create_description_empty_422", "POST", c, {"name": "desc", "description": "", "content_config": {}}),
        S(
            "config_create_description_too_long_422",
            "POST",
            c,
            {"name": "desc", "description": L257, "content_config": {}},
        ),
        S("config_create_scope_public_422", "POST", c, {"name": "pub", "scope": "PUBLIC", "content_config": {}}),
        S("config_create_unknown_field_422", "POST", c, {"name": "unk", "content_config": {}, "extra": 1}),
        S("config_create_missing_content_config_422", "POST", c, {"name": "nocfg"}),
        S("config_create_content_config_string_422", "POST", c, {"name": "str", "content_config": "default"}),
        S(
            "config_create_content_config_bad_nested_422",
            "POST",
            c,
            {
                "name": "nested",
                "content_config": {
                    "content_types": {"title": {"charcter_limit": 10, "character_limit": 0}},
                    "client": {"content_type_family_map": {"title": "heading"}, "forbidden_words": [""]},
                    "word_map": {"a": 1},
                    "style_guide": {"tone_of_voice": 5},
                    "tone": {"GENERIC": {"a": ["b"]}},
                },
            },
        ),
        S(
            "config_create_content_type_name_bad_422",
            "POST",
            c,
            {"name": "tname", "content_config": {"content_types": {"Title!": {}}}},
        ),
        S("config_create_unknown_top_key_422", "POST", c, {"name": "topkey", "content_config": {"guidlines": ["x"]}}),
        S(
            "config_create_many_errors_422",
            "POST",
            c,
            {"name": "X", "description": "", "scope": "PUBLIC", "extra": 1, "zzz": 2},
        ),
        S("config_create_non_object_422", "POST", c, []),
        S("config_create_malformed_422", "POST", c, raw='{"name": ', headers=JSON_CT),
        S("config_create_empty_body_422", "POST", c, raw="", headers=JSON_CT),
        S("config_create_text_plain_422", "POST", c, raw='{"name": "t", "content_config": {}}', headers=TEXT_CT),
        S("config_create_read_key_403", "POST", c, {"name": "ro", "content_config": {}}, auth="A_read"),
        S("config_create_content_read_key_403", "POST", c, {"name": "ro", "content_config": {}}, auth="A_content_read"),
        S("config_create_read_key_malformed_json", "POST", c, raw="{", headers=JSON_CT, auth="A_read"),
        S("config_get", "GET", c + "/${cfg_brandx}"),
        S("config_get_by_name_404", "GET", c + "/brandx"),
        S("config_get_unknown_404", "GET", c + "/" + UNKNOWN_UUID),
        S("config_get_other_workspace_404", "GET", c + "/${b_cfg}"),
        S("config_get_content_read_key", "GET", c + "/${cfg_brandx}", auth="A_content_read"),
        S(
            "config_replace",
            "PUT",
            c + "/${cfg_brandx}",
            {**CONFIG_BODY, "name": "brandy", "description": None, "config_id": "ignored", "scope": "PRIVATE"},
        ),
        S("config_replace_public_403", "PUT", c + "/${cfg_default}", {"name": "default", "content_config": {}}),
        S("config_replace_unknown_404", "PUT", c + "/" + UNKNOWN_UUID, {"name": "x", "content_config": {}}),
        S("config_replace_unknown_bad_body_404", "PUT", c + "/" + UNKNOWN_UUID, {"name": "X"}),
        S("config_replace_bad_body_422", "PUT", c + "/${cfg_brandx}", {"name": "brandy"}),
        S("config_replace_name_taken_409", "PUT", c + "/${cfg_other}", {"name": "brandy", "content_config": {}}),
        S("config_replace_other_workspace_404", "PUT", c + "/${b_cfg}", {"name": "mine", "content_config": {}}),
        S(
            "config_replace_read_key_403",
            "PUT",
            c + "/${cfg_brandx}",
            {"name": "x", "content_config": {}},
            auth="A_read",
        ),
        S("config_patch_405", "PATCH", c + "/${cfg_brandx}", {"name": "x"}),
        S("config_post_item_405", "POST", c + "/${cfg_brandx}", {}),
        S("configs_delete_collection_405", "DELETE", c),
        S("configs_put_collection_405", "PUT", c, {}),
        S("config_delete_public_403", "DELETE", c + "/${cfg_default}"),
        S("config_delete_other_workspace_404", "DELETE", c + "/${b_cfg}"),
        S("config_delete_read_key_403", "DELETE", c + "/${cfg_other}", auth="A_read"),
        S("config_delete", "DELETE", c + "/${cfg_other}"),
        S("config_get_deleted_404", "GET", c + "/${cfg_other}"),
        S("config_delete_again_404", "DELETE", c + "/${cfg_other}"),
        S("configs_list_after", "GET", c),
        S("configs_list_private_after", "GET", c + "?scope=PRIVATE"),
        S("configs_list_other_workspace", "GET", c, auth="B"),
        S("content_unknown_path_404", "GET", "/brandbrain/nope"),
        S("content_unknown_path_no_auth_404", "GET", "/brandbrain/content-generation/nope", auth="none"),
        S("content_prefix_alone_404", "GET", "/brandbrain"),
        S("content_body_too_large_413", "POST", c, big_body=1_100_000, headers=JSON_CT),
    ]


TERMINAL = ("completed", "failed", "cancelled")


def submit_steps() -> list[Step]:
    j = JOBS
    many = [str(i) for i in range(1001)]
    return [
        S("job_submit_no_auth_401", "POST", j, gen(), auth="none"),
        S("job_submit_read_key_403", "POST", j, gen(), auth="A_read"),
        S("job_submit_content_read_key_403", "POST", j, gen(), auth="A_content_read"),
        S("job_submit_read_key_bad_body_403", "POST", j, {"products": 1}, auth="A_read"),
        S("job_submit_empty_body_422", "POST", j, raw="", headers=JSON_CT),
        S("job_submit_malformed_422", "POST", j, raw='{"products": [', headers=JSON_CT),
        S("job_submit_text_plain_422", "POST", j, raw=json.dumps(gen()), headers=TEXT_CT),
        S("job_submit_array_422", "POST", j, [gen()]),
        S("job_submit_null_422", "POST", j, raw="null", headers=JSON_CT),
        S("job_submit_empty_object_422", "POST", j, {}),
        S("job_submit_both_sources_422", "POST", j, {**gen(), "product_ids": ["1"]}),
        S("job_submit_no_source_422", "POST", j, gen(products=None)),
        S("job_submit_duplicate_ids_422", "POST", j, by_ids("7", "8", "7", "8")),
        S("job_submit_duplicate_inline_ids_422", "POST", j, gen(products=[SHOES[0], SHOES[0]])),
        S("job_submit_product_ids_empty_422", "POST", j, by_ids()),
        S("job_submit_product_ids_bad_items_422", "POST", j, by_ids(True, "", 1.5, None)),
        S(
            "job_submit_product_ids_too_many_422",
            "POST",
            j,
            {"product_ids": many, "content_generation_params": params()},
        ),
        S("job_submit_products_missing_fields_422", "POST", j, gen(products=[{"product_id": "p1"}])),
        S(
            "job_submit_products_wrong_types_422",
            "POST",
            j,
            gen(products=[{**SHOES[0], "product_id": 1001, "brand": None, "keywords": ["x"]}]),
        ),
        S("job_submit_product_attributes_empty_422", "POST", j, one_product(attributes=[])),
        S(
            "job_submit_product_attribute_extra_key_422",
            "POST",
            j,
            one_product(attributes=[{"name": "colour", "value": "Red", "unit": "x"}]),
        ),
        S(
            "job_submit_product_attribute_bad_value_422",
            "POST",
            j,
            one_product(attributes=[{"name": "colour", "value": {"a": 1}}]),
        ),
        S("job_submit_product_review_missing_text_422", "POST", j, one_product(reviews=[{"review_id": "r"}])),
        S("job_submit_two_bad_products_422", "POST", j, gen(products=[{"product_id": ""}, {**SHOES[1], "market": ""}])),
        S("job_submit_params_missing_422", "POST", j, {"product_ids": ["1"]}),
        S("job_submit_params_not_object_422", "POST", j, {"product_ids": ["1"], "content_generation_params": "title"}),
        S("job_submit_content_types_empty_422", "POST", j, by_ids("1", content_types=[])),
        S("job_submit_content_types_duplicate_422", "POST", j, by_ids("1", content_types=["title", "desc", "title"])),
        S("job_submit_content_types_unknown_422", "POST", j, by_ids("1", content_types=["title", "slogan", "jingle"])),
        S("job_submit_content_types_not_list_422", "POST", j, by_ids("1", content_types="title")),
        S("job_submit_params_unknown_key_422", "POST", j, by_ids("1", tone="warm")),
        S(
            "job_submit_config_unknown_key_422",
            "POST",
            j,
            by_ids("1", content_config={"content_types": {"title": {"charcter_limit": 5}}}),
        ),
        S(
            "job_submit_config_limit_zero_422",
            "POST",
            j,
            by_ids("1", content_config={"content_types": {"title": {"character_limit": 0}}}),
        ),
        S(
            "job_submit_config_limit_string_422",
            "POST",
            j,
            by_ids("1", content_config={"content_types": {"title": {"character_limit": "100"}}}),
        ),
        S(
            "job_submit_config_family_bad_422",
            "POST",
            j,
            by_ids("1", content_config={"client": {"content_type_family_map": {"title": "list"}}}),
        ),
        S("job_submit_config_not_object_422", "POST", j, by_ids("1", content_config=["title"])),
        S("job_submit_config_name_unknown_422", "POST", j, by_ids("1", content_config="nosuch")),
        S("job_submit_config_id_unknown_422", "POST", j, by_ids("1", content_config_id=UNKNOWN_UUID)),
        S("job_submit_config_twice_422", "POST", j, by_ids("1", content_config="default", content_config_id="default")),
        S("job_submit_config_other_workspace_422", "POST", j, by_ids("1", content_config_id="theirs")),
        S("job_submit_model_unknown_422", "POST", j, gen(generation_model_name="gpt-3")),
        S("job_submit_model_empty_422", "POST", j, gen(generation_model_name="")),
        S("job_submit_callback_ftp_422", "POST", j, gen(callback_url="ftp://hooks.example.com/x")),
        S("job_submit_callback_credentials_422", "POST", j, gen(callback_url="https://user:pw@hooks.example.com/x")),
        S("job_submit_callback_too_long_422", "POST", j, gen(callback_url="https://hooks.example.com/" + "a" * 2048)),
        S("job_submit_tracking_id_empty_422", "POST", j, gen(external_tracking_id="")),
        S("job_submit_skip_grouping_string_422", "POST", j, gen(skip_grouping="yes")),
        S("job_submit_unknown_top_field_422", "POST", j, gen(priority="high")),
        S(
            "job_submit_unknown_type_and_bad_model_422",
            "POST",
            j,
            by_ids("1", content_types=["slogan"]) | {"generation_model_name": "x"},
        ),
        S(
            "job_submit_many_errors_422",
            "POST",
            j,
            {
                "products": [{"product_id": 5}],
                "skip_grouping": 1,
                "content_generation_params": {"content_types": [1], "market": ""},
                "extra": True,
            },
        ),
        S("jobs_get_collection_405", "GET", j),
        S("jobs_put_collection_405", "PUT", j, {}),
        S("job_submit_body_too_large_413", "POST", j, big_body=1_100_000, headers=JSON_CT),
    ]


def generation_steps() -> list[Step]:
    j = JOBS
    return [
        S("job1_submit", "POST", j, gen(), capture={"job1": "job_id"}),
        S("job1_wait_completed", "GET", j + "/${job1}/status", poll=("status", TERMINAL)),
        S("job1_status_prefixed_id", "GET", j + "/job_${job1}/status"),
        S("job1_result", "GET", j + "/${job1}/result"),
        S("job1_result_x_api_key", "GET", j + "/${job1}/result", via="x-api-key"),
        S("job1_config", "GET", j + "/${job1}/config"),
        S("job1_result_post_405", "POST", j + "/${job1}/result", {}),
        S("job1_status_delete_405", "DELETE", j + "/${job1}/status"),
        S(
            "job2_submit_catalog_saved_config",
            "POST",
            j,
            by_ids(
                "${p_gadget}",
                "${p_cafe:s}",
                "prod_${p_odd}",
                "missing-1",
                "${p_doomed:s}",
                "${b_product:s}",
                content_types=["title", "tagline", "meta_description"],
                content_config_id="brandy",
                content_config={"content_types": {"title": {"character_limit": 80}}, "word_map": {"gadget": "device"}},
                market="uk",
                language="en",
            )
            | {"generation_model_name": "gpt-4.1", "external_tracking_id": "track-002"},
            capture={"job2": "job_id"},
        ),
        S("job2_wait_completed", "GET", j + "/${job2}/status", poll=("status", TERMINAL)),
        S("job2_result", "GET", j + "/${job2}/result"),
        S("job2_config_merged", "GET", j + "/${job2}/config"),
        S(
            "job3_submit_public_config_by_id",
            "POST",
            j,
            by_ids(
                "${p_gadget:s}",
                content_types=["short_title", "howtouse", "short_bullets", "meta_title", "long_title", "desc"],
                content_config_id="${cfg_default}",
                content_config={"client": {"skip_content_types": ["howtouse"]}},
            )
            | {"skip_grouping": True},
            capture={"job3": "job_id"},
        ),
        S("job3_wait_completed", "GET", j + "/${job3}/status", poll=("status", TERMINAL)),
        S("job3_result", "GET", j + "/${job3}/result"),
        S("job3_config", "GET", j + "/${job3}/config"),
        S(
            "job4_submit_config_by_name_string",
            "POST",
            j,
            by_ids(
                "${p_odd}",
                "${p_cafe2}",
                content_types=["title", "bullets", "desc", "howtouse", "short_desc"],
                content_config="default",
            ),
            capture={"job4": "job_id"},
        ),
        S("job4_wait_completed", "GET", j + "/${job4}/status", poll=("status", TERMINAL)),
        S("job4_result", "GET", j + "/${job4}/result"),
        S("job_odd_id_submit", "POST", j, by_ids("1", "²"), capture={"job_odd": "job_id"}),
        S("job_odd_id_wait", "GET", j + "/${job_odd}/status", poll=("status", TERMINAL)),
        S("job_odd_id_result", "GET", j + "/${job_odd}/result"),
        S("job_odd_id_config", "GET", j + "/${job_odd}/config"),
        S("job_other_workspace_submit", "POST", j, one_product(), auth="B", capture={"b_job": "job_id"}),
        S("job_other_workspace_wait", "GET", j + "/${b_job}/status", auth="B", poll=("status", TERMINAL)),
        S("job_status_other_workspace_404", "GET", j + "/${b_job}/status"),
        S("job_result_other_workspace_404", "GET", j + "/${b_job}/result"),
        S("job_config_other_workspace_404", "GET", j + "/${b_job}/config"),
        S("job_status_unknown_404", "GET", j + "/" + UNKNOWN_UUID + "/status"),
        S("job_result_unknown_404", "GET", j + "/" + UNKNOWN_UUID + "/result"),
        S("job_config_malformed_id_404", "GET", j + "/not-a-uuid/config"),
        S("job_status_no_auth_401", "GET", j + "/${job1}/status", auth="none"),
        S("job_status_products_key_403", "GET", j + "/${job1}/status", auth="A_products_read"),
        S("job_feedback", "POST", j + "/${job1}/feedback", FEEDBACK),
        S(
            "job_feedback_second_product",
            "POST",
            j + "/${job1}/feedback",
            {**FEEDBACK, "product_id": "1002", "comment_history": []},
        ),
        S("job_feedback_product_not_in_job_422", "POST", j + "/${job1}/feedback", {**FEEDBACK, "product_id": "9999"}),
        S("job_feedback_empty_object_422", "POST", j + "/${job1}/feedback", {}),
        S("job_feedback_unknown_fields_422", "POST", j + "/${job1}/feedback", {**FEEDBACK, "rating": 5, "author": "x"}),
        S(
            "job_feedback_bad_contents_422",
            "POST",
            j + "/${job1}/feedback",
            {
                **FEEDBACK,
                "initial_pdp_content": {"title": 5},
                "corrected_pdp_content": "text",
                "comment_history": [
                    {"content_type": "title"},
                    "x",
                    {"content_type": "t", "feedback": "f", "initial_content": 3},
                ],
            },
        ),
        S("job_feedback_history_not_list_422", "POST", j + "/${job1}/feedback", {**FEEDBACK, "comment_history": {}}),
        S("job_feedback_non_object_422", "POST", j + "/${job1}/feedback", ["x"]),
        S("job_feedback_malformed_422", "POST", j + "/${job1}/feedback", raw="{", headers=JSON_CT),
        S(
            "job_feedback_catalog_job_int_id_422",
            "POST",
            j + "/${job2}/feedback",
            {**FEEDBACK, "product_id": "${p_gadget}"},
        ),
        S("job_feedback_catalog_job", "POST", j + "/${job2}/feedback", {**FEEDBACK, "product_id": "${p_gadget:s}"}),
        S("job_feedback_read_key_403", "POST", j + "/${job1}/feedback", FEEDBACK, auth="A_read"),
        S(
            "job_feedback_read_key_unknown_job_403",
            "POST",
            j + "/" + UNKNOWN_UUID + "/feedback",
            FEEDBACK,
            auth="A_read",
        ),
        S("job_feedback_unknown_job_404", "POST", j + "/" + UNKNOWN_UUID + "/feedback", FEEDBACK),
        S("job_feedback_other_workspace_404", "POST", j + "/${b_job}/feedback", FEEDBACK),
        S("job_feedback_no_auth_401", "POST", j + "/${job1}/feedback", FEEDBACK, auth="none"),
        S("job_feedback_get_405", "GET", j + "/${job1}/feedback"),
        S("job_unknown_subpath_404", "GET", j + "/${job1}/nope"),
    ]


def queue_steps() -> list[Step]:
    """Workspace B fills every in-process job slot with long jobs (1,000 unknown product ids each), so a job
    submitted now stays queued: the answers for queued, processing and cancelled jobs are deterministic."""
    j = JOBS
    steps: list[Step] = []
    for n in range(1, 5):
        steps.append(
            S(
                f"blocker{n}_submit",
                "POST",
                j,
                {"product_ids": BLOCKER_IDS, "content_generation_params": params()},
                auth="B",
                capture={f"blocker{n}": "job_id"},
            )
        )
    for n in range(1, 5):
        steps.append(
            S(
                f"blocker{n}_wait_processing",
                "GET",
                j + f"/${{blocker{n}}}/status",
                auth="B",
                poll=("status", ("processing",)),
                mask=("message",),
            )
        )
    steps += [
        S("blocker1_result_processing_409", "GET", j + "/${blocker1}/result", auth="B"),
        S("job_queued_submit", "POST", j, by_ids("${p_gadget}"), capture={"job_queued": "job_id"}),
        S("job_queued_status", "GET", j + "/${job_queued}/status"),
        S("job_queued_result_409", "GET", j + "/${job_queued}/result"),
        S("job_queued_config", "GET", j + "/${job_queued}/config"),
        S("job_queued_v1_get", "GET", "/v1/jobs/${job_queued}"),
        S("job_queued_v1_events", "GET", "/v1/jobs/${job_queued}/events"),
        S("job_queued_feedback", "POST", j + "/${job_queued}/feedback", {**FEEDBACK, "product_id": "${p_gadget:s}"}),
        S("job_queued_cancel_read_key_403", "POST", "/v1/jobs/${job_queued}/cancel", auth="A_read"),
        S("job_queued_cancel", "POST", "/v1/jobs/${job_queued}/cancel"),
        S("job_queued_status_cancelled", "GET", j + "/${job_queued}/status"),
        S("job_queued_result_cancelled_409", "GET", j + "/${job_queued}/result"),
        S("job_queued_cancel_again_409", "POST", "/v1/jobs/${job_queued}/cancel"),
        S("job_queued_v1_events_after_cancel", "GET", "/v1/jobs/${job_queued}/events"),
    ]
    for n in range(1, 5):
        steps.append(
            S(
                f"blocker{n}_cancel_running",
                "POST",
                f"/v1/jobs/${{blocker{n}}}/cancel",
                auth="B",
                mask=("progress", "message"),
            )
        )
    for n in range(1, 5):
        steps.append(
            S(f"blocker{n}_wait_cancelled", "GET", j + f"/${{blocker{n}}}/status", auth="B", poll=("status", TERMINAL))
        )
    steps.append(S("blocker1_result_cancelled_409", "GET", j + "/${blocker1}/result", auth="B"))
    return steps


def v1_steps() -> list[Step]:
    v = "/v1/jobs"
    return [
        S("v1_jobs_list", "GET", v),
        S("v1_jobs_list_x_api_key", "GET", v + "?limit=1", via="x-api-key"),
        S("v1_jobs_list_access_token", "GET", v + "?limit=1", auth="A_token"),
        S("v1_jobs_list_kind", "GET", v + "?kind=content.generation&limit=2"),
        S("v1_jobs_list_kind_unknown", "GET", v + "?kind=nope.kind"),
        S("v1_jobs_list_status_completed", "GET", v + "?status=completed&limit=1"),
        S("v1_jobs_list_statuses", "GET", v + "?status=cancelled&status=failed"),
        S("v1_jobs_list_page_1", "GET", v + "?limit=2", capture={"jobs_cursor": "next"}),
        S("v1_jobs_list_page_2", "GET", v + "?limit=2&after=${jobs_cursor}"),
        S("v1_jobs_list_limit_zero_422", "GET", v + "?limit=0"),
        S("v1_jobs_list_limit_101_422", "GET", v + "?limit=101"),
        S("v1_jobs_list_limit_abc_422", "GET", v + "?limit=abc"),
        S("v1_jobs_list_status_bad_422", "GET", v + "?status=done"),
        S("v1_jobs_list_after_garbage_422", "GET", v + "?after=garbage"),
        S("v1_jobs_list_read_key", "GET", v + "?limit=1&status=failed", auth="A_read"),
        S("v1_jobs_list_content_key_403", "GET", v, auth="A_content_read"),
        S("v1_jobs_list_other_workspace", "GET", v + "?status=completed", auth="B"),
        S("v1_jobs_list_no_auth_401", "GET", v, auth="none"),
        S("v1_jobs_list_unknown_key_401", "GET", v, auth="bogus"),
        S("v1_jobs_list_garbage_token_401", "GET", v, auth="garbage"),
        S("v1_jobs_list_basic_401", "GET", v, auth="basic"),
        S("v1_jobs_list_revoked_401", "GET", v, auth="A_revoked"),
        S("v1_jobs_list_tampered_401", "GET", v, auth="A_tampered"),
        S("v1_jobs_list_unknown_x_api_key_401", "GET", v, auth="bogus", via="x-api-key"),
        S("v1_job_get", "GET", v + "/${job1}"),
        S("v1_job_get_prefixed", "GET", v + "/job_${job2}"),
        S("v1_job_get_odd_id", "GET", v + "/${job_odd}"),
        S("v1_job_get_unknown_404", "GET", v + "/" + UNKNOWN_UUID),
        S("v1_job_get_malformed_404", "GET", v + "/not-a-uuid"),
        S("v1_job_get_other_workspace_404", "GET", v + "/${b_job}"),
        S("v1_job_cancel_completed_409", "POST", v + "/${job1}/cancel"),
        S("v1_job_cancel_finished_409", "POST", v + "/${job_odd}/cancel"),
        S("v1_job_cancel_unknown_404", "POST", v + "/" + UNKNOWN_UUID + "/cancel"),
        S("v1_job_cancel_read_key_403", "POST", v + "/${job1}/cancel", auth="A_read"),
        S("v1_job_cancel_other_workspace_404", "POST", v + "/${b_job}/cancel"),
        S("v1_job_events", "GET", v + "/${job1}/events"),
        S("v1_job_events_after", "GET", v + "/${job2}/events?after=3"),
        S("v1_job_events_odd_id", "GET", v + "/${job_odd}/events"),
        S("v1_job_events_after_abc_422", "GET", v + "/${job1}/events?after=abc"),
        S("v1_job_events_after_huge", "GET", v + "/${job1}/events?after=" + HUGE),
        S("v1_job_events_unknown_404", "GET", v + "/" + UNKNOWN_UUID + "/events"),
        S("v1_job_callbacks", "GET", v + "/${job1}/callbacks"),
        S("v1_job_callbacks_other_workspace_404", "GET", v + "/${b_job}/callbacks"),
        S("v1_job_delete_405", "DELETE", v + "/${job1}"),
        S("v1_jobs_post_405", "POST", v, {}),
        S("v1_jobs_head", "HEAD", v),
        S("v1_job_cancel_get_405", "GET", v + "/${job1}/cancel"),
        S("v1_job_cancel_body_too_large_413", "POST", v + "/${job1}/cancel", big_body=1_100_000, headers=JSON_CT),
        S("v1_unknown_path_404", "GET", "/v1/nope"),
        S("v1_unknown_path_no_auth_404", "GET", "/v1/nope", auth="none"),
        S("v1_prefix_alone_404", "GET", "/v1"),
        S("v1_job_unknown_subpath_404", "GET", v + "/${job1}/nope"),
        S("healthz", "GET", "/healthz", auth="none"),
        S("readyz", "GET", "/readyz", auth="none"),
        S("healthz_post_405", "POST", "/healthz", auth="none"),
        S("root_unknown_path_404", "GET", "/nope", auth="none"),
    ]


def finale_steps() -> list[Step]:
    return [
        S("store_stats_before_clean", "GET", "/api/store/stats"),
        S("store_clean_out_of_stock", "POST", "/api/store/clean", {"operations": ["out_of_stock_offers"]}),
        S("store_clean_default", "POST", "/api/store/clean"),
        S("store_clean_default_again", "POST", "/api/store/clean", {}),
        S("store_stats_after_clean", "GET", "/api/store/stats"),
        S("store_warnings_after_clean", "GET", "/api/store/warnings"),
        S("products_list_after_clean", "GET", "/api/products?sort_by=id&sort_dir=asc"),
        S("brands_list_after_clean", "GET", "/api/brands"),
        S("categories_tree_after_clean", "GET", "/api/categories/tree"),
        S("category_delete", "DELETE", "/api/categories/${cat_root}"),
        S("category_delete_again_404", "DELETE", "/api/categories/${cat_root}"),
        S("category_delete_read_key_403", "DELETE", "/api/categories/${cat_home}", auth="A_read"),
        S("brand_delete", "DELETE", "/api/brands/${brand_acme}"),
        S("brand_delete_again_404", "DELETE", "/api/brands/${brand_acme}"),
        S("product_after_brand_delete", "GET", "/api/products/${p_gadget}?include=brand,categories"),
        S("categories_tree_after_deletes", "GET", "/api/categories/tree"),
        S("auth_expired_key_store_401", "GET", "/api/products", auth="A_expired"),
        S("auth_expired_key_v1_401", "GET", "/v1/jobs", auth="A_expired"),
        S("auth_expired_key_content_401", "GET", CONFIGS, auth="A_expired"),
        S("rate_limit_429", "GET", "/api/store/info", auth="A_limit", until_status=429),
        S("rate_limit_429_other_key_unaffected", "GET", "/api/store/info"),
    ]


def corpus() -> list[Step]:
    return [
        *general_store_steps(),
        *brand_steps(),
        *category_steps(),
        *product_steps(),
        *offer_steps(),
        *catalog_list_steps(),
        *store_endpoint_steps(),
        *settings_steps(),
        *user_steps(),
        *article_category_steps(),
        *article_steps(),
        *page_steps(),
        *config_steps(),
        *submit_steps(),
        *generation_steps(),
        *queue_steps(),
        *v1_steps(),
        *finale_steps(),
    ]


# --- credentials ----------------------------------------------------------------------------------------------

CREATE_KEY = """mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id } userErrors { field message } }
}"""
REVOKE_KEY = "mutation ($id: ID!) { revokeApiKey(id: $id) { userErrors { field message } } }"

# Named credentials backed by API keys made over GraphQL: (workspace, scopes). Each is a pool: a key that has made
# ROTATE_AFTER store requests is replaced by a fresh one with the same scopes, so the store's 60-a-minute limit
# never answers by accident. "A_limit" is the one key that is meant to hit it.
POOLS: dict[str, tuple[str, list[str]]] = {
    "A": ("A", ["full"]),
    "A_read": ("A", ["read"]),
    "A_write": ("A", ["write"]),
    "A_products_read": ("A", ["Products: Read"]),
    "A_articles_read": ("A", ["articles:read"]),
    "A_users_write": ("A", ["users:write"]),
    "A_content_read": ("A", ["content:read"]),
    "B": ("B", ["full"]),
}
ROTATE_AFTER = 40
FIXED_HEADERS: dict[str, dict[str, str]] = {
    "none": {},
    "bogus": {"Authorization": "Bearer swk_00000000_nosuchkey"},
    "garbage": {"Authorization": "Bearer not-a-token"},
    "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
    "empty_bearer": {"Authorization": "Bearer "},
}


class Credentials:
    def __init__(self, client: httpx.AsyncClient, workspaces: dict[str, dict[str, str]]) -> None:
        self.client = client
        self.workspaces = workspaces
        self.pools: dict[str, str] = {}
        self.used: dict[str, int] = {}
        self.tokens: dict[str, str] = {
            "A_owner": workspaces["A"]["api_key"],
            "A_token": workspaces["A"]["access_token"],
            "B_owner": workspaces["B"]["api_key"],
        }
        self.expired_at: datetime | None = None

    async def _graphql(self, workspace: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        owner = {"Authorization": f"Bearer {self.workspaces[workspace]['api_key']}"}
        response = await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=owner)
        body: dict[str, Any] = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data

    async def create_key(
        self, workspace: str, scopes: list[str], expires_at: datetime | None = None
    ) -> tuple[str, str]:
        payload: dict[str, Any] = {"name": "wire-compat", "scopes": scopes}
        if expires_at is not None:
            payload["expiresAt"] = expires_at.isoformat()
        created = (await self._graphql(workspace, CREATE_KEY, {"input": payload}))["createApiKey"]
        assert not created["userErrors"] and created["secret"], created
        return created["secret"], created["apiKey"]["id"]

    async def setup(self) -> None:
        revoked, revoked_id = await self.create_key("A", ["full"])
        revoke = await self._graphql("A", REVOKE_KEY, {"id": revoked_id})
        assert not revoke["revokeApiKey"]["userErrors"], revoke
        self.tokens["A_revoked"] = revoked
        token = self.workspaces["A"]["access_token"]
        self.tokens["A_tampered"] = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.tokens["A_limit"], _ = await self.create_key("A", ["full"])
        self.expired_at = datetime.now(UTC) + timedelta(seconds=2)
        self.tokens["A_expired"], _ = await self.create_key("A", ["full"], expires_at=self.expired_at)

    async def headers(self, name: str, via: str, path: str) -> dict[str, str]:
        if name in FIXED_HEADERS:
            headers = dict(FIXED_HEADERS[name])
            if via == "x-api-key" and "Authorization" in headers:
                return {"x-api-key": headers["Authorization"].removeprefix("Bearer ")}
            return headers
        if name == "A_expired" and self.expired_at is not None:
            wait = (self.expired_at - datetime.now(UTC)).total_seconds() + 0.1
            if wait > 0:
                await asyncio.sleep(wait)
        if name in POOLS:
            current = self.pools.get(name)
            if current is None or (path.startswith("/api") and self.used.get(current, 0) >= ROTATE_AFTER):
                current, _ = await self.create_key(*POOLS[name])
                self.pools[name] = current
            token = current
        else:
            token = self.tokens[name]
        if path.startswith("/api"):
            self.used[token] = self.used.get(token, 0) + 1
        return {"x-api-key": token} if via == "x-api-key" else {"Authorization": f"Bearer {token}"}


# --- placeholders, captures and normalisation -----------------------------------------------------------------

PLACEHOLDER = re.compile(r"\$\{(\w+)(:s)?\}")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})?")
QUOTED_BASE64 = re.compile(r'"([A-Za-z0-9_\-]{24,}={0,2})"')
# Tokens keep their documented prefix, so a change of token format still shows (only the value is volatile).
SECRETS = (
    (re.compile(r"swl_[A-Za-z0-9_\-.]+"), "swl_<login-token>"),
    (re.compile(r"(?<=/magiclink/)(?!swl_)[^\"\s\\?#]+"), "<login-token>"),
    (re.compile(r"swk_[0-9a-f]{8}_[A-Za-z0-9_\-]+"), "swk_<api-key>"),
    (re.compile(r"swt_[A-Za-z0-9_\-.]+"), "swt_<access-token>"),
)
SCALAR = r'("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)'
PRESENCE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "retry-after", "x-ratelimit-reset")
VALUE_HEADERS = ("content-type", "location", "allow")
FIXED_VALUES = {UNKNOWN_UUID}  # values the corpus itself sends: never normalised


def fill(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole and not whole.group(2):
            return variables[whole.group(1)]
        return PLACEHOLDER.sub(lambda m: str(variables[m.group(1)]), value)
    if isinstance(value, list):
        return [fill(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, variables) for k, v in value.items()}
    return value


def dig(body: Any, path: str) -> Any:
    for part in path.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def decode_cursor(raw: str) -> str | None:
    """The text of an opaque base64 cursor (``<iso time>|<id>``), or None when ``raw`` is not one."""
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if "|" in decoded and decoded.isprintable() else None


def is_volatile(value: Any) -> bool:
    """Whether a captured value differs from run to run (random ids, tokens, cursors)."""
    return isinstance(value, str) and bool(
        UUID4.search(value)
        or value.startswith(("swk_", "swt_", "swl_"))
        or (QUOTED_BASE64.fullmatch(f'"{value}"') and decode_cursor(value) is not None)
    )


class Normaliser:
    """Volatile values in a body become stable placeholders; everything else stays byte for byte."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC) - timedelta(minutes=10)
        self.named: dict[str, str] = {}  # captured volatile value -> placeholder

    def _timestamp(self, match: re.Match[str]) -> str:
        text = match.group(0)
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when
        # Only timestamps made during this run are volatile; fixed ones (sent by the corpus, built in) stay.
        return "<ts>" if self.started <= when <= datetime.now(UTC) + timedelta(minutes=10) else text

    def _cursor(self, match: re.Match[str]) -> str:
        decoded = decode_cursor(match.group(1))
        return match.group(0) if decoded is None else f'"<cursor:{self.text(decoded)}>"'

    def text(self, text: str) -> str:
        text = QUOTED_BASE64.sub(self._cursor, text)
        for value, placeholder in sorted(self.named.items(), key=lambda item: -len(item[0])):
            text = text.replace(value, placeholder)
        for pattern, placeholder in SECRETS:
            text = pattern.sub(placeholder, text)
        text = UUID4.sub(lambda m: m.group(0) if m.group(0) in FIXED_VALUES else "<uuid>", text)
        return TIMESTAMP.sub(self._timestamp, text)


def mask(text: str, keys: tuple[str, ...]) -> str:
    for key in keys:
        text = re.sub(rf'"{re.escape(key)}":{SCALAR}', f'"{key}":"<masked>"', text)
    return text


def compact(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def summarise(value: Any) -> Any:
    """A request body as recorded for reading (long lists and strings shortened)."""
    if isinstance(value, list):
        if len(value) > 12:
            return [*(summarise(v) for v in value[:3]), f"... ({len(value)} items)"]
        return [summarise(v) for v in value]
    if isinstance(value, dict):
        return {k: summarise(v) for k, v in value.items()}
    if isinstance(value, str) and len(value) > 300:
        return f"{value[:40]}... ({len(value)} characters)"
    return value


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "headers": self.headers}
        try:
            parsed = json.loads(self.text) if self.text else None
        except ValueError:
            parsed = None
        if self.text and parsed is not None and compact(parsed) == self.text:
            out["body"] = parsed
        else:
            out["body_text"] = self.text
        return out

    @staticmethod
    def expected(record: dict[str, Any]) -> Answer:
        text = compact(record["body"]) if "body" in record else record["body_text"]
        return Answer(record["status"], record["headers"], text)


def request_record(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"method": step.method, "path": step.path, "auth": step.auth}
    if step.via != "bearer":
        out["via"] = step.via
    if step.json is not NO_BODY:
        out["json"] = summarise(step.json)
    if step.raw is not None:
        out["raw"] = summarise(step.raw)
    if step.big_body is not None:
        out["raw"] = f"<{step.big_body} bytes>"
    if step.headers:
        out["headers"] = step.headers
    for name in ("poll", "until_status", "mask"):
        if getattr(step, name):
            out[name] = getattr(step, name)
    return out


# --- running the corpus ---------------------------------------------------------------------------------------


@dataclass
class Run:
    client: httpx.AsyncClient
    credentials: Credentials
    variables: dict[str, Any] = field(default_factory=dict)
    normaliser: Normaliser = field(default_factory=Normaliser)

    async def send(self, step: Step) -> httpx.Response:
        headers = await self.credentials.headers(step.auth, step.via, step.path)
        headers.update(step.headers or {})
        kwargs: dict[str, Any] = {"headers": headers}
        if step.json is not NO_BODY:
            kwargs["json"] = fill(step.json, self.variables)
        elif step.raw == INVALID_UTF8:
            kwargs["content"] = b'{"title": "\xff\xfe"}'
        elif step.raw is not None:
            kwargs["content"] = step.raw.encode()
        elif step.big_body is not None:
            kwargs["content"] = b'{"title": "' + b"x" * step.big_body + b'"}'
        return await self.client.request(step.method, fill(step.path, self.variables), **kwargs)

    async def execute(self, step: Step) -> Answer:
        """Run one step; whatever happens (even an exception out of the app) becomes an answer to compare, so
        that one broken step never hides the others."""
        try:
            response = await self.send(step)
            if step.poll is not None:
                path, wanted = step.poll
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(60):
                        while response.status_code == 200 and dig(response.json(), path) not in wanted:
                            await asyncio.sleep(0.02)
                            response = await self.send(step)
            if step.until_status is not None:
                for _ in range(200):
                    if response.status_code == step.until_status:
                        break
                    response = await self.send(step)
        except Exception as exc:  # reported as this step's answer
            self.capture_failed(step)
            return Answer(0, {}, f"<exception {type(exc).__name__}: {exc}>")
        for name, path in (step.capture or {}).items():
            try:
                value = dig(response.json(), path)
            except (ValueError, KeyError, IndexError, TypeError):
                self.capture_failed(step)
                break
            self.variables[name] = value
            if is_volatile(value):
                self.normaliser.named[value] = f"<{name}>"
        headers = {name: response.headers[name] for name in VALUE_HEADERS if name in response.headers}
        headers.update({name: "<present>" for name in PRESENCE_HEADERS if name in response.headers})
        if "location" in headers:
            headers["location"] = self.normaliser.text(headers["location"])
        text = mask(self.normaliser.text(response.text), step.mask)
        return Answer(response.status_code, headers, text)

    def capture_failed(self, step: Step) -> None:
        """Later steps still run (and show their own differences) when a value could not be captured."""
        for name in step.capture or {}:
            self.variables.setdefault(name, f"not-captured-{name}")


def describe(name: str, step: Step | None, expected: Answer | None, actual: Answer | None) -> str:
    lines = [f"--- {name}" + (f": {step.method} {step.path} (auth {step.auth})" if step else "")]
    if expected is None:
        lines.append("    not in the recording (a new step? record again)")
        return "\n".join(lines)
    if actual is None:
        lines.append("    recorded but not run (a removed step? record again)")
        return "\n".join(lines)
    if expected.status != actual.status:
        lines.append(f"    status: expected {expected.status}, got {actual.status}")
    if expected.headers != actual.headers:
        lines.append(f"    headers: expected {expected.headers}, got {actual.headers}")
    if expected.text != actual.text:

        def pretty(text: str) -> list[str]:
            try:
                return json.dumps(json.loads(text), ensure_ascii=False, indent=1).splitlines()
            except ValueError:
                return text.splitlines() or [text]

        diff = list(difflib.unified_diff(pretty(expected.text), pretty(actual.text), "expected", "actual", lineterm=""))
        if not diff or len(diff) <= 2:
            lines.append("    body: same JSON, different bytes (formatting or key order)")
            lines.append(f"      expected: {expected.text[:400]}")
            lines.append(f"      actual:   {actual.text[:400]}")
        else:
            lines.append("    body:")
            lines.extend("      " + line for line in diff[:80])
            if len(diff) > 80:
                lines.append(f"      ... ({len(diff) - 80} more diff lines)")
    return "\n".join(lines)


def load_golden() -> dict[str, dict[str, Any]]:
    recorded: dict[str, dict[str, Any]] = {}
    for path in GOLDEN_FILES.values():
        assert path.exists(), f"{path.name} is missing: record it with {RECORD_ENV}=1"
        for entry in json.loads(path.read_text())["steps"]:
            recorded[entry["name"]] = entry
    return recorded


def write_golden(entries: list[dict[str, Any]], steps: dict[str, Step]) -> None:
    import shopwright

    for surface, path in GOLDEN_FILES.items():
        mine = [e for e in entries if steps[e["name"]].surface == surface]
        document = {
            "about": "Recorded by tests/compat/test_wire_compat.py; re-record with SHOPWRIGHT_RECORD_GOLDEN=1.",
            "surface": surface,
            "recorded_against": str(Path(shopwright.__file__).resolve().parent.parent),
            "steps": mine,
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")


async def test_wire_compatibility(tmp_path: Path) -> None:
    steps = corpus()
    names = [s.name for s in steps]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"duplicate step names: {duplicates}"
    by_name = {s.name: s for s in steps}
    recording = os.environ.get(RECORD_ENV) == "1"

    import shopwright

    print(f"\nshopwright from {shopwright.__file__}; {'recording' if recording else 'replaying'} {len(steps)} steps")

    url = f"sqlite+aiosqlite:///{tmp_path / 'wire.db'}"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(
        database_url=url,
        data_dir=tmp_path / "data",
        secret_key="wire-compat-secret-key",
        redis_url=None,
        ai_provider="offline",
        callback_allow_private=True,
        public_url=None,
        job_concurrency=4,
        max_body_bytes=1_048_576,
    )
    app = build_app(settings)
    answers: dict[str, Answer] = {}
    async with app.router.lifespan_context(app):
        workspaces = await make_workspaces(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            credentials = Credentials(client, workspaces)
            await credentials.setup()
            run = Run(client, credentials)
            for step in steps:
                answers[step.name] = await run.execute(step)
                if step.settle:
                    await app.state.runtime.queue.drain()

    if recording:
        broken = [name for name, answer in answers.items() if answer.status == 0]
        assert not broken, f"steps that raised instead of answering: {broken}"
        entries = [{"name": s.name, "request": request_record(s), "response": answers[s.name].record()} for s in steps]
        write_golden(entries, by_name)
        print(f"recorded {len(entries)} steps into {', '.join(p.name for p in GOLDEN_FILES.values())}")
        return

    recorded = load_golden()
    problems: list[str] = []
    for name in [*names, *(n for n in recorded if n not in by_name)]:
        found = by_name.get(name)
        expected = Answer.expected(recorded[name]["response"]) if name in recorded else None
        actual = answers.get(name)
        if name in ALLOWED_CHANGES:
            print(f"allowed change, not compared: {name}: {ALLOWED_CHANGES[name]}")
            continue
        if expected is None or actual is None or expected != actual:
            problems.append(describe(name, found, expected, actual))
    if problems:
        pytest.fail(
            f"{len(problems)} of {len(names)} steps differ from the recording:\n" + "\n".join(problems), pytrace=False
        )

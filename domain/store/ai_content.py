"""The ``store.ai_content`` job: a category's, article's or page's texts written through the content pipeline
(``domain.content.pipeline.generate_group``: the provider's structured call, or the offline composer, then the
shortening call and the guardrails) and written into the row's fields in one transaction.

The row is the pipeline's "product": its title is the topic, the store's name the brand, the store's niche and
the row's kind its attributes, its existing text the description, and the article's ``generate_seo_keyword`` a
must-keyword. Each store field is one content type with its own task and the column's length limit:

- category: subtitle, link title, top and bottom content (HTML), meta title, keywords and description;
- article: subtitle, link title, the article body (HTML), meta title, keywords and description;
- page: title, subtitle, meta fields and the body; for the homepage page the body is its hero content block,
  and the homepage's template texts (the welcome line above the hero, the hero subtitle, the offer box title
  and text: ``store_texts`` rows, except those the customer edited).

- product: subtitle, link title, content above and below the offers (HTML), highlights (a bullets type),
  summary, meta title, keywords and description. A product's own text is its subject (highlights, content), and
  the fields it already holds are kept: merchant imports queue this job for the products they create
  (``domain.merchants.content``), whose highlights come from the merchant.

Fields the same request set are kept as sent (``keep``); the others are overwritten. An article or product is
marked ``generated``. Token usage is recorded on the job and workspace (``/api/data/openai-tokens``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.ai.ports import ProviderError, ProviderSet
from domain.ai.service import CONTENT_GENERATION, record_usage, resolve_model
from domain.content.pipeline import RunOptions, generate_group
from domain.content.products import ProductData, text_of_html
from domain.content.spec import build_spec
from domain.errors import NotFound
from domain.jobs.registry import JobContext, JobKind
from domain.store.ai_ops.repository import AiOpsRepository
from domain.store.ai_ops.texts import BY_KEY as TEXTS
from domain.store.image_repository import StoreAiRepository
from domain.store.service import StoreService

Entity = Literal["brand", "category", "article", "page", "product"]
SEO_GROUP = "seo_keyword"

_HTML = "Use simple HTML: <p>, <h2>, <ul>/<li> and <strong> only."
_META = {
    "meta_title": ("title", "Write the SEO page title.", 60),
    "meta_keywords": ("string", "Write 5 to 8 comma-separated SEO keywords.", 255),
    "meta_description": ("string", "Write the SEO meta description.", 160),
}
# field -> (family, task, character limit), per kind of row.
FIELDS: dict[str, dict[str, tuple[str, str, int]]] = {
    # No write of the document takes a brand's flag; the brand clean-up queues this job for the brands it keeps.
    "brand": {
        "subtitle": ("title", "Write a one-line subtitle for this brand's page in the shop.", 150),
        "link_title": ("title", "Write a short link text for this brand in the shop's menus.", 60),
        "content": ("string", f"Write an introduction to the brand shown above its products. {_HTML}", 1000),
        "content_bottom": (
            "string",
            f"Write a short guide to the brand's range shown below its products. {_HTML}",
            3000,
        ),
        **_META,
    },
    "category": {
        "subtitle": ("title", "Write a one-line subtitle for this shop category page.", 150),
        "link_title": ("title", "Write a short link text for this category in the shop's menus.", 60),
        "content_top": ("string", f"Write an introduction shown above the category's products. {_HTML}", 1000),
        "content_bottom": ("string", f"Write a buying guide shown below the category's products. {_HTML}", 3000),
        **_META,
    },
    "article": {
        "subtitle": ("title", "Write a one-line subtitle for this blog article.", 200),
        "link_title": ("title", "Write a short link text for this article in lists.", 60),
        "content": ("string", f"Write the blog article on this topic, about 600 words, with headings. {_HTML}", 8000),
        **_META,
    },
    "product": {
        "subtitle": ("title", "Write a one-line subtitle for this product's page in the shop.", 200),
        "link_title": ("title", "Write a short link text for this product in lists.", 60),
        "content": ("string", f"Write an introduction shown above the product's offers. {_HTML}", 2000),
        "content_bottom": ("string", f"Write a detailed review shown below the product's offers. {_HTML}", 6000),
        "highlights": ("bullets", "Write 3 to 5 short highlights of the product.", 120),
        "summary": ("string", "Write a two-sentence summary of the product.", 400),
        **_META,
    },
    "page": {
        "title": ("title", "Write the page's title.", 120),
        "subtitle": ("title", "Write a one-line subtitle for the page.", 200),
        "content": ("string", f"Write the page's body text. {_HTML}", 4000),
        **_META,
    },
}
# The homepage's template texts (``domain.store.ai_ops.texts``) written with its page: field -> text key.
HOMEPAGE_TEXTS = {
    "content_above_hero": "HOMEPAGE_CONTENT_ABOVE_HERO",
    "hero_subtitle": "HOMEPAGE_HERO_SUBTITLE",
    "offer_box_title": "HOMEPAGE_OFFER_BOX_TITLE",
    "offer_box_text": "HOMEPAGE_OFFER_BOX_TEXT",
}
HOMEPAGE_CONTENT = (
    "string",
    f"Write the homepage's hero content block: a headline, two sentences and a call to action. {_HTML}",
    600,
)
KIND = {
    "brand": "shop brand page",
    "category": "shop category page",
    "article": "blog article",
    "page": "store page",
    "product": "shop product page",
}


class ContentJobParams(BaseModel):
    entity: Entity
    entity_id: int = Field(ge=1)
    seo_keyword: str | None = Field(default=None, max_length=255)
    # Fields the request that started the job set itself: they are not overwritten.
    keep: list[str] = Field(default_factory=list)


def fields_for(entity: str, page_key: str | None) -> dict[str, tuple[str, str, int]]:
    fields = dict(FIELDS[entity])
    if entity == "page" and page_key == "homepage":
        fields["content"] = HOMEPAGE_CONTENT
        for name, key in HOMEPAGE_TEXTS.items():
            text = TEXTS[key]
            family = "title" if text.max_length <= 120 else "string"
            fields[name] = (family, f"Write {text.purpose}.", text.max_length)
    return fields


def _config(fields: dict[str, tuple[str, str, int]], seo: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "content_types": {name: {"task": task, "character_limit": limit} for name, (_, task, limit) in fields.items()},
        "client": {"content_type_family_map": {name: family for name, (family, _, _) in fields.items()}},
    }
    if seo:
        config["keyword_groups"] = {"must": [SEO_GROUP]}
    return config


def _subject(entity: str, row: Any, values: dict[str, Any], seo_keyword: str | None, *, offline: bool) -> ProductData:
    existing = [getattr(row, name, None) for name in ("subtitle", "content_top", "content", "content_bottom")]
    existing.extend(h for h in getattr(row, "highlights", None) or [] if isinstance(h, str))
    niche = values.get("store_niche")
    # The offline composer states every attribute as a fact ("page type: blog article"): only a model gets it.
    attributes = [] if offline else [{"name": "page type", "value": KIND[entity]}]
    if niche:
        attributes.append({"name": "store niche", "value": niche})
    return ProductData(
        product_id=f"{entity}_{row.id}",
        name=row.title,
        description=" ".join(text_of_html(t) for t in existing if isinstance(t, str) and t),
        brand=values.get("store_name") or "",
        market=str(values.get("store_default_country") or ""),
        language="",
        variant_group_id=None,
        keywords={SEO_GROUP: [seo_keyword]} if seo_keyword else {},
        attributes=attributes,
    )


async def run(ctx: JobContext[ContentJobParams]) -> dict[str, Any]:
    """The ``store.ai_content`` job handler."""
    params = ctx.params
    providers = ctx.providers if isinstance(ctx.providers, ProviderSet) else ProviderSet()
    async with ctx.unit_of_work() as uow:
        row = await StoreAiRepository(uow.session).row(ctx.workspace_id, params.entity, params.entity_id)
        if row is None:
            raise NotFound(f"The {params.entity} {params.entity_id} no longer exists.")
        values = await StoreService(uow.session).all_settings_unchecked(ctx.workspace_id)
        subject = _subject(params.entity, row, values, params.seo_keyword, offline=providers.text is None)
        fields = fields_for(params.entity, getattr(row, "key", None))
        held = _held(params.entity, row)
    fields = {name: spec for name, spec in fields.items() if name not in params.keep and name not in held}
    if not fields:
        return {"entity": params.entity, "id": params.entity_id, "fields": [], "model": None, "warnings": []}
    await ctx.progress(0.1, f"Writing {len(fields)} field(s) of {params.entity} {params.entity_id}.")
    config = _config(fields, params.seo_keyword is not None)
    spec = build_spec(list(fields), config)
    provider = providers.text
    model = (
        resolve_model(None, providers.model, pinned=providers.model_pinned, operation=CONTENT_GENERATION)
        if provider is not None
        else "offline"
    )
    options = RunOptions(market=subject.market or None, channel=None, language=None, feedback=(), model=model)
    try:
        entries, usage, used_model = await generate_group([subject], spec, config, provider, options)
    except ProviderError as exc:
        raise ProviderError(f"Writing the {params.entity}'s content failed: {exc.message}") from exc
    entry = entries[subject.product_id]
    content: dict[str, Any] = entry["content"]
    await ctx.progress(0.9, "Saving the content.")
    written: list[str] = []
    async with ctx.unit_of_work() as uow:
        row = await StoreAiRepository(uow.session).row(
            ctx.workspace_id, params.entity, params.entity_id, for_update=True
        )
        if row is None:
            raise NotFound(f"The {params.entity} {params.entity_id} was deleted while its content was written.")
        texts = AiOpsRepository(uow.session)
        edited = {k for k, row in (await texts.texts(ctx.workspace_id)).items() if row.source == "customer"}
        for name, (_, _, limit) in fields.items():
            value = content.get(name)
            text = " ".join(value) if isinstance(value, list) else (value or "")
            if name == "highlights":
                bullets = [b.strip()[:limit] for b in value or [] if isinstance(b, str) and b.strip()]
                if bullets:
                    row.highlights = bullets
                    written.append(name)
            elif name in HOMEPAGE_TEXTS:
                # A template text the customer edited is theirs (as regenerate-stock-texts leaves it).
                if text.strip() and HOMEPAGE_TEXTS[name] not in edited:
                    await texts.set_text(ctx.workspace_id, HOMEPAGE_TEXTS[name], text.strip()[:limit], "ai")
                    written.append(name)
            elif text.strip():
                # The pipeline's guardrails cut to each type's limit; the column's own limit is the last word.
                setattr(row, name, text.strip()[: _column_limit(row, name, limit)])
                written.append(name)
        if params.entity in ("article", "product") and written:
            row.generated = True
        await record_usage(uow, ctx.workspace_id, ctx.job_id, used_model, usage)
    return {
        "entity": params.entity,
        "id": params.entity_id,
        "fields": written,
        "model": used_model,
        "warnings": entry.get("warnings", []),
    }


def _held(entity: str, row: Any) -> set[str]:
    """A product's fields that already hold something (a merchant's highlights, a text the customer wrote)."""
    if entity != "product":
        return set()
    return {name for name in FIELDS["product"] if _filled(getattr(row, name, None))}


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _column_limit(row: Any, name: str, limit: int) -> int:
    column = type(row).__table__.columns[name]
    length = getattr(column.type, "length", None)
    return min(limit, length) if isinstance(length, int) else limit


STORE_AI_CONTENT = JobKind(
    name="store.ai_content",
    params=ContentJobParams,
    handler=run,
    description="Write a brand's, category's, article's, page's or product's texts through the content pipeline.",
)

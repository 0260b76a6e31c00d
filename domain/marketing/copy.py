"""The posts' words: captions, hashtags, calls to action and overlay headlines, one post per angle (benefit,
social proof, urgency), so a job's posts are never the same post three times.

``compose_offline`` writes them from the product's data alone, deterministically; ``compose_with_provider`` asks
the text provider for them in one structured call (the same product facts, tone, ad type, focus points and
audience in the prompt) and fills in anything it repeats from the offline composer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from domain.ai.ports import TextProvider, Usage
from domain.marketing.requests import PostOptions

ANGLES = ("benefit", "social_proof", "urgency")
MAX_CAPTION = 2200  # Instagram's caption limit
MAX_HASHTAGS = 8
MAX_HEADLINE = 60
MAX_CTA = 40

_CTAS = {
    "benefit": "Shop now",
    "social_proof": "See why people love it",
    "urgency": "Order today",
}
_AD_CTAS = {
    "sale": ("Grab the deal", "Save now", "Shop the sale"),
    "launch": ("Be the first", "Discover it now", "Get yours first"),
    "giveaway": ("Enter now", "Join the giveaway", "Tag a friend"),
}
_TONE_OPENERS = {
    "playful": ("Say hello to", "Guess who just made your day better?", "Psst!"),
    "professional": ("Introducing", "Trusted by customers:", "Available now:"),
    "luxury": ("Discover", "An icon, loved by many:", "For a limited time:"),
    "friendly": ("Meet", "You told us you love it:", "Heads up!"),
}
_DEFAULT_OPENERS = ("Meet", "Customers keep coming back to", "Don't wait:")


@dataclass(frozen=True)
class PostFacts:
    """What the words may use: the catalog product's facts, and what its pictures showed."""

    title: str
    brand: str | None = None
    category: str | None = None
    price: str | None = None
    description: str | None = None
    features: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    review_score: float | None = None
    review_count: int | None = None
    seen: str | None = None  # what the vision call (or the pixels) said about the product's look
    colours: tuple[str, ...] = ()


@dataclass
class PostCopy:
    angle: str
    caption: str
    hashtags: list[str]
    cta: str
    headline: str
    writer: str = "offline"
    extra: dict[str, Any] = field(default_factory=dict)

    def overlays(self, price: str | None) -> dict[str, Any]:
        return {"headline": self.headline, "priceBadge": price, "cta": self.cta}


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _points(options: PostOptions, facts: PostFacts) -> list[str]:
    """Selling points: the request's focus points first, then the product's highlights and attributes."""
    asked = [p.strip() for p in re.split(r"[,;\n]", options.focus_points or "") if p.strip()]
    own = list(facts.features) + [f"{k}: {v}" for k, v in facts.attributes]
    return list(dict.fromkeys(asked + own))


def _tag(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)[:30] if words else ""


def hashtags(facts: PostFacts, options: PostOptions, index: int) -> list[str]:
    """The brand's and category's tags on every post, then tags of the title's words and the focus points,
    rotated per post, and one for the angle."""
    fixed = [t for t in (_tag(facts.brand or ""), _tag(facts.category or "")) if t]
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]{3,}", facts.title) if w.lower() not in {"with", "from"}]
    pool = [_tag(w) for w in words] + [_tag(p) for p in _points(options, facts)[:4]]
    pool = [t for t in dict.fromkeys(pool) if t and t not in fixed]
    start = (index * 2) % len(pool) if pool else 0
    rotated = pool[start:] + pool[:start]
    angle_tag = ("#MustHave", "#CustomerFavorite", "#LimitedTime")[index % 3]
    if options.ad_type:
        angle_tag = _tag(options.ad_type) or angle_tag
    return list(dict.fromkeys([*fixed, *rotated[:4], angle_tag]))[:MAX_HASHTAGS]


def _cta(angle: str, index: int, options: PostOptions) -> str:
    ad = (options.ad_type or "").strip().lower()
    if ad in _AD_CTAS:
        return _AD_CTAS[ad][index % 3]
    return _CTAS[angle]


def _headline(angle: str, facts: PostFacts, points: list[str], options: PostOptions) -> str:
    name = facts.title if len(facts.title) <= 40 else facts.title[:39].rsplit(" ", 1)[0]
    if angle == "benefit":
        lead = points[0].split(":")[-1].strip() if points else name
        text = lead[:1].upper() + lead[1:]
    elif angle == "social_proof":
        if facts.review_score and facts.review_count:
            text = f"Rated {facts.review_score:.1f}/5 by {facts.review_count} customers"
        else:
            text = f"Everyone's talking about {name}"
    else:
        text = f"{(options.ad_type or 'Limited').strip().capitalize()} offer: {name}"
    return text[:MAX_HEADLINE]


def compose_offline(facts: PostFacts, options: PostOptions, index: int) -> PostCopy:
    """One post, written from the product's data for the angle at ``index``."""
    angle = ANGLES[index % len(ANGLES)]
    tone = (options.tone or "").strip().lower()
    opener = _TONE_OPENERS.get(tone, _DEFAULT_OPENERS)[index % 3]
    points = _points(options, facts)
    name = f"{facts.brand} {facts.title}" if facts.brand and facts.brand not in facts.title else facts.title
    audience = f" for {options.target_audience.strip()}" if options.target_audience else ""
    look = f" in {', '.join(facts.colours[:2])}" if facts.colours else ""
    lines: list[str] = []
    if angle == "benefit":
        lines.append(f"{opener} {name}{look}: made{audience or ' for every day'}.")
        lines += [f"✔ {_sentence(p)}" for p in points[:3]]
        if facts.seen:
            lines.append(_sentence(facts.seen))
    elif angle == "social_proof":
        if facts.review_score and facts.review_count:
            lines.append(f"{opener} {name} — rated {facts.review_score:.1f}/5 from {facts.review_count} reviews.")
        else:
            lines.append(f"{opener} {name}.")
        if points:
            lines.append(f"Customers{audience} pick it for one reason: {points[min(1, len(points) - 1)].lower()}.")
        if facts.description:
            lines.append(_sentence(facts.description.split(". ")[0]))
    else:
        lines.append(f"{opener} {name}{look} is waiting{audience}.")
        if options.ad_type:
            lines.append(f"This {options.ad_type.strip().lower()} won't last.")
        lines.append("Stock moves fast — get yours while it's here.")
        if points:
            lines.append(f"Why now? {_sentence(points[-1])}")
    if facts.price:
        lines.append(f"Now {facts.price}.")
    cta = _cta(angle, index, options)
    tags = hashtags(facts, options, index)
    caption = "\n".join(lines) + f"\n\n{cta} 👉\n" + " ".join(tags)
    if tone == "playful":
        caption = caption.replace(".\n", "! ✨\n", 1)
    return PostCopy(
        angle=angle,
        caption=caption[:MAX_CAPTION],
        hashtags=tags,
        cta=cta[:MAX_CTA],
        headline=_headline(angle, facts, points, options),
    )


# --- with a text provider ---------------------------------------------------------------------------

SYSTEM = (
    "You write social media marketing posts for an online store's products. Each post takes a different "
    "angle (benefit, social proof, urgency), so no two read alike. Use only the product facts given: never "
    "invent prices, reviews, certifications or ingredients. Hashtags start with '#', no spaces."
)


def _schema(count: int) -> dict[str, Any]:
    post = {
        "type": "object",
        "additionalProperties": False,
        "required": ["angle", "caption", "hashtags", "cta", "headline"],
        "properties": {
            "angle": {"type": "string", "enum": list(ANGLES)},
            "caption": {"type": "string", "maxLength": MAX_CAPTION},
            "hashtags": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_HASHTAGS},
            "cta": {"type": "string", "maxLength": MAX_CTA},
            "headline": {"type": "string", "maxLength": MAX_HEADLINE},
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["posts"],
        "properties": {"posts": {"type": "array", "items": post, "minItems": count, "maxItems": count}},
    }


def user_prompt(facts: PostFacts, options: PostOptions) -> str:
    lines = [f"Write {options.posts_count} posts, angles in order: {', '.join(ANGLES[: options.posts_count])}."]
    lines.append(f"Product: {facts.title}" + (f" by {facts.brand}" if facts.brand else ""))
    for label, value in (("Category", facts.category), ("Price", facts.price), ("Description", facts.description)):
        if value:
            lines.append(f"{label}: {value}")
    if facts.features:
        lines.append("Highlights: " + "; ".join(facts.features))
    if facts.attributes:
        lines.append("Attributes: " + "; ".join(f"{k}: {v}" for k, v in facts.attributes))
    if facts.review_score and facts.review_count:
        lines.append(f"Reviews: {facts.review_score:.1f}/5 from {facts.review_count}")
    if facts.seen:
        lines.append(f"How it looks (from its photos): {facts.seen}")
    for label, value in (
        ("Ad type", options.ad_type),
        ("Tone", options.tone),
        ("Focus on", options.focus_points),
        ("Audience", options.target_audience),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _clean_tags(raw: Any) -> list[str]:
    tags = [_tag(str(t).lstrip("#")) for t in raw or [] if str(t).strip()]
    return list(dict.fromkeys(t for t in tags if t))[:MAX_HASHTAGS]


async def compose_with_provider(
    provider: TextProvider, model: str, facts: PostFacts, options: PostOptions
) -> tuple[list[PostCopy], Usage, str]:
    """The posts from one structured call; a post the model repeated (same caption) is written offline."""
    result = await provider.generate_json(
        system=SYSTEM,
        user=user_prompt(facts, options),
        schema=_schema(options.posts_count),
        schema_name="marketing_posts",
        temperature=0.8,
        model=model,
    )
    posts: list[PostCopy] = []
    seen: set[str] = set()
    for index, raw in enumerate(result.data.get("posts", [])[: options.posts_count]):
        caption = str(raw.get("caption") or "").strip() if isinstance(raw, dict) else ""
        if not caption or caption in seen:
            posts.append(compose_offline(facts, options, index))
            continue
        seen.add(caption)
        posts.append(
            PostCopy(
                angle=ANGLES[index % len(ANGLES)],
                caption=caption[:MAX_CAPTION],
                hashtags=_clean_tags(raw.get("hashtags")) or hashtags(facts, options, index),
                cta=(str(raw.get("cta") or "").strip() or _cta(ANGLES[index % 3], index, options))[:MAX_CTA],
                headline=(str(raw.get("headline") or "").strip() or facts.title)[:MAX_HEADLINE],
                writer=result.model,
            )
        )
    while len(posts) < options.posts_count:
        posts.append(compose_offline(facts, options, len(posts)))
    return posts, result.usage, result.model

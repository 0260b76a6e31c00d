"""The deterministic guardrails (DESIGN §7) that run on every generated text, whoever wrote it.

``apply_guardrails(content, rules)`` takes the content a provider (or the offline composer) wrote, keyed by
content type (a string, or a list of strings for a bullets type), and returns the content with every rule
applied plus a warning for each rule that could not be met. Order, per content type:

1. word map (case-preserving, whole words);
2. forbidden words and omitted keywords removed;
3. false entities: a known wrong value (e.g. another variant's colour) replaced by the product's own;
4. verbatim claims: any missing claim appended; disclaimers moved to the end (of the text, or of the
   bullet that holds the claim);
5. character limit: the text is cut to the room left after additions and disclaimers, at a sentence or
   word boundary, keeping every claim (a claim that cannot fit at all is dropped, with MISSING_CLAIM);
6. additions templates rendered around the text;
7. an audit of the final text, which is where the warnings come from: what the audit still finds is
   reported, so no violation is ever silent.

A bullets content type applies rules 1-3 and 5-6 to each bullet (``character_limit`` is per bullet);
a must keyword or claim is satisfied when any bullet holds it; a missing claim becomes a new bullet.
The pipeline runs ``apply_guardrails(..., cut=False)`` first: EXCEED_LENGTH warnings then say which types
need the provider's shortening pass (``length_budgets`` gives the room to ask for) before the final run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from domain.content.textops import (
    PhraseSet,
    TextGroup,
    contains_phrase,
    fit_to_limit,
    lowered_together,
    may_contain,
    none_can_occur,
    none_can_occur_in,
    occurs_in_any,
    phrase_set,
    remove_phrases,
    replace_phrases,
    texts_of,
    tidy,
    tidy_changed,
)

__all__ = [
    "ADDITION_INCOMPLETE",
    "EXCEED_LENGTH",
    "FALSE_ENTITY",
    "FORBIDDEN_WORD",
    "MISSING_CLAIM",
    "MISSING_KEYWORD",
    "OMITTED_KEYWORD",
    "WARNING_CODES",
    "Claim",
    "ContentTypeRules",
    "ContentWarning",
    "EntityRule",
    "GuardrailRules",
    "apply_additions",
    "apply_guardrails",
    "apply_word_map",
    "audit",
    "check_entities",
    "ensure_bullet_claims",
    "ensure_claims",
    "find_missing_keywords",
    "fit_to_limit",
    "length_budgets",
    "parse_claim",
    "quantities",
    "remove_forbidden",
    "render_template",
]

EXCEED_LENGTH = "EXCEED_LENGTH"
FORBIDDEN_WORD = "FORBIDDEN_WORD"
OMITTED_KEYWORD = "OMITTED_KEYWORD"
MISSING_KEYWORD = "MISSING_KEYWORD"
MISSING_CLAIM = "MISSING_CLAIM"
FALSE_ENTITY = "FALSE_ENTITY"
ADDITION_INCOMPLETE = "ADDITION_INCOMPLETE"

WARNING_CODES: dict[str, str] = {
    EXCEED_LENGTH: "The text is longer than the content type's character_limit even after shortening and a "
    "clean cut (the cut never removes a verbatim claim).",
    FORBIDDEN_WORD: "A forbidden word is still in the text: it sits inside a verbatim claim or an addition, "
    "which are never rewritten.",
    OMITTED_KEYWORD: "A keyword from an `omit` keyword group is still in the text (inside a verbatim claim or "
    "an addition).",
    MISSING_KEYWORD: "A keyword from a `must` keyword group does not appear in the text.",
    MISSING_CLAIM: "A verbatim must-claim (or its disclaimer at the end) is not in the text, because the claim "
    "alone does not fit in the character limit.",
    FALSE_ENTITY: "The text mentions a value for a validated entity (colour, size, product name) that "
    "contradicts the product's own value and could not be replaced with certainty.",
    ADDITION_INCOMPLETE: "An additions template could not be fully applied: a placeholder has no value for "
    "this product, or the target (e.g. bullets_3) does not exist.",
}

Content = dict[str, str | list[str]]
ContentIn = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class ContentWarning:
    content_type: str
    code: str
    description: str

    def as_dict(self) -> dict[str, str]:
        return {"content_type": self.content_type, "code": self.code, "description": self.description}


@dataclass(frozen=True)
class Claim:
    """A verbatim claim, optionally with a disclaimer that must close the text (or bullet) holding it."""

    text: str
    disclaimer: str | None = None

    @property
    def verbatim(self) -> list[str]:
        return [self.text] if self.disclaimer is None else [self.text, self.disclaimer]


_CLAIM_RE = re.compile(
    r"^\s*'Claim'\s*:\s*(?P<claim>.+?)\s*(?:,|\|)\s*'Disclaimer'\s*:\s*(?P<disclaimer>.+?)\s*$", re.S
)


@lru_cache(maxsize=4096)
def parse_claim(raw: str) -> Claim:
    """``'Claim': X, 'Disclaimer': Y`` or ``'Claim': X* | 'Disclaimer': *Y`` → Claim(X, Y); else Claim(raw).

    Footnote markers (``*``) are part of the verbatim text and kept."""
    m = _CLAIM_RE.match(raw)
    if m is None:
        return Claim(raw.strip())
    return Claim(m.group("claim"), m.group("disclaimer"))


@dataclass(frozen=True)
class EntityRule:
    """One validated entity (COLOR, SIZE, PRODUCT_NAME, ...).

    ``true_values``: the product's own values. ``false_values``: values known to be wrong for this product
    (other variants' values): replaced by the true value when there is exactly one, else reported.
    ``vocabulary``: words of this entity type (colour names); a mention that is not a true value is reported,
    never replaced (a "black" may describe the buttons of a red gadget).
    """

    entity: str
    true_values: tuple[str, ...] = ()
    false_values: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    # Quantities (``50 ml``, ``1.5 kg``, ``15 inch``): a mention in a unit the true value uses, with another
    # number, is reported. Mentions in other units (a laptop's "16 GB" against its "15 in" size) are not.
    quantities: bool = False

    # Derived once per rule (the rule is immutable; guardrails check it against many texts). Read-only.

    @cached_property
    def truth(self) -> tuple[list[str], str]:
        """The non-empty true values, and all of them lower-cased in one string."""
        truth = [t for t in self.true_values if t]
        return truth, " ".join(truth).lower()

    @cached_property
    def shown(self) -> str:
        return ", ".join(f"'{t}'" for t in self.truth[0]) or "unknown"

    @cached_property
    def expected_quantities(self) -> tuple[set[tuple[float, str]], set[str]]:
        expected = {q for t in self.truth[0] for q in quantities(t)}
        return expected, {unit for _, unit in expected}

    @cached_property
    def vocabulary_set(self) -> PhraseSet:
        return phrase_set(self.vocabulary)

    @cached_property
    def _verdicts(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _reportable(self) -> tuple[tuple[str, ...], PhraseSet | None]:
        """The false values ``check_entities`` looks for (non-empty, not true), and the vocabulary it reports (none
        without a true value): what it could find at all."""
        wrong = tuple(w for w in self.false_values if w and not self.is_true(w))
        if not self.truth[0] or not self.vocabulary:
            return wrong, None
        reported = tuple(w for w in self.vocabulary if not self.is_true(w) and w not in self.false_values)
        return wrong, phrase_set(reported) if reported else None

    def finds_nothing(self, texts: Sequence[str], lowered: str) -> bool:
        """True only when ``check_entities`` with this rule finds nothing in any of ``texts`` and replaces nothing
        (``lowered``: ``lowered_together(texts)``)."""
        wrong, reported = self._reportable
        for value in wrong:
            if may_contain(lowered, value):
                return False
        if reported is not None and reported.may_occur(lowered):
            return False
        if self.quantities and self.truth[0]:
            for text in texts:
                if self.wrong_quantities(text):
                    return False
        return True

    def wrong_quantities(self, text: str) -> list[str]:
        """The quantities ``text`` mentions in a unit of a true value, with another amount (not a known false value)."""
        expected, units = self.expected_quantities
        out: list[str] = []
        for mention in _QUANTITY.finditer(text):
            amount = _quantity_of(mention)
            if amount[1] in units and amount not in expected and mention.group(0) not in self.false_values:
                out.append(mention.group(0))
        return out

    def is_true(self, value: str) -> bool:
        """Whether ``value`` is (part of) a true value (remembered per value)."""
        verdict = self._verdicts.get(value)
        if verdict is None:
            truth, truth_lower = self.truth
            low = value.lower()
            verdict = any(low == t.lower() for t in truth) or (bool(truth_lower) and contains_phrase(truth_lower, low))
            self._verdicts[value] = verdict
        return verdict


@dataclass
class ContentTypeRules:
    family: str = "string"  # title | bullets | string
    character_limit: int | None = None
    must_keywords: list[str] = field(default_factory=list)
    omit_keywords: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    additions: dict[str, str] = field(default_factory=dict)


@dataclass
class GuardrailRules:
    word_map: dict[str, str] = field(default_factory=dict)
    forbidden_words: list[str] = field(default_factory=list)
    content_types: dict[str, ContentTypeRules] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)  # normalised name -> value, for {{attr.x}}
    entities: list[EntityRule] = field(default_factory=list)

    def for_type(self, content_type: str, value: str | list[str] | None = None) -> ContentTypeRules:
        rules = self.content_types.get(content_type)
        if rules is None:
            rules = ContentTypeRules(family="bullets" if isinstance(value, list) else "string")
        return rules


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """ "Long Product Name", "long-product-name" and "long_product_name" are the same attribute."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


# --- the individual rules ------------------------------------------------------------------------


def apply_word_map(text: str, word_map: dict[str, str], *, protected: Sequence[str] = ()) -> str:
    return replace_phrases(text, word_map, protected=protected)


def remove_forbidden(text: str, phrases: Sequence[str], *, protected: Sequence[str] = ()) -> tuple[str, list[str]]:
    """Removes forbidden words or omitted keywords; returns the phrases that could not be removed."""
    return remove_phrases(text, phrases, protected=protected)


def find_missing_keywords(texts: Sequence[str], keywords: Sequence[str]) -> list[str]:
    """The must keywords no text mentions (whole words, any case)."""
    return [k for k in keywords if k and not occurs_in_any(texts, k)]


def check_entities(
    text: str, entities: Sequence[EntityRule], *, protected: Sequence[str] = (), replace: bool = True
) -> tuple[str, list[str]]:
    """Replaces known false values (when the true value is certain) and describes the rest."""
    problems: list[str] = []
    for rule in entities:
        truth = rule.truth[0]
        for wrong in rule.false_values:
            if not wrong or rule.is_true(wrong) or not contains_phrase(text, wrong):
                continue
            if replace and len(truth) == 1:
                before = text
                text = replace_phrases(text, {wrong: truth[0]}, protected=protected)
                text = tidy_changed(before, text, protected)
                if not contains_phrase(text, wrong):
                    continue
            problems.append(f"mentions '{wrong}' as {rule.entity}, but the product's {rule.entity} is {rule.shown}")
        if not truth:
            continue
        if rule.vocabulary:
            verdicts = rule._verdicts
            for word in rule.vocabulary_set.find(text):
                true = verdicts[word] if word in verdicts else rule.is_true(word)
                if not true and word not in rule.false_values:
                    problems.append(
                        f"mentions '{word}' as {rule.entity}, but the product's {rule.entity} is {rule.shown}"
                    )
        if rule.quantities:
            for mention in rule.wrong_quantities(text):
                problems.append(
                    f"mentions '{mention}' as {rule.entity}, but the product's {rule.entity} is {rule.shown}"
                )
    return text, problems


_QUANTITY = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s?(fl\.?\s?oz|ml|cl|l|litres?|liters?|kg|mg|g|oz|lbs?|mm|cm|m|inch(?:es)?|in|"
    r"gb|tb|mah|w|v)(?!\w)",
    re.IGNORECASE,
)
_UNITS = {"litre": "l", "litres": "l", "liter": "l", "liters": "l", "lb": "lbs", "inch": "in", "inches": "in"}


def _quantity_of(m: re.Match[str]) -> tuple[float, str]:
    unit = re.sub(r"[\s.]", "", m.group(2).lower())
    return float(m.group(1).replace(",", ".")), _UNITS.get(unit, unit)


def quantities(text: str) -> list[tuple[float, str]]:
    """The amounts with units in a text: "Shampoo 250 ml (8.4 fl oz)" → [(250.0, "ml"), (8.4, "floz")]."""
    return [_quantity_of(m) for m in _QUANTITY.finditer(text)]


def _append(text: str, piece: str, sentences: bool) -> str:
    """``piece`` after ``text``; in running text (not titles) the text before it is closed with a full stop."""
    text = text.rstrip()
    if not text:
        return piece
    if sentences and text[-1].isalnum():
        text += "."
    return f"{text} {piece}"


def _tail_room(claims: Sequence[Claim]) -> int:
    """Characters the disclaimers of ``claims`` take at the end (with a separator and a full stop each)."""
    return sum(len(c.disclaimer) + 2 for c in claims if c.disclaimer)


def _strip_disclaimers(text: str, claims: Sequence[Claim], protected: Sequence[str]) -> str:
    body = text
    for claim in claims:
        if claim.disclaimer:
            body = body.replace(claim.disclaimer, " ")
    if body == text:
        return text
    return tidy_changed(text, body, [c.text for c in claims if c.text not in (claim.disclaimer for claim in claims)])


def _attach_disclaimers(text: str, claims: Sequence[Claim], sentences: bool) -> str:
    for claim in claims:
        if claim.disclaimer and claim.text in text:
            text = _append(text, claim.disclaimer, sentences)
    return text


def ensure_claims(text: str, claims: Sequence[Claim], *, sentences: bool = True) -> str:
    """Every claim verbatim in the text (appended when missing), every disclaimer once, at the very end."""
    body = _strip_disclaimers(text, claims, [])
    for claim in claims:
        if claim.text not in body:
            body = _append(body, claim.text, sentences)
    return _attach_disclaimers(body, claims, sentences)


def ensure_bullet_claims(bullets: Sequence[str], claims: Sequence[Claim]) -> list[str]:
    """Each claim in some bullet (a new bullet when missing), its disclaimer at the end of that bullet."""
    out = [_strip_disclaimers(b, claims, []) for b in bullets]
    for claim in claims:
        if not any(claim.text in b for b in out):
            out.append(claim.text)
    return [_attach_disclaimers(b, claims, True) for b in out if b.strip()]


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\- ]+?)\s*\}\}")


def render_template(template: str, values: dict[str, str], attributes: dict[str, str]) -> tuple[str, list[str]]:
    """Renders ``{{title}}``, ``{{bullets_1}}``, ``{{attr.brand}}``; returns the text and unknown placeholders
    (rendered empty, with the separators around them tidied away)."""
    if "{{" not in template:  # no placeholder (every one starts with "{{"): nothing to render
        return template, []
    keys = _attribute_keys(template)
    if keys is not None:  # only {{attr.x}}: the same attribute values render the same (remembered)
        rendered, missing = _render_attributes(template, keys, tuple(attributes.get(k) for k in keys))
        return rendered, list(missing)
    return _render(template, values, attributes)


@lru_cache(maxsize=1024)
def _attribute_keys(template: str) -> tuple[str, ...] | None:
    """The attribute keys a template reads when every placeholder in it is ``{{attr.x}}``; None otherwise."""
    keys: list[str] = []
    for m in _PLACEHOLDER.finditer(template):
        name = m.group(1).strip()
        if not name.lower().startswith("attr."):
            return None
        keys.append(normalise_name(name[5:]))
    return tuple(keys)


@lru_cache(maxsize=4096)
def _render_attributes(
    template: str, keys: tuple[str, ...], found: tuple[str | None, ...]
) -> tuple[str, tuple[str, ...]]:
    rendered, missing = _render(template, {}, {k: v for k, v in zip(keys, found, strict=True) if v is not None})
    return rendered, tuple(missing)


def _render(template: str, values: dict[str, str], attributes: dict[str, str]) -> tuple[str, list[str]]:
    missing: list[str] = []

    def value_of(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        if name.lower().startswith("attr."):
            found = attributes.get(normalise_name(name[5:]))
        else:
            found = values.get(name)
        if not found:
            missing.append(name)
            return ""
        return found

    return _PLACEHOLDER.sub(value_of, template), missing


def apply_additions(
    content: ContentIn, additions: dict[str, str], attributes: dict[str, str], *, content_type: str
) -> tuple[Content, list[ContentWarning]]:
    """Renders a content type's additions. A key names its target: a content type (``title``) or one bullet
    (``bullets_1``, 1-based). The template replaces the target; ``{{<target>}}`` inside it stands for the
    target's current text. A template already applied (its prefix and suffix are there) is left alone."""
    out: Content = dict(content)
    return out, _add(out, additions, attributes, content_type)


def _add(
    out: Content, additions: dict[str, str], attributes: dict[str, str], content_type: str
) -> list[ContentWarning]:
    """``apply_additions`` on ``out`` itself (its lists are replaced, not changed)."""
    warnings: list[ContentWarning] = []
    # The content's own values only when a template reads them (``{{attr.x}}`` alone reads the attributes).
    values: dict[str, str] = {}
    for target, template in additions.items():
        if _needs_values(template, target):
            values = _placeholder_values(out)
            break
    for target, template in additions.items():
        # The target: a text of its own, or an item of a list (``bullets_2``), as ``_current`` finds it.
        current = out.get(target)
        item: tuple[str, int] | None = None
        if not isinstance(current, str):
            current = None
            item = _item_of(target)
            if item is not None:
                items = out.get(item[0])
                if isinstance(items, list) and 0 <= item[1] < len(items):
                    current = items[item[1]]
        if current is None:
            warnings.append(
                ContentWarning(content_type, ADDITION_INCOMPLETE, f"addition for '{target}' skipped: no such text")
            )
            continue
        rendered, missing = _render_around(template, target, current, values, attributes)
        if missing:
            names = ", ".join("{{" + n + "}}" for n in missing)
            warnings.append(
                ContentWarning(content_type, ADDITION_INCOMPLETE, f"addition for '{target}': no value for {names}")
            )
        if item is None:
            out[target] = rendered
        else:
            updated = list(out[item[0]])
            updated[item[1]] = rendered
            out[item[0]] = updated
    return warnings


@lru_cache(maxsize=1024)
def _reads_content(template: str) -> bool:
    """Whether ``template`` has a placeholder other than ``{{attr.x}}`` (one that reads the content's values)."""
    return any(not m.group(1).strip().lower().startswith("attr.") for m in _PLACEHOLDER.finditer(template))


@lru_cache(maxsize=1024)
def _needs_values(template: str, target: str) -> bool:
    """Whether rendering ``template`` around its target's text (``_render_around``) reads the content's values."""
    return any(map(_reads_content, _split_template(template, target)))


def _placeholder_values(content: ContentIn) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in content.items():
        if isinstance(value, list):
            values[name] = "; ".join(value)
            for i, item in enumerate(value, start=1):
                values[f"{name}_{i}"] = item
        else:
            values[name] = value
    return values


_ITEM = re.compile(r"(.+)_(\d+)")


@lru_cache(maxsize=1024)
def _item_of(target: str) -> tuple[str, int] | None:
    """``bullets_2`` → ("bullets", 1): the list and the 0-based index a target names, if it names an item."""
    m = _ITEM.fullmatch(target)
    return None if m is None else (m.group(1), int(m.group(2)) - 1)


def _current(content: ContentIn, target: str) -> str | None:
    """The text an addition for ``target`` replaces (``apply_additions``; read only)."""
    value = content.get(target)
    if isinstance(value, str):
        return value
    item = _item_of(target)
    if item is not None:
        items = content.get(item[0])
        if isinstance(items, list) and 0 <= item[1] < len(items):
            return items[item[1]]
    return None


@lru_cache(maxsize=1024)
def _split_template(template: str, target: str) -> list[str]:
    """``template`` split around its first ``{{<target>}}`` (one part when it has none; read-only: cached)."""
    self_placeholder = re.compile(r"\{\{\s*" + re.escape(target) + r"\s*\}\}")
    return self_placeholder.split(template, maxsplit=1)


def _render_around(
    template: str, target: str, current: str, values: dict[str, str], attributes: dict[str, str]
) -> tuple[str, list[str]]:
    ends = _ends_for(template, target, values, attributes)
    if ends is None:  # no {{<target>}}: the template replaces the text
        rendered, missing = render_template(template, values, attributes)
        return tidy(rendered), missing
    prefix_core, suffix_core, head, tail, unknown = ends
    # Idempotent: a prefix or suffix the text already carries is not added twice.
    if prefix_core is not None or suffix_core is not None:
        low = current.lower()
        if prefix_core is not None and low.startswith(prefix_core):
            head = ""
        if suffix_core is not None and low.rstrip(" .!").endswith(suffix_core):
            tail = ""
    return f"{head}{current}{tail}".strip(), list(unknown)


_Ends = tuple[str | None, str | None, str, str, tuple[str, ...]]


def _ends_for(template: str, target: str, values: dict[str, str], attributes: dict[str, str]) -> _Ends | None:
    """What ``_render_around`` puts around the text, for a template with ``{{<target>}}`` (None without one): the
    rendered prefix and suffix as the idempotence test compares them (lower-cased, the suffix without its closing
    " .!"; None when empty once tidied), the tidied ends joined to the text, and the placeholders with no value."""
    parts, keys = _around(template, target)
    if parts is None:
        return None
    if keys is not None:  # only {{attr.x}} around the text: the same attribute values give the same ends
        return _attribute_ends(parts[0], parts[1], keys, tuple(map(attributes.get, keys)))
    return _ends(parts[0], parts[1], values, attributes)


def _ends(prefix_template: str, suffix_template: str, values: dict[str, str], attributes: dict[str, str]) -> _Ends:
    prefix, missing_before = render_template(prefix_template, values, attributes)
    suffix, missing_after = render_template(suffix_template, values, attributes)
    prefix_core = tidy(prefix)
    suffix_core = tidy(suffix)
    head, tail = _template_ends(prefix, suffix)
    return (
        prefix_core.lower() if prefix_core else None,
        suffix_core.lower().rstrip(" .!") if suffix_core else None,
        head,
        tail,
        (*missing_before, *missing_after),
    )


@lru_cache(maxsize=1024)
def _around(template: str, target: str) -> tuple[tuple[str, str] | None, tuple[str, ...] | None]:
    """The template's prefix and suffix around ``{{<target>}}`` (None without one), and the attribute keys they
    read when they read nothing else (None otherwise)."""
    parts = _split_template(template, target)
    if len(parts) == 1:
        return None, None
    keys: list[str] = []
    for part in parts:
        found = _attribute_keys(part)
        if found is None:
            return (parts[0], parts[1]), None
        keys += found
    return (parts[0], parts[1]), tuple(keys)


@lru_cache(maxsize=4096)
def _attribute_ends(
    prefix_template: str, suffix_template: str, keys: tuple[str, ...], found: tuple[str | None, ...]
) -> _Ends:
    attributes = {k: v for k, v in zip(keys, found, strict=True) if v is not None}
    return _ends(prefix_template, suffix_template, {}, attributes)


_JOINERS = " \t\n,;:|-\u2013\u2014"
_BLANKS = re.compile(r"[ \t]+")
_BLANKS_AROUND_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")


@lru_cache(maxsize=1024)
def _template_ends(prefix: str, suffix: str) -> tuple[str, str]:
    """The tidied prefix and suffix ``_join_rendered`` puts around the text (they do not depend on the text)."""
    head = tidy(prefix)
    if head:
        joiner = prefix[len(prefix.rstrip(_JOINERS)) :]
        head = tidy(prefix.rstrip(_JOINERS)) + _BLANKS.sub(" ", joiner)
    tail = tidy(suffix)
    if tail:
        stripped = suffix.lstrip(_JOINERS)
        joiner = suffix[: len(suffix) - len(stripped)]
        tail = _BLANKS_AROUND_NEWLINE.sub("\n", _BLANKS.sub(" ", joiner)) + tidy(stripped)
    return head, tail


# --- character limits ----------------------------------------------------------------------------


def _addition_overhead(content: ContentIn, name: str, rules: ContentTypeRules, attributes: dict[str, str]) -> int:
    """How many characters the additions add to ``name`` (a content type or ``bullets_N``)."""
    template = rules.additions.get(name)
    if not template:
        return 0
    current = _current(content, name)
    if current is None:
        return 0
    values = _placeholder_values(content) if _needs_values(template, name) else {}
    rendered, _missing = _render_around(template, name, current, values, attributes)
    return max(0, len(rendered) - len(current))


def length_budgets(content: ContentIn, rules: GuardrailRules) -> dict[str, int]:
    """Per content type (``bullets_N`` per bullet), the characters the written text itself may take so that
    the final text, with additions and disclaimers, fits the character limit. For the shortening prompt."""
    budgets: dict[str, int] = {}
    for name, value in content.items():
        ct = rules.for_type(name, value)
        if ct.character_limit is None:
            continue
        if isinstance(value, list):
            for i, bullet in enumerate(value, start=1):
                held = [c for c in ct.claims if c.text in bullet]
                budgets[f"{name}_{i}"] = (
                    ct.character_limit
                    - _addition_overhead(content, f"{name}_{i}", ct, rules.attributes)
                    - _tail_room(held)
                )
        else:
            budgets[name] = (
                ct.character_limit - _addition_overhead(content, name, ct, rules.attributes) - _tail_room(ct.claims)
            )
    return budgets


def _fit_claims(body: str, claims: list[Claim], room: int) -> tuple[str, list[Claim], list[Claim]]:
    """Drops claims (last first) while the claims and their disclaimers alone cannot fit in ``room``."""
    kept = list(claims)
    dropped: list[Claim] = []
    while kept and sum([len(c.text) + 2 for c in kept]) + _tail_room(kept) > room:
        gone = kept.pop()
        dropped.append(gone)
        body = tidy(body.replace(gone.text, " "))
    return body, kept, dropped


# --- the whole pass ------------------------------------------------------------------------------


def _rewritten(rules: GuardrailRules, ct: ContentTypeRules) -> tuple[str, ...]:
    """Every phrase the cleaning pass rewrites in a text of ``ct``: word map keys, forbidden words, omitted keywords."""
    return (*rules.word_map, *rules.forbidden_words, *ct.omit_keywords)


class _TypeRun:
    """What one run of the guardrails derives from a content type's rules, once for all its texts."""

    __slots__ = ("ct", "disclaimers", "protected", "quiet", "rewritten", "sentences")

    def __init__(self, rules: GuardrailRules, ct: ContentTypeRules) -> None:
        self.ct = ct
        claims = ct.claims
        self.protected = tuple([v for c in claims for v in c.verbatim]) if claims else ()
        self.rewritten = _rewritten(rules, ct)
        self.disclaimers = False
        for claim in claims:
            if claim.disclaimer:
                self.disclaimers = True
                break
        self.sentences = ct.family != "title"  # running text: an appended piece closes a sentence
        self.quiet = False  # cleaning gives its texts back as they are, with no entity problem (``_quiet``)


def _quiet(texts: Sequence[str], rules: GuardrailRules, runs: Sequence[_TypeRun]) -> bool:
    """Whether cleaning gives every one of ``texts`` back as it is with no entity problem: no phrase any of the
    runs rewrites can occur in them and the entity rules find nothing in them. Checked on all of them at once
    (most texts need nothing), instead of text by text."""
    lowered = lowered_together(texts)
    if lowered is None:
        return False
    phrases = tuple([p for run in runs for p in run.rewritten])
    protected = tuple([p for run in runs for p in run.protected])
    return none_can_occur_in(lowered, phrases, protected) and _finds_nothing(texts, lowered, rules.entities)


def _finds_nothing(texts: Sequence[str], lowered: str, entities: Sequence[EntityRule]) -> bool:
    """True only when ``check_entities`` finds nothing in any of ``texts`` (``lowered``: ``lowered_together``)."""
    for rule in entities:
        if not rule.finds_nothing(texts, lowered):
            return False
    return True


def _clean(text: str, rules: GuardrailRules, run: _TypeRun, checked: dict[str, list[str]]) -> str:
    ct, protected = run.ct, run.protected
    if run.quiet:  # as it is, and nothing for the audit to report about its entities
        checked[text] = []
        return _strip_disclaimers(text, ct.claims, protected) if run.disclaimers else text
    # When none of the phrases can occur, each of the three rewrites would give the text back as it is.
    if not none_can_occur(text, run.rewritten, protected):
        text = apply_word_map(text, rules.word_map, protected=protected)
        text, _ = remove_phrases(text, rules.forbidden_words, protected=protected, remaining=False)
        text, _ = remove_phrases(text, ct.omit_keywords, protected=protected, remaining=False)
    before = text
    text, problems = check_entities(text, rules.entities, protected=protected)
    if text == before:
        # Nothing was replaced, so checking this text without replacing finds the same: the audit reuses it.
        checked[text] = problems
    if run.disclaimers:
        text = _strip_disclaimers(text, ct.claims, protected)
    return text


def _fit(text: str, limit: int, required: Sequence[str], *, sentences: bool = True) -> str:
    """``fit_to_limit(...)[0]``; a text within the limit is only stripped (as ``fit_to_limit`` does)."""
    if len(text) <= limit:
        return text.strip()
    return fit_to_limit(text, limit, required, sentences=sentences)[0]


def _guard_text(
    name: str,
    value: str,
    rules: GuardrailRules,
    run: _TypeRun,
    content: ContentIn,
    cut: bool,
    checked: dict[str, list[str]],
) -> tuple[str, list[ContentWarning]]:
    """The text without its disclaimers (they are attached after the additions, at the very end)."""
    ct = run.ct
    warnings: list[ContentWarning] = []
    sentences = run.sentences
    body = _clean(value, rules, run, checked)
    claims = ct.claims
    room: int | None = None
    if ct.character_limit is not None:
        room = ct.character_limit
        if ct.additions.get(name):
            room -= _addition_overhead({**content, name: body}, name, ct, rules.attributes)
        if claims:
            body, claims, dropped = _fit_claims(body, claims, room)
            for claim in dropped:
                warnings.append(_claim_unfit(name, claim, ct.character_limit))
    for claim in claims:
        if claim.text not in body:
            body = _append(body, claim.text, sentences)
    if room is not None and cut:
        if run.disclaimers:
            room -= _tail_room(claims)
        body = _fit(body, room if room > 0 else 0, [c.text for c in claims], sentences=sentences)
    return body, warnings


def _guard_bullets(
    name: str,
    value: list[str],
    rules: GuardrailRules,
    run: _TypeRun,
    content: ContentIn,
    cut: bool,
    checked: dict[str, list[str]],
) -> tuple[list[str], list[ContentWarning]]:
    """The bullets without disclaimers (attached after the additions, at the end of their bullet)."""
    ct = run.ct
    warnings: list[ContentWarning] = []
    claims = list(ct.claims)
    if ct.character_limit is not None and claims:
        limit = ct.character_limit
        unfit = [c for c in claims if len(c.text) + _tail_room([c]) > limit]
        if unfit:
            warnings.extend(_claim_unfit(name, claim, limit) for claim in unfit)
            claims = [c for c in claims if c not in unfit]
    bullets = [b for b in [_clean(b, rules, run, checked) for b in value] if b.strip()]
    for claim in claims:
        for b in bullets:
            if claim.text in b:
                break
        else:
            bullets.append(claim.text)
    if ct.character_limit is not None and cut:
        fitted: list[str] = []
        with_bullets = {**content, name: bullets}
        additions = ct.additions
        for i, bullet in enumerate(bullets, start=1):
            held = [c for c in claims if c.text in bullet] if claims else []
            room = ct.character_limit
            if additions:
                key = f"{name}_{i}"
                if additions.get(key):
                    room -= _addition_overhead(with_bullets, key, ct, rules.attributes)
            if held:
                room -= _tail_room(held)
            if len(bullet) <= room:  # within its room: only stripped (``_fit``)
                body = bullet.strip()
            else:
                body = fit_to_limit(bullet, room if room > 0 else 0, [c.text for c in held])[0]
            if body:
                fitted.append(body)
        bullets = fitted
    return bullets, warnings


def _claim_unfit(name: str, claim: Claim, limit: int) -> ContentWarning:
    return ContentWarning(
        name, MISSING_CLAIM, f"{name} cannot hold the claim '{_quote(claim.text)}' within {limit} characters"
    )


def apply_guardrails(
    content: ContentIn, rules: GuardrailRules, *, cut: bool = True
) -> tuple[Content, list[ContentWarning]]:
    """Every rule on every content type, then the audit. With ``cut=False`` nothing is cut for length (the
    pipeline's first pass, to find the texts that need the provider's shortening call)."""
    out: Content = {}
    warnings: list[ContentWarning] = []
    checked: dict[str, list[str]] = {}  # text -> its entity problems, found while cleaning (for the audit)
    # A content type's rules, and what they derive, once per name (the texts keep their kind: a list stays one).
    runs: dict[str, _TypeRun] = {}
    texts: dict[str, str | list[str]] = {}
    every: list[str] = []
    for name, value in content.items():
        runs[name] = _TypeRun(rules, rules.for_type(name, value))
        if isinstance(value, list):
            texts[name] = items = [str(v) for v in value]
            every += items
        else:
            texts[name] = text = str(value)
            every.append(text)
    if _quiet(every, rules, list(runs.values())):
        for run in runs.values():
            run.quiet = True
    for name, value in texts.items():
        run = runs[name]
        if isinstance(value, list):
            out[name], found = _guard_bullets(name, value, rules, run, content, cut, checked)
        else:
            out[name], found = _guard_text(name, value, rules, run, content, cut, checked)
        if found:
            warnings.extend(found)
    for name, run in runs.items():
        if run.ct.additions:
            found = _add(out, run.ct.additions, rules.attributes, name)
            if found:
                warnings.extend(found)
    for name, run in runs.items():
        if not run.disclaimers:
            continue
        value = out[name]
        if isinstance(value, list):
            out[name] = [_attach_disclaimers(b, run.ct.claims, True) for b in value]
        else:
            out[name] = _attach_disclaimers(value, run.ct.claims, run.sentences)
    unfit = {(w.content_type, w.description) for w in warnings if w.code == MISSING_CLAIM}
    reported = {name for name, _ in unfit}
    audited = _audit(out, rules, checked, {name: run.ct for name, run in runs.items()})
    # A claim reported as not fitting is not reported again as missing.
    if unfit:
        audited = [
            w for w in audited if not (w.code == MISSING_CLAIM and w.content_type in reported and _is_unfit(w, unfit))
        ]
    return out, _dedupe([*warnings, *audited]) if warnings else _dedupe(audited)


def _is_unfit(warning: ContentWarning, unfit: set[tuple[str, str]]) -> bool:
    quoted = warning.description.split("'", 1)[-1]
    return any(ct == warning.content_type and quoted in desc for ct, desc in unfit)


def audit(
    content: ContentIn, rules: GuardrailRules, *, checked: Mapping[str, list[str]] | None = None
) -> list[ContentWarning]:
    """The warnings the final content deserves: every rule checked again on the text as delivered.
    ``checked``: entity problems already found for some texts with these rules (``check_entities`` without
    replacing), reused instead of checking those texts again."""
    return _audit(content, rules, checked or {}, {name: rules.for_type(name, v) for name, v in content.items()})


def _audit(
    content: ContentIn,
    rules: GuardrailRules,
    checked: Mapping[str, list[str]],
    types: Mapping[str, ContentTypeRules],
) -> list[ContentWarning]:
    warnings: list[ContentWarning] = []
    forbidden = rules.forbidden_words
    every = [text for value in content.values() for text in texts_of(value)]
    # All the texts at once first: most often no forbidden word or omitted keyword can be in any of them, and the
    # entity rules find nothing in those cleaning did not check.
    lowered = lowered_together(every)
    avoided = (*forbidden, *[k for ct in types.values() for k in ct.omit_keywords])
    if avoided and lowered is not None and none_can_occur_in(lowered, avoided, ()):
        forbidden, avoided = [], ()
    unchecked = [t for t in every if t not in checked]
    clear = not unchecked
    if unchecked:
        some = lowered if len(unchecked) == len(every) else lowered_together(unchecked)
        clear = some is not None and _finds_nothing(unchecked, some, rules.entities)
    for name, value in content.items():
        ct = types[name]
        texts = texts_of(value)
        omitted = ct.omit_keywords if avoided else ()
        limit = ct.character_limit
        if limit is not None and texts and max(map(len, texts)) > limit:
            for i, text in enumerate(texts, start=1):
                over = len(text) - limit
                if over > 0:
                    where = f"{name} item {i}" if isinstance(value, list) else name
                    warnings.append(ContentWarning(name, EXCEED_LENGTH, f"{where} exceeds length by {over} characters"))
        if forbidden or omitted or ct.must_keywords:
            group = TextGroup(texts)
            if forbidden:
                for word in group.found(forbidden):
                    warnings.append(
                        ContentWarning(name, FORBIDDEN_WORD, f"{name} contains the forbidden word '{word}'")
                    )
            if omitted:
                for word in group.found(omitted):
                    warnings.append(
                        ContentWarning(name, OMITTED_KEYWORD, f"{name} contains the omitted keyword '{word}'")
                    )
            if ct.must_keywords:
                for word in group.missing(ct.must_keywords):
                    warnings.append(
                        ContentWarning(name, MISSING_KEYWORD, f"{name} does not contain the keyword '{word}'")
                    )
        for claim in ct.claims:
            holder = None
            for text in texts:
                if claim.text in text:
                    holder = text
                    break
            if holder is None:
                warnings.append(
                    ContentWarning(name, MISSING_CLAIM, f"{name} does not contain the claim '{_quote(claim.text)}'")
                )
            elif claim.disclaimer and not _ends_with_disclaimer(holder, claim, ct.claims):
                warnings.append(
                    ContentWarning(
                        name, MISSING_CLAIM, f"{name} does not end with the disclaimer '{_quote(claim.disclaimer)}'"
                    )
                )
        for text in texts:
            problems = checked[text] if text in checked else None
            if problems is None:
                problems = [] if clear else check_entities(text, rules.entities, replace=False)[1]
            if problems:
                warnings.extend(ContentWarning(name, FALSE_ENTITY, f"{name} {p}") for p in problems)
    return warnings


def _ends_with_disclaimer(text: str, claim: Claim, claims: Sequence[Claim]) -> bool:
    assert claim.disclaimer is not None
    position = text.rfind(claim.disclaimer)
    if position == -1:
        return False
    tail = text[position + len(claim.disclaimer) :]
    for other in claims:
        if other.disclaimer:
            tail = tail.replace(other.disclaimer, "")
    return tail.strip(" \n.") == ""


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dedupe(warnings: list[ContentWarning]) -> list[ContentWarning]:
    seen: set[tuple[str, str, str]] = set()
    out: list[ContentWarning] = []
    for w in warnings:
        key = (w.content_type, w.code, w.description)
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out

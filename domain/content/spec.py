"""The effective instructions for each requested content type: the merged configuration read once.

Top-level ``guidelines`` / ``guidelines_shortener`` / ``restrictions`` / ``keyword_groups`` apply to every
content type and come first; a content type's own ones follow. A configured type's missing task or limit
falls back to the built-in type of the same name. ``style_guide_content_types`` and ``tone_content_types``
say which types get the style guide and the brand tone (all of them when the list is absent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from domain.content.defaults import BUILTIN_CONTENT_TYPES, DEFAULT_BULLET_COUNT
from domain.validation import is_number

KEYWORD_KINDS = ("must", "should", "omit", "verbatim_must_claims", "non_verbatim_optional_claims")
# Keyword groups a content type names for these kinds hold words the writer may not use freely.
RESTRICTED_KINDS = ("omit", "verbatim_must_claims", "non_verbatim_optional_claims")


@dataclass
class TypeSpec:
    name: str
    family: str  # title | bullets | string
    task: str
    character_limit: int | None
    guidelines: list[str] = field(default_factory=list)
    guidelines_shortener: list[str] = field(default_factory=list)
    restrictions: list[str] = field(default_factory=list)
    additions: dict[str, str] = field(default_factory=dict)
    keyword_groups: dict[str, list[str]] = field(default_factory=dict)  # kind -> product keyword group names
    use_style_guide: bool = True
    use_tone: bool = True

    @property
    def is_list(self) -> bool:
        return self.family == "bullets"

    @property
    def bullet_count(self) -> int:
        """How many bullets the task asks for ("I want 5 bullet points"), else the default."""
        return _bullet_count(self.task)


@dataclass
class GenerationSpec:
    content_types: list[TypeSpec]
    skipped: list[str]
    word_map: dict[str, str]
    tone: dict[str, dict[str, str]]
    style_guide: dict[str, str]
    client: dict[str, Any]
    # Read from the fields above once, when the spec is made (a spec is read-only once built): what every product
    # of a job looks up again.
    variant_data_fields: tuple[str, ...] = field(init=False, repr=False, compare=False)
    restricted_groups: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.variant_data_fields = tuple(self.client.get("variant_data_fields") or [])
        groups = (t.keyword_groups.get(kind) or [] for t in self.content_types for kind in RESTRICTED_KINDS)
        self.restricted_groups = frozenset(g for names in groups for g in names)

    @property
    def field_map(self) -> dict[str, str]:
        return dict(self.client.get("field_map") or {})

    def tone_for(self, brand: str) -> dict[str, str]:
        """The brand's tone examples, else the GENERIC ones."""
        for key, value in self.tone.items():
            if key.lower() == brand.lower():
                return value
        for key, value in self.tone.items():
            if key.upper() == "GENERIC":
                return value
        return {}


@lru_cache(maxsize=256)
def _bullet_count(task: str) -> int:
    for word in task.replace(",", " ").split():
        if is_number(word) and 1 <= int(word) <= 12:
            return int(word)
    return DEFAULT_BULLET_COUNT


def _merge_lists(*lists: list[str] | None) -> list[str]:
    out: list[str] = []
    for items in lists:
        for item in items or []:
            if item not in out:
                out.append(item)
    return out


def build_spec(content_types: list[str], config: dict[str, Any]) -> GenerationSpec:
    client = dict(config.get("client") or {})
    families = dict(client.get("content_type_family_map") or {})
    configured = dict(config.get("content_types") or {})
    skip = set(client.get("skip_content_types") or [])
    style_types = client.get("style_guide_content_types")
    tone_types = client.get("tone_content_types")
    top_groups = dict(config.get("keyword_groups") or {})

    specs: list[TypeSpec] = []
    skipped: list[str] = []
    for name in content_types:
        if name in skip:
            skipped.append(name)
            continue
        own = dict(configured.get(name) or {})
        builtin = BUILTIN_CONTENT_TYPES.get(name, {})
        own_groups = dict(own.get("keyword_groups") or {})
        specs.append(
            TypeSpec(
                name=name,
                family=families.get(name) or builtin.get("family") or "string",
                task=own.get("task") or builtin.get("task") or f"Write the product's {name.replace('_', ' ')}.",
                character_limit=own.get("character_limit") or builtin.get("character_limit"),
                guidelines=_merge_lists(config.get("guidelines"), own.get("guidelines")),
                guidelines_shortener=_merge_lists(config.get("guidelines_shortener"), own.get("guidelines_shortener")),
                restrictions=_merge_lists(config.get("restrictions"), own.get("restrictions")),
                additions=dict(own.get("additions") or {}),
                keyword_groups={
                    kind: _merge_lists(top_groups.get(kind), own_groups.get(kind))
                    for kind in KEYWORD_KINDS
                    if top_groups.get(kind) or own_groups.get(kind)
                },
                use_style_guide=style_types is None or name in style_types,
                use_tone=tone_types is None or name in tone_types,
            )
        )
    return GenerationSpec(
        content_types=specs,
        skipped=skipped,
        word_map=dict(config.get("word_map") or {}),
        tone=dict(config.get("tone") or {}),
        style_guide={k: v for k, v in (config.get("style_guide") or {}).items() if isinstance(v, str) and v},
        client=client,
    )

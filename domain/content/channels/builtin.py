"""The channels the service ships, and the locales the content-services document knows.

A channel's id is what the document's requests name (``content_generation_params.channel``, the channel
adaptation's ``channel`` and ``source_channel``): ``Standard`` is the general product detail page (the
document's "PDP Content": title, desc, bullets, howtouse); ``Amazon``, ``TechStore`` and ``channel`` are the
channels of the document's examples, with the content types those examples use. Built-in channels serve every
locale. A workspace adds channels, or replaces a built-in one for a locale or for all, with its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass

EVERY_LOCALE = "*"


@dataclass(frozen=True)
class BuiltinChannel:
    channel: str
    content_types: tuple[str, ...]
    description: str


BUILTIN_CHANNELS: dict[str, BuiltinChannel] = {
    c.channel: c
    for c in (
        BuiltinChannel(
            "Standard",
            ("title", "desc", "bullets", "howtouse"),
            "The general product detail page (the document's PDP content).",
        ),
        BuiltinChannel(
            "Amazon",
            ("title", "desc", "bullets", "howtouse"),
            "Amazon product pages (the document's channel adaptation example).",
        ),
        BuiltinChannel("TechStore", ("title", "bullets", "desc"), "The document's content generation example channel."),
        BuiltinChannel("channel", ("title", "desc", "bullets"), "The document's example channel id."),
    )
}

"""The content-adaptation job kinds (listed in ``domain.content.jobs.CONTENT_KINDS``)."""

from __future__ import annotations

from domain.content.adaptation import channel, tone, translation
from domain.content.adaptation.requests import ChannelJobParams, ToneJobParams, TranslationJobParams
from domain.jobs.registry import JobKind

CHANNEL_ADAPTATION = JobKind(
    name="content.adaptation.channel",
    params=ChannelJobParams,
    handler=channel.run,
    description="Adapts products' content to another sales channel, learning from the channel examples.",
)
TONE_ADAPTATION = JobKind(
    name="content.adaptation.tone_of_voice",
    params=ToneJobParams,
    handler=tone.run,
    description="Rewrites content to follow a style guide (tone of voice).",
)
TRANSLATION = JobKind(
    name="content.adaptation.translation",
    params=TranslationJobParams,
    handler=translation.run,
    description="Translates content into up to five languages, with a glossary and the content types' limits.",
)

ADAPTATION_KINDS = (CHANNEL_ADAPTATION, TONE_ADAPTATION, TRANSLATION)

"""Device, browser and operating system from a user agent, through ``ua-parser`` (uap-core's maintained regexes,
bundled in its wheel; nothing is downloaded).

uap-core names browsers, systems and devices but not the kind of device, which the reports group by; that is
derived here from what it found, with Matomo's labels: ``Bot``, ``Tablet``, ``Smartphone``, ``Desktop``, and
``Other`` when the user agent says too little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ua_parser

DESKTOP_SYSTEMS = frozenset(
    {"Windows", "Mac OS X", "macOS", "Linux", "Ubuntu", "Fedora", "Debian", "Chrome OS", "ChromeOS", "FreeBSD",
     "OpenBSD", "NetBSD", "Solaris", "Mint", "Arch Linux", "openSUSE", "Red Hat", "CentOS", "Gentoo"}
)  # fmt: skip
MOBILE_SYSTEMS = frozenset({"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Tizen", "HarmonyOS"})
_TABLET = re.compile(r"iPad|Tablet|Kindle|Silk|PlayBook|Nexus (7|9|10)\b|SM-T\d|Tab\b", re.IGNORECASE)
_BOT = re.compile(r"bot\b|crawl|spider|slurp|HeadlessChrome|Lighthouse", re.IGNORECASE)
UA_MAX = 1024


@dataclass(frozen=True)
class Device:
    device_type: str
    brand: str | None
    model: str | None
    browser: str | None
    browser_version: str | None
    os: str | None
    os_version: str | None


def _version(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return ".".join(kept)[:32] if kept else None


def _known(family: str | None) -> str | None:
    return None if not family or family == "Other" else family[:64]


@lru_cache(maxsize=8192)
def parse_user_agent(user_agent: str) -> Device:
    """What the user agent says (cached: traffic repeats a few thousand user agents)."""
    text = user_agent[:UA_MAX]
    result = ua_parser.parse(text)
    agent, system, device = result.user_agent, result.os, result.device
    browser = _known(agent.family if agent else None)
    os_name = _known(system.family if system else None)
    family = device.family if device else None
    if family == "Spider" or _BOT.search(text):
        kind = "Bot"
    elif _TABLET.search(text) or (os_name == "Android" and "Mobile" not in text):
        kind = "Tablet"
    elif os_name in MOBILE_SYSTEMS or "Mobile" in text or family == "iPhone":
        kind = "Smartphone"
    elif os_name in DESKTOP_SYSTEMS:
        kind = "Desktop"
    else:
        kind = "Other"
    bot = kind == "Bot"  # uap-core's "Spider" device is no brand
    return Device(
        device_type=kind,
        brand=None if bot or not device else _known(device.brand),
        model=None if bot or not device else _known(device.model),
        browser=browser,
        browser_version=_version(agent.major, agent.minor) if agent and browser else None,
        os=os_name,
        os_version=_version(system.major, system.minor) if system and os_name else None,
    )

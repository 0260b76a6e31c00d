"""Where a visit came from, as Matomo classifies it: a campaign (``mtm_*``, ``pk_*``, ``utm_*`` parameters on the
landing page), a search engine, a social network, another website, or a direct entry (no referrer, or the
store's own pages).

The search engines and social networks are a small shipped table of the common ones (host suffix → name, and
the query parameters that carry a search keyword); any other referrer is a ``website`` named by its host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from domain.analytics.models import DIRECT_ENTRY, LABEL_MAX

# host suffix -> (name, keyword parameters)
SEARCH_ENGINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "google": ("Google", ("q",)),
    "bing.com": ("Bing", ("q",)),
    "duckduckgo.com": ("DuckDuckGo", ("q",)),
    "yahoo.com": ("Yahoo!", ("p", "q")),
    "yandex.ru": ("Yandex", ("text",)),
    "yandex.com": ("Yandex", ("text",)),
    "baidu.com": ("Baidu", ("wd", "word")),
    "ecosia.org": ("Ecosia", ("q",)),
    "qwant.com": ("Qwant", ("q",)),
    "startpage.com": ("StartPage", ("query", "q")),
    "search.brave.com": ("Brave", ("q",)),
    "ask.com": ("Ask", ("q",)),
    "naver.com": ("Naver", ("query",)),
    "seznam.cz": ("Seznam", ("q",)),
}
SOCIAL_NETWORKS: dict[str, str] = {
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "fb.me": "Facebook",
    "instagram.com": "Instagram",
    "twitter.com": "Twitter",
    "x.com": "Twitter",
    "t.co": "Twitter",
    "linkedin.com": "LinkedIn",
    "lnkd.in": "LinkedIn",
    "pinterest.com": "Pinterest",
    "pin.it": "Pinterest",
    "reddit.com": "Reddit",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "tiktok.com": "TikTok",
    "snapchat.com": "Snapchat",
    "whatsapp.com": "WhatsApp",
    "telegram.org": "Telegram",
    "t.me": "Telegram",
    "threads.net": "Threads",
    "bsky.app": "Bluesky",
    "mastodon.social": "Mastodon",
    "vk.com": "VKontakte",
}
CAMPAIGN_NAME_PARAMS = ("mtm_campaign", "matomo_campaign", "pk_campaign", "piwik_campaign", "utm_campaign")
CAMPAIGN_KEYWORD_PARAMS = ("mtm_kwd", "matomo_kwd", "pk_kwd", "piwik_kwd", "utm_term")


@dataclass(frozen=True)
class Referrer:
    type: str  # direct, search, social, website, campaign
    name: str | None
    url: str | None
    keyword: str | None = None

    @property
    def source(self) -> str:
        """The ``source`` dimension's label."""
        return self.name or DIRECT_ENTRY


DIRECT = Referrer("direct", None, None)


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.").removeprefix("m.")


def _first(query: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    for name in names:
        values = query.get(name)
        if values and values[0].strip():
            return values[0].strip()[:LABEL_MAX]
    return None


def _match(host: str, suffix: str) -> bool:
    if "." not in suffix:  # "google": any google.<tld> or google.co.<tld>
        return host == suffix or host.startswith(suffix + ".") or f".{suffix}." in f".{host}"
    return host == suffix or host.endswith("." + suffix)


def classify(page_url: str | None, referrer_url: str | None) -> Referrer:
    """The referrer of a visit that starts on ``page_url`` having come from ``referrer_url``."""
    if page_url:
        try:
            page_query = parse_qs(urlsplit(page_url).query)
        except ValueError:
            page_query = {}
        campaign = _first(page_query, CAMPAIGN_NAME_PARAMS)
        if campaign:
            keyword = _first(page_query, CAMPAIGN_KEYWORD_PARAMS)
            # Matomo lower-cases campaign names so that "Spring" and "spring" are one campaign.
            return Referrer("campaign", campaign.lower(), referrer_url or None, keyword)
    if not referrer_url:
        return DIRECT
    host = _host(referrer_url)
    if not host or (page_url and host == _host(page_url)):
        return DIRECT  # the store's own pages (or nonsense) are no referrer
    for suffix, (name, params) in SEARCH_ENGINES.items():
        if _match(host, suffix):
            try:
                query = parse_qs(urlsplit(referrer_url).query)
            except ValueError:
                query = {}
            return Referrer("search", name, referrer_url, _first(query, params))
    for suffix, name in SOCIAL_NETWORKS.items():
        if _match(host, suffix):
            return Referrer("social", name, referrer_url)
    return Referrer("website", host[:LABEL_MAX], referrer_url)

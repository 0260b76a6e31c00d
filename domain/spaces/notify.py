"""The email a post sends to the space's other members who opted in: text and HTML bodies with the title,
the prices, ``notificationProductPrice`` (blank when absent), the image and the product's page. Everything a
member sent is escaped in the HTML; a URL becomes a link or an image only when it is http(s)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from domain.spaces.models import SpaceProductPost

NOTIFICATION_KIND = "space.product_post"
_SUBJECT_MAX = 200


@dataclass(frozen=True)
class PostMail:
    post: SpaceProductPost
    space_name: str
    poster: str
    image_url: str


@dataclass(frozen=True)
class ComposedMail:
    subject: str
    text: str
    html: str


def _web(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quantity(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def compose(mail: PostMail) -> ComposedMail:
    post = mail.post
    title = _one_line(post.product_title)
    subject = _one_line(f"{mail.poster} posted {title} to {mail.space_name}")
    if len(subject) > _SUBJECT_MAX:
        subject = subject[: _SUBJECT_MAX - 1] + "…"
    notification_price = post.notification_product_price or ""
    rows = [
        ("Price", f"{post.product_price} {post.product_currency_code}"),
        ("Sale price", f"{post.product_sale_price} {post.product_currency_code}" if post.product_sale_price else ""),
        ("Notification price", notification_price),
        ("Desired quantity", _quantity(post.product_desired_quantity)),
        ("Image", mail.image_url),
        ("Product page", post.product_url),
    ]
    text = "\n".join(
        [
            f'{mail.poster} posted a product to the space "{mail.space_name}".',
            "",
            post.product_title,
            "",
            *(f"{label}: {value}" for label, value in rows),
            "",
            "You receive this because you opted in to notifications of this space.",
        ]
    )
    html_rows = "".join(
        f"<tr><th align='left'>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows
    )
    image = (
        f'<p><img src="{escape(mail.image_url)}" alt="{escape(title)}" style="max-width:480px"></p>'
        if _web(mail.image_url)
        else ""
    )
    heading = escape(post.product_title)
    if _web(post.product_url):
        heading = f'<a href="{escape(post.product_url)}">{heading}</a>'
    html = (
        "<!doctype html><html><body>"
        f"<p>{escape(mail.poster)} posted a product to the space &ldquo;{escape(mail.space_name)}&rdquo;.</p>"
        f"<h2>{heading}</h2>{image}<table>{html_rows}</table>"
        "<p><small>You receive this because you opted in to notifications of this space.</small></p>"
        "</body></html>"
    )
    return ComposedMail(subject=subject, text=text, html=html)

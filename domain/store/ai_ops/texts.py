"""The template's stock text rows: the curated set ``regenerate-stock-texts`` rewrites, with the generic
defaults a new store carries, and how long each may be."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StockText:
    key: str
    default: str
    purpose: str  # what the row is for, as the prompt describes it
    max_length: int


STOCK_TEXTS: tuple[StockText, ...] = (
    StockText("HOMEPAGE_OFFER_BOX_TITLE", "Bringing you the best products", "the homepage offer box's title", 80),
    StockText(
        "HOMEPAGE_OFFER_BOX_TEXT",
        "We search the web for the best products so you don't have to.",
        "one sentence under the homepage offer box's title",
        200,
    ),
    StockText(
        "HOMEPAGE_CONTENT_ABOVE_HERO",
        "Welcome to our store. Discover our hand-picked selection of products.",
        "the short welcome line above the homepage hero",
        200,
    ),
    StockText("HOMEPAGE_HERO_SUBTITLE", "Quality products at great prices", "the homepage hero's subtitle", 120),
    StockText(
        "HOMEPAGE_TESTIMONIAL_TEXT_1",
        "Great products and fast delivery. I will definitely shop here again!",
        "a customer testimonial (first of three)",
        240,
    ),
    StockText(
        "HOMEPAGE_TESTIMONIAL_TEXT_2",
        "I found exactly what I was looking for. Highly recommended.",
        "a customer testimonial (second of three)",
        240,
    ),
    StockText(
        "HOMEPAGE_TESTIMONIAL_TEXT_3",
        "The best selection I have seen anywhere. Five stars!",
        "a customer testimonial (third of three)",
        240,
    ),
    StockText(
        "ABOUT_PAGE_INTRO",
        "We are passionate about bringing you the best products on the market.",
        "the about page's opening paragraph",
        600,
    ),
    StockText(
        "ABOUT_PAGE_MISSION",
        "Our mission is to make shopping simple, fun and affordable.",
        "the about page's mission statement",
        400,
    ),
    StockText("NEWSLETTER_TITLE", "Stay up to date", "the newsletter sign-up box's title", 80),
    StockText(
        "NEWSLETTER_TEXT",
        "Subscribe to our newsletter for the latest products and offers.",
        "one sentence in the newsletter sign-up box",
        200,
    ),
    StockText(
        "FOOTER_ABOUT_TEXT",
        "Bringing you the best products from around the web.",
        "the footer's short description of the store",
        240,
    ),
)

BY_KEY = {text.key: text for text in STOCK_TEXTS}
SOURCES = ("customer", "ai")

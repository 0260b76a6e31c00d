"""How shares are computed from per-review assignments (``review_report``), whatever the themes came from."""

from __future__ import annotations

from domain.content.analysis.review_prompt import parse_assignments
from domain.content.analysis.review_report import (
    BARRIER,
    HIGHLIGHT,
    MAX_NAMED_THEMES,
    Theme,
    rank_themes,
    report_maps,
)


def maps(themes: list[Theme], n: int, side: str = HIGHLIGHT) -> list[dict[str, str]]:
    return report_maps([t.as_dict() for t in rank_themes(themes, n, lambda r: side)])


def total(report: list[dict[str, str]]) -> float:
    return round(sum(float(v.rstrip("%")) for side in report for v in side.values()), 1)


def test_a_review_backing_several_themes_is_shared_between_them() -> None:
    themes = [Theme("Comfort", HIGHLIGHT, [0, 1]), Theme("Price", BARRIER, [1, 2])]
    assert maps(themes, 3) == [{"1. Comfort": "50.0%"}, {"1. Price": "50.0%"}]


def test_thirds_are_rounded_to_add_up_to_100() -> None:
    themes = [Theme("A", HIGHLIGHT, [0]), Theme("B", HIGHLIGHT, [1]), Theme("C", BARRIER, [2])]
    report = maps(themes, 3)
    assert report == [{"1. A": "33.4%", "2. B": "33.3%"}, {"1. C": "33.3%"}]
    assert total(report) == 100.0


def test_reviews_without_a_theme_are_other_on_their_side() -> None:
    themes = [Theme("Fit", HIGHLIGHT, [0, 1])]
    sides = {2: BARRIER, 3: HIGHLIGHT}
    ranked = rank_themes(themes, 4, lambda r: sides[r])
    assert report_maps([t.as_dict() for t in ranked]) == [
        {"1. Fit": "50.0%", "2. Other": "25.0%"},
        {"1. Other": "25.0%"},
    ]
    assert [t.reviews for t in ranked if t.other] == [(3,), (2,)]


def test_thin_themes_and_themes_past_the_sixth_go_to_other() -> None:
    n = 100
    themes = [Theme(f"Theme {i}", HIGHLIGHT, list(range(i * 10, i * 10 + 10))) for i in range(8)]
    themes.append(Theme("Rare", BARRIER, [80]))  # 1% of the reviews: thin
    themes.append(Theme("Common", BARRIER, list(range(81, 100))))
    report = maps(themes, n)
    assert len(report[0]) == MAX_NAMED_THEMES + 1
    assert list(report[0])[-1] == "7. Other" and report[0]["7. Other"] == "20.0%"
    assert report[1] == {"1. Common": "19.0%", "2. Other": "1.0%"}
    assert total(report) == 100.0


def test_themes_are_merged_by_name_and_unbacked_ones_dropped() -> None:
    themes = [
        Theme("great fit", HIGHLIGHT, [0]),
        Theme("Great fit.", HIGHLIGHT, [1, 1, 7]),  # same theme; a repeated index and one outside the reviews
        Theme("Nobody said this", BARRIER, []),
        Theme("Other", BARRIER, [2]),  # a model's own "Other" counts as no theme
        Theme("Odd", "sideways", [2]),
    ]
    ranked = rank_themes(themes, 3, lambda r: BARRIER)
    assert [(t.name, t.kind, t.reviews, t.tenths) for t in ranked] == [
        ("Great fit", HIGHLIGHT, (0, 1), 667),
        ("Other", BARRIER, (2,), 333),
    ]


def test_a_models_answer_is_read_defensively() -> None:
    data = {
        "themes": [{"name": "Quality", "kind": "highlight"}, {"kind": "barrier"}, "junk"],
        "assignments": [
            {"review": 0, "sentiment": "positive", "themes": [0, 5, True]},
            {"review": 1, "sentiment": "negative", "themes": []},
            {"review": -1, "sentiment": "negative", "themes": [0]},
            {"review": "2", "themes": [0]},
            "junk",
        ],
    }
    themes, sides = parse_assignments(data, 3)
    assert [(t.name, t.reviews) for t in themes] == [("Quality", [0])]
    assert sides == {0: HIGHLIGHT, 1: BARRIER}
    assert parse_assignments({"themes": None, "assignments": 3}, 3) == ([], {})

"""The period arithmetic under every report: buckets, labels, ranges, local days and their bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.analytics.periods import ReportRange, Window, label, local_midnight, local_today
from domain.analytics.reports import per, percent
from domain.errors import InvalidInput
from domain.validation import parse_now


def test_windows_end_with_the_period_that_holds_the_last_day() -> None:
    days = Window.ending(date(2026, 3, 6), "day", 3)
    assert (days.first, days.last, list(days.starts())) == (
        date(2026, 3, 4), date(2026, 3, 6), [date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)]
    )  # fmt: skip
    weeks = Window.ending(date(2026, 3, 6), "week", 2)  # a Friday: its week began on Monday 03-02
    assert list(weeks.starts()) == [date(2026, 2, 23), date(2026, 3, 2)] and weeks.last == date(2026, 3, 6)
    months = Window.ending(date(2026, 2, 15), "month", 4)  # across a year
    assert list(months.starts()) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert [label(s, "month") for s in months.starts()] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert label(date(2026, 3, 2), "week") == "2026-03-02,2026-03-08" and label(date(2026, 3, 6), "day") == "2026-03-06"


@pytest.mark.parametrize(
    ("period", "first", "last", "buckets"),
    [
        ("day", date(2026, 1, 1), date(2026, 12, 31), 365),
        ("week", date(2026, 3, 1), date(2026, 3, 2), 2),  # a Sunday and the Monday after
        ("week", date(2026, 3, 2), date(2026, 3, 8), 1),
        ("month", date(2025, 12, 31), date(2026, 1, 1), 2),
        ("month", date(1970, 1, 1), date(2999, 12, 31), 12360),
    ],
)
def test_bucket_counts(period: str, first: date, last: date, buckets: int) -> None:
    window = Window(period, first, last)  # type: ignore[arg-type]
    assert window.buckets == buckets
    if buckets < 1000:
        assert len(list(window.starts())) == buckets


def test_ranges() -> None:
    today = date(2026, 3, 6)
    assert parse_now(ReportRange, {}).window(today) == Window("day", date(2026, 2, 5), today)
    named = parse_now(ReportRange, {"from": "2026-03-01", "to": "2026-03-03", "length": "5"}).window(today)
    assert (named.first, named.last) == (date(2026, 3, 1), date(2026, 3, 3))  # from/to win over length
    from_only = parse_now(ReportRange, {"from": "2026-03-01", "period": "week"}).window(today)
    assert (from_only.first, from_only.last) == (date(2026, 3, 1), today)
    to_only = parse_now(ReportRange, {"to": "2026-01-31", "period": "month", "length": "2"}).window(today)
    assert (to_only.first, to_only.last) == (date(2025, 12, 1), date(2026, 1, 31))
    future = parse_now(ReportRange, {"from": "2026-04-01"}).window(today)
    assert (future.first, future.last) == (date(2026, 4, 1), date(2026, 4, 1))
    parse_now(ReportRange, {"from": "2025-03-06", "to": "2026-03-06"}).window(today)  # 366 days: allowed
    with pytest.raises(InvalidInput) as refused:
        parse_now(ReportRange, {"from": "2025-03-05", "to": "2026-03-06"}).window(today)
    assert [(e.field, e.rule) for e in refused.value.field_errors] == [("from", "max_span")]


def test_local_days_and_their_instants() -> None:
    new_york = ZoneInfo("America/New_York")
    assert local_today(datetime(2026, 3, 6, 3, 0, tzinfo=UTC), new_york) == date(2026, 3, 5)
    assert local_today(datetime(2026, 3, 6, 5, 0, tzinfo=UTC), new_york) == date(2026, 3, 6)
    # 2026-03-08 has 23 hours in New York (clocks go forward at 02:00).
    start, end = Window("day", date(2026, 3, 8), date(2026, 3, 8)).instants(new_york)
    assert (start, end) == (datetime(2026, 3, 8, 5, tzinfo=UTC), datetime(2026, 3, 9, 4, tzinfo=UTC))
    assert local_midnight(date(2026, 7, 1), ZoneInfo("Europe/Berlin")) == datetime(2026, 6, 30, 22, tzinfo=UTC)


def test_rates_round_half_up_and_never_divide_by_zero() -> None:
    assert (percent(1, 3), percent(2, 3), percent(1, 8), percent(0, 0), percent(5, 5)) == (33, 67, 13, 0, 100)
    assert (per(180, 3), per(5, 2), per(7, 0)) == (60, 3, 0)

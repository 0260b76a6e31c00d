"""The store API's timestamps (``ts``) are Laravel's ``strftime("%Y-%m-%dT%H:%M:%S.%fZ")``, character for
character, whatever the value (written without strftime for speed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

from resolvers.rest.store.dialect import ts


def laravel(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_timestamps_are_the_characters_strftime_writes():
    rng = random.Random(13)
    values = [
        datetime(2026, 3, 6, 10, 15, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(999, 9, 9, 9, 9, 9, 9, tzinfo=UTC),
        datetime(1000, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 3, 6, 10, 15, 0, 1),  # naive (an object not yet read back)
        datetime(2026, 3, 6, 10, 15, tzinfo=timezone(timedelta(hours=2))),  # its own wall clock, as before
    ]
    values += [
        datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.randrange(0, 2**62 // 1000)) for _ in range(2000)
    ]
    assert [ts(v) for v in values] == [laravel(v) for v in values]
    assert ts(None) is None

"""AI Chips -> credits: one conversion, rounded up; the setting that sets the rate."""

from __future__ import annotations

import pytest

from domain.store.ai_billing import (
    AI_IMAGE_CHIPS,
    brand_clean_chips,
    check_chips_per_credit,
    credits_for_chips,
)
from shopwright.settings import Settings


def test_rounds_up_and_free_stays_free() -> None:
    assert credits_for_chips(0) == 0
    assert credits_for_chips(1) == 1
    assert credits_for_chips(1000) == 1
    assert credits_for_chips(1001) == 2
    assert credits_for_chips(AI_IMAGE_CHIPS) == 50
    assert credits_for_chips(AI_IMAGE_CHIPS, 10_000) == 5
    assert credits_for_chips(brand_clean_chips(40), 1000) == 4  # 1,000 + 40 x 60 = 3,400 chips


@pytest.mark.parametrize("rate", [0, -5, 1_000_001, True, 2.5])
def test_an_unusable_rate_is_refused(rate: object) -> None:
    with pytest.raises(ValueError):
        check_chips_per_credit(rate)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        credits_for_chips(100, rate)  # type: ignore[arg-type]


def test_negative_chips_are_refused() -> None:
    with pytest.raises(ValueError):
        credits_for_chips(-1)


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().chips_per_credit == 1000
    monkeypatch.setenv("SHOPWRIGHT_CHIPS_PER_CREDIT", "250")
    assert Settings().chips_per_credit == 250
    monkeypatch.setenv("SHOPWRIGHT_CHIPS_PER_CREDIT", "0")
    with pytest.raises(ValueError):
        Settings()

"""The workspace cost bucket (``resolvers.ratelimit``): in memory, and in Redis shared by every process."""

from __future__ import annotations

import uuid

import pytest

from resolvers.ratelimit import CostBucket, MemoryCostBucket, RedisCostBucket
from shopwright.app import build_app
from tests.conftest import running_app
from tests.graphql.documents import PRODUCTS_WITH_BRANDS
from tests.support.factories import make_workspace
from tests.support.graphql import gql
from tests.support.serving import asgi_client


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_memory_bucket_takes_refuses_gives_back_and_refills():
    clock = Clock()
    bucket = MemoryCostBucket(100, 10.0, clock=clock)
    taken = await bucket.take("ws", 60)
    assert taken.allowed and taken.available == 40
    refused = await bucket.take("ws", 50)
    assert not refused.allowed and refused.available == 40  # a take that does not fit takes nothing
    assert refused.retry_after(50) == 1
    assert (await bucket.give_back("ws", 55)).available == 95
    assert (await bucket.give_back("ws", -20)).available == 95  # never a charge
    assert (await bucket.take("other", 100)).available == 0  # every key has its own bucket
    clock.now += 2.5
    assert (await bucket.take("ws", 0)).available == 100  # refilled 25, capped at the size
    assert (await bucket.take("other", 0)).available == 25
    assert (await bucket.take("other", 70)).retry_after(70) == 5


async def _exercise(bucket: CostBucket, key: str) -> None:
    assert (await bucket.take(key, 900)).allowed
    refused = await bucket.take(key, 500)
    assert not refused.allowed and 100 <= refused.available < 110
    given = await bucket.give_back(key, 850)
    assert 950 <= given.available <= 1000


async def test_memory_bucket_with_the_real_clock():
    await _exercise(MemoryCostBucket(1000, 50.0), "ws")


async def test_redis_bucket_is_shared_by_every_process(redis_url):
    key = f"test-{uuid.uuid4().hex}"
    first, second = RedisCostBucket(redis_url, 1000, 50.0), RedisCostBucket(redis_url, 1000, 50.0)
    try:
        await _exercise(first, key)
        assert not (await second.take(key, 1001)).allowed
        state = await second.take(key, 900)
        assert state.allowed and state.available < 110  # what the first process left
    finally:
        await first.close()
        await second.close()


async def test_graphql_reports_the_redis_bucket(settings_factory, redis_url):
    # A slow refill, so that a loaded machine's delays between the two answers add no point back.
    settings = settings_factory(
        redis_url=redis_url, graphql_cost_bucket_size=25, graphql_max_cost=25, graphql_cost_restore_rate=0.01
    )
    async with running_app(settings) as application, asgi_client(application) as client:
        services = application.state.services
        assert isinstance(services.cost_bucket, RedisCostBucket)
        ws = await make_workspace(services)
        left = []
        for _ in range(2):
            status, body = await gql(client, PRODUCTS_WITH_BRANDS, token=ws.api_key)
            assert status == 200, body
            left.append(body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"])
        assert left[0] == 23 and 21 <= left[1] <= 23
        await services.cost_bucket.close()


@pytest.mark.parametrize("size", [0, -1])
def test_bucket_and_limit_settings_must_be_positive(settings_factory, size):
    with pytest.raises(ValueError):
        settings_factory(graphql_cost_bucket_size=size)


def test_a_bucket_smaller_than_the_maximum_stops_the_app_at_start(settings_factory):
    with pytest.raises(ValueError, match="must be at least SHOPWRIGHT_GRAPHQL_MAX_COST"):
        build_app(settings_factory(graphql_cost_bucket_size=500))

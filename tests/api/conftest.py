import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    """Throttling counts requests per user in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()

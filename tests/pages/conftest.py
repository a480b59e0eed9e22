import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@pytest.fixture
def overhead():
    """What any logged-in page costs before its own reads, measured on a page that reads
    nothing itself (the password form): session, user, what the authentication
    middleware loads (e.g. OTP devices), the user's agency in the navigation bar, and the
    session saved again to renew the idle timeout. Measured, so the page budgets below
    count only each page's own queries and do not break when middleware changes."""

    def _measure(client) -> int:
        client.get(reverse("password_change"))  # warm up (first-request-only work)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("password_change")).status_code == 200
        return len(ctx.captured_queries)

    return _measure

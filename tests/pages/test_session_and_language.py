"""Idle sessions end after 30 minutes; pages switch to English; optional nav links."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.templatetags.tppo_tags import url_if_exists
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_idle_session_ends_after_30_minutes(client, unit_bjm):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(unit_bjm)
    assert client.get(reverse("cases:list")).status_code == 200
    session = Session.objects.get()
    # Each request renews the expiry: about 30 minutes from now, not from the login.
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # 31 idle minutes later the session is gone and the page asks for a login again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_switch_to_english_with_localised_dates(client, unit_bjm):
    case = make_case(unit_bjm)
    client.force_login(unit_bjm)
    indonesian = client.get(reverse("cases:detail", args=[case.pk]))
    assert "Linimasa tahap" in indonesian.text and "2 Maret 2026" in indonesian.text
    client.post(reverse("set_language"), {"language": "en", "next": "/kasus/"})
    english = client.get(reverse("cases:detail", args=[case.pk]))
    assert 'lang="en"' in english.text
    assert "Stage timeline" in english.text and "Linimasa tahap" not in english.text
    assert "March 2, 2026" in english.text
    assert "Cases" in client.get(reverse("cases:list")).text


def test_numbers_are_grouped_in_the_languages_format(client, unit_bjm):
    from cases.services import involvement_update

    case = make_case(unit_bjm)
    involvement_update(
        by=unit_bjm,
        involvement=case.involvements.get(),
        version=case.involvements.get().version,
        verdict="DIPIDANA",
        verdict_on=case.reported_on,
        fine=120000000,
    )
    client.force_login(unit_bjm)
    assert "Rp 120.000.000" in client.get(reverse("cases:detail", args=[case.pk])).text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Rp 120,000,000" in client.get(reverse("cases:detail", args=[case.pk])).text


def test_optional_links_render_only_when_the_route_exists():
    assert url_if_exists("cases:list") == reverse("cases:list")
    assert url_if_exists("reports:no_such_page") == ""

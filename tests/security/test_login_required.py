"""Every page asks an anonymous visitor to sign in (a redirect to the login page with the
page to return to), rather than answering anything about the record behind it."""

import pytest
from django.urls import reverse

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def pages(case) -> list[str]:
    victim = case.victim_links.first().victim
    return [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("victims:detail", args=[victim.pk]),
        reverse("reports:summary_list"),
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, unit_bjm):
    case = make_case(unit_bjm)
    login = reverse("login")
    for url in pages(case):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{login}?next={url}", url

"""The monthly work heals itself (#14.5): what the build on the 1st and the reminders on the
reminder day should have done and did not (an outage, beat down at the due minute, a mail
server that refused) is done by the hourly catch-up, once; /healthz says when it is late."""

import smtplib
from datetime import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from agencies.models import Agency, Regency
from reports.models import MonthlySummary, ReturnReminder
from reports.services import last_closed_month, monthly_work_catch_up, summaries_missing
from reports.tasks import RETRY, monthly_work_catch_up_task

pytestmark = pytest.mark.django_db


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_default_timezone())


@pytest.mark.parametrize(
    ("now", "month"),
    [
        (wita(2026, 12, 1, 1, 59), "2026-10"),  # before the build on the 1st
        (wita(2026, 12, 1, 2, 0), "2026-11"),
        (wita(2026, 12, 20, 9, 0), "2026-11"),
        (wita(2027, 1, 1, 3, 0), "2026-12"),
    ],
)
def test_the_month_due(now, month):
    assert f"{last_closed_month(now):%Y-%m}" == month


def test_missing_summaries_are_built_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = wita(2026, 12, 1, 5, 15)  # beat was down at 02:00
    november = last_closed_month(now)
    assert summaries_missing(november)
    done = monthly_work_catch_up(now=now)
    assert done == {"summaries": (Regency.objects.count() + 1) * 2, "reminders": 0}
    assert not summaries_missing(november)
    built = dict(MonthlySummary.objects.values_list("pk", "built_at"))
    assert monthly_work_catch_up(now=now) == {"summaries": 0, "reminders": 0}
    assert dict(MonthlySummary.objects.values_list("pk", "built_at")) == built  # untouched


def test_a_partial_month_is_completed(settings):
    now = wita(2026, 12, 2, 10, 15)
    monthly_work_catch_up(now=now)
    MonthlySummary.objects.filter(regency_id="6371").delete()
    assert monthly_work_catch_up(now=now)["summaries"] > 0
    assert not summaries_missing(last_closed_month(now))


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def test_reminders_refused_by_the_mail_server_go_out_later_once(settings, outsider):
    Agency.objects.filter(kind="UNIT_PPA").update(email="")
    Agency.objects.filter(name="Unit PPA Polres Banjar").update(email="ppa.banjar@polri.example")
    reminder_day = wita(2026, 12, settings.RETURN_REMINDER_DAY, 8, 15)
    settings.EMAIL_BACKEND = "tests.reports.test_catch_up.RefusingBackend"
    assert monthly_work_catch_up(now=reminder_day)["reminders"] == 0
    assert not ReturnReminder.objects.exists()  # nothing recorded as sent

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert monthly_work_catch_up(now=reminder_day)["reminders"] == 1
    assert monthly_work_catch_up(now=reminder_day)["reminders"] == 0
    assert [m.to for m in mail.outbox] == [["ppa.banjar@polri.example"]]


def test_no_reminder_before_the_reminder_day(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Agency.objects.filter(name="Unit PPA Polres Banjar").update(email="ppa.banjar@polri.example")
    assert monthly_work_catch_up(now=wita(2026, 12, 3, 8, 15))["reminders"] == 0
    assert not mail.outbox


def test_the_catch_up_runs_every_hour_and_survives_an_hour_long_outage(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-work-catch-up"]
    assert entry["task"] == monthly_work_catch_up_task.name
    assert len(entry["schedule"].hour) == 24
    # Exponential backoff capped at ten minutes, summed over every retry: well past an hour.
    waits = [min(2**n, RETRY["retry_backoff_max"]) for n in range(RETRY["max_retries"])]
    assert sum(waits) > 3600 and not RETRY["retry_jitter"]


def test_healthz_says_when_last_months_summaries_are_missing(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: wita(2026, 12, 1, 9, 0))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["problems"] == ["summaries missing for 2026-11"]
    monthly_work_catch_up(now=wita(2026, 12, 1, 9, 0))
    body = client.get("/healthz").json()
    assert (body["status"], body["problems"]) == ("ok", [])


def test_healthz_gives_the_build_its_grace_time(client, monkeypatch):
    monthly_work_catch_up(now=wita(2026, 11, 2, 9, 0))  # October's summaries exist
    monkeypatch.setattr("django.utils.timezone.now", lambda: wita(2026, 12, 1, 3, 0))
    assert client.get("/healthz").json()["status"] == "ok"  # November's build may still run


def test_a_commit_lost_after_the_mail_left_never_sends_it_twice(settings, monkeypatch):
    """Found by the chaos run: the row was written in the mail's transaction, so a commit
    lost after sending rolled it back and the retry mailed the unit again."""
    from django.db import OperationalError

    from reports import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Agency.objects.filter(kind="UNIT_PPA").update(email="")
    Agency.objects.filter(name="Unit PPA Polres Banjar").update(email="ppa.banjar@polri.example")
    real = services._reminder_mail

    def mail_then_lose_the_database(*args):
        real(*args)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_reminder_mail", mail_then_lose_the_database)
    with pytest.raises(OperationalError):
        services.returns_remind(period="2026-11")
    monkeypatch.setattr(services, "_reminder_mail", real)
    assert services.returns_remind(period="2026-11") == 0  # the retry of the task
    assert len(mail.outbox) == 1

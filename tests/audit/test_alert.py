"""The alert: when a user's identity views of one day (Asia/Makassar) exceed the
threshold, the administrators get one mail, after the commit, naming the user and the count
and never a victim's identity."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction

from agencies.models import Agency, Role
from audit.models import IdentityAccess, IdentityAlert
from audit.services import alert_recipients, identity_views_alert, identity_views_on
from tests.audit.conftest import NAME, NIK, case_with_victims
from tests.factories import UserFactory
from victims.services import identity_erase, identity_read

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
THRESHOLD = 3


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.IDENTITY_VIEW_ALERT_THRESHOLD = THRESHOLD


def views(user, victim, n, capture):
    for _ in range(n):
        with capture(execute=True):
            identity_read(user=user, victim=victim, channel="web")


def test_crossing_the_threshold_sends_exactly_one_mail(
    unit_bjm, mail_admin, django_capture_on_commit_callbacks
):
    _case, (victim,) = case_with_victims(unit_bjm)
    views(unit_bjm, victim, THRESHOLD, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # at the threshold: not yet unusual
    views(unit_bjm, victim, 1, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["admin@tppo.test"]
    assert unit_bjm.username in sent.subject and unit_bjm.username in sent.body
    assert f"{THRESHOLD + 1} identitas" in sent.body
    for secret in (NAME, NIK, "081234567890"):
        assert secret not in sent.subject + sent.body
    views(unit_bjm, victim, 5, django_capture_on_commit_callbacks)  # more the same day
    assert len(mail.outbox) == 1
    alert = IdentityAlert.objects.get()
    assert (alert.user, alert.day, alert.views, alert.recipients) == (
        unit_bjm,
        datetime.now(WITA).date(),
        THRESHOLD + 1,
        1,
    )


def test_each_user_is_counted_alone(
    unit_bjm, regency_bjm, mail_admin, django_capture_on_commit_callbacks
):
    _case, (victim,) = case_with_victims(unit_bjm)
    views(unit_bjm, victim, THRESHOLD, django_capture_on_commit_callbacks)
    views(regency_bjm, victim, THRESHOLD, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_erasure_is_not_a_view(
    unit_bjm, province, mail_admin, django_capture_on_commit_callbacks
):
    _case, victims = case_with_victims(unit_bjm, n=THRESHOLD + 1)
    views(province, victims[0], THRESHOLD, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        identity_erase(by=province, victim=victims[1], reference="B-2/2026")
    assert identity_views_on(province.pk, datetime.now(WITA).date()) == THRESHOLD
    assert mail.outbox == []


def test_a_rolled_back_view_alerts_no_one(unit_bjm, mail_admin, django_capture_on_commit_callbacks):
    _case, (victim,) = case_with_victims(unit_bjm)

    def views_then_failure():
        with transaction.atomic():
            for _ in range(THRESHOLD + 1):
                identity_read(user=unit_bjm, victim=victim, channel="web")
            raise RuntimeError("the request failed after the views")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        views_then_failure()
    assert mail.outbox == []
    assert not IdentityAlert.objects.exists()


def access_at(user, victim, when: datetime) -> IdentityAccess:
    return IdentityAccess.objects.create(user=user, victim=victim, channel="api", accessed_at=when)


def test_days_are_counted_in_makassar_time(unit_bjm):
    _case, (victim,) = case_with_victims(unit_bjm)
    day = date(2026, 3, 10)
    access_at(unit_bjm, victim, datetime(2026, 3, 9, 23, 59, tzinfo=WITA))  # the day before
    access_at(unit_bjm, victim, datetime(2026, 3, 10, 0, 0, tzinfo=WITA))
    access_at(unit_bjm, victim, datetime(2026, 3, 10, 23, 59, tzinfo=WITA))
    access_at(unit_bjm, victim, datetime(2026, 3, 11, 0, 0, tzinfo=WITA))  # the day after
    # 2026-03-10 00:30 WITA is still 03-09 in UTC: a UTC day would count differently.
    access_at(unit_bjm, victim, datetime(2026, 3, 10, 0, 30, tzinfo=WITA))
    assert identity_views_on(unit_bjm.pk, day) == 3


def test_the_next_day_counts_afresh(unit_bjm, mail_admin, django_capture_on_commit_callbacks):
    _case, (victim,) = case_with_victims(unit_bjm)
    first = datetime(2026, 3, 10, 9, 0, tzinfo=WITA)

    def day_of_views(start: datetime, n: int):
        for i in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                access = access_at(unit_bjm, victim, start + timedelta(minutes=i))
                identity_views_alert(access)

    day_of_views(first, THRESHOLD + 2)
    assert len(mail.outbox) == 1
    next_day = first + timedelta(days=1)
    day_of_views(next_day, THRESHOLD)
    assert len(mail.outbox) == 1  # the previous day's views do not carry over
    day_of_views(next_day + timedelta(hours=1), 1)
    assert len(mail.outbox) == 2
    assert list(IdentityAlert.objects.order_by("day").values_list("day", flat=True)) == [
        date(2026, 3, 10),
        date(2026, 3, 11),
    ]


def test_the_recipients_are_the_active_administrators_with_an_email(mail_admin):
    province = Agency.objects.get(name="DP3AKB Provinsi Kalimantan Selatan")
    UserFactory(role=Role.ADMIN, agency=province, email="inactive@tppo.test", is_active=False)
    UserFactory(role=Role.ADMIN, agency=province, email="")
    UserFactory(role=Role.PROVINCE, agency=province, email="province@tppo.test")
    UserFactory(role=Role.UNIT, is_superuser=True, email="root@tppo.test")
    assert alert_recipients() == ["admin@tppo.test", "root@tppo.test"]


def test_without_recipients_the_alert_is_still_recorded(
    unit_bjm, django_capture_on_commit_callbacks
):
    _case, (victim,) = case_with_victims(unit_bjm)
    views(unit_bjm, victim, THRESHOLD + 1, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert IdentityAlert.objects.get().recipients == 0

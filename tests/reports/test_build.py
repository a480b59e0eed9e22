"""Building summaries: deterministic, idempotent, safe to rerun after an interruption."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.periods import month_start, previous_month
from reports.models import MonthlySummary, SummaryVersion, checksum_of
from reports.services import summaries_build
from reports.tasks import returns_remind_task, summaries_build_task
from tests.reports.crafted import MARCH, build

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    pass


def snapshot() -> dict:
    return {
        (s.period, s.regency_id, s.version): (s.checksum, s.canonical())
        for s in MonthlySummary.objects.all()
    }


@pytest.fixture
def crafted(unit_bjm, outsider):
    return build(unit_bjm, outsider)


def test_building_twice_gives_the_same_bytes(crafted):
    summaries_build(period=MARCH)
    first = snapshot()
    assert len(first) == 28  # province + 13 regencies, two versions each
    summaries_build(period="2026-03")
    assert snapshot() == first
    for summary in MonthlySummary.objects.all():
        assert summary.checksum == checksum_of(summary.content)  # as stored, re-read
        assert "built" not in summary.canonical()


def test_an_interrupted_build_rerun_gives_the_same_result(crafted):
    summaries_build(period=MARCH)
    expected = snapshot()
    MonthlySummary.objects.all().delete()
    done = []

    def die_after_three(regency):
        done.append(regency)
        if len(done) == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        summaries_build(period=MARCH, progress=die_after_three)
    assert MonthlySummary.objects.count() == 0  # all of the month or none of it
    summaries_build(period=MARCH)
    assert snapshot() == expected


def test_an_interrupted_rebuild_leaves_the_previous_set_whole(crafted, unit_bjm):
    """A worker killed midway through a rebuild must not leave the province of the new build
    beside the regencies of the old one (totals that disagree)."""
    from tests.factories import make_case

    summaries_build(period=MARCH)
    before = snapshot()
    make_case(unit_bjm, reported_on=MARCH.replace(day=9))  # late data: the rebuild differs

    def die_after_three(regency, done=[]):  # noqa: B006 - a counter for this one call
        done.append(regency)
        if len(done) == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        summaries_build(period=MARCH, progress=die_after_three)
    assert snapshot() == before


def test_the_data_changes_the_checksum(crafted, unit_bjm):
    from tests.factories import make_case

    summaries_build(period=MARCH)
    before = MonthlySummary.objects.get(regency=None, version=SummaryVersion.INTERNAL).checksum
    make_case(unit_bjm, reported_on=MARCH.replace(day=9))
    summaries_build(period=MARCH)
    after = MonthlySummary.objects.get(regency=None, version=SummaryVersion.INTERNAL).checksum
    assert before != after


def test_the_command_and_the_tasks_run_the_same_service(crafted, capsys):
    call_command("build_summaries", "--period", "2026-03")
    expected = snapshot()
    assert "28" in capsys.readouterr().out
    assert summaries_build_task.apply(args=["2026-03"]).get() == 28
    assert snapshot() == expected
    assert summaries_build_task.apply().get() == 28  # last month: October
    last = previous_month(month_start(timezone.localdate()))
    assert MonthlySummary.objects.filter(period=last).count() == 28


def test_the_command_refuses_a_bad_period():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("build_summaries", "--period", "maret")


def test_tasks_are_configured_for_retries_and_late_acks():
    from django.db import OperationalError

    for task in (summaries_build_task, returns_remind_task):
        assert task.acks_late is True
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff


def test_queries_per_summary_do_not_grow_with_cases(crafted, unit_bjm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.services import summary_build
    from tests.factories import make_case

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            summary_build(period=MARCH, regency=None)
        return len(ctx.captured_queries)

    count()  # the first build inserts; the rebuilds below update
    first = count()
    for day in range(3, 9):
        make_case(unit_bjm, reported_on=MARCH.replace(day=day), victims=2)
    # About 28 reads for the figures, and per version a locking select and an update
    # (with savepoints): the same number however many cases there are.
    assert count() == first <= 45


def test_building_all_summaries_reads_their_figures_once(crafted, unit_bjm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_case

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            summaries_build(period=MARCH)
        return len(ctx.captured_queries)

    count()  # the first build inserts; the rebuilds below update
    first = count()
    for day in range(3, 9):
        make_case(unit_bjm, reported_on=MARCH.replace(day=day), victims=2)
    # The month's one transaction (a savepoint and release inside the test's); the figures
    # of all 14 summaries in 37 reads, the regencies in one; then per summary 10: its
    # savepoint and release, and two upserts (each a savepoint, a locking select, an update,
    # a release). Not 14 times the figures' reads.
    assert count() == first <= 2 + 37 + 1 + 14 * 10


def test_every_task_is_named_after_the_service_it_wraps():
    from reports import services
    from tppo.celery import app

    ours = sorted(name for name in app.tasks if name.startswith("reports."))
    assert ours == [
        "reports.tasks.monthly_work_catch_up_task",
        "reports.tasks.returns_remind_task",
        "reports.tasks.summaries_build_task",
    ]
    for name in ours:
        assert hasattr(services, name.rsplit(".", 1)[1].removesuffix("_task"))

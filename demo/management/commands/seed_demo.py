import time

from django.core.management.base import BaseCommand
from django.db import connection

from cases.models import Case
from demo.cases import DEMO_REF_PREFIX, demo_cases_seed
from demo.returns import demo_returns_seed
from demo.users import DEMO_PASSWORD, DEMO_USERS, demo_users_seed

DEFAULT_CASES = 400


class Command(BaseCommand):
    help = (
        "Create the demo users (one per role) and a synthetic demo data set. Safe to run "
        "twice: users are created once, and demo cases only when there are none (or when "
        "--cases is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None, help="how many demo cases to add")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")

    def handle(self, *args, cases=None, seed=2026, **options):
        demo_users_seed()
        demo_returns_seed(seed=seed)
        if cases is None:
            has_demo = Case.objects.filter(external_ref__startswith=DEMO_REF_PREFIX).exists()
            cases = 0 if has_demo else DEFAULT_CASES
        if cases:
            started = time.monotonic()

            def progress(done, total):
                if options.get("verbosity", 1) > 0 and total >= 5000:
                    self.stdout.write(f"  {done:,}/{total:,} cases", ending="\r")

            demo_cases_seed(cases=cases, seed=seed, progress=progress)
            if connection.vendor == "postgresql":
                # Bulk-loaded tables have no planner statistics until analysed; without them
                # PostgreSQL picks slow plans for the first hours (seen: 8 s instead of 0.2 s).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(f"Added {cases:,} demo cases in {time.monotonic() - started:.1f}s.")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role, agency, _name in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {agency}")

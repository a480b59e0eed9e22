import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases.models import Case
from demo.cases import DEMO_REF_PREFIX
from demo.generator import demo_cases_seed
from demo.returns import demo_returns_seed
from demo.users import DEMO_PASSWORD, DEMO_USERS, demo_passwords_usable, demo_users_seed

DEFAULT_CASES = 400
REFUSED = (
    "seed_demo adds fake cases, returns and demo users: it runs only with DEBUG on. "
    "To seed a database with DEBUG off on purpose (a benchmark, a training copy), pass "
    "--allow-production; the demo users then get unusable passwords."
)


class Command(BaseCommand):
    help = (
        "Create the demo users (one per role) and a synthetic demo data set. Safe to run "
        "twice: users are created once, and demo cases only when there are none (or when "
        "--cases is given). Refused with DEBUG off unless --allow-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None, help="how many demo cases to add")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed although DEBUG is off; demo users get unusable passwords",
        )

    def handle(self, *args, cases=None, seed=2026, allow_production=False, **options):
        if not demo_passwords_usable() and not allow_production:
            raise CommandError(REFUSED)
        _users, locked = demo_users_seed()
        if cases is None:
            has_demo = Case.objects.filter(external_ref__startswith=DEMO_REF_PREFIX).exists()
            cases = 0 if has_demo else DEFAULT_CASES
        if cases:
            self._seed_cases(cases, seed, verbosity=options.get("verbosity", 1))
        demo_returns_seed(seed=seed)
        self._say_logins(locked)

    def _seed_cases(self, cases: int, seed: int, *, verbosity: int) -> None:
        started = time.monotonic()

        def progress(done, total):
            if verbosity > 0 and total >= 5000:
                self.stdout.write(f"  {done:,}/{total:,} cases", ending="\r")

        demo_cases_seed(cases=cases, seed=seed, progress=progress)
        if connection.vendor == "postgresql":
            # Bulk-loaded tables have no planner statistics until analysed; without them
            # PostgreSQL picks slow plans for the first hours (seen: 8 s instead of 0.2 s).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Added {cases:,} demo cases in {time.monotonic() - started:.1f}s.")

    def _say_logins(self, locked) -> None:
        if demo_passwords_usable():
            self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        else:
            self.stdout.write(
                "DEBUG is off: the demo users have unusable passwords and cannot sign in "
                "(set one with `manage.py changepassword <user>` if you must)."
            )
            for user in locked:
                self.stdout.write(f"  {user.username}: had the published demo password, now locked")
            self.stdout.write("Demo users:")
        for username, role, agency, _name in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {agency}")

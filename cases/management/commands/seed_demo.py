from django.core.management.base import BaseCommand

from agencies.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_seed


class Command(BaseCommand):
    help = "Create demo users (one per role) and, later, demo cases. Safe to run twice."

    def handle(self, *args, **options):
        demo_users_seed()
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role, agency, _name in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.label:<28} {agency}")

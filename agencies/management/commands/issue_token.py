"""`manage.py issue_token <username>`: a new API token for a user, revoking the old one.

The key is printed once, to stdout; give it to the unit's IT staff over a safe channel.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Issue a new API token for a user (revoking the old one) and print its key."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke",
            action="store_true",
            help="Only revoke the user's token; issue no new one.",
        )

    def handle(self, *args, username: str, revoke: bool = False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not revoke and not user.is_active:
            raise CommandError(f"User {username!r} is inactive; no token issued.")
        with transaction.atomic():
            revoked, _ = Token.objects.filter(user=user).delete()
            if revoke:
                self.stderr.write(f"Revoked {revoked} token(s) of {username}.")
                return
            token = Token.objects.create(user=user)
        if revoked:
            self.stderr.write(f"The previous token of {username} no longer works.")
        self.stdout.write(token.key)

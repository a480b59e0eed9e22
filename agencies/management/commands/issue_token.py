"""`manage.py issue_token <username>`: a new API token for a user, revoking the old one.

The key is printed once, to stdout; give it to the unit's IT staff over a safe channel. The
token expires after `TOKEN_TTL_DAYS` (printed to stderr). Refused for inactive users, users
of an inactive agency, and roles that require the second factor (`OTP_REQUIRED_ROLES`):
systems get their own UNIT-role service users.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.services import issue_token, revoke_tokens


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
        user = get_user_model().objects.select_related("agency").filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if revoke:
            revoked = revoke_tokens(user=user)
            self.stderr.write(f"Revoked {revoked} token(s) of {username}.")
            return
        had_token = hasattr(user, "auth_token")
        try:
            token = issue_token(user=user)
        except ValidationError as exc:
            raise CommandError(
                f"No token issued to {username!r}: {' '.join(exc.messages)}"
            ) from exc
        if had_token:
            self.stderr.write(f"The previous token of {username} no longer works.")
        self.stderr.write(f"Valid until {token.expires_at:%Y-%m-%d %H:%M %Z}.")
        self.stdout.write(token.key)

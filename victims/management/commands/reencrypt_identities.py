from django.core.management.base import BaseCommand, CommandError

from core.crypto import key_fingerprint
from victims.services import identities_reencrypt, identities_verify


class Command(BaseCommand):
    help = (
        "Re-encrypt every victim identity under the newest key (the first of "
        "FIELD_ENCRYPTION_KEYS). Run after putting a new key in front; then prove it with "
        "--verify before the old key goes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help="change nothing; fail unless every identity decrypts with the first key alone",
        )

    def handle(self, *args, verify=False, **options):
        if not verify:
            count = identities_reencrypt()
            self.stdout.write(f"Re-encrypted {count} identities under the newest key.")
        checked, failing = identities_verify(newest_only=True)
        if failing:
            raise CommandError(
                f"{failing} of {checked} identities do not decrypt with the first key "
                f"({key_fingerprint()}): do not remove the older keys. Re-run "
                "reencrypt_identities from a process that has the new key list."
            )
        self.stdout.write(
            f"Verified: all {checked} identities decrypt with the first key ({key_fingerprint()})."
        )

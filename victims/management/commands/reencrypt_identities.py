from django.core.management.base import BaseCommand

from victims.services import identities_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every victim identity under the newest key (the first of "
        "FIELD_ENCRYPTION_KEYS). Run after putting a new key in front; then the old key can go."
    )

    def handle(self, *args, **options):
        count = identities_reencrypt()
        self.stdout.write(f"Re-encrypted {count} identities under the newest key.")

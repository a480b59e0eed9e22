from django.core.management.base import BaseCommand, CommandError

from tppo.jobs import requeue


class Command(BaseCommand):
    help = "Send again the background jobs that could not be queued while the broker was down."

    def handle(self, *args, **options):
        sent, pending = requeue()
        self.stdout.write(f"{sent} job(s) sent, {pending} still pending.")
        if pending:
            # A non-zero exit, so cron and operators notice the broker is still down.
            raise CommandError(f"{pending} job(s) could not be sent; is the broker running?")

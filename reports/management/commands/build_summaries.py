from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.periods import format_period, parse_period
from reports.services import summaries_build


class Command(BaseCommand):
    help = "Build (or rebuild) the monthly summaries of the province and every regency."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")

    def handle(self, *args, period, **options):
        try:
            month = parse_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        def progress(regency):
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {regency or 'provinsi'}")

        built = summaries_build(period=month, progress=progress)
        self.stdout.write(f"Built {len(built)} summaries for {format_period(month)}.")

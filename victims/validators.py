"""Plausible bounds for the dates of case data, written once and attached to the model
fields, so every door (pages, API, admin, imports through the services) gets the same rule.

A date before the bound is a typing slip (year 1, 0202 for 2020), not a fact: case events
cannot predate UU 21/2007, the law that defines the offence; a birth or an occurrence
cannot predate 1900. Nothing recorded is dated in the future.

Cases import victims, so the cases app uses these validators too (imports flow one way).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# UU 21/2007 on the eradication of trafficking in persons: no case event before it.
LAW_YEAR = 2007
# Births, and exploitation that began long before it was reported (e.g. decades of
# domestic servitude), go back no further than this.
EARLIEST_YEAR = 1900


@deconstructible
class DateBounds:
    """Refuse a date before 1 January of `min_year`, or after today."""

    def __init__(self, min_year: int, *, since_law: bool = False):
        self.min_year = min_year
        self.since_law = since_law

    def __call__(self, value) -> None:
        if value is None or not isinstance(value, date):
            return
        if value < date(self.min_year, 1, 1):
            message = (
                _(
                    "Tanggal tidak boleh sebelum tahun %(year)d, tahun berlakunya UU 21/2007 "
                    "tentang Pemberantasan TPPO."
                )
                if self.since_law
                else _("Tanggal tidak boleh sebelum tahun %(year)d.")
            )
            raise ValidationError(message, code="date_too_early", params={"year": self.min_year})
        if value > timezone.localdate():
            raise ValidationError(_("Tanggal tidak boleh di masa depan."), code="date_in_future")

    def __eq__(self, other) -> bool:
        return isinstance(other, DateBounds) and (self.min_year, self.since_law) == (
            other.min_year,
            other.since_law,
        )

    def __hash__(self) -> int:
        return hash((self.min_year, self.since_law))


# A case event: a report, a stage, a journey date, a service or referral, an
# identification, a consent, a verdict.
case_event_date = DateBounds(LAW_YEAR, since_law=True)
# A birth date, or when the exploitation happened.
past_date = DateBounds(EARLIEST_YEAR)


def check_date(validator: DateBounds, value, field: str) -> None:
    """Run a date validator for a service that does not full_clean a model; the error
    names `field`."""
    try:
        validator(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.base import StrictBooleanField, StrictCharField
from core.periods import PERIOD_PATTERN
from reports.models import MonthlySummary, UnitReturn
from reports.services import LIMITS

# What core.periods.parse_period accepts: a month from the year 2000 on.
PERIOD_SCHEMA_PATTERN = r"^2[0-9]{3}-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": PERIOD_SCHEMA_PATTERN, "example": "2026-03"})
class PeriodField(serializers.Field):
    default_error_messages = {"invalid": _("Periode harus berformat YYYY-MM, mis. 2026-03.")}

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        if not isinstance(data, str) or not PERIOD_PATTERN.match(data.strip()):
            self.fail("invalid")
        return data.strip()


class UnitReturnInput(serializers.Serializer):
    period = PeriodField(help_text="YYYY-MM")
    nil = StrictBooleanField(default=False)
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=LIMITS["note"])


class UnitReturnOutput(serializers.ModelSerializer):
    period = PeriodField()
    agency = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = UnitReturn
        fields = ["id", "agency", "period", "nil", "note", "late", "filed_at"]


class MonthlySummaryOutput(serializers.ModelSerializer):
    period = PeriodField()
    regency = serializers.CharField(source="regency_id", allow_null=True)

    class Meta:
        model = MonthlySummary
        fields = ["id", "period", "regency", "version", "checksum", "built_at", "content"]

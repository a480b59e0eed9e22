from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.models import MonthlySummary, UnitReturn
from reports.periods import PERIOD_PATTERN


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
    nil = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


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

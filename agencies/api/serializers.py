from rest_framework import serializers

from agencies.models import Agency, Regency


class RegencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Regency
        fields = ["code", "name", "kind"]


class AgencySerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency_id", allow_null=True, read_only=True)
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "regency", "parent", "is_active"]

"""How a service says that input is too long or too many: one message per field, naming
the field's limit. The limits themselves live with the services that enforce them (e.g.
`cases.services.LIMITS`); forms and serializers read them from there."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_limits(values: dict, limits: dict[str, int], prefix: str = "") -> None:
    """Raise one ValidationError naming every field of `values` over its limit in `limits`:
    text by characters, lists by items. Fields without a limit are not checked."""
    errors = {}
    for name, value in values.items():
        limit = limits.get(name)
        if limit is None or value is None:
            continue
        if isinstance(value, str):
            if len(value) > limit:
                errors[f"{prefix}{name}"] = _(
                    "Isian terlalu panjang: paling banyak %(n)s karakter (terisi %(m)s)."
                ) % {"n": f"{limit:,}".replace(",", "."), "m": f"{len(value):,}".replace(",", ".")}
        elif isinstance(value, list | tuple) and len(value) > limit:
            errors[f"{prefix}{name}"] = _(
                "Terlalu banyak: paling banyak %(n)s per kasus (terkirim %(m)s)."
            ) % {"n": limit, "m": len(value)}
    if errors:
        raise ValidationError(errors)

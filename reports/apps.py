from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # The audit's receivers on the identity hooks of victims.services.
        from .audit import services  # noqa: F401

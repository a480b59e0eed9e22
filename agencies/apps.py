from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Wilayah, instansi dan pengguna")

    def ready(self):
        from . import signals  # noqa: F401  (revokes tokens on a password change)

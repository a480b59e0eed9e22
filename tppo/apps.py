from django.apps import AppConfig


class TppoConfig(AppConfig):
    name = "tppo"
    verbose_name = "SI-TPPO"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)

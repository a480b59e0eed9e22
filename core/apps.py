from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares; imports no app of the project."""

    name = "core"
    verbose_name = "SI-TPPO: dasar bersama"

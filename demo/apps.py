from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data for `make run` and the bench; never in production."""

    name = "demo"
    verbose_name = "Demo"

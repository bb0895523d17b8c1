from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Tilskudd"

    def ready(self) -> None:
        from core import tableversions
        from grants.views import APPLICATIONS_READ_FROM

        tableversions.watch(*APPLICATIONS_READ_FROM)

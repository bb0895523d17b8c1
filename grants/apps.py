from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Tilskudd"

    def ready(self) -> None:
        from core import tableversions
        from grants.applications import TOTALS_READ_FROM

        tableversions.watch(*TOTALS_READ_FROM)

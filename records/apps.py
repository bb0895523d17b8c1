from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Notater, dokumenter og søk"

    def ready(self) -> None:
        from core import tableversions
        from records.views import PLANS_READ_FROM

        tableversions.watch(*PLANS_READ_FROM)

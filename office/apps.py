from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "office"
    verbose_name = "Kontorets arbeid og årsrapport"

    def ready(self) -> None:
        from core import tableversions
        from office.views import INQUIRIES_READ_FROM

        tableversions.watch(*INQUIRIES_READ_FROM)

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personvern"

    def ready(self) -> None:
        from core import tableversions
        from privacy.small_numbers import HOSPITAL_READ_FROM

        tableversions.watch(*HOSPITAL_READ_FROM)

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Register"

    def ready(self) -> None:
        from core import tableversions
        from registry.views import DOCTORS_READ_FROM, MUNICIPALITIES_READ_FROM

        tableversions.watch(*DOCTORS_READ_FROM, *MUNICIPALITIES_READ_FROM)

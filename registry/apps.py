from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Register"

    def ready(self) -> None:
        from core import tableversions
        from registry.views import DOCTOR_ROWS_READ_FROM, GP_OFFICES_READ_FROM, MUNICIPALITIES_READ_FROM

        tableversions.watch(*DOCTOR_ROWS_READ_FROM, *GP_OFFICES_READ_FROM, *MUNICIPALITIES_READ_FROM)

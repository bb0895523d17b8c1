from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Veiledning"

    def ready(self) -> None:
        from core import tableversions
        from supervision.views import GROUPS_READ_FROM, PROFILES_READ_FROM, WITHOUT_READ_FROM

        tableversions.watch(*GROUPS_READ_FROM, *PROFILES_READ_FROM, *WITHOUT_READ_FROM)

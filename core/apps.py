from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Felles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import checks  # noqa: F401 (registers the system checks)

        post_migrate.connect(_install_table_triggers, sender=self)


def _install_table_triggers(using: str = "default", **kwargs: object) -> None:
    from core import tableversions

    tableversions.install(using)

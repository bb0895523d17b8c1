from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Oppfølging"

    def ready(self) -> None:
        from core import tableversions
        from followup import attention

        tableversions.watch(*attention.COUNTED_FROM)

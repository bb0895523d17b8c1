from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Oppfølging"

    def ready(self) -> None:
        from core import tableversions
        from followup import attention, regionmap

        tableversions.watch(*attention.COUNTED_FROM, *regionmap.MAP_READ_FROM)

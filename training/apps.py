from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Utdanningsløp"

    def ready(self) -> None:
        from core import tableversions
        from training.views import TRAININGS_READ_FROM

        tableversions.watch(*TRAININGS_READ_FROM)

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Kurs"

    def ready(self) -> None:
        from core import tableversions
        from courses.views import COURSES_READ_FROM

        tableversions.watch(*COURSES_READ_FROM)

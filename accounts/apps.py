from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Brukere"

    def ready(self) -> None:
        from accounts import events  # noqa: F401 (connects the security log to the sign-in signals)

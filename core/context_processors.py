from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "reads_personal_data": bool(user and user.is_authenticated and user.reads_personal_data),
        "section": match.app_name if match else "",  # which menu entry is current
    }

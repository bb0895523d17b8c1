from django.http import HttpRequest

from core import navigation as menus


def navigation(request: HttpRequest) -> dict:
    """The main menu and the current area's sub-navigation (core/navigation.py), with the current page marked."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    signed_in = bool(user and user.is_authenticated)
    context = {
        "reads_personal_data": signed_in and user.reads_personal_data,
        "section": match.app_name if match else "",
        "main_menu": [],
        "sub_menu": [],
    }
    if signed_in and match:
        context["main_menu"] = menus.menu(menus.MAIN, user, match.view_name)
        sub = menus.menu(menus.SUB.get(match.app_name, ()), user, match.view_name)
        context["sub_menu"] = sub if len(sub) > 1 else []
        context["sub_menu_label"] = next((e.label for e in context["main_menu"] if e.current), "")
    return context

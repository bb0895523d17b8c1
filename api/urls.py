from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from api import views
from api.v1 import api

app_name = "api"
urlpatterns = [
    path("nokler/", views.token_list, name="token_list"),
    path("nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
]


def _v1():
    """The API's own URLs (namespace "api-v1"), then a problem document for any other address under them.

    The API authenticates with its own tokens (or not at all, for the public endpoints and the docs): the
    site's sign-in redirect must not answer in its place.
    """
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return [*patterns, re_path(r"^[\s\S]*$", login_not_required(views.not_found))], app, namespace


v1 = _v1()

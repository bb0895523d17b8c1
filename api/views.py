from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm
from api.models import ApiToken
from api.problems import problem_response


@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: make one (shown once, here), see when each was used, revoke."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row, created = tokens.token_create(user=request.user, name=data["name"], days=data["days"])
        messages.success(request, _("API-nøkkelen «%(name)s» er laget.") % {"name": row.name})
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=request.user),
        "now": timezone.now(),
    }
    return render(request, "api/token_list.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    tokens.token_revoke(token=token)
    messages.success(request, _("API-nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("api:token_list")


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/v1/: a problem document, whatever the method (no CSRF: no session used)."""
    return problem_response(request, 404)

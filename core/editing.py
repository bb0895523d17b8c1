"""The one form page: fetch → authorize → form → save with history and conflict check → message → redirect.

`form_page` is what every create/edit view ends in, `delete_page` and `confirm_page` what every delete or
other destructive action ends in (through a confirmation page). Saving keeps a history of every change
and never overwrites silently: a form carries the version the user saw (`VersionedModelForm`), and a
save made in between is reported, with the user's input kept. See core/README.md for an example.
"""

from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import abilities
from accounts.models import User
from core import history, readlog
from core.forms import ModelForm
from core.models import Change
from core.navigation import Crumb


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""


class VersionedModelForm(ModelForm):
    """Carries the version the user saw, so that a save can tell whether someone saved in between."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = getattr(self.instance, "version", None)

    def mark_stale(self, current_version: int) -> None:
        """Keep the user's input, explain, and let the next save overwrite knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = str(current_version)
        self.add_error(None, stale_message(self.instance))


def save_form(
    *,
    form: VersionedModelForm,
    by: User,
    before: history.Snapshot | None,
    parent: models.Model | Callable[[models.Model], models.Model] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Save a valid form and record the change; raise StaleEdit rather than overwrite.

    The version check is one conditional UPDATE, so two saves racing each other can not both pass.
    `parent` (the record whose page shows the change too) may be a function of the saved record.
    """
    instance = form.instance
    with transaction.atomic():
        if before is not None and hasattr(instance, "version"):
            seen = form.cleaned_data.get("seen_version")
            bumped = (
                type(instance)
                ._default_manager.filter(pk=instance.pk, version=seen)
                .update(version=models.F("version") + 1)
            )
            if not bumped:
                raise StaleEdit
            instance.version = seen + 1
        if prepare is not None:
            saved = form.save(commit=False)
            prepare(saved)
            saved.save()
            form.save_m2m()
        else:
            saved = form.save()
        history.record(instance=saved, by=by, before=before, parent=parent(saved) if callable(parent) else parent)
    return saved


def process_form(
    request: HttpRequest,
    form_class: type[forms.ModelForm],
    *,
    instance: models.Model | None = None,
    parent: models.Model | Callable[[models.Model], models.Model] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    **form_kwargs,
) -> tuple[VersionedModelForm, models.Model | None]:
    """GET: an unbound form. POST: validate and save with history; the saved record, or None.

    The building block of `form_page`; use it directly only where one page holds more than one form.
    A form shown with a personal record in it (or a new record's personal parent) is logged as read.
    """
    if request.method != "POST":
        _log_form(request, instance, parent)
        return form_class(instance=instance, **form_kwargs), None
    before = history.snapshot(instance) if instance is not None and instance.pk else None
    form = form_class(request.POST, instance=instance, **form_kwargs)
    if not form.is_valid():
        _log_form(request, instance, parent)
        return form, None
    try:
        return form, save_form(form=form, by=request.user, before=before, parent=parent, prepare=prepare)
    except StaleEdit:
        current = type(instance)._default_manager.values_list("version", flat=True).get(pk=instance.pk)
        form.mark_stale(current)
        _log_form(request, instance, parent)
        return form, None


def _log_form(request: HttpRequest, instance: models.Model | None, parent: object) -> None:
    """The read log of a form as shown: the record in it, or, for a new one, the record it is added to."""
    shown = instance if instance is not None and instance.pk else parent
    readlog.read(request, shown if isinstance(shown, models.Model) else None)


def form_values(form: forms.BaseForm) -> dict:
    """The POST a person would send with the form as shown: every field's current value (unticked boxes left out)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def delete_with_history(*, instance: models.Model, by: User, parent: models.Model | None = None) -> None:
    with transaction.atomic():
        history.record(
            instance=instance,
            by=by,
            before=history.snapshot(instance),
            action=Change.Action.DELETE,
            parent=parent,
        )
        instance.delete()


STALE_TEXT = gettext_lazy(
    "%(who)s lagret denne posten %(when)s, etter at du åpnet den (%(what)s). Endringene dine er ikke lagret, "
    "men står fortsatt i skjemaet. Se over, og lagre på nytt for å overskrive."
)


def stale_message(instance: models.Model) -> str:
    last = history.last_change_of(instance)
    if last and last.user:
        who = last.user.get_full_name() or last.user.username
    else:
        who = _("En annen bruker")
    when = timezone.localtime(last.at).strftime(_("%d.%m.%Y kl. %H:%M")) if last else ""
    changed = last.field_rows if last else []
    what = "; ".join(f"{label}: «{old or '–'}» → «{new or '–'}»" for label, old, new in changed)
    return STALE_TEXT % {"who": who, "when": when, "what": what or _("ukjente felt")}


def safe_next(request: HttpRequest) -> str:
    """Where the user came from: `next` in the form or the address, else the referring page of this site.

    Only addresses on this site count (no open redirect); the page itself does not.
    """
    for candidate in (request.POST.get("next"), request.GET.get("next"), request.headers.get("referer")):
        if not candidate:
            continue
        if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False):
            path = candidate.split(request.get_host(), 1)[-1] if "://" in candidate else candidate
            if path.split("?")[0] != request.path:
                return path
    return ""


def form_page(
    request: HttpRequest,
    form_class: type[forms.ModelForm],
    *,
    instance: models.Model,
    title: str,
    success_url: str | Callable[[models.Model], str],
    saved_message: str,
    cancel_url: str = "",
    breadcrumbs: Sequence[Crumb] = (),
    parent: models.Model | Callable[[models.Model], models.Model] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    form_kwargs: dict | None = None,
    on_saved: Callable[[models.Model], None] | None = None,
    template: str = "core/form_page.html",
    context: dict | None = None,
    submit_label: str = "",
    authorize: bool = True,
) -> HttpResponse:
    """A create or edit page for one record: the whole view after the record is fetched.

    - authorize: the user must be allowed to add (a new `instance`) or change it (`accounts.abilities`),
      else 403; pass `authorize=False` only when the view has asked a stricter question itself;
    - GET shows the form; POST validates, saves with history (`parent`'s page shows the change too) and,
      if someone saved in between, shows the form again with what changed and the user's input kept;
    - a saved form shows `saved_message` and goes to `success_url` (or `success_url(saved)`); `on_saved`
      runs first, for a follow-up such as filling freed places;
    - «Avbryt» goes back to where the user came from (`next`, else the referring page), else `cancel_url`
      (by default the `success_url`, when that is an address).
    """
    if authorize:
        abilities.require(request.user, "add" if instance.pk is None else "change", instance)
    form, saved = process_form(
        request, form_class, instance=instance, parent=parent, prepare=prepare, **(form_kwargs or {})
    )
    if saved is not None:
        if on_saved is not None:
            on_saved(saved)
        messages.success(request, saved_message)
        return HttpResponseRedirect(success_url(saved) if callable(success_url) else success_url)
    next_url = safe_next(request)
    cancel_url = cancel_url or (success_url if isinstance(success_url, str) else "")
    page = {
        "form": form,
        "object": instance if instance.pk else None,
        "title": title,
        "cancel_url": next_url or cancel_url,
        "next": next_url,
        "breadcrumbs": [*breadcrumbs, Crumb(title)] if breadcrumbs else [],
        "submit_label": submit_label,
        **(context or {}),
    }
    return render(request, template, page)


class Refused(Exception):
    """An action the confirmation page can not carry out; the message says why (shown to the user)."""


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    confirm_label: str,
    act: Callable[[], str],
    success_url: str,
    cancel_url: str = "",
    breadcrumbs: Sequence[Crumb] = (),
    facts: Sequence[tuple[str, object]] = (),
    blocked: str = "",
    about: models.Model | None = None,
) -> HttpResponse:
    """A destructive action behind a confirmation page: GET asks, POST acts and goes on.

    `act` does the work (in a transaction of its own) and returns the message to show; it may raise
    `Refused`. `blocked`, when set, says why the action can not be done, and the page offers no button.
    «Avbryt» goes back to where the user came from, else to `cancel_url` (by default `success_url`).
    `about` is the record the page shows facts of: logged as read when it is personal data (core.readlog).
    """
    readlog.read(request, about)
    next_url = safe_next(request)
    cancel_url = cancel_url or success_url
    if request.method == "POST" and not blocked:
        try:
            done = act()
        except Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(next_url or cancel_url)
        messages.success(request, done)
        return HttpResponseRedirect(success_url)
    page = {
        "title": title,
        "question": question,
        "confirm_label": confirm_label,
        "cancel_url": next_url or cancel_url,
        "next": next_url,
        "facts": facts,
        "blocked": blocked,
        "breadcrumbs": [*breadcrumbs, Crumb(title)] if breadcrumbs else [],
    }
    return render(request, "core/confirm_page.html", page)


def delete_page(
    request: HttpRequest,
    instance: models.Model,
    *,
    title: str,
    question: str,
    deleted_message: str,
    success_url: str,
    cancel_url: str = "",
    parent: models.Model | None = None,
    breadcrumbs: Sequence[Crumb] = (),
    facts: Sequence[tuple[str, object]] = (),
    blocked: str = "",
) -> HttpResponse:
    """Delete one record (with history) after the user confirms; 403 unless they may delete it."""
    abilities.require(request.user, "delete", instance)
    if request.method != "POST":
        readlog.read(request, instance)

    def act() -> str:
        delete_with_history(instance=instance, by=request.user, parent=parent)
        return deleted_message

    return confirm_page(
        request,
        title=title,
        question=question,
        confirm_label=_("Slett"),
        act=act,
        success_url=success_url,
        cancel_url=cancel_url,
        breadcrumbs=breadcrumbs,
        facts=facts,
        blocked=blocked,
    )

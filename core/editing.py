"""Saving forms so that nothing is lost: history for every change, no silent overwrites."""

from collections.abc import Callable

from django import forms
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import history
from core.models import Change


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""


class VersionedModelForm(forms.ModelForm):
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
    parent: models.Model | None = None,
    prepare: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Save a valid form and record the change; raise StaleEdit rather than overwrite.

    The version check is one conditional UPDATE, so two saves racing each other can not both pass.
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
        history.record(instance=saved, by=by, before=before, parent=parent)
    return saved


def process_form(
    request: HttpRequest,
    form_class: type[VersionedModelForm],
    *,
    instance: models.Model | None = None,
    parent: models.Model | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    **form_kwargs,
) -> tuple[VersionedModelForm, models.Model | None]:
    """GET: an unbound form. POST: validate and save with history; the saved record, or None."""
    if request.method != "POST":
        return form_class(instance=instance, **form_kwargs), None
    before = history.snapshot(instance) if instance is not None and instance.pk else None
    form = form_class(request.POST, instance=instance, **form_kwargs)
    if not form.is_valid():
        return form, None
    try:
        return form, save_form(form=form, by=request.user, before=before, parent=parent, prepare=prepare)
    except StaleEdit:
        current = type(instance)._default_manager.values_list("version", flat=True).get(pk=instance.pk)
        form.mark_stale(current)
        return form, None


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
    changed = last.fields.items() if last else []
    what = "; ".join(f"{field}: «{old or '–'}» → «{new or '–'}»" for field, (old, new) in changed)
    return STALE_TEXT % {"who": who, "when": when, "what": what or _("ukjente felt")}

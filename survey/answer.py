"""All forms of one municipality's answer, and the proposals its changes become."""

import json
from datetime import date

from django import forms
from django.utils.translation import gettext as _

from registry.models import Specialty
from survey import forms as survey_forms
from survey.forms import raw, shown
from survey.models import Invitation, Proposal
from training.models import Training

Target = Proposal.Target


def _initial(draft: dict, prefix: str) -> dict:
    """A form's values from the saved draft (the draft stores the raw POST by field name)."""
    start = f"{prefix}-"
    return {key[len(start) :]: value for key, value in draft.items() if key.startswith(start)}


class AnswerForms:
    """Built from what the office knows now; `data` is the POST, `draft` a saved draft shown as initial values."""

    def __init__(self, invitation: Invitation, *, today: date, data=None, draft: dict | None = None) -> None:
        municipality = invitation.municipality
        draft = draft or {}
        self.invitation = invitation
        self.contacts = [
            survey_forms.public_contact_form(
                data, contact=c, municipality=municipality, initial=_initial(draft, f"kontakt-{c.pk}")
            )
            for c in municipality.contacts.all()
        ]
        self.new_contact = survey_forms.public_contact_form(
            data, contact=None, municipality=municipality, initial=_initial(draft, "kontakt-ny")
        )
        self.gp_offices = [
            survey_forms.public_gp_office_form(
                data, gp_office=o, municipality=municipality, initial=_initial(draft, f"legekontor-{o.pk}")
            )
            for o in municipality.gp_offices.order_by("name")
        ]
        self.new_gp_office = survey_forms.public_gp_office_form(
            data, gp_office=None, municipality=municipality, initial=_initial(draft, "legekontor-ny")
        )
        trainings = survey_forms.keep_only_ongoing(Training.objects.filter(employer=municipality)).order_by(
            "doctor__last_name", "doctor__first_name"
        )
        choices: dict[str, list] = {}  # read once, shared by every ALIS's form
        self.trainings = [
            (
                survey_forms.public_training_form(
                    data,
                    training=t,
                    municipality=municipality,
                    initial=_initial(draft, f"alis-{t.pk}"),
                    choices=choices,
                ),
                survey_forms.training_note_form(
                    data, training=t, today=today, initial=_initial(draft, f"alis-{t.pk}-tekst")
                ),
            )
            for t in trainings
        ]
        self.registration = survey_forms.RegistrationAnswerForm(
            data,
            current={s.value: municipality.registration_status(s.value) for s in Specialty},
            initial=_initial(draft, "registrering"),
        )
        answer_initial = {
            "has_trust_agreement": {True: "yes", False: "no"}.get(invitation.has_trust_agreement, ""),
            "trust_agreement_text": invitation.trust_agreement_text,
            "comment": invitation.comment,
            "answered_by": invitation.answered_by,
            **_initial(draft, "svar"),
        }
        self.answer = survey_forms.AnswerForm(data, initial=answer_initial)

    def all(self) -> list[forms.BaseForm]:
        forms_ = [*self.contacts, self.new_contact, *self.gp_offices, self.new_gp_office]
        for pair in self.trainings:
            forms_.extend(pair)
        return [*forms_, self.registration, self.answer]

    def is_valid(self) -> bool:
        # Every form is checked, so that every error shows at once.
        results = [form.is_valid() for form in self.all()]
        return all(results)

    def error_count(self) -> int:
        return sum(len(form.errors) for form in self.all())

    def proposals(self) -> list[Proposal]:
        """The changes against what the office knows, as unsaved proposals (call after `is_valid`)."""
        found: list[Proposal] = []
        for target, forms_ in ((Target.CONTACT, self.contacts), (Target.GP_OFFICE, self.gp_offices)):
            for form in forms_:
                found.extend(_field_proposals(target, form))
        for target, form in ((Target.CONTACT, self.new_contact), (Target.GP_OFFICE, self.new_gp_office)):
            if form.has_changed():
                found.append(_new_record_proposal(target, form))
        for form, notes in self.trainings:
            found.extend(_field_proposals(Target.TRAINING, form))
            for name in notes.changed_data:
                found.append(
                    Proposal(
                        target=Target.NOTE,
                        object_id=form.instance.pk,
                        object_repr=str(form.instance.doctor),
                        field=name,
                        label=str(notes.fields[name].label),
                        old_value=notes.get_initial_for_field(notes.fields[name], name),
                        new_value=notes.cleaned_data[name],
                        old_shown=notes.get_initial_for_field(notes.fields[name], name),
                        new_shown=notes.cleaned_data[name],
                    )
                )
        municipality = self.invitation.municipality
        for name in self.registration.changed_data:
            field = self.registration.fields[name]
            old, new = raw(self.registration.initial[name]), self.registration.cleaned_data[name]
            found.append(
                Proposal(
                    target=Target.REGISTRATION,
                    object_id=municipality.pk,
                    object_repr=municipality.name,
                    field=name,
                    label=str(Specialty(name).label),
                    old_value=old,
                    new_value=new,
                    old_shown=shown(field, old),
                    new_shown=shown(field, new),
                )
            )
        return found


def _field_proposals(target: str, form: forms.ModelForm) -> list[Proposal]:
    found = []
    for name in form.changed_data:
        field = form.fields[name]
        if field.disabled:
            continue
        old, new = raw(form.get_initial_for_field(field, name)), raw(form.cleaned_data[name])
        if old == new:
            continue
        found.append(
            Proposal(
                target=target,
                object_id=form.instance.pk,
                object_repr=str(form.instance),
                field=name,
                label=str(field.label),
                old_value=old,
                new_value=new,
                old_shown=shown(field, old),
                new_shown=shown(field, new),
            )
        )
    return found


def _new_record_proposal(target: str, form: forms.ModelForm) -> Proposal:
    values = {name: raw(form.cleaned_data.get(name)) for name, field in form.fields.items() if not field.disabled}
    summary = ", ".join(
        f"{form.fields[name].label}: {shown(form.fields[name], value)}" for name, value in values.items() if value
    )
    return Proposal(
        target=target,
        object_id=None,
        object_repr=str(Target(target).label),
        label=str(_("ny")),
        new_value=json.dumps(values),
        new_shown=summary,
    )

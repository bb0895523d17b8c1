"""The municipality's answer as a short task list: one page per section, saved as a draft, checked, then sent.

The sections (GOV.UK's and Designsystemet's task-list pattern): the contact persons, the GP offices, each
ALIS the office knows of (terms, planned hospital service, and whether the ALIS still works there), the
supervisors, new ALIS the office does not know of, and registration and agreements. Each section is
«Ikke startet» until the municipality saves it, «Påbegynt» while it is a draft, and «Ferdig» once it is saved
without errors as finished. When every section is finished, «Sjekk svarene dine» shows what will be sent
and sends it.

Every change against what the office knows becomes a `Proposal` the office accepts or rejects (see
`survey.services`); nothing in the registry changes before that. The draft (`Invitation.draft`) keeps, per
section, only the values of the section's own fields as the municipality typed them, and whether it is
finished:

    {"sections": {"kontaktpersoner": {"done": true, "data": {"kontakt-12-phone": "55 55 55 55", …}}, …},
     "new_trainings": [{"first_name": "Kari", …}, …]}
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.forms import BaseForm, BaseFormSet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import HealthTrust, Specialty
from survey import forms as survey_forms
from survey.forms import raw, shown
from survey.models import Invitation, Proposal
from training.models import Contract, LeavingDestination, LeavingReason, Scheme, Status, Training

Target = Proposal.Target

NOT_STARTED, STARTED, DONE = "not_started", "started", "done"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Ikke startet"),
    STARTED: gettext_lazy("Påbegynt"),
    DONE: gettext_lazy("Ferdig"),
}
# A draft value longer than any field takes is cut: the draft is not the place to store a book.
DRAFT_VALUE_LENGTH = 4000
# A city has eighty GP offices and seventy ALIS: lists come this many to a page.
PER_PAGE = 10
# The section of the last page («Sjekk svarene dine»): its comment and name are kept in the draft too.
SEND = "send"

CONTACTS, GP_OFFICES, TRAINING, SUPERVISORS, NEW_TRAININGS, REGISTRATION = (
    "contacts",
    "gp_offices",
    "training",
    "supervisors",
    "new_trainings",
    "registration",
)


@dataclass
class Section:
    key: str  # in the address: /kartlegging/<token>/del/<key>/
    title: str
    kind: str
    training: Training | None = None
    status: str = NOT_STARTED
    # GP offices or ALIS (for their supervisors) on this page, and whether it is the kind's last page (where
    # the form for a new GP office is).
    items: list = field(default_factory=list)
    last: bool = True

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Change:
    """One line of «Sjekk svarene dine»: what changes, from what to what."""

    what: str
    old: str
    new: str


@dataclass
class SectionForms:
    """The forms of one section's page, bound to what was posted or saved (or unbound: what the office knows)."""

    section: Section
    forms: list[BaseForm] = field(default_factory=list)
    formsets: list[BaseFormSet] = field(default_factory=list)
    # The training section's parts by name, the supervisor forms by training, for the template and proposals.
    parts: dict[str, object] = field(default_factory=dict)

    def all(self) -> Iterator[BaseForm]:
        yield from self.forms
        for formset in self.formsets:
            yield formset.management_form
            yield from formset.forms

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms] + [formset.is_valid() for formset in self.formsets]
        return all(results)

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error, for the error summary at the top of the page."""
        found = []
        for form in self.forms:
            found.extend(_form_errors(form))
        for formset in self.formsets:
            found.extend(("", str(e)) for e in formset.non_form_errors())
            for form in formset.forms:
                found.extend(_form_errors(form))
        return found


def _form_errors(form: forms.BaseForm) -> list[tuple[str, str]]:
    if not form.is_bound:
        return []
    found = [("", str(e)) for e in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        widget = form.fields[name].widget
        anchor = (
            f"{bound.auto_id}_0"
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            else bound.auto_id
        )
        found.extend((anchor, f"{form.fields[name].label} – {m}") for m in messages)
    return found


class Answer:
    """The sections of one invitation's answer, built from what the office knows now and the saved draft."""

    def __init__(self, invitation: Invitation, *, today: date) -> None:
        municipality = invitation.municipality
        self.invitation, self.municipality, self.today = invitation, municipality, today
        self.contacts = list(municipality.contacts.order_by("role", "name", "pk"))
        self.gp_offices = list(municipality.gp_offices.order_by("name"))
        self.trainings = list(
            survey_forms.keep_only_ongoing(Training.objects.filter(employer=municipality)).order_by(
                "doctor__last_name", "doctor__first_name", "pk"
            )
        )
        self.trusts: QuerySet = HealthTrust.objects.order_by("name")
        self.sections = [
            Section("kontaktpersoner", _("Kontaktpersoner"), CONTACTS),
            *self._paged("legekontorer", _("Legekontorer"), GP_OFFICES, self.gp_offices),
            *(
                Section(f"alis-{t.pk}", _("ALIS: %(name)s") % {"name": t.doctor.full_name}, TRAINING, training=t)
                for t in self.trainings
            ),
            *self._paged("veiledere", _("Veiledere"), SUPERVISORS, self.trainings),
            Section("nye-alis", _("Nye ALIS"), NEW_TRAININGS),
            Section("registrering-og-avtaler", _("Registrering og avtaler"), REGISTRATION),
        ]
        self.draft = self._read_draft(invitation.draft or {})
        for section in self.sections:
            saved = self.draft["sections"].get(section.key)
            if saved is not None:
                section.status = DONE if saved.get("done") else STARTED

    def _paged(self, key: str, title: str, kind: str, items: list) -> list[Section]:
        """A section for a list, a page of at most PER_PAGE each: a city has eighty GP offices and seventy ALIS."""
        if len(items) <= PER_PAGE:
            return [Section(key, title, kind, items=items)]
        pages = [items[start : start + PER_PAGE] for start in range(0, len(items), PER_PAGE)]
        return [
            Section(
                f"{key}-{number}",
                _("%(title)s %(first)d–%(last)d av %(total)d")
                % {
                    "title": title,
                    "first": (number - 1) * PER_PAGE + 1,
                    "last": (number - 1) * PER_PAGE + len(page),
                    "total": len(items),
                },
                kind,
                items=page,
                last=number == len(pages),
            )
            for number, page in enumerate(pages, start=1)
        ]

    # The draft

    def _read_draft(self, draft: dict) -> dict:
        if "sections" in draft:
            return {"sections": dict(draft["sections"]), "new_trainings": list(draft.get("new_trainings", []))}
        # A draft saved by the one-page form before the task list: its values, by the same field names,
        # go to the sections they belong to (as drafts, to be looked over).
        sections = {}
        for section in self.sections:
            data = self.posted(section, draft)
            if data:
                sections[section.key] = {"done": False, "data": data}
        legacy = {"sections": sections, "new_trainings": []}
        if send := {k: v for k, v in draft.items() if k.startswith("svar-")}:
            legacy["sections"][SEND] = {"done": False, "data": send}
        return legacy

    def saved_data(self, key: str) -> MultiValueDict | None:
        saved = self.draft["sections"].get(key)
        if not saved or not saved.get("data"):
            return None
        return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in saved["data"].items()})

    def posted(self, section: Section, post) -> dict:
        """The section's own fields from a POST (or an old draft): nothing else is kept."""
        getlist = post.getlist if hasattr(post, "getlist") else lambda key: [post[key]] if key in post else []
        kept = {}
        for form in self.build(section, post).all():
            for name, field_ in form.fields.items():
                if field_.disabled:
                    continue
                key = form.add_prefix(name)
                values = [str(v)[:DRAFT_VALUE_LENGTH] for v in getlist(key)]
                if values:
                    kept[key] = values if len(values) > 1 else values[0]
        return kept

    def store(self, section: Section, data: dict, *, done: bool) -> dict:
        """The draft with the section's values (and whether it is finished), to save on the invitation."""
        sections = {**self.draft["sections"], section.key: {"done": done, "data": data}}
        return {**self.draft, "sections": sections}

    def store_send(self, data: dict) -> dict:
        return {**self.draft, "sections": {**self.draft["sections"], SEND: {"done": False, "data": data}}}

    def store_new_trainings(self, rows: list[dict], *, done: bool, data: dict | None = None) -> dict:
        section = self.section("nye-alis")
        sections = {**self.draft["sections"], section.key: {"done": done, "data": data or {}}}
        return {**self.draft, "sections": sections, "new_trainings": rows}

    # Sections

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def next_section(self, section: Section) -> Section | None:
        """The first section after this one that is not finished, else the first unfinished of all."""
        index = self.sections.index(section)
        later = [s for s in self.sections[index + 1 :] + self.sections[:index] if s.status != DONE and s is not section]
        return later[0] if later else None

    @property
    def done_count(self) -> int:
        return sum(s.status == DONE for s in self.sections)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.sections)

    @property
    def new_trainings(self) -> list[dict]:
        return self.draft["new_trainings"]

    @property
    def new_training_list(self) -> list[tuple[dict, str]]:
        """The new ALIS added so far, each with the line that describes it."""
        return [(values, self.new_training_shown(values)) for values in self.new_trainings]

    def build(self, section: Section, data=None) -> SectionForms:
        """The section's forms, bound to `data` (a POST, or the saved draft), else showing what the office knows."""
        municipality = self.municipality
        built = SectionForms(section)
        if section.kind == CONTACTS:
            built.forms = [
                *(survey_forms.public_contact_form(data, contact=c, municipality=municipality) for c in self.contacts),
                survey_forms.public_contact_form(data, contact=None, municipality=municipality),
            ]
        elif section.kind == GP_OFFICES:
            built.forms = [
                survey_forms.public_gp_office_form(data, gp_office=o, municipality=municipality) for o in section.items
            ]
            if section.last:
                built.forms.append(survey_forms.public_gp_office_form(data, gp_office=None, municipality=municipality))
        elif section.kind == TRAINING:
            training = section.training
            terms = survey_forms.public_training_form(data, training=training, municipality=municipality)
            departure = survey_forms.DepartureForm(
                data, training=training, prefix=f"alis-{training.pk}-status", use_required_attribute=False
            )
            hospital = survey_forms.hospital_formset(data, training=training, trusts=self.trusts)
            built.forms, built.formsets = [departure, terms], [hospital]
            built.parts = {"terms": terms, "departure": departure, "hospital": hospital}
        elif section.kind == SUPERVISORS:
            pairs = []
            for training in section.items:
                doctor = survey_forms.current_supervisor(training, self.today)
                initial = {"name": doctor.full_name, "hpr_number": doctor.hpr_number or ""} if doctor else {}
                form = survey_forms.SupervisorAnswerForm(
                    data, prefix=f"veileder-{training.pk}", initial=initial, use_required_attribute=False
                )
                pairs.append((training, form))
            built.forms = [form for _training, form in pairs]
            built.parts = {"supervisors": pairs}
        elif section.kind == NEW_TRAININGS:
            built.forms = [
                survey_forms.NewTrainingForm(
                    data, municipality=municipality, prefix="ny-alis", use_required_attribute=False
                )
            ]
        elif section.kind == REGISTRATION:
            current = {s.value: municipality.registration_status(s.value) for s in Specialty}
            registration = survey_forms.RegistrationAnswerForm(data, current=current)
            invitation = self.invitation
            agreement = survey_forms.AgreementForm(
                data,
                initial={
                    "has_trust_agreement": {True: "yes", False: "no"}.get(invitation.has_trust_agreement, ""),
                    "trust_agreement_text": invitation.trust_agreement_text,
                },
            )
            built.forms = [registration, agreement]
            built.parts = {"registration": registration, "agreement": agreement}
        return built

    def saved(self, section: Section) -> SectionForms:
        """The section as saved in the draft (bound), or as the office knows it (unbound). The new-ALIS form
        is bound only to what was typed in it and not yet added."""
        data = self.saved_data(section.key)
        built = self.build(section, data)
        if section.kind == NEW_TRAININGS and data is not None and built.forms[0].is_blank():
            return self.build(section, None)
        return built

    def checked(self, section: Section) -> SectionForms | None:
        """The saved section if it validates, else None. The new ALIS are the list in the draft (each checked
        when it was added); what is typed in the form below it, not added, is not part of the answer."""
        built = self.saved(section)
        if section.kind == NEW_TRAININGS:
            return built
        return built if built.is_valid() else None  # unbound (not started) is not valid either

    def send_form(self, data=None) -> survey_forms.SendForm:
        """The comment and name of «Sjekk svarene dine»: bound to a POST, else showing what the draft holds."""
        if data is not None:
            return survey_forms.SendForm(data)
        initial = {"comment": self.invitation.comment, "answered_by": self.invitation.answered_by}
        saved = self.draft["sections"].get(SEND, {}).get("data", {})
        initial |= {name.removeprefix("svar-"): value for name, value in saved.items() if isinstance(value, str)}
        return survey_forms.SendForm(initial=initial)

    # What the answer proposes

    def proposals(self, built: SectionForms) -> list[Proposal]:
        """The changes of one valid section against what the office knows, as unsaved proposals."""
        section = built.section
        if section.kind in (CONTACTS, GP_OFFICES):
            target = Target.CONTACT if section.kind == CONTACTS else Target.GP_OFFICE
            found = []
            for form in built.forms:
                if form.instance.pk:
                    found.extend(_field_proposals(target, form))
                elif form.has_changed():
                    found.append(_new_record_proposal(target, form))
            return found
        if section.kind == TRAINING:
            return self._training_proposals(section.training, built.parts)
        if section.kind == SUPERVISORS:
            return [
                p for training, form in built.parts["supervisors"] if (p := self._supervisor_proposal(training, form))
            ]
        if section.kind == NEW_TRAININGS:
            return [self._new_training_proposal(values) for values in self.new_trainings]
        if section.kind == REGISTRATION:
            return self._registration_proposals(built.parts["registration"])
        return []

    def _training_proposals(self, training: Training, parts: dict) -> list[Proposal]:
        departure = parts["departure"]
        if departure.departed:
            return [_departure_proposal(training, departure)]
        found = _field_proposals(Target.TRAINING, parts["terms"])
        rows = survey_forms.formset_rows(parts["hospital"])
        old_rows = survey_forms.hospital_rows(training)
        old, new = survey_forms.hospital_value(old_rows), survey_forms.hospital_value(rows)
        if old != new:
            names = {str(t.pk): t.name for t in self.trusts}
            shown_ = (survey_forms.hospital_shown(old_rows, names), survey_forms.hospital_shown(rows, names))
            found.append(_note(training, "hospital", _("Planlagt sykehustjeneste"), (old, new), shown_))
        return found

    def _supervisor_proposal(self, training: Training, form: survey_forms.SupervisorAnswerForm) -> Proposal | None:
        old, new = survey_forms.supervisor_text(training, self.today), form.value
        if old == new:
            return None
        return _note(training, "supervisor", _("Veileder"), (old, new), (old, new))

    def _new_training_proposal(self, values: dict) -> Proposal:
        name = f"{values['first_name']} {values['last_name']}"
        return Proposal(
            target=Target.TRAINING,
            object_id=None,
            object_repr=_("Ny ALIS: %(name)s") % {"name": name},
            label=str(_("ny")),
            new_value=json.dumps(values),
            new_shown=self.new_training_shown(values),
        )

    def new_training_shown(self, values: dict) -> str:
        """The new ALIS in one line, as the office reads it."""
        office = next((o.name for o in self.gp_offices if str(o.pk) == values.get("gp_office")), "")
        parts = [
            f"{values['first_name']} {values['last_name']}"
            + (f" ({_('HPR')} {values['hpr_number']})" if values.get("hpr_number") else ""),
            str(Specialty(values["specialty"]).label) if values.get("specialty") in Specialty.values else "",
            _("startet %(day)s") % {"day": date.fromisoformat(values["start"]).strftime("%d.%m.%Y")},
            str(Scheme(values["scheme"]).label) if values.get("scheme") in Scheme.values else "",
            str(Contract(values["contract"]).label) if values.get("contract") in Contract.values else "",
            f"{values['position_share']} %",
            office,
        ]
        supervisor = survey_forms.supervisor_value(values.get("supervisor_name", ""), values.get("supervisor_hpr", ""))
        if supervisor:
            parts.append(_("veileder %(name)s") % {"name": supervisor})
        return ", ".join(p for p in parts if p)

    def _registration_proposals(self, form: forms.Form) -> list[Proposal]:
        found = []
        for name in form.changed_data:
            field_ = form.fields[name]
            old, new = raw(form.initial[name]), form.cleaned_data[name]
            found.append(
                Proposal(
                    target=Target.REGISTRATION,
                    object_id=self.municipality.pk,
                    object_repr=self.municipality.name,
                    field=name,
                    label=str(Specialty(name).label),
                    old_value=old,
                    new_value=new,
                    old_shown=shown(field_, old),
                    new_shown=shown(field_, new),
                )
            )
        return found

    def agreement(self) -> dict:
        """The agreement with the health trust as the invitation stores it (call when the section is valid)."""
        built = self.saved(self.section("registrering-og-avtaler"))
        if not built.forms[1].is_bound or not built.is_valid():
            return {
                "has_trust_agreement": self.invitation.has_trust_agreement,
                "trust_agreement_text": self.invitation.trust_agreement_text,
            }
        data = built.parts["agreement"].cleaned_data
        return {
            "has_trust_agreement": {"yes": True, "no": False}.get(data["has_trust_agreement"]),
            "trust_agreement_text": data["trust_agreement_text"],
        }

    def review(self) -> list[tuple[Section, list[Change] | None]]:
        """Each section begun and its changes, for «Sjekk svarene dine»; None when the saved section has errors.
        Sections not started are left out (the page lists them as not finished)."""
        reviewed = []
        for section in self.sections:
            if section.status == NOT_STARTED:
                continue
            built = self.checked(section)
            if built is None:
                reviewed.append((section, None))
                continue
            changes = [Change(_what(p), p.old_shown, p.new_shown) for p in self.proposals(built)]
            if section.kind == REGISTRATION and built.forms[1].is_bound:
                changes.extend(self._agreement_changes(built.parts["agreement"]))
            reviewed.append((section, changes))
        return reviewed

    def _agreement_changes(self, form: forms.Form) -> list[Change]:
        changes = []
        for name in form.changed_data:
            field_ = form.fields[name]
            old, new = raw(form.initial.get(name)), raw(form.cleaned_data.get(name))
            if old != new:
                changes.append(Change(str(field_.label), shown(field_, old), shown(field_, new)))
        return changes

    def all_proposals(self) -> list[Proposal] | None:
        """Every section's proposals for sending; None when a saved section no longer validates (the registry
        changed since it was saved): the municipality opens it again."""
        found = []
        for section in self.sections:
            built = self.checked(section)
            if built is None:
                return None
            found.extend(self.proposals(built))
        return found


def _what(proposal: Proposal) -> str:
    if proposal.is_new_record:
        return proposal.object_repr
    return f"{proposal.object_repr}: {proposal.label}"


def _field_proposals(target: str, form: forms.ModelForm) -> list[Proposal]:
    found = []
    for name in form.changed_data:
        field_ = form.fields[name]
        if field_.disabled:
            continue
        old, new = raw(form.get_initial_for_field(field_, name)), raw(form.cleaned_data[name])
        if old == new:
            continue
        found.append(
            Proposal(
                target=target,
                object_id=form.instance.pk,
                object_repr=str(form.instance),
                field=name,
                label=str(field_.label),
                old_value=old,
                new_value=new,
                old_shown=shown(field_, old),
                new_shown=shown(field_, new),
            )
        )
    return found


def _new_record_proposal(target: str, form: forms.ModelForm) -> Proposal:
    values = {name: raw(form.cleaned_data.get(name)) for name, field_ in form.fields.items() if not field_.disabled}
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


def _note(training: Training, name: str, label: str, values: tuple[str, str], shown_: tuple[str, str]) -> Proposal:
    """A proposal about what the registry holds in records of its own (supervisor, planned hospital service)."""
    return Proposal(
        target=Target.NOTE,
        object_id=training.pk,
        object_repr=str(training.doctor),
        field=name,
        label=label,
        old_value=values[0],
        new_value=values[1],
        old_shown=shown_[0],
        new_shown=shown_[1] or _("ingen"),
    )


def _departure_proposal(training: Training, form: survey_forms.DepartureForm) -> Proposal:
    data = form.cleaned_data
    values = {
        "status": data["working"],
        "ended_on": raw(data["ended_on"]),
        "leaving_reason": data["leaving_reason"],
        "leaving_destination": data["leaving_destination"],
    }
    day = data["ended_on"].strftime("%d.%m.%Y")
    if values["status"] == Status.LEFT:
        text = _("Sluttet %(day)s: %(reason)s") % {"day": day, "reason": LeavingReason(values["leaving_reason"]).label}
        if values["leaving_destination"]:
            text += "; " + _("gikk til %(where)s") % {
                "where": str(LeavingDestination(values["leaving_destination"]).label).lower()
            }
    else:
        text = _("Ferdig spesialist %(day)s") % {"day": day}
    return Proposal(
        target=Target.DEPARTURE,
        object_id=training.pk,
        object_repr=str(training.doctor),
        field="status",
        label=_("Status"),
        old_value=training.status,
        new_value=json.dumps(values),
        old_shown=training.get_status_display(),
        new_shown=text,
    )

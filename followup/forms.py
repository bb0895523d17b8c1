from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import ModelForm
from core.widgets import DateInput
from followup import rules
from followup.models import NotificationSetting, Task, TaskRule


def office_staff(office_id: int | None) -> QuerySet[User]:
    """Who in the office can be given a task: its active advisers."""
    return User.objects.filter(office_id=office_id, role=Role.OFFICE_STAFF, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class TaskForm(VersionedModelForm):
    class Meta:
        model = Task
        fields = ["title", "due", "assignee", "description"]
        widgets = {"due": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["assignee"].queryset = office_staff(self.instance.office_id)
        self.fields["assignee"].label_from_instance = _person
        self.fields["assignee"].empty_label = _("Ingen (kontorets felles oppgave)")

    def clean_due(self) -> date:
        due = self.cleaned_data["due"]
        # A new task due in the past is a typing error; an old one may keep its date.
        if self.instance.pk is None and due < self.today:
            raise forms.ValidationError(_("Fristen kan ikke være før i dag."))
        return due


MINE, ALL_OPEN, OVERDUE, CLOSED = "mine", "open", "overdue", "closed"
UNASSIGNED = "unassigned"


class TaskFilterForm(ListFilterForm):
    """The office's tasks: open (the default), overdue, the closed ones; by whom, and which rule made them."""

    search_fields = ("title", "description")
    office_path = "office__code"
    office_for_all_regions_only = True
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ALL_OPEN, _("Åpne")),
            (OVERDUE, _("Forfalte")),
            (CLOSED, _("Utførte og lukkede")),
            ("", _("Alle")),
        ],
        required=False,
    )
    assignee = forms.ChoiceField(label=_("Ansvarlig"), required=False)
    rule = forms.ChoiceField(
        label=_("Laget av"),
        choices=[("", _("Alle")), ("-", _("Lagt inn av kontoret")), *rules.RuleKind.choices],
        required=False,
    )

    def __init__(self, data, *, user: User, today: date) -> None:
        data = data.copy()
        data.setdefault("state", ALL_OPEN)
        super().__init__(data, user=user)
        self.today = today
        people = office_staff(user.office_id) if not user.sees_all_regions else User.objects.none()
        self.fields["assignee"].choices = [
            ("", _("Alle")),
            (MINE, _("Meg")),
            (UNASSIGNED, _("Ingen (felles)")),
            *((str(u.pk), _person(u)) for u in people),
        ]

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        state = data["state"]
        if state == ALL_OPEN:
            queryset = queryset.filter(status=Task.Status.OPEN)
        elif state == OVERDUE:
            queryset = queryset.filter(status=Task.Status.OPEN, due__lt=self.today)
        elif state == CLOSED:
            queryset = queryset.exclude(status=Task.Status.OPEN)
        who = data["assignee"]
        if who == MINE:
            queryset = queryset.filter(assignee=self.user)
        elif who == UNASSIGNED:
            queryset = queryset.filter(assignee__isnull=True)
        elif who:
            queryset = queryset.filter(assignee_id=who)
        if data["rule"] == "-":
            queryset = queryset.filter(rule="")
        elif data["rule"]:
            queryset = queryset.filter(rule=data["rule"])
        return queryset


class NotificationSettingForm(ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["weekly_digest", "due_messages"]


class TaskRuleForm(VersionedModelForm):
    days_text = forms.CharField(
        label=_("Dager"),
        max_length=100,
        help_text=_("Hele dager, skilt med komma, for eksempel «84, 56, 28»."),
    )

    class Meta:
        model = TaskRule
        fields = ["active", "days_text", "respite_days", "assignee"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        default = rules.DEFAULTS[self.instance.kind]
        direction = _("før") if default.direction == rules.BEFORE else _("etter")
        self.fields["days_text"].label = _("Dager %(direction)s hendelsen") % {"direction": direction}
        self.fields["days_text"].initial = ", ".join(str(d) for d in self.instance.days)
        self.fields["respite_days"].help_text = _("Hvor mange dager kontoret får på oppgaven fra den lages.")
        self.fields["assignee"].queryset = office_staff(self.instance.office_id)
        self.fields["assignee"].label_from_instance = _person
        self.fields["assignee"].empty_label = _("Ingen (kontorets felles oppgaver)")
        self.order_fields(["active", "days_text", "respite_days", "assignee"])

    def clean_days_text(self) -> list[int]:
        try:
            return rules.parse_days(self.cleaned_data["days_text"])
        except ValueError:
            raise forms.ValidationError(
                _("Skriv hele dager fra 0 til %(max)s, skilt med komma.") % {"max": rules.MAX_DAYS}
            ) from None

    def clean_respite_days(self) -> int:
        days = self.cleaned_data["respite_days"]
        if days > rules.MAX_DAYS:
            raise forms.ValidationError(_("Høyst %(max)s dager.") % {"max": rules.MAX_DAYS})
        return days

    def save(self, commit: bool = True) -> TaskRule:
        self.instance.days = self.cleaned_data["days_text"]
        return super().save(commit=commit)

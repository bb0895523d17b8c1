"""«Til oppfølging»: what waits for the office today, each a count of the rows of one filtered list.

Every count here is the number of rows the list it links to shows with the same filter (the tests compare each
count with its list). The counts that take the whole region's status to compute — supervision behind by each
scheme's rules, the old scheme's risks, the grant money not applied for — and those that count the region's ALIS
are stored per office (`AttentionSnapshot`) and read again until the day changes or the data does (`data_mark`);
the nightly run (`manage.py followup_nightly`) computes them for every office before anyone asks. The others
count municipalities and import jobs, whose numbers do not grow with the data, and are asked on every view.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core import tableversions
from core.formatting import kroner, number
from core.models import Change
from dataio.models import ImportJob
from followup.models import AttentionSnapshot
from grants import eligibility, lines
from grants.models import ApplicationLine, GrantApplication, GrantProfile, RatePeriod
from grants.periods import grant_year_on
from registry.models import County, Municipality, Office
from supervision import pool
from supervision.forms import BEHIND_GROUP, BEHIND_INDIVIDUAL
from supervision.models import SupervisionSession
from survey.models import STALE, UNANSWERED, WAITING, municipality_mapping_q
from training import status
from training.models import (
    ONGOING,
    OldSchemeOutcome,
    Scheme,
    ServicePeriod,
    ShiftCount,
    SupervisorAssignment,
    Training,
)

# Computes for the whole country (or one office), reading as the national coordinator does; writes nothing.
SYSTEM_READER = User(username="oppfolging", role=Role.COORDINATOR)

NATIONAL = "*"


def scope_of(office: Office | None) -> str:
    return office.code if office else NATIONAL


def _trainings(office: Office | None):
    trainings = Training.objects.all()
    return trainings.in_office(office.pk) if office else trainings


# --- The counts stored per office ---------------------------------------------------------------------------


def supervision_behind(office: Office | None, today: date) -> tuple[int, int]:
    """Ongoing ALIS behind on individual and on group supervision, each by their scheme's rules (as the follow-up
    list `supervision:compliance` judges them)."""
    rows = pool.compliance(_trainings(office).ongoing(), today)
    return sum(1 for r in rows if r.status.behind), sum(1 for r in rows if r.status.group_behind)


def old_scheme_at_risk(office: Office | None, today: date) -> int:
    """Old-scheme ALIS with a risk before the deadline, as the deadline list shows them (ongoing or with an outcome
    recorded, and a risk)."""
    trainings = (
        _trainings(office)
        .filter(Q(scheme=Scheme.OLD) | Q(old_scheme_outcome__isnull=False))
        .filter(Q(status__in=ONGOING) | Q(old_scheme_outcome__isnull=False))
    )
    return sum(1 for alis in status.statuses(trainings, today).values() if alis.risks)


def grants_not_applied(office: Office | None, today: date) -> dict:
    """The grant money eligible ALIS could bring and no application asks for, in the period covering today (the
    estimate of `grants:not_applied`); None as the amount when a rate is missing."""
    year = grant_year_on(today)
    totals = lines.Totals()
    for gap in eligibility.left_on_table(year, user=SYSTEM_READER, office_code=office.code if office else None):
        for estimate in gap.estimates:
            totals.add(estimate)
    value = totals.value
    return {
        "amount": None if value is None else str(value),
        "alis": totals.lines,
        "incomplete": totals.incomplete,
        "period": year.label,
    }


def compute_stored(office: Office | None, today: date) -> dict:
    individual, group = supervision_behind(office, today)
    return {
        "no_supervisor": without_supervisor(office, today),
        "hospital_not_agreed": hospital_not_agreed(office, today),
        "behind_individual": individual,
        "behind_group": group,
        "old_scheme_risk": old_scheme_at_risk(office, today),
        "grants": grants_not_applied(office, today),
    }


# The tables the stored counts are computed from: any write to one makes the next view compute them again. The
# history (Change) has a row for every edit through the app's forms, also of tables not named here.
COUNTED_FROM = (
    Change,
    Training,
    SupervisorAssignment,
    ServicePeriod,
    ShiftCount,
    OldSchemeOutcome,
    SupervisionSession,
    GrantApplication,
    ApplicationLine,
    GrantProfile,
    RatePeriod,
    Municipality,
    County,
)


def data_mark() -> str:
    """A fingerprint of the data the stored counts read, in one query on a small table (core.tableversions)."""
    return tableversions.mark(COUNTED_FROM)


def stored_counts(office: Office | None, *, today: date, refresh: bool = False) -> dict:
    """The stored counts of the office (or all offices) for today; computed and stored again when the day or the
    data has changed since (or when asked: the nightly run)."""
    scope = scope_of(office)
    mark = data_mark()
    if not refresh:
        found = AttentionSnapshot.objects.filter(scope=scope, computed_on=today, data_mark=mark).first()
        if found is not None:
            return found.counts
    counts = compute_stored(office, today)
    AttentionSnapshot.objects.update_or_create(
        scope=scope,
        defaults={"computed_on": today, "computed_at": timezone.now(), "data_mark": mark, "counts": counts},
    )
    return counts


# --- The single counting queries ----------------------------------------------------------------------------


def without_supervisor(office: Office | None, today: date) -> int:
    return _trainings(office).ongoing().without_supervisor(today).count()


def hospital_not_agreed(office: Office | None, today: date) -> int:
    return _trainings(office).ongoing().hospital_not_agreed(today).count()


def municipalities(office: Office | None, state: str, now: datetime) -> int:
    found = Municipality.objects.filter(municipality_mapping_q(state, now))
    return (found.in_office(office.pk) if office else found).count()


def import_jobs_waiting(office: Office | None) -> int:
    jobs = ImportJob.objects.filter(status=ImportJob.Status.PREVIEW)
    return (jobs.filter(office=office) if office else jobs).count()


def next_grant_deadline(today: date) -> RatePeriod | None:
    return (
        RatePeriod.objects.filter(application_deadline__gte=today)
        .select_related("scheme")
        .order_by("application_deadline", "pk")
        .first()
    )


# --- What the start page shows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    value: str  # the number (or amount, or date) as shown
    url: str
    count: int | None = None  # the number of rows of the linked list (None: not a count of rows)
    note: str = ""
    attention: bool = False  # something to act on (a count above zero, an amount left)


def _link(name: str, office: Office | None, **query: str) -> str:
    if office is not None:
        query["office"] = office.code
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _count(key: str, label: str, n: int, url: str, note: str = "") -> Item:
    return Item(key, label, number(n), url, count=n, note=note, attention=n > 0)


def items(user: User, office: Office | None, *, today: date, now: datetime) -> list[Item]:
    """The start page's list for one office (or all): each count with the list it opens. The reader of aggregates
    gets none (these are counts of persons the office follows up)."""
    if not user.reads_personal_data:
        return []
    stored = stored_counts(office, today=today)
    found = [
        _count(
            "no_supervisor",
            _("ALIS uten veileder"),
            stored["no_supervisor"],
            _link("training:list", office, no_supervisor="on"),
        ),
        _count(
            "behind_individual",
            _("Ligger etter med individuell veiledning"),
            stored["behind_individual"],
            _link("supervision:compliance", office, behind=BEHIND_INDIVIDUAL),
            _("etter reglene for sin ordning"),
        ),
        _count(
            "behind_group",
            _("Ligger etter med gruppeveiledning"),
            stored["behind_group"],
            _link("supervision:compliance", office, behind=BEHIND_GROUP),
            _("etter reglene for sin ordning"),
        ),
        _count(
            "old_scheme_risk",
            _("ALIS i gammel ordning med risiko før fristen 31.12.2026"),
            stored["old_scheme_risk"],
            _link("training:old_scheme", office, risk="any"),
        ),
        _count(
            "hospital_not_agreed",
            _("Sykehustjeneste som starter innen 12 uker og ikke er avtalt med helseforetaket"),
            stored["hospital_not_agreed"],
            _link("training:list", office, hospital_not_agreed="on"),
        ),
        _count(
            "mapping_waiting",
            _("Kommuner med svar i kartleggingen som venter på vurdering"),
            municipalities(office, WAITING, now),
            _link("survey:municipality_status", office, mapping=WAITING),
        ),
        _count(
            "mapping_unanswered",
            _("Kommuner som ikke har svart i kartleggingen"),
            municipalities(office, UNANSWERED, now),
            _link("survey:municipality_status", office, mapping=UNANSWERED),
        ),
        _count(
            "stale",
            _("Kommuner med utdaterte opplysninger (ikke bekreftet det siste året)"),
            municipalities(office, STALE, now),
            _link("survey:municipality_status", office, mapping=STALE),
        ),
        _grants_item(stored["grants"], office),
    ]
    deadline = next_grant_deadline(today)
    if deadline is None:
        found.append(
            Item(
                "grant_deadline",
                _("Neste søknadsfrist for tilskudd"),
                _("ikke registrert"),
                reverse("grants:index"),
                note=_("ingen satsperiode har en søknadsfrist fram i tid"),
            )
        )
    else:
        days = (deadline.application_deadline - today).days
        found.append(
            Item(
                "grant_deadline",
                _("Neste søknadsfrist for tilskudd"),
                f"{deadline.application_deadline:%d.%m.%Y}",
                reverse("grants:period_detail", args=[deadline.pk]),
                note=_("%(period)s, om %(days)s dager") % {"period": deadline.year_label, "days": days},
                attention=days <= 30,
            )
        )
    # Import jobs are seen by the importing office's staff only, and by the administrator all together.
    if user.role == Role.OFFICE_STAFF or (user.edits_all_regions and office is None):
        found.append(
            _count(
                "import_jobs",
                _("Importer som venter på bekreftelse"),
                import_jobs_waiting(office),
                reverse("dataio:index") + "?" + urlencode({"status": ImportJob.Status.PREVIEW}),
            )
        )
    return found


def _grants_item(grants: dict, office: Office | None) -> Item:
    amount = grants["amount"]
    if amount is None:
        value = _("ukjent beløp")
        note = _("satser mangler for %(period)s; %(alis)s ALIS") % {"period": grants["period"], "alis": grants["alis"]}
    else:
        value = kroner(Decimal(amount))
        note = _("%(period)s, %(alis)s ALIS") % {"period": grants["period"], "alis": grants["alis"]}
        if grants["incomplete"]:
            note += "; " + _("%(n)s anslag uten alle elementer") % {"n": grants["incomplete"]}
    return Item(
        "grants",
        _("Tilskudd det ikke er søkt om"),
        value,
        _link("grants:not_applied", office),
        count=grants["alis"],
        note=note,
        attention=grants["alis"] > 0,
    )

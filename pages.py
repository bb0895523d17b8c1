"""The page catalogue: every page of the app, who may open it, what each role gets and the heading it shows.

One list drives three checks, so a page can not be added, moved or left empty unnoticed:
- `core/tests/test_page_catalogue.py` opens every page as every role (office user, other-region user, coordinator,
  reader, administrator, anonymous) on the demo data and asserts the status, and for a 200 the page's own
  `<h1>` and a non-empty `<main>`; it fails when a URL pattern is missing here;
- `demo/benchmark.py` measures the pages marked `bench` (a page missing from the URL conf fails it);
- `browser/test_sweep.py` opens every HTML page at 390 and 1366 px: no sideways scroll, nothing over a
  submit button, no axe violations (WCAG 2.1 A/AA).

The example row of a page is found in the demo data (`manage.py seed_demo`): a Vest row, opened by the Vest
office user; the other-region user is Nord. A new page: add a `Page` in its area below, with the statuses
in the order of ROLES.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

# The roles the catalogue is checked as, and the demo user of each (seed_demo's users).
ROLES = ("office", "other", "coordinator", "reader", "admin", "anonymous")
USERNAMES = {"office": "vest", "other": "nord", "coordinator": "koordinator", "reader": "hdir", "admin": "admin"}
OFFICE = "vest"
BERGEN = "4601"

# What a page is, besides an ordinary HTML page with its own <h1>.
PAGE, PARTIAL, FILE, REDIRECT, ACTION, OPTIONS = "page", "partial", "file", "redirect", "action", "options"


@dataclass(frozen=True)
class Page:
    """One page: its URL name, how to find the row it shows, and what each role gets.

    `access` is the status per role in the order of ROLES, e.g. "200 404 200 403 200 302". `h1` is the
    heading a 200 must show: a text, or a function of (row, user). `kind` says what the page is when it
    is not an ordinary page: a partial (an HTMX panel), a file, a redirect, an action (POST only: a GET
    answers 405), or the options of a Suggestion field.
    """

    url_name: str
    access: str
    h1: str | Callable[[Any, Any], str] | None = None
    target: Callable[[], Any] | None = None
    kwargs: Callable[[Any], dict] | None = None
    query: str | Callable[[Any], str] = ""
    kind: str = PAGE
    bench: tuple[str, ...] = ()
    name: str = ""

    @property
    def statuses(self) -> Mapping[str, int]:
        codes = [int(code) for code in self.access.split()]
        assert len(codes) == len(ROLES), f"{self.url_name}: {len(codes)} statuses for {len(ROLES)} roles"
        return dict(zip(ROLES, codes, strict=True))

    def resolve(self) -> tuple[Any, dict, str]:
        """The row (or None), the URL kwargs and the query string, from the data in the database."""
        row = self.target() if self.target else None
        if self.kwargs is not None:
            kwargs = self.kwargs(row)
        elif row is not None and hasattr(row, "pk"):
            kwargs = {"pk": row.pk}
        else:
            kwargs = {}
        query = self.query(row) if callable(self.query) else self.query
        return row, kwargs, query

    def path(self, kwargs: dict, query: str = "") -> str:
        """The address of the page (raises NoReverseMatch when the URL conf has no such page)."""
        from django.urls import reverse

        if not self.url_name or "/" in self.url_name:  # a pattern without a name: its route
            return "/" + self.url_name + query
        return reverse(self.url_name, kwargs=kwargs) + query

    def heading(self, row: Any, user: Any) -> str | None:
        return self.h1(row, user) if callable(self.h1) else self.h1


# --- Finding the example rows in the data ------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _last_year() -> int:
    return _today().year - 1


def _vest(queryset, path: str = "office__code"):
    row = queryset.filter(**{path: OFFICE}).order_by("pk").first()
    assert row is not None, f"no Vest row of {queryset.model.__name__} in the data"
    return row


def bergen():
    from registry.models import Municipality

    return Municipality.objects.select_related("county__office").get(number=BERGEN)


def vestland():
    return bergen().county


def vest_contact():
    from registry.models import Contact

    return _vest(Contact.objects.all(), "municipality__county__office__code")


def vest_gp_office():
    from registry.models import GpOffice

    return _vest(GpOffice.objects.select_related("municipality"), "municipality__county__office__code")


def vest_doctor():
    """A doctor in Bergen with trainings and supervisions: the fullest doctor page (as the benchmark had)."""
    from registry.models import Doctor

    return (
        Doctor.objects.filter(municipality__number=BERGEN)
        .annotate(n=Count("trainings", distinct=True) + Count("supervisions", distinct=True))
        .order_by("-n", "pk")
        .first()
    )


def health_trust():
    from registry.models import HealthTrust

    return HealthTrust.objects.order_by("pk").first()


def vest_training():
    """The Vest ALIS with the most service periods: the fullest training page."""
    from training.models import Training

    return (
        Training.objects.filter(employer__county__office__code=OFFICE)
        .select_related("doctor")
        .annotate(n=Count("periods"))
        .order_by("-n", "pk")
        .first()
    )


def vest_shift():
    """A count of on-call shifts of a Vest ALIS; made if the data has none."""
    from training.models import ShiftCount

    count = ShiftCount.objects.filter(training__employer__county__office__code=OFFICE).order_by("pk").first()
    return count or ShiftCount.objects.create(training=vest_training(), counted_on=_today(), shifts=12)


def vest_old_scheme_training():
    from training.models import Scheme, Training

    trainings = Training.objects.filter(scheme=Scheme.OLD).select_related("doctor")
    return _vest(trainings, "employer__county__office__code")


def vest_outcome_training():
    """An old-scheme Vest ALIS with the deadline's outcome recorded; recorded here if the data has none."""
    from training.models import OldSchemeOutcome

    training = vest_old_scheme_training()
    if not hasattr(training, "old_scheme_outcome"):
        OldSchemeOutcome.objects.create(training=training, outcome="applied", decided_on=_today())
    return training


def vest_period():
    from training.models import ServicePeriod

    return _vest(ServicePeriod.objects.all(), "training__employer__county__office__code")


def vest_assignment():
    from training.models import SupervisorAssignment

    return _vest(SupervisorAssignment.objects.all(), "training__employer__county__office__code")


def vest_training_without_supervisor():
    """An ongoing ALIS in Vest without a supervisor: the one the proposals page ranks supervisors for."""
    from training.models import Training

    return (
        Training.objects.ongoing()
        .without_supervisor(_today())
        .filter(employer__county__office__code=OFFICE)
        .select_related("doctor")
        .order_by("pk")
        .first()
    )


def vest_with_most_sessions():
    from training.models import Training

    return (
        Training.objects.filter(employer__county__office__code=OFFICE)
        .select_related("doctor")
        .annotate(n=Count("supervision_sessions"))
        .order_by("-n", "pk")
        .first()
    )


def vest_profile():
    from supervision.models import SupervisorProfile

    return _vest(SupervisorProfile.objects.select_related("doctor"), "doctor__municipality__county__office__code")


def vest_session():
    from supervision.models import SupervisionSession

    return _vest(SupervisionSession.objects.all(), "training__employer__county__office__code")


def vest_supervisor_link():
    """A private link of a Vest supervisor who supervises an ALIS now; made if the data has none."""
    from supervision import services
    from supervision.models import SupervisorLink
    from training.models import SupervisorAssignment

    current = SupervisorAssignment.objects.current(_today()).filter(training__employer__county__office__code=OFFICE)
    link = SupervisorLink.objects.filter(supervisor__in=current.values("supervisor"), revoked_at=None).first()
    if link is None:
        link = services.link_create(supervisor=current.order_by("pk").first().supervisor, by=None)
    return link


def supervisor_link_token(link) -> dict:
    from supervision import links

    return {"token": links.token_for(link)}


def vest_group():
    from supervision.models import SupervisionGroup

    return _vest(SupervisionGroup.objects.all())


def vest_group_member():
    from supervision.models import GroupMember

    return _vest(GroupMember.objects.select_related("training__doctor"), "group__office__code")


def vest_group_meeting():
    from supervision.models import GroupMeeting

    return _vest(GroupMeeting.objects.all(), "group__office__code")


def vest_course():
    """The Vest course with the most registrations: the fullest participant list (as the benchmark had)."""
    from courses.models import Course

    return Course.objects.filter(office__code=OFFICE).annotate(n=Count("registrations")).order_by("-n", "pk").first()


def open_course():
    """A published course still open for sign-up, with its days (the public pages)."""
    from courses import rules
    from courses.models import Course

    today = _today()
    for course in Course.objects.published().prefetch_related("gatherings").order_by("pk"):
        days = [g.start for g in course.gatherings.all()]
        if days and rules.signup_open(today=today, deadline=course.signup_deadline, first_day=min(days)):
            return course
    raise AssertionError("no published course open for sign-up in the data")


def vest_gathering():
    from courses.models import Gathering

    return _vest(Gathering.objects.select_related("course"), "course__office__code")


def vest_registration(status: str = "confirmed"):
    from courses.models import Registration

    return _vest(Registration.objects.filter(status=status), "course__office__code")


def completed_registration():
    """A Vest participant who attended every gathering: one with a course certificate."""
    from courses.models import Attendance, Gathering, Registration

    missed = Gathering.objects.filter(course=OuterRef("course")).exclude(
        pk__in=Attendance.objects.filter(registration=OuterRef(OuterRef("pk"))).values("gathering")
    )
    registrations = Registration.objects.filter(status="confirmed", course__office__code=OFFICE)
    row = registrations.annotate(missed=Exists(missed)).filter(missed=False).order_by("pk").first()
    assert row is not None, "no participant has completed a course in the data"
    return row


def vest_instructor():
    from courses.models import Instructor

    return _vest(Instructor.objects.all())


def vest_note():
    """A note on the Vest ALIS of the training page; made if the data has none (seed_demo makes none)."""
    from records.models import Note

    training = vest_training()
    return Note.objects.filter(training=training).first() or Note.objects.create(
        training=training, text="Samtale med ALIS om framdriften."
    )


def vest_document_version():
    """A file of a document on the Vest ALIS of the training page; made if the data has none."""
    from django.core.files.base import ContentFile

    from records.models import Document, DocumentVersion

    training = vest_training()
    version = DocumentVersion.objects.filter(document__training=training).select_related("document").first()
    if version is None:
        document = Document.objects.create(
            training=training, kind=Document.Kind.ALIS_AGREEMENT, title="ALIS-avtale", dated=_today()
        )
        version = DocumentVersion(document=document, number=1, size=9)
        version.file.save("alis-avtale.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return version


def vest_document():
    return vest_document_version().document


def vest_registration_any():
    from courses.models import Registration

    return _vest(Registration.objects.all(), "course__office__code")


def rate_period():
    from grants.models import RatePeriod

    return RatePeriod.objects.select_related("scheme").order_by("-start", "pk").first()


def vest_application():
    from grants.models import GrantApplication

    return _vest(GrantApplication.objects.select_related("municipality"), "municipality__county__office__code")


def vest_line():
    from grants.models import ApplicationLine

    lines = ApplicationLine.objects.select_related("training__doctor")
    return _vest(lines, "application__municipality__county__office__code")


def vest_cost_sheet():
    from grants.models import CostSheet

    return _vest(CostSheet.objects.select_related("training__doctor"), "training__employer__county__office__code")


def vest_inquiry():
    from office.models import Inquiry

    return _vest(Inquiry.objects.all())


def topic():
    from office.models import InquiryTopic

    return InquiryTopic.objects.order_by("pk").first()


def vest_record(model_name: str) -> Callable[[], Any]:
    def find():
        from django.apps import apps

        return _vest(apps.get_model("office", model_name).objects.all())

    return find


def vest_institution():
    from office.models import Institution

    return _vest(Institution.objects.all())


def grant_scheme():
    from grants.models import GrantScheme

    return GrantScheme.objects.order_by("pk").first()


def vest_campaign():
    from survey.models import Campaign

    return _vest(Campaign.objects.all())


def vest_invitation(open_only: bool = False):
    from survey.models import Invitation

    invitations = Invitation.objects.select_related("campaign", "municipality")
    if open_only:
        now = timezone.now()
        invitations = invitations.filter(answered_at=None, revoked_at=None, expires_at__gt=now)
    return _vest(invitations, "campaign__office__code")


def vest_proposal():
    from survey.models import Proposal

    return _vest(Proposal.objects.all(), "invitation__campaign__office__code")


def vest_report_file():
    """A Vest annual report PDF being built; asked for here if the data has none (seed_demo makes none)."""
    from core.generated_files import key_of
    from core.models import GeneratedFile
    from registry.models import Office

    office = Office.objects.get(code=OFFICE)
    key = key_of({"office": office.pk, "year": _last_year(), "fmt": "pdf", "suppressed": False})
    file = GeneratedFile.objects.filter(kind="annual-report", key=key).order_by("pk").first()
    return file or GeneratedFile.objects.create(kind="annual-report", key=key, language="nb", data_version="0")


def vest_invitation_with_proposals():
    """A Vest answer with proposals still to decide: the fullest «accept all» page."""
    from survey.models import Invitation

    invitations = Invitation.objects.select_related("municipality").filter(campaign__office__code=OFFICE)
    pending = Count("proposals", filter=models.Q(proposals__decision="pending"))
    return invitations.annotate(n=pending).order_by("-n", "pk").first()


def vest_import_job():
    """An import job of the Vest office; made if the data has none (seed_demo makes none)."""
    from accounts.models import User
    from dataio.models import ImportJob

    job = ImportJob.objects.filter(office__code=OFFICE).order_by("pk").first()
    if job is None:
        user = User.objects.get(username=USERNAMES["office"])
        job = ImportJob.objects.create(
            office=user.office, kind=ImportJob.Kind.GP_LIST, filename="fastleger.csv", data=b"", created_by=user
        )
    return job


def office_user():
    from accounts.models import User

    return User.objects.get(username=USERNAMES["office"])


def vest_news():
    from website.models import Article

    return Article.objects.filter(office__code=OFFICE, kind="news", status="published").order_by("pk").first()


def national_news():
    from website.models import Article

    return Article.objects.filter(office=None, kind="news", status="published").order_by("pk").first()


def national_page():
    from website.models import Article

    return Article.objects.filter(office=None, kind="page", role="", status="published").order_by("pk").first()


def vest_page():
    from website.models import Article

    return Article.objects.filter(office__code=OFFICE, kind="page", status="published").order_by("pk").first()


def vest_question():
    from website.models import Question

    return Question.objects.filter(office__code=OFFICE).order_by("pk").first()


def vest_revision():
    from website.models import Revision

    return Revision.objects.filter(object_id=vest_news().pk, content_type__model="article").order_by("pk").first()


def national_document():
    from website.models import Document

    return Document.objects.filter(office=None).order_by("pk").first()


def old_document_version():
    from website.models import DocumentVersion

    return DocumentVersion.objects.filter(document=national_document(), is_current=False).order_by("pk").first()


def current_document_version():
    from website.models import DocumentVersion

    return DocumentVersion.objects.filter(document=national_document(), is_current=True).first()


def national_image():
    from website.models import Image

    return Image.objects.filter(office=None).order_by("pk").first()


def vest_contact_person():
    from website.models import ContactPerson

    return ContactPerson.objects.filter(office__code=OFFICE).order_by("pk").first()


def _section(row) -> dict:
    return {"office": row.office.code, "slug": row.slug}


def _file(row) -> dict:
    return {"pk": row.pk, "filename": row.file.name.rsplit("/", 1)[-1]}


def ssb_import():
    """An SSB file in the import history; made if the data has none: Oslo in class 1, as the register has it."""
    from accounts.models import User
    from registry.models import SsbImport

    upload = SsbImport.objects.order_by("pk").first()
    if upload is None:
        data = '"code";"parentCode";"level";"name"\r\n"1";;"1";"Mest sentrale kommuner"\r\n"0301";"1";"2";"Oslo"\r\n'
        upload = SsbImport.objects.create(
            kind=SsbImport.Kind.CENTRALITY,
            filename="klass128.csv",
            data=data.encode(),
            encoding="UTF-8",
            status=SsbImport.Status.NOTHING,
            created_by=User.objects.get(username=USERNAMES["coordinator"]),
        )
    return upload


def vest_task():
    """A task of the Vest office about an ALIS (the rules make them in seed_demo); made if the data has none."""
    from followup.models import Task

    task = Task.objects.filter(office__code=OFFICE, training__isnull=False).order_by("pk").first()
    if task is None:
        training = vest_training()
        task = Task.objects.create(
            office=training.employer.county.office, title="Ring ALIS", due=_today(), training=training
        )
    return task


def vest_task_rule():
    from followup.generate import ensure_rules
    from followup.models import TaskRule

    ensure_rules()
    return TaskRule.objects.select_related("office").get(office__code=OFFICE, kind="hospital")


def vest_notification():
    """An e-mail to the Vest office user about one of the office's tasks; made if the data has none."""
    from accounts.models import User
    from followup.models import Notification

    task = vest_task()
    found = Notification.objects.filter(task=task).order_by("pk").first()
    if found is None:
        user = User.objects.get(username=USERNAMES["office"])
        found = Notification.objects.create(
            kind=Notification.Kind.DUE,
            recipient=user,
            email=user.email or "vest@alis.example",
            task=task,
            key=f"due:{task.pk}:{task.due.isoformat()}",
            subject=f"Frist i dag: {task.title}",
            body=task.title,
        )
    return found


# --- Headings that depend on the row or the user ------------------------------------------------------------


def _office_name(user) -> str | None:
    from training.overview import office_scope

    office = office_scope(user, None) if user is not None and user.is_authenticated else None
    return office.name if office else None


def profile_heading(_row, user) -> str:
    return f"Kontaktinformasjon for {user.office.name}"


def overview_heading(_row, user) -> str:
    name = _office_name(user)
    return f"Oversikt – {name}" if name else "Oversikt – alle regioner"


def pool_heading(_row, user) -> str:
    name = _office_name(user)
    return f"Veilederpool – {name}" if name else "Veilederpool – hele landet"


def municipality_heading(row, _user) -> str:
    return row.name if row.name == row.name_norwegian else f"{row.name} ({row.name_norwegian})"


def _attr(path: str, template: str = "{}") -> Callable[[Any, Any], str]:
    def heading(row, _user) -> str:
        value = row
        for name in path.split("."):
            value = getattr(value, name)
        return template.format(value)

    return heading


def inquiry_stats_heading(_row, user) -> str:
    name = _office_name(user)
    year = _today().year
    return f"Henvendelser i tall {year} – {name}" if name else f"Henvendelser i tall {year}"


def retention_heading(_row, user) -> str:
    name = _office_name(user)
    return f"Stabilitet: ALIS som blir i stillingen – {name}" if name else "Stabilitet: ALIS som blir i stillingen"


def report_heading(_row, _user) -> str:
    return f"Årsrapport {_last_year()} – ALIS-kontor Vest"


def cost_list_heading(_row, _user) -> str:
    from grants.models import CostSheet

    year = CostSheet.objects.order_by("-year").values_list("year", flat=True).first()
    return f"Hva koster en ALIS kommunen? ({year})"


# --- The pages ---------------------------------------------------------------------------------------------

# Statuses in the order of ROLES: office (Vest), other region (Nord), coordinator, reader, admin, anonymous.
EVERYONE = "200 200 200 200 200 200"
SIGNED_IN = "200 200 200 200 200 302"
PERSONAL = "200 200 200 403 200 302"  # lists of personal data: the reader reads aggregates only
ACTION_ACCESS = "405 405 405 405 405 302"  # POST only: a GET is refused
ALL_REDIRECTED = "302 302 302 302 302 302"
ADMIN_ONLY = "403 403 403 403 200 302"
WRITERS = "200 200 200 403 200 302"  # the publishing pages: everyone who writes for the website
NATIONAL_EDITORS = "403 403 200 403 200 302"  # changing the website's national part: the coordinator

PAGES: tuple[Page, ...] = (
    # The site itself
    Page("set_language", "302 302 302 302 302 302", kind=REDIRECT),
    Page("healthz", EVERYONE, kind=FILE),  # «ok» for the load balancer
    # The progress of a file the task worker builds: followed as the page that asks for it (here a Vest report).
    Page("generated_file_status", "200 404 200 200 200 302", kind=PARTIAL, target=vest_report_file),
    Page("admin/login/", EVERYONE.replace("200", "302"), kind=REDIRECT),
    # accounts: sign-in, the account page with two-factor authentication, single sign-on, the security log
    Page("login", "302 302 302 302 302 200", h1="Logg inn i ALIS-oversikt"),
    Page("account_login", "302 302 302 302 302 200", h1="Logg inn i ALIS-oversikt"),
    Page("logout", "200 200 200 200 200 302", "Logg ut"),
    Page("account_logout", "200 200 200 200 200 302", "Logg ut"),
    Page("account", SIGNED_IN, "Min konto"),
    Page("mfa_index", SIGNED_IN, "Min konto"),
    Page("account_change_password", SIGNED_IN, "Endre Passord"),
    Page("account_set_password", ALL_REDIRECTED, kind=REDIRECT),  # only for an account without a password
    Page("account_reauthenticate", SIGNED_IN, "Bekreft at det er deg"),
    Page("account_inactive", EVERYONE, "Inaktiv konto"),
    # The two-factor steps answer only in the middle of their flow (a sign-in, a key being added): else away.
    Page("mfa_authenticate", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_reauthenticate", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_reauthenticate_webauthn", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_activate_totp", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_generate_recovery_codes", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_add_webauthn", ALL_REDIRECTED, kind=REDIRECT),
    Page("mfa_edit_webauthn", ALL_REDIRECTED, kind=REDIRECT, kwargs=lambda row: {"pk": 1}),
    Page("mfa_remove_webauthn", ALL_REDIRECTED, kind=REDIRECT, kwargs=lambda row: {"pk": 1}),
    # Pages of an authenticator the demo users have not set up: not found until they do.
    Page("mfa_deactivate_totp", "404 404 404 404 404 302", "Deaktiver autentiseringsapp"),
    Page("mfa_view_recovery_codes", "404 404 404 404 404 302", "Gjenopprettingskoder"),
    Page("mfa_download_recovery_codes", "404 404 404 404 404 302", kind=FILE),
    Page("mfa_list_webauthn", SIGNED_IN, "Sikkerhetsnøkler og passnøkler"),
    Page("socialaccount_connections", SIGNED_IN, "Kontotilkoblinger"),
    Page("socialaccount_login_cancelled", EVERYONE, "Innlogging kansellert"),
    Page("socialaccount_login_error", "401 401 401 401 401 302", "Innlogging mislyktes"),
    Page("socialaccount_signup", ALL_REDIRECTED, kind=REDIRECT),
    # No identity provider is set up in the tests (DJANGO_OIDC_*): the single sign-on addresses are not found.
    Page(
        "openid_connect_login",
        "404 404 404 404 404 404",
        kind=REDIRECT,
        kwargs=lambda row: {"provider_id": "entra"},
    ),
    Page(
        "openid_connect_callback",
        "404 404 404 404 404 404",
        kind=REDIRECT,
        kwargs=lambda row: {"provider_id": "entra"},
    ),
    Page("auth_event_list", "403 403 403 403 200 302", "Sikkerhetslogg"),
    # The API's personal tokens (the API itself is not a set of pages: see NOT_PAGES)
    Page("api:token_list", SIGNED_IN, "API-nøkler"),
    Page("api:token_revoke", ACTION_ACCESS, kind=ACTION, kwargs=lambda row: {"pk": 1}),
    # registry
    Page("registry:municipality_list", SIGNED_IN, "Kommuner", bench=("vest", "koordinator"), name="Kommuner"),
    Page(
        "registry:municipality_detail",
        SIGNED_IN,
        municipality_heading,
        target=bergen,
        bench=("vest",),
        name="Kommune: Bergen",
    ),
    Page("registry:municipality_edit", "200 403 200 403 200 302", "Endre kommune", target=bergen),
    Page("registry:centrality_edit", "403 403 200 403 200 302", "Sentralitet for Bergen", target=bergen),
    Page(
        "registry:registration_add",
        "200 403 403 403 200 302",
        "Ny registreringsstatus for Bergen",
        target=bergen,
    ),
    Page(
        "registry:contacts_message", "200 200 403 403 200 302", "E-post til utdanningsansvarlige", query="?alle=1"
    ),
    Page("registry:contact_create", "200 403 403 403 200 302", "Ny kontaktperson i Bergen", target=bergen),
    Page("registry:contact_edit", "200 404 403 404 200 302", "Endre kontaktperson", target=vest_contact),
    Page("registry:gp_office_list", SIGNED_IN, "Legekontorer", bench=("vest", "koordinator"), name="Legekontorer"),
    Page("registry:gp_office_create", "200 200 403 403 200 302", "Nytt legekontor"),
    Page("registry:gp_office_detail", SIGNED_IN, _attr("name"), target=vest_gp_office),
    Page("registry:gp_office_edit", "200 403 403 403 200 302", "Endre legekontor", target=vest_gp_office),
    Page("registry:doctor_list", PERSONAL, "Leger", bench=("vest", "koordinator"), name="Leger"),
    Page("registry:doctor_create", "200 200 403 403 200 302", "Ny lege"),
    Page(
        "registry:doctor_detail",
        "200 404 200 404 200 302",
        _attr("full_name"),
        target=vest_doctor,
        bench=("vest",),
        name="Lege i Bergen",
    ),
    Page("registry:doctor_edit", "200 404 403 404 200 302", "Endre lege", target=vest_doctor),
    Page("registry:health_trust_list", SIGNED_IN, "Helseforetak"),
    Page("registry:health_trust_create", "403 403 200 403 200 302", "Nytt helseforetak"),
    Page("registry:health_trust_edit", "403 403 200 403 200 302", "Endre helseforetak", target=health_trust),
    Page("registry:county_list", SIGNED_IN, "Fylker og ALIS-kontorer"),
    Page(
        "registry:county_edit",
        "403 403 200 403 200 302",
        "Hvilket ALIS-kontor dekker Vestland?",
        target=vestland,
    ),
    Page("registry:ssb_import_list", PERSONAL, "Importer fra SSB"),
    Page("registry:ssb_upload", "403 403 200 403 200 302", "Last opp fil fra SSB"),
    Page("registry:ssb_import_detail", PERSONAL, lambda row, user: row.get_kind_display(), target=ssb_import),
    Page("registry:ssb_import_confirm", ACTION_ACCESS, kind=ACTION, target=ssb_import),
    Page("registry:municipality_search", EVERYONE, kind=OPTIONS, query="?q=berg"),
    Page("registry:gp_office_search", SIGNED_IN, kind=OPTIONS, query="?q=lege"),
    Page("registry:doctor_search", PERSONAL, kind=OPTIONS, query="?q=a"),
    # training
    Page(
        "training:overview",
        SIGNED_IN,
        overview_heading,
        bench=("vest", "koordinator"),
        name="Oversikt",
    ),
    Page("training:list", PERSONAL, "ALIS og utdanningsløp", bench=("vest", "koordinator"), name="ALIS-liste"),
    Page(
        "training:create",
        "200 404 403 403 200 302",
        _attr("doctor.full_name", "Nytt utdanningsløp for {}"),
        target=vest_training,
        kwargs=lambda row: {},
        query=lambda row: f"?lege={row.doctor_id}",
    ),
    Page(
        "training:detail",
        "200 404 200 404 200 302",
        _attr("doctor.full_name"),
        target=vest_training,
        bench=("vest",),
        name="Utdanningsløp (flest perioder)",
    ),
    Page("training:edit", "200 404 403 404 200 302", "Endre utdanningsløp", target=vest_training),
    Page("training:period_create", "200 404 403 404 200 302", "Ny tjenesteperiode", target=vest_training),
    Page("training:period_edit", "200 404 403 404 200 302", "Endre tjenesteperiode", target=vest_period),
    Page("training:period_delete", "200 404 403 404 200 302", "Slette tjenesteperioden?", target=vest_period),
    Page("training:assignment_create", "200 404 403 404 200 302", "Ny veileder", target=vest_training),
    Page("training:assignment_edit", "200 404 403 404 200 302", "Endre veilederoppnevning", target=vest_assignment),
    Page(
        "training:assignment_delete",
        "200 404 403 404 200 302",
        "Slette veilederoppnevningen?",
        target=vest_assignment,
    ),
    Page("training:shift_create", "200 404 403 404 200 302", "Registrer legevakter", target=vest_training),
    Page("training:shift_edit", "200 404 403 404 200 302", "Endre registrering av legevakter", target=vest_shift),
    Page("training:shift_delete", "200 404 403 404 200 302", "Slette registreringen av legevakter?", target=vest_shift),
    Page(
        "training:old_scheme",
        PERSONAL,
        "Gammel ordning – frist 31.12.2026",  # the old scheme's deadline (training/rules.py)
        bench=("vest", "koordinator"),
        name="Gammel ordning – frist",
    ),
    Page(
        "training:outcome_edit",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Utfall av gammel ordning for {}"),
        target=vest_old_scheme_training,
    ),
    Page("training:outcome_delete", "200 404 403 404 200 302", "Slette utfallet?", target=vest_outcome_training),
    Page("training:municipality_panel", PERSONAL, kind=PARTIAL, target=bergen),
    Page("training:doctor_panel", "200 404 200 404 200 302", kind=PARTIAL, target=vest_doctor),
    # supervision
    Page(
        "supervision:pool",
        SIGNED_IN,
        pool_heading,
        bench=("vest", "koordinator"),
        name="Veiledning: veilederpool",
    ),
    Page("supervision:profile_list", PERSONAL, "Veiledere", bench=("vest", "koordinator"), name="Veiledere"),
    Page("supervision:profile_create", "200 200 403 403 200 302", "Legg til veileder i poolen"),
    Page(
        "supervision:profile_edit",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Veilederprofil for {}"),
        target=vest_profile,
        kwargs=lambda row: {"doctor_pk": row.doctor_id},
    ),
    Page("supervision:candidate_search", PERSONAL, kind=OPTIONS, query="?q=a"),
    Page("supervision:supervisor_search", PERSONAL, kind=OPTIONS, query="?q=a"),
    Page(
        "supervision:proposals",
        "200 404 200 404 200 302",
        "Forslag til veileder",
        target=vest_training_without_supervisor,
        bench=("vest",),
        name="Veilederforslag for én ALIS",
    ),
    Page("supervision:proposal_confirm", ACTION_ACCESS, kind=ACTION, target=vest_training_without_supervisor),
    Page(
        "supervision:region_proposal",
        # Office staff always get their own region's proposal, whatever the address asks for.
        PERSONAL,
        lambda _row, user: f"Forslag til veiledere – {_office_name(user) or 'ALIS-kontor Vest'}",
        query="?office=vest",
        bench=("vest", "koordinator"),
        name="Veilederforslag for hele regionen",
    ),
    Page(
        "supervision:session_list",
        "200 404 200 404 200 302",
        "Veiledning",
        target=vest_with_most_sessions,
        bench=("vest",),
        name="Veiledningstimer (flest timer)",
    ),
    Page("supervision:session_create", "200 404 403 404 200 302", "Ny veiledningstime", target=vest_training),
    Page("supervision:session_edit", "200 404 403 404 200 302", "Endre veiledningstime", target=vest_session),
    Page("supervision:link_create", ACTION_ACCESS, kind=ACTION, target=vest_training),
    Page(
        "supervision:link_revoke",
        "200 404 403 404 200 302",
        _attr("supervisor.full_name", "Trekk tilbake lenken til {}"),
        target=vest_supervisor_link,
    ),
    Page(
        "supervision:compliance",
        PERSONAL,
        "Oppfølging av veiledning",
        bench=("vest", "koordinator"),
        name="Oppfølging av veiledning",
    ),
    Page(
        "supervision:link_page",
        EVERYONE,
        _attr("supervisor.full_name", "Veiledningstimer – {}"),
        target=vest_supervisor_link,
        kwargs=supervisor_link_token,
    ),
    Page(
        "supervision:profile_links_send",
        "200 200 403 403 200 302",
        "Send personlig lenke til veiledere",
        query="?alle=1",
    ),
    Page(
        "supervision:group_list",
        PERSONAL,
        "Veiledningsgrupper",
        bench=("vest", "koordinator"),
        name="Veiledningsgrupper",
    ),
    Page("supervision:group_create", "200 200 403 403 403 302", "Ny veiledningsgruppe"),
    Page(
        "supervision:group_detail",
        "200 404 200 404 200 302",
        _attr("name"),
        target=vest_group,
        bench=("vest",),
        name="Veiledningsgruppe",
    ),
    Page("supervision:group_edit", "200 404 403 404 200 302", "Endre veiledningsgruppe", target=vest_group),
    Page(
        "supervision:group_candidate_search", "200 404 200 404 200 302", kind=OPTIONS, target=vest_group, query="?q=a"
    ),
    Page("supervision:member_add", "200 404 403 404 200 302", _attr("name", "Nytt medlem i {}"), target=vest_group),
    Page(
        "supervision:member_edit",
        "200 404 403 404 200 302",
        _attr("training.doctor.full_name", "Endre medlemskap for {}"),
        target=vest_group_member,
    ),
    Page(
        "supervision:member_delete",
        "200 404 403 404 200 302",
        _attr("training.doctor.full_name", "Fjerne {} fra gruppen?"),
        target=vest_group_member,
    ),
    Page("supervision:meeting_create", "200 404 403 404 200 302", _attr("name", "Nytt møte i {}"), target=vest_group),
    Page("supervision:meeting_edit", "200 404 403 404 200 302", "Endre gruppemøte", target=vest_group_meeting),
    Page("supervision:meeting_delete", "200 404 403 404 200 302", "Slette gruppemøtet?", target=vest_group_meeting),
    # courses
    Page("courses:calendar", EVERYONE, "Kurs for veiledere", bench=("vest",), name="Kurskalender (offentlig)"),
    Page("courses:ical", EVERYONE, kind=FILE),
    Page("courses:signup", EVERYONE, _attr("title", "Påmelding: {}"), target=open_course),
    Page("courses:signup_done", EVERYONE, "Påmelding mottatt", target=open_course),
    Page(
        "courses:cancel",
        EVERYONE,
        _attr("course.title", "Avmelding: {}"),
        target=vest_registration,
        kwargs=lambda row: {"token": row.cancel_token},
    ),
    Page("courses:list", PERSONAL, "Kurs for veiledere", bench=("vest", "koordinator"), name="Kurs"),
    Page("courses:create", "200 200 403 403 403 302", "Nytt kurs"),
    Page("courses:detail", "200 404 200 403 200 302", _attr("title"), target=vest_course),
    Page("courses:edit", "200 404 403 404 200 302", "Endre kurs", target=vest_course),
    Page("courses:gathering_create", "200 404 403 404 200 302", "Ny samling", target=vest_course),
    Page("courses:gathering_edit", "200 404 403 404 200 302", "Endre samling", target=vest_gathering),
    Page("courses:gathering_delete", "200 404 403 404 200 302", "Slette samlingen?", target=vest_gathering),
    Page(
        "courses:participants",
        "200 404 200 403 200 302",
        "Deltakere og oppmøte",
        target=vest_course,
        bench=("vest",),
        name="Kurs: deltakere og oppmøte (flest påmeldte)",
    ),
    Page(
        "courses:attendance",
        ACTION_ACCESS,
        kind=ACTION,
        target=vest_registration,
        kwargs=lambda row: {"pk": row.pk, "gathering": row.course.gatherings.first().pk},
    ),
    Page(
        "courses:participant_cancel",
        "200 404 403 403 200 302",
        _attr("name", "Melde av {}?"),
        target=vest_registration,
    ),
    Page("courses:certificate", "200 404 200 403 200 302", kind=FILE, target=completed_registration),
    Page("courses:instructors", PERSONAL, "Kursholdere"),
    Page("courses:instructor_create", "200 200 403 403 403 302", "Ny kursholder"),
    Page("courses:instructor_edit", "200 404 403 404 200 302", "Endre kursholder", target=vest_instructor),
    Page(
        "courses:statistics",
        SIGNED_IN,
        "Kursstatistikk for årsrapporten",
        bench=("vest", "koordinator"),
        name="Kursstatistikk",
    ),
    # records: notes, documents and the education plan kept on a record, and the search across everything
    Page("records:search", SIGNED_IN, "Søk", query="?q=berg", bench=("vest", "koordinator"), name="Søk"),
    Page("records:open_participant", "302 404 302 403 302 302", kind=REDIRECT, target=vest_registration_any),
    Page(
        "records:subject",
        "200 404 200 404 200 302",
        _attr("doctor.full_name", "Notater og dokumenter om {}"),
        target=vest_training,
        kwargs=lambda row: {"kind": "alis", "pk": row.pk},
    ),
    Page(
        "records:note_create",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Nytt notat om {}"),
        target=vest_training,
        kwargs=lambda row: {"kind": "alis", "pk": row.pk},
    ),
    Page("records:note_edit", "200 404 403 404 200 302", "Endre notat", target=vest_note),
    Page("records:note_delete", "200 404 403 404 200 302", "Slette notatet?", target=vest_note),
    Page(
        "records:document_create",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Nytt dokument om {}"),
        target=vest_training,
        kwargs=lambda row: {"kind": "alis", "pk": row.pk},
    ),
    Page("records:document_edit", "200 404 403 404 200 302", "Endre dokument", target=vest_document),
    Page(
        "records:version_create", "200 404 403 404 200 302", _attr("title", "Ny versjon av «{}»"), target=vest_document
    ),
    Page("records:document_file", "200 404 200 404 200 302", kind=FILE, target=vest_document_version, kwargs=_file),
    Page(
        "records:plan_edit",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Utdanningsplan og framdrift for {}"),
        target=vest_training,
    ),
    Page(
        "records:plan_list",
        PERSONAL,
        "Utdanningsplaner og framdrift",
        bench=("vest", "koordinator"),
        name="Utdanningsplaner",
    ),
    # grants
    Page("grants:index", SIGNED_IN, "Tilskudd", bench=("vest",), name="Tilskudd"),
    Page(
        "grants:period_create",
        "403 403 200 403 200 302",
        "Ny satsperiode",
        target=rate_period,
        kwargs=lambda row: {},
    ),
    Page("grants:period_detail", SIGNED_IN, lambda row, _user: f"Satsperiode {row}", target=rate_period),
    Page(
        "grants:period_edit",
        "403 403 200 403 200 302",
        lambda row, _user: f"Endre satsperiode {row}",
        target=rate_period,
    ),
    Page(
        "grants:period_delete",
        "403 403 200 403 200 302",
        lambda row, _user: f"Slette satsperioden {row}?",
        target=rate_period,
    ),
    Page("grants:scheme_edit", "403 403 200 403 200 302", "Endre tilskuddsordningen", target=grant_scheme),
    Page("grants:period_load", ACTION_ACCESS, kind=ACTION),
    Page("grants:calculator", SIGNED_IN, "Tilskuddskalkulator"),
    Page(
        "grants:summary",
        SIGNED_IN,
        "Søknader per kontor og periode",
        bench=("vest", "koordinator"),
        name="Tilskudd: oversikt",
    ),
    Page(
        "grants:application_list",
        PERSONAL,
        "Tilskuddssøknader",
        bench=("vest", "koordinator"),
        name="Tilskuddssøknader",
    ),
    Page("grants:application_create", "200 200 403 403 200 302", "Ny tilskuddssøknad"),
    Page(
        "grants:not_applied",
        PERSONAL,
        "Penger som ligger igjen",
        bench=("vest", "koordinator"),
        name="Tilskudd: ALIS det ikke er søkt for",
    ),
    Page(
        "grants:application_detail",
        "200 404 200 404 200 302",
        _attr("municipality.name", "Søknad fra {}"),
        target=vest_application,
    ),
    Page(
        "grants:application_edit",
        "200 404 403 404 200 302",
        "Status og frister for søknaden",
        target=vest_application,
    ),
    Page(
        "grants:application_delete",
        "200 404 403 404 200 302",
        _attr("municipality.name", "Slette søknaden fra {}?"),
        target=vest_application,
    ),
    Page("grants:line_create", "200 404 403 404 200 302", "Legg til ALIS i søknaden", target=vest_application),
    Page("grants:line_alis_search", "200 404 403 404 200 302", kind=OPTIONS, target=vest_application, query="?q=a"),
    Page(
        "grants:line_edit",
        "200 404 403 404 200 302",
        _attr("training.doctor.full_name", "Søknadslinje for {}"),
        target=vest_line,
    ),
    Page(
        "grants:line_delete",
        "200 404 403 404 200 302",
        _attr("training.doctor.full_name", "Ta {} ut av søknaden?"),
        target=vest_line,
    ),
    Page(
        "grants:profile_edit",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Tilskuddsopplysninger for {}"),
        target=vest_training,
    ),
    Page("grants:cost_list", PERSONAL, cost_list_heading, bench=("koordinator",), name="Kostnadsark"),
    Page(
        "grants:cost_create",
        "200 404 403 404 200 302",
        _attr("doctor.full_name", "Nytt kostnadsark for {}"),
        target=vest_training,
        kwargs=lambda row: {},
        query=lambda row: f"?alis={row.pk}",
    ),
    Page(
        "grants:cost_detail",
        "200 404 200 404 200 302",
        lambda row, _user: f"{row.training.doctor.full_name}: kostnader {row.year}",
        target=vest_cost_sheet,
    ),
    Page("grants:cost_edit", "200 404 403 404 200 302", _attr("year", "Endre kostnadsark {}"), target=vest_cost_sheet),
    Page(
        "grants:cost_delete",
        "200 404 403 404 200 302",
        lambda row, _user: f"Slette kostnadsarket for {row.training.doctor.full_name}, {row.year}?",
        target=vest_cost_sheet,
    ),
    # office
    Page("office:inquiry_list", PERSONAL, "Henvendelser", bench=("vest", "koordinator"), name="Henvendelser"),
    Page("office:inquiry_create", "200 200 403 403 403 302", "Ny henvendelse"),
    Page("office:inquiry_edit", "200 404 403 404 200 302", "Endre henvendelse", target=vest_inquiry),
    Page(
        "office:inquiry_delete",
        "200 404 403 404 200 302",
        lambda row, _user: f"Slette henvendelsen fra {row.date:%d.%m.%Y}?",
        target=vest_inquiry,
    ),
    Page("office:inquiry_stats", PERSONAL, inquiry_stats_heading, bench=("vest",), name="Henvendelser i tall"),
    Page("office:topic_list", "403 403 200 403 200 302", "Emner for henvendelser"),
    Page("office:topic_create", "403 403 200 403 200 302", "Nytt emne"),
    Page("office:topic_edit", "403 403 200 403 200 302", "Endre emne", target=topic),
    Page("office:activity_list", PERSONAL, "Utadrettede aktiviteter", bench=("vest",), name="Aktiviteter"),
    Page("office:activity_create", "200 200 403 403 403 302", "Ny aktivitet"),
    Page("office:activity_edit", "200 404 403 404 200 302", "Endre aktivitet", target=vest_record("activity")),
    Page(
        "office:activity_delete",
        "200 404 403 404 200 302",
        _attr("theme", "Slette aktiviteten «{}»?"),
        target=vest_record("activity"),
    ),
    Page("office:partner_list", PERSONAL, "Samarbeidspartnere", bench=("vest",), name="Samarbeidspartnere"),
    Page("office:partner_create", "200 200 403 403 403 302", "Ny samarbeidspartner"),
    Page("office:partner_edit", "200 404 403 404 200 302", "Endre samarbeidspartner", target=vest_record("partner")),
    Page(
        "office:partner_delete",
        "200 404 403 404 200 302",
        _attr("name", "Slette samarbeidspartneren {}?"),
        target=vest_record("partner"),
    ),
    Page("office:staff_list", PERSONAL, "Ansatte ved kontoret", bench=("vest",), name="Ansatte"),
    Page("office:staff_create", "200 200 403 403 403 302", "Ny ansatt"),
    Page("office:staff_edit", "200 404 403 404 200 302", "Endre ansatt", target=vest_record("staffmember")),
    Page(
        "office:staff_delete",
        "200 404 403 404 200 302",
        _attr("name", "Slette {} fra de ansatte?"),
        target=vest_record("staffmember"),
    ),
    Page("office:institution_list", PERSONAL, "Andre virksomheter i samfunnsmedisin"),
    Page("office:institution_create", "200 200 403 403 403 302", "Ny utdanningsvirksomhet (samfunnsmedisin)"),
    Page("office:institution_edit", "200 404 403 404 200 302", "Endre virksomhet", target=vest_institution),
    Page(
        "office:institution_delete",
        "200 404 403 404 200 302",
        _attr("name", "Slette virksomheten {}?"),
        target=vest_institution,
    ),
    Page(
        "office:institution_registration_add",
        "200 404 403 404 200 302",
        _attr("name", "Ny registreringsstatus for {}"),
        target=vest_institution,
    ),
    Page(
        "office:report_texts",
        "200 404 403 403 200 302",
        lambda _row, _user: f"Tekstene i årsrapporten {_last_year()}",
        kwargs=lambda row: {"code": OFFICE, "year": _last_year()},
    ),
    Page(
        "office:retention",
        SIGNED_IN,
        retention_heading,
        bench=("koordinator",),
        name="Stabilitet (Kaplan–Meier)",
    ),
    Page("office:report_index", "302 302 200 200 200 302", "Årsrapport til Helsedirektoratet"),
    Page(
        "office:report",
        "200 404 200 200 200 302",
        report_heading,
        kwargs=lambda row: {"code": OFFICE, "year": _last_year()},
        bench=("vest",),
        name="Årsrapport Vest",
    ),
    Page(
        "office:report_download",
        "200 404 200 200 200 302",
        kind=FILE,
        kwargs=lambda row: {"code": OFFICE, "year": _last_year(), "fmt": "xlsx"},
    ),
    Page(
        "office:report_national",
        "403 403 200 200 200 302",
        lambda _row, _user: f"Årsrapport {_last_year()} – Alle ALIS-kontorer",
        kwargs=lambda row: {"year": _last_year()},
        bench=("koordinator",),
        name="Årsrapport, alle kontorer side om side",
    ),
    Page(
        "office:report_national_download",
        "403 403 200 200 200 302",
        kind=FILE,
        kwargs=lambda row: {"year": _last_year(), "fmt": "xlsx"},
    ),
    # survey
    Page("survey:campaign_list", PERSONAL, "Kartlegging", bench=("vest",), name="Kartlegging: kampanjer"),
    Page("survey:campaign_create", "200 200 403 403 403 302", "Start ny kartlegging"),
    Page("survey:campaign_detail", "200 404 200 403 200 302", _attr("title"), target=vest_campaign),
    Page(
        "survey:invitation_detail",
        "200 404 200 403 200 302",
        _attr("municipality.name", "Svar fra {}"),
        target=vest_invitation,
    ),
    Page(
        "survey:invitation_accept_all",
        "200 404 403 403 200 302",
        "Godta alle forslag uten konflikt",
        target=vest_invitation_with_proposals,
    ),
    Page(
        "survey:invitation_remind",
        "200 404 403 403 200 302",
        _attr("municipality.name", "Send påminnelse til {}?"),
        target=vest_invitation,
    ),
    Page(
        "survey:invitation_revoke",
        "200 404 403 403 200 302",
        _attr("municipality.name", "Trekke tilbake lenken til {}?"),
        target=vest_invitation,
    ),
    Page(
        "survey:invitation_reject_all",
        "200 404 403 403 200 302",
        _attr("municipality.name", "Avvise alle forslag fra {}?"),
        target=vest_invitation,
    ),
    Page("survey:proposal_decide", ACTION_ACCESS, kind=ACTION, target=vest_proposal),
    Page(
        "survey:municipality_status",
        PERSONAL,
        "Når kommunene sist bekreftet opplysningene",
        bench=("vest", "koordinator"),
        name="Kartlegging: kommuner",
    ),
    Page("survey:municipality_panel", "200 404 200 403 200 302", kind=PARTIAL, target=bergen),
    Page(
        "survey:answer",
        EVERYONE,
        lambda row, _user: f"{row.campaign.title}: {row.municipality.name}",
        target=lambda: vest_invitation(open_only=True),
        kwargs=lambda row: {"token": row.token},
    ),
    Page(
        "survey:answer_section",
        EVERYONE,
        "Kontaktpersoner",
        target=lambda: vest_invitation(open_only=True),
        kwargs=lambda row: {"token": row.token, "key": "kontaktpersoner"},
    ),
    Page(
        "survey:answer_check",
        EVERYONE,
        "Sjekk svarene dine",
        target=lambda: vest_invitation(open_only=True),
        kwargs=lambda row: {"token": row.token},
    ),
    # website: the public site (the national part and a section per office)
    Page("website:home", EVERYONE, "ALIS-kontorene", bench=("vest",), name="Nettstedet: forside"),
    Page("website:news", EVERYONE, "Nyheter"),
    Page("website:feed_rss", EVERYONE, kind=FILE),
    Page("website:feed_atom", EVERYONE, kind=FILE),
    Page("website:news_detail", EVERYONE, _attr("title"), target=national_news, kwargs=lambda r: {"slug": r.slug}),
    Page("website:page_detail", EVERYONE, _attr("title"), target=national_page, kwargs=lambda r: {"slug": r.slug}),
    Page("website:about", EVERYONE, "Om ALIS og ALIS-kontorene"),
    Page("website:privacy", EVERYONE, "Personvernerklæring"),  # a draft in the demo: «not published yet»
    Page("website:accessibility", EVERYONE, "Tilgjengelighetserklæring"),
    Page("website:questions", EVERYONE, "Spørsmål og svar", bench=("vest",), name="Nettstedet: spørsmål og svar"),
    Page("website:documents", EVERYONE, "Maler", bench=("vest",), name="Nettstedet: maler"),
    Page("website:document_detail", EVERYONE, _attr("title"), target=national_document),
    Page("website:document_file", EVERYONE, kind=FILE, target=current_document_version, kwargs=_file),
    Page("website:image", EVERYONE, kind=FILE, target=national_image, kwargs=_file),
    Page("website:language", ALL_REDIRECTED, kind=REDIRECT, kwargs=lambda r: {"code": "nb"}),
    Page("website:sitemap", EVERYONE, kind=FILE),
    Page("website:office_home", EVERYONE, "ALIS-kontor Vest", kwargs=lambda r: {"office": OFFICE}),
    Page("website:office_contact", EVERYONE, "Kontakt ALIS-kontor Vest", kwargs=lambda r: {"office": OFFICE}),
    Page("website:office_news", EVERYONE, "Nyheter fra ALIS-kontor Vest", kwargs=lambda r: {"office": OFFICE}),
    Page("website:office_feed_rss", EVERYONE, kind=FILE, kwargs=lambda r: {"office": OFFICE}),
    Page("website:office_feed_atom", EVERYONE, kind=FILE, kwargs=lambda r: {"office": OFFICE}),
    Page("website:office_news_detail", EVERYONE, _attr("title"), target=vest_news, kwargs=_section),
    Page("website:office_page_detail", EVERYONE, _attr("title"), target=vest_page, kwargs=_section),
    Page("alis/oversikt/", "301 301 301 301 301 302", kind=REDIRECT),  # the overview's old address
    # website: the offices' publishing (office staff their section, the coordinator the national part)
    Page("publishing:index", WRITERS, "Nettsted"),
    Page("publishing:news_list", WRITERS, "Nyheter", bench=("vest",), name="Nettsted: nyheter"),
    Page("publishing:page_list", WRITERS, "Sider"),
    Page("publishing:news_create", WRITERS, "Ny nyhet"),
    Page("publishing:page_create", WRITERS, "Ny side"),
    Page("publishing:article_edit", "200 404 403 403 200 302", "Endre nyhet", target=vest_news),
    Page("publishing:article_preview", "200 404 200 403 200 302", _attr("title"), target=vest_news),
    Page("publishing:article_revisions", "200 404 200 403 200 302", "Versjoner", target=vest_news),
    Page("publishing:article_delete", "200 404 403 403 200 302", _attr("title", "Slette «{}»?"), target=vest_news),
    Page(
        "publishing:revision_restore",
        "200 404 403 403 200 302",
        _attr("number", "Gjenopprette versjon {}?"),
        target=vest_revision,
    ),
    Page("publishing:question_list", WRITERS, "Spørsmål og svar"),
    Page("publishing:question_create", WRITERS, "Nytt spørsmål og svar"),
    Page("publishing:inquiry_pick", "200 200 403 403 403 302", "Velg en henvendelse"),
    Page("publishing:question_from_inquiry", "200 404 403 403 403 302", "Nytt spørsmål og svar", target=vest_inquiry),
    Page("publishing:question_edit", "200 404 403 403 200 302", "Endre spørsmål og svar", target=vest_question),
    Page("publishing:question_revisions", "200 404 200 403 200 302", "Versjoner", target=vest_question),
    Page("publishing:question_delete", "200 404 403 403 200 302", "Slette spørsmålet?", target=vest_question),
    Page("publishing:document_list", WRITERS, "Maler"),
    Page("publishing:document_create", WRITERS, "Ny mal"),
    Page("publishing:document", WRITERS, _attr("title"), target=national_document),
    Page("publishing:document_edit", NATIONAL_EDITORS, "Endre mal", target=national_document),
    Page("publishing:document_delete", NATIONAL_EDITORS, "Slette malen?", target=national_document),
    Page("publishing:version_create", NATIONAL_EDITORS, "Last opp fil", target=national_document),
    Page(
        "publishing:version_make_current",
        NATIONAL_EDITORS,
        _attr("label", "Gjøre «{}» gjeldende?"),
        target=old_document_version,
    ),
    Page("publishing:image_list", WRITERS, "Bilder"),
    Page("publishing:image_create", WRITERS, "Last opp bilde"),
    Page("publishing:image_edit", NATIONAL_EDITORS, "Endre bilde", target=national_image),
    Page("publishing:image_delete", NATIONAL_EDITORS, "Slette bildet?", target=national_image),
    Page("publishing:profile", "200 200 403 403 403 302", profile_heading),
    Page("publishing:person_create", "200 200 403 403 403 302", "Ny kontaktperson"),
    Page("publishing:person_edit", "200 404 403 403 200 302", "Endre kontaktperson", target=vest_contact_person),
    Page(
        "publishing:person_delete",
        "200 404 403 403 200 302",
        _attr("name", "Fjerne {} fra nettstedet?"),
        target=vest_contact_person,
    ),
    # dataio
    Page("dataio:index", SIGNED_IN, "Import og eksport", bench=("vest",), name="Import: jobber"),
    Page("dataio:gp_list_upload", "200 200 403 403 403 302", "Importer fastlegeliste"),
    Page("dataio:alis_list_upload", "200 200 403 403 403 302", "Importer ALIS-liste"),
    Page("dataio:alis_template", SIGNED_IN, kind=FILE, kwargs=lambda row: {"fmt": "xlsx"}),
    Page("dataio:session_upload", "200 200 403 403 403 302", "Importer veiledningstimer"),
    Page(
        "dataio:job_detail",
        # Import jobs are the importing office's (and the administrator's): the coordinator sees none.
        "200 404 404 404 200 302",
        "Fastlegeliste",
        target=vest_import_job,
    ),
    Page("dataio:job_confirm", ACTION_ACCESS, kind=ACTION, target=vest_import_job),
    # privacy: the administrator's read log, and a doctor's rights as data subject
    Page("privacy:read_list", ADMIN_ONLY, "Lesingslogg"),
    Page(
        "privacy:user_reads",
        ADMIN_ONLY,
        lambda row, _user: f"Lest av {row.get_full_name() or row.username}",
        target=office_user,
    ),
    Page("privacy:doctor", ADMIN_ONLY, _attr("full_name"), target=vest_doctor),
    Page("privacy:doctor_reads", ADMIN_ONLY, _attr("full_name", "Hvem har lest om {}"), target=vest_doctor),
    Page(
        "privacy:doctor_export",
        ADMIN_ONLY,
        kind=FILE,
        target=vest_doctor,
        kwargs=lambda row: {"pk": row.pk, "fmt": "json"},
    ),
    Page("privacy:doctor_anonymise", ADMIN_ONLY, _attr("full_name", "Anonymisere {}?"), target=vest_doctor),
    Page("dataio:job_cancel", "200 404 404 404 200 302", "Avbryte importen?", target=vest_import_job),
    # followup: the start page's panels, the office's tasks and the rules that make them, e-mail notifications
    Page(
        "followup:attention_panel",
        PERSONAL,
        kind=PARTIAL,
        query="?office=vest",
        bench=("vest", "koordinator"),
        name="Oversikt: til oppfølging",
    ),
    Page(
        "followup:map_panel",
        SIGNED_IN,
        kind=PARTIAL,
        query="?office=vest",
        bench=("vest", "koordinator"),
        name="Oversikt: kart over regionen",
    ),
    Page(
        "followup:record_panel",
        "200 404 200 403 200 302",
        kind=PARTIAL,
        target=vest_training,
        kwargs=lambda row: {"kind": "alis", "pk": row.pk},
    ),
    Page("followup:my_tasks", PERSONAL, "Mine oppgaver", bench=("vest",), name="Mine oppgaver"),
    Page("followup:task_list", PERSONAL, "Kontorets oppgaver", bench=("vest", "koordinator"), name="Oppgaver"),
    Page("followup:task_create", "200 200 403 403 403 302", "Ny oppgave"),
    Page("followup:task_edit", "200 404 403 404 200 302", "Endre oppgave", target=vest_task),
    Page("followup:task_done", ACTION_ACCESS, kind=ACTION, target=vest_task),
    Page("followup:task_reopen", ACTION_ACCESS, kind=ACTION, target=vest_task),
    Page("followup:rule_list", PERSONAL, "Regler for oppgaver"),
    Page(
        "followup:rule_edit",
        "200 404 403 404 200 302",
        lambda row, _user: f"Regel: {row.get_kind_display()}",
        target=vest_task_rule,
    ),
    Page("followup:notification_list", SIGNED_IN, "Varsler"),
    Page("followup:setting_edit", SIGNED_IN, "Varslinger på e-post"),
    Page(
        "followup:notification_open",
        "302 404 302 404 302 302",
        kind=REDIRECT,
        target=vest_notification,
        kwargs=lambda row: {"token": row.token},
    ),
)

# The benchmark also measures these pages with a query, and the API's main lists (asked with each user's
# own token): (its label, URL name, query, demo users).
BENCH_VARIANTS = (
    ("API: ALIS", "api-v1:training_list", "", ("vest",)),
    ("API: ALIS", "api-v1:training_list", "?page_size=100", ("koordinator",)),
    ("API: leger", "api-v1:doctor_list", "?page_size=100", ("vest",)),
    ("API: kommuner", "api-v1:municipality_list", "?office=&page_size=100", ("koordinator",)),
    ("API: veiledningstimer", "api-v1:session_list", "?page_size=100", ("vest",)),
    ("API: veilederpool", "api-v1:profile_list", "", ("vest",)),
    ("API: tilskuddssøknader", "api-v1:application_list", "", ("koordinator",)),
    ("API: ALIS per kommune (aggregat)", "api-v1:alis", "?level=municipality", ("hdir",)),
    ("API: sykehustjeneste (aggregat)", "api-v1:hospital_demand", "", ("hdir",)),
    (
        "ALIS-liste, gammel ordning uten veileder",
        "training:list",
        "?scheme=old&no_supervisor=1",
        ("vest", "koordinator"),
    ),
)

# Pages that do not yet answer as they should, with the reason: the page test expects exactly these to
# differ from `access` (and fails when one is fixed, so the entry is removed). For the app's helper to clear.
KNOWN_PROBLEMS: dict[tuple[str, str], str] = {}

# URL patterns that are not pages of the app and are checked by their own tests.
NOT_PAGES = {
    "admin",  # Django's admin site (its own permissions; only for administrators)
    "api-v1",  # the JSON API: its endpoints are checked against its OpenAPI description (api/tests, Schemathesis)
}


def by_url_name() -> dict[str, Page]:
    return {page.url_name: page for page in PAGES}

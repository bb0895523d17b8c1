"""The menus of the app, in one place: the main menu and each area's sub-navigation, and breadcrumbs.

`base.html` draws them from `core.context_processors.navigation`; the current page is marked with
`aria-current="page"`, and the menu entry of the area (or sub-page) the page belongs to with
`aria-current="true"`. A new page appears in its area's menu by adding a `Link` below.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import abilities
from accounts.models import User
from core.paths import url_of


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str
    # The URL names (or prefixes ending in ":" or "_") of the pages that belong under this entry.
    covers: tuple[str, ...] = ()
    # Who sees the entry; everyone signed in by default.
    shown: Callable[[User], bool] | None = None

    def is_shown(self, user: User) -> bool:
        return self.shown is None or self.shown(user)

    def state(self, view_name: str) -> str:
        """aria-current: "page" on the page itself, "true" on the pages it covers, "" elsewhere."""
        if view_name == self.url_name:
            return "page"
        if any(view_name == c or (c.endswith((":", "_")) and view_name.startswith(c)) for c in self.covers):
            return "true"
        return ""


def _personal(user: User) -> bool:
    return user.reads_personal_data


def _aggregates_only(user: User) -> bool:
    return not user.reads_personal_data


def _may_import(user: User) -> bool:
    return abilities.may(user, "add", "dataio.importjob")


def _publishes(user: User) -> bool:
    return abilities.may(user, "add", "website.article")


def _office_publisher(user: User) -> bool:
    return _publishes(user) and user.role == "office_staff"


MAIN = (
    Link(_("Oversikt"), "training:overview"),
    Link(_("Oppgaver"), "followup:my_tasks", covers=("followup:",), shown=_personal),
    Link(
        _("ALIS"),
        "training:list",
        covers=(
            "training:detail",
            "training:create",
            "training:edit",
            "training:period_",
            "training:assignment_",
            "training:shift_",
            "training:outcome_",
            "training:old_scheme",
            "records:plan_",
        ),
        shown=_personal,
    ),
    Link(_("Veiledning"), "supervision:pool", covers=("supervision:",)),
    Link(_("Kurs"), "courses:list", covers=("courses:",), shown=_personal),
    Link(_("Kurs"), "courses:statistics", covers=("courses:",), shown=_aggregates_only),
    Link(_("Tilskudd"), "grants:index", covers=("grants:",)),
    Link(_("Kartlegging"), "survey:campaign_list", covers=("survey:",), shown=_personal),
    Link(_("Kontoret"), "office:inquiry_list", covers=("office:",), shown=_personal),
    Link(_("Kontoret"), "office:report_index", covers=("office:",), shown=_aggregates_only),
    Link(_("Register"), "registry:municipality_list", covers=("registry:",)),
    Link(_("Import og eksport"), "dataio:index", covers=("dataio:",)),
    Link(_("Nettsted"), "publishing:index", covers=("publishing:",), shown=_publishes),
)

SUB = {
    "followup": (
        Link(_("Mine oppgaver"), "followup:my_tasks", shown=_personal),
        Link(_("Kontorets oppgaver"), "followup:task_list", covers=("followup:task_",), shown=_personal),
        Link(_("Regler"), "followup:rule_list", covers=("followup:rule_",), shown=_personal),
        Link(_("Varsler"), "followup:notification_list", covers=("followup:setting_",), shown=_personal),
    ),
    "supervision": (
        Link(_("Veilederpool"), "supervision:pool", covers=("supervision:region_proposal", "supervision:proposals")),
        Link(_("Veiledere"), "supervision:profile_list", covers=("supervision:profile_",), shown=_personal),
        Link(
            _("Oppfølging av veiledning"),
            "supervision:compliance",
            covers=("supervision:session_", "supervision:link_"),
            shown=_personal,
        ),
        Link(
            _("Veiledningsgrupper"),
            "supervision:group_list",
            covers=("supervision:group_", "supervision:member_", "supervision:meeting_"),
            shown=_personal,
        ),
        # A job like the other imports (dataio), linked from here where the sessions are followed up.
        Link(_("Importer veiledningstimer"), "dataio:session_upload", shown=_may_import),
    ),
    "courses": (
        Link(
            _("Kurs"),
            "courses:list",
            covers=("courses:create", "courses:detail", "courses:edit", "courses:gathering_", "courses:participant"),
            shown=_personal,
        ),
        Link(_("Kursholdere"), "courses:instructors", covers=("courses:instructor_",), shown=_personal),
        Link(_("Kursstatistikk"), "courses:statistics"),
        Link(_("Kurskalender"), "courses:calendar", covers=("courses:signup",)),
    ),
    "grants": (
        Link(_("Tilskudd"), "grants:index", covers=("grants:period_",)),
        Link(_("Kalkulator"), "grants:calculator"),
        Link(_("Søknader"), "grants:application_list", covers=("grants:application_", "grants:line_"), shown=_personal),
        Link(_("Ikke søkt"), "grants:not_applied", shown=_personal),
        Link(_("Kostnadsark"), "grants:cost_list", covers=("grants:cost_", "grants:profile_"), shown=_personal),
        Link(_("Oversikt per kontor"), "grants:summary"),
    ),
    "survey": (
        Link(
            _("Kampanjer"),
            "survey:campaign_list",
            covers=("survey:campaign_", "survey:invitation_", "survey:proposal_"),
            shown=_personal,
        ),
        Link(_("Kommuner"), "survey:municipality_status", shown=_personal),
    ),
    "office": (
        Link(
            _("Henvendelser"),
            "office:inquiry_list",
            covers=("office:inquiry_create", "office:inquiry_edit"),
            shown=_personal,
        ),
        Link(_("Henvendelser i tall"), "office:inquiry_stats", shown=_personal),
        Link(_("Aktiviteter"), "office:activity_list", covers=("office:activity_",), shown=_personal),
        Link(_("Samarbeidspartnere"), "office:partner_list", covers=("office:partner_",), shown=_personal),
        Link(_("Ansatte"), "office:staff_list", covers=("office:staff_",), shown=_personal),
        Link(_("Andre virksomheter"), "office:institution_list", covers=("office:institution_",), shown=_personal),
        Link(_("Stabilitet"), "office:retention"),
        Link(_("Årsrapport"), "office:report_index", covers=("office:report",)),
        Link(_("Emner"), "office:topic_list", covers=("office:topic_",), shown=lambda user: user.edits_reference_data),
    ),
    "registry": (
        Link(
            _("Kommuner"),
            "registry:municipality_list",
            covers=("registry:municipality_", "registry:registration_", "registry:contact_", "registry:centrality_"),
        ),
        Link(_("Legekontorer"), "registry:gp_office_list", covers=("registry:gp_office_",)),
        Link(_("Leger"), "registry:doctor_list", covers=("registry:doctor_",), shown=_personal),
        Link(_("Helseforetak"), "registry:health_trust_list", covers=("registry:health_trust_",)),
        Link(_("Fylker og kontorer"), "registry:county_list", covers=("registry:county_",)),
        Link(_("Fra SSB"), "registry:ssb_import_list", covers=("registry:ssb_",), shown=_personal),
    ),
    "publishing": (
        Link(_("Nettsted"), "publishing:index", shown=_publishes),
        Link(
            _("Nyheter"), "publishing:news_list", covers=("publishing:news_", "publishing:article_"), shown=_publishes
        ),
        Link(_("Sider"), "publishing:page_list", covers=("publishing:page_",), shown=_publishes),
        Link(
            _("Spørsmål og svar"),
            "publishing:question_list",
            covers=("publishing:question_", "publishing:inquiry_"),
            shown=_publishes,
        ),
        Link(
            _("Maler"),
            "publishing:document_list",
            covers=("publishing:document", "publishing:document_", "publishing:version_"),
            shown=_publishes,
        ),
        Link(_("Bilder"), "publishing:image_list", covers=("publishing:image_",), shown=_publishes),
        Link(_("Kontaktinformasjon"), "publishing:profile", covers=("publishing:person_",), shown=_office_publisher),
    ),
    "dataio": (
        Link(_("Importer og jobber"), "dataio:index", covers=("dataio:job_",)),
        Link(_("Fastlegeliste"), "dataio:gp_list_upload", shown=_may_import),
        Link(
            _("Kommunens ALIS-liste"), "dataio:alis_list_upload", covers=("dataio:alis_template",), shown=_may_import
        ),
        Link(_("Veiledningstimer"), "dataio:session_upload", shown=_may_import),
    ),
}


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    current: str  # aria-current: "page", "true" or ""


def menu(links: tuple[Link, ...], user: User, view_name: str) -> list[MenuEntry]:
    return [
        MenuEntry(str(link.label), url_of(link.url_name), link.state(view_name))
        for link in links
        if link.is_shown(user)
    ]


@dataclass(frozen=True)
class Crumb:
    """One level of the breadcrumbs: its label and address (the page itself needs no address)."""

    label: str
    url: str = ""


def crumbs(*levels: tuple[str, str] | str) -> list[Crumb]:
    """Breadcrumbs from the top: `crumbs((_("Register"), url), (doctor.full_name, url), _("Endre"))`."""
    return [Crumb(*level) if isinstance(level, tuple) else Crumb(str(level)) for level in levels]

"""What a specialist training requires, per specialty and scheme: one table of data, each rule with its source.

Why a module constant of frozen dataclasses and not a model: these rules are set by regulation and change
rarely; when they do, the code that interprets them (what counts, how caps and part-time apply) usually has to
change with them, and both want a review and tests. A table in the database would invite editing the numbers
without the code that reads them, and nobody at the offices is meant to change them. (Numbers that do change
by year — grant rates — are data with validity periods in `grants`.)

A rule the sources do not state is left out (None) and shown as «ikke vurdert», never guessed.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The kinds of service (ServicePeriod.Kind) and the values of Training.specialty / scheme, as plain strings so
# that this table and the rules need no models.
OPEN_PRACTICE = "open_practice"
OTHER_MUNICIPAL = "other_municipal"
HOSPITAL = "hospital"
COMMUNITY_MEDICINE_WORK = "community_medicine"
OTHER = "other"
LEAVE = "leave"
GENERAL_PRACTICE = "general_practice"
COMMUNITY_MEDICINE = "community_medicine"
NEW = "new"
OLD = "old"

# Outcomes of the old scheme's deadline (OldSchemeOutcome.Kind).
APPLIED = "applied"
APPROVED = "approved"
CONTINUES_NEW = "continues_new"
LEFT = "left"


@dataclass(frozen=True)
class Source:
    citation: str  # the source's own title, as cited on screen
    url: str = ""  # only addresses that were checked; empty rather than guessed


# The sources, as found in November 2026 (see ../shared/reference/RULES.md).
SPESIALISTFORSKRIFTEN = Source(
    "Spesialistforskriften (FOR-2016-12-08-1482)", "https://lovdata.no/dokument/SF/forskrift/2016-12-08-1482"
)
ALIS_NEW = Source(
    "alis.no «Spesialistutdanning i allmennmedisin» (gjennomføring av spesialistutdanningen)",
    "https://www.alis.no/alis-ordningen/gjennomforing-av-spesialistutdanningen",
)
ALIS_INDIVIDUAL = Source("alis.no «Individuell veiledning»")
LEGEFORENINGEN_GROUPS = Source(
    "Legeforeningen «Deltakere i veiledningsgrupper for allmennmedisin»",
    "https://www.legeforeningen.no/fag/spesialiteter/Allmennmedisin/Veiledningsgrupper/"
    "deltakere-i-veiledninngsgrupper-for-allmennmedisin/",
)
ALIS_OLD = Source(
    "alis.no «Gammel spesialistutdanning»", "https://www.alis.no/alis-ordningen/gammel-spesialistutdanning"
)
HDIR_OLD = Source(
    "Helsedirektoratet «Regler for gammel spesialistutdanning og etterutdanning – allmennmedisin»",
    "https://www.helsedirektoratet.no/tema/autorisasjon-og-spesialistutdanning/spesialistutdanning-for-leger/"
    "allmennmedisin/regler-for-gammel-spesialistutdanning-og-etterutdanning",
)
ALIS_TRANSITION = Source(
    "alis.no «Overgangsregler fra gammel til ny spesialistutdanning»",
    "https://www.alis.no/alis-ordningen/konvertering-av-alis",
)
LEGEFORENINGEN_OLD = Source(
    "Legeforeningen «Gammel ordning» (allmennmedisin)",
    "https://www.legeforeningen.no/fag/spesialiteter/Allmennmedisin/Gammel-ordning/",
)
SAMLIS_NEW = Source(
    "samlis.no «Gjennomføring av spesialistutdanning i samfunnsmedisin»",
    "https://www.samlis.no/gjennomforing-av-spesialistutdanningen",
)
SAMLIS_TRANSITION = Source(
    "samlis.no «Overgangsordninger»", "https://www.samlis.no/om-samlis-ordningen/overgangsordninger"
)

# Spesialistforskriften's transition rules as alis.no words them: those who started specialty-specific service in
# allmennmedisin (or had agreed to) before 1 March 2019 may finish under the old rules.
NEW_SCHEME_START = date(2019, 3, 1)
# Legeforeningen «Gammel ordning», alis.no «Overgangsregler…»: approval under the old rules must be applied for by
# 31 December 2026 (extended from 1 March 2025); «Øvrige LIS skal følge ny spesialistutdanning».
OLD_SCHEME_DEADLINE = date(2026, 12, 31)


@dataclass(frozen=True)
class CountedKind:
    """A kind of service that counts towards the specialty, with the most of it that counts."""

    kind: str
    max_years: Fraction | None = None


@dataclass(frozen=True)
class ServiceRequirement:
    """One line of the requirements on service time: the kinds that add up to it and their minimum."""

    key: str
    label: str | Promise
    kinds: tuple[str, ...]
    min_years: Fraction | None  # None: no minimum (a cap only, or guidance)
    source: Source
    guidance: str | Promise = ""  # what the source says when it gives no firm minimum («ca. 1 år»)


@dataclass(frozen=True)
class PartTimeFloor:
    """Part-time service counts only from this share upwards (the old scheme's «ned til halv tid»)."""

    kinds: tuple[str, ...]
    min_share: int
    source: Source


@dataclass(frozen=True)
class OtherRequirement:
    """A requirement that is not service time. Only those with a `minimum` are judged here."""

    key: str
    label: str | Promise
    source: Source
    minimum: int | None = None  # e.g. 40 on-call shifts; None: not recorded here, shown as not judged


@dataclass(frozen=True)
class SupervisionRule:
    """Supervision (veiledning) as the scheme requires it; None where no source gives a number."""

    individual_hours_per_year: float | None
    individual_text: str | Promise
    individual_source: Source
    group_hours: float | None
    group_years: float | None
    group_text: str | Promise
    group_source: Source


@dataclass(frozen=True)
class RuleSet:
    key: str
    specialty: str
    scheme: str
    label: str | Promise  # «allmennmedisin, gammel ordning (før 1. mars 2019)»
    known: bool  # False: the scheme's rules are not entered here; nothing is judged
    counted: tuple[CountedKind, ...]
    service: tuple[ServiceRequirement, ...]  # the first line is the total of everything counted
    total_years: Fraction  # service the expected end is computed from
    expected_end_note: str | Promise
    part_time_floor: PartTimeFloor | None
    other: tuple[OtherRequirement, ...]
    supervision: SupervisionRule
    sources: tuple[Source, ...]  # the main sources, cited on the training page

    @cached_property
    def counted_kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.counted)

    @cached_property
    def caps(self) -> dict[str, Fraction]:
        return {c.kind: c.max_years for c in self.counted if c.max_years is not None}

    @property
    def shifts_required(self) -> int | None:
        return next((o.minimum for o in self.other if o.key == "shifts"), None)

    @property
    def hospital_years(self) -> Fraction | None:
        return next((r.min_years for r in self.service if r.kinds == (HOSPITAL,)), None)

    def cap_of(self, kind: str) -> Fraction | None:
        return self.caps.get(kind)


GP_KINDS = (OPEN_PRACTICE, OTHER_MUNICIPAL)
CLINICAL_KINDS = (OPEN_PRACTICE, OTHER_MUNICIPAL, HOSPITAL)

# alis.no «Spesialistutdanning i allmennmedisin»: 5 years of service; open unselected practice at least 2 and up
# to 4.5 years; other general-practice work up to 2.5 years; institution service at least 6 months. Individual
# supervision 42 h a year (alis.no «Individuell veiledning»: 4 h a month for 10.5 months, pro rata for part time);
# group supervision two years, 120 hours (Legeforeningen).
GENERAL_PRACTICE_NEW = RuleSet(
    key="general_practice_new",
    specialty=GENERAL_PRACTICE,
    scheme=NEW,
    label=_("allmennmedisin, ny ordning (fra 1. mars 2019)"),
    known=True,
    counted=(
        CountedKind(OPEN_PRACTICE, max_years=Fraction(9, 2)),
        CountedKind(OTHER_MUNICIPAL, max_years=Fraction(5, 2)),
        CountedKind(HOSPITAL),
    ),
    service=(
        ServiceRequirement("total", _("Samlet tellende tjeneste"), CLINICAL_KINDS, Fraction(5), ALIS_NEW),
        ServiceRequirement(
            "open_practice", _("Åpen uselektert allmennpraksis"), (OPEN_PRACTICE,), Fraction(2), ALIS_NEW
        ),
        ServiceRequirement("other_municipal", _("Annen allmennmedisinsk tjeneste"), (OTHER_MUNICIPAL,), None, ALIS_NEW),
        ServiceRequirement("hospital", _("Institusjonstjeneste"), (HOSPITAL,), Fraction(1, 2), ALIS_NEW),
    ),
    total_years=Fraction(5),
    expected_end_note=_("5 år tellende tjeneste etter ny ordning, forholdsmessig ved deltid, pluss permisjon"),
    part_time_floor=None,
    other=(),
    supervision=SupervisionRule(
        individual_hours_per_year=42.0,
        individual_text=_("42 timer i året (4 timer i måneden i 10,5 måneder), forholdsmessig ved deltid"),
        individual_source=ALIS_INDIVIDUAL,
        group_hours=120.0,
        group_years=2.0,
        group_text=_("120 timer over 2 år"),
        group_source=LEGEFORENINGEN_GROUPS,
    ),
    sources=(ALIS_NEW, SPESIALISTFORSKRIFTEN),
)

# alis.no «Gammel spesialistutdanning»: 1. general-practice service, four years in general practice and 40 on-call
# shifts (legevakter); 2. hospital service, one year; 3. two years in a supervision group; 4.–9. courses, practice
# visit, practical skills, optional points. Helsedirektoratet's rules for the old scheme: at least 2 full-time
# years of open unselected practice; part-time counts «ned til halv tid med tilsvarende redusert verdi».
# The total of five years is the sum of the two minimums (4 + 1), used for the expected end; the source states no
# separate total. The old rules ask for no individual supervision and state group supervision as two years, not
# hours: neither is judged. The courses are not recorded here.
GENERAL_PRACTICE_OLD = RuleSet(
    key="general_practice_old",
    specialty=GENERAL_PRACTICE,
    scheme=OLD,
    label=_("allmennmedisin, gammel ordning (startet før 1. mars 2019)"),
    known=True,
    counted=(CountedKind(OPEN_PRACTICE), CountedKind(OTHER_MUNICIPAL), CountedKind(HOSPITAL)),
    service=(
        ServiceRequirement(
            "total",
            _("Samlet tellende tjeneste (4 år allmennpraksis + 1 år sykehus)"),
            CLINICAL_KINDS,
            Fraction(5),
            ALIS_OLD,
        ),
        ServiceRequirement("general_practice", _("Allmennmedisinsk tjeneste"), GP_KINDS, Fraction(4), ALIS_OLD),
        ServiceRequirement(
            "open_practice", _("herav åpen uselektert allmennpraksis"), (OPEN_PRACTICE,), Fraction(2), HDIR_OLD
        ),
        ServiceRequirement("hospital", _("Sykehustjeneste"), (HOSPITAL,), Fraction(1), ALIS_OLD),
    ),
    total_years=Fraction(5),
    expected_end_note=_(
        "5 år tellende tjeneste etter gammel ordning (4 år allmennpraksis og 1 år sykehus), forholdsmessig ved "
        "deltid, pluss permisjon"
    ),
    part_time_floor=PartTimeFloor(kinds=GP_KINDS, min_share=50, source=HDIR_OLD),
    other=(  # the group supervision (item 3) is in `supervision`
        OtherRequirement("shifts", _("Legevakter"), ALIS_OLD, minimum=40),
        OtherRequirement("basic_courses", _("Fire grunnkurs (med opplæring i sykmeldingsarbeid)"), ALIS_OLD),
        OtherRequirement("topic_courses", _("Emnekurs (med obligatorisk akuttmedisinkurs)"), ALIS_OLD),
        OtherRequirement("practice_visit", _("Praksisbesøk"), ALIS_OLD),
        OtherRequirement("expert_course", _("Obligatorisk kurs i sakkyndighetsarbeid"), ALIS_OLD),
        OtherRequirement("skills", _("Praktiske ferdigheter"), ALIS_OLD),
        OtherRequirement("optional_points", _("Valgfrie poeng"), ALIS_OLD),
    ),
    supervision=SupervisionRule(
        individual_hours_per_year=None,
        individual_text=_("ikke et krav i gammel ordning"),
        individual_source=ALIS_OLD,
        group_hours=None,
        group_years=2.0,
        group_text=_("2 år i veiledningsgruppe (kilden oppgir ikke timer)"),
        group_source=ALIS_OLD,
    ),
    sources=(ALIS_OLD, HDIR_OLD, LEGEFORENINGEN_OLD),
)

# samlis.no «Gjennomføring av spesialistutdanning i samfunnsmedisin»: 5 years; community-medicine work at least
# 4 years; clinical service in primary or specialist health care about 1 year; individual supervision throughout
# (no hours given: not judged); group supervision 90 hours over 3 years.
COMMUNITY_MEDICINE_NEW = RuleSet(
    key="community_medicine_new",
    specialty=COMMUNITY_MEDICINE,
    scheme=NEW,
    label=_("samfunnsmedisin, ny ordning (fra 1. mars 2019)"),
    known=True,
    counted=(
        CountedKind(COMMUNITY_MEDICINE_WORK),
        CountedKind(OPEN_PRACTICE),
        CountedKind(OTHER_MUNICIPAL),
        CountedKind(HOSPITAL),
    ),
    service=(
        ServiceRequirement(
            "total", _("Samlet tellende tjeneste"), (COMMUNITY_MEDICINE_WORK, *CLINICAL_KINDS), Fraction(5), SAMLIS_NEW
        ),
        ServiceRequirement(
            "community_medicine", _("Samfunnsmedisinsk arbeid"), (COMMUNITY_MEDICINE_WORK,), Fraction(4), SAMLIS_NEW
        ),
        ServiceRequirement(
            "clinical", _("Klinisk tjeneste"), CLINICAL_KINDS, None, SAMLIS_NEW, guidance=_("ca. 1 år (veiledende)")
        ),
    ),
    total_years=Fraction(5),
    expected_end_note=_("5 år tellende tjeneste i samfunnsmedisin, forholdsmessig ved deltid, pluss permisjon"),
    part_time_floor=None,
    other=(),
    supervision=SupervisionRule(
        individual_hours_per_year=None,
        individual_text=_("i hele utdanningsløpet (kilden oppgir ikke timer)"),
        individual_source=SAMLIS_NEW,
        group_hours=90.0,
        group_years=3.0,
        group_text=_("90 timer over 3 år"),
        group_source=SAMLIS_NEW,
    ),
    sources=(SAMLIS_NEW, SPESIALISTFORSKRIFTEN),
)

# samlis.no «Overgangsordninger»: doctors who began before 1 March 2019 may finish under the old scheme if they meet
# all of its requirements by 31 December 2026. Those requirements are not entered here: nothing is judged, and the
# expected end falls back on the new scheme's five years (said so on the page).
COMMUNITY_MEDICINE_OLD = RuleSet(
    key="community_medicine_old",
    specialty=COMMUNITY_MEDICINE,
    scheme=OLD,
    label=_("samfunnsmedisin, gammel ordning (startet før 1. mars 2019)"),
    known=False,
    counted=(),
    service=(),
    total_years=Fraction(5),
    expected_end_note=_(
        "gammel ordnings krav i samfunnsmedisin er ikke lagt inn; beregnet som 5 år etter ny ordning, "
        "forholdsmessig ved deltid, pluss permisjon"
    ),
    part_time_floor=None,
    other=(),
    supervision=SupervisionRule(
        individual_hours_per_year=None,
        individual_text=_("ikke lagt inn for gammel ordning"),
        individual_source=SAMLIS_TRANSITION,
        group_hours=None,
        group_years=None,
        group_text=_("ikke lagt inn for gammel ordning"),
        group_source=SAMLIS_TRANSITION,
    ),
    sources=(SAMLIS_TRANSITION,),
)

RULE_SETS = {
    (rule_set.specialty, rule_set.scheme): rule_set
    for rule_set in (GENERAL_PRACTICE_NEW, GENERAL_PRACTICE_OLD, COMMUNITY_MEDICINE_NEW, COMMUNITY_MEDICINE_OLD)
}

"""Loading the rate table (grants/data/*.csv) as the first, unverified rate period of the scheme."""

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from grants.models import GrantScheme, RatePeriod

DATA_DIR = Path(__file__).resolve().parent / "data"
RATES_CSV = DATA_DIR / "alis_tilskudd_satser_2025_2026_UNVERIFIED.csv"
SCHEME_NAME = "Nasjonal ALIS og veiledning"
SCHEME_URL = "https://www.helsedirektoratet.no/tilskudd/nasjonal-alis-og-veiledning"
SCHEME_DESCRIPTION = "Tilskudd til kommuner for ALIS-avtaler og veiledning (Helsedirektoratet)."
# What the page says about where the shipped rates come from, in the users' words. The file and the code it
# was read from are named in the CSV's own source column (for developers), not on screen.
SHIPPED_SOURCE = (
    "Satsene er hentet fra en åpen prototyp (Alisflyt) og er ikke kontrollert mot Helsedirektoratets "
    "kunngjøring for perioden."
)
# The CSV's parameter names (from the Alisflyt seed data) → the rate period's fields.
PARAMETERS = {
    "SalaryRate": "hourly_rate",
    "PracticeCompensationRate": "practice_compensation_share",
    "PracticeCompensationMaxHours": "practice_compensation_hours",
    "LearningActivitiesMaxAmount": "learning_activity_cap",
    "ProductivityMaxAmount": "productivity_amount",
    "ProductivityEligibilityMonths": "productivity_months",
    "GuidanceRate": "supervision_rate",
    "GuidanceHoursPerYear": "supervision_hours",
    "FacilitationRate": "facilitation_share",
    "CentralitySupplementMaxAmount": "centrality_supplement",
}
PERIOD_IN_SOURCE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


class RateFileError(Exception):
    """The rate file is not as expected (in Norwegian, for the command line)."""


def read_rates(path: Path = RATES_CSV) -> tuple[dict[str, Decimal | int], date, date, str, bool]:
    """The parameters, the period they hold for (from the source text), the source and whether verified."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    values: dict[str, Decimal | int] = {}
    for row in rows:
        name = PARAMETERS.get(row["parameter"])
        if name is None:
            raise RateFileError(f"Ukjent parameter «{row['parameter']}» i {path.name}.")
        values[name] = int(row["value"]) if name == "productivity_months" else Decimal(row["value"])
    missing = set(PARAMETERS.values()) - set(values)
    if missing:
        raise RateFileError(f"{path.name} mangler {', '.join(sorted(missing))}.")
    match = next((m for row in rows if (m := PERIOD_IN_SOURCE.search(row["source"]))), None)
    if match is None:
        raise RateFileError(f"{path.name} sier ikke hvilken periode satsene gjelder (ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD).")
    start, end = (date.fromisoformat(text) for text in match.groups())
    verified = all(row["verified"].strip().lower() == "true" for row in rows)
    return values, start, end, rows[0]["source"], verified


def load_rates(path: Path = RATES_CSV) -> tuple[RatePeriod, bool]:
    """Create the scheme and the period from the file; an existing period is left as the coordinator has it."""
    values, start, end, source, verified = read_rates(path)
    with transaction.atomic():
        scheme, _created = GrantScheme.objects.get_or_create(
            name=SCHEME_NAME,
            defaults={"url": SCHEME_URL, "description": SCHEME_DESCRIPTION},
        )
        existing = RatePeriod.objects.filter(scheme=scheme, start=start).first()
        if existing is not None:
            return existing, False
        period = RatePeriod.objects.create(
            scheme=scheme,
            start=start,
            end=end,
            verified=verified,
            source=SHIPPED_SOURCE if not verified else source[:500],
            # RULES.md: the auditor's statement is due 1 April the year after.
            auditor_deadline=date(end.year + 1, 4, 1),
            **values,
        )
    return period, True

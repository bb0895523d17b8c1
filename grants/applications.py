"""The amounts of many application lines at once, for lists, sums and exports.

Each line is computed by `grants.lines` from today's rates, the municipality's centrality and the training,
exactly as the application page computes it (`ApplicationLine.evaluate`), so a list, an export and a page
can not disagree. Two queries whatever the number of lines: the lines as plain values, and their periods.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from core import tableversions
from grants import lines
from grants.models import ApplicationLine, GrantApplication, RatePeriod

LINE_VALUES = (
    "pk",
    "application_id",
    "application__period_id",
    "application__municipality__centrality",
    "grant_type",
    "position_type",
    "position_share",
    "months",
    "productivity_months",
    "override_amount",
    "override_reason",
    "training__start",
    "training__ended_on",
    "training__contract",
    "training__position_share",
    "training__grant_profile__position_type",
    "training__grant_profile__first_gp_day",
)


@dataclass(frozen=True)
class EvaluatedLine:
    pk: int
    application_id: int
    amount: lines.LineAmount


def evaluate_lines(queryset: QuerySet[ApplicationLine]) -> list[EvaluatedLine]:
    """Every line of the queryset with its amount, in the queryset's order."""
    rows = list(queryset.values(*LINE_VALUES))
    periods = RatePeriod.objects.in_bulk({row["application__period_id"] for row in rows})
    estimators = {pk: lines.Estimator(period.rates(), explain=False) for pk, period in periods.items()}
    evaluated = []
    for row in rows:
        period = periods[row["application__period_id"]]
        facts = lines.TrainingFacts(
            start=row["training__start"],
            end=row["training__ended_on"],
            contract=row["training__contract"],
            position_share=row["training__position_share"],
            position_type=row["training__grant_profile__position_type"] or "",
            first_gp_day=row["training__grant_profile__first_gp_day"],
        )
        inputs = lines.inputs(
            period_start=period.start,
            period_end=period.end,
            window=period.productivity_months,
            facts=facts,
            grant_type=row["grant_type"],
            typed={name: row[name] for name in lines.TYPED_INPUTS},
        )
        amount = estimators[period.pk].line(
            inputs,
            row["application__municipality__centrality"],
            override=row["override_amount"],
            reason=row["override_reason"],
        )
        evaluated.append(EvaluatedLine(row["pk"], row["application_id"], amount))
    return evaluated


def totals_by_application(applications: QuerySet[GrantApplication] | Iterable[int]) -> dict[int, lines.Totals]:
    """Per application (a queryset, or primary keys), the sum of its lines; none gives empty totals."""
    if isinstance(applications, QuerySet):
        ids = list(applications.order_by().values_list("pk", flat=True))
        line_queryset = ApplicationLine.objects.filter(application__in=applications.order_by().values("pk"))
    else:
        ids = list(applications)
        line_queryset = ApplicationLine.objects.filter(application_id__in=ids)
    totals = {pk: lines.Totals() for pk in ids}
    for line in evaluate_lines(line_queryset.order_by()):
        totals[line.application_id].add(line.amount)
    return totals


def kept_totals(ids: list[int]) -> dict[int, lines.Totals]:
    """`totals_by_application` for the applications of a page, kept until one of the tables it reads is written
    to: the lines' rules run once per change, not on every request (the list page and the API show 50 at a time,
    and an application's lines grow with its municipality's ALIS)."""
    return tableversions.kept(f"application-totals:{ids}", lambda: totals_by_application(ids))

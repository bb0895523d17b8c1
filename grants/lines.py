"""One ALIS's line in a grant application: its inputs and its amount, computed, never stored.

A line's amount is recomputed from its inputs each time it is shown or exported, so it can not disagree with
its own breakdown after a rate, the municipality's centrality or the training changes. The inputs come from
the training (position share, dates → whole months, contract or grant profile → position type) unless the
office typed a value on the line; a typed value stays, and is shown as typed by hand. So does an amount the
office overrode (with its reason).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from grants import calculation as calc
from grants.calculation import GrantType, PositionType
from training.models import Contract, Training

# The inputs the office may type on a line instead of taking them from the training.
TYPED_INPUTS = ("position_type", "position_share", "months", "productivity_months")


def suggested_position_type(contract: str) -> str:
    """A salaried doctor without a list works outside the regular-GP scheme; others are taken as fastlege/vikar.

    An introduction doctor can not be told from the training record: the office sets it on the grant profile.
    """
    return PositionType.OUTSIDE_REGULAR_GP if contract == Contract.MUNICIPAL_NO_LIST else PositionType.REGULAR_GP


@dataclass(frozen=True)
class TrainingFacts:
    """What a line reads from the training and its grant profile."""

    start: date
    end: date | None
    contract: str
    position_share: int
    position_type: str = ""  # from the grant profile; "" = not set
    first_gp_day: date | None = None


def facts_of(training: Training) -> TrainingFacts:
    """A training's facts (reads its grant profile: select it with the training when reading many)."""
    profile = getattr(training, "grant_profile", None)  # None when the training has no grant profile
    return TrainingFacts(
        start=training.start,
        end=training.ended_on,
        contract=training.contract,
        position_share=training.position_share,
        position_type=profile.position_type if profile else "",
        first_gp_day=profile.first_gp_day if profile else None,
    )


@dataclass(frozen=True)
class Inputs:
    position_type: str
    grant_type: str
    position_share: int
    months: int
    productivity_months: int | None  # None: not known (the period lacks the reduced-productivity window)
    typed: frozenset[str] = frozenset()  # inputs the office typed on the line

    def arguments(self) -> dict:
        """The keyword arguments of `calculation.calculate` (besides rates and centrality)."""
        return {
            "position_type": self.position_type,
            "grant_type": self.grant_type,
            "position_share": self.position_share,
            "months": self.months,
            "productivity_months": self.productivity_months,
        }


def inputs(
    *,
    period_start: date,
    period_end: date,
    window: int | None,
    facts: TrainingFacts,
    grant_type: str = GrantType.ALIS_AGREEMENT,
    typed: dict[str, object] | None = None,
) -> Inputs:
    """The line's inputs: what the office typed (non-empty values of `typed`), the rest from the training."""
    typed = {name: value for name, value in (typed or {}).items() if value not in (None, "")}
    dates = {"period_start": period_start, "period_end": period_end, "start": facts.start, "end": facts.end}
    derived = {
        "position_type": facts.position_type or suggested_position_type(facts.contract),
        "position_share": facts.position_share,
        "months": calc.months_in_period(**dates),
        "productivity_months": (
            None
            if window is None
            else calc.productivity_months(**dates, first_gp_day=facts.first_gp_day, window=window)
        ),
    }
    values = derived | typed
    return Inputs(grant_type=grant_type, typed=frozenset(typed), **values)


@dataclass(frozen=True)
class LineAmount:
    inputs: Inputs
    breakdown: calc.Breakdown
    override: Decimal | None = None
    override_reason: str = ""

    @property
    def computed(self) -> Decimal:
        """The breakdown's total (of its known elements)."""
        return self.breakdown.total

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def amount(self) -> Decimal:
        """What the line applies for: the office's override where there is one, otherwise the breakdown's total."""
        return self.override if self.override is not None else self.computed

    @property
    def complete(self) -> bool:
        """Whether `amount` is the whole amount: an override is; a breakdown with an unknown element is not."""
        return self.overridden or self.breakdown.complete

    @property
    def value(self) -> Decimal | None:
        """The amount to show, or None (unknown) when it depends on a missing rate: never 0, never an old rate.

        An unknown centrality alone leaves a known amount without the supplement, shown as such.
        """
        return None if self.missing_rates else self.amount

    @property
    def centrality_unknown(self) -> bool:
        return not self.overridden and self.breakdown.centrality_unknown

    @property
    def missing_rates(self) -> list[str]:
        return [] if self.overridden else self.breakdown.missing_rates


class Estimator:
    """`calculate` for one rate period, remembering each combination: a list of thousands of ALIS has few.

    `explain=False` for lists and exports that show amounts only (the formula texts are left empty).
    """

    def __init__(self, rates: calc.Rates, *, explain: bool = True) -> None:
        self.rates = rates
        self.explain = explain
        self._seen: dict[tuple, calc.Breakdown] = {}

    def breakdown(self, inputs: Inputs, centrality: int | None) -> calc.Breakdown:
        key = (*inputs.arguments().values(), centrality)
        if key not in self._seen:
            self._seen[key] = calc.calculate(
                rates=self.rates, centrality=centrality, explain=self.explain, **inputs.arguments()
            )
        return self._seen[key]

    def line(
        self, inputs: Inputs, centrality: int | None, *, override: Decimal | None = None, reason: str = ""
    ) -> LineAmount:
        return LineAmount(inputs, self.breakdown(inputs, centrality), override, reason)


@dataclass
class Totals:
    """The sum of some lines, with what it leaves out said plainly."""

    lines: int = 0
    amount: Decimal = Decimal(0)  # sum of the lines' amounts (override or computed)
    computed: Decimal = Decimal(0)  # sum of the breakdowns' totals
    overridden: int = 0
    incomplete: int = 0  # lines whose amount leaves out an unknown element
    centrality_unknown: int = 0  # of those, lines whose supplement is unknown for want of the class
    rates_unknown: int = 0  # of those, lines that depend on a missing rate
    missing_rates: set[str] = field(default_factory=set)

    def add(self, line: LineAmount) -> None:
        self.lines += 1
        self.amount += line.amount
        self.computed += line.computed
        self.overridden += line.overridden
        self.incomplete += not line.complete
        self.centrality_unknown += line.centrality_unknown
        self.rates_unknown += bool(line.missing_rates)
        self.missing_rates.update(line.missing_rates)

    @property
    def complete(self) -> bool:
        return not self.incomplete

    @property
    def value(self) -> Decimal | None:
        """The sum to show, or None (unknown) when a line depends on a missing rate."""
        return None if self.rates_unknown else self.amount

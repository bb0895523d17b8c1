"""The grant rules a cost sheet ("what an ALIS costs the municipality", seed 002's table "ALIS A–D") obeys.

- Basistilskudd (the per-capita grant) is paid per person on a GP's patient list: a cost sheet can record
  it only for an ALIS with a list (a list length, and not "kommunalt ansatt uten liste").
- The ALIS grant on a sheet is the grant for the rate period that begins in the sheet's year; it can not be
  more than the most that period gives the ALIS's position type in the municipality's centrality class
  (`calculation.annual_maximum`). With the class unknown the most is a range, and only what is above the
  range's top is refused; with the period's rates missing nothing can be checked, and the sheet says so.
- A self-employed ALIS (næringsdrift) is paid by the municipality through the ALIS agreement: the sheet
  has a line for it; other ALIS have none (their pay is the salary line).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from grants import calculation as calc
from grants.calculation import PositionType
from training.models import Contract


def has_patient_list(*, contract: str, list_length: int | None) -> bool:
    return contract != Contract.MUNICIPAL_NO_LIST and bool(list_length)


def has_agreement_line(contract: str) -> bool:
    return contract == Contract.SELF_EMPLOYED


@dataclass(frozen=True)
class GrantCap:
    """The most the ALIS grant on a sheet may be, and what is not known about it."""

    year_label: str
    position_type: str
    centrality: int | None
    maximum: calc.Maximum | None  # None: the rate period is missing

    @property
    def known(self) -> bool:
        return self.maximum is not None and self.maximum.known

    @property
    def rates_missing(self) -> bool:
        return self.maximum is None or not self.maximum.complete

    @property
    def description(self) -> str:
        position = PositionType(self.position_type).label.lower()
        if self.maximum is None or not self.maximum.complete:
            return _("Satser for %(year)s mangler: taket for %(position)s kan ikke regnes ut.") % {
                "year": self.year_label,
                "position": position,
            }
        if self.maximum.centrality_unknown:
            return _(
                "Høyst %(low)s for %(position)s i %(year)s uten sentralitetstillegg, %(high)s med; kommunens "
                "sentralitet er ukjent."
            ) % {
                "low": calc.kroner_text(self.maximum.low),
                "high": calc.kroner_text(self.maximum.high),
                "position": position,
                "year": self.year_label,
            }
        return _("Høyst %(amount)s for %(position)s i sentralitetsklasse %(class)s i %(year)s.") % {
            "amount": calc.kroner_text(self.maximum.high),
            "position": position,
            "class": self.centrality,
            "year": self.year_label,
        }


def grant_cap(
    *, rates: calc.Rates | None, year_label: str, position_type: str, centrality: int | None
) -> GrantCap:
    maximum = (
        None
        if rates is None
        else calc.annual_maximum(rates=rates, position_type=position_type, centrality=centrality)
    )
    return GrantCap(year_label, position_type, centrality, maximum)


@dataclass(frozen=True)
class Check:
    errors: dict[str, str]  # field → message: the sheet can not be saved so
    notes: list[str]  # what could not be checked, said plainly


def check_sheet(
    *,
    contract: str,
    list_length: int | None,
    per_capita: Decimal,
    agreement_payment: Decimal,
    alis_grant: Decimal,
    cap: GrantCap,
) -> Check:
    errors: dict[str, str] = {}
    notes: list[str] = []
    if per_capita and not has_patient_list(contract=contract, list_length=list_length):
        errors["per_capita"] = _(
            "Basistilskudd gis bare for innbyggere på en pasientliste: fyll inn listelengden, eller sett "
            "basistilskuddet til 0."
        )
    if agreement_payment and not has_agreement_line(contract):
        errors["agreement_payment"] = _("Utbetaling etter ALIS-avtalen føres bare for ALIS i næringsdrift.")
    maximum = cap.maximum
    if maximum is None or not maximum.complete:
        if alis_grant:
            notes.append(_("ALIS-tilskuddet er ikke kontrollert mot taket.") + " " + cap.description)
    elif alis_grant > maximum.high:
        errors["alis_grant"] = _("Mer enn tilskuddet kan bli.") + " " + cap.description
    elif maximum.centrality_unknown and alis_grant > maximum.low:
        notes.append(
            _(
                "ALIS-tilskuddet er over taket uten sentralitetstillegg (%(low)s) og kan bare stemme hvis "
                "kommunen er i sentralitetsklasse 6, som ikke er kjent."
            )
            % {"low": calc.kroner_text(maximum.low)}
        )
    return Check(errors, notes)

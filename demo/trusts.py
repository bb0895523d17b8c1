"""The demo's health trusts (helseforetak) and an approximate catchment for each.

The names and regional health authorities (RHF) are the real ones. The catchment, which municipalities
send their patients (and ALIS) to which trust, is a **demo approximation**: by county, with a rough
latitude split where a county is served by more than one trust, and Asker and Bærum sent to Vestre Viken.
It is good enough for planning hospital service in demo data; the real catchment areas follow the
trusts' own lists and must be entered or imported by the offices.
"""

from collections.abc import Callable
from dataclasses import dataclass

from registry.models import HealthTrust, Municipality

Rhf = HealthTrust.Rhf


@dataclass(frozen=True)
class TrustSpec:
    name: str
    short_name: str
    rhf: str


HEALTH_TRUSTS = (
    TrustSpec("Helse Bergen", "", Rhf.VEST),
    TrustSpec("Helse Stavanger", "", Rhf.VEST),
    TrustSpec("Helse Fonna", "", Rhf.VEST),
    TrustSpec("Helse Førde", "", Rhf.VEST),
    TrustSpec("St. Olavs hospital", "St. Olav", Rhf.MIDT),
    TrustSpec("Helse Nord-Trøndelag", "", Rhf.MIDT),
    TrustSpec("Helse Møre og Romsdal", "", Rhf.MIDT),
    TrustSpec("Nordlandssykehuset", "", Rhf.NORD),
    TrustSpec("Helgelandssykehuset", "", Rhf.NORD),
    TrustSpec("Universitetssykehuset Nord-Norge", "UNN", Rhf.NORD),
    TrustSpec("Finnmarkssykehuset", "", Rhf.NORD),
    TrustSpec("Sykehuset Innlandet", "", Rhf.SOR_OST),
    TrustSpec("Akershus universitetssykehus", "Ahus", Rhf.SOR_OST),
    TrustSpec("Vestre Viken", "", Rhf.SOR_OST),
    TrustSpec("Oslo universitetssykehus", "OUS", Rhf.SOR_OST),
    TrustSpec("Sykehuset Østfold", "", Rhf.SOR_OST),
    TrustSpec("Sykehuset i Vestfold", "", Rhf.SOR_OST),
    TrustSpec("Sykehuset Telemark", "", Rhf.SOR_OST),
    TrustSpec("Sørlandet sykehus", "", Rhf.SOR_OST),
)

# Asker and Bærum lie in Akershus but belong to Vestre Viken's catchment.
SPECIAL_CASES = {"3201": "Vestre Viken", "3203": "Vestre Viken"}


def _latitude(municipality: Municipality, default: float) -> float:
    return municipality.latitude if municipality.latitude is not None else default


def _vestland(m: Municipality) -> str:
    # Sogn og Fjordane (north of about 61°) is Helse Førde; Sunnhordland (south of 60°) is Helse Fonna.
    if _latitude(m, 60.4) >= 61.0:
        return "Helse Førde"
    if _latitude(m, 60.4) < 60.0:
        return "Helse Fonna"
    return "Helse Bergen"


def _rogaland(m: Municipality) -> str:
    # Haugalandet and the north of the county (about 59.25° and up) is Helse Fonna.
    return "Helse Fonna" if _latitude(m, 59.0) >= 59.25 else "Helse Stavanger"


def _trondelag(m: Municipality) -> str:
    # The former Nord-Trøndelag: north-east of the Trondheimsfjord, and Meråker to the east.
    latitude, longitude = _latitude(m, 63.4), m.longitude if m.longitude is not None else 10.4
    north_east = (latitude >= 63.45 and longitude >= 10.6) or (latitude >= 63.35 and longitude >= 11.5)
    return "Helse Nord-Trøndelag" if north_east else "St. Olavs hospital"


def _nordland(m: Municipality) -> str:
    # Helgeland up to and including Rødøy (about 66.8°); Ofoten (Narvik, Evenes) goes to UNN.
    if _latitude(m, 67.0) < 66.8:
        return "Helgelandssykehuset"
    if m.longitude is not None and m.longitude > 16.5 and _latitude(m, 67.0) > 68.0:
        return "Universitetssykehuset Nord-Norge"
    return "Nordlandssykehuset"


BY_COUNTY: dict[str, str | Callable[[Municipality], str]] = {
    "03": "Oslo universitetssykehus",
    "11": _rogaland,
    "15": "Helse Møre og Romsdal",
    "18": _nordland,
    "31": "Sykehuset Østfold",
    "32": "Akershus universitetssykehus",
    "33": "Vestre Viken",
    "34": "Sykehuset Innlandet",
    "39": "Sykehuset i Vestfold",
    "40": "Sykehuset Telemark",
    "42": "Sørlandet sykehus",
    "46": _vestland,
    "50": _trondelag,
    "55": "Universitetssykehuset Nord-Norge",
    "56": "Finnmarkssykehuset",
}


def catchment_trust_name(municipality: Municipality, county_number: str) -> str | None:
    """The health trust the demo puts this municipality under; None for an unknown county."""
    if municipality.number in SPECIAL_CASES:
        return SPECIAL_CASES[municipality.number]
    rule = BY_COUNTY.get(county_number)
    if rule is None:
        return None
    return rule if isinstance(rule, str) else rule(municipality)

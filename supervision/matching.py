"""Matching ALIS without a supervisor to supervisors with free places: ranking for one, assignment for many.

Pure: works on plain records (built from the database by `supervision.pool`), knows no models.

Eligible supervisor for an ALIS: has a free place (capacity minus current assignments), is available
(`available_from` empty or not after the day), takes this kind of trainee (ALIS in allmennmedisin, or in
samfunnsmedisin), is not the ALIS themself, and can reach the ALIS: same municipality, or at most
`LOCAL_KM` between the municipalities, or willing to supervise at a distance (video).

Distance is the great-circle (haversine) distance between the municipalities' points. When either
municipality has no point, and they are not the same, the distance is unknown: it is shown as unknown,
costs `UNKNOWN_KM` in the assignment (worse than any local match, so a known near supervisor always wins)
and only a supervisor who supervises at a distance can take it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

# A supervisor who does not supervise by video meets the ALIS in person: within this distance.
LOCAL_KM = 100.0
UNKNOWN_KM = 500.0
# Distances within one band count as equally near when ranking, so that willingness to supervise at a
# distance and current load can decide between them.
DISTANCE_BAND_KM = 25.0
EARTH_RADIUS_KM = 6371.0
GENERAL_PRACTICE = "general_practice"
COMMUNITY_MEDICINE = "community_medicine"

METHOD = (
    "Minimum-cost maximum matching solved exactly as a rectangular assignment problem "
    "(scipy.optimize.linear_sum_assignment, a shortest-augmenting-path Hungarian method): each supervisor "
    "is expanded into one column per free place, each ALIS has a 'no match' column whose cost exceeds any "
    "possible total distance, so the most ALIS are matched first and then the least total distance."
)

Point = tuple[float, float]


@dataclass(frozen=True)
class Trainee:
    id: int  # the training's id
    doctor_id: int
    municipality_id: int
    gp_office_id: int | None
    point: Point | None
    specialty: str = GENERAL_PRACTICE


@dataclass(frozen=True)
class Candidate:
    id: int  # the supervisor's doctor id
    municipality_id: int | None
    gp_office_id: int | None
    point: Point | None
    is_specialist: bool
    exemption_until: date | None
    available_from: date | None
    capacity: int
    load: int
    remote_ok: bool
    supervises_alis: bool = True
    supervises_community_medicine: bool = False
    is_community_medicine_specialist: bool = False

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)

    def qualified(self, on: date, specialty: str = GENERAL_PRACTICE) -> bool:
        """For an ALIS: specialist in allmennmedisin, or an exemption still in force (spesialistforskriften
        § 25); for a SamLIS: specialist in samfunnsmedisin (samlis.no; registry.models.specialists_in)."""
        if specialty == COMMUNITY_MEDICINE:
            return self.is_community_medicine_specialist
        return self.is_specialist or (self.exemption_until is not None and self.exemption_until >= on)


@dataclass(frozen=True)
class Proposal:
    candidate: Candidate
    distance_km: float | None  # None: unknown
    qualified: bool
    same_office: bool
    same_municipality: bool


@dataclass(frozen=True)
class Pair:
    trainee_id: int
    supervisor_id: int
    distance_km: float | None


@dataclass(frozen=True)
class Assignment:
    pairs: list[Pair]
    unmatched: list[int]  # trainee ids
    total_km: float


def haversine_km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_km(trainee: Trainee, candidate: Candidate) -> float | None:
    if candidate.municipality_id == trainee.municipality_id:
        return 0.0
    if trainee.point is None or candidate.point is None:
        return None
    return haversine_km(trainee.point, candidate.point)


def _takes(trainee: Trainee, candidate: Candidate) -> bool:
    if trainee.specialty == COMMUNITY_MEDICINE:
        return candidate.supervises_community_medicine
    return candidate.supervises_alis


def _reachable(candidate: Candidate, distance: float | None) -> bool:
    return candidate.remote_ok or (distance is not None and distance <= LOCAL_KM)


def eligible(trainee: Trainee, candidate: Candidate, on: date) -> bool:
    """Could take this ALIS now, qualified or not (see the module docstring)."""
    return _eligible_distance(trainee, candidate, on) is not _NOT_ELIGIBLE


_NOT_ELIGIBLE = object()


def _eligible_distance(trainee: Trainee, candidate: Candidate, on: date) -> float | object | None:
    """The distance when the supervisor could take the ALIS, else _NOT_ELIGIBLE (one distance computed)."""
    if (
        candidate.free <= 0
        or candidate.id == trainee.doctor_id
        or (candidate.available_from is not None and candidate.available_from > on)
        or not _takes(trainee, candidate)
    ):
        return _NOT_ELIGIBLE
    distance = distance_km(trainee, candidate)
    return distance if _reachable(candidate, distance) else _NOT_ELIGIBLE


def rank_key(proposal: Proposal) -> tuple:
    """The order of the proposals for one ALIS, most important first.

    1. qualified (specialist, or exemption in force) — an unqualified supervisor does not count;
    2. at the same GP office — supervision where the ALIS works;
    3. in the same municipality;
    4. distance between the municipalities, in 25 km bands (unknown last);
    5. willing to supervise at a distance (video) — easier to fit in;
    6. current load, as the share of capacity in use — spreads the ALIS over the pool;
    7. exact distance, then name order (the caller's order) as the last tie-breakers.
    """
    c = proposal.candidate
    band = math.inf if proposal.distance_km is None else proposal.distance_km // DISTANCE_BAND_KM
    exact = math.inf if proposal.distance_km is None else proposal.distance_km
    return (
        not proposal.qualified,
        not proposal.same_office,
        not proposal.same_municipality,
        band,
        not c.remote_ok,
        c.load / c.capacity if c.capacity else 1.0,
        exact,
    )


def rank(trainee: Trainee, candidates: Sequence[Candidate], on: date) -> list[Proposal]:
    """Supervisors with a free place who could take this ALIS, best first (see `rank_key`)."""
    proposals = [
        Proposal(
            candidate=c,
            distance_km=distance_km(trainee, c),
            qualified=c.qualified(on, trainee.specialty),
            same_office=trainee.gp_office_id is not None and c.gp_office_id == trainee.gp_office_id,
            same_municipality=c.municipality_id == trainee.municipality_id,
        )
        for c in candidates
        if eligible(trainee, c, on)
    ]
    return sorted(proposals, key=rank_key)


def assign(trainees: Sequence[Trainee], candidates: Sequence[Candidate], on: date) -> Assignment:
    """Match as many ALIS as possible to qualified supervisors, then at the least total distance.

    Exact (see METHOD). A supervisor's free places are separate columns, each used at most once, so no
    supervisor is given more ALIS than they have free places.
    """
    pool = [c for c in candidates if (c.qualified(on) or c.qualified(on, COMMUNITY_MEDICINE)) and c.free > 0]
    slots = [c for c in pool for _ in range(c.free)]
    n = len(trainees)
    if n == 0:
        return Assignment(pairs=[], unmatched=[], total_km=0.0)
    km, eligible_pairs = _distance_matrix(trainees, pool, on)
    costs = np.where(eligible_pairs, np.nan_to_num(km, nan=UNKNOWN_KM), np.nan)
    # Leaving one ALIS unmatched costs more than any assignment's whole distance: more matches always win.
    worst = np.nanmax(costs) if not np.all(np.isnan(costs)) else 0.0
    no_match = (n + 1) * (worst + 1.0)
    forbidden = 2 * no_match  # never chosen: a free 'no match' column is always cheaper
    column_of_slot = [j for j, c in enumerate(pool) for _ in range(c.free)]
    matrix = np.full((n, len(slots) + n), no_match)
    if slots:
        matrix[:, : len(slots)] = np.nan_to_num(costs[:, column_of_slot], nan=forbidden)
    rows, cols = linear_sum_assignment(matrix)
    pairs, unmatched = [], []
    for i, k in zip(rows, cols, strict=True):
        if k < len(slots) and matrix[i, k] < no_match:
            j = column_of_slot[k]
            distance = None if np.isnan(km[i, j]) else float(km[i, j])
            pairs.append(Pair(trainees[i].id, pool[j].id, distance))
        else:
            unmatched.append(trainees[i].id)
    total = sum(p.distance_km if p.distance_km is not None else UNKNOWN_KM for p in pairs)
    return Assignment(pairs=pairs, unmatched=unmatched, total_km=round(total, 1))


def _distance_matrix(trainees: Sequence[Trainee], pool: Sequence[Candidate], on: date) -> tuple[np.ndarray, np.ndarray]:
    """`distance_km` and `eligible` for every ALIS and supervisor at once, as arrays (NaN: distance unknown).

    The same rules as the functions, computed on whole columns: a region has hundreds of ALIS and
    supervisors, and a Python call per pair was most of the region-wide proposal's time.
    """

    def column(values: list, dtype: type = float) -> np.ndarray:
        return np.array(values, dtype=dtype)

    def points(records: Sequence[Trainee] | Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        lat = column([r.point[0] if r.point else np.nan for r in records])
        lon = column([r.point[1] if r.point else np.nan for r in records])
        return np.radians(lat), np.radians(lon)

    t_lat, t_lon = (a[:, None] for a in points(trainees))
    c_lat, c_lon = (a[None, :] for a in points(pool))
    h = np.sin((c_lat - t_lat) / 2) ** 2 + np.cos(t_lat) * np.cos(c_lat) * np.sin((c_lon - t_lon) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))  # NaN where either point is missing
    t_municipality = column([t.municipality_id for t in trainees], object)[:, None]
    c_municipality = column([c.municipality_id for c in pool], object)[None, :]
    km = np.where(t_municipality == c_municipality, 0.0, km)
    community = column([t.specialty == COMMUNITY_MEDICINE for t in trainees], bool)[:, None]
    takes = np.where(  # and qualified for the ALIS's specialty: the pool holds both kinds
        community,
        column([c.supervises_community_medicine and c.qualified(on, COMMUNITY_MEDICINE) for c in pool], bool)[None, :],
        column([c.supervises_alis and c.qualified(on) for c in pool], bool)[None, :],
    )
    available = column([c.free > 0 and (c.available_from is None or c.available_from <= on) for c in pool], bool)
    not_self = column([t.doctor_id for t in trainees], object)[:, None] != column([c.id for c in pool], object)
    remote = column([c.remote_ok for c in pool], bool)[None, :]
    with np.errstate(invalid="ignore"):  # NaN (unknown) is never within reach
        reachable = remote | (km <= LOCAL_KM)
    return km, takes & available[None, :] & not_self & reachable

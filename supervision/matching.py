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

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)

    def qualified(self, on: date) -> bool:
        """Specialist in allmennmedisin, or an exemption still in force (spesialistforskriften § 25)."""
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
    return (
        candidate.free > 0
        and candidate.id != trainee.doctor_id
        and (candidate.available_from is None or candidate.available_from <= on)
        and _takes(trainee, candidate)
        and _reachable(candidate, distance_km(trainee, candidate))
    )


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
            qualified=c.qualified(on),
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
    pool = [c for c in candidates if c.qualified(on) and c.free > 0]
    slots = [c for c in pool for _ in range(c.free)]
    n = len(trainees)
    if n == 0:
        return Assignment(pairs=[], unmatched=[], total_km=0.0)
    distances: dict[tuple[int, int], float | None] = {}
    costs = np.full((n, len(pool)), np.nan)
    for i, t in enumerate(trainees):
        for j, c in enumerate(pool):
            if eligible(t, c, on):
                d = distance_km(t, c)
                distances[i, j] = d
                costs[i, j] = UNKNOWN_KM if d is None else d
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
            pairs.append(Pair(trainees[i].id, pool[j].id, distances[i, j]))
        else:
            unmatched.append(trainees[i].id)
    total = sum(p.distance_km if p.distance_km is not None else UNKNOWN_KM for p in pairs)
    return Assignment(pairs=pairs, unmatched=unmatched, total_km=round(total, 1))

import itertools
import random
from datetime import date

import pytest

from supervision import matching
from supervision.matching import Candidate, Trainee

ON = date(2026, 6, 1)
BERGEN, VOSS, BODO = (60.39, 5.32), (60.63, 6.42), (67.28, 14.40)


def trainee(id: int, municipality: int = 1, point=BERGEN, gp_office: int | None = None, **kw) -> Trainee:
    return Trainee(id=id, doctor_id=1000 + id, municipality_id=municipality, gp_office_id=gp_office, point=point, **kw)


def candidate(id: int, municipality: int = 1, point=BERGEN, capacity: int = 1, **kw) -> Candidate:
    values = {
        "gp_office_id": None,
        "is_specialist": True,
        "exemption_until": None,
        "available_from": None,
        "load": 0,
        "remote_ok": False,
    }
    return Candidate(id=id, municipality_id=municipality, point=point, capacity=capacity, **{**values, **kw})


def test_it_measures_distance_between_municipality_points():
    assert matching.haversine_km(BERGEN, VOSS) == pytest.approx(66, abs=1)
    assert matching.haversine_km(BERGEN, BODO) == pytest.approx(884, abs=2)


def test_it_ranks_qualified_then_office_then_municipality_then_distance():
    t = trainee(1, municipality=1, gp_office=7)
    ranked = matching.rank(
        t,
        [
            candidate(10, municipality=2, point=VOSS),
            candidate(11, municipality=1, is_specialist=False),  # not qualified: last
            candidate(12, municipality=1, gp_office_id=7),
            candidate(13, municipality=1),
            candidate(14, municipality=3, point=BODO, remote_ok=True),
        ],
        ON,
    )
    assert [p.candidate.id for p in ranked] == [12, 13, 10, 14, 11]
    assert ranked[-1].qualified is False


def test_it_prefers_remote_and_less_loaded_at_the_same_distance():
    t = trainee(1)
    ranked = matching.rank(
        t,
        [
            candidate(10, capacity=2, load=1),
            candidate(11, capacity=2, load=0),
            candidate(12, capacity=2, load=1, remote_ok=True),
        ],
        ON,
    )
    assert [p.candidate.id for p in ranked] == [12, 11, 10]


def test_it_counts_an_exemption_only_while_in_force():
    assert candidate(1, is_specialist=False, exemption_until=date(2026, 12, 31)).qualified(ON)
    assert not candidate(1, is_specialist=False, exemption_until=date(2026, 1, 1)).qualified(ON)


def test_it_leaves_out_full_unavailable_far_and_wrong_kind_supervisors():
    t = trainee(1)
    ranked = matching.rank(
        t,
        [
            candidate(10, capacity=1, load=1),  # full
            candidate(11, available_from=date(2026, 9, 1)),  # not yet available
            candidate(12, municipality=3, point=BODO),  # too far, not remote
            candidate(13, supervises_alis=False),  # only LIS1
            Candidate(**{**candidate(14).__dict__, "id": 1001}),  # the ALIS themself
            candidate(15),
        ],
        ON,
    )
    assert [p.candidate.id for p in ranked] == [15]


def test_it_treats_unknown_distance_as_reachable_only_by_video():
    t = trainee(1, point=None)
    ranked = matching.rank(t, [candidate(10, municipality=2), candidate(11, municipality=2, remote_ok=True)], ON)
    assert [(p.candidate.id, p.distance_km) for p in ranked] == [(11, None)]
    # Same municipality is distance 0 even without points.
    assert matching.rank(trainee(2, point=None), [candidate(12, point=None)], ON)[0].distance_km == 0.0


def test_it_gives_each_supervisor_no_more_than_their_free_places():
    # A and B are both in Bergen, S1 in Bergen and S2 in Voss (66 km): whichever gets S1, the total is 66 km;
    # both must be matched and S1 must not take two.
    a = trainee(1, municipality=1, point=BERGEN)
    b = trainee(2, municipality=1, point=BERGEN)
    s1 = candidate(10, municipality=1, point=BERGEN)
    s2 = candidate(11, municipality=2, point=VOSS)
    result = matching.assign([a, b], [s1, s2], ON)
    assert len(result.pairs) == 2
    assert result.total_km == pytest.approx(66, abs=1)
    assert sorted(p.supervisor_id for p in result.pairs) == [10, 11]


def test_it_matches_as_many_as_possible_before_distance():
    # A can reach both; B only S1 (S2 is too far for B and not remote). The nearest for A is S1 too, but
    # giving S1 to A would leave B without: both must be matched.
    a = trainee(1, municipality=2, point=VOSS)
    b = trainee(2, municipality=3, point=(60.5, 5.4))
    s1 = candidate(10, municipality=2, point=VOSS)
    s2 = candidate(11, municipality=4, point=(60.7, 7.5))  # 59 km from Voss, 117 km from B
    result = matching.assign([a, b], [s1, s2], ON)
    assert {(p.trainee_id, p.supervisor_id) for p in result.pairs} == {(1, 11), (2, 10)}
    assert result.unmatched == []


def test_it_uses_only_qualified_supervisors_and_reports_the_unmatched():
    result = matching.assign([trainee(1), trainee(2)], [candidate(10, is_specialist=False), candidate(11)], ON)
    assert [p.supervisor_id for p in result.pairs] == [11]
    assert len(result.unmatched) == 1


def test_it_handles_no_supervisors_and_no_trainees():
    assert matching.assign([trainee(1)], [], ON).unmatched == [1]
    assert matching.assign([], [candidate(1)], ON).pairs == []


def _brute_force(trainees, candidates):
    """Best (matched, -distance) over every way to give each ALIS a supervisor or none."""
    best = (0, 0.0)
    options = [None, *range(len(candidates))]
    for choice in itertools.product(options, repeat=len(trainees)):
        used: dict[int, int] = {}
        total, ok = 0.0, True
        for t, j in zip(trainees, choice, strict=True):
            if j is None:
                continue
            c = candidates[j]
            used[j] = used.get(j, 0) + 1
            if used[j] > c.free or not matching.eligible(t, c, ON) or not c.qualified(ON):
                ok = False
                break
            d = matching.distance_km(t, c)
            total += matching.UNKNOWN_KM if d is None else d
        matched = sum(j is not None for j in choice)
        if ok and (matched > best[0] or (matched == best[0] and total < best[1] - 1e-9)):
            best = (matched, total)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_it_is_optimal_and_never_exceeds_capacity_on_small_random_cases(seed):
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    points = [(rng.uniform(58, 70), rng.uniform(5, 25)) for _ in range(5)]
    trainees = [trainee(i, municipality=(m := rng.randrange(5)), point=points[m]) for i in range(rng.randint(1, 5))]
    candidates = [
        candidate(
            100 + j,
            municipality=(m := rng.randrange(5)),
            point=points[m],
            capacity=rng.randint(1, 2),
            load=rng.randint(0, 1),
            remote_ok=rng.random() < 0.4,
            is_specialist=rng.random() < 0.8,
        )
        for j in range(rng.randint(1, 4))
    ]
    result = matching.assign(trainees, candidates, ON)
    per_supervisor: dict[int, int] = {}
    for p in result.pairs:
        per_supervisor[p.supervisor_id] = per_supervisor.get(p.supervisor_id, 0) + 1
    for c in candidates:
        assert per_supervisor.get(c.id, 0) <= c.free
    assert len(result.pairs) + len(result.unmatched) == len(trainees)
    matched, total = _brute_force(trainees, candidates)
    assert len(result.pairs) == matched
    assert result.total_km == pytest.approx(total, abs=0.2)


def test_it_beats_greedy_on_total_distance():
    # On one meridian: B (59.5) — A (60.0), S1 just beside A — S2 (60.5). Greedy gives A its nearest, S1
    # (5.6 km), and B gets S2 (111.2 km): 116.8 km. The optimum is A→S2 (55.6) and B→S1 (55.9): 111.5 km.
    a = trainee(1, municipality=1, point=(60.0, 10.0))
    b = trainee(2, municipality=2, point=(59.5, 10.0))
    s1 = candidate(10, municipality=3, point=(60.0, 10.1), remote_ok=True)
    s2 = candidate(11, municipality=4, point=(60.5, 10.0), remote_ok=True)
    result = matching.assign([a, b], [s1, s2], ON)
    assert {(p.trainee_id, p.supervisor_id) for p in result.pairs} == {(1, 11), (2, 10)}
    assert result.total_km == pytest.approx(111.5, abs=0.2)

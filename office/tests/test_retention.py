"""The Kaplan–Meier estimator: by hand on a tiny case, and against lifelines on a larger one."""

import random
from datetime import date

import pytest

from office.retention import (
    Completion,
    Observation,
    RegularGpLists,
    anniversary,
    at_risk_at,
    kaplan_meier,
    observation,
    stays_after_completion,
    survival_at,
)


def test_it_matches_a_hand_computed_case() -> None:
    # Six ALIS: left at 3, 6 and 6 months, censored at 4, 6 and 10.
    # t=3: 6 at risk, 1 leaves → 5/6. t=4: censored. t=6: 4 at risk (the one censored at 6 too), 2 leave
    # → 5/6 · 2/4 = 5/12. t=10: censored, no change.
    data = [
        Observation(3, True),
        Observation(4, False),
        Observation(6, True),
        Observation(6, True),
        Observation(6, False),
        Observation(10, False),
    ]
    steps = kaplan_meier(data)
    assert [(s.time, s.at_risk, s.events, s.censored) for s in steps] == [
        (3, 6, 1, 0),
        (4, 5, 0, 1),
        (6, 4, 2, 1),
        (10, 1, 0, 1),
    ]
    assert [s.survival for s in steps] == pytest.approx([5 / 6, 5 / 6, 5 / 12, 5 / 12])
    assert survival_at(steps, 0) == 1.0
    assert survival_at(steps, 5.9) == pytest.approx(5 / 6)
    assert survival_at(steps, 7) == pytest.approx(5 / 12)
    assert survival_at(steps, 11) is None
    assert at_risk_at(steps, 5) == 4


def test_it_gives_no_steps_without_data() -> None:
    assert kaplan_meier([]) == []
    assert survival_at([], 12) is None


def test_it_agrees_with_lifelines() -> None:
    lifelines = pytest.importorskip("lifelines")
    rng = random.Random(5)  # noqa: S311 (test data, not security)
    data = [Observation(round(rng.uniform(0, 84), 1), rng.random() < 0.3) for _ in range(400)]
    # Ties on purpose: whole months, as many trainings start and end on the 1st.
    data += [Observation(float(rng.randint(1, 60)), rng.random() < 0.4) for _ in range(200)]
    steps = kaplan_meier(data)

    fitter = lifelines.KaplanMeierFitter().fit([o.duration for o in data], [o.event for o in data])
    expected = fitter.survival_function_["KM_estimate"]
    table = fitter.event_table
    for step in steps:
        assert step.survival == pytest.approx(expected.loc[step.time], abs=1e-12)
        assert step.at_risk == table.loc[step.time, "at_risk"]
        assert step.events == table.loc[step.time, "observed"]
        assert step.censored == table.loc[step.time, "censored"]
    for months in (6, 12, 24, 36, 60):
        assert survival_at(steps, months) == pytest.approx(fitter.predict(months), abs=1e-12)


@pytest.mark.parametrize(
    ("status", "ended_on", "expected"),
    [
        ("active", None, Observation(24.0, False)),
        ("leave", None, Observation(24.0, False)),
        ("left", date(2021, 1, 1), Observation(12.0, True)),
        ("completed", date(2021, 1, 1), Observation(12.0, False)),
        ("left", date(2023, 1, 1), Observation(24.0, False)),  # left after the day: still in position then
        ("left", None, Observation(0.0, False)),
    ],
)
def test_it_observes_a_training_on_a_day(status, ended_on, expected) -> None:
    result = observation(start=date(2020, 1, 1), status=status, ended_on=ended_on, on=date(2022, 1, 1))
    assert result.event == expected.event
    assert result.duration == pytest.approx(expected.duration, abs=0.05)


def test_it_skips_trainings_not_started() -> None:
    assert observation(start=date(2023, 1, 1), status="active", ended_on=None, on=date(2022, 12, 31)) is None


# After completion: still a regular GP? A hand-made timeline of lists and five specialists.
A, B, C = 1, 2, 3  # municipalities: A and B in the region, C in another
JAN = {year: date(year, 1, 10) for year in (2021, 2022, 2024, 2026)}
LISTS = [(A, JAN[2021]), (A, JAN[2022]), (A, JAN[2024]), (A, JAN[2026])]
LISTS += [(B, JAN[2021]), (B, JAN[2024]), (B, JAN[2026]), (C, JAN[2024]), (C, JAN[2026])]  # B: none in 2022
ENTRIES = [
    (A, JAN[2021], 1),
    (A, JAN[2022], 1),
    (A, JAN[2022], 2),
    (A, JAN[2022], 4),
    (B, JAN[2024], 1),  # d1 moved from A to B, then to C (another region)
    (B, JAN[2024], 3),
    (C, JAN[2024], 4),
    (C, JAN[2026], 1),
]
ON = date(2026, 3, 1)
COMPLETIONS = [
    Completion(doctor=1, municipality=A, region=10, completed_on=date(2020, 12, 1)),
    Completion(doctor=2, municipality=A, region=10, completed_on=date(2021, 6, 15)),
    Completion(doctor=3, municipality=B, region=10, completed_on=date(2022, 9, 1)),
    Completion(doctor=4, municipality=A, region=10, completed_on=date(2019, 3, 1)),
    Completion(doctor=5, municipality=A, region=10, completed_on=date(2020, 12, 20)),
]
REGIONS = {10: {A, B}, 20: {C}}


def test_it_finds_the_list_nearest_a_day_within_half_a_year() -> None:
    lists = RegularGpLists(LISTS, ENTRIES, on=ON)
    assert lists.nearest(A, date(2021, 12, 1)) == JAN[2022]
    assert lists.nearest(A, date(2022, 6, 15)) == JAN[2022]  # 156 days after; the 2024 list is too far
    assert lists.nearest(A, date(2020, 3, 1)) is None  # 315 days before the first list
    assert lists.nearest(B, date(2021, 12, 20)) is None  # B has no list in 2022
    assert RegularGpLists(LISTS, ENTRIES, on=date(2025, 12, 31)).nearest(A, date(2025, 12, 1)) is None  # not yet


def test_it_counts_who_stayed_after_completion_on_a_hand_made_timeline() -> None:
    # By hand, day = completion + n years, the nearest list of the municipality (and of every one in the region):
    #   1 year: d1 A 2022 yes; d2 A 2022 yes; d3 B 2024 yes; d4 no list near 01.03.2020: unknown; d5 not on A 2022,
    #           region unknown (B has no list near 20.12.2021).            → kommune 3 of 4, region 3 of 3
    #   3 years: d1 not on A 2024 but on B 2024; d2 on neither; d3 not on B 2026; d4 on A 2022; d5 on neither.
    #                                                                     → kommune 1 of 5, region 2 of 5
    #   5 years: d2 and d3 not reached by 01.03.2026; d1 in C (another region); d4 in C; d5 on neither.
    #                                                                     → kommune 0 of 3, region 0 of 3
    counts = stays_after_completion(COMPLETIONS, RegularGpLists(LISTS, ENTRIES, on=ON), REGIONS, on=ON)
    assert [
        (c.years, c.reached, c.known_municipality, c.in_municipality, c.known_region, c.in_region) for c in counts
    ] == [(1, 5, 4, 3, 3, 3), (3, 5, 5, 1, 5, 2), (5, 3, 3, 0, 3, 0)]
    assert [(c.share_municipality, c.share_region) for c in counts] == [(0.75, 1.0), (0.2, 0.4), (0.0, 0.0)]


def test_it_says_unknown_rather_than_zero_without_lists() -> None:
    """d4's first year has no list anywhere near: reached, but unknown; the share is None, not 0 %."""
    lists = RegularGpLists(LISTS, ENTRIES, on=ON)
    (count,) = stays_after_completion([COMPLETIONS[3]], lists, REGIONS, on=ON, years=(1,))
    assert (count.reached, count.known_municipality, count.known_region) == (1, 0, 0)
    assert (count.share_municipality, count.share_region) == (None, None)
    (nothing,) = stays_after_completion(COMPLETIONS, RegularGpLists([], [], on=ON), REGIONS, on=ON, years=(1,))
    assert (nothing.reached, nothing.share_municipality, nothing.share_region) == (5, None, None)


def test_it_does_not_use_lists_after_the_day_of_the_analysis() -> None:
    on = date(2025, 12, 31)  # the 2026 lists are not known yet: d1's fifth year (01.12.2025) is unknown
    counts = stays_after_completion(COMPLETIONS[:1], RegularGpLists(LISTS, ENTRIES, on=on), REGIONS, on=on)
    assert [(c.reached, c.known_municipality, c.known_region) for c in counts] == [(1, 1, 1), (1, 1, 1), (1, 0, 0)]


def test_it_moves_29_february_to_28_february() -> None:
    assert anniversary(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)

"""The Kaplan–Meier estimator: by hand on a tiny case, and against lifelines on a larger one."""

import random
from datetime import date

import pytest

from office.retention import Observation, at_risk_at, kaplan_meier, observation, survival_at


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

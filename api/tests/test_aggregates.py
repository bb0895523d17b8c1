"""Aggregates for Helsedirektoratet: the overview's numbers, suppressed for the reader and for no one else."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from courses.tests.conftest import make_course, make_registration
from registry.models import Doctor, Municipality, Registration
from training import overview as ov
from training.models import Contract, Scheme, ServicePeriod, Training


def _alis(world, municipality, count: int, *, scheme=Scheme.NEW, contract=Contract.SALARIED) -> None:
    for i in range(count):
        name = f"{municipality.number}-{i}"
        doctor = Doctor.objects.create(first_name="A", last_name=name, municipality=municipality)
        Training.objects.create(
            doctor=doctor,
            employer=municipality,
            scheme=scheme,
            contract=contract,
            start=date(2018, 1, 1) if scheme == Scheme.OLD else date(2022, 1, 1),
            expected_end=date(2028, 1, 1),
        )


def _values(counts: dict) -> dict:
    return {key: cell["value"] for key, cell in counts.items()}


@pytest.fixture
def alis_world(world):
    """Bergen: 12 ALIS (9 new, 3 old); Os (Vestland): 6; Bodø: 2."""
    os_ = Municipality.objects.create(
        number="4624", name="Bjørnafjorden", name_norwegian="Bjørnafjorden", county=world.vestland, centrality=None
    )
    _alis(world, world.bergen, 9)
    _alis(world, world.bergen, 3, scheme=Scheme.OLD, contract=Contract.SELF_EMPLOYED)
    _alis(world, os_, 6)
    _alis(world, world.bodo, 2)
    world.os = os_
    return world


def test_staff_see_their_own_office_exactly(alis_world, api_as, vest_user):
    body = api_as(vest_user).get("/api/v1/aggregates/alis/?level=municipality").json()
    assert body["office"] == "vest" and body["suppression"]["applied"] is False
    rows = {row["code"]: _values(row["counts"]) for row in body["rows"]}
    assert set(rows) == {"4601", "4624"}
    assert rows["4601"] | {} == {
        "total": 12,
        "new": 9,
        "old": 3,
        "no_supervisor": 12,
        "salaried": 9,
        "self_employed": 3,
        "locum": 0,
        "municipal_no_list": 0,
    }
    assert _values(body["total"])["total"] == 18
    # The same numbers as the overview page.
    office_rows, _total = ov.alis_by_municipality(alis_world.vest, timezone.localdate())
    assert [r.total for r in office_rows] == [12, 6]


def test_the_reader_gets_small_counts_suppressed(alis_world, api_as, reader):
    client = api_as(reader)
    body = client.get("/api/v1/aggregates/alis/?level=municipality").json()
    assert body["office"] is None and body["suppression"] == {"applied": True, "threshold": 5}
    rows = {row["code"]: row["counts"] for row in body["rows"]}
    assert rows["1804"]["total"] == {"value": None, "suppressed": True}  # 2 in Bodø
    assert rows["4601"]["old"] == {"value": None, "suppressed": True}  # 3 old-scheme in Bergen
    assert rows["4601"]["new"]["suppressed"]  # else total − old would reveal the 3
    assert rows["4601"]["total"] == {"value": 12, "suppressed": False}
    assert rows["4601"]["locum"] == {"value": 0, "suppressed": False}
    # Nord's office total equals Bodø's 2: hidden on every level.
    offices = {row["code"]: row["counts"] for row in client.get("/api/v1/aggregates/alis/?level=office").json()["rows"]}
    assert offices["nord"]["total"]["suppressed"]
    national = client.get("/api/v1/aggregates/alis/?level=county").json()["total"]
    assert national["total"] == {"value": 20, "suppressed": False}


def test_no_row_or_column_reveals_a_hidden_count(alis_world, api_as, reader):
    body = api_as(reader).get("/api/v1/aggregates/alis/?level=municipality").json()
    for row in [*body["rows"], {"counts": body["total"]}]:
        counts = row["counts"]
        for members in (["new", "old"], ["salaried", "self_employed", "locum", "municipal_no_list"]):
            hidden = [m for m in [*members, "total"] if counts[m]["suppressed"]]
            assert len(hidden) != 1, (row, members)


def test_the_reader_chooses_an_office_and_an_unknown_one_is_refused(alis_world, api_as, reader):
    client = api_as(reader)
    body = client.get("/api/v1/aggregates/alis/?level=county&office=vest").json()
    assert [row["code"] for row in body["rows"]] == ["46"]
    assert client.get("/api/v1/aggregates/alis/?office=mars").status_code == 422


def test_the_counts_follow_the_data_and_each_viewer_gets_their_own(alis_world, api_as, vest_user, reader):
    url = "/api/v1/aggregates/alis/?level=municipality"
    staff, hidden = api_as(vest_user), api_as(reader)
    assert _bergen(staff.get(url).json())["total"]["value"] == 12
    assert _bergen(hidden.get(url).json())["old"]["suppressed"]  # kept apart from the staff's exact answer
    assert _bergen(staff.get(url).json())["old"]["value"] == 3
    _alis(alis_world, alis_world.bergen, 1)  # a new ALIS: the next answer counts it
    assert _bergen(staff.get(url).json())["total"]["value"] == 13


def _bergen(body: dict) -> dict:
    return next(row["counts"] for row in body["rows"] if row["code"] == "4601")


def test_hospital_demand_per_trust_and_half_year(records, api_as, nord_user, reader):
    # records: one Nord ALIS with hospital service planned at Nordlandssykehuset in the first half of 2026.
    start = timezone.localdate().replace(day=1) + timedelta(days=40)
    ServicePeriod.objects.filter(pk=records.nord_period.pk).update(start=start, end=start + timedelta(days=100))
    staff = api_as(nord_user).get("/api/v1/aggregates/hospital-demand/").json()
    assert staff["office"] == "nord" and len(staff["half_years"]) == 6
    [row] = staff["rows"]
    assert row["health_trust"] == "Nordlandssykehuset HF"
    assert [c["value"] for c in row["counts"]].count(1) >= 1
    hidden = api_as(reader).get("/api/v1/aggregates/hospital-demand/").json()
    assert all(c["value"] is None or c["value"] == 0 for c in hidden["rows"][0]["counts"])
    assert any(c["suppressed"] for c in hidden["total"])
    # Kept until a table it is counted from is written to (core.tableversions): a queryset update is seen.
    ServicePeriod.objects.filter(pk=records.nord_period.pk).update(planned=False)
    assert api_as(nord_user).get("/api/v1/aggregates/hospital-demand/").json()["rows"] == []


def test_course_statistics_for_a_year(world, api_as, reader, vest_user):
    course = make_course(world.vest, days=((-60, -59),))
    for i in range(7):
        supervises = "alis" if i else "lis1"
        make_registration(course, world.bergen, email=f"d{i}@x.no", is_specialist=i < 6, supervises=supervises)
    year = (timezone.localdate() - timedelta(days=60)).year
    staff = api_as(vest_user).get(f"/api/v1/aggregates/courses/?year={year}").json()
    [line] = staff["courses"]
    assert _values(line["counts"]) == {
        "participants": 7,
        "specialists": 6,
        "completed": 0,
        "supervises_alis": 6,
        "supervises_lis1": 1,
        "supervises_none": 0,
    }
    hidden = api_as(reader).get(f"/api/v1/aggregates/courses/?year={year}").json()["courses"][0]["counts"]
    assert hidden["participants"]["value"] == 7 and hidden["supervises_lis1"]["suppressed"]
    assert hidden["supervises_alis"]["suppressed"]  # 7 − 1 − 0 would reveal the one
    assert api_as(reader).get("/api/v1/aggregates/courses/").status_code == 422  # the year is required


def test_registration_by_status_and_centrality(world, api_as, reader):
    Municipality.objects.filter(pk=world.bodo.pk).update(centrality=None)
    Registration.objects.create(
        municipality=world.bergen, specialty="general_practice", status="registered", valid_from=date(2020, 1, 1)
    )
    body = api_as(reader).get("/api/v1/aggregates/registration/").json()
    general = next(s for s in body["specialties"] if s["specialty"] == "general_practice")
    statuses = {s["status"]: s for s in general["statuses"]}
    assert statuses["registered"]["count"] == 1 and statuses["registered"]["by_centrality"]["1"] == 1
    assert statuses["not_applied"]["by_centrality"]["unknown"] == 1  # Bodø, centrality unknown
    assert statuses["registered"]["by_county"] == {"Vestland": 1}

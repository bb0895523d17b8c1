"""Lists: the web lists' filters and sorting, bounded pages, and a number of queries that does not grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import messages
from registry.models import Doctor, GpListStatistics, GpOffice, Municipality
from supervision.models import SupervisionSession, SupervisorProfile
from training.models import Contract, Scheme, ServicePeriod, Status, SupervisorAssignment, Training


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["doctor"]["last_name"] for row in response.json()["data"]]


def _trainings(world, count: int, *, start: int = 0) -> list[Training]:
    office = GpOffice.objects.create(name=f"Kontor {start}", municipality=world.bergen)
    trainings = []
    for i in range(start, start + count):
        doctor = Doctor.objects.create(first_name="ALIS", last_name=f"Nr{i:03d}", municipality=world.bergen)
        supervisor = Doctor.objects.create(first_name="Veileder", last_name=f"V{i:03d}", municipality=world.bergen)
        training = Training.objects.create(
            doctor=doctor,
            employer=world.bergen,
            gp_office=office,
            scheme=Scheme.NEW if i % 2 else Scheme.OLD,
            contract=Contract.SALARIED,
            start=date(2018, 1, 1),
            expected_end=date(2027, 1, 1),
        )
        ServicePeriod.objects.create(training=training, kind="hospital", start=date(2019, 1, 1), end=date(2019, 6, 30))
        SupervisorAssignment.objects.create(training=training, supervisor=supervisor, start=date(2018, 1, 1))
        SupervisorProfile.objects.create(doctor=supervisor)
        SupervisionSession.objects.create(training=training, supervisor=supervisor, date=date(2024, 1, 1), minutes=45)
        trainings.append(training)
    return trainings


def test_filters_are_the_web_lists(records, api_as, vest_user):
    client = api_as(vest_user)
    assert _names(client.get("/api/v1/trainings/")) == ["Nordmann"]
    records.vest_training.status = Status.COMPLETED
    records.vest_training.ended_on = date(2025, 1, 1)
    records.vest_training.save()
    assert _names(client.get("/api/v1/trainings/")) == []  # ongoing only, as on the web
    assert _names(client.get("/api/v1/trainings/?status=")) == ["Nordmann"]
    assert _names(client.get("/api/v1/trainings/?status=completed&q=nordm")) == ["Nordmann"]
    assert _names(client.get("/api/v1/trainings/?status=&scheme=old")) == []


def test_unknown_centrality_is_null_and_filtered_as_unknown(world, api_as, vest_user):
    Municipality.objects.filter(pk=world.bergen.pk).update(centrality=None)
    client = api_as(vest_user)
    rows = client.get("/api/v1/municipalities/?office=").json()["data"]
    assert {r["number"]: r["centrality"] for r in rows} == {"4601": None, "1804": 3}
    unknown = client.get("/api/v1/municipalities/?office=&centrality=unknown").json()["data"]
    assert [r["number"] for r in unknown] == ["4601"]


def test_staff_start_in_their_own_region_as_on_the_web(world, api_as, vest_user):
    client = api_as(vest_user)
    assert [r["number"] for r in client.get("/api/v1/municipalities/").json()["data"]] == ["4601"]
    assert [r["number"] for r in client.get("/api/v1/municipalities/?office=nord").json()["data"]] == ["1804"]


def test_sorting_and_pages(world, api_as, vest_user):
    _trainings(world, 5)
    client = api_as(vest_user)
    first = client.get("/api/v1/trainings/?sort=-name&page_size=2").json()
    assert [r["doctor"]["last_name"] for r in first["data"]] == ["Nr004", "Nr003"]
    assert first["meta"] == {"count": 5, "page": 1, "page_size": 2, "pages": 3}
    assert first["links"]["previous"] is None
    last = client.get(first["links"]["next"].replace("page=2", "page=3")).json()
    assert [r["doctor"]["last_name"] for r in last["data"]] == ["Nr000"] and last["links"]["next"] is None
    past_end = client.get("/api/v1/trainings/?page=9").json()
    assert past_end["data"] == [] and past_end["meta"]["count"] == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=101", "page_size"),
        ("page=0", "page"),
        ("sort=shoesize", "sort"),
        ("municipality=46x1", "municipality"),
    ],
)
def test_bad_list_parameters_get_422(records, api_as, vest_user, query, field):
    response = api_as(vest_user).get(f"/api/v1/trainings/?{query}")
    assert response.status_code == 422
    assert field in messages(response)


def test_filter_form_errors_are_norwegian(records, api_as, vest_user):
    response = api_as(vest_user).get("/api/v1/trainings/?municipality=46")
    assert messages(response) == {"municipality": ["Kommunenummeret har fire sifre."]}


LISTS = [
    "/api/v1/trainings/",
    "/api/v1/doctors/",
    "/api/v1/supervisor-profiles/",
    "/api/v1/supervision-sessions/",
    "/api/v1/gp-offices/?office=",
    "/api/v1/municipalities/?office=",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_the_rows(world, api_as, vest_user, url):
    client = api_as(vest_user)
    _trainings(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url + ("&" if "?" in url else "?") + "page_size=100").status_code == 200
    _trainings(world, 27, start=3)
    client.get(url)  # as above: a list whose count is kept counts again once after a write (core.lists)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url + ("&" if "?" in url else "?") + "page_size=100")
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    assert len(large) <= 8


def test_a_training_with_many_periods_takes_few_queries(world, api_as, vest_user, django_assert_max_num_queries):
    training = _trainings(world, 1)[0]
    for month in range(1, 12):
        ServicePeriod.objects.create(
            training=training, kind="leave", start=date(2020, month, 1), end=date(2020, month, 2)
        )
    client = api_as(vest_user)
    client.get(f"/api/v1/trainings/{training.pk}/")
    with django_assert_max_num_queries(9):
        assert client.get(f"/api/v1/trainings/{training.pk}/").status_code == 200


def test_municipalities_filter_by_ssb_12005_as_the_web_list_does(api_as, vest_user, world) -> None:
    """The API has no SSB columns of its own: the filter takes the latest year imported (a 500 before)."""
    from registry.models import GpListStatistics

    GpListStatistics.objects.create(municipality=world.bergen, year=2024, lists_without_doctor=0, open_lists=3)
    GpListStatistics.objects.create(municipality=world.bergen, year=2025, lists_without_doctor=4, open_lists=0)

    response = api_as(vest_user).get("/api/v1/municipalities/?gp_lists=without_doctor")

    assert response.status_code == 200, response.content[:300]
    assert [row["number"] for row in response.json()["data"]] == [world.bergen.number]


@pytest.mark.parametrize(
    ("sort", "first"), [("without_doctor", "bodo"), ("-without_doctor", "bergen"), ("open_lists", "bergen")]
)
def test_municipalities_sort_by_the_ssb_12005_columns(api_as, reader, world, sort, first) -> None:
    """The sort keys come from the web list's columns, SSB's figures among them (a 500 before, found by the
    Schemathesis sweep)."""
    GpListStatistics.objects.create(municipality=world.bergen, year=2025, lists_without_doctor=4, open_lists=0)
    GpListStatistics.objects.create(municipality=world.bodo, year=2025, lists_without_doctor=1, open_lists=2)

    response = api_as(reader).get(f"/api/v1/municipalities/?sort={sort}")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["data"][0]["number"] == getattr(world, first).number


def test_every_sort_key_of_every_list_answers(full_records, api_as, vest_user, coordinator, reader) -> None:
    """Each list's `sort` values in the OpenAPI document, ascending and descending, as each persona: no 500
    (a sort key whose column the endpoint's query did not annotate was one)."""
    document = api_as(None).get("/api/v1/openapi.json").json()
    lists = []
    for path, operations in document["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        sort = next((p for p in parameters if p["name"] == "sort"), None)
        if sort is None or "{" in path:
            continue
        schema = sort["schema"]
        alternatives = schema.get("anyOf", schema.get("allOf", []))
        keys = schema.get("enum") or next(part["enum"] for part in alternatives if "enum" in part)
        lists.append((path, keys))
    assert len(lists) >= 8

    for user in (vest_user, coordinator, reader):
        client = api_as(user)
        for path, keys in lists:
            for key in keys:
                response = client.get(path, {"sort": key})
                assert response.status_code in {200, 403}, f"{path}?sort={key} as {user}: {response.status_code}"


def test_the_kept_count_of_sessions_follows_every_write(world, api_as, vest_user, nord_user):
    training = _trainings(world, 2)[0]
    vest, nord = api_as(vest_user), api_as(nord_user)

    def count(client) -> int:
        return client.get("/api/v1/supervision-sessions/").json()["meta"]["count"]

    assert (count(vest), count(vest), count(nord)) == (2, 2, 0)  # each region its own count
    session = SupervisionSession.objects.create(
        training=training,
        supervisor=training.supervisor_assignments.get().supervisor,
        date=date(2024, 2, 1),
        minutes=30,
    )
    assert count(vest) == 3
    SupervisionSession.objects.filter(pk=session.pk).delete()  # a queryset delete: no signal, still counted
    assert count(vest) == 2
    Training.objects.filter(pk=training.pk).update(employer=world.bodo)  # the ALIS moved to Nord with the sessions
    assert (count(vest), count(nord)) == (1, 1)


def test_a_kept_page_is_the_same_json_and_follows_every_write(records, api_as, vest_user):
    """The page is kept as JSON until a table it was read from is written to (core.tableversions): a write outside
    the forms is returned at once, and the read log has its entry every time."""
    from core.models import Read

    client = api_as(vest_user)
    first = client.get("/api/v1/trainings/")
    again = client.get("/api/v1/trainings/")
    assert first.content == again.content and first["Content-Type"] == again["Content-Type"]
    assert Read.objects.filter(user=vest_user, kind="list", channel="api").count() >= 2
    Doctor.objects.filter(pk=records.vest_training.doctor_id).update(last_name="Omdøpt")
    assert _names(client.get("/api/v1/trainings/")) == ["Omdøpt"]
    Municipality.objects.filter(number="4601").update(name="Bjørgvin")
    rows = client.get("/api/v1/municipalities/").json()["data"]
    assert [r["name"] for r in rows] == ["Bjørgvin"]

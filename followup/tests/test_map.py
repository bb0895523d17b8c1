"""The region's map: drawn on the server from the coordinates, its numbers the overview's, the same as a table."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import regionmap
from followup.regionmap import Place
from followup.tests.conftest import TODAY
from registry.models import Doctor, Registration, RegistrationStatus, Specialty
from supervision import pool
from supervision.models import SupervisorProfile
from training.models import Contract, Training


def _place(name: str, lat: float | None, lon: float | None, alis: int = 0) -> Place:
    return Place(pk=0, number="0000", name=name, latitude=lat, longitude=lon, alis=alis, status="registered", free=0)


def test_it_projects_north_up_with_the_longitudes_shrunk_at_the_middle_latitude() -> None:
    bergen, voss, south = _place("Bergen", 60.0, 5.0), _place("Voss", 60.0, 7.0), _place("Sør", 58.0, 5.0)
    width, height = regionmap.project([bergen, voss, south], max_height=400)
    assert bergen.y < south.y  # north up
    assert bergen.x < voss.x
    # Two degrees of longitude at 59°N are cos(59°) ≈ 0.515 of two degrees of latitude.
    assert (voss.x - bergen.x) / (south.y - bergen.y) == pytest.approx(0.515, abs=0.002)
    assert height == 400 and width < height  # a tall region makes a narrow drawing


def test_a_region_of_one_municipality_has_it_in_the_middle() -> None:
    oslo = _place("Oslo", 59.91, 10.75)
    width, height = regionmap.project([oslo])
    assert (oslo.x, oslo.y) == (width / 2, height / 2)


def test_a_place_without_coordinates_is_not_drawn() -> None:
    haram, bergen = _place("Haram", None, None), _place("Bergen", 60.0, 5.0)
    regionmap.project([haram, bergen])
    assert not haram.placed and bergen.placed


def test_the_area_of_a_point_follows_its_alis() -> None:
    assert regionmap.radius(0, 10) == regionmap.MIN_RADIUS
    assert regionmap.radius(10, 10) == regionmap.MAX_RADIUS
    assert regionmap.radius(4, 16) == pytest.approx(
        regionmap.MIN_RADIUS + (regionmap.MAX_RADIUS - regionmap.MIN_RADIUS) / 2
    )


@pytest.fixture
def mapped(region, records, world):
    Registration.objects.create(
        municipality=world.bergen,
        specialty=Specialty.GENERAL_PRACTICE,
        status=RegistrationStatus.REGISTERED,
        valid_from=date(2020, 1, 1),
    )
    Registration.objects.create(
        municipality=region.askoy,
        specialty=Specialty.GENERAL_PRACTICE,
        status=RegistrationStatus.PENDING,
        valid_from=date(2025, 1, 1),
    )
    SupervisorProfile.objects.create(doctor=records.vest_supervisor, capacity=4)  # supervises two: two free
    return region


def test_the_maps_table_has_the_overviews_numbers(client, mapped, vest_user, world) -> None:
    client.force_login(vest_user)
    overview = client.get(reverse("training:overview")).context
    page = client.get(reverse("followup:map_panel"), {"office": "vest"})
    found = page.context["map"]
    # ALIS per municipality: the overview's table «ALIS per kommune», row for row, and its sum.
    assert {p.pk: p.alis for p in found.places} == {row.link.pk: row.total for row in overview["area_rows"]}
    assert found.total_alis == overview["total"].total == 4
    # Free places: the supervisor pool's, per municipality.
    assert {p.pk: p.free for p in found.places if p.free} == {
        row.key: row.free for row in pool.pool_summary(world.vest, TODAY).rows if row.free
    }
    assert found.total_free == 1  # capacity 4, supervising three
    # And the table on the page shows those numbers.
    html = page.content.decode()
    assert '4601 Bergen</a></th><td class="num">2</td><td>Registrert</td><td class="num">1</td>' in html


def test_the_map_draws_each_status_with_its_own_shape(client, mapped, vest_user, world) -> None:
    client.force_login(vest_user)
    html = client.get(reverse("followup:map_panel"), {"office": "vest"}).content.decode()
    assert re.search(r'aria-label="Bergen: 2 ALIS, Registrert, 1 ledige veilederplasser">\s*<circle', html)
    assert re.search(r'aria-label="Askøy: 1 ALIS, Søknad til behandling, 0 ledige veilederplasser">\s*<polygon', html)
    assert re.search(
        r'aria-label="Voss: 1 ALIS, Ikke søkt, 0 ledige veilederplasser">\s*<circle[^>]*stroke-dasharray', html
    )
    # Modalen has no coordinates: listed beside the map and in the table, not drawn.
    assert "Uten koordinater" in html and "Modalen</a>: 0 ALIS" in html
    modalen = '4629 Modalen</a></th><td class="num">0</td><td>Ikke søkt</td><td class="num">0</td><td>nei, mangler'
    assert modalen in html
    # The coordinates are written with a decimal point whatever the language.
    assert not re.search(r'cx="\d+,\d', html)


def test_all_regions_ask_for_one(client, mapped, coordinator) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("followup:map_panel"))
    assert page.context["map"] is None
    assert "Velg en region" in page.content.decode()


def test_the_reader_sees_the_map_of_aggregates(client, mapped, reader) -> None:
    client.force_login(reader)
    page = client.get(reverse("followup:map_panel"), {"office": "vest"})
    assert page.status_code == 200 and page.context["map"].total_alis == 4


def _add_alis(world, count: int, first: int) -> None:
    doctors = Doctor.objects.bulk_create(
        Doctor(first_name="ALIS", last_name=str(n), hpr_number=str(5000000 + n), municipality=world.bergen)
        for n in range(first, first + count)
    )
    Training.objects.bulk_create(
        Training(
            doctor=d,
            employer=world.bergen,
            contract=Contract.SALARIED,
            start=date(2024, 1, 1),
            expected_end=date(2029, 1, 1),
        )
        for d in doctors
    )


def _start_page_queries(client) -> int:
    """The start page and its two panels, as their first view after the data changed (the counts computed)."""
    with CaptureQueriesContext(connection) as queries:
        for url in (
            reverse("training:overview"),
            reverse("followup:attention_panel") + "?office=vest",
            reverse("followup:map_panel") + "?office=vest",
        ):
            assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["vest_user", "coordinator"])
def test_the_start_page_does_a_fixed_number_of_queries(client, world, records, frozen, request, user) -> None:
    client.force_login(request.getfixturevalue(user))
    _start_page_queries(client)  # the stored counts are there from the night before
    _add_alis(world, 1, 0)  # 3 ALIS in all (with the records' two)
    few = _start_page_queries(client)
    _add_alis(world, 27, 1)  # 30
    assert _start_page_queries(client) == few


def test_the_kept_map_follows_every_table_it_is_drawn_from(client, mapped, records, vest_user, world) -> None:
    """Kept until a table it is drawn from is written to (core.tableversions), also outside the forms."""
    client.force_login(vest_user)

    def bergen() -> str:
        html = client.get(reverse("followup:map_panel"), {"office": "vest"}).content.decode()
        return re.search(r"4601 Bergen</a></th>(.*?)</tr>", html).group(1)

    assert bergen() == bergen() == '<td class="num">2</td><td>Registrert</td><td class="num">1</td><td>ja</td>'
    SupervisorProfile.objects.filter(doctor=records.vest_supervisor).update(capacity=6)
    assert '<td class="num">3</td><td>ja</td>' in bergen()
    Registration.objects.create(
        municipality=world.bergen,
        specialty=Specialty.GENERAL_PRACTICE,
        status=RegistrationStatus.PENDING,
        valid_from=date(2025, 2, 1),
    )
    assert "Søknad til behandling" in bergen()
    _add_alis(world, 1, 900)
    assert bergen().startswith('<td class="num">3</td>')

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from core.models import Change
from registry.models import County, Municipality, NumberChange, Office
from registry.reference import CENTRALITY_SOURCE, load_reference

HEADER = (
    "kommunenummer,kommune,kommune_norsk,fylkesnummer,fylke,sentralitet_2024,alis_kontor,lat,lon,"
    "samisk_forvaltningsomrade,kommunenummer_2020\n"
)


def _municipality_changes() -> int:
    return Change.objects.filter(content_type=ContentType.objects.get_for_model(Municipality)).count()


def _small_reference(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "kommuner.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_it_loads_all_357_municipalities() -> None:
    result = load_reference()

    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert Office.objects.count() == 6
    assert (result.municipalities.created, result.counties.created, result.offices.created) == (357, 15, 6)


@pytest.mark.django_db
def test_it_maps_each_county_to_its_office() -> None:
    load_reference()

    offices = dict(County.objects.values_list("name", "office__code"))
    assert offices["Oslo"] == "oslo"
    assert offices["Rogaland"] == "vest"
    assert offices["Østfold"] == "sor"
    assert offices["Innlandet"] == "ost"
    assert offices["Troms"] == "nord"
    assert Municipality.objects.filter(county__office__code="vest").count() == 66


@pytest.mark.django_db
def test_it_keeps_sami_names_and_leaves_haram_without_coordinates() -> None:
    load_reference()

    kautokeino = Municipality.objects.get(number="5612")
    assert (kautokeino.name, kautokeino.name_norwegian, kautokeino.sami_area) == ("Guovdageaidnu", "Kautokeino", True)
    haram = Municipality.objects.get(number="1580")
    assert (haram.latitude, haram.longitude, haram.centrality, haram.number_2020) == (None, None, None, "")


@pytest.mark.django_db
def test_a_rerun_changes_nothing_and_only_reads(django_assert_max_num_queries) -> None:
    load_reference()
    changes = Change.objects.count()

    with django_assert_max_num_queries(4):
        result = load_reference()

    assert not result.changed
    assert (result.municipalities.unchanged, result.counties.unchanged, result.offices.unchanged) == (357, 15, 6)
    assert Change.objects.count() == changes


@pytest.mark.django_db
def test_it_keeps_the_coordinators_county_office() -> None:
    load_reference()
    innlandet = County.objects.get(number="34")
    innlandet.office = Office.objects.get(code="oslo")
    innlandet.save()

    result = load_reference()

    innlandet.refresh_from_db()
    assert innlandet.office.code == "oslo"
    assert result.kept_county_offices == ["Innlandet (ALIS-kontor Oslo)"]


@pytest.mark.django_db
def test_it_does_not_blank_a_known_centrality() -> None:
    load_reference()
    Municipality.objects.filter(number="4601").update(centrality=1)  # as an SSB import would

    result = load_reference()

    assert Municipality.objects.get(number="4601").centrality == 1
    assert not result.changed


@pytest.mark.django_db
def test_it_does_not_undo_an_ssb_centrality(tmp_path: Path) -> None:
    path = _small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.97,10.77,nei,0301")
    load_reference(csv_path=path)
    Municipality.objects.filter(number="0301").update(centrality=2)

    load_reference(csv_path=path)

    assert Municipality.objects.get(number="0301").centrality == 2


@pytest.mark.django_db
def test_it_fills_an_unknown_centrality(tmp_path: Path) -> None:
    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,,Oslo,59.97,10.77,nei,0301"))

    result = load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.97,10.77,nei,0301"))

    oslo = Municipality.objects.get(number="0301")
    assert (oslo.centrality, oslo.version) == (1, 2)
    assert result.municipalities.updated == 1


@pytest.mark.django_db
def test_it_updates_coordinates_but_never_blanks_them(tmp_path: Path) -> None:
    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.97,10.77,nei,0301"))

    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.91,10.75,nei,0301"))
    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,,,nei,"))

    oslo = Municipality.objects.get(number="0301")
    assert (oslo.latitude, oslo.longitude, oslo.number_2020) == (59.91, 10.75, "0301")


@pytest.mark.django_db
def test_it_records_history(tmp_path: Path) -> None:
    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,,Oslo,59.97,10.77,nei,0301"))
    load_reference(csv_path=_small_reference(tmp_path, "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.97,10.77,nei,0301"))

    created, updated = Change.objects.filter(object_repr="0301 Oslo").order_by("pk")
    assert (created.action, created.user) == (Change.Action.CREATE, None)
    assert created.fields["fylke"] == ["", "Oslo"]
    assert updated.action == Change.Action.UPDATE
    assert updated.fields == {"sentralitet": ["", "1"], "kilde for sentralitet": ["", CENTRALITY_SOURCE]}


@pytest.mark.django_db
def test_it_adopts_offices_that_already_exist(world) -> None:
    load_reference()

    assert Office.objects.count() == 6
    assert County.objects.get(number="46").office == world.vest
    bergen = Municipality.objects.get(number="4601")
    assert bergen.pk == world.bergen.pk
    assert bergen.centrality == 1  # the file has none for Bergen; the known class stays


@pytest.mark.django_db
def test_the_command_prints_a_summary() -> None:
    first, second = StringIO(), StringIO()

    call_command("load_reference", stdout=first)
    call_command("load_reference", stdout=second)

    assert "Kommuner: 357 nye, 0 endret, 0 uendret" in first.getvalue()
    assert "Ingen endringer i referansedata (357 kommuner, 15 fylker, 6 kontorer" in second.getvalue()
    assert _municipality_changes() == 357


@pytest.mark.django_db
def test_it_does_not_bring_back_a_number_ssb_replaced(tmp_path: Path) -> None:
    row = "0301,Oslo,Oslo,03,Oslo,1,Oslo,59.97,10.77,nei,0301"
    load_reference(csv_path=_small_reference(tmp_path, row))
    oslo = Municipality.objects.get(number="0301")
    Municipality.objects.filter(pk=oslo.pk).update(number="0302")  # as the SSB import renumbers
    NumberChange.objects.create(municipality=oslo, old_number="0301")

    result = load_reference(csv_path=_small_reference(tmp_path, row))

    assert list(Municipality.objects.values_list("number", flat=True)) == ["0302"]
    assert not result.changed

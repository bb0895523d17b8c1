from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook

from core.models import Change
from dataio import gp_list
from dataio.models import GpListSnapshot
from dataio.plan import CHANGE, CREATE, SKIP, UNCHANGED, ApplyError, apply
from dataio.reading import FileError
from registry.models import Doctor, GpOffice

HEADER = "Kommunenummer;Legekontor;Adresse;Postnummer;Poststed;Lege;HPR-nummer;Listelengde;Listetak;Åpen liste\r\n"
# Helfo's order of names, Windows-1252, numbers with a space (and a no-break space) between thousands,
# a list without a doctor, and the empty rows Excel leaves at the end of a saved CSV.
MESSY = (
    HEADER
    + "4601;Sentrum legekontor;Strandgaten 1;5013;Bergen;Nordmann, Kari;1234567;1 200;1 500;ja\r\n"
    + "4601;Åsane legesenter;Myrdalsvegen 2;5130;Nyborg;Ødegård, Åse;9876543;800;1\u00a0000;nei\r\n"
    + "4601;Åsane legesenter;Myrdalsvegen 2;5130;Nyborg;Per Ås;;900;900;Nei\r\n"
    + "4601;Åsane legesenter;Myrdalsvegen 2;5130;Nyborg;;;0;1 000;ja\r\n"
    + ";;;;;;;;;\r\n;;;;;;;;;\r\n"
)


@pytest.fixture
def kari(vest_training) -> Doctor:
    return vest_training.doctor


def test_it_creates_offices_and_doctors_from_a_messy_file(vest_user, kari) -> None:
    prepared = gp_list.prepare(MESSY.encode("cp1252"), office=vest_user.office)
    assert prepared.plan.is_valid, prepared.plan.errors
    assert [r.action for r in prepared.plan.rows] == [CHANGE, CREATE, CREATE, SKIP]
    apply(prepared, by=vest_user)
    kari.refresh_from_db()
    assert (kari.is_regular_gp, kari.list_size, kari.list_capacity, kari.list_open) == (True, 1200, 1500, True)
    assert kari.gp_office.address == "Strandgaten 1"
    ase = Doctor.objects.get(hpr_number="9876543")
    assert (ase.first_name, ase.last_name, ase.gp_office.name, ase.list_capacity) == (
        "Åse",
        "Ødegård",
        "Åsane legesenter",
        1000,
    )
    assert Doctor.objects.get(last_name="Ås").hpr_number is None
    assert (ase.list_open, Doctor.objects.get(last_name="Ås").list_open) == (False, False)
    assert GpOffice.objects.filter(name="Åsane legesenter").count() == 1
    assert Change.objects.filter(user=vest_user).count() == 5  # 1 office created, 1 changed, 1 doctor changed, 2 new


def test_it_never_duplicates_on_a_reimport(vest_user, kari) -> None:
    apply(gp_list.prepare(MESSY.encode("cp1252"), office=vest_user.office), by=vest_user)
    doctors, offices = Doctor.objects.count(), GpOffice.objects.count()
    again = gp_list.prepare(MESSY.encode("utf-8-sig"), office=vest_user.office)  # now as UTF-8 with BOM
    assert [r.action for r in again.plan.rows] == [UNCHANGED, UNCHANGED, UNCHANGED, SKIP]
    apply(again, by=vest_user)
    assert (Doctor.objects.count(), GpOffice.objects.count()) == (doctors, offices)


def test_it_reports_doctors_who_disappeared_and_marks_them_when_asked(vest_user, kari) -> None:
    kari.is_regular_gp, kari.list_size = True, 1000
    kari.save()
    without_kari = HEADER + "4601;Åsane legesenter;;;;Per Ås;;900;900;nei\r\n"
    prepared = gp_list.prepare(without_kari.encode(), office=vest_user.office)
    assert prepared.plan.gone == ["Kari Nordmann (1234567), Sentrum legekontor"]
    apply(prepared, by=vest_user)
    kari.refresh_from_db()
    assert kari.is_regular_gp is True  # reported, not changed, unless the confirmation asks
    result = apply(gp_list.prepare(without_kari.encode(), office=vest_user.office), by=vest_user, mark_gone=True)
    kari.refresh_from_db()
    assert (kari.is_regular_gp, kari.list_size, result["gone"]) == (False, None, 1)


def test_it_reports_every_bad_cell_with_row_and_column_and_writes_nothing(vest_user, world) -> None:
    bad = (
        HEADER
        + "4601;Sentrum legekontor;;50130;;Nordmann, Kari;12ab;mange;1 500;kanskje\r\n"
        + "1804;Bodø legesenter;;;;Hansen, Ola;;100;100;ja\r\n"
        + "9999;Ukjent;;;;Hansen, Ola;;100;100;ja\r\n"
        + "4601;Åsane legesenter;;;;Per Ås;;900;900;nei\r\n"
    )
    prepared = gp_list.prepare(bad.encode(), office=vest_user.office)
    assert prepared.plan.errors[:2] == [
        "Rad 2, kolonne «Listelengde»: «mange» er ikke et helt tall.",
        "Rad 2, kolonne «Åpen liste»: «kanskje» er verken ja eller nei.",
    ]
    assert "Rad 3, kolonne «Kommunenummer»: 1804 Bodø hører til ALIS-kontor Nord" in prepared.plan.errors[2]
    assert prepared.plan.errors[3] == "Rad 4, kolonne «Kommunenummer»: «9999» er ikke et kommunenummer i registeret."
    with pytest.raises(ApplyError):
        apply(prepared, by=vest_user)
    assert not GpOffice.objects.exists() and not Doctor.objects.exists()


def test_it_checks_rows_with_the_registry_forms(vest_user, world) -> None:
    data = HEADER + "4601;Sentrum legekontor;;50X3;;Nordmann, Kari;12ab;100;100;ja\r\n"
    errors = gp_list.prepare(data.encode(), office=vest_user.office).plan.errors
    assert errors == ["Rad 2, kolonne «Postnummer»: Postnummeret har fire sifre."]


def test_it_refuses_a_doctor_registered_in_another_region(vest_user, nord_training) -> None:
    data = HEADER + "4601;Sentrum legekontor;;;;Hansen, Ola;7654321;100;100;ja\r\n"
    errors = gp_list.prepare(data.encode(), office=vest_user.office).plan.errors
    assert errors == [
        "Rad 2, kolonne «HPR-nummer»: 7654321 er registrert på en lege i en annen region "
        "(ALIS-kontor Nord). Ta det opp med det kontoret."
    ]


def test_it_refuses_the_same_doctor_twice(vest_user, world) -> None:
    data = HEADER + "4601;A;;;;Per Ås;555555;1;1;ja\r\n4601;B;;;;Per Ås;555555;1;1;ja\r\n"
    errors = gp_list.prepare(data.encode(), office=vest_user.office).plan.errors
    assert errors == ["Rad 3, kolonne «HPR-nummer»: legen står også på rad 2."]


def test_it_writes_all_or_nothing(vest_user, world) -> None:
    prepared = gp_list.prepare(MESSY.encode("cp1252"), office=vest_user.office)

    def broken(by) -> None:
        raise RuntimeError("the disk is full")

    prepared.steps.insert(3, broken)
    with pytest.raises(RuntimeError):
        apply(prepared, by=vest_user)
    assert not GpOffice.objects.exists() and not Doctor.objects.exists() and not Change.objects.exists()


def test_it_reads_excel_with_numbers_typed_as_numbers(vest_user, world) -> None:
    workbook = Workbook()
    workbook.active.append(["Kommunenr", "Legekontor", "Fornavn", "Etternavn", "HPR", "Listelengde", "Listetak"])
    workbook.active.append([4601, "Sentrum legekontor", "Kari", "Nordmann", 1234567, 1200.0, 1500])
    output = BytesIO()
    workbook.save(output)
    prepared = gp_list.prepare(output.getvalue(), office=vest_user.office)
    assert prepared.plan.is_valid, prepared.plan.errors
    apply(prepared, by=vest_user)
    assert Doctor.objects.get(hpr_number="1234567").list_size == 1200


def test_it_needs_a_doctor_column(vest_user) -> None:
    with pytest.raises(FileError, match="«Lege»"):
        gp_list.prepare(b"Kommunenummer;Legekontor\n4601;A\n", office=vest_user.office)


@pytest.mark.parametrize(
    ("name", "expected"), [("Nordmann, Kari", ("Kari", "Nordmann")), ("Kari Anne Nordmann", ("Kari Anne", "Nordmann"))]
)
def test_it_splits_names(name, expected) -> None:
    assert gp_list.split_name(name) == expected


def test_it_stores_a_changed_open_list_and_shows_old_and_new(vest_user, kari) -> None:
    apply(gp_list.prepare(MESSY.encode("cp1252"), office=vest_user.office), by=vest_user)
    closed = MESSY.replace("1 200;1 500;ja", "1 200;1 500;nei")
    again = gp_list.prepare(closed.encode("cp1252"), office=vest_user.office)
    assert again.plan.rows[0].action == CHANGE
    assert any("Åpen liste" in str(c) or "åpen liste" in str(c) for c in again.plan.rows[0].changes)
    apply(again, by=vest_user)
    kari.refresh_from_db()
    assert kari.list_open is False


def _today_is(monkeypatch, day: date) -> None:
    monkeypatch.setattr(gp_list.timezone, "localdate", lambda: day)


def test_it_keeps_who_was_a_regular_gp_on_the_day_of_each_list(vest_user, kari, world, monkeypatch) -> None:
    """Retention after completion reads these: one list per municipality covered, dated, with its regular GPs."""
    prepared = gp_list.prepare(MESSY.encode("cp1252"), office=vest_user.office)
    assert not GpListSnapshot.objects.exists()  # planning writes nothing
    _today_is(monkeypatch, date(2025, 1, 15))
    apply(prepared, by=vest_user)
    snapshot = GpListSnapshot.objects.get()
    assert (snapshot.municipality, snapshot.listed_on) == (world.bergen, date(2025, 1, 15))
    assert sorted(d.last_name for d in snapshot.doctors.all()) == ["Nordmann", "Ås", "Ødegård"]

    # Kari left; the list of the same day replaces the first, a later one is kept beside it.
    without_kari = HEADER + "4601;Åsane legesenter;;;;Per Ås;;900;900;nei\r\n"
    for day in (date(2025, 1, 15), date(2026, 1, 15)):
        _today_is(monkeypatch, day)
        apply(gp_list.prepare(without_kari.encode(), office=vest_user.office), by=vest_user)
    lists = GpListSnapshot.objects.order_by("listed_on")
    assert [(s.listed_on, [d.last_name for d in s.doctors.all()]) for s in lists] == [
        (date(2025, 1, 15), ["Ås"]),
        (date(2026, 1, 15), ["Ås"]),
    ]


def test_it_keeps_a_list_without_doctors_as_a_list(vest_user, world) -> None:
    """A municipality in the file whose lists have no doctor is covered: nobody was a regular GP there."""
    empty = HEADER + "4601;Åsane legesenter;;;;;;0;1 000;ja\r\n"
    apply(gp_list.prepare(empty.encode(), office=vest_user.office), by=vest_user)
    snapshot = GpListSnapshot.objects.get()
    assert (snapshot.municipality, snapshot.doctors.count()) == (world.bergen, 0)


def test_it_keeps_no_list_from_a_file_with_errors(vest_user, world) -> None:
    bad = HEADER + "4601;Sentrum legekontor;;;;Nordmann, Kari;12ab;1 200;1 500;ja\r\n"
    with pytest.raises(ApplyError):
        apply(gp_list.prepare(bad.encode(), office=vest_user.office), by=vest_user)
    assert not GpListSnapshot.objects.exists()

"""SSB's files as SSB serves them (registry/tests/files), through the readers, the services and the command.

The fixtures copy SSB's layouts byte for byte (quoting, separators, character sets, the statistics bank's
title line and symbols); their figures are test figures, not SSB's.
"""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Change
from registry import services, ssb, statbank
from registry.models import County, GpListStatistics, Municipality, NumberChange, SsbImport

FILES = Path(__file__).parent / "files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture
def drammen(world) -> Municipality:
    buskerud = County.objects.create(number="33", name="Buskerud", office=world.vest)
    return Municipality.objects.create(number="3301", name="Drammen", name_norwegian="Drammen", county=buskerud)


# KLASS: codes as SSB writes them and as a spreadsheet leaves them


@pytest.mark.django_db
def test_it_reads_two_digit_classes_in_klass_128(world) -> None:
    plan = ssb.parse(data=read("klass128_codes_utf8.csv"))

    assert (plan.classification, plan.encoding, plan.errors) == (ssb.Classification.CENTRALITY, "UTF-8", [])
    assert plan.unchanged == 2  # Bergen «01» is 1, Bodø «03» is 3
    unknown = [(u.number, u.reason) for u in plan.unknown]
    assert unknown == [("5612", "finnes ikke i registeret; importer KLASS 131 først")]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "number"), [("0301", "0301"), ("301", "0301")])
def test_it_reads_a_municipality_number_whose_leading_zero_a_spreadsheet_dropped(world, code, number) -> None:
    oslo = County.objects.create(number="03", name="Oslo", office=world.vest)
    Municipality.objects.create(number="0301", name="Oslo", name_norwegian="Oslo", county=oslo)
    data = f"code;parentCode;level;name\r\n1;;1;Mest sentrale\r\n{code};1;2;Oslo\r\n".encode()

    plan = ssb.parse(data=data)

    assert [(c.number, c.new) for c in plan.changes] == [(number, 1)]


@pytest.mark.django_db
def test_centrality_from_the_upload_page_keeps_its_source(world, coordinator) -> None:
    data = "code;parentCode;level;name\r\n06;;1;Minst sentrale\r\n1804;06;2;Bodø\r\n".encode("iso-8859-1")
    upload = services.ssb_import_upload(filename="klass128.csv", data=data, kind="", by=coordinator)
    plan = services.ssb_read(data=data).plan

    services.ssb_import_confirm(upload=upload, fingerprint=plan.fingerprint(), by=coordinator)

    bodo = Municipality.objects.get(number="1804")
    assert (bodo.centrality, bodo.centrality_source.startswith("SSB, KLASS 128: fila «klass128.csv»")) == (6, True)
    change = Change.objects.get(object_id=bodo.pk, action=Change.Action.UPDATE)
    assert change.fields["sentralitet"] == ["3", "6"]
    assert change.user == coordinator
    upload.refresh_from_db()
    assert upload.status == SsbImport.Status.DONE
    assert upload.result["changes"] == [["1804", "Bodø", "sentralitet", "3", "6"]]


# KLASS 131's changes: the numbers SSB replaced


@pytest.mark.django_db
def test_it_records_a_one_to_one_change_and_shows_a_split(world, drammen) -> None:
    plan = ssb.parse(data=read("klass131_changes.csv"))

    assert (plan.classification, plan.layout, plan.encoding) == ("131", ssb.Layout.CHANGES, "ISO-8859-1")
    assert [(n.old_number, n.new_number, n.changed_on, n.renumber) for n in plan.number_changes] == [
        ("3005", "3301", date(2024, 1, 1), False)
    ]
    assert [(u.row, u.number, u.reason) for u in plan.unknown] == [
        (3, "1507", "delt i 1508, 1580 fra 01.01.2024; gjøres for hånd"),
        (4, "1507", "delt i 1508, 1580 fra 01.01.2024; gjøres for hånd"),
    ]
    assert plan.unchanged == 1  # Bodø kept its number

    ssb.apply(plan=plan)

    recorded = NumberChange.objects.get()
    assert (recorded.old_number, recorded.municipality, recorded.old_name) == ("3005", drammen, "Drammen")
    assert not ssb.parse(data=read("klass131_changes.csv")).has_writes  # a second import changes nothing


@pytest.mark.django_db
def test_it_renumbers_a_municipality_still_under_its_old_number(world) -> None:
    buskerud = County.objects.create(number="33", name="Buskerud", office=world.vest)
    old = Municipality.objects.create(number="3005", name="Drammen", name_norwegian="Drammen", county=buskerud)

    result = ssb.apply(plan=ssb.parse(data=read("klass131_changes.csv")))

    old.refresh_from_db()
    assert (old.number, old.version, result.renumbered) == ("3301", 2, 1)
    change = Change.objects.get(object_id=old.pk, action=Change.Action.UPDATE)
    assert change.fields == {"kommunenummer": ["3005", "3301"]}


@pytest.mark.django_db
@pytest.mark.parametrize("old_first", [True, False], ids=["source-old", "target-old"])
def test_it_reads_a_correspondence_table_between_two_versions_of_131(world, drammen, old_first) -> None:
    pairs = [("3005", "Drammen", "3301", "Drammen"), ("1804", "Bodø", "1804", "Bodø")]
    rows = [p if old_first else (p[2], p[3], p[0], p[1]) for p in pairs]
    lines = ['"sourceCode";"sourceName";"sourceShortName";"targetCode";"targetName";"targetShortName"']
    lines += [f'"{a}";"{b}";"";"{c}";"{d}";""' for a, b, c, d in rows]

    plan = ssb.parse(data="\r\n".join(lines).encode("iso-8859-1"), classification="131")

    assert [(n.old_number, n.new_number) for n in plan.number_changes] == [("3005", "3301")]


@pytest.mark.django_db
def test_the_upload_refuses_a_file_of_another_kind_than_chosen(world) -> None:
    with pytest.raises(ssb.SsbFileError, match="inneholder Endrede kommunenummer"):
        services.ssb_read(data=read("klass131_changes.csv"), kind="131")
    with pytest.raises(ssb.SsbFileError, match="ikke sentralitet"):
        services.ssb_read(data=read("klass131_changes.csv"), kind="128")


# Table 12005


@pytest.mark.django_db
def test_it_reads_the_statistics_banks_semicolon_file_with_its_title(world, drammen) -> None:
    NumberChange.objects.create(municipality=drammen, old_number="3005", changed_on=date(2024, 1, 1))

    reading = services.ssb_read(data=read("statbank_12005_wide.csv"))
    plan = reading.plan

    assert (reading.kind, plan.shape, plan.encoding, plan.errors) == ("12005", "CSV", "ISO-8859-1", [])
    assert plan.years == [2023]
    assert plan.variables == ["lists_without_doctor", "open_lists", "average_list_length"]
    assert plan.ignored_variables == ["Antall fastlegekonsultasjoner i pasientens bostedskommune"]
    assert plan.not_municipalities == 3  # «Hele landet»
    assert plan.unknown_values == 1  # Bodø's «..»
    shown = {(c.number, c.field): c.new for c in plan.changes}
    assert shown == {
        ("4601", "lists_without_doctor"): 3,
        ("4601", "open_lists"): 41,
        ("4601", "average_list_length"): Decimal("1012.4"),
        ("1804", "lists_without_doctor"): 0,  # «-» is SSB's nil
        ("1804", "average_list_length"): Decimal("987.0"),  # «..» for open lists: stays unknown, never 0
        ("3301", "lists_without_doctor"): 2,  # filed under 3005 for 2023, before the change
        ("3301", "open_lists"): 7,
        ("3301", "average_list_length"): Decimal("1101.5"),
    }


@pytest.mark.django_db
def test_an_old_number_counts_only_before_ssb_replaced_it(world, drammen) -> None:
    NumberChange.objects.create(municipality=drammen, old_number="3005", changed_on=date(2023, 1, 1))

    plan = statbank.parse(data=read("statbank_12005_wide.csv"))

    assert [u.number for u in plan.unknown] == ["3005"]
    assert not [c for c in plan.changes if c.number == "3301"]


@pytest.mark.django_db
def test_it_reads_the_apis_comma_separated_long_file(world) -> None:
    plan = statbank.parse(data=read("statbank_12005_long.csv"))

    assert (plan.encoding, plan.errors, plan.years) == ("UTF-8", [], [2022, 2023])
    shown = {(c.number, c.year, c.field): c.new for c in plan.changes}
    assert shown == {
        ("4601", 2022, "lists_without_doctor"): 5,
        ("4601", 2023, "lists_without_doctor"): 3,
        ("4601", 2023, "open_lists"): 41,
        ("4601", 2023, "share_without_doctor"): Decimal("0.4"),
        ("1804", 2023, "lists_without_doctor"): 0,
        ("1804", 2023, "spare_capacity"): -120,
    }


@pytest.mark.django_db
def test_it_reads_json_stat_2(world) -> None:
    plan = statbank.parse(data=read("statbank_12005.json"))

    assert (plan.shape, plan.errors, plan.not_municipalities, plan.unknown_values) == ("JSON-stat", [], 2, 1)
    shown = {(c.number, c.field): c.new for c in plan.changes}
    assert shown == {
        ("4601", "lists_without_doctor"): 3,
        ("4601", "open_lists"): 41,
        ("1804", "lists_without_doctor"): 0,  # null with status «-»; open lists null with «..»: stays unknown
    }


@pytest.mark.django_db
def test_saving_keeps_the_year_and_history_and_a_second_import_changes_nothing(world, coordinator) -> None:
    data = read("statbank_12005_long.csv")
    upload = services.ssb_import_upload(filename="12005.csv", data=data, kind="", by=coordinator)
    assert (upload.kind, upload.status) == ("12005", SsbImport.Status.PREVIEW)

    services.ssb_import_confirm(upload=upload, fingerprint=statbank.parse(data=data).fingerprint(), by=coordinator)

    bergen = GpListStatistics.objects.get(municipality=world.bergen, year=2023)
    assert (bergen.lists_without_doctor, bergen.open_lists, bergen.agreements) == (3, 41, None)
    assert bergen.imported_from == upload
    assert GpListStatistics.objects.get(municipality=world.bergen, year=2022).lists_without_doctor == 5
    change = Change.objects.get(object_id=bergen.pk)
    assert (change.parent_id, change.fields["lister uten lege"]) == (world.bergen.pk, ["", "3"])
    upload.refresh_from_db()
    assert upload.result == {"municipality_years": 3, "new": 3, "values": 6, "years": [2022, 2023], "municipalities": 2}
    again = statbank.parse(data=data)
    assert (again.changes, again.unchanged) == ([], 3)


@pytest.mark.django_db
def test_a_later_file_shows_old_and_new_and_unknown_never_replaces_with_zero(world) -> None:
    GpListStatistics.objects.create(municipality=world.bodo, year=2023, lists_without_doctor=2, open_lists=4)

    plan = statbank.parse(data=read("statbank_12005.json"))

    bodo = [(c.field, c.old, c.new) for c in plan.changes if c.number == "1804"]
    assert bodo == [("lists_without_doctor", 2, 0), ("open_lists", 4, None)]


@pytest.mark.django_db
def test_confirming_a_preview_the_register_has_moved_past_saves_nothing(world, coordinator) -> None:
    data = read("statbank_12005_long.csv")
    upload = services.ssb_import_upload(filename="12005.csv", data=data, kind="12005", by=coordinator)
    seen = statbank.parse(data=data).fingerprint()
    GpListStatistics.objects.create(municipality=world.bergen, year=2023, lists_without_doctor=9)

    with pytest.raises(services.PreviewChanged):
        services.ssb_import_confirm(upload=upload, fingerprint=seen, by=coordinator)

    assert GpListStatistics.objects.count() == 1
    upload.refresh_from_db()
    assert upload.status == SsbImport.Status.PREVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"4601 Bergen";"Fastlegelister uten lege";"2023";-3', "Rad 3: «-3» kan ikke være negativt"),
        ('"4601 Bergen";"Fastlegelister uten lege";"2023";2,5', "Rad 3: «2,5» skal være et helt tall"),
        ('"4601 Bergen";"Fastlegelister uten lege";"2023";tre', "Rad 3: «tre» er ikke et tall"),
        ('"4601 Bergen";"Andel pasienter på liste uten lege";"2023";140', "Rad 3: «140» er over 100"),
        ('"4601 Bergen";"Fastlegelister uten lege";"23";3', "Rad 3: «23» er ikke et år"),
    ],
)
def test_it_refuses_bad_rows_with_norwegian_row_messages(world, line, message) -> None:
    data = '"region";"statistikkvariabel";"år";"verdi"\r\n"1804 Bodø";"Fastlegelister uten lege";"2023";1\r\n' + line

    plan = statbank.parse(data=data.encode("utf-8"))

    assert str(plan.errors[0]).startswith(message)
    with pytest.raises(ssb.SsbApplyError, match="1 feil"):
        statbank.apply(plan=plan, by=None)
    assert not GpListStatistics.objects.exists()


@pytest.mark.django_db
def test_it_refuses_conflicting_duplicates(world) -> None:
    data = (
        '"region";"statistikkvariabel";"år";"verdi"\r\n'
        '"4601 Bergen";"Fastlegelister uten lege";"2023";3\r\n'
        '"4601 Bergen";"Fastlegelister uten lege";"2023";4\r\n'
    )

    plan = statbank.parse(data=data.encode())

    assert [str(e) for e in plan.errors] == [
        "Rad 3: 4601 2023, «Fastlegelister uten lege» står også på rad 2 med en annen verdi."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            '"region";"contents";"year";"value"\r\n"4601 Bergen";"GP lists without a doctor";"2023";3\r\n',
            "Last ned tabellen på norsk",
        ),
        ('"07459: Befolkning"\r\n\r\n"region";"Personer 2023"\r\n"4601 Bergen";291940\r\n', "tabell 07459, ikke 12005"),
        ('{"class": "dataset", "label": "x"}', "mangler dimensjonene"),
        ("{not json", "JSON-fila kan ikke leses"),
    ],
    ids=["english", "another-table", "json-without-dimensions", "broken-json"],
)
def test_it_refuses_a_file_that_is_not_table_12005(world, data, message) -> None:
    with pytest.raises(ssb.SsbFileError, match=message):
        statbank.parse(data=data.encode())


# The command shares the code


def _file(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(read(name))
    return str(path)


@pytest.mark.django_db
def test_the_command_imports_table_12005_and_keeps_it_in_the_history(world, tmp_path) -> None:
    out = StringIO()

    call_command("import_ssb", _file(tmp_path, "statbank_12005.json"), stdout=out)

    assert "Lagret: tall for 2 kommuner og år (2 nye)." in out.getvalue()
    assert GpListStatistics.objects.get(municipality=world.bergen, year=2023).open_lists == 41
    upload = SsbImport.objects.get()
    assert (upload.kind, upload.status, upload.created_by) == ("12005", SsbImport.Status.DONE, None)


@pytest.mark.django_db
def test_the_command_shows_number_changes_in_a_dry_run(world, drammen, tmp_path) -> None:
    out = StringIO()

    call_command("import_ssb", _file(tmp_path, "klass131_changes.csv"), "--dry-run", stdout=out)

    assert "3005 → 3301 Drammen" in out.getvalue()
    assert "Rad 3: 1507 Ålesund – delt i 1508, 1580" in out.getvalue()
    assert not NumberChange.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_bad_12005_file(world, tmp_path) -> None:
    path = tmp_path / "12005.csv"
    path.write_bytes(b'"region";"Fastlegelister uten lege 2023"\r\n"4601 Bergen";mange\r\n')

    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_ssb", str(path), stdout=StringIO())

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Change
from registry import ssb
from registry.models import County, Municipality

CODES_HEADER = "code;parentCode;level;name;shortName;presentationName;validFrom;validTo;notes"
CORRESPONDENCE_HEADER = "sourceCode;sourceName;sourceShortName;targetCode;targetName;targetShortName"
CLASSES = [
    ("1", "", "1", "Mest sentrale kommuner", "", "", "2024-01-01", "", "Blant annet\r\nOslo; Bærum"),
    ("6", "", "1", "Minst sentrale kommuner"),
]


def klass_csv(
    rows: list[tuple[str, ...]], *, header: str = CODES_HEADER, encoding: str = "utf-8", errors: str = "strict"
) -> bytes:
    """A file as SSB serves it: every field quoted, ';' between them, empty trailing columns left out."""
    lines = [";".join(f'"{value}"' for value in values) for values in [header.split(";"), *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding, errors)


def centrality_csv(*municipalities: tuple[str, str, str], encoding: str = "utf-8") -> bytes:
    """KLASS 128: the classes on level 1, the municipalities on level 2 under their class."""
    rows = [*CLASSES, *((number, centrality, "2", name) for number, centrality, name in municipalities)]
    return klass_csv(rows, encoding=encoding)


def municipalities_csv(*municipalities: tuple[str, str], encoding: str = "utf-8", errors: str = "strict") -> bytes:
    """KLASS 131: one level, code and name."""
    rows = [(number, "", "1", name, "", "", "2024-01-01") for number, name in municipalities]
    return klass_csv(rows, encoding=encoding, errors=errors)


@pytest.fixture
def finnmark(world) -> Municipality:
    """A municipality with a Sami official name and no known centrality."""
    county = County.objects.create(number="56", name="Finnmark", office=world.nord)
    return Municipality.objects.create(
        number="5612", name="Guovdageaidnu", name_norwegian="Kautokeino", county=county, sami_area=True
    )


# Reading


@pytest.mark.django_db
def test_it_reads_iso_8859_1_with_aeoeaa(world) -> None:
    data = municipalities_csv(("1804", "Bodø"), ("4601", "Bergen"), ("1813", "Brønnøy"), encoding="iso-8859-1")

    plan = ssb.parse(data=data)

    assert (plan.classification, plan.encoding) == (ssb.Classification.MUNICIPALITIES, "ISO-8859-1")
    assert plan.changes == []
    assert plan.unchanged == 2
    assert [(new.number, new.name, new.county) for new in plan.new_municipalities] == [("1813", "Brønnøy", "Nordland")]


@pytest.mark.django_db
def test_it_reads_utf8_with_bom(world) -> None:
    data = b"\xef\xbb\xbf" + centrality_csv(("1804", "6", "Bodø"), ("4601", "1", "Bergen"))

    plan = ssb.parse(data=data)

    assert (plan.classification, plan.encoding) == (ssb.Classification.CENTRALITY, "UTF-8")
    assert [(c.number, c.field, c.old, c.new) for c in plan.changes] == [("1804", "centrality", 3, 6)]
    assert plan.unchanged == 1


@pytest.mark.django_db
def test_it_reads_a_comma_separated_file_with_columns_chosen_by_csvfields(world) -> None:
    data = "name,code\r\nBodø,1804\r\nBergen kommune,4601\r\n".encode()

    plan = ssb.parse(data=data, classification="131")

    assert [(c.number, c.field, c.new) for c in plan.changes] == [
        ("4601", "name", "Bergen kommune"),
        ("4601", "name_norwegian", "Bergen kommune"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "row"),
    [
        (CORRESPONDENCE_HEADER, ("1804", "Bodø", "", "5", "Nest minst sentrale kommuner", "")),
        (CORRESPONDENCE_HEADER, ("5", "Nest minst sentrale kommuner", "", "1804", "Bodø", "")),
    ],
    ids=["municipality-to-class", "class-to-municipality"],
)
def test_it_reads_the_correspondence_table(world, header: str, row: tuple[str, ...]) -> None:
    plan = ssb.parse(data=klass_csv([row], header=header))

    assert (plan.classification, plan.layout) == (ssb.Classification.CENTRALITY, ssb.Layout.CORRESPONDENCE)
    assert [(c.number, c.new) for c in plan.changes] == [("1804", 5)]


@pytest.mark.django_db
def test_it_keeps_multilingual_names(finnmark) -> None:
    plan = ssb.parse(data=municipalities_csv(("5612", "Guovdageaidnu - Kautokeino")))

    assert plan.changes == []
    assert plan.unchanged == 1


@pytest.mark.django_db
def test_it_reports_invalid_rows_with_row_numbers(world) -> None:
    data = centrality_csv(("1804", "3", "Bodø"), ("12a4", "3", "Feil"), ("4601", "9", "Bergen"))

    plan = ssb.parse(data=data)

    assert [str(e) for e in plan.errors] == [
        "Rad 5: «12a4» er ikke et gyldig kommunenummer.",
        "Rad 6: «9» er ikke en sentralitetsklasse (1–6).",
    ]


@pytest.mark.django_db
def test_it_refuses_sami_letters_lost_in_iso_8859_1(finnmark) -> None:
    data = municipalities_csv(("5610", "Kárášjohka - Karasjok"), encoding="iso-8859-1", errors="replace")

    plan = ssb.parse(data=data)

    assert [str(e) for e in plan.errors] == [
        "Rad 2: navnet «Kárá?johka - Karasjok» har tegn som gikk tapt (vist som «?»). "
        "Last ned fila fra KLASS med tegnsett UTF-8."
    ]


@pytest.mark.django_db
def test_it_reports_conflicting_duplicates(world) -> None:
    plan = ssb.parse(data=centrality_csv(("1804", "3", "Bodø"), ("1804", "4", "Bodø")))

    assert [e.row for e in plan.errors] == [5]
    assert "står også på rad 4" in plan.errors[0].message


@pytest.mark.django_db
def test_it_reports_unknown_municipality_numbers(world) -> None:
    centrality = ssb.parse(data=centrality_csv(("3301", "2", "Drammen")))
    names = ssb.parse(data=municipalities_csv(("3301", "Drammen"), ("4602", "Kinn")))

    assert [(u.row, u.number) for u in centrality.unknown] == [(4, "3301")]
    assert "importer KLASS 131 først" in centrality.unknown[0].reason
    assert [(u.number, u.reason) for u in names.unknown] == [("3301", "fylke 33 finnes ikke i registeret")]
    assert [new.number for new in names.new_municipalities] == ["4602"]
    assert names.not_in_file == ["1804 Bodø", "4601 Bergen"]


@pytest.mark.django_db
def test_it_skips_codes_that_are_no_longer_valid(world) -> None:
    rows = [("1507", "", "1", "Ålesund", "", "", "2020-01-01", "2024-01-01"), ("1508", "", "1", "Ålesund")]
    County.objects.create(number="15", name="Møre og Romsdal", office=world.nord)

    plan = ssb.parse(data=klass_csv(rows), today=date(2025, 1, 1))

    assert [new.number for new in plan.new_municipalities] == ["1508"]
    assert [s.row for s in plan.skipped] == [2]


@pytest.mark.django_db
def test_it_detects_the_classification_or_checks_the_callers(world) -> None:
    centrality = centrality_csv(("1804", "3", "Bodø"))

    assert ssb.parse(data=centrality).classification == ssb.Classification.CENTRALITY
    with pytest.raises(ssb.SsbFileError, match="ikke 131"):
        ssb.parse(data=centrality, classification="131")
    with pytest.raises(ssb.SsbFileError, match="ingen kommuner på nivå 2"):
        ssb.parse(data=municipalities_csv(("1804", "Bodø")), classification="128")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        b"\x1f\x8b\x08\x08\xa3\x1b\x81\x01\xff\xec",  # no NUL byte, not UTF-8 nor Windows-1252
        b"code;name\n\x1b[31m1804;\x07Bod\xf8\n",  # decodes, but holds control characters
    ],
    ids=["png", "xlsx", "gzip", "control-characters"],
)
def test_it_rejects_binary_garbage(world, data: bytes) -> None:
    with pytest.raises(ssb.SsbFileError, match="ikke en tekstfil"):
        ssb.parse(data=data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Fila er tom."),
        (b"  \r\n\r\n", "Fila er tom."),
        (b"\xef\xbb\xbf\r\n", "Fila er tom."),
        ("kommunenummer;navn\n1804;Bodø\n".encode(), "fant kolonnene «kommunenummer; navn»"),
        (CODES_HEADER.encode(), "ingen rader"),
    ],
    ids=["empty", "blank", "bom-only", "wrong-columns", "header-only"],
)
def test_it_rejects_a_file_that_is_not_a_klass_export(world, data: bytes, message: str) -> None:
    with pytest.raises(ssb.SsbFileError, match=message):
        ssb.parse(data=data)


# Saving


@pytest.mark.django_db
def test_it_records_history(world, finnmark) -> None:
    plan = ssb.parse(data=centrality_csv(("1804", "6", "Bodø"), ("5612", "6", "Guovdageaidnu - Kautokeino")))

    result = ssb.apply(plan=plan)

    finnmark.refresh_from_db()
    assert (finnmark.centrality, finnmark.version) == (6, 2)
    assert result == ssb.ApplyResult(updated=2, created=0)
    change = Change.objects.get(object_id=finnmark.pk, action=Change.Action.UPDATE)
    assert (change.user, change.fields) == (None, {"sentralitet": ["", "6"]})


@pytest.mark.django_db
def test_it_creates_a_municipality_whose_county_exists(world) -> None:
    plan = ssb.parse(data=municipalities_csv(("1813", "Brønnøy")))

    ssb.apply(plan=plan)

    created = Municipality.objects.get(number="1813")
    assert (created.name, created.county, created.centrality) == ("Brønnøy", world.nordland, None)
    assert "KLASS 131" in created.notes
    assert Change.objects.filter(object_id=created.pk, action=Change.Action.CREATE).exists()


@pytest.mark.django_db
def test_it_is_all_or_nothing(world) -> None:
    plan = ssb.parse(data=centrality_csv(("1804", "6", "Bodø"), ("4601", "2", "Bergen")))
    Municipality.objects.filter(number="4601").update(centrality=3)  # someone saved Bergen meanwhile

    with pytest.raises(ssb.SsbApplyError, match="Bergen"):
        ssb.apply(plan=plan)

    assert Municipality.objects.get(number="1804").centrality == 3
    assert not Change.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_plan_with_errors(world) -> None:
    plan = ssb.parse(data=centrality_csv(("1804", "6", "Bodø"), ("12a4", "1", "Feil")))

    with pytest.raises(ssb.SsbApplyError, match="1 feil"):
        ssb.apply(plan=plan)

    assert Municipality.objects.get(number="1804").centrality == 3


# The command


def _file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "klass.csv"
    path.write_bytes(data)
    return str(path)


@pytest.mark.django_db
def test_dry_run_writes_nothing(world, tmp_path: Path) -> None:
    out = StringIO()

    call_command("import_ssb", _file(tmp_path, centrality_csv(("1804", "6", "Bodø"))), "--dry-run", stdout=out)

    assert Municipality.objects.get(number="1804").centrality == 3
    assert not Change.objects.exists()
    output = out.getvalue()
    assert "Nr.   Kommune  Felt         Før  Etter" in output
    assert "1804  Bodø     sentralitet  3    6" in output
    assert "Prøvekjøring: ingenting er lagret." in output


@pytest.mark.django_db
def test_the_command_saves_and_summarises(world, tmp_path: Path) -> None:
    out = StringIO()
    data = centrality_csv(("1804", "6", "Bodø"), ("4601", "1", "Bergen"), encoding="cp1252")

    call_command("import_ssb", _file(tmp_path, data), "--classification", "128", stdout=out)

    assert Municipality.objects.get(number="1804").centrality == 6
    assert "1 endringer i 1 kommuner, 0 nye, 0 endrede nummer, 1 uendret, 0 ukjente, 0 feil." in out.getvalue()
    assert "Lagret: 1 kommuner endret, 0 opprettet." in out.getvalue()


@pytest.mark.django_db
def test_the_command_fails_in_norwegian_on_a_bad_file(world, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="ikke en tekstfil"):
        call_command("import_ssb", _file(tmp_path, b"\x00\x01\x02garbage"), stdout=StringIO())
    with pytest.raises(CommandError, match="Kan ikke lese fila"):
        call_command("import_ssb", str(tmp_path / "finnes-ikke.csv"), stdout=StringIO())


@pytest.mark.django_db
def test_the_command_saves_nothing_when_a_row_is_invalid(world, tmp_path: Path) -> None:
    out = StringIO()
    data = centrality_csv(("1804", "6", "Bodø"), ("12a4", "1", "Feil"))

    with pytest.raises(CommandError, match="Fila har 1 feil; ingenting er lagret"):
        call_command("import_ssb", _file(tmp_path, data), stdout=out)

    assert "Rad 5: «12a4» er ikke et gyldig kommunenummer." in out.getvalue()
    assert Municipality.objects.get(number="1804").centrality == 3

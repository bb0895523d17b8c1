"""The office pages: region scoping (404/403), quick inquiry entry, bad input, query bounds, report downloads."""

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Change
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)
from registry.models import Doctor, HealthTrust, Municipality

TODAY = date(2025, 3, 14)


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr("office.views._today", lambda: TODAY)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def vest_records(world):
    partner = Partner.objects.create(office=world.vest, name="KS Vest", kind="ks")
    activity = Activity.objects.create(office=world.vest, date=date(2025, 1, 5), kind="meeting", theme="Tilskudd")
    staff = StaffMember.objects.create(office=world.vest, name="Anne", title="Rådgiver", start=date(2020, 1, 1))
    inquiry = Inquiry.objects.create(office=world.vest, date=date(2025, 1, 2), note="Kari Nordmann ringte")
    inquiry.topics.add(InquiryTopic.objects.first())
    institution = Institution.objects.create(office=world.vest, name="Statsforvalteren i Vestland")
    return type(
        "R",
        (),
        {"partner": partner, "activity": activity, "staff": staff, "inquiry": inquiry, "institution": institution},
    )


EDIT_PAGES = [
    ("office:inquiry_edit", "inquiry"),
    ("office:activity_edit", "activity"),
    ("office:partner_edit", "partner"),
    ("office:staff_edit", "staff"),
    ("office:institution_edit", "institution"),
    ("office:institution_registration_add", "institution"),
]


@pytest.mark.parametrize(("url_name", "attr"), EDIT_PAGES)
def test_it_hides_other_regions_records(nord_user, vest_user, vest_records, url_name, attr) -> None:
    url = reverse(url_name, args=[getattr(vest_records, attr).pk])
    assert _client(vest_user).get(url).status_code == 200
    assert _client(nord_user).get(url).status_code == 404


@pytest.mark.parametrize(("url_name", "attr"), EDIT_PAGES)
def test_it_lets_the_coordinator_read_but_not_change(coordinator, vest_records, url_name, attr) -> None:
    url = reverse(url_name, args=[getattr(vest_records, attr).pk])
    assert _client(coordinator).get(url).status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "office:inquiry_list",
        "office:inquiry_stats",
        "office:activity_list",
        "office:partner_list",
        "office:staff_list",
        "office:institution_list",
    ],
)
def test_it_keeps_the_reader_out_of_named_records(reader, vest_records, url_name) -> None:
    assert _client(reader).get(reverse(url_name)).status_code == 403


def test_it_lists_only_the_own_regions_inquiries(vest_user, nord_user, vest_records) -> None:
    assert b"Kari Nordmann ringte" in _client(vest_user).get(reverse("office:inquiry_list")).content
    assert b"Kari Nordmann ringte" not in _client(nord_user).get(reverse("office:inquiry_list")).content


def test_the_quick_entrys_choices_are_kept_until_they_change(vest_user, world) -> None:
    """Its fields are written once per data change (core.tableversions): a topic added outside the forms is offered
    at once, and the form still carries the request's own CSRF token."""
    client = _client(vest_user)
    page = client.get(reverse("office:inquiry_list")).content.decode()
    assert 'id="quick"' in page and "Nytt tema" not in page and 'name="csrfmiddlewaretoken"' in page
    InquiryTopic.objects.bulk_create([InquiryTopic(name="Nytt tema", ordering=99)])
    assert "Nytt tema" in client.get(reverse("office:inquiry_list")).content.decode()


def test_it_saves_a_quick_inquiry_and_returns_a_fresh_focused_form(vest_user, world) -> None:
    topic = InquiryTopic.objects.get(name="Tellende tjenestetid")
    response = _client(vest_user).post(
        reverse("office:inquiry_create"),
        {
            "date": "2025-03-14",
            "channel": "phone",
            "sender": "municipality",
            "municipality": world.bergen.pk,
            "topics": [topic.pk],
            "minutes": "10",
            "note": "Vikariat",
            "status": "answered",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "inquirySaved"
    html = response.content.decode()
    assert 'id="quick"' in html and "autofocus" in html and 'value="2025-03-14"' in html
    inquiry = Inquiry.objects.get()
    assert (inquiry.office, inquiry.municipality, list(inquiry.topics.all())) == (world.vest, world.bergen, [topic])


def test_it_rejects_an_inquiry_without_topic_or_outside_the_region(vest_user, world) -> None:
    response = _client(vest_user).post(
        reverse("office:inquiry_create"),
        {
            "date": "2025-03-14",
            "channel": "phone",
            "sender": "municipality",
            "municipality": world.bodo.pk,
            "minutes": "10",
            "status": "answered",
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "Velg minst ett emne." in html
    assert 'id="quick_municipality_error"' in html
    assert not Inquiry.objects.exists()


def test_it_refuses_new_inquiries_from_the_reader_and_coordinator(reader, coordinator, world) -> None:
    assert _client(reader).post(reverse("office:inquiry_create"), {}).status_code == 403
    assert _client(coordinator).post(reverse("office:inquiry_create"), {}).status_code == 403


def test_it_rejects_staff_ending_before_starting(vest_user) -> None:
    response = _client(vest_user).post(
        reverse("office:staff_create"),
        {"name": "Per", "title": "Lege", "position_percent": "20", "start": "2025-01-01", "end": "2024-01-01"},
    )
    assert "Sluttdato kan ikke være før startdato." in response.content.decode()
    assert not StaffMember.objects.exists()


def test_it_creates_an_activity_with_a_partner(vest_user, vest_records) -> None:
    response = _client(vest_user).post(
        reverse("office:activity_create"),
        {"date": "2025-02-01", "kind": "teams", "theme": "Veiledning", "partners": [vest_records.partner.pk]},
    )
    assert response.status_code == 302
    assert list(Activity.objects.get(theme="Veiledning").partners.all()) == [vest_records.partner]


def test_it_bounds_queries_on_the_inquiry_list(vest_user, world) -> None:
    client = _client(vest_user)
    topics = list(InquiryTopic.objects.all()[:2])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("office:inquiry_list")).status_code == 200
        return len(queries)

    Inquiry.objects.create(office=world.vest, date=date(2025, 1, 1), municipality=world.bergen).topics.set(topics)
    few = count()
    trust = HealthTrust.objects.create(name="Helse Bergen HF", short_name="Helse Bergen", rhf="vest")
    for n in range(30):
        doctor = Doctor.objects.create(first_name="Lege", last_name=f"Nr{n}", municipality=world.bergen)
        Inquiry.objects.create(
            office=world.vest, date=date(2025, 1, 2), note=str(n), municipality=world.bergen, doctor=doctor,
            health_trust=trust, sender=Inquiry.Sender.ALIS,
        ).topics.set(topics)
    assert count() == few  # every cell's record read with the rows, none one by one
    page = client.get(reverse("office:inquiry_list")).content.decode()
    assert "ALIS: Bergen: Lege Nr29: Helse Bergen" in page and topics[0].name in page


def test_it_counts_inquiries_by_topic_and_month(vest_user, vest_records) -> None:
    client = _client(vest_user)
    response = client.get(reverse("office:inquiry_stats"), {"year": 2025})
    assert response.context["total"] == 1
    assert response.context["months"][0] == 1
    # Counted once per data change (core.fragments.kept_content): an inquiry written outside the forms counts.
    total = re.compile(r'Henvendelser i alt</th>.*?<td class="num">(\d+)</td></tr></tfoot>', re.DOTALL)
    assert total.search(response.content.decode()).group(1) == "1"
    Inquiry.objects.bulk_create([Inquiry(office=vest_user.office, date=date(2025, 2, 3), note="Ny")])
    page = client.get(reverse("office:inquiry_stats"), {"year": 2025}).content.decode()
    assert total.search(page).group(1) == "2"


def test_it_shows_the_report_to_its_office_and_the_reader_only(vest_user, nord_user, reader, known) -> None:
    url = reverse("office:report", args=["vest", 2024])
    page = _client(vest_user).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Årsrapport 2024 – ALIS-kontor Vest" in html
    assert "Budsjettet for 2024 var 6" in html and "Nytt mandat fra 01.05.2022" in html
    assert 'href="/kontoret/arsrapport/vest/2024/tekster/"' in html  # staff write the texts
    assert "For vertskommunen (Bergen)" in html and "Kari Etatsdirektør, Etatsdirektør" in html
    assert "Sentralitet ukjent: 1 kommune." in html
    read = _client(reader).get(url)
    assert read.status_code == 200
    assert "/tekster/" not in read.content.decode()  # the reader does not get a link that answers 403
    assert "Se kommunene med ukjent sentralitet" not in read.content.decode()  # nor the municipality list
    assert _client(nord_user).get(url).status_code == 404
    assert _client(reader).post(url, {"goals_reached": "x"}).status_code == 403
    assert _client(nord_user).get(reverse("office:report_national", args=[2024])).status_code == 403
    assert _client(reader).get(reverse("office:report_national", args=[2024])).status_code == 200


def test_the_report_counts_again_after_a_write_outside_the_forms(vest_user, known) -> None:
    """The report is kept until a table it is read from is written to (core.tableversions): a centrality set by a
    bulk update, which leaves no history, is counted on the next view."""
    url = reverse("office:report", args=["vest", 2024])
    client = _client(vest_user)
    assert "Sentralitet ukjent: 1 kommune." in client.get(url).content.decode()

    Municipality.objects.filter(number="4632").update(centrality=6)

    assert "Sentralitet ukjent: 1 kommune." not in client.get(url).content.decode()


def _text_data(texts: AnnualReport, **changes) -> dict:
    data = {
        "host_municipality": texts.host_municipality_id or "",
        "host_unit": texts.host_unit,
        "budget": texts.budget if texts.budget is not None else "",
        "host_cooperation": texts.host_cooperation,
        "goals_reached": texts.goals_reached,
        "new_mandate": texts.new_mandate,
        "community_medicine": texts.community_medicine,
        "working_groups": texts.working_groups,
        "comments": texts.comments,
        "signature_place": texts.signature_place,
        "signature_date": texts.signature_date.isoformat() if texts.signature_date else "",
        "signer_name": texts.signer_name,
        "signer_title": texts.signer_title,
        "host_signer_name": texts.host_signer_name,
        "host_signer_title": texts.host_signer_title,
        "seen_version": texts.version,
    }
    return data | changes


def test_it_stores_the_texts_with_the_report_and_their_history(vest_user, known) -> None:
    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    url = reverse("office:report_texts", args=["vest", 2024])
    page = _client(vest_user).get(url)
    assert page.status_code == 200
    assert "Tekstene i årsrapporten 2024" in page.content.decode()
    response = _client(vest_user).post(url, _text_data(texts, new_mandate="Revidert mandat.", budget="7100000"))
    assert response.status_code == 302
    texts.refresh_from_db()
    assert (texts.new_mandate, texts.budget, texts.version) == ("Revidert mandat.", 7_100_000, 2)
    change = Change.objects.get(object_id=texts.pk, content_type__model="annualreport")
    assert change.fields["budget"] == ["6700000", "7100000"]
    assert "Revidert mandat." in _client(vest_user).get(url).content.decode()  # the history under the form


def test_it_rejects_bad_texts_next_to_the_field_and_keeps_the_old(vest_user, known) -> None:
    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    url = reverse("office:report_texts", args=["vest", 2024])
    data = _text_data(texts, budget="-5", signature_date="30.02.2025", host_municipality=known.world.bodo.pk)
    html = _client(vest_user).post(url, data).content.decode()
    assert 'id="id_budget_error"' in html and 'id="id_signature_date_error"' in html
    assert 'id="id_host_municipality_error"' in html  # a municipality of another region is not offered
    texts.refresh_from_db()
    assert (texts.budget, texts.version) == (6_700_000, 1)


def test_it_refuses_a_stale_save_of_the_texts(vest_user, known) -> None:
    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    url = reverse("office:report_texts", args=["vest", 2024])
    _client(vest_user).post(url, _text_data(texts, comments="Først"))
    html = _client(vest_user).post(url, _text_data(texts, comments="Sist")).content.decode()
    assert "etter at du åpnet den" in html
    texts.refresh_from_db()
    assert texts.comments == "Først"


def test_it_keeps_the_texts_to_their_own_office(vest_user, nord_user, coordinator, reader, known) -> None:
    url = reverse("office:report_texts", args=["vest", 2024])
    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    assert _client(nord_user).get(url).status_code == 404
    assert _client(nord_user).post(url, _text_data(texts, comments="x")).status_code == 404
    assert _client(coordinator).get(url).status_code == 403
    assert _client(reader).post(url, _text_data(texts, comments="x")).status_code == 403
    texts.refresh_from_db()
    assert texts.comments == "Ingen."


def test_a_new_years_texts_start_from_the_year_before(vest_user, known) -> None:
    html = _client(vest_user).get(reverse("office:report_texts", args=["vest", 2025])).content.decode()
    assert f'name="host_municipality" value="{known.world.bergen.pk}"' in html
    assert 'name="host_municipality_text" value="4601 Bergen"' in html
    assert 'value="Anne Rådgiver"' in html
    assert not AnnualReport.objects.filter(year=2025).exists()  # nothing stored until the office saves


@pytest.mark.parametrize("fmt", ["json", "xlsx", "html", "pdf"])
def test_it_downloads_the_report(vest_user, known, fmt) -> None:
    response = _client(vest_user).get(reverse("office:report_download", args=["vest", 2024, fmt]))
    assert response.status_code == 200
    body = response.content
    if fmt == "json":
        data = json.loads(body)
        registration = next(s for s in data["sections"] if s["key"] == "registration")
        assert registration["tables"][0]["rows"][0][1] == 2
        assert registration["tables"][0]["columns"][3] == "Sentralitet ukjent"
        assert data["signature"]["host"] == "Bergen"
        stays = next(t for s in data["sections"] for t in s["tables"] if t["key"] == "stays")
        assert (stays["rows"][2][4], stays["missing"]) == (None, "ukjent")  # unknown, never 0
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert book.sheetnames[0] == "Rapport"
        built_tables = [t for s in json.loads(_json(vest_user))["sections"] for t in s["tables"]]
        assert len(book.sheetnames) == 1 + len(built_tables)  # one sheet per table
        for name, table in zip(book.sheetnames[1:], built_tables, strict=True):
            assert len(name) <= 31
            assert book[name]["A1"].value == table["title"]  # the full title in the sheet's first cell
        assert book["Fastlege etter fullført"]["E5"].value == "ukjent"
        front = [row[0] for row in book["Rapport"].iter_rows(values_only=True)]
        assert "2. Ansatte ved kontoret" not in front  # a section of tables only has its sheets
        assert "3. Mandat og nye oppgaver" in front and "Nytt mandat fra 01.05.2022: også samfunnsmedisin." in front
        assert "For vertskommunen (Bergen)" in front and "Sted, dato: Bergen, 30.03.2025" in front
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        html = body.decode()
        assert "Antall registrerte utdanningsvirksomheter" in html
        assert "Bakgrunn for rapporten er mandatet for ALIS-kontorene" in html
        assert "Sted, dato" in html and "Bergen, 30.03.2025" in html
        assert "/tekster/" not in html  # the document has no links into the app


def _json(user) -> bytes:
    return _client(user).get(reverse("office:report_download", args=["vest", 2024, "json"])).content


def test_the_pdf_has_every_section_and_the_signature(known) -> None:
    """What an office hands in: read back from the PDF itself, when poppler's pdftotext is installed."""
    import shutil
    import subprocess

    from office import render, report

    pdf = render.to_pdf(report.build_report(known.world.vest, 2024))
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout  # noqa: S603 (our own PDF)
    text = text.decode()
    for heading in ("1. Om kontoret", "3. Mandat og nye oppgaver", "9. Samarbeidspartnere", "12. Avslutning"):
        assert heading in text
    assert "Sentralitet ukjent" in text and "Fortsatt fastlege etter fullført spesialisering" in text
    assert "For vertskommunen (Bergen)" in text and "Signatur" in text
    assert "Side 1 av" in text


def test_the_xlsx_sheet_names_stay_within_excels_limit_for_any_title() -> None:
    from office.render import _sheet_name

    used: set[str] = set()
    long = "Samfunnsmedisin: kommuner etter status og sentralitetsklasse per 31.12.2024"
    names = [_sheet_name(long, used), _sheet_name(long, used), _sheet_name("Status [a/b]: *?", used)]
    assert all(len(name) <= 31 for name in names)
    assert names[0] != names[1] and names[1].endswith("(2)")
    assert names[2] == "Status  a b"


def test_the_command_writes_json_to_standard_output(known) -> None:
    out = io.StringIO()
    call_command("annual_report", office="vest", year=2024, fmt="json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["office"], data["year"], data["as_of"]) == ("vest", 2024, "2024-12-31")


def test_the_command_writes_a_file_and_refuses_unknown_offices(known, tmp_path) -> None:
    target = tmp_path / "r.xlsx"
    call_command("annual_report", office="vest", year=2024, fmt="xlsx", output=str(target), stderr=io.StringIO())
    assert target.read_bytes().startswith(b"PK")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ukjent kontor"):
        call_command("annual_report", office="bergen", year=2024)


def test_it_shows_retention_to_everyone_as_aggregates(reader, vest_user, known) -> None:
    for user in (reader, vest_user):
        response = _client(user).get(reverse("office:retention"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<svg" in html
        assert "Fortsatt fastlege etter fullført spesialisering" in html
        assert "Alle som har sluttet, etter årsak og hvor de gikk" in html
    # Today is 14.03.2025 in these tests: Bergen's list of 10.01.2025 counts now. For Vest: t6 (Bergen, 01.12.2024)
    # is not a year past; t7, t8, t9 as in the report, and none is five years past: «ukjent», not 0 %.
    stays = _client(vest_user).get(reverse("office:retention")).context["stays"]
    assert stays.rows[0][1:5] == [3, 2, 2, 100.0]
    assert stays.rows[2][4] is None
    assert "ukjent" in _client(vest_user).get(reverse("office:retention")).content.decode()


def test_it_keeps_retention_to_the_staffs_own_region(vest_user, nord_user, known) -> None:
    nord = _client(nord_user).get(reverse("office:retention"), {"office": "vest"}).context
    assert nord["office"] == known.world.nord  # staff can not ask for another region's numbers
    assert nord["stays"].rows[0][1] == 0
    assert nord["leaving"].footer[-1] == 0


def test_it_adds_an_institution_and_its_status_with_history(vest_user, known) -> None:
    client = _client(vest_user)
    response = client.post(reverse("office:institution_create"), {"name": "  Fylkeslegen  ", "notes": ""})
    institution = Institution.objects.get(name="Fylkeslegen")
    assert response.url == reverse("office:institution_registration_add", args=[institution.pk])
    assert institution.office == known.world.vest
    add = reverse("office:institution_registration_add", args=[institution.pk])
    assert client.post(add, {"status": "pending", "valid_from": "2024-05-01"}).status_code == 302
    html = client.post(add, {"status": "registered", "valid_from": "2024-05-01"}).content.decode()
    assert "Virksomheten har allerede en status som gjelder fra denne dagen." in html
    listing = client.get(reverse("office:institution_list")).content.decode()
    assert "Fylkeslegen" in listing and "Søknad til behandling" in listing
    edit = client.get(reverse("office:institution_edit", args=[institution.pk])).content.decode()
    assert "Søknad til behandling fra 01.05.2024" in edit  # in the change history
    duplicate = client.post(reverse("office:institution_create"), {"name": "fylkeslegen"}).content.decode()
    assert "Kontoret har allerede en virksomhet med dette navnet." in duplicate
    assert InstitutionRegistration.objects.count() == 4  # three in conftest, one here
    community = rp_table(known, "registration_community_medicine")
    assert community.rows[1][2] == 1  # pending on 31.12.2024


def rp_table(known, key: str):
    from office import report

    return next(t for t in report.build_report(known.world.vest, 2024).tables() if t.key == key)


def test_it_refuses_institutions_to_others(nord_user, coordinator, reader, vest_records) -> None:
    institution = vest_records.institution
    add = reverse("office:institution_registration_add", args=[institution.pk])
    assert _client(nord_user).post(add, {"status": "registered", "valid_from": "2024-01-01"}).status_code == 404
    assert _client(coordinator).post(add, {"status": "registered", "valid_from": "2024-01-01"}).status_code == 403
    assert _client(reader).post(reverse("office:institution_create"), {"name": "X"}).status_code == 403
    assert not InstitutionRegistration.objects.exists()
    assert Institution.objects.count() == 1


def test_the_inquiry_lists_rows_are_kept_until_a_table_they_are_read_from_changes(vest_user, nord_user, world) -> None:
    first, second = list(InquiryTopic.objects.order_by("pk")[:2])
    inquiry = Inquiry.objects.create(office=world.vest, date=date(2025, 1, 1), municipality=world.bergen)
    inquiry.topics.set([first])
    client = _client(vest_user)

    def rows() -> tuple[str, bool]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("office:inquiry_list")).content.decode()
        read = any('FROM "office_inquiry"' in q["sql"] and "LIMIT" in q["sql"] for q in queries)
        return re.search(r"<tbody>(.*)</tbody>", html, re.DOTALL).group(1), read

    body, read = rows()
    assert read and first.name in body and second.name not in body
    assert rows() == (body, False)  # kept: not read again
    inquiry.topics.set([second])  # the many-to-many table only
    body, read = rows()
    assert read and second.name in body and first.name not in body
    InquiryTopic.objects.filter(pk=second.pk).update(name="Nytt navn på emnet")
    assert "Nytt navn på emnet" in rows()[0]
    Inquiry.objects.create(office=world.vest, date=date(2025, 2, 1), note="Den nye")  # as the quick entry adds one
    assert "Den nye" in rows()[0]
    nord = _client(nord_user).get(reverse("office:inquiry_list")).content.decode()
    assert "Den nye" not in nord  # another office, its own rows


def test_the_record_lists_are_kept_until_a_record_changes(vest_user, vest_records) -> None:
    """Kept by the write counters (core.lists, keep_rows), one list per kind: a write outside the forms shows."""
    client = _client(vest_user)
    assert "Samling om ALIS-avtaler" not in client.get(reverse("office:activity_list")).content.decode()
    assert "KS Vest" in client.get(reverse("office:partner_list")).content.decode()  # its own kept rows
    Activity.objects.filter(pk=vest_records.activity.pk).update(theme="Samling om ALIS-avtaler")
    assert "Samling om ALIS-avtaler" in client.get(reverse("office:activity_list")).content.decode()

"""The office pages: region scoping (404/403), quick inquiry entry, bad input, query bounds, report downloads."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from office.models import Activity, AnnualReport, Inquiry, InquiryTopic, Partner, StaffMember

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
    return type("R", (), {"partner": partner, "activity": activity, "staff": staff, "inquiry": inquiry})


EDIT_PAGES = [
    ("office:inquiry_edit", "inquiry"),
    ("office:activity_edit", "activity"),
    ("office:partner_edit", "partner"),
    ("office:staff_edit", "staff"),
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
    ["office:inquiry_list", "office:inquiry_stats", "office:activity_list", "office:partner_list", "office:staff_list"],
)
def test_it_keeps_the_reader_out_of_named_records(reader, vest_records, url_name) -> None:
    assert _client(reader).get(reverse(url_name)).status_code == 403


def test_it_lists_only_the_own_regions_inquiries(vest_user, nord_user, vest_records) -> None:
    assert b"Kari Nordmann ringte" in _client(vest_user).get(reverse("office:inquiry_list")).content
    assert b"Kari Nordmann ringte" not in _client(nord_user).get(reverse("office:inquiry_list")).content


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
    for n in range(30):
        Inquiry.objects.create(office=world.vest, date=date(2025, 1, 2), note=str(n)).topics.set(topics)
    assert count() == few


def test_it_counts_inquiries_by_topic_and_month(vest_user, vest_records) -> None:
    response = _client(vest_user).get(reverse("office:inquiry_stats"), {"year": 2025})
    assert response.context["total"] == 1
    assert response.context["months"][0] == 1


def test_it_shows_the_report_to_its_office_and_the_reader_only(vest_user, nord_user, reader, known) -> None:
    url = reverse("office:report", args=["vest", 2024])
    assert _client(vest_user).get(url).status_code == 200
    assert _client(reader).get(url).status_code == 200
    assert _client(nord_user).get(url).status_code == 404
    assert _client(reader).post(url, {"goals_reached": "x"}).status_code == 403
    assert _client(nord_user).get(reverse("office:report_national", args=[2024])).status_code == 403
    assert _client(reader).get(reverse("office:report_national", args=[2024])).status_code == 200


def test_it_stores_the_texts_with_the_report(vest_user, known) -> None:
    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    response = _client(vest_user).post(
        reverse("office:report", args=["vest", 2024]),
        {"goals_reached": "Nye mål", "comments": "Ok", "seen_version": texts.version},
    )
    assert response.status_code == 302
    texts.refresh_from_db()
    assert (texts.goals_reached, texts.version) == ("Nye mål", 2)


@pytest.mark.parametrize("fmt", ["json", "xlsx", "html", "pdf"])
def test_it_downloads_the_report(vest_user, known, fmt) -> None:
    response = _client(vest_user).get(reverse("office:report_download", args=["vest", 2024, fmt]))
    assert response.status_code == 200
    body = response.content
    if fmt == "json":
        assert json.loads(body)["sections"][1]["tables"][0]["rows"][0][1] == 2
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert book.sheetnames[0] == "Rapport"
        assert len(book.sheetnames) == 1 + 16  # one sheet per table
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        assert "Antall registrerte utdanningsvirksomheter" in body.decode()


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
        assert "<svg" in response.content.decode()

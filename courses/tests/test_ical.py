"""The iCalendar feed (RFC 5545): line endings, folding, escaping, the required VEVENT properties."""

import re
from datetime import UTC, date, datetime

from django.urls import reverse

from courses import ical
from courses.tests.conftest import make_course

STAMP = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_it_writes_all_day_events_with_the_required_properties():
    event = ical.Event(uid="kurs-samling-1@alis.example", start=date(2026, 2, 2), end=date(2026, 2, 3), summary="Kurs")

    lines = _unfold(ical.calendar([event], name="Veilederkurs", stamp=STAMP))

    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines[-2:] == ["END:VCALENDAR", ""]
    vevent = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]
    assert "UID:kurs-samling-1@alis.example" in vevent
    assert "DTSTAMP:20260115T093000Z" in vevent
    assert "DTSTART;VALUE=DATE:20260202" in vevent
    # DTEND of an all-day event is the day after the last day.
    assert "DTEND;VALUE=DATE:20260204" in vevent
    assert "SUMMARY:Kurs" in vevent


def test_it_ends_every_line_with_crlf():
    text = ical.calendar([], name="Veilederkurs", stamp=STAMP)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_it_escapes_text_values():
    assert ical.escape("Bergen; Scandic, sal 2\nmed lunsj\\") == "Bergen\\; Scandic\\, sal 2\\nmed lunsj\\\\"


def test_it_folds_long_lines_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "æøå" * 40

    folded = ical.fold(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_it_serves_the_published_gatherings_without_login(client, vest_course, world):
    make_course(world.vest, title="Skjult kurs", published=False)

    response = client.get(reverse("courses:ical"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = _unfold(response.content.decode())
    assert lines.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Emnekurs i veiledning\\, samling 1 av 2" in lines
    assert "LOCATION:Bergen" in lines
    assert not any("Skjult" in line for line in lines)
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 2
    assert all(re.match(r"^DTSTAMP:\d{8}T\d{6}Z$", line) for line in lines if line.startswith("DTSTAMP"))


def test_it_narrows_the_feed_to_one_office(client, vest_course, nord_course):
    response = client.get(reverse("courses:ical") + "?kontor=nord")

    text = response.content.decode()
    assert "Veilederkurs Nord" in text
    assert "Emnekurs i veiledning" not in text

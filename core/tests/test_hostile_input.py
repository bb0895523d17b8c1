"""No page answers 500 to hostile input: the URL conf crawled with hostile query values and form posts.

The light crawl of every test run (the machinery is core/tests/crawler.py): every URL pattern is opened
with the demo data set, as an office user, the national coordinator and an anonymous visitor, with every
query parameter the view reads set to each hostile value; every form a page shows is posted as shown,
with each date field set to 31.12.9999 (it must be refused), and with all its fields set to each hostile
value. Before this, these answered 500 (on PostgreSQL, where NUL fails in the driver):

- /alis/ny/?lege=…, /tilskudd/soknader/<pk>/linjer/ny/?alis=… for anything but digits (ValueError);
- /tilskudd/kalkulator/?alis=²&period=², /tilskudd/soknader/ikke-sokt/?periode=², /tilskudd/kostnader/?aar=²,
  /tilskudd/kostnader/ny/?alis=² ("²".isdigit() is True, int("²") fails);
- /kurs/?kontor=%00 and /kurs/kalender.ics?kontor=%00 (PostgreSQL refuses NUL);
- /kurs/kontor/statistikk/?format=xlsx always; POST /alis/<pk>/endre/ with a start in year 9999.
"""

import pytest
from django.test import Client
from django.urls import reverse

import pages
from core.tests import crawler

FAR_DATE = "9999-12-31"
DATE_MESSAGE = "Datoen må være mellom 01.01.1900 og 31.12.2100."
# The light crawl's values; crawler.HOSTILE has more for the full fuzz.
QUERY_VALUES = ("\x00", "²", FAR_DATE, "99999999999999999999999", "-1", "-pk,../")
FORM_VALUES = ("\x00", "²", "99999999999999999999999", "=1+1")


def _failures(outcomes: list[crawler.Outcome]) -> list[str]:
    return [f"{o.method} {o.url} {o.data!r:.200}\n{o.error}" for o in outcomes if o.status >= 500]


def test_every_route_is_crawled() -> None:
    """The crawl opens every URL pattern with the page catalogue's example row (pages.py)."""
    catalogue = set(pages.by_url_name())
    assert [r.name for r in crawler.routes() if r.name not in catalogue | set(crawler.SKIPPED)] == []


@pytest.mark.parametrize("username", ["vest", "koordinator", None])
def test_no_page_answers_500_to_hostile_query_values(demo, db, username) -> None:
    client = crawler.client_for(username)
    outcomes = crawler.probe_query_values(client, QUERY_VALUES)
    assert _failures(outcomes) == []
    assert len(outcomes) > (250 if username else 100)


@pytest.mark.parametrize("username", ["vest", None])
def test_no_form_answers_500_and_every_date_field_refuses_year_9999(demo, db, username) -> None:
    client = crawler.client_for(username)
    forms = crawler.forms_on_every_page(client)
    assert len(forms) >= (30 if username else 3)
    assert sum(len(form.dates) for form in forms) >= (25 if username else 1)
    outcomes, accepted = [], []
    for form in forms:
        outcomes.append(crawler.probe(client, "post", form.action, form.post_data()))
        for name in form.dates:
            outcome = crawler.probe(client, "post", form.action, form.post_data(**{name: FAR_DATE}))
            outcomes.append(outcome)
            if outcome.status < 500 and DATE_MESSAGE not in outcome.content.decode(errors="replace"):
                accepted.append(f"{form.action} {name}: {outcome.status}")
        for value in FORM_VALUES:
            data = form.post_data(**dict.fromkeys(form.typed, value))
            outcomes.append(crawler.probe(client, "post", form.action, data))
    assert _failures(outcomes) == []
    assert accepted == []


def test_a_nul_character_is_refused_with_a_norwegian_page(demo, db) -> None:
    client = crawler.client_for("vest")
    response = client.get(reverse("training:list"), {"q": "Kari\x00"})
    assert response.status_code == 400
    assert "Forespørselen kan ikke brukes" in response.text
    assert Client().get(reverse("courses:ical"), {"kontor": "\x00"}).status_code == 400
    assert client.get("/kartlegging/abc%00def/").status_code == 400
    # The JSON API checks its own input and answers as problem+json, not with the site's page.
    api = client.get("/api/v1/doctors/", {"q": "a\x00b"})
    assert api.status_code != 400 and api["Content-Type"] == "application/problem+json"

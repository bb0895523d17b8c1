"""The security sweeps over the whole page catalogue (pages.py), on the demo data:

- **The cross-region walk**: every URL pattern, with the Vest example row of the catalogue, opened as the Nord
  office user and as an anonymous visitor. A personal record of Vest answers 404 or 403 (or a redirect to the
  sign-in), and no page shows the name of a person of Vest whom Nord may not read (doctors, contact persons,
  course participants and instructors, the office's staff) — lists and filters included.
- **The fuzz**: every form a page shows, as each persona, posted with hostile values (huge, NUL, unicode,
  far dates, formulas, wrong types), and every query parameter a view reads set to each: no 500, and a post
  that is refused writes nothing (the database is compared before and after, inside a rolled-back probe).

The light versions run in every test run (plain GETs for the walk here; test_hostile_input.py for the fuzz).
The full ones (every value into every field at once and one value of each kind into one field at a time, every
parameter with Vest's values for Nord) run once in CI on PostgreSQL: `ALIS_SWEEP=1` and the marker `sweep`, as the
browser sweep and Schemathesis do.
"""

import os

import pytest

import pages
from accounts.models import User
from core.tests import crawler
from courses.models import Instructor, Registration
from office.models import StaffMember
from registry.models import Contact, Doctor

SWEEP = pytest.mark.skipif(not os.environ.get("ALIS_SWEEP"), reason="the full sweep runs with ALIS_SWEEP=1")
# Pages reached with a private link: they show the link holder's own data (the supervisor's ALIS, the
# participant's sign-up, the municipality's own contacts), whoever opens them.
TOKEN_PAGES = {
    "supervision:link_page",
    "courses:cancel",
    "survey:answer",
    "survey:answer_section",
    "survey:answer_check",
}
# More hostile values than the light crawl's: unicode that turns text around or is not a letter, markup,
# SQL, an impossible date, numbers no column holds or that are not numbers, and a very long text.
FUZZ = (
    *crawler.HOSTILE,
    "\u202egnp.exe",
    "😀" * 50,
    "Z\u0351\u0352\u0353algo",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "30.02.2025",
    "2025-02-30",
    "1e309",
    "NaN",
    "-0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "y" * 100_000,
)
WRONG_TYPES = ({"x": "1"}, ["1", "2", "3"])
# One value of each kind, for the passes that put a value into one field or parameter at a time (every value
# above still goes into every field at once): text that is not a letter, a date out of range, an impossible
# date, numbers no column holds or that are not numbers, a negative, a formula, text that turns around, a very
# long text, and the wrong types. The values left out (markup, SQL, emoji, other dates) are text like these.
EACH_KIND = (
    "\x00",
    "²",
    "31.12.9999",
    "0001-01-01",
    "2025-02-30",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "-1",
    "=1+1",
    "\u202egnp.exe",
    "y" * 100_000,
    *WRONG_TYPES,
)


# --- The cross-region walk -------------------------------------------------------------------------------------


def vest_only_names(reader: User) -> set[str]:
    """Names of persons in Vest that `reader` may not read, and that nobody in their own region bears."""
    doctors = Doctor.objects.exclude(pk__in=Doctor.objects.visible_to(reader).values("pk"))
    vest = {f"{d.first_name} {d.last_name}" for d in doctors.filter(municipality__county__office__code="vest")}
    vest |= {f"{d.last_name}, {d.first_name}" for d in doctors.filter(municipality__county__office__code="vest")}
    vest |= set(Contact.objects.filter(municipality__county__office__code="vest").exclude(name="").values_list(
        "name", flat=True))  # fmt: skip
    vest |= set(Registration.objects.filter(course__office__code="vest").values_list("name", flat=True))
    vest |= set(Instructor.objects.filter(office__code="vest").values_list("name", flat=True))
    vest |= set(StaffMember.objects.filter(office__code="vest").values_list("name", flat=True))
    visible = Doctor.objects.visible_to(reader)
    theirs = {f"{d.first_name} {d.last_name}" for d in visible} | {f"{d.last_name}, {d.first_name}" for d in visible}
    theirs |= set(Contact.objects.visible_to(reader).values_list("name", flat=True))
    return {name for name in vest - theirs if len(name) > 5}


def _leaks(content: bytes, names: set[str]) -> list[str]:
    text = content.decode(errors="replace")
    return sorted(name for name in names if name in text)


def _walk(username: str | None, *, variants: bool) -> tuple[list[str], int]:
    """Every page as `username` (with Vest's row): statuses that open another region's personal record, and
    pages that show a Vest person's name. With `variants`, every query parameter the view reads is also set to
    Vest's values (its office, Bergen, the Vest row's id)."""
    client = crawler.client_for(username)
    reader = User.objects.get(username=username) if username else None
    names = vest_only_names(reader) if reader else vest_only_names(User.objects.get(username="hdir"))
    assert len(names) > 20, "the demo data should have Vest persons the reader may not read"
    vest_values = ("vest", pages.BERGEN, str(pages.bergen().pk), str(pages.vest_doctor().pk))
    problems, opened = [], 0
    for page in pages.PAGES:
        if page.url_name in TOKEN_PAGES or page.url_name in crawler.SKIPPED:
            continue
        _row, kwargs, query = page.resolve()
        url = page.path(kwargs, query)
        role = "other" if username == pages.USERNAMES["other"] else "anonymous"
        expected = page.statuses[role]
        outcome, params = crawler.read_params(client, url)
        outcomes = [outcome]
        if variants:
            outcomes += [crawler.probe(client, "get", url, {p: v}) for p in sorted(params) for v in vest_values]
        for found in outcomes:
            opened += 1
            if found.status >= 500:
                problems.append(f"{found.url} {found.data}: {found.status}\n{found.error}")
            elif found is outcome and found.status != expected and (page.url_name, role) not in pages.KNOWN_PROBLEMS:
                problems.append(f"{url}: {found.status}, the catalogue says {expected}")
            elif found.status == 200 and (leaked := _leaks(found.content, names)):
                problems.append(f"{found.url} {found.data or ''}: shows {leaked[:5]}")
    return problems, opened


def test_another_regions_user_opens_no_personal_record_and_reads_no_name(demo, db) -> None:
    problems, opened = _walk(pages.USERNAMES["other"], variants=False)

    assert problems == [], "\n".join(problems)
    assert opened > 150


def test_an_anonymous_visitor_reads_no_name(demo, db) -> None:
    problems, opened = _walk(None, variants=False)

    assert problems == []
    assert opened > 150


@pytest.mark.sweep
@SWEEP
def test_the_full_walk_with_every_filter_set_to_the_other_regions_values(demo, db) -> None:
    problems, opened = _walk(pages.USERNAMES["other"], variants=True)

    assert problems == []
    assert opened > 400


# --- The fuzz ----------------------------------------------------------------------------------------------------


# Forms whose success is a 200, not a redirect: a write there is the form working, not a refused post.
SUCCESS_IS_200 = {
    "/api/nokler/": "a new API token is shown once, on the page that made it (never stored to show after a redirect)",
}


def _report(outcomes: list[crawler.Outcome]) -> list[str]:
    return [
        f"{o.method} {o.url} {str(o.data)[:200]}: {o.status} {o.written}\n{o.error}"
        for o in outcomes
        if o.status >= 500 or (o.written and o.url not in SUCCESS_IS_200)
    ]


def _fuzz_forms(username: str | None, values: tuple, *, one_at_a_time: tuple = ()) -> tuple[list[str], int]:
    """Each value into every field of every form at once, then each of `one_at_a_time` into one field after
    another (a field's error can stop the form's checks before another field's value does harm)."""
    client = crawler.client_for(username)
    outcomes = []
    for form in crawler.forms_on_every_page(client):
        for value in values:
            data = form.post_data(**dict.fromkeys(form.typed, value))
            outcomes.append(crawler.probe(client, "post", form.action, data, writes=True))
        outcomes += [
            crawler.probe(client, "post", form.action, form.post_data(**{name: value}), writes=True)
            for value in one_at_a_time
            for name in form.typed
        ]
    return _report(outcomes), len(outcomes)


def test_a_refused_form_writes_nothing(demo, db) -> None:
    """The light fuzz: every form as the Vest user, every field at once, with a few values; nothing half-written."""
    problems, posted = _fuzz_forms("vest", ("\x00", "31.12.9999", "=1+1", "x" * 3000))

    assert problems == []
    assert posted > 100


@pytest.mark.sweep
@SWEEP
@pytest.mark.parametrize("username", ["vest", "koordinator", "admin", "hdir", None])
def test_the_full_fuzz_of_every_form(demo, db, username) -> None:
    problems, posted = _fuzz_forms(
        username, (*FUZZ, *WRONG_TYPES), one_at_a_time=EACH_KIND if username in {"vest", None} else ()
    )

    assert problems == []
    assert posted > (1000 if username == "vest" else 10)


@pytest.mark.sweep
@SWEEP
@pytest.mark.parametrize("username", ["vest", "koordinator", "admin", "hdir", None])
def test_the_full_fuzz_of_every_query_parameter(demo, db, username) -> None:
    client = crawler.client_for(username)
    outcomes = crawler.probe_query_values(client, (*FUZZ, *WRONG_TYPES), one_at_a_time=EACH_KIND)

    assert _report(outcomes) == []
    assert len(outcomes) > 500

"""Nynorsk as the third language: a complete, compiled `nn` catalogue, and pages without bokmål.

The app is written in bokmål; locale/nn holds the nynorsk (issue 15 item 7). These tests fail while the
catalogue lacks a message of the app, and while a page opened in nynorsk shows bokmål where a
catalogue entry should be. Update the catalogue with
`manage.py makemessages -l nn --ignore=.venv --ignore=node_modules --ignore=browser --no-obsolete`, translate
the new and fuzzy entries, then `manage.py compilemessages -l nn` (see the README).
"""

import logging
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

import pages
from accounts.models import User
from core.tests.test_i18n import PO_FILE as ENGLISH_PO
from core.tests.test_i18n import (
    assert_mo_matches,
    assert_msgfmt_accepts,
    assert_placeholders_kept,
    read_po,
    visible_text,
)

LOCALE = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE / "nn" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE / "nn" / "LC_MESSAGES" / "django.mo"
OVERRIDES = LOCALE / "nb" / "LC_MESSAGES" / "django.po"

# Words that bokmål has and nynorsk does not (nynorsk: ikkje, kva, kven, korleis, kvifor, viss/om, nokon,
# noko, frå, berre, vere, vart/blei, rettleiar, rettleiing, utdanningsverksemd, helseføretak, mykje,
# enno, sidan, de/dykk, dykkar, veke, lagra, endra, sletta, oppretta). Case matters not; whole words only.
BOKMAL_ONLY = [
    "ikke",
    "hva",
    "hvem",
    "hvordan",
    "hvorfor",
    "hvis",
    "hvilke",
    "hvilken",
    "noen",
    "noe",
    "fra",
    "bare",
    "være",
    "ble",
    "mye",
    "ennå",
    "siden",
    "dere",
    "deres",
    "uke",
    "uker",
    "veileder",
    "veiledere",
    "veilederen",
    "veilederne",
    "veiledning",
    "veiledningen",
    "veiledningslogg",
    "utdanningsvirksomhet",
    "utdanningsvirksomheten",
    "utdanningsvirksomheter",
    "helseforetak",
    "helseforetaket",
    "helseforetakene",
    "lagret",
    "endret",
    "slettet",
    "opprettet",
]
BOKMAL_WORD = re.compile(r"(?<![\w-])(" + "|".join(BOKMAL_ONLY) + r")(?![\w-])", re.IGNORECASE)


def catalogue(path: Path = PO_FILE) -> list:
    return [e for e in read_po(path) if e.msgid]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def test_nynorsk_is_offered():
    assert ("nn", "Norsk nynorsk") in settings.LANGUAGES


def test_the_nynorsk_catalogue_has_every_message_of_the_app():
    """The English catalogue is kept complete by its own tests, so it lists every message of the app."""
    nynorsk = {e.key for e in catalogue()}
    missing = [e.msgid for e in catalogue(ENGLISH_PO) if e.key not in nynorsk]

    assert not missing, f"{len(missing)} messages missing from {PO_FILE}, e.g. {missing[:20]}"


def test_the_nynorsk_twins_of_the_bokmal_overrides_are_there():
    """locale/nb translates some of Django's own texts it has not; nynorsk needs the same."""
    nynorsk = {e.key: e for e in catalogue()}

    for entry in catalogue(OVERRIDES):
        assert entry.key in nynorsk, entry.msgid
        assert nynorsk[entry.key].msgstr[0] not in ("", entry.msgid), entry.msgid


def test_every_nynorsk_message_is_translated_and_none_is_fuzzy():
    entries = catalogue()

    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {PO_FILE}: {untranslated[:50]}"
    assert not fuzzy, f"fuzzy in {PO_FILE}: {fuzzy[:50]}"
    plural = [e for e in entries if e.msgid_plural is not None]
    assert all(set(e.msgstr) == {0, 1} for e in plural)


def test_the_nynorsk_placeholders_are_kept():
    assert_placeholders_kept(catalogue())


def test_the_nynorsk_uses_the_fields_nynorsk_terms():
    """rettleiar, rettleiing, utdanningsverksemd, helseføretak, ikkje …: no bokmål-only word in a translation."""
    found = {}
    for entry in catalogue():
        for text in entry.msgstr.values():
            for deliberate in DELIBERATE:
                text = text.replace(deliberate, "")
            if words := sorted({w.lower() for w in BOKMAL_WORD.findall(text)}):
                found[entry.msgid] = words
    assert not found, f"bokmål words in nynorsk translations: {found}"


def test_the_committed_nynorsk_mo_matches_the_po():
    assert_mo_matches(catalogue(), MO_FILE)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_nynorsk_catalogue():
    assert_msgfmt_accepts(PO_FILE)


# Pages opened in nynorsk


ROLES_CHECKED = ("office", "reader", "anonymous")
# Pages in another language on purpose: the mapping form is in the municipality's målform (survey.views.answer).
OWN_LANGUAGE_PAGES = {"survey:answer", "survey:answer_section", "survey:answer_check"}
# Bokmål the app shows on purpose, in any language: names of sources and of a file's columns.
DELIBERATE = ("Individuell veiledning", "HPR veileder")
MARKDOWN = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`>#]+|^\s*(?:[-+]|\d+\.)\s+", re.MULTILINE)


def data_texts() -> list[str]:
    """The texts stored in the database that hold a bokmål-only word: data (course titles, inquiry topics,
    news written in bokmål, the offices' report texts), not catalogue messages. Line by line, without
    Markdown, as a page shows them; longest first."""
    from django.apps import apps
    from django.db import models

    texts = set()
    for model in apps.get_models():
        columns = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for row in model._default_manager.values_list(*columns) if columns else []:
            for value in row:
                if value and BOKMAL_WORD.search(value):
                    for line in MARKDOWN.sub(lambda m: m.group(1) or "", value).splitlines():
                        if BOKMAL_WORD.search(line):
                            texts.add(" ".join(line.split()))
    return sorted(texts, key=len, reverse=True)


def _without_bokmal_content(page: str) -> str:
    """The page without the elements marked as bokmål (`lang="nb"`: texts that have no nynorsk version)."""
    return re.sub(r'<(\w+)[^>]*\slang="nb"[^>]*>.*?</\1>', " ", page, flags=re.DOTALL)


def bokmal_on_pages() -> dict[str, list[str]]:
    """Each catalogue page (a 200 for the roles checked) opened with nynorsk chosen: the bokmål-only words
    its visible text shows outside the data, with the words around them."""
    data = data_texts()
    found: dict[str, list[str]] = {}
    logging.disable(logging.ERROR)
    try:
        for role in ROLES_CHECKED:
            client = Client(raise_request_exception=False)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
            if role != "anonymous":
                client.force_login(User.objects.get(username=pages.USERNAMES[role]))
            for page in pages.PAGES:
                if page.kind not in (pages.PAGE, pages.PARTIAL) or page.statuses[role] != 200:
                    continue
                if page.url_name in OWN_LANGUAGE_PAGES:
                    continue
                _row, kwargs, query = page.resolve()
                response = client.get(page.path(kwargs, query))
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                html = response.content.decode()
                if page.kind == pages.PAGE and '<html lang="nn"' not in html:
                    found[f"{page.url_name} as {role}"] = ["not marked as nynorsk: <html lang> is not nn"]
                    continue
                text = visible_text(_without_bokmal_content(html))
                for known in (*data, *DELIBERATE):
                    text = text.replace(known, " ")
                hits = [text[max(m.start() - 30, 0) : m.end() + 30] for m in BOKMAL_WORD.finditer(text)]
                if hits:
                    found[f"{page.url_name} as {role}"] = hits[:5]
    finally:
        logging.disable(logging.NOTSET)
    return found


@pytest.fixture
def demo_data(db):
    call_command("load_reference", verbosity=0)
    call_command("seed_demo", size="small", verbosity=0)


def test_no_page_shows_bokmal_when_nynorsk_is_chosen(demo_data):
    found = bokmal_on_pages()

    assert not found, f"{len(found)} pages show bokmål in nynorsk:\n" + "\n".join(
        f"{page}: {hits}" for page, hits in found.items()
    )

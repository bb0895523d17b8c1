"""English as the second language: the switch in the header, and a complete, compiled catalogue.

The interface is written in bokmål; locale/en holds the English. Update it with
`manage.py makemessages -l en …` and `manage.py compilemessages -l en` (see the README).
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
OVERVIEW = "/oversikt/"


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file as the gettext tools write it: blank lines between entries, obsolete `#~`
    entries skipped. Enough of the format for these tests; polib is not a dependency."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = target = None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif keyword := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
            name, index, text = keyword.groups()
            target = (name, int(index or 0))
            _append(entry, target, ast.literal_eval(text))
        elif line.startswith('"') and target is not None:
            _append(entry, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path.name}:{number}: can not read {raw!r}")
    return [e for e in entries if e.msgstr]


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)


def catalogue() -> list[Entry]:
    """The translatable entries (not the header)."""
    return [e for e in read_po(PO_FILE) if e.msgid]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in English leaves English active in the test's thread; the tests after this expect bokmål."""
    yield
    translation.deactivate()


class _TextParser(HTMLParser):
    """What a reader sees or hears: text, and the attributes read out or shown (not URLs or values)."""

    SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _TextParser()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def _log_in(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_overview_is_in_bokmal_by_default(client, vest_user):
    _log_in(client, vest_user)

    page = client.get(OVERVIEW).content.decode()

    assert '<html lang="nb"' in page
    assert "Registrerte utdanningsvirksomheter" in page
    assert "ALIS etter ordning og tilknytning" in page
    assert "Ønsket sykehustjeneste per helseforetak og halvår" in page
    assert "halvår" in page
    assert 'name="language" value="en"' in page


def test_set_language_switches_the_overview_to_english_and_back(client, vest_user):
    _log_in(client, vest_user)

    response = client.post(reverse("set_language"), {"language": "en", "next": OVERVIEW})
    assert response.status_code == 302
    assert response.url == OVERVIEW
    page = client.get(OVERVIEW).content.decode()
    text = visible_text(page)

    assert '<html lang="en"' in page
    assert "Overview – ALIS-kontor Vest" in text  # the office's name is data, not translated
    assert "GP trainees by scheme and contract type" in text
    assert "Requested hospital service per health trust and half-year" in text
    assert "Registered training institutions" in text
    assert "GP trainees per municipality" in text
    assert "Salaried" in text and "Self-employed" in text and "Locum" in text  # choice labels
    assert "Total" in text  # the sum row, labelled in training/overview.py
    assert re.search(r"(1st|2nd) half \d{4}", text)  # half-year headings from training/rules.py
    assert "halvår" not in text
    assert 'name="language" value="nb"' in page
    # Every longer bokmål text of the catalogue that the Norwegian page shows is gone from the English
    # one: the compiled catalogue is loaded and up to date.
    for entry in catalogue():
        if len(entry.msgid) >= 12 and "%" not in entry.msgid and entry.msgstr.get(0) != entry.msgid:
            assert entry.msgid not in text, entry.msgid

    client.post(reverse("set_language"), {"language": "nb", "next": OVERVIEW})
    page = client.get(OVERVIEW).content.decode()
    assert '<html lang="nb"' in page
    assert "Registrerte utdanningsvirksomheter" in page


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = catalogue()

    assert len(entries) > 300
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {PO_FILE}: {untranslated}"
    assert not fuzzy, f"fuzzy in {PO_FILE}: {fuzzy}"
    plural = [e for e in entries if e.msgid_plural is not None]
    assert plural and all(set(e.msgstr) == {0, 1} for e in plural)


def test_placeholders_are_kept():
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    for entry in catalogue():
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 else entry.msgid_plural
            used, expected = set(placeholder.findall(text)), set(placeholder.findall(source))
            if entry.msgid_plural is not None and index == 0:  # "1 result" need not show the range
                assert used <= expected | set(placeholder.findall(entry.msgid_plural)), entry.msgid
            else:
                assert used == expected, entry.msgid


def test_committed_mo_matches_the_po():
    """The .mo is committed so that a machine without gettext shows English too; it must not be stale."""
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    for entry in catalogue():
        if entry.msgid_plural is None:
            assert compiled.get(entry.key) == entry.msgstr[0], f"{entry.msgid!r}: run compilemessages -l en"
        else:
            for index, text in entry.msgstr.items():
                assert compiled.get((entry.key, index)) == text, f"{entry.msgid!r}: run compilemessages -l en"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_catalogue():
    result = subprocess.run(  # noqa: S603
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", os.devnull, str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr

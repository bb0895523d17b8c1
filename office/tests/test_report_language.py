"""The annual report in the reader's chosen language: the page, and every export."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def _client(user, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _download(client: Client, fmt: str):
    return client.get(reverse("office:report_download", args=["vest", 2024, fmt]))


def test_the_exports_follow_the_users_language(vest_user, known) -> None:
    client = _client(vest_user, "en")

    html = _download(client, "html")
    book = load_workbook(io.BytesIO(_download(client, "xlsx").content))
    data = json.loads(_download(client, "json").content)

    assert html["Content-Language"] == "en"
    assert '<html lang="en">' in html.content.decode()
    assert "Annual report 2024 – ALIS-kontor Vest" in html.content.decode()
    assert "Årsrapport" not in html.content.decode()
    assert book.sheetnames[0] == "Report"
    registration = next(s for s in data["sections"] if s["key"] == "registration")
    assert registration["tables"][0]["columns"][3] == "Centrality unknown"


def test_a_nynorsk_reader_gets_the_report_marked_as_nynorsk(vest_user, known) -> None:
    response = _download(_client(vest_user, "nn"), "html")

    assert response["Content-Language"] == "nn"
    assert '<html lang="nn">' in response.content.decode()


def test_a_bokmal_reader_gets_bokmal(vest_user, known) -> None:
    html = _download(_client(vest_user, "nb"), "html").content.decode()

    assert '<html lang="nb">' in html
    assert "Årsrapport 2024 – ALIS-kontor Vest" in html


def test_the_command_writes_the_report_in_the_language_asked_for(known, tmp_path) -> None:
    english, bokmal = tmp_path / "en.html", tmp_path / "nb.html"

    call_command(
        "annual_report", office="vest", year=2024, fmt="html", output=str(english), language="en", stderr=io.StringIO()
    )
    call_command("annual_report", office="vest", year=2024, fmt="html", output=str(bokmal), stderr=io.StringIO())

    assert "Annual report 2024" in english.read_text()
    assert "Årsrapport 2024" in bokmal.read_text()
    assert translation.get_language() == "nb"  # the command leaves the language as it found it

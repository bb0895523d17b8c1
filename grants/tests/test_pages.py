"""The grant pages on the shared form, list and confirmation pages: deletes behind a question, ALIS and
municipalities chosen by typing, the lists' rows and exports, and no link that answers 403."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.models import Change
from grants.models import ApplicationLine, CostSheet, GrantApplication
from grants.rates import load_rates
from registry.models import Doctor
from training.models import Contract, Scheme, Training


@pytest.fixture
def period(db):
    return load_rates()[0]


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _alis(municipality, first: str, last: str, hpr: str | None = None) -> Training:
    doctor = Doctor.objects.create(first_name=first, last_name=last, hpr_number=hpr, municipality=municipality)
    return Training.objects.create(
        doctor=doctor, employer=municipality, scheme=Scheme.NEW, contract=Contract.SELF_EMPLOYED,
        position_share=100, start=date(2022, 8, 1), expected_end=date(2029, 1, 1),
    )  # fmt: skip


def test_it_lists_the_rate_periods_with_their_state(client, period, vest_user, coordinator):
    page = _login(client, vest_user).get(reverse("grants:index"))
    assert "1 treff" in page.text and "Ikke kontrollert" in page.text and "Mangler satser" not in page.text
    assert reverse("grants:period_create") not in page.text  # the office does not keep the rates
    assert reverse("grants:scheme_edit", args=[period.scheme.pk]) not in page.text
    page = _login(client, coordinator).get(reverse("grants:index"))
    assert reverse("grants:period_create") in page.text
    assert reverse("grants:scheme_edit", args=[period.scheme.pk]) in page.text


def test_it_takes_an_alis_out_of_an_application_only_after_asking(
    client, period, world, vest_user, nord_user, coordinator, vest_training
):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    line = ApplicationLine.objects.create(application=application, training=vest_training)
    url = reverse("grants:line_delete", args=[line.pk])
    detail = _login(client, vest_user).get(reverse("grants:application_detail", args=[application.pk]))
    assert url in detail.text  # the way to it is on the application's page
    question = client.get(url)
    assert "Ta Kari Nordmann ut av søknaden?" in question.text and "kr\xa0249\xa0183" in question.text
    assert ApplicationLine.objects.filter(pk=line.pk).exists()  # asking deletes nothing
    assert _login(client, nord_user).post(url).status_code == 404
    assert _login(client, coordinator).post(url).status_code == 403
    assert ApplicationLine.objects.filter(pk=line.pk).exists()
    response = _login(client, vest_user).post(url)
    assert response.url == reverse("grants:application_detail", args=[application.pk])
    assert not ApplicationLine.objects.filter(pk=line.pk).exists()
    change = Change.objects.get(object_id=line.pk, action="delete")
    assert change.parent_id == application.pk


def test_it_deletes_a_draft_application_with_its_lines_but_not_a_sent_one(
    client, period, world, vest_user, vest_training
):
    draft = GrantApplication.objects.create(municipality=world.bergen, period=period)
    line = ApplicationLine.objects.create(application=draft, training=vest_training)
    _login(client, vest_user)
    url = reverse("grants:application_delete", args=[draft.pk])
    assert url in client.get(reverse("grants:application_detail", args=[draft.pk])).text
    assert "Slette søknaden fra Bergen?" in client.get(url).text
    assert client.post(url).url == reverse("grants:application_list")
    assert not GrantApplication.objects.exists()
    assert set(Change.objects.filter(action="delete").values_list("object_id", flat=True)) == {draft.pk, line.pk}

    sent = GrantApplication.objects.create(municipality=world.bergen, period=period, status="sent",
                                           sent_on=date(2025, 9, 1))  # fmt: skip
    url = reverse("grants:application_delete", args=[sent.pk])
    assert url not in client.get(reverse("grants:application_detail", args=[sent.pk])).text
    page = client.get(url)
    assert "Søknaden er sendt og kan ikke slettes." in page.text and ">Slett</button>" not in page.text
    client.post(url)
    assert GrantApplication.objects.filter(pk=sent.pk).exists()


def test_it_deletes_a_cost_sheet_after_asking(client, world, vest_user, nord_user, vest_training):
    sheet = CostSheet.objects.create(training=vest_training, year=2025)
    url = reverse("grants:cost_delete", args=[sheet.pk])
    assert _login(client, nord_user).post(url).status_code == 404
    _login(client, vest_user)
    assert url in client.get(reverse("grants:cost_detail", args=[sheet.pk])).text
    assert "Slette kostnadsarket for Kari Nordmann, 2025?" in client.get(url).text
    assert client.post(url).status_code == 302
    assert not CostSheet.objects.exists()


def test_it_deletes_a_rate_period_only_without_applications(client, period, world, vest_user, coordinator):
    url = reverse("grants:period_delete", args=[period.pk])
    assert _login(client, vest_user).get(url).status_code == 403
    GrantApplication.objects.create(municipality=world.bergen, period=period)
    _login(client, coordinator)
    assert "Satsperioden har 1 søknad og kan ikke slettes." in client.get(url).text
    client.post(url)
    assert period.__class__.objects.filter(pk=period.pk).exists()
    GrantApplication.objects.all().delete()
    assert client.post(url).url == reverse("grants:index")
    assert not period.__class__.objects.exists()


def test_it_finds_the_alis_of_a_new_line_by_typing(client, period, world, vest_user, nord_user, coordinator,
                                                    vest_training):  # fmt: skip
    applied = _alis(world.bergen, "Per", "Hansen")
    other = _alis(world.bergen, "Pia", "Hansen", hpr="7654321")
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    ApplicationLine.objects.create(application=application, training=applied)
    search = reverse("grants:line_alis_search", args=[application.pk])
    options = _login(client, vest_user).get(search, {"q": "hansen"}).text
    assert "Hansen, Pia (HPR 7654321)" in options and "Per" not in options  # Per is in the application already
    assert _login(client, nord_user).get(search, {"q": "hansen"}).status_code == 404
    assert _login(client, coordinator).get(search, {"q": "hansen"}).status_code == 403
    _login(client, vest_user)
    create = reverse("grants:line_create", args=[application.pk])
    form = client.get(create).text
    assert 'data-suggestion-url="' + search + '"' in form
    # Without the script, the text typed is all the page sends: the one ALIS it names is taken.
    data = {"training": "", "training_text": "7654321", "grant_type": "alis_agreement"}
    assert client.post(create, data).status_code == 302
    assert application.lines.filter(training=other).exists()
    data = {"training": "", "training_text": "Hansen, Per", "grant_type": "alis_agreement"}
    assert "Fant ingen som passer" in client.post(create, data).text


def test_it_creates_an_application_for_a_municipality_typed_by_name(client, period, world, vest_user, vest_training):
    _login(client, vest_user)
    page = client.get(reverse("grants:application_create"))
    assert f'data-suggestion-url="{reverse("registry:municipality_search")}?redigerbare=1"' in page.text
    response = client.post(reverse("grants:application_create"), {"municipality": "", "municipality_text": "Bergen",
                                                                    "period": period.pk})  # fmt: skip
    application = GrantApplication.objects.get()
    assert response.url == reverse("grants:application_detail", args=[application.pk])
    assert application.municipality == world.bergen and application.lines.count() == 1
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == ["Søknaden er opprettet med 1 ALIS."]
    again = client.post(reverse("grants:application_create"), {"municipality_text": "Bodø", "period": period.pk})
    assert "municipality" in again.context["form"].errors  # another region's municipality is not offered


def test_no_grant_or_office_template_tests_the_users_role():
    """What a user may do is asked of the abilities (`{% may %}`), never of the role's properties."""
    root = Path(__file__).resolve().parents[2]
    for app in ("grants", "office"):
        for template in (root / app / "templates").rglob("*.html"):
            text = template.read_text()
            for word in ("user.role", "user.sees_all_regions", "user.edits_", "user.reads_personal_data",
                         "reads_personal_data"):  # fmt: skip
                assert word not in text, f"{template.name}: {word}"

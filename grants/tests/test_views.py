from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.models import Change
from grants import eligibility
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile, RatePeriod
from grants.rates import load_rates
from registry.models import Doctor
from training.models import Contract, Scheme, Status, Training


@pytest.fixture
def period(db) -> RatePeriod:
    return load_rates()[0]


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _training(municipality, name: str, **fields) -> Training:
    doctor = Doctor.objects.create(first_name=name, last_name="Testesen", municipality=municipality)
    values = {
        "doctor": doctor, "employer": municipality, "scheme": Scheme.NEW, "contract": Contract.SELF_EMPLOYED,
        "position_share": 100, "start": date(2024, 1, 1), "expected_end": date(2029, 1, 1),
    } | fields  # fmt: skip
    return Training.objects.create(**values)


# Eligible but not applied for


def test_it_lists_eligible_alis_in_no_application(period, vest_user, vest_training, nord_training):
    assert list(eligibility.not_applied(period, user=vest_user)) == [vest_training]
    application = GrantApplication.objects.create(municipality=vest_training.employer, period=period)
    ApplicationLine.objects.create(
        application=application, training=vest_training, position_type="regular_gp", position_share=100,
        months=12, productivity_months=0,
    )  # fmt: skip
    assert list(eligibility.not_applied(period, user=vest_user)) == []


def test_it_leaves_out_old_scheme_temp_agency_ended_and_later_alis(period, world, vest_user, vest_training):
    old = _training(world.bergen, "Gammel", scheme=Scheme.OLD, start=date(2018, 1, 1))
    agency = _training(world.bergen, "Byrå")
    GrantProfile.objects.create(training=agency, temp_agency=True)
    ended = _training(world.bergen, "Sluttet", status=Status.LEFT, ended_on=date(2025, 5, 31))
    later = _training(world.bergen, "Senere", start=date(2026, 6, 1))
    ended_inside = _training(world.bergen, "Sluttet-i-perioden", status=Status.LEFT, ended_on=date(2025, 12, 31))
    eligible = set(eligibility.not_applied(period, user=vest_user))
    assert eligible == {vest_training, ended_inside}
    assert not eligible & {old, agency, ended, later}


def test_it_estimates_money_left_on_the_table_per_municipality(period, world, vest_user, vest_training):
    # Bergen is centrality 1; a self-employed ALIS full time since 2022 (productivity window passed):
    # 132 000 + 14 000 + 91 317 = 237 317 + 5 % (11 866) = 249 183.
    gaps = eligibility.left_on_table(period, user=vest_user)
    assert [(gap.municipality, gap.total) for gap in gaps] == [(world.bergen, Decimal(249183))]


def test_it_lists_municipalities_that_sent_nothing(period, world, vest_user, vest_training):
    assert [s.municipality for s in eligibility.sent_nothing(period, user=vest_user)] == [world.bergen]
    GrantApplication.objects.create(municipality=world.bergen, period=period, status="draft")
    assert [s.municipality for s in eligibility.sent_nothing(period, user=vest_user)] == [world.bergen]
    GrantApplication.objects.filter(municipality=world.bergen).update(status="sent", sent_on=date(2025, 8, 1))
    assert eligibility.sent_nothing(period, user=vest_user) == []


# Region scoping


def test_it_scopes_the_list_to_the_office(client, period, vest_user, vest_training, nord_training):
    response = _login(client, vest_user).get(reverse("grants:not_applied"))
    assert response.status_code == 200
    assert "Nordmann" in response.text
    assert "Hansen" not in response.text


def test_it_hides_another_regions_application_and_cost_sheet(client, period, world, nord_user, vest_training):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    sheet = CostSheet.objects.create(training=vest_training, year=2025)
    _login(client, nord_user)
    for url in (
        reverse("grants:application_detail", args=[application.pk]),
        reverse("grants:application_edit", args=[application.pk]),
        reverse("grants:cost_detail", args=[sheet.pk]),
        reverse("grants:cost_edit", args=[sheet.pk]),
        reverse("grants:profile_edit", args=[vest_training.pk]),
        reverse("grants:calculator") + f"?alis={vest_training.pk}",
    ):
        assert client.get(url).status_code == 404, url


def test_it_gives_the_reader_aggregates_only(client, period, world, reader, vest_training):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period, status="sent")
    ApplicationLine.objects.create(
        application=application, training=vest_training, position_type="regular_gp", position_share=100,
        months=12, productivity_months=0, computed_amount=Decimal(249183),
    )  # fmt: skip
    _login(client, reader)
    for name in ("grants:application_list", "grants:not_applied", "grants:cost_list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("grants:application_detail", args=[application.pk])).status_code == 404
    summary = client.get(reverse("grants:summary"))
    assert summary.status_code == 200
    assert "kr\xa0249\xa0183" in summary.text
    assert "Nordmann" not in summary.text


def test_it_lets_only_the_coordinator_edit_rates(client, period, vest_user, coordinator, form_data):
    url = reverse("grants:period_edit", args=[period.pk])
    assert _login(client, vest_user).get(url).status_code == 403
    client.logout()
    _login(client, coordinator)
    form = client.get(url).context["form"]
    data = form_data(form) | {"verified": "on", "hourly_rate": "1400"}
    response = client.post(url, data)
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.verified and period.hourly_rate == Decimal(1400)
    assert period.applicability["supervision"]["grant_types"] == ["alis_agreement", "supervision_only"]
    assert Change.objects.filter(object_id=period.pk, action="update").exists()


def test_it_shows_unverified_rates_on_screen(client, period, vest_user):
    response = _login(client, vest_user).get(reverse("grants:period_detail", args=[period.pk]))
    assert "Satsene er ikke kontrollert." in response.text
    assert "kr\xa0580\xa0433" in response.text


# Applications


def test_it_creates_an_application_with_a_line_per_eligible_alis(client, period, world, vest_user, vest_training):
    _login(client, vest_user)
    response = client.post(reverse("grants:application_create"), {"municipality": world.bergen.pk,
                                                                    "period": period.pk})  # fmt: skip
    application = GrantApplication.objects.get()
    assert response.status_code == 302
    line = application.lines.get()
    assert (line.training, line.months, line.computed_amount) == (vest_training, 12, Decimal(249183))


def test_it_refuses_an_application_for_another_region(client, period, world, vest_user):
    response = _login(client, vest_user).post(
        reverse("grants:application_create"), {"municipality": world.bodo.pk, "period": period.pk}
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not GrantApplication.objects.exists()


def test_it_requires_a_reason_for_an_override(client, period, world, vest_user, vest_training, form_data):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    line = ApplicationLine.objects.create(
        application=application, training=vest_training, position_type="regular_gp", position_share=100,
        months=12, productivity_months=0, computed_amount=Decimal(249183),
    )  # fmt: skip
    url = reverse("grants:line_edit", args=[line.pk])
    _login(client, vest_user)
    data = form_data(client.get(url).context["form"]) | {"override_amount": "200000"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Skriv hvorfor beløpet overstyres." in response.text
    line.refresh_from_db()
    assert line.override_amount is None
    response = client.post(url, data | {"override_reason": "Permisjon i tre måneder", "position_share": "50"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal(200000)
    assert line.computed_amount == Decimal(124592)  # 249 183 / 2: 66 000 + 7 000 + 45 659 + 5 % (5 933)


def test_it_needs_a_sent_date_for_a_sent_application(client, period, world, vest_user, form_data):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    url = reverse("grants:application_edit", args=[application.pk])
    _login(client, vest_user)
    data = form_data(client.get(url).context["form"]) | {"status": "sent"}
    response = client.post(url, data)
    assert "Skriv når søknaden ble sendt." in response.text
    application.refresh_from_db()
    assert application.status == "draft"


def test_it_lists_applications_in_a_bounded_number_of_queries(
    client, period, world, vest_user, django_assert_max_num_queries
):
    _login(client, vest_user)
    url = reverse("grants:application_list")
    GrantApplication.objects.create(municipality=world.bergen, period=period)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for number in range(10):
        municipality = world.bergen.__class__.objects.create(
            number=f"47{number:02d}", name=f"Kommune {number}", name_norwegian=f"Kommune {number}",
            county=world.vestland,
        )  # fmt: skip
        application = GrantApplication.objects.create(municipality=municipality, period=period)
        training = _training(municipality, f"Alis{number}")
        ApplicationLine.objects.create(
            application=application, training=training, position_type="regular_gp", position_share=100,
            months=12, productivity_months=0,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["listing"].page.paginator.count == 11


def test_it_shows_the_money_left_on_the_table_in_bounded_queries(
    client, period, world, vest_user, django_assert_max_num_queries
):
    _login(client, vest_user)
    url = reverse("grants:not_applied")
    _training(world.bergen, "En")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(10):
        _training(world.bergen, f"Flere{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Calculator and cost sheets


def test_it_fills_the_calculator_from_an_alis(client, period, vest_user, vest_training):
    response = _login(client, vest_user).get(reverse("grants:calculator") + f"?alis={vest_training.pk}")
    assert response.status_code == 200
    assert response.context["result"][1].total == Decimal(249183)


def test_it_shows_a_calculator_error_next_to_the_field(client, period, reader):
    response = _login(client, reader).get(
        reverse("grants:calculator"),
        {"period": period.pk, "position_type": "regular_gp", "grant_type": "alis_agreement", "position_share": "140",
         "months": "12"},
    )  # fmt: skip
    assert response.context["result"] is None
    assert "position_share" in response.context["form"].errors


def test_it_computes_the_municipalitys_net_cost_and_exports_it(client, world, vest_user, vest_training, form_data):
    _login(client, vest_user)
    url = reverse("grants:cost_create") + f"?alis={vest_training.pk}"
    data = form_data(client.get(url).context["form"]) | {
        "year": "2025", "salary": "1000000", "office_costs": "150000", "supervision": "80000",
        "patient_fees": "600000", "per_capita": "400000", "alis_grant": "250000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    sheet = CostSheet.objects.get()
    assert (sheet.expenses, sheet.financing, sheet.net_cost) == (Decimal(1230000), Decimal(1250000), Decimal(-20000))
    again = client.post(url, data)
    assert "allerede et kostnadsark for 2025" in again.text
    assert CostSheet.objects.count() == 1
    export = client.get(reverse("grants:cost_list") + "?aar=2025&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(reverse("grants:cost_list") + "?aar=2025&format=csv").content.decode("utf-8-sig")
    assert "Kari Nordmann" in csv
    assert "-20000" in csv

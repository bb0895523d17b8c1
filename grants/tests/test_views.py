"""The grant pages as the offices use them, with amounts computed by hand from the 2025/26 rate table.

Rates (unverified): timesats 1 375; practice compensation 0,60 × 160 h = 132 000; learning activities 14 000;
reduced productivity 125 000 within 24 months of the first day as fastlege/vikar; supervision 1,15 × 57,75 h =
91 317,19; facilitation 5 % of those four; supplement 200 000 in centrality class 6. Pro rata by position
share × whole months / 12, each element rounded to whole kroner.

Kari Nordmann (`vest_training`) is self-employed, full time in Bergen (class 1) since 1.8.2022: her window for
reduced productivity ended 31.7.2024, so in 2025/26 she brings 132 000 + 14 000 + 91 317 = 237 317, plus
5 % facilitation (11 865,85 → 11 866) = 249 183.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from core.models import Change
from grants import eligibility
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile, RatePeriod
from grants.periods import GrantYear
from grants.rates import load_rates
from registry.models import Doctor, Municipality, Specialty
from training.models import Contract, Scheme, Status, Training

KARI = "kr\xa0249\xa0183"


@pytest.fixture
def period(db) -> RatePeriod:
    return load_rates()[0]


@pytest.fixture
def year(period) -> GrantYear:
    return GrantYear.of(period)


@pytest.fixture
def today(monkeypatch):
    """Freeze the day the pages take as today (`timezone.localdate()`)."""
    real = timezone.localdate

    def freeze(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: real(*args, **kwargs) if args else day)

    freeze(date(2025, 11, 20))  # inside 2025/26 unless a test says otherwise
    return freeze


@pytest.fixture
def askoy(world) -> Municipality:
    """A Vest municipality whose centrality class the reference data does not have."""
    return Municipality.objects.create(number="4627", name="Askøy", name_norwegian="Askøy", county=world.vestland)


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _training(municipality, name: str, **fields) -> Training:
    doctor = Doctor.objects.create(first_name=name, last_name="Testesen", municipality=municipality)
    values = {
        "doctor": doctor, "employer": municipality, "scheme": Scheme.NEW, "contract": Contract.SELF_EMPLOYED,
        "position_share": 100, "start": date(2022, 8, 1), "expected_end": date(2029, 1, 1),
    } | fields  # fmt: skip
    return Training.objects.create(**values)


def _application(municipality, period, *trainings, **fields) -> GrantApplication:
    application = GrantApplication.objects.create(municipality=municipality, period=period, **fields)
    for training in trainings:
        ApplicationLine.objects.create(application=application, training=training)
    return application


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _number(text: str) -> Decimal:
    """A number as the CSV export writes it (decimal comma); empty is 0 for the sums here."""
    return Decimal(text.replace(",", ".") or 0)


# Eligible but not applied for


def test_it_lists_eligible_alis_in_no_application(year, vest_user, vest_training, nord_training):
    assert list(eligibility.not_applied(year, user=vest_user)) == [vest_training]
    _application(vest_training.employer, year.period, vest_training)
    assert list(eligibility.not_applied(year, user=vest_user)) == []


def test_it_leaves_out_old_scheme_temp_agency_ended_and_later_alis(year, world, vest_user, vest_training):
    old = _training(world.bergen, "Gammel", scheme=Scheme.OLD, start=date(2018, 1, 1))
    agency = _training(world.bergen, "Byrå")
    GrantProfile.objects.create(training=agency, temp_agency=True)
    ended = _training(world.bergen, "Sluttet", status=Status.LEFT, ended_on=date(2025, 5, 31))
    later = _training(world.bergen, "Senere", start=date(2026, 6, 1))
    ended_inside = _training(world.bergen, "Sluttet-i-perioden", status=Status.LEFT, ended_on=date(2025, 12, 31))
    eligible = set(eligibility.not_applied(year, user=vest_user))
    assert eligible == {vest_training, ended_inside}
    assert not eligible & {old, agency, ended, later}


def test_it_offers_community_medicine_only_when_the_scheme_says_so(
    client, today, year, world, vest_user, vest_training
):
    samlis = _training(world.bergen, "Samfunn", specialty=Specialty.COMMUNITY_MEDICINE, contract=Contract.SALARIED)
    assert list(eligibility.not_applied(year, user=vest_user)) == [vest_training]
    _login(client, vest_user)
    page = client.get(reverse("grants:not_applied"), {"office": "vest"})
    assert "Nordmann, Kari" in page.text and "Testesen, Samfunn" not in page.text
    client.post(reverse("grants:application_create"), {"municipality": world.bergen.pk, "period": year.period.pk})
    assert [line.training for line in ApplicationLine.objects.all()] == [vest_training]
    calculator = client.get(reverse("grants:calculator"), {"alis": samlis.pk})
    assert "ALIS i samfunnsmedisin gir ikke dette tilskuddet." in calculator.text
    assert "Samfunnsmedisin er ikke nevnt" in calculator.text  # the rule's source
    # A rule that says otherwise is data on the scheme, with its source.
    year.scheme.community_medicine_eligible = True
    year.scheme.eligibility_source = "Regelverk 2027, punkt 3"
    year.scheme.save()
    assert set(eligibility.not_applied(GrantYear.of(RatePeriod.objects.get()), user=vest_user)) == {samlis}


def test_it_lets_only_the_coordinator_change_the_schemes_rule(client, period, vest_user, coordinator, form_data):
    url = reverse("grants:scheme_edit", args=[period.scheme.pk])
    assert _login(client, vest_user).get(url).status_code == 403
    _login(client, coordinator)
    data = form_data(client.get(url).context["form"]) | {"community_medicine_eligible": "on", "eligibility_source": ""}
    response = client.post(url, data)
    assert "Skriv hvilken regel som sier at samfunnsmedisin gir tilskudd." in response.text
    response = client.post(url, data | {"eligibility_source": "Helsedirektoratet, regelverk 2027"})
    assert response.status_code == 302
    period.scheme.refresh_from_db()
    assert period.scheme.community_medicine_eligible
    assert Change.objects.filter(object_id=period.scheme.pk, action="update").exists()


def test_it_estimates_money_left_on_the_table_per_municipality(year, world, vest_user, vest_training):
    gaps = eligibility.left_on_table(year, user=vest_user)
    assert [(gap.municipality, gap.totals.value) for gap in gaps] == [(world.bergen, Decimal(249183))]


def test_it_lists_municipalities_that_sent_nothing(year, world, vest_user, vest_training):
    assert [s.municipality for s in eligibility.sent_nothing(year, user=vest_user)] == [world.bergen]
    GrantApplication.objects.create(municipality=world.bergen, period=year.period, status="draft")
    assert [s.municipality for s in eligibility.sent_nothing(year, user=vest_user)] == [world.bergen]
    GrantApplication.objects.filter(municipality=world.bergen).update(status="sent", sent_on=date(2025, 8, 1))
    assert eligibility.sent_nothing(year, user=vest_user) == []


# Region scoping, tried by crossing it


def test_it_scopes_the_list_to_the_office(client, today, period, vest_user, vest_training, nord_training):
    response = _login(client, vest_user).get(reverse("grants:not_applied"))
    assert response.status_code == 200
    assert "Nordmann" in response.text
    assert "Hansen" not in response.text


def test_it_hides_another_regions_application_line_and_cost_sheet(client, period, world, nord_user, vest_training):
    application = _application(world.bergen, period, vest_training)
    line = application.lines.get()
    sheet = CostSheet.objects.create(training=vest_training, year=2025)
    _login(client, nord_user)
    for url in (
        reverse("grants:application_detail", args=[application.pk]),
        reverse("grants:application_edit", args=[application.pk]),
        reverse("grants:line_create", args=[application.pk]),
        reverse("grants:line_edit", args=[line.pk]),
        reverse("grants:cost_detail", args=[sheet.pk]),
        reverse("grants:cost_edit", args=[sheet.pk]),
        reverse("grants:profile_edit", args=[vest_training.pk]),
        reverse("grants:calculator") + f"?alis={vest_training.pk}",
        reverse("grants:cost_create") + f"?alis={vest_training.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("grants:line_delete", args=[line.pk])).status_code == 404
    assert ApplicationLine.objects.filter(pk=line.pk).exists()
    # The exports leave the other region out.
    for params in ({"eksport": "csv"}, {"eksport": "csv", "niva": "linjer"}):
        assert _csv(client.get(reverse("grants:application_list"), params)) == []
    assert _csv(client.get(reverse("grants:cost_list"), {"aar": 2025, "eksport": "csv"})) == []


def test_it_gives_the_reader_aggregates_only(client, period, world, reader, vest_training):
    application = _application(world.bergen, period, vest_training, status="sent", sent_on=date(2025, 9, 1))
    _login(client, reader)
    for name in ("grants:application_list", "grants:not_applied", "grants:cost_list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("grants:application_list"), {"eksport": "csv"}).status_code == 403
    assert client.get(reverse("grants:application_detail", args=[application.pk])).status_code == 404
    summary = client.get(reverse("grants:summary"))
    assert summary.status_code == 200
    assert KARI in summary.text
    assert "Nordmann" not in summary.text


def test_it_refuses_read_only_users_and_other_offices_changes(client, period, world, reader, nord_user, vest_training):
    application = _application(world.bergen, period, vest_training)
    _login(client, reader)
    assert client.post(reverse("grants:application_create"), {"municipality": world.bergen.pk,
                                                                "period": period.pk}).status_code == 403  # fmt: skip
    assert client.post(reverse("grants:period_load")).status_code == 403
    _login(client, nord_user)
    response = client.post(reverse("grants:application_create"), {"municipality": world.bergen.pk,
                                                                    "period": period.pk})  # fmt: skip
    assert "municipality" in response.context["form"].errors
    assert GrantApplication.objects.get() == application


# Rates as reference data


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


def test_it_refuses_a_period_that_overlaps_another(client, period, coordinator, form_data):
    _login(client, coordinator)
    url = reverse("grants:period_create") + "?fra=2026-01-01&til=2026-12-31"
    response = client.post(url, form_data(client.get(url).context["form"]))
    assert "dekker noen av de samme dagene" in response.text
    assert RatePeriod.objects.count() == 1


def test_it_shows_unverified_rates_in_the_users_words(client, period, vest_user):
    response = _login(client, vest_user).get(reverse("grants:period_detail", args=[period.pk]))
    assert "Satsene er ikke kontrollert." in response.text
    assert "hentet fra en åpen prototyp (Alisflyt)" in response.text
    assert "kr\xa0580\xa0433" in response.text
    for developer_text in (".csv", "github", "Karostudent", ".cs ", "manage.py"):
        assert developer_text not in response.text, developer_text


def test_it_tells_users_who_enters_rates_when_there_are_none(client, db, world, vest_user, coordinator):
    page = _login(client, vest_user).get(reverse("grants:index"))
    assert "manage.py" not in page.text
    assert "Den nasjonale koordinatoren legger inn satsene" in page.text
    assert "Legg inn satsene" not in page.text
    _login(client, coordinator)
    page = client.get(reverse("grants:index"))
    assert "Koordinator" in page.text  # the coordinator's name, as the one who can add them
    assert reverse("grants:period_create") in page.text
    response = client.post(reverse("grants:period_load"))
    period = RatePeriod.objects.get()
    assert response.status_code == 302 and period.start == date(2025, 6, 1) and not period.verified
    assert Change.objects.filter(object_id=period.pk, action="create").exists()


def test_it_starts_a_new_period_with_unknown_rates_unless_asked_to_copy(client, period, coordinator, form_data):
    _login(client, coordinator)
    url = reverse("grants:period_create")
    form = client.get(url).context["form"]
    assert (form["start"].value(), form["end"].value()) == (date(2026, 6, 1), date(2027, 5, 31))
    assert form["hourly_rate"].value() is None
    assert client.post(url, form_data(form)).status_code == 302
    new = RatePeriod.objects.get(start=date(2026, 6, 1))
    assert new.hourly_rate is None and new.missing_rates()[0] == "timesats"
    copied = client.get(url + f"?kopier={period.pk}&fra=2027-06-01&til=2028-05-31").context["form"]
    assert copied["hourly_rate"].value() == Decimal(1375)
    assert "Kopiert fra satsperioden" in copied["source"].value()


# When no rate period covers today


def test_it_says_the_rates_are_missing_instead_of_using_an_ended_period(
    client, today, period, world, vest_user, coordinator, vest_training
):
    today(date(2026, 11, 29))  # after the last period (31.5.2026)
    _login(client, vest_user)
    page = client.get(reverse("grants:not_applied"))
    assert "Satser for 2026/27 mangler." in page.text
    assert "Ingen satsperiode dekker 01.06.2026–31.05.2027." in page.text
    assert "Den nasjonale koordinatoren legger inn satsene" in page.text
    assert "Nasjonal koordinator: Koordinator." in page.text
    assert "Legg inn satsene for 2026/27" not in page.text  # the adviser can not
    # Kari is still eligible in 2026/27, and her estimate is unknown: not 0 and not 2025/26's 249 183.
    assert page.context["totals"].lines == 1 and page.context["totals"].value is None
    assert "Nordmann, Kari" in page.text
    assert KARI not in page.text and "kr\xa00" not in page.text
    calculator = client.get(reverse("grants:calculator"))
    assert "Satser for 2026/27 mangler." in calculator.text
    assert calculator.context["result"] is None
    assert KARI not in client.get(reverse("grants:calculator"), {"alis": vest_training.pk}).text
    # The coordinator gets the link, with the missing year's dates.
    _login(client, coordinator)
    page = client.get(reverse("grants:not_applied"))
    assert "Legg inn satsene for 2026/27" in page.text
    assert reverse("grants:period_create") + "?fra=2026-06-01&amp;til=2027-05-31" in page.text
    # An older period can still be chosen on purpose, and says which it is.
    chosen = client.get(reverse("grants:not_applied"), {"periode": period.pk, "office": "vest"})
    assert KARI in chosen.text and "Satser for 2026/27 mangler." not in chosen.text


def test_it_says_which_rates_a_period_still_lacks(client, today, period, vest_user, vest_training):
    RatePeriod.objects.create(scheme=period.scheme, start=date(2026, 6, 1), end=date(2027, 5, 31))
    today(date(2026, 11, 29))
    page = _login(client, vest_user).get(reverse("grants:not_applied"), {"office": "vest"})
    assert "Satsene for 2026/27 er ikke komplette." in page.text
    assert "timesats" in page.text
    assert page.context["totals"].value is None


# Applications: amounts computed from their inputs, never out of step


def test_it_creates_an_application_whose_lines_follow_the_training(client, period, world, vest_user, vest_training):
    _login(client, vest_user)
    response = client.post(reverse("grants:application_create"), {"municipality": world.bergen.pk,
                                                                    "period": period.pk})  # fmt: skip
    application = GrantApplication.objects.get()
    assert response.status_code == 302
    line = application.lines.get()
    assert (line.training, line.position_share, line.months, line.position_type) == (vest_training, None, None, "")
    assert line.evaluate().amount == Decimal(249183)
    assert Change.objects.filter(object_id=line.pk, action="create").exists()
    page = client.get(reverse("grants:application_detail", args=[application.pk]))
    assert page.context["totals"].value == Decimal(249183)


def test_it_keeps_totals_consistent_when_centrality_rates_or_the_training_change(
    client, period, world, vest_user, vest_training
):
    other = _training(world.bergen, "Overstyrt")
    application = _application(world.bergen, period, vest_training, other)
    ApplicationLine.objects.filter(training=other).update(override_amount=200000, override_reason="Avtalt med Hdir")
    _login(client, vest_user)

    def shown() -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """The application page's total, the list's, the export's, and the sum of Kari's shown breakdown. The
        updates below bypass the forms and the history: the list's kept totals and rows follow them all the same
        (core.tableversions)."""
        page = client.get(reverse("grants:application_detail", args=[application.pk]))
        listing = client.get(reverse("grants:application_list"))
        export = _csv(client.get(reverse("grants:application_list"), {"eksport": "csv"}))
        lines_export = _csv(client.get(reverse("grants:application_list"), {"eksport": "csv", "niva": "linjer"}))
        kari = next(row for row in lines_export if row["ALIS"] == "Kari Nordmann")
        elements = sum(_number(kari[f"{name} (kr)"]) for name in (
            "Praksiskompensasjon", "Læringsaktiviteter", "Redusert produktivitet", "Veiledning", "Tilrettelegging",
            "Sentralitetstillegg",
        ))  # fmt: skip
        assert elements == _number(kari["Beregnet (kr)"]) == _number(kari["Søkt beløp (kr)"])
        (kari_line,) = [result for line, result in page.context["rows"] if line.training == vest_training]
        assert kari_line.breakdown.total == kari_line.amount  # the page's breakdown is the line's amount
        assert "skrevet inn for hånd" in page.text and "Avtalt med Hdir" in page.text
        return (
            page.context["totals"].value,
            listing.context["listing"].rows[0].totals.value,
            _number(export[0]["Søkt beløp (kr)"]),
            kari_line.amount,
        )

    # Class 1: 249 183 + the override 200 000 = 449 183.
    assert shown() == (449183, 449183, 449183, 249183)
    # Bergen in class 6: Kari + 200 000 supplement = 449 183; with the override 649 183.
    Municipality.objects.filter(pk=world.bergen.pk).update(centrality=6)
    assert shown() == (649183, 649183, 649183, 449183)
    # Timesats 1 400: 134 400 (1 400 × 0,6 × 160) + 14 000 + 92 978 (1 400 × 1,15 × 57,75 = 92 977,5) = 241 378;
    # 5 % = 12 068,9 → 12 069; + 200 000 = 453 447; with the override 653 447.
    RatePeriod.objects.filter(pk=period.pk).update(hourly_rate=1400)
    assert shown() == (653447, 653447, 653447, 453447)
    # Kari at 50 %: 67 200 + 7 000 + 46 489 (46 488,75) = 120 689; 5 % = 6 034,45 → 6 034; supplement
    # 100 000 → 226 723; with the override 426 723. The override line stays as typed.
    Training.objects.filter(pk=vest_training.pk).update(position_share=50)
    assert shown() == (426723, 426723, 426723, 226723)
    # Her position becomes "outside the regular-GP scheme" (grant profile): no practice compensation;
    # 7 000 + 46 489 = 53 489; 5 % = 2 674,45 → 2 674; supplement 100 000 → 156 163; with the override 356 163.
    GrantProfile.objects.create(training=vest_training, position_type="outside_regular_gp")
    assert shown() == (356163, 356163, 356163, 156163)
    # She left on 30.11.2025: June–November, 6 whole months. 14 000 × 0,5 × 6/12 = 3 500; 92 977,5 × 0,5 × 6/12
    # = 23 244,38 → 23 244; 26 744 + 5 % (1 337,2 → 1 337) + 200 000 × 0,5 × 6/12 (50 000) = 78 081.
    Training.objects.filter(pk=vest_training.pk).update(status=Status.LEFT, ended_on=date(2025, 11, 30))
    assert shown() == (278081, 278081, 278081, 78081)
    assert ApplicationLine.objects.get(training=other).override_amount == 200000


def test_it_requires_a_reason_for_an_override_and_marks_typed_inputs(
    client, period, world, vest_user, vest_training, form_data
):
    application = _application(world.bergen, period, vest_training)
    line = application.lines.get()
    url = reverse("grants:line_edit", args=[line.pk])
    _login(client, vest_user)
    form = client.get(url).context["form"]
    assert "nå 100 %" in form.fields["position_share"].help_text  # what an empty field takes from the training
    data = form_data(form) | {"override_amount": "200000"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Skriv hvorfor beløpet overstyres." in response.text
    line.refresh_from_db()
    assert line.override_amount is None
    response = client.post(url, data | {"override_reason": "Permisjon i tre måneder", "position_share": "50"})
    assert response.status_code == 302
    line.refresh_from_db()
    result = line.evaluate()
    # 50 % typed: 66 000 + 7 000 + 45 659 (45 658,59) = 118 659; 5 % = 5 932,95 → 5 933; 124 592.
    assert (result.amount, result.computed, result.inputs.typed) == (200000, 124592, {"position_share"})
    page = client.get(reverse("grants:application_detail", args=[application.pk]))
    assert "skrevet inn" in page.text and "Permisjon i tre måneder" in page.text
    # Emptying the typed share makes the line follow the training again.
    data = form_data(client.get(url).context["form"]) | {"position_share": "", "override_amount": "",
                                                        "override_reason": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    line.refresh_from_db()
    assert (line.position_share, line.evaluate().amount) == (None, 249183)


def test_it_refuses_more_months_than_the_period_has(client, period, world, vest_user, vest_training, form_data):
    line = _application(world.bergen, period, vest_training).lines.get()
    url = reverse("grants:line_edit", args=[line.pk])
    _login(client, vest_user)
    response = client.post(url, form_data(client.get(url).context["form"]) | {"months": "13"})
    assert "Perioden har bare 12 hele måneder." in response.text


def test_it_needs_a_sent_date_for_a_sent_application(client, period, world, vest_user, form_data):
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    url = reverse("grants:application_edit", args=[application.pk])
    _login(client, vest_user)
    data = form_data(client.get(url).context["form"]) | {"status": "sent"}
    response = client.post(url, data)
    assert "Skriv når søknaden ble sendt." in response.text
    application.refresh_from_db()
    assert application.status == "draft"


# Unknown centrality: shown, never counted as a class


def test_it_shows_unknown_centrality_with_the_fix(client, today, period, world, askoy, vest_user, coordinator):
    alis = _training(askoy, "Askøy")
    _login(client, vest_user)
    page = client.get(reverse("grants:not_applied"), {"office": "vest"})
    assert "Sentralitet ukjent for 1 kommune: tillegg ikke tatt med." in page.text
    # The class is SSB's: the office sees the municipality, the coordinator sets the class or imports SSB's file.
    assert reverse("registry:municipality_detail", args=[askoy.pk]) in page.text
    assert reverse("registry:ssb_upload") not in page.text  # only for those who can import it
    # 249 183 without the supplement, marked; never 449 183 (class 6) and never "class 1–4" silently.
    (gap,) = page.context["gaps"]
    assert gap.totals.value == 249183 and gap.totals.centrality_unknown == 1
    assert "uten tillegg: sentralitet ukjent" in page.text
    application = _application(askoy, period, alis)
    detail = client.get(reverse("grants:application_detail", args=[application.pk]))
    assert "Sentralitet ukjent for 1 kommune" in detail.text
    assert "Sum tilskudd uten sentralitetstillegg" in detail.text
    listing = client.get(reverse("grants:application_list"))
    assert "uten tillegg: sentralitet ukjent" in listing.text
    export = _csv(client.get(reverse("grants:application_list"), {"eksport": "csv"}))
    assert export[0]["Sentralitet"] == "ukjent"
    assert export[0]["Ikke tatt med"] == "sentralitet ukjent: tillegg ikke tatt med"
    _login(client, coordinator)
    detail = client.get(reverse("grants:application_detail", args=[application.pk]))
    assert reverse("registry:ssb_upload") in detail.text
    assert reverse("registry:centrality_edit", args=[askoy.pk]) in detail.text
    summary = client.get(reverse("grants:summary"))
    assert summary.context["rows"][0]["centrality_unknown"] == 1


def test_it_links_to_the_municipality_page_for_those_who_may_not_edit_it(coordinator, nord_user, askoy):
    from grants.views import _centrality_fixes

    askoy = Municipality.objects.select_related("county").get(pk=askoy.pk)
    (fix,) = _centrality_fixes(nord_user, [askoy])
    assert (fix.editable, fix.url) == (False, reverse("registry:municipality_detail", args=[askoy.pk]))
    (fix,) = _centrality_fixes(coordinator, [askoy])
    assert (fix.editable, fix.url) == (True, reverse("registry:centrality_edit", args=[askoy.pk]))


# Bounded queries on the lists


def test_it_lists_applications_in_a_bounded_number_of_queries(
    client, period, world, vest_user, django_assert_max_num_queries
):
    _login(client, vest_user)
    url = reverse("grants:application_list")
    _application(world.bergen, period, _training(world.bergen, "Først"))
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for number in range(10):
        municipality = Municipality.objects.create(
            number=f"47{number:02d}", name=f"Kommune {number}", name_norwegian=f"Kommune {number}",
            county=world.vestland, centrality=None if number % 2 else 6,
        )  # fmt: skip
        _application(municipality, period, _training(municipality, f"Alis{number}"), _training(municipality, "B"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["listing"].page.paginator.count == 11
    for params in ({"eksport": "xlsx"}, {"eksport": "csv", "niva": "linjer"}):
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url, params).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("grants:summary")).status_code == 200


def test_it_shows_the_money_left_on_the_table_in_bounded_queries(
    client, today, period, world, vest_user, askoy, django_assert_max_num_queries
):
    _login(client, vest_user)
    url = reverse("grants:not_applied")
    _training(world.bergen, "En")
    with django_assert_max_num_queries(22) as few:
        client.get(url)
    for number in range(10):
        _training(world.bergen if number % 2 else askoy, f"Flere{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Calculator


def test_it_fills_the_calculator_from_an_alis(client, today, period, vest_user, vest_training):
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


# Cost sheets


def test_it_computes_the_municipalitys_net_cost_by_the_grant_rules_and_exports_it(
    client, period, world, vest_user, vest_training, form_data
):
    _login(client, vest_user)
    url = reverse("grants:cost_create") + f"?alis={vest_training.pk}"
    form = client.get(url).context["form"]
    assert "agreement_payment" in form.fields  # Kari is self-employed: a line for what the ALIS agreement pays
    data = form_data(form) | {
        "year": "2025", "salary": "1000000", "agreement_payment": "100000", "office_costs": "150000",
        "supervision": "80000", "patient_fees": "600000", "per_capita": "400000", "alis_grant": "250000",
    }  # fmt: skip
    response = client.post(url, data)
    assert "Basistilskudd gis bare for innbyggere på en pasientliste" in response.text  # no list length
    # Fastlege in class 1 (Bergen) in 2025/26: at most 380 433.
    response = client.post(url, data | {"list_length": "800", "alis_grant": "380434"})
    assert "Mer enn tilskuddet kan bli. Høyst kr\xa0380\xa0433 for fastlege eller fastlegevikar" in response.text
    assert not CostSheet.objects.exists()
    response = client.post(url, data | {"list_length": "800"})
    assert response.status_code == 302
    sheet = CostSheet.objects.get()
    # Expenses 1 000 000 + 100 000 + 150 000 + 80 000 = 1 330 000; financing 600 000 + 400 000 + 250 000 =
    # 1 250 000; the municipality's cost 80 000. Education costs (supervision only here) 80 000 / 1 330 000 = 6,0 %.
    assert (sheet.expenses, sheet.financing, sheet.net_cost) == (Decimal(1330000), Decimal(1250000), Decimal(80000))
    assert sheet.education_costs == Decimal(80000)
    detail = client.get(reverse("grants:cost_detail", args=[sheet.pk]))
    assert "Utbetalt etter ALIS-avtalen" in detail.text
    assert "Utdanningsutgifter (veiledning, kurs, reiser og vikar): kr\xa080\xa0000, 6,0\xa0% av sum utgifter." in (
        detail.text
    )
    again = client.post(url, data | {"list_length": "800"})
    assert "allerede et kostnadsark for 2025" in again.text
    assert CostSheet.objects.count() == 1
    listing = client.get(reverse("grants:cost_list"), {"aar": 2025})
    assert "ALIS A" in listing.text and "1,3 mill. kr" in listing.text and "0,1 mill. kr" in listing.text
    assert "Alle 1 ark: utdanningsutgiftene er 6,0\xa0% av sum utgifter." in listing.text
    export = client.get(reverse("grants:cost_list") + "?aar=2025&eksport=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    (row,) = _csv(client.get(reverse("grants:cost_list") + "?aar=2025&eksport=csv"))
    assert (row["ALIS"], row["Kommunens kostnad"], row["Utdanningsutgifter, andel av sum utgifter (%)"]) == (
        "Kari Nordmann", "80000,00", "6,0",
    )  # fmt: skip
    # The sheets are checked and summed once per data change (core.tableversions): a write outside the forms shows.
    CostSheet.objects.filter(pk=sheet.pk).update(salary=Decimal(2000000))
    listing = client.get(reverse("grants:cost_list"), {"aar": 2025})
    assert "2,3 mill. kr" in listing.text


def test_it_has_no_agreement_line_for_a_salaried_alis(client, period, vest_user, nord_user, nord_training):
    _login(client, nord_user)
    form = client.get(reverse("grants:cost_create") + f"?alis={nord_training.pk}").context["form"]
    assert "agreement_payment" not in form.fields


def test_it_checks_cost_sheets_it_can_and_says_which_it_can_not(client, period, world, askoy, vest_user):
    sheet = CostSheet.objects.create(training=_training(askoy, "Askøy"), year=2025, alis_grant=500000)
    _login(client, vest_user)
    detail = client.get(reverse("grants:cost_detail", args=[sheet.pk]))
    # Askøy's class is unknown: 500 000 is above 380 433 (no supplement) but below 580 433 (class 6).
    assert "er over taket uten sentralitetstillegg (kr\xa0380\xa0433)" in detail.text
    assert reverse("registry:municipality_detail", args=[askoy.pk]) in detail.text
    later = CostSheet.objects.create(training=sheet.training, year=2026, alis_grant=100000)
    detail = client.get(reverse("grants:cost_detail", args=[later.pk]))
    assert "Satser for 2026/27 mangler: taket for fastlege eller fastlegevikar kan ikke regnes ut." in detail.text
    broken = CostSheet.objects.create(training=_training(world.bergen, "Uten liste"), year=2025, per_capita=1000)
    listing = client.get(reverse("grants:cost_list"), {"aar": 2025})
    assert "1 kostnadsark bryter tilskuddsreglene" in listing.text
    assert "Basistilskudd gis bare" in client.get(reverse("grants:cost_detail", args=[broken.pk])).text


def test_it_lists_cost_sheets_in_a_bounded_number_of_queries(
    client, period, world, askoy, vest_user, django_assert_max_num_queries
):
    _login(client, vest_user)
    CostSheet.objects.create(training=_training(world.bergen, "Først"), year=2025)
    url = reverse("grants:cost_list")
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for number in range(12):
        CostSheet.objects.create(training=_training(askoy if number % 2 else world.bergen, f"Ark{number}"), year=2025)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["sheets"]) == 13 and response.context["comparison"] is None
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"eksport": "csv"})


def test_the_alis_not_applied_for_come_a_page_at_a_time(
    client, today, year, world, vest_user, vest_training, django_assert_max_num_queries
):
    for number in range(54):
        _training(world.bergen, f"Nr{number:02d}")
    _login(client, vest_user)
    url = reverse("grants:not_applied")

    with django_assert_max_num_queries(20):
        first = client.get(url, {"office": "vest"})

    assert "Viser 1–50 av 55 ALIS." in first.text
    assert "Nordmann, Kari" in first.text and first.text.count("Testesen, Nr") == 49
    assert "<strong>55</strong>" in first.text  # the totals count every ALIS, not only the page's
    second = client.get(url, {"office": "vest", "page": 2})
    assert "Viser 51–55 av 55 ALIS." in second.text
    assert second.text.count("Testesen, Nr") == 5



@pytest.mark.parametrize("year", ["99999999999999999999999", "2101", "2016", "0", "-1"])
def test_it_refuses_a_cost_sheet_year_out_of_range_next_to_the_field(
    client, period, vest_user, vest_training, form_data, year
):
    """A year no rate period can have was put into a `__year` query before the model's limits were checked
    (OverflowError, 500); the field now refuses it with its message, on a new sheet and on an edited one."""
    sheet = CostSheet.objects.create(training=vest_training, year=2025)
    _login(client, vest_user)
    for url in (
        reverse("grants:cost_create") + f"?alis={vest_training.pk}",
        reverse("grants:cost_edit", args=[sheet.pk]),
    ):
        form = client.get(url).context["form"]
        response = client.post(url, form_data(form) | {"year": year})
        assert response.status_code == 200
        message = "ikke er større enn 2100" if int(year) > 2100 else "ikke er mindre enn 2017"
        assert message in response.context["form"].errors["year"][0]
    sheet.refresh_from_db()
    assert (CostSheet.objects.count(), sheet.year, sheet.version) == (1, 2025, 1)


def test_the_alis_not_applied_for_are_kept_until_their_tables_change(
    client, today, year, world, vest_user, vest_training
):
    """The estimates and the page of ALIS are worked out once per data change (core.tableversions): a write
    outside the forms shows at once."""
    _login(client, vest_user)
    url = reverse("grants:not_applied")
    assert "Nordmann, Kari" in client.get(url, {"office": "vest"}).text
    Doctor.objects.filter(pk=vest_training.doctor_id).update(last_name="Omdøpt")
    page = client.get(url, {"office": "vest"}).text
    assert "Omdøpt, Kari" in page and "Nordmann, Kari" not in page

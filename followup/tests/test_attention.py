"""«Til oppfølging»: every count is the number of rows of the list it links to, for staff and the coordinator."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.formatting import kroner
from followup import attention
from followup.models import AttentionSnapshot
from followup.tests.conftest import TODAY, clock_at
from grants.models import RatePeriod
from supervision.models import SupervisionSession
from training.models import OldSchemeOutcome, SupervisorAssignment

# How many rows each linked list shows, read from the page's own context.
ROWS = {
    "no_supervisor": lambda r: r.context["listing"].count,
    "behind_individual": lambda r: r.context["listing"].count,
    "behind_group": lambda r: r.context["listing"].count,
    "old_scheme_risk": lambda r: r.context["listing"].count,
    "hospital_not_agreed": lambda r: r.context["listing"].count,
    "mapping_waiting": lambda r: r.context["listing"].count,
    "mapping_unanswered": lambda r: r.context["listing"].count,
    "stale": lambda r: r.context["listing"].count,
    "grants": lambda r: r.context["totals"].lines,
    "import_jobs": lambda r: r.context["listing"].count,
}

# The counts in Vest, worked out from the region fixture.
VEST = {
    "no_supervisor": 1,  # Askøy's ALIS
    "behind_individual": 2,  # Kari and Askøy's ALIS (the old scheme sets no hours: not judged)
    "behind_group": 1,  # Kari: 120 h to go and under a year left (Askøy's ALIS has time; the old scheme sets no hours)
    "old_scheme_risk": 1,
    "hospital_not_agreed": 1,  # in 20 days and wanted; the agreed one and the one in 100 days are not
    "mapping_waiting": 1,  # Bergen
    "mapping_unanswered": 1,  # Askøy (Voss's link is revoked)
    "stale": 3,  # Askøy and Modalen never confirmed, Voss last in 2025
    "import_jobs": 1,
}


def _items(client, user, office: str = "") -> dict:
    client.force_login(user)
    url = reverse("followup:attention_panel") + (f"?office={office}" if office else "")
    response = client.get(url)
    assert response.status_code == 200
    return {item.key: item for item in response.context["items"]}


@pytest.mark.parametrize("key", list(ROWS))
def test_each_count_is_the_rows_of_its_list_for_staff(client, region, vest_user, key) -> None:
    item = _items(client, vest_user)[key]
    response = client.get(item.url)
    assert response.status_code == 200
    assert item.count == ROWS[key](response)
    if key in VEST:
        assert item.count == VEST[key]


@pytest.mark.parametrize("key", [key for key in ROWS if key != "import_jobs"])
@pytest.mark.parametrize("office", ["vest", ""])
def test_each_count_is_the_rows_of_its_list_for_the_coordinator(client, region, coordinator, key, office) -> None:
    item = _items(client, coordinator, office)[key]
    response = client.get(item.url)
    assert response.status_code == 200
    assert item.count == ROWS[key](response)
    if office == "vest" and key in VEST:
        assert item.count == VEST[key]


def test_the_coordinator_sees_no_import_jobs_they_can_not_open(client, region, coordinator) -> None:
    assert "import_jobs" not in _items(client, coordinator, "vest")


def test_all_regions_count_nord_too(client, region, coordinator) -> None:
    # Nord's ALIS (Ola, no sessions) is behind on individual supervision as well.
    assert _items(client, coordinator)["behind_individual"].count == VEST["behind_individual"] + 1


def test_staff_get_their_own_office_whatever_they_ask(client, region, nord_user) -> None:
    items = _items(client, nord_user, "vest")
    assert items["no_supervisor"].count == 0
    assert "office=vest" not in items["no_supervisor"].url


def test_the_reader_gets_no_counts_of_persons(client, region, reader) -> None:
    client.force_login(reader)
    assert client.get(reverse("followup:attention_panel")).status_code == 403
    overview = client.get(reverse("training:overview")).content.decode()
    assert reverse("followup:attention_panel") not in overview
    assert attention.items(reader, None, today=TODAY, now=datetime.now(UTC)) == []


def test_the_panel_shows_each_count_with_its_link(client, region, vest_user) -> None:
    client.force_login(vest_user)
    page = client.get(reverse("followup:attention_panel")).content.decode()
    assert "Til oppfølging" in page
    assert f'href="{reverse("training:list")}?no_supervisor=on&amp;office=vest"' in page
    assert "Ligger etter med gruppeveiledning" in page
    assert "Importer som venter på bekreftelse" in page


def test_grant_money_is_unknown_when_the_rates_are_missing(client, region, vest_user) -> None:
    item = _items(client, vest_user)["grants"]
    assert item.value == "ukjent beløp"
    assert "satser mangler" in item.note
    deadline = _items(client, vest_user)["grant_deadline"]
    assert deadline.value == "ikke registrert"


def test_grant_money_and_the_next_deadline_with_rates(client, region, vest_user) -> None:
    call_command("load_grant_rates", stdout=StringIO())
    period = RatePeriod.objects.get()
    with clock_at(datetime(2026, 1, 15, 9, 0, tzinfo=UTC)):
        RatePeriod.objects.filter(pk=period.pk).update(application_deadline=date(2026, 2, 1))
        item = _items(client, vest_user)["grants"]
        response = client.get(item.url)
        assert item.value == kroner(response.context["totals"].value)  # the page's own sum
        assert item.count == response.context["totals"].lines > 0
        deadline = _items(client, vest_user)["grant_deadline"]
    assert deadline.value == "01.02.2026"
    assert deadline.url == reverse("grants:period_detail", args=[period.pk])


def test_the_stored_counts_are_computed_again_when_the_data_changes(client, region, records, vest_user) -> None:
    before = _items(client, vest_user)
    assert (before["behind_individual"].count, before["old_scheme_risk"].count) == (2, 1)
    mark = AttentionSnapshot.objects.get(scope="vest").data_mark
    # Askøy's ALIS catches up, imported without a change in the history; the old-scheme ALIS is approved.
    SupervisionSession.objects.bulk_create(
        SupervisionSession(
            training=region.without, supervisor=records.vest_supervisor, date=TODAY - timedelta(days=7 * n), minutes=600
        )
        for n in range(5)
    )
    OldSchemeOutcome.objects.create(training=region.old, outcome="approved", decided_on=TODAY)
    after = _items(client, vest_user)
    assert (after["behind_individual"].count, after["old_scheme_risk"].count) == (1, 0)
    assert AttentionSnapshot.objects.get(scope="vest").data_mark != mark


def test_a_supervisor_assigned_outside_the_forms_is_counted_at_once(client, region, records, vest_user) -> None:
    before = _items(client, vest_user)["no_supervisor"].count
    assert before > 0
    # An assignment written without history (as an import does): the table's write counter still moves.
    SupervisorAssignment.objects.bulk_create(
        [SupervisorAssignment(training=region.without, supervisor=records.vest_supervisor, start=TODAY)]
    )
    assert _items(client, vest_user)["no_supervisor"].count == before - 1


def test_the_stored_counts_are_read_again_while_nothing_changes(client, region, vest_user) -> None:
    _items(client, vest_user)
    computed = AttentionSnapshot.objects.get(scope="vest").computed_at
    _items(client, vest_user)
    assert AttentionSnapshot.objects.get(scope="vest").computed_at == computed


def test_a_new_day_computes_them_again(client, region, vest_user) -> None:
    _items(client, vest_user)
    with clock_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        _items(client, vest_user)
        assert AttentionSnapshot.objects.get(scope="vest").computed_on == date(2026, 12, 1)


def test_the_nightly_run_stores_every_office_and_all(region) -> None:
    call_command("followup_nightly", stdout=StringIO())
    assert set(AttentionSnapshot.objects.values_list("scope", flat=True)) == {"vest", "nord", "*"}
    assert AttentionSnapshot.objects.get(scope="vest").counts["behind_group"] == VEST["behind_group"]

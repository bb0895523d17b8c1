"""The office's tasks: «Mine oppgaver» and the office's list, the form page, done and reopened with history, the
panel on a record's page, the rules' settings; and the region's border crossed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Change
from followup import generate
from followup.models import Task, TaskRule
from followup.rules import RuleKind
from followup.tests.conftest import NOW, TODAY


@pytest.fixture
def tasks(records, vest_user, vest_colleague, frozen):
    office = records.vest_training.employer.county.office
    return type(
        "Tasks",
        (),
        {
            "mine": Task.objects.create(
                office=office,
                title="Ring Kari",
                due=TODAY - timedelta(days=2),
                assignee=vest_user,
                training=records.vest_training,
            ),
            "colleague": Task.objects.create(
                office=office, title="Kollegas oppgave", due=TODAY, assignee=vest_colleague
            ),
            "shared": Task.objects.create(
                office=office,
                title="Felles oppgave",
                due=TODAY + timedelta(days=3),
                municipality=records.vest_training.employer,
            ),
            "done": Task.objects.create(
                office=office, title="Gjort", due=TODAY, assignee=vest_user, status=Task.Status.DONE, done_at=NOW
            ),
            "nord": Task.objects.create(
                office=records.nord_training.employer.county.office,
                title="Nords oppgave",
                due=TODAY,
                training=records.nord_training,
            ),
        },
    )


def _titles(response) -> list[str]:
    return [task.title for task in response.context["listing"].rows]


def test_my_tasks_are_mine_and_open_with_the_overdue_marked(client, tasks, vest_user) -> None:
    client.force_login(vest_user)
    response = client.get(reverse("followup:my_tasks"))
    assert _titles(response) == ["Ring Kari"]
    page = response.content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Mine oppgaver</h1>' in page
    assert '<span class="ds-tag" data-color="danger">Forfalt</span> 28.11.2026' in page
    assert "Kari Nordmann" in page  # what it is about, linked


def test_the_office_list_has_every_open_task_of_the_office_only(client, tasks, vest_user) -> None:
    client.force_login(vest_user)
    response = client.get(reverse("followup:task_list"))
    assert _titles(response) == ["Ring Kari", "Kollegas oppgave", "Felles oppgave"]
    assert _titles(client.get(reverse("followup:task_list"), {"state": "overdue"})) == ["Ring Kari"]
    assert _titles(client.get(reverse("followup:task_list"), {"state": "closed"})) == ["Gjort"]
    assert _titles(client.get(reverse("followup:task_list"), {"assignee": "unassigned"})) == ["Felles oppgave"]


def test_the_coordinator_reads_every_office_and_changes_none(client, tasks, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("followup:task_list"))
    assert "Nords oppgave" in _titles(response)
    assert "/utfort/" not in response.content.decode()  # no buttons that would answer 403
    assert client.get(reverse("followup:task_edit", args=[tasks.mine.pk])).status_code == 403
    assert client.post(reverse("followup:task_done", args=[tasks.mine.pk])).status_code == 403
    assert client.get(reverse("followup:task_create")).status_code == 403


def test_the_reader_has_no_tasks(client, tasks, reader) -> None:
    client.force_login(reader)
    assert client.get(reverse("followup:task_list")).status_code == 403
    assert client.get(reverse("followup:record_panel", args=["alis", tasks.mine.training_id])).status_code == 403


def test_another_region_is_not_found(client, tasks, nord_user) -> None:
    client.force_login(nord_user)
    assert client.get(reverse("followup:task_edit", args=[tasks.mine.pk])).status_code == 404
    assert client.post(reverse("followup:task_done", args=[tasks.mine.pk])).status_code == 404
    assert client.get(reverse("followup:record_panel", args=["alis", tasks.mine.training_id])).status_code == 404
    assert client.get(reverse("followup:task_create"), {"alis": tasks.mine.training_id}).status_code == 404
    assert _titles(client.get(reverse("followup:task_list"))) == ["Nords oppgave"]


def test_staff_add_a_task_about_a_record(client, tasks, records, vest_user, vest_colleague) -> None:
    client.force_login(vest_user)
    url = reverse("followup:task_create") + f"?alis={records.vest_training.pk}"
    page = client.get(url)
    assert "Gjelder" in page.content.decode() and "Kari Nordmann" in page.content.decode()
    data = {
        "title": "Avtal sykehusplass",
        "due": (TODAY + timedelta(days=7)).isoformat(),
        "assignee": vest_colleague.pk,
    }
    response = client.post(url, data)
    assert response["Location"] == reverse("training:detail", args=[records.vest_training.pk])
    task = Task.objects.get(title="Avtal sykehusplass")
    assert (task.training, task.assignee, task.created_by, task.office) == (
        records.vest_training,
        vest_colleague,
        vest_user,
        vest_user.office,
    )
    assert Change.objects.filter(object_id=task.pk, action=Change.Action.CREATE).exists()


def test_a_new_task_can_not_be_due_yesterday_nor_go_to_another_office(client, tasks, vest_user, nord_user) -> None:
    client.force_login(vest_user)
    url = reverse("followup:task_create")
    response = client.post(url, {"title": "For sent", "due": (TODAY - timedelta(days=1)).isoformat()})
    assert response.context["form"].errors["due"] == ["Fristen kan ikke være før i dag."]
    response = client.post(url, {"title": "Til Nord", "due": TODAY.isoformat(), "assignee": nord_user.pk})
    assert "assignee" in response.context["form"].errors
    assert not Task.objects.filter(title__in=["For sent", "Til Nord"]).exists()


def test_done_and_reopened_with_history(client, tasks, vest_user) -> None:
    client.force_login(vest_user)
    back = reverse("followup:my_tasks")
    response = client.post(reverse("followup:task_done", args=[tasks.mine.pk]), {"next": back})
    assert response["Location"] == back
    tasks.mine.refresh_from_db()
    assert (tasks.mine.status, tasks.mine.done_by, tasks.mine.done_at) == (Task.Status.DONE, vest_user, NOW)
    client.post(reverse("followup:task_reopen", args=[tasks.mine.pk]))
    tasks.mine.refresh_from_db()
    assert tasks.mine.is_open and tasks.mine.done_at is None
    changes = Change.objects.filter(object_id=tasks.mine.pk, action=Change.Action.UPDATE).order_by("pk")
    assert [c.fields["status"] for c in changes] == [["Åpen", "Utført"], ["Utført", "Åpen"]]
    assert client.get(reverse("followup:task_done", args=[tasks.mine.pk])).status_code == 405


def test_the_record_panel_shows_the_tasks_about_it(client, tasks, records, vest_user) -> None:
    client.force_login(vest_user)
    panel = client.get(reverse("followup:record_panel", args=["alis", records.vest_training.pk])).content.decode()
    assert "Oppgaver og varsler" in panel
    assert "Ring Kari" in panel and "Felles oppgave" not in panel
    assert "Ingen e-post er sendt" not in panel  # only tasks with e-mail list it
    municipality = client.get(
        reverse("followup:record_panel", args=["kommune", records.vest_training.employer.pk])
    ).content.decode()
    assert "Felles oppgave" in municipality
    assert client.get(reverse("followup:record_panel", args=["noe", 1])).status_code == 404


def test_the_alis_and_municipality_pages_load_the_panel(client, tasks, records, vest_user) -> None:
    client.force_login(vest_user)
    alis = client.get(reverse("training:detail", args=[records.vest_training.pk])).content.decode()
    assert reverse("followup:record_panel", args=["alis", records.vest_training.pk]) in alis
    kommune = client.get(reverse("registry:municipality_detail", args=[records.vest_training.employer.pk]))
    assert (
        reverse("followup:record_panel", args=["kommune", records.vest_training.employer.pk])
        in kommune.content.decode()
    )


def test_the_office_sets_its_rules(client, world, vest_user, nord_user, coordinator, frozen) -> None:
    generate.ensure_rules()
    rule = TaskRule.objects.get(office=world.vest, kind=RuleKind.HOSPITAL)
    client.force_login(vest_user)
    listing = client.get(reverse("followup:rule_list")).content.decode()
    assert "Sykehustjeneste som ikke er avtalt" in listing and "84, 56, 28 før" in listing
    url = reverse("followup:rule_edit", args=[rule.pk])
    page = client.get(url)
    assert page.context["form"]["days_text"].value() == "84, 56, 28"
    bad = client.post(url, {"active": "on", "days_text": "tolv uker", "respite_days": "14", "seen_version": "1"})
    assert bad.context["form"].errors["days_text"] == ["Skriv hele dager fra 0 til 730, skilt med komma."]
    data = {"active": "on", "days_text": "90, 30", "respite_days": "10", "assignee": vest_user.pk, "seen_version": "1"}
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.days, rule.respite_days, rule.assignee) == ([90, 30], 10, vest_user)
    client.force_login(nord_user)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 403


def test_ones_own_notification_setting(client, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("followup:setting_edit")
    assert client.get(url).status_code == 200
    assert client.post(url, {"due_messages": "on"}).status_code == 302
    vest_user.notification_setting.refresh_from_db()
    assert (vest_user.notification_setting.weekly_digest, vest_user.notification_setting.due_messages) == (False, True)

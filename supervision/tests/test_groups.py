"""Supervision groups (veiledningsgrupper): the group hours rule, the pages, region scoping and the flag."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from core.models import Change, Read
from registry.models import Doctor
from supervision import pool, rules
from supervision.models import GroupMeeting, GroupMember, SupervisionGroup, SupervisionSession
from training.models import Training

TODAY = date(2026, 6, 30)


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def group(records, world):
    """A Vest group led by the Vest supervisor, with the Vest ALIS as member since 1 January 2026."""
    group = SupervisionGroup.objects.create(
        office=world.vest,
        name="Bergen sentrum",
        leader=records.vest_supervisor,
        start=date(2026, 1, 1),
        place="Legevakten",
    )
    GroupMember.objects.create(group=group, training=records.vest_training, joined=date(2026, 1, 1))
    return group


def _meeting(group, day, minutes, attendees):
    meeting = GroupMeeting.objects.create(group=group, date=day, minutes=minutes)
    meeting.attendees.set(attendees)
    return meeting


# The rule


def test_it_counts_hand_entered_group_sessions_only_outside_membership():
    membership = [rules.Span(date(2026, 1, 1), date(2026, 12, 31))]
    sessions = [(date(2025, 12, 1), 180), (date(2026, 2, 1), 180)]  # before joining / while a member
    attended = [(date(2026, 2, 1), 180), (date(2026, 3, 1), 120)]
    assert rules.group_minutes(sessions=sessions, memberships=membership, attended=attended) == 180 + 180 + 120


def test_it_counts_every_hand_entered_session_of_someone_in_no_group():
    sessions = [(date(2026, 2, 1), 90), (date(2026, 3, 1), 90)]
    assert rules.group_minutes(sessions=sessions, memberships=[], attended=[]) == 180


def test_it_counts_sessions_after_leaving_the_group():
    membership = [rules.Span(date(2026, 1, 1), date(2026, 3, 31))]
    sessions = [(date(2026, 3, 31), 60), (date(2026, 4, 1), 60)]
    assert rules.group_minutes(sessions=sessions, memberships=membership, attended=[]) == 60


# Group hours against the group's meetings


def test_it_counts_group_hours_from_the_meetings_attended_and_never_twice(records, group):
    training = records.vest_training
    # Imported before the group was registered (counts) and on the day of a meeting (the meeting counts instead).
    for day in (date(2025, 11, 1), date(2026, 2, 3)):
        SupervisionSession.objects.create(
            training=training, supervisor=records.vest_supervisor, date=day, minutes=180,
            kind=SupervisionSession.Kind.GROUP,
        )
    _meeting(group, date(2026, 2, 3), 180, [training])
    _meeting(group, date(2026, 3, 3), 150, [training])
    _meeting(group, date(2026, 4, 3), 180, [])  # absent
    _meeting(group, date(2026, 7, 3), 180, [training])  # after the day asked about
    row = pool.compliance(Training.objects.filter(pk=training.pk), TODAY)[0]
    assert row.status.group_hours == (180 + 180 + 150) / 60


def test_it_shows_replaced_sessions_on_the_session_list(client, vest_user, records, group):
    SupervisionSession.objects.create(
        training=records.vest_training, supervisor=records.vest_supervisor, date=date(2026, 2, 3), minutes=180,
        kind=SupervisionSession.Kind.GROUP,
    )
    page = login(client, vest_user).get(reverse("supervision:session_list", args=[records.vest_training.pk]))
    assert "telles ikke: gruppens møter teller" in page.content.decode()


def test_it_refuses_a_hand_entered_group_session_during_membership(client, vest_user, records, group):
    url = reverse("supervision:session_create", args=[records.vest_training.pk])
    data = {"date": "2026-02-03", "minutes": "180", "kind": "group", "supervisor": records.vest_supervisor.pk}
    response = login(client, vest_user).post(url, data)
    assert response.status_code == 200
    assert "var med i veiledningsgruppen «Bergen sentrum» denne dagen" in response.content.decode()
    assert not SupervisionSession.objects.exists()
    before = {**data, "date": "2025-11-03"}
    assert login(client, vest_user).post(url, before).status_code == 302
    assert SupervisionSession.objects.count() == 1


# Pages


def test_it_lists_the_regions_groups(client, vest_user, group, django_assert_max_num_queries):
    login(client, vest_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("supervision:group_list")).content.decode()
    assert "<h1 class=\"ds-heading\" data-size=\"lg\">Veiledningsgrupper</h1>" in page
    assert "Bergen sentrum" in page and "Veileder, Per" not in page and "Per Veileder" in page
    # The rows are kept until a table they are read from is written to (core.lists, keep_rows).
    _meeting(group, date(2026, 2, 3), 90, [])
    assert 'data-label="Siste møte">03.02.2026</td>' in client.get(reverse("supervision:group_list")).content.decode()
    GroupMember.objects.filter(group=group).update(left=date(2026, 1, 31))
    page = client.get(reverse("supervision:group_list")).content.decode()
    assert 'data-label="Medlemmer nå" class="num">0</td>' in page


def test_it_hides_other_regions_groups(client, nord_user, reader, group):
    login(client, nord_user)
    assert "Bergen sentrum" not in client.get(reverse("supervision:group_list")).content.decode()
    for name in ("group_detail", "group_edit", "member_add", "meeting_create", "group_candidate_search"):
        assert client.get(reverse(f"supervision:{name}", args=[group.pk])).status_code == 404, name
    member = group.members.get()
    assert client.get(reverse("supervision:member_edit", args=[member.pk])).status_code == 404
    assert client.post(reverse("supervision:member_delete", args=[member.pk])).status_code == 404
    assert GroupMember.objects.filter(pk=member.pk).exists()
    login(client, reader)
    assert client.get(reverse("supervision:group_list")).status_code == 403
    assert client.get(reverse("supervision:group_detail", args=[group.pk])).status_code == 404


def test_it_lets_the_coordinator_read_but_not_change(client, coordinator, group):
    login(client, coordinator)
    assert client.get(reverse("supervision:group_detail", args=[group.pk])).status_code == 200
    assert client.get(reverse("supervision:group_edit", args=[group.pk])).status_code == 403
    assert client.post(reverse("supervision:meeting_create", args=[group.pk]), {}).status_code == 403


def test_it_shows_members_with_hours_and_meetings_and_logs_the_read(client, vest_user, records, group):
    _meeting(group, date(2026, 2, 3), 180, [records.vest_training])
    page = login(client, vest_user).get(reverse("supervision:group_detail", args=[group.pk])).content.decode()
    assert "Bergen sentrum" in page and "Kari Nordmann" in page and "Allmennmedisin" in page
    assert "03.02.2026" in page and "1 av 1" in page
    assert Read.objects.filter(object_id=group.pk, user=vest_user).exists()
    assert Read.objects.filter(object_id=records.vest_training.pk, user=vest_user).exists()  # the members too


def test_the_groups_tables_and_history_are_kept_until_their_tables_change(client, vest_user, records, group):
    """Written once per data change (core.tableversions): an attendance written outside the forms shows at once,
    and so does a change recorded in the history."""
    url = reverse("supervision:group_detail", args=[group.pk])
    meeting = _meeting(group, date(2026, 2, 3), 180, [records.vest_training])
    login(client, vest_user)
    assert "1 av 1" in client.get(url).text
    meeting.attendees.clear()  # the many-to-many table, no form
    page = client.get(url).text
    assert "0 av 1" in page and "Ingen endringer registrert ennå." in page
    Change.objects.create(content_type=ContentType.objects.get_for_model(group), object_id=group.pk, action="update")
    assert "Ingen endringer registrert ennå." not in client.get(url).text


def test_it_creates_a_group_in_the_users_office(client, vest_user, records, world):
    data = {
        "name": "Askøy",
        "specialty": "general_practice",
        "leader": records.vest_supervisor.pk,
        "start": "2026-01-01",
        "rhythm": "monthly",
        "format": "digital",
        "place": "Teams",
    }
    response = login(client, vest_user).post(reverse("supervision:group_create"), data)
    group = SupervisionGroup.objects.get(name="Askøy")
    assert response.status_code == 302 and response.url == reverse("supervision:group_detail", args=[group.pk])
    assert group.office == world.vest and group.leader == records.vest_supervisor
    assert Change.objects.filter(object_id=group.pk, action="create").exists()


def test_it_refuses_a_leader_from_another_region(client, vest_user, records):
    data = {"name": "X", "specialty": "general_practice", "leader": records.nord_supervisor.pk,
            "start": "2026-01-01", "rhythm": "monthly", "format": "digital"}
    response = login(client, vest_user).post(reverse("supervision:group_create"), data)
    assert response.status_code == 200 and not SupervisionGroup.objects.exists()


def test_it_adds_only_the_regions_alis_as_members(client, vest_user, records, group, world):
    other = Training.objects.create(
        doctor=Doctor.objects.create(first_name="Eva", last_name="Ny", municipality=world.bergen),
        employer=world.bergen, start=date(2025, 1, 1), expected_end=date(2030, 1, 1),
    )
    url = reverse("supervision:member_add", args=[group.pk])
    login(client, vest_user)
    refused = client.post(url, {"training": records.nord_training.pk, "joined": "2026-02-01"})
    assert refused.status_code == 200 and group.members.count() == 1
    early = client.post(url, {"training": other.pk, "joined": "2025-12-01"})
    assert "Gruppen startet 01.01.2026." in early.content.decode()
    assert client.post(url, {"training": other.pk, "joined": "2026-02-01"}).status_code == 302
    assert group.members.filter(training=other).exists()
    options = client.get(reverse("supervision:group_candidate_search", args=[group.pk]), {"q": "Ny"})
    assert "Ny, Eva" not in options.content.decode()  # a member already


def test_it_records_attendance_only_of_members_on_the_day(client, vest_user, records, group, world):
    late = Training.objects.create(
        doctor=Doctor.objects.create(first_name="Sen", last_name="Medlem", municipality=world.bergen),
        employer=world.bergen, start=date(2025, 1, 1), expected_end=date(2030, 1, 1),
    )
    GroupMember.objects.create(group=group, training=late, joined=date(2026, 5, 1))
    url = reverse("supervision:meeting_create", args=[group.pk])
    data = {"date": "2026-03-03", "minutes": "180", "attendees": [records.vest_training.pk, late.pk]}
    response = login(client, vest_user).post(url, data)
    assert "Ikke medlem av gruppen på møtedagen: Sen Medlem." in response.content.decode()
    assert not GroupMeeting.objects.exists()
    data["attendees"] = [records.vest_training.pk]
    assert client.post(url, data).status_code == 302
    meeting = GroupMeeting.objects.get()
    assert list(meeting.attendees.all()) == [records.vest_training]


def test_it_keeps_a_member_with_attendance_from_being_deleted(client, vest_user, records, group):
    member = group.members.get()
    _meeting(group, date(2026, 2, 3), 180, [records.vest_training])
    url = reverse("supervision:member_delete", args=[member.pk])
    page = login(client, vest_user).get(url).content.decode()
    assert "Sett en sluttdato i stedet" in page
    client.post(url)
    assert GroupMember.objects.filter(pk=member.pk).exists()


# The flag: an ALIS not in a group


def test_it_flags_an_alis_not_in_a_group_on_the_alis_page(client, vest_user, records, group):
    login(client, vest_user)
    in_group = client.get(reverse("training:detail", args=[records.vest_training.pk])).content.decode()
    assert "Bergen sentrum" in in_group and "Ikke i en veiledningsgruppe nå" not in in_group
    GroupMember.objects.update(left=timezone.localdate() - timedelta(days=1))
    left = client.get(reverse("training:detail", args=[records.vest_training.pk])).content.decode()
    assert "Ikke i en veiledningsgruppe nå" in left and "Bergen sentrum" in left


def test_it_filters_the_alis_list_by_not_in_a_group(client, coordinator, records, group):
    login(client, coordinator)
    page = client.get(reverse("training:list"), {"no_group": "on", "office": ""}).content.decode()
    assert "Hansen" in page and "Nordmann" not in page
    everyone = client.get(reverse("training:list"), {"office": ""}).content.decode()
    assert "Hansen" in everyone and "Nordmann" in everyone

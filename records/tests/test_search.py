"""Search across everything: grouped by kind, scoped to the user's region in the queries, logged when opened."""

from django.urls import reverse

from core.models import Read
from courses.models import Course, Registration
from supervision.models import SupervisorProfile


def _search(client, text: str, **headers):
    return client.get(reverse("records:search"), {"q": text}, **headers)


def test_it_finds_doctors_alis_and_municipalities_grouped_by_kind(client, vest_user, records) -> None:
    client.force_login(vest_user)
    response = _search(client, "Nordmann")
    page = response.content.decode()

    assert response.status_code == 200 and "<h1" in page
    groups = {group.key: [hit.label for hit in group.hits] for group in response.context["groups"]}
    assert groups == {"doctors": ["Kari Nordmann"], "trainings": ["Kari Nordmann"]}
    assert reverse("training:detail", args=[records.vest_training.pk]) in page
    assert reverse("registry:doctor_detail", args=[records.vest_doctor.pk]) in page


def test_it_finds_by_hpr_number_and_municipality_number(client, vest_user, records) -> None:
    client.force_login(vest_user)
    by_hpr = _search(client, "1234567").context["groups"]
    assert [g.key for g in by_hpr] == ["doctors", "trainings"]

    by_number = _search(client, "4601").context["groups"]
    assert [(g.key, [h.label for h in g.hits]) for g in by_number] == [("municipalities", ["Bergen"])]


def test_an_office_user_never_finds_another_regions_people(client, vest_user, nord_user, records) -> None:
    SupervisorProfile.objects.create(doctor=records.nord_supervisor)
    client.force_login(vest_user)
    for text in ("Hansen", "7654321", "Veiledersen", "2222222"):
        groups = _search(client, text).context["groups"]
        assert not [g for g in groups if g.key in {"doctors", "trainings", "supervisors", "participants"}], text

    # The public registers are national: Vest finds Bodø and its GP office.
    groups = {g.key: [h.label for h in g.hits] for g in _search(client, "Bodø").context["groups"]}
    assert groups == {"municipalities": ["Bodø"], "gp_offices": ["Bodø legesenter"]}

    client.force_login(nord_user)
    groups = {g.key: [h.label for h in g.hits] for g in _search(client, "Veileder").context["groups"]}
    assert groups == {"doctors": ["Anne Veiledersen"], "supervisors": ["Anne Veiledersen"]}


def test_the_coordinator_finds_every_region_and_the_reader_no_persons(client, coordinator, reader, records) -> None:
    client.force_login(coordinator)
    doctors = next(g for g in _search(client, "an").context["groups"] if g.key == "doctors")
    assert {"Ola Hansen", "Anne Veiledersen", "Kari Nordmann"} <= {h.label for h in doctors.hits}

    client.force_login(reader)
    for text in ("Nordmann", "Hansen", "1234567", "an"):
        keys = {g.key for g in _search(client, text).context["groups"]}
        assert keys <= {"municipalities", "gp_offices"}, text
    assert [g.key for g in _search(client, "Bergen").context["groups"]] == ["municipalities"]


def test_it_finds_courses_and_participants_and_logs_opening_a_participant(client, vest_user, nord_user, world) -> None:
    course = Course.objects.create(office=world.vest, title="Veilederkurs Bergen 2026", place="Bergen", capacity=20)
    participant = Registration.objects.create(
        course=course,
        name="Siri Deltaker",
        email="siri@example.no",
        municipality=world.bergen,
        supervises="alis",
        status="confirmed",
    )
    client.force_login(vest_user)
    groups = {g.key: [h.url for h in g.hits] for g in _search(client, "Bergen 2026").context["groups"]}
    assert groups["courses"] == [reverse("courses:detail", args=[course.pk])]
    hit = _search(client, "siri@example").context["groups"][0].hits[0]
    assert hit.url == reverse("records:open_participant", args=[participant.pk])

    response = client.get(hit.url)
    assert response.status_code == 302 and response["Location"] == reverse("courses:participants", args=[course.pk])
    read = Read.objects.get(content_type__model="registration")
    assert (read.object_id, read.user) == (participant.pk, vest_user)

    client.force_login(nord_user)
    assert not _search(client, "Siri").context["groups"]
    assert client.get(hit.url).status_code == 404
    assert Read.objects.filter(content_type__model="registration").count() == 1


def test_opening_a_person_found_is_a_logged_read(client, vest_user, records) -> None:
    client.force_login(vest_user)
    hit = next(g for g in _search(client, "Nordmann").context["groups"] if g.key == "trainings").hits[0]
    client.get(hit.url)
    # The ALIS page logs the ALIS (and their supervisor): one entry per person shown.
    assert Read.objects.filter(user=vest_user, doctor=records.vest_training.doctor).exists()


def test_while_typing_the_header_gets_the_results_only(client, vest_user, records) -> None:
    client.force_login(vest_user)
    response = _search(client, "Nordmann", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="site-search-results")
    html = response.content.decode()

    assert "<main" not in html and "Kari Nordmann" in html
    assert "Vis søket på egen side" in html
    cleared = _search(client, "", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="site-search-results")
    assert cleared.content == b""  # the results box under the field is empty, so it hides
    # The header of every staff page has the field.
    overview = client.get(reverse("training:overview")).content.decode()
    assert 'type="search"' in overview and f'action="{reverse("records:search")}"' in overview


def test_it_asks_for_two_characters_and_says_when_nothing_is_found(client, vest_user, records) -> None:
    client.force_login(vest_user)
    assert "Skriv minst to tegn." in _search(client, "a").content.decode()
    assert "Ingen treff på «zzzz»." in _search(client, "zzzz").content.decode()


def test_it_shows_at_most_six_per_kind_and_links_to_the_full_list(client, vest_user, world) -> None:
    from registry.models import Doctor

    for n in range(8):
        Doctor.objects.create(first_name=f"Lege{n}", last_name="Mangesen", municipality=world.bergen)
    client.force_login(vest_user)
    group = _search(client, "Mangesen").context["groups"][0]

    assert len(group.hits) == 6 and group.more
    assert group.more_url == reverse("registry:doctor_list") + "?q=Mangesen"


def test_the_search_does_a_bounded_number_of_queries(client, vest_user, world, django_assert_max_num_queries) -> None:
    from registry.models import Doctor

    for n in range(30):
        Doctor.objects.create(first_name=f"Lege{n}", last_name="Mangesen", municipality=world.bergen)
    client.force_login(vest_user)
    with django_assert_max_num_queries(12):
        _search(client, "Mangesen")


def test_the_search_needs_sign_in(client) -> None:
    response = _search(client, "Bergen")
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_names_that_begin_with_the_text_come_first(client, vest_user, world) -> None:
    from registry.models import Municipality

    Municipality.objects.create(number="1127", name="Randaberg", name_norwegian="Randaberg", county=world.vestland)
    client.force_login(vest_user)
    municipalities = _search(client, "berg").context["groups"][0]

    assert [hit.label for hit in municipalities.hits] == ["Bergen", "Randaberg"]

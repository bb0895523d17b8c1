"""The office pages on the shared form, list and confirmation pages: deletes behind a question, the doctor and
municipality of an inquiry chosen by typing, lists with links only where the user may follow them."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Change
from office.models import Activity, Inquiry, InquiryTopic, Institution, InstitutionRegistration, Partner, StaffMember
from registry.models import Doctor


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def vest(world):
    partner = Partner.objects.create(office=world.vest, name="KS Vest", kind="ks")
    activity = Activity.objects.create(office=world.vest, date=date(2025, 1, 5), kind="meeting", theme="Tilskudd")
    inquiry = Inquiry.objects.create(office=world.vest, date=date(2025, 1, 2), note="Kari Nordmann ringte")
    inquiry.topics.add(InquiryTopic.objects.first())
    return {
        "partner": partner,
        "activity": activity,
        "inquiry": inquiry,
        "staff": StaffMember.objects.create(office=world.vest, name="Anne", title="Rådgiver", start=date(2020, 1, 1)),
        "institution": Institution.objects.create(office=world.vest, name="Statsforvalteren i Vestland"),
    }


DELETES = [
    ("office:inquiry_delete", "inquiry", Inquiry, "Slette henvendelsen fra 02.01.2025?"),
    ("office:activity_delete", "activity", Activity, "Slette aktiviteten «Tilskudd»?"),
    ("office:partner_delete", "partner", Partner, "Slette samarbeidspartneren KS Vest?"),
    ("office:staff_delete", "staff", StaffMember, "Slette Anne fra de ansatte?"),
    ("office:institution_delete", "institution", Institution, "Slette virksomheten Statsforvalteren i Vestland?"),
]


@pytest.mark.parametrize(("url_name", "key", "model", "question"), DELETES)
def test_it_deletes_a_record_only_after_asking_and_only_in_its_own_region(
    vest_user, nord_user, coordinator, vest, url_name, key, model, question
):
    record = vest[key]
    url = reverse(url_name, args=[record.pk])
    edit = reverse(url_name.replace("_delete", "_edit"), args=[record.pk])
    assert url in _client(vest_user).get(edit).content.decode()  # the way to it is on the record's page
    assert url not in _client(coordinator).get(reverse(url_name.replace("_delete", "_list"))).content.decode()
    page = _client(vest_user).get(url).content.decode()
    assert question in page
    assert _client(nord_user).post(url).status_code == 404
    assert _client(coordinator).post(url).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
    assert _client(vest_user).post(url).url == reverse(url_name.replace("_delete", "_list"))
    assert not model.objects.filter(pk=record.pk).exists()
    assert Change.objects.filter(object_id=record.pk, action="delete").exists()


def test_it_keeps_a_partner_with_meetings(vest_user, vest):
    vest["activity"].partners.add(vest["partner"])
    url = reverse("office:partner_delete", args=[vest["partner"].pk])
    page = _client(vest_user).get(url).content.decode()
    assert "Samarbeidspartneren har 1 møte registrert og kan ikke slettes." in page and ">Slett</button>" not in page
    _client(vest_user).post(url)
    assert Partner.objects.filter(pk=vest["partner"].pk).exists()
    edit = _client(vest_user).get(reverse("office:partner_edit", args=[vest["partner"].pk])).content.decode()
    assert url not in edit and "Tilskudd" in edit  # no way to a refusal; the meeting is listed instead


def test_it_takes_the_inquirys_doctor_and_municipality_as_typed(vest_user, world):
    doctor = Doctor.objects.create(
        first_name="Ola", last_name="Veileder", hpr_number="1112223", municipality=world.bergen
    )
    topic = InquiryTopic.objects.first()
    page = _client(vest_user).get(reverse("office:inquiry_list")).content.decode()
    assert f'data-suggestion-url="{reverse("registry:doctor_search")}"' in page
    data = {"date": "2025-03-14", "channel": "phone", "sender": "supervisor", "topics": [topic.pk], "minutes": "5",
            "status": "answered", "doctor": "", "doctor_text": "Ola Veileder", "municipality": "",
            "municipality_text": "Bergen"}  # fmt: skip
    response = _client(vest_user).post(reverse("office:inquiry_create"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.doctor, inquiry.municipality) == (doctor, world.bergen)
    outside = data | {"doctor_text": "", "municipality_text": "Bodø"}
    html = _client(vest_user).post(reverse("office:inquiry_create"), outside).content.decode()
    assert 'id="id_municipality_error"' in html and "Fant ingen som passer «Bodø»" in html


def test_it_shows_the_lists_with_links_only_for_those_who_may_change(vest_user, coordinator, vest):
    for name, text in [("office:activity_list", "Tilskudd"), ("office:partner_list", "KS Vest"),
                       ("office:staff_list", "Anne"), ("office:institution_list", "Statsforvalteren i Vestland"),
                       ("office:inquiry_list", "Kari Nordmann ringte")]:  # fmt: skip
        own = _client(vest_user).get(reverse(name)).content.decode()
        assert text in own and "1 treff" in own, name
        edit = reverse(name.replace("_list", "_edit"), args=[vest[name.split(":")[1].split("_")[0]].pk])
        assert edit in own, name
        read_only = _client(coordinator).get(reverse(name)).content.decode()
        assert text in read_only and edit not in read_only, name  # the coordinator reads, but may not change
        assert "ALIS-kontor Vest" in read_only, name  # and sees whose record it is


def test_it_adds_a_topic_on_its_own_page(coordinator, vest_user):
    url = reverse("office:topic_create")
    assert _client(vest_user).get(url).status_code == 403
    assert url in _client(coordinator).get(reverse("office:topic_list")).content.decode()
    response = _client(coordinator).post(url, {"name": "Permisjon", "ordering": "99", "active": "on"})
    assert response.url == reverse("office:topic_list")
    assert "Permisjon" in _client(coordinator).get(reverse("office:topic_list")).content.decode()


def test_it_takes_a_new_institution_to_its_status(vest_user, world):
    data = {"name": "Fylkeslegen", "municipality_text": "Bergen"}
    response = _client(vest_user).post(reverse("office:institution_create"), data)
    institution = Institution.objects.get()
    assert response.url == reverse("office:institution_registration_add", args=[institution.pk])
    assert institution.municipality == world.bergen
    page = _client(vest_user).get(response.url).content.decode()
    assert reverse("office:institution_edit", args=[institution.pk]) in page  # the breadcrumbs lead back
    assert not InstitutionRegistration.objects.exists()

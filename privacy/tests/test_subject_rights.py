"""A doctor's rights as data subject: everything held about them (JSON and PDF, with history) for the
administrator, and erasure by anonymisation, refused while a grant application naming them is open."""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core import history
from core.models import Change, Read
from courses.models import Course, Registration
from dataio.models import ImportJob
from grants.models import ApplicationLine, GrantApplication
from grants.rates import load_rates
from office.models import Inquiry
from privacy import services, subject
from registry.models import Doctor
from supervision.models import SupervisorLink
from survey.models import Campaign, Invitation, Proposal
from training.models import Training

KARI = "Kari Nordmann"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kari(records, vest_user, world):
    """Kari Nordmann (Vest) with history, a course sign-up, an inquiry, a proposal and a read about her."""
    doctor = records.vest_doctor
    before = history.snapshot(doctor)
    doctor.phone, doctor.email = "41 23 45 67", "kari@example.no"
    doctor.save()
    history.record(instance=doctor, by=vest_user, before=before)
    history.record(instance=records.vest_training, by=vest_user, before=None)
    history.record(instance=records.vest_assignment, by=vest_user, before=None, parent=records.vest_training)
    training = records.vest_training
    before = history.snapshot(training)
    training.notes = "Kari Nordmann er i foreldrepermisjon til mars."
    training.save()
    history.record(instance=training, by=vest_user, before=before)
    course = Course.objects.create(office=world.vest, title="Veilederkurs 2025", capacity=20, place="Bergen")
    Registration.objects.create(
        course=course, name=KARI, email="kari@example.no", municipality=world.bergen, hpr_number="1234567",
        supervises="alis", status="confirmed",
    )  # fmt: skip
    Inquiry.objects.create(office=world.vest, date=date(2025, 3, 1), doctor=doctor, note="Kari Nordmann ringte")
    campaign = Campaign.objects.create(office=world.vest, title="Kartlegging 2025", deadline=date(2025, 6, 1))
    invitation = Invitation.objects.create(campaign=campaign, municipality=world.bergen, expires_at="2030-01-01T00:00Z")
    Proposal.objects.create(
        invitation=invitation, target="training", object_id=training.pk, object_repr=f"{KARI} – Bergen",
        field="position_share", label="stillingsandel", old_value="100", new_value="80", old_shown="100",
        new_shown="80",
    )  # fmt: skip
    Read.objects.create(user=vest_user, doctor=doctor, page=f"/register/leger/{doctor.pk}/", label="")
    return doctor


def test_everything_held_about_a_doctor_is_collected(kari, records) -> None:
    held = subject.collect(kari)
    found = {kind.label: [r.pk for r in kind.records] for kind in held.kinds if kind.records}

    assert found["registry.doctor"] == [kari.pk]
    assert found["training.training"] == [records.vest_training.pk]
    assert found["training.serviceperiod"] == [records.vest_period.pk]
    assert found["training.supervisorassignment"] == [records.vest_assignment.pk]
    assert len(found["courses.registration"]) == 1  # by HPR number, not linked to the register
    assert len(found["office.inquiry"]) == 1 and len(found["survey.proposal"]) == 1
    assert len(held.changes) == 4 and len(held.reads) == 1
    # Nothing about the Nord doctor, nor Kari's supervisor's own records.
    assert records.nord_doctor.pk not in found["registry.doctor"]
    assert "supervision.supervisorprofile" not in found


def test_the_administrator_downloads_it_as_json_with_history(kari, admin_user, records) -> None:
    response = _client(admin_user).get(reverse("privacy:doctor_export", args=[kari.pk, "json"]))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["doctor"]["fields"]["fornavn"] == "Kari"
    kinds = {record["kind"] for record in document["records"]}
    assert {"utdanningsløp", "tjenesteperioder", "påmeldinger", "henvendelser"} <= kinds
    phone = [h for h in document["history"] if "telefon" in h["fields"]]
    assert phone[0]["fields"]["telefon"] == {"before": "", "after": "41 23 45 67"}
    assert document["reads"][0]["by"] == "vest"
    assert "Ola Hansen" not in response.content.decode()
    assert Read.objects.filter(user=admin_user, kind="export").exists()


def test_the_administrator_downloads_it_as_pdf(kari, admin_user) -> None:
    response = _client(admin_user).get(reverse("privacy:doctor_export", args=[kari.pk, "pdf"]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_only_the_administrator_sees_or_exports_it(kari, vest_user, coordinator) -> None:
    for user in (vest_user, coordinator):
        client = _client(user)
        assert client.get(reverse("privacy:doctor", args=[kari.pk])).status_code == 403
        assert client.get(reverse("privacy:doctor_export", args=[kari.pk, "json"])).status_code == 403
        assert client.post(reverse("privacy:doctor_anonymise", args=[kari.pk])).status_code == 403
    assert Doctor.objects.get(pk=kari.pk).first_name == "Kari"


def test_the_privacy_page_says_what_is_held(kari, admin_user) -> None:
    page = _client(admin_user).get(reverse("privacy:doctor", args=[kari.pk]))

    assert "<h1" in page.text and KARI in page.text
    assert "Utdanningsløp" in page.text and "Endringer i historikken" in page.text
    assert reverse("privacy:doctor_anonymise", args=[kari.pk]) in page.text


@pytest.fixture
def application(kari, records, world):
    """A grant application with a line for Kari's training: a draft (open)."""
    application = GrantApplication.objects.create(municipality=world.bergen, period=load_rates()[0])
    ApplicationLine.objects.create(application=application, training=records.vest_training)
    return application


def test_erasure_is_refused_while_a_grant_application_naming_them_is_open(kari, application, admin_user) -> None:
    url = reverse("privacy:doctor_anonymise", args=[kari.pk])
    for status in services.OPEN_APPLICATION_STATUSES:
        GrantApplication.objects.filter(pk=application.pk).update(status=status)
        page = _client(admin_user).get(url)
        assert "åpen tilskuddssøknad" in page.text and "Anonymiser legen</button>" not in page.text
        _client(admin_user).post(url)
        assert Doctor.objects.get(pk=kari.pk).first_name == "Kari", status
    with pytest.raises(services.NotAllowed):
        services.doctor_anonymise(doctor=kari, by=admin_user)


def test_erasure_removes_the_name_everywhere_and_keeps_the_counts(
    kari, application, admin_user, records, vest_user
) -> None:
    GrantApplication.objects.filter(pk=application.pk).update(status="audited")  # closed
    link = SupervisorLink.objects.create(supervisor=kari, created_by=vest_user, expires_on=date(2030, 1, 1))
    trainings, lines = Training.objects.count(), ApplicationLine.objects.count()
    url = reverse("privacy:doctor_anonymise", args=[kari.pk])

    assert "Anonymiser legen</button>" in _client(admin_user).get(url).text
    response = _client(admin_user).post(url)

    assert response.status_code == 302
    kari.refresh_from_db()
    assert (kari.first_name, kari.last_name) == ("Anonymisert", f"lege {kari.pk}")
    assert (kari.hpr_number, kari.email, kari.phone) == (None, "", "")
    assert kari.municipality == records.vest_doctor.municipality  # the reports count by municipality
    assert (Training.objects.count(), ApplicationLine.objects.count()) == (trainings, lines)
    assert Training.objects.get(pk=records.vest_training.pk).notes == ""
    registration = Registration.objects.get()
    assert (registration.name, registration.hpr_number) == (f"Anonymisert lege {kari.pk}", "")
    assert registration.status == "confirmed"  # the course statistics still count the participant
    assert Inquiry.objects.get().note == ""
    assert Proposal.objects.get().object_repr == f"Anonymisert lege {kari.pk} – Bergen"
    link.refresh_from_db()
    assert link.revoked_at is not None
    everything = json.dumps([(c.object_repr, c.fields) for c in Change.objects.all()], ensure_ascii=False)
    for identifier in (KARI, "Nordmann, Kari", "1234567", "41 23 45 67", "kari@example.no", "foreldrepermisjon"):
        assert identifier not in everything
    done = Change.objects.get(action="anonymise")
    assert (done.user, done.object_id) == (admin_user, kari.pk)
    assert Read.objects.filter(doctor=kari).exists()  # the read log stays, without a name


def test_erasure_reaches_other_records_history_that_named_them(kari, admin_user, records, vest_user) -> None:
    """The supervisor's history can name the ALIS: «Veileder for Kari Nordmann» is scrubbed too."""
    other = Change.objects.create(
        content_type_id=Change.objects.first().content_type_id, object_id=records.vest_supervisor.pk,
        object_repr="Per Veileder", action="update", user=vest_user,
        fields={"merknad": ["", "Veileder for Kari Nordmann"], "annet": ["Bergen", "Bergen"]},
    )  # fmt: skip

    services.doctor_anonymise(doctor=kari, by=admin_user)

    other.refresh_from_db()
    assert other.fields == {"merknad": ["", f"Veileder for Anonymisert lege {kari.pk}"], "annet": ["Bergen", "Bergen"]}
    assert other.object_repr == "Per Veileder"


def test_a_doctor_is_erased_once(kari, admin_user) -> None:
    services.doctor_anonymise(doctor=kari, by=admin_user)

    page = _client(admin_user).get(reverse("privacy:doctor_anonymise", args=[kari.pk]))
    assert "Legen er allerede anonymisert." in page.text
    with pytest.raises(services.NotAllowed):
        services.doctor_anonymise(doctor=kari, by=admin_user)


def test_the_scrubber_replaces_whole_identifiers_only() -> None:
    scrub = services.Scrubber(["Kari Berg", "Berg, Kari"], ["1234567"], "Anonymisert lege 7")

    assert scrub("Kari Berg i Bergen, HPR 1234567") == "Anonymisert lege 7 i Bergen, HPR [slettet]"
    assert scrub("Bergen kommune, 12345678") == "Bergen kommune, 12345678"


def test_erasure_reaches_the_import_previews_that_name_them(kari, admin_user, records, vest_user, world) -> None:
    """An import's preview holds the file's rows; one not yet confirmed ends, since its file can not be scrubbed."""
    plan = {"kind": "gp_list", "encoding": "UTF-8", "gone": [], "rows": [
        {"row": 2, "label": f"{KARI} (1234567)", "action": "change", "changes": [["Telefon", "", "41 23 45 67"]],
         "errors": [], "notes": []},
    ]}  # fmt: skip
    named = {"office": world.vest, "kind": "gp_list", "data": b"Nordmann, Kari;1234567", "created_by": vest_user}
    jobs = [
        ImportJob.objects.create(**named, filename="fastleger.csv", status=status, plan=plan)
        for status in (ImportJob.Status.PREVIEW, ImportJob.Status.DONE)
    ]
    other = ImportJob.objects.create(
        office=world.vest, kind="gp_list", filename="andre.csv", data=b"Hansen, Ola;7654321", created_by=vest_user,
        status=ImportJob.Status.PREVIEW, plan={**plan, "rows": []},
    )  # fmt: skip

    services.doctor_anonymise(doctor=kari, by=admin_user)

    waiting, done = (ImportJob.objects.get(pk=job.pk) for job in jobs)
    for job in (waiting, done):
        assert KARI not in json.dumps(job.plan, ensure_ascii=False) and "1234567" not in json.dumps(job.plan)
        assert job.plan["rows"][0]["label"] == f"Anonymisert lege {kari.pk} ([slettet])"
        assert bytes(job.data) == b""
    assert waiting.status == ImportJob.Status.FAILED and "anonymisert" in waiting.message
    assert done.status == ImportJob.Status.DONE
    other.refresh_from_db()
    assert other.status == ImportJob.Status.PREVIEW and bytes(other.data)

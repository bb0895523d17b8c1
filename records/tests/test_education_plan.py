"""The education plan on the ALIS page, and the list of who has no plan or no recent progress report."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.models import Change
from records.models import Document, DocumentVersion, EducationPlan
from training.models import Contract, Scheme, Status, Training


def _plan_document(training: Training) -> Document:
    document = Document.objects.create(
        training=training, kind=Document.Kind.EDUCATION_PLAN, title="Individuell utdanningsplan", dated=date(2024, 9, 1)
    )
    version = DocumentVersion(document=document, number=1, size=9)
    version.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return document


def test_it_records_the_plans_reviews_and_the_progress_reported(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    url = reverse("records:plan_edit", args=[vest_training.pk])
    assert "Kompetanseportalen" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "last_reviewed_on": "2026-03-01",
            "next_review_on": "2027-03-01",
            "progress_reported_on": "2026-06-15",
            "objectives_approved": "23",
        },
    )
    assert response.status_code == 302
    plan = EducationPlan.objects.get(training=vest_training)
    assert (plan.progress_reported_on, plan.objectives_approved) == (date(2026, 6, 15), 23)
    assert Change.objects.filter(content_type__model="educationplan", parent_id=vest_training.pk).exists()

    _plan_document(vest_training)
    panel = client.get(reverse("records:subject", args=["alis", vest_training.pk]), HTTP_HX_REQUEST="true")
    text = panel.content.decode()
    assert "Individuell utdanningsplan" in text and "15.06.2026" in text and "01.03.2027" in text
    assert ">23<" in text.replace("<dd>", ">").replace("</dd>", "<")
    assert 'href="https://kompetanseportalen.no"' in text


def test_it_refuses_a_report_dated_in_the_future_and_a_review_before_the_last(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("records:plan_edit", args=[vest_training.pk]),
        {
            "last_reviewed_on": "2026-03-01",
            "next_review_on": "2025-03-01",
            "progress_reported_on": tomorrow.isoformat(),
        },
    )

    errors = response.context["form"].errors
    assert "Rapporten kan ikke være datert fram i tid." in errors["progress_reported_on"]
    assert "Neste gjennomgang kan ikke være før den siste." in errors["next_review_on"]
    assert not EducationPlan.objects.exists()


def test_the_panel_flags_a_missing_plan_and_no_report(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    text = client.get(reverse("records:subject", args=["alis", vest_training.pk])).content.decode()
    assert "Ingen utdanningsplan lastet opp" in text
    assert "ingen rapport siste 12 måneder" in text
    assert f"{reverse('records:document_create', args=['alis', vest_training.pk])}?type=education_plan" in text


def test_another_regions_user_can_not_open_the_plan(client, nord_user, reader, vest_training) -> None:
    for outsider in (nord_user, reader):
        client.force_login(outsider)
        assert client.get(reverse("records:plan_edit", args=[vest_training.pk])).status_code == 404


def _ongoing(world, first: str, hpr: str) -> Training:
    from registry.models import Doctor

    doctor = Doctor.objects.create(first_name=first, last_name="Testesen", hpr_number=hpr, municipality=world.bergen)
    return Training.objects.create(
        doctor=doctor,
        employer=world.bergen,
        scheme=Scheme.NEW,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2029, 1, 1),
    )


def test_the_list_shows_who_has_no_plan_or_no_recent_report(
    client, vest_user, world, vest_training, nord_training, django_assert_max_num_queries
) -> None:
    today = timezone.localdate()
    with_all = _ongoing(world, "Alfa", "3000001")
    _plan_document(with_all)
    EducationPlan.objects.create(
        training=with_all, progress_reported_on=today - timedelta(days=30), objectives_approved=12
    )
    old_report = _ongoing(world, "Beta", "3000002")
    _plan_document(old_report)
    EducationPlan.objects.create(training=old_report, progress_reported_on=today - timedelta(days=400))
    done = _ongoing(world, "Gamma", "3000003")
    done.status = Status.COMPLETED
    done.save()
    client.force_login(vest_user)
    url = reverse("records:plan_list")

    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Utdanningsplaner og framdrift" in page
    assert "Testesen, Alfa" in page and "Testesen, Beta" in page and "Nordmann, Kari" in page
    assert "Gamma" not in page  # completed: not followed up
    assert "Hansen" not in page  # Nord's ALIS

    no_plan = client.get(url, {"missing": "plan"}).content.decode()
    assert "Nordmann, Kari" in no_plan and "Alfa" not in no_plan and "Beta" not in no_plan

    no_report = client.get(url, {"missing": "rapport"}).content.decode()
    assert "Nordmann, Kari" in no_report and "Beta" in no_report and "Alfa" not in no_report

    # The rows are kept until a table they are read from is written to (core.lists, keep_rows).
    EducationPlan.objects.filter(training=old_report).update(progress_reported_on=today)
    assert "Beta" not in client.get(url, {"missing": "rapport"}).content.decode()
    _plan_document(vest_training)
    assert "Nordmann, Kari" not in client.get(url, {"missing": "plan"}).content.decode()


def test_the_list_is_for_those_who_read_personal_data(
    client, reader, coordinator, vest_training, nord_training
) -> None:
    client.force_login(reader)
    assert client.get(reverse("records:plan_list")).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("records:plan_list")).content.decode()
    assert "Nordmann, Kari" in page and "Hansen, Ola" in page

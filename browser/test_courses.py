"""A sign-up through the public course calendar, cancelling by the e-mailed link, and the office recording
attendance with the keyboard; axe-core on every page visited."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from courses.models import Registration
from courses.tests.conftest import make_course, make_registration

pytestmark = pytest.mark.browser


def test_it_signs_up_on_the_public_page_and_cancels_by_the_link(page: Page, world) -> None:
    course = make_course(world.vest, capacity=1, title="Emnekurs i veiledning")
    make_registration(course, world.bergen, email="forst@example.no")

    page.goto("/kurs/")
    expect(page.locator("h1")).to_have_text("Kurs for veiledere")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Meld deg på")).click()

    expect(page.locator("h1")).to_contain_text("Påmelding")
    expect(page.get_by_text("Kurset er fullt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Meld meg på").click()

    expect(page.locator("#id_name_error")).to_be_visible()
    expect(page.get_by_label("Fullt navn")).to_have_attribute("aria-invalid", "true")
    # The error summary takes focus, and its links lead to the fields.
    expect(page.locator("ds-error-summary")).to_be_focused()
    expect(page.get_by_role("link", name="Fullt navn – Fyll ut feltet.")).to_have_attribute("href", "#id_name")
    assert_accessible(page)

    page.get_by_label("Fullt navn").fill("Siri Lege")
    page.get_by_label("E-post").fill("siri@example.no")
    page.get_by_label("Mobiltelefon").fill("912 34 567")
    # One municipality among 357: typed, then chosen among the suggestions the server sends.
    municipality = page.locator("#id_municipality")
    municipality.click()
    municipality.press_sequentially("Berg", delay=50)
    page.get_by_role("option", name="4601 Bergen").click()
    expect(page.locator('input[name="municipality"]')).to_have_value(str(world.bergen.pk))
    page.get_by_role("radio", name="Samfunnsmedisin").check()
    page.get_by_label(re.compile("Jeg er spesialist i faget jeg veileder i")).check()
    page.get_by_label("LIS1").check()
    page.get_by_role("button", name="Meld meg på").click()

    expect(page.locator("h1")).to_have_text("Påmelding mottatt")
    expect(page.get_by_role("status")).to_contain_text("ventelisten")
    assert_accessible(page)
    registration = Registration.objects.get(email="siri@example.no")
    assert (registration.status, registration.specialty) == ("waiting", "community_medicine")
    assert mail.outbox[-1].to == ["siri@example.no"]

    cancel_path = re.search(r"/kurs/avmelding/[\w-]+/", mail.outbox[-1].body).group(0)
    page.goto(cancel_path)
    assert_accessible(page)
    page.get_by_role("button", name="Meld meg av kurset").click()

    expect(page.get_by_role("status")).to_contain_text("Du er meldt av")
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_it_records_attendance_with_the_keyboard(page: Page, vest_user, world) -> None:
    course = make_course(world.vest, days=((-30, -29),))
    participant = make_registration(course, world.bergen, email="per@example.no", name="Per Veileder")
    login(page, vest_user)

    page.goto(f"/kurs/kontor/{course.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Deltakere og oppmøte").click()
    expect(page.locator("h1")).to_have_text("Deltakere og oppmøte")
    assert_accessible(page)

    checkbox = page.get_by_label("Per Veileder var på samling 1")
    checkbox.focus()
    page.keyboard.press("Space")

    expect(page.locator(f"#fullfort-{participant.pk}")).to_contain_text("Fullført")
    expect(checkbox).to_be_focused()
    expect(checkbox).to_be_checked()
    assert participant.attendances.count() == 1
    assert_accessible(page)


def test_the_certificate_page_follows_the_worker_until_the_file_is_ready(page: Page, settings, vest_user, world):
    from core import generated_files
    from core.models import GeneratedFile
    from courses.models import Attendance

    # The database queue without a worker: the file waits until the test builds it as the worker would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    course = make_course(world.vest, title="Emnekurs i veiledning")
    participant = make_registration(course, world.bergen, email="per@example.no", name="Per Veileder")
    for gathering in course.gatherings.all():  # held a year ago, the participant at every one
        gathering.start, gathering.end = gathering.start - timedelta(365), gathering.end - timedelta(365)
        gathering.save()
        Attendance.objects.create(registration=participant, gathering=gathering)
    login(page, vest_user)

    page.goto(f"/kurs/kontor/deltakere/{participant.pk}/kursbevis.pdf")

    expect(page.locator("h1")).to_have_text("Kursbevis for Per Veileder")
    expect(page.get_by_text("Venter på tur …")).to_be_visible()
    assert_accessible(page)
    generated_files.build_file(GeneratedFile.objects.get(kind="certificate").pk)
    expect(page.get_by_role("status")).to_contain_text("Fila er ferdig.")  # polled once a second
    expect(page.get_by_role("link", name="Åpne fila")).to_have_attribute(
        "href", f"/kurs/kontor/deltakere/{participant.pk}/kursbevis.pdf"
    )
    assert_accessible(page)

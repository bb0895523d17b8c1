"""Every page of the catalogue that shows personal data logs the read when opened (issue 11), on the demo data."""

from django.urls import reverse

import pages
from accounts.models import User
from core.models import Read
from core.tests import crawler

# Pages that only some roles may open but that show no personal data, and why.
NO_PERSONAL_DATA = {
    "registry:municipality_edit": "a municipality's own data (public)",
    "registry:registration_add": "a municipality's registration status (public)",
    "registry:contact_create": "an empty form",
    "registry:gp_office_create": "an empty form",
    "registry:gp_office_edit": "a GP office (public)",
    "registry:doctor_create": "an empty form",
    "training:create": "an empty form",
    "supervision:profile_create": "an empty form",
    "supervision:group_create": "an empty form",
    "dataio:session_upload": "an upload form",
    "courses:create": "an empty form",
    "courses:instructor_create": "an empty form",
    "grants:application_create": "an empty form",
    "office:inquiry_create": "an empty form",
    "office:inquiry_stats": "counts of inquiries by topic and channel",
    "office:activity_create": "an empty form",
    "office:partner_create": "an empty form",
    "office:staff_create": "an empty form",
    "office:institution_create": "an empty form",
    "survey:campaign_create": "an empty form",
    "survey:municipality_status": "municipalities and the dates they confirmed their data",
    "dataio:gp_list_upload": "an upload form",
    "dataio:alis_list_upload": "an upload form",
    "registry:ssb_import_list": "SSB's files of municipalities and statistics (public)",
    "registry:ssb_import_detail": "an SSB file (public)",
    "followup:attention_panel": "counts, each a link to its list",
    "followup:task_create": "an empty form (with ?alis= the ALIS it names is logged)",
    "followup:rule_list": "the office's rules for tasks, and which staff get them",
}
# The publishing pages of the website: the offices' own public content (news, pages, Q&A, templates, images,
# staff contacts), none of it about the persons of the register; a Q&A made from an inquiry takes its topics only
# (the list of the office's inquiries to choose from is the office's log, and logged).
PUBLISHING = "publishing:"
PUBLISHING_WITH_PERSONAL_DATA = {"publishing:inquiry_pick"}


def _personal(page: pages.Page) -> bool:
    """Opened by the office, refused to the aggregate reader: a page of personal data (or an empty form)."""
    statuses = page.statuses
    return statuses["office"] == 200 and statuses["reader"] in (403, 404) and page.kind != pages.ACTION


def test_every_page_with_personal_data_logs_its_reads(demo, db) -> None:
    client = crawler.client_for(pages.USERNAMES["office"])
    silent, noisy, checked = [], [], 0
    for page in pages.PAGES:
        if not _personal(page):
            continue
        _row, kwargs, query = page.resolve()
        before = Read.objects.count()
        response = client.get(page.path(kwargs, query))
        logged = Read.objects.count() > before
        publishing = page.url_name.startswith(PUBLISHING) and page.url_name not in PUBLISHING_WITH_PERSONAL_DATA
        if page.url_name in NO_PERSONAL_DATA or publishing:
            if logged:
                noisy.append(page.url_name)
        elif page.kind == pages.OPTIONS and b"data-empty" in response.content:
            continue  # a search that found nobody shows nobody
        elif response.status_code == 200:
            checked += 1
            if not logged:
                silent.append(page.url_name)
    assert silent == [], f"pages that show personal data without logging it: {silent}"
    assert noisy == [], f"remove from NO_PERSONAL_DATA: {noisy}"
    assert checked > 40
    assert set(NO_PERSONAL_DATA) <= set(pages.by_url_name())


def test_the_pages_the_reader_opens_log_the_persons_they_show_to_the_office(demo, db) -> None:
    """A municipality's page shows its contact persons, a GP office's its doctors: logged for the office."""
    vest = User.objects.get(username="vest")
    bergen, gp_office = pages.bergen(), pages.vest_gp_office()
    crawler.client_for("vest").get(reverse("registry:municipality_detail", args=[bergen.pk]))
    contacts = Read.objects.filter(user=vest, content_type__model="contact")
    assert bergen.contacts.exists() and gp_office.doctors.exists()
    assert set(contacts.values_list("object_id", flat=True)) == set(bergen.contacts.values_list("pk", flat=True))
    crawler.client_for("vest").get(reverse("registry:gp_office_detail", args=[gp_office.pk]))
    doctors = Read.objects.filter(user=vest, view="registry:gp_office_detail").values_list("doctor", flat=True)
    assert set(doctors) == set(gp_office.doctors.values_list("pk", flat=True))

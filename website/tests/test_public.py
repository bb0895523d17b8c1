"""The public website: what anyone sees, at / and /<office>/, its feeds, its sitemap and its safety."""

import re
from datetime import timedelta

import pytest
from django.core import checks
from django.urls import resolve, reverse
from django.utils import timezone

from courses.models import Course, Gathering
from office.models import InquiryTopic
from website import markdown
from website.checks import office_codes_are_free, top_level_words
from website.converters import OFFICE_CODES
from website.models import Article, Document, DocumentVersion, OfficeProfile, Question, Status

pytestmark = pytest.mark.django_db

SCRIPT_PAYLOADS = (
    "<script>alert('xss')</script>",
    "[klikk](javascript:alert('xss'))",
    '<img src="x" onerror="alert(\'xss\')">',
    "[klikk](JaVaScRiPt:alert('xss'))",
    '<a href="javascript:alert(1)">lenke</a>',
    "![bilde](javascript:alert(1))",
)


def test_it_shows_the_national_front_page_to_anyone(client, make_article, world) -> None:
    make_article(world.vest, title="Kurs i Bergen", summary="Påmelding er åpen.")

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "ALIS-kontorene</h1>" in html
    assert "Kurs i Bergen" in html
    assert reverse("website:office_home", args=["vest"]) in html
    assert "Logg inn" in html
    # Written once per data change and minute (core.tableversions): a draft published outside the forms shows.
    draft = make_article(world.nord, title="Nordnytt", status=Status.DRAFT)
    assert "Nordnytt" not in client.get("/").content.decode()
    type(draft).objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
    assert "Nordnytt" in client.get("/").content.decode()


def test_it_shows_an_office_section_with_its_own_news_only(client, make_article, world) -> None:
    make_article(world.vest, title="Vestnytt")
    make_article(world.nord, title="Nordnytt")

    vest = client.get("/vest/").content.decode()
    nord = client.get("/nord/").content.decode()

    assert "Vestnytt" in vest and "Nordnytt" not in vest
    assert "Nordnytt" in nord and "Vestnytt" not in nord


def test_it_hides_drafts_and_scheduled_news_until_their_time(client, make_article, world) -> None:
    draft = make_article(world.vest, title="Utkast", status=Status.DRAFT)
    later = make_article(world.vest, title="Senere", publish_at=timezone.now() + timedelta(days=1))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(later.get_absolute_url()).status_code == 404
    assert "Senere" not in client.get("/vest/nyheter/rss/").content.decode()

    later.publish_at = timezone.now() - timedelta(minutes=1)
    later.save()
    assert client.get(later.get_absolute_url()).status_code == 200


def test_it_renders_script_payloads_inert(client, make_article, world) -> None:
    body = "\n\n".join(SCRIPT_PAYLOADS)
    article = make_article(world.vest, title="<script>alert('tittel')</script>", slug="farlig", body=body)
    Question.objects.create(office=world.vest, question="Trygt?", answer=body, status=Status.PUBLISHED)

    for url in (article.get_absolute_url(), reverse("website:questions"), "/vest/nyheter/rss/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert not re.search(r"<a\s[^>]*href=[\"']?javascript:", html, re.IGNORECASE), url
        assert not re.search(r"<img\s[^>]*onerror", html), url
        assert "&lt;script&gt;alert(&#x27;tittel&#x27;)" in html or "&lt;script&gt;" in html, url


def test_markdown_keeps_only_safe_markup() -> None:
    class Picture:
        url, alt, width, height = "/bilder/7/a.png", "Et kart", 10, 20

    html = markdown.render("# Tittel\n\n![](bilde:7) ![](https://sporing.example/p.gif) ![x](bilde:8)", {7: Picture()})

    assert "<h2>Tittel</h2>" in html and "<h1" not in html
    assert '<img src="/bilder/7/a.png" alt="Et kart"' in html
    assert "sporing.example" not in html  # pictures only from the site's own library
    assert "x" in html  # an unknown picture leaves its text
    assert markdown.sanitize('<p onclick="x()">a</p><style>p{}</style>') == "<p>a</p>"


def test_a_rendered_text_is_kept_by_its_content_and_its_pictures() -> None:
    class Picture:
        url, alt, width, height = "/bilder/7/a.png", "Et kart", 10, 20

    text = "Se ![](bilde:7) og **dette**"
    first = markdown.render(text, {7: Picture()})
    assert markdown.render(text, {7: Picture()}) == first and "<strong>dette</strong>" in first

    Picture.alt = "Et nytt kart"  # the picture changed in the library: the text shows it
    assert 'alt="Et nytt kart"' in markdown.render(text, {7: Picture()})
    assert "<em>dette</em>" in markdown.render(text.replace("**", "*"), {7: Picture()})  # an edited text
    assert 'alt=""' not in markdown.render(text) and "<img" not in markdown.render(text)  # no such picture


def test_it_offers_rss_and_atom_per_office_and_for_the_site(client, make_article, world) -> None:
    make_article(world.vest, title="Vestnytt")
    make_article(None, title="Nasjonalt")

    vest_rss = client.get("/vest/nyheter/rss/")
    atom = client.get("/nyheter/atom/").content.decode()

    assert vest_rss["Content-Type"].startswith("application/rss+xml")
    assert "Vestnytt" in vest_rss.content.decode() and "Nasjonalt" not in vest_rss.content.decode()
    assert "<feed" in atom and "Vestnytt" in atom and "Nasjonalt" in atom


def test_it_has_open_graph_tags_on_a_news_item(client, make_article, world) -> None:
    article = make_article(world.vest, title="Delbar nyhet", summary="Kort om nyheten.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Delbar nyhet">' in html
    assert '<meta property="og:description" content="Kort om nyheten.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_the_sitemap_lists_published_content_only(client, make_article, world) -> None:
    published = make_article(world.vest, title="Synlig")
    draft = make_article(world.vest, title="Skjult", status=Status.DRAFT)

    xml = client.get("/sitemap.xml").content.decode()

    assert published.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert "/vest/" in xml and reverse("courses:calendar") in xml


def test_the_fixed_pages_answer_before_they_are_published(client) -> None:
    privacy = client.get("/personvernerklaering/").content.decode()
    page = Article.objects.get(role=Article.Role.PRIVACY)

    assert page.status == Status.DRAFT  # seeded by the migration, for the coordinator to review
    assert "Fyll inn" in page.body
    assert "ikke publisert ennå" in privacy and "Fyll inn" not in privacy

    page.status = Status.PUBLISHED
    page.save()
    assert "Fyll inn" in client.get("/personvernerklaering/").content.decode()


def test_questions_are_grouped_by_topic_and_searchable(client, world) -> None:
    plans = InquiryTopic.objects.get(name="Utdanningsplaner")
    grants = InquiryTopic.objects.get(name="ALIS-avtaler og tilskudd")
    first = Question.objects.create(
        office=world.vest, question="Hvem lager planen?", answer="Kommunen.", status=Status.PUBLISHED
    )
    first.topics.add(plans)
    second = Question.objects.create(
        office=world.nord, question="Når søker vi tilskudd?", answer="Innen fristen.", status=Status.PUBLISHED
    )
    second.topics.add(grants)

    html = client.get(reverse("website:questions")).content.decode()
    searched = client.get(reverse("website:questions"), {"q": "tilskudd"}).content.decode()

    # In the topics' order: «Utdanningsplaner» comes before «ALIS-avtaler og tilskudd».
    main = html[html.index("<main") :]
    assert (
        main.index(">Utdanningsplaner<") < main.index("Hvem lager planen?") < main.index(">ALIS-avtaler og tilskudd<")
    )
    assert main.index(">ALIS-avtaler og tilskudd<") < main.index("Når søker vi tilskudd?")
    assert "Når søker vi tilskudd?" in searched and "Hvem lager planen?" not in searched
    # Written once per data change and minute (core.tableversions): an answer changed outside the forms shows.
    Question.objects.filter(pk=first.pk).update(answer="Kommunen, med ALIS-en.")
    assert "Kommunen, med ALIS-en." in client.get(reverse("website:questions")).content.decode()


def test_the_library_offers_the_current_file_and_keeps_the_old(client, world, tmp_path) -> None:
    from django.core.files.base import ContentFile

    document = Document.objects.create(category="alis_agreement", title="ALIS-avtale", status=Status.PUBLISHED)
    old = DocumentVersion(document=document, label="2024", is_current=False)
    old.file.save("avtale-2024.pdf", ContentFile(b"%PDF-1.4 old"), save=True)
    new = DocumentVersion(document=document, label="2025", is_current=True)
    new.file.save("avtale-2025.pdf", ContentFile(b"%PDF-1.4 new"), save=True)

    listing = client.get(reverse("website:documents")).content.decode()
    detail = client.get(document.get_absolute_url()).content.decode()
    download = client.get(new.get_absolute_url())

    assert new.get_absolute_url() in listing and old.get_absolute_url() not in listing
    assert new.get_absolute_url() in detail and old.get_absolute_url() in detail
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 new"

    document.status = Status.DRAFT
    document.save()
    assert client.get(new.get_absolute_url()).status_code == 404


def test_office_sections_never_shadow_the_app() -> None:
    assert set(OFFICE_CODES) == {"nord", "midt", "vest", "sor", "ost", "oslo"}
    assert not set(OFFICE_CODES) & top_level_words()
    assert office_codes_are_free() == []
    for code in OFFICE_CODES:
        assert resolve(f"/{code}/").view_name == "website:office_home"
    for address, name in (
        ("/kurs/", "courses:calendar"),
        ("/oversikt/", "training:overview"),
        ("/nettsted/", "publishing:index"),
        ("/maler/", "website:documents"),
    ):
        assert resolve(address).view_name == name
    with pytest.raises(Exception):  # noqa: B017 -- Resolver404
        resolve("/kurs-vest/")


def test_the_check_refuses_an_office_code_that_is_an_app_address(monkeypatch) -> None:
    monkeypatch.setattr("website.checks.OFFICE_CODES", ("vest", "kurs"))

    errors = office_codes_are_free()

    assert [e.id for e in errors] == ["website.E001"] and "kurs" in errors[0].msg
    assert all(isinstance(e, checks.Error) for e in errors)


def test_an_unknown_office_code_is_not_found(client) -> None:
    assert client.get("/bergen/").status_code == 404


def test_the_overview_moved_to_oversikt(client, vest_user, settings) -> None:
    client.force_login(vest_user)

    old = client.get("/alis/oversikt/")

    assert old.status_code == 301 and old["Location"] == "/oversikt/"
    assert reverse("training:overview") == "/oversikt/"
    assert reverse(settings.LOGIN_REDIRECT_URL) == "/oversikt/"
    assert client.get("/").status_code == 200  # the site's root is the public website, for staff too


def test_staff_see_their_header_on_the_public_site(client, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get("/vest/").content.decode()

    assert 'class="site-header"' in html and 'class="public-header"' in html
    assert "Logg ut" in html and ">Logg inn<" not in html


def test_the_language_link_remembers_the_choice(client) -> None:
    response = client.get(reverse("website:language", args=["en"]), {"next": "/vest/"})
    elsewhere = client.get(reverse("website:language", args=["en"]), {"next": "https://evil.example/"})

    assert response.status_code == 302 and response["Location"] == "/vest/"
    assert response.cookies["django_language"].value == "en"
    assert elsewhere["Location"] == "/"
    assert "ALIS offices" in client.get("/").content.decode()


def test_public_pages_are_cacheable_for_visitors(client, world) -> None:
    response = client.get("/vest/")

    assert "public" in response["Cache-Control"] and "Cookie" in response["Vary"]
    assert not response.cookies


def test_the_closed_signup_gives_the_offices_address(client, world) -> None:
    OfficeProfile.objects.create(office=world.vest, email="post@vest.alis.example", phone="55 55 55 55")
    course = Course.objects.create(
        office=world.vest,
        title="Emnekurs",
        capacity=10,
        published=True,
        place="Bergen",
        signup_deadline=timezone.localdate() - timedelta(days=1),
    )
    Gathering.objects.create(
        course=course, start=timezone.localdate() + timedelta(days=20), end=timezone.localdate() + timedelta(days=21)
    )

    html = client.get(reverse("courses:signup", args=[course.pk])).content.decode()

    assert "Påmeldingen til dette kurset er stengt" in html
    assert 'href="mailto:post@vest.alis.example"' in html and "55 55 55 55" in html


def test_the_front_page_reads_a_bounded_number_of_rows(
    client, make_article, world, django_assert_max_num_queries
) -> None:
    for number in range(15):
        make_article(world.vest if number % 2 else world.nord, title=f"Nyhet {number}")

    with django_assert_max_num_queries(12):
        client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/vest/")
    with django_assert_max_num_queries(10):
        client.get("/nyheter/")

"""News and pages in bokmål and nynorsk: the reader sees their language's version, else bokmål, and is told."""

import pytest
from django.utils import translation

from website.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def test_a_nynorsk_reader_gets_the_nynorsk_version(client, make_article, world) -> None:
    article = make_article(
        world.vest, title="Nytt kurs", body="Påmelding nå.", title_nn="Nytt kurs i Bergen", body_nn="Meld deg på no."
    )
    client.cookies["django_language"] = "nn"

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<html lang="nn"' in html
    assert "Nytt kurs i Bergen" in html and "Meld deg på no." in html
    assert "Påmelding nå." not in html
    assert "Denne teksten finnes bare på bokmål." not in html
    assert 'class="ds-alert" data-color="info"' not in html


def test_a_bokmal_reader_gets_the_bokmal_version(client, make_article, world) -> None:
    article = make_article(world.vest, title="Nytt kurs", body="Påmelding nå.", title_nn="Nytt kurs i Bergen")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Påmelding nå." in html and "Nytt kurs i Bergen" not in html
    assert 'class="ds-alert" data-color="info"' not in html


def test_without_a_nynorsk_version_the_page_shows_bokmal_and_says_so(client, make_article, world) -> None:
    page = make_article(
        None, kind=Article.Kind.PAGE, title="Om oss", slug="om-oss-test", body="Allmennleger i spesialisering."
    )
    client.cookies["django_language"] = "nn"

    html = client.get(page.get_absolute_url()).content.decode()

    assert "Allmennleger i spesialisering." in html
    assert '<article class="prose-page" lang="nb">' in html  # read out as bokmål
    with translation.override("nn"):
        notice = translation.gettext("Denne teksten finnes bare på bokmål.")
    assert f'<div class="ds-alert" data-color="info" data-size="sm" lang="nn"><p>{notice}</p></div>' in html
    assert notice == "Denne teksten finst berre på bokmål."  # fails until the nn catalogue is compiled

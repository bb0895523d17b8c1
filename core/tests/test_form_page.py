"""The one form page (core.editing.form_page) and the confirmation page, as a person meets them."""

import re

import pytest
from django.urls import reverse

from registry.models import Contact, GpOffice


def _summary(html: str) -> str:
    found = re.search(r"<ds-error-summary.*?</ds-error-summary>", html, re.DOTALL)
    assert found, "no error summary"
    return found.group(0)


def test_a_form_with_errors_lists_them_at_the_top_linked_to_the_fields(client, world, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(reverse("registry:gp_office_create"), {"name": "", "postal_code": "50A3"})

    html = response.content.decode()
    summary = _summary(html)
    assert 'tabindex="-1" autofocus' in summary
    assert '<a href="#id_name">Navn – Fyll ut feltet.</a>' in summary
    assert '<a href="#id_municipality">Kommune – Velg et alternativ.</a>' in summary
    assert '<a href="#id_postal_code">Postnummer – Postnummeret har fire sifre.</a>' in summary
    name_input = re.search(r'<input [^>]*name="name"[^>]*>', html).group(0)
    assert 'aria-describedby="id_name_error"' in name_input and 'aria-invalid="true"' in name_input
    assert "<title>Feil: Nytt legekontor – ALIS-oversikt</title>" in html
    assert GpOffice.objects.count() == 0


def test_a_form_without_errors_has_no_summary_and_a_plain_title(client, world, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("registry:gp_office_create")).content.decode()

    assert "ds-error-summary" not in html
    assert "<title>Nytt legekontor – ALIS-oversikt</title>" in html


def test_choices_are_a_fieldset_of_checkboxes_linked_from_the_summary(client, world, coordinator) -> None:
    client.force_login(coordinator)

    html = client.post(reverse("registry:health_trust_create"), {"municipalities": ["999"]}).content.decode()

    assert '<fieldset class="ds-fieldset" id="id_municipalities"' in html
    assert '<legend class="ds-label">Kommuner i opptaksområdet</legend>' in html
    assert f'<input type="checkbox" name="municipalities" value="{world.bergen.pk}" class="ds-input"' in html
    assert '<a href="#id_municipalities_0">Kommuner i opptaksområdet – Velg et av alternativene i listen.</a>' in html


def test_cancel_returns_to_where_the_user_came_from(client, records, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("registry:contact_edit", args=[records.vest_contact.pk])

    came_from = client.get(url, HTTP_REFERER="http://testserver/register/kommuner/?q=berg").content.decode()
    asked = client.get(url + "?next=/register/leger/").content.decode()
    plain = client.get(url).content.decode()

    assert '<a class="ds-link" href="/register/kommuner/?q=berg">Avbryt</a>' in came_from
    assert '<input type="hidden" name="next" value="/register/kommuner/?q=berg">' in came_from
    assert '<a class="ds-link" href="/register/leger/">Avbryt</a>' in asked
    detail = reverse("registry:municipality_detail", args=[records.vest_contact.municipality_id])
    assert f'<a class="ds-link" href="{detail}">Avbryt</a>' in plain


@pytest.mark.parametrize("where", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_cancel_never_leads_off_the_site(client, records, vest_user, where: str) -> None:
    client.force_login(vest_user)
    url = reverse("registry:contact_edit", args=[records.vest_contact.pk])

    html = client.get(url, {"next": where}, HTTP_REFERER=where).content.decode()

    cancel = re.search(r'<a class="ds-link" href="([^"]*)">Avbryt</a>', html).group(1)
    assert cancel == reverse("registry:municipality_detail", args=[records.vest_contact.municipality_id])
    assert 'name="next"' not in html.split("<main", 1)[1]


def test_the_form_page_asks_the_abilities(client, records, coordinator) -> None:
    """The coordinator reads Vest's contacts but does not keep them: 403, and nothing saved."""
    client.force_login(coordinator)
    url = reverse("registry:contact_edit", args=[records.vest_contact.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"role": "post_box", "name": "Ny", "seen_version": "1"}).status_code == 403
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.name == "Vera Vestre"


def test_the_form_page_shows_the_way_back(client, records, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("registry:contact_edit", args=[records.vest_contact.pk])).content.decode()

    nav = re.search(r'<nav class="ds-breadcrumbs".*?</nav>', html, re.DOTALL).group(0)
    assert '<a class="ds-link" href="/register/kommuner/">Kommuner</a>' in nav
    assert f'href="/register/kommuner/{records.vest_contact.municipality_id}/">Bergen</a>' in nav
    assert 'aria-current="page">Endre kontaktperson</a>' in nav
    detail = f"/register/kommuner/{records.vest_contact.municipality_id}/"
    assert f'<a class="ds-link" href="{detail}">Tilbake til Bergen</a>' in nav


def test_it_saves_shows_the_message_and_goes_on(client, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("registry:contact_edit", args=[records.vest_contact.pk])
    data = form_data(client.get(url).context["form"]) | {"phone": "55 55 55 55"}

    response = client.post(url, data, follow=True)

    detail = reverse("registry:municipality_detail", args=[records.vest_contact.municipality_id])
    assert response.redirect_chain[-1][0] == detail
    assert "Kontaktpersonen er lagret." in response.content.decode()
    assert Contact.objects.get(pk=records.vest_contact.pk).phone == "55 55 55 55"

"""The header, the menus and the current page, drawn from core/navigation.py by base.html."""

import re

import pytest
from django.urls import reverse

from core.navigation import MAIN, SUB


def _nav(html: str, label: str) -> str:
    found = re.search(rf'<nav class="[^"]*" aria-label="{label}">.*?</nav>', html, re.DOTALL)
    assert found, f"no navigation {label!r}"
    return found.group(0)


def test_the_header_has_a_menu_button_that_opens_the_menu_without_a_script(client, world, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("registry:municipality_list")).content.decode()

    assert '<button type="button" class="site-menu-button" popovertarget="site-menu"' in html
    assert '<div class="site-menu" id="site-menu" popover>' in html
    assert "<script>" not in html  # only files of this site, with the nonce


def test_the_current_area_and_page_are_marked(client, records, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("registry:doctor_detail", args=[records.vest_doctor.pk])).content.decode()

    assert '<a href="/register/kommuner/" aria-current="true">Register</a>' in _nav(html, "Hovedmeny")
    sub = _nav(html, "Register")
    assert '<a href="/register/leger/" aria-current="true">Leger</a>' in sub
    assert '<a href="/register/kommuner/">Kommuner</a>' in sub


def test_the_page_itself_is_marked_as_the_page(client, world, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("supervision:compliance")).content.decode()

    current = '<a href="/veiledning/oppfolging/" aria-current="page">Oppfølging av veiledning</a>'
    assert current in _nav(html, "Veiledning")


@pytest.mark.parametrize("area", sorted(SUB))
def test_every_area_has_its_sub_navigation(client, world, vest_user, area: str) -> None:
    client.force_login(vest_user)
    first = next(link for link in SUB[area] if link.is_shown(vest_user))

    html = client.get(reverse(first.url_name)).content.decode()

    assert f'<a href="{reverse(first.url_name)}" aria-current="page">{first.label}</a>' in html


def test_the_reader_is_offered_only_what_the_reader_may_open(client, world, reader) -> None:
    client.force_login(reader)

    html = client.get(reverse("supervision:pool")).content.decode()

    assert "/veiledning/veiledere/" not in html and "/veiledning/import/" not in html
    assert "/register/leger/" not in client.get(reverse("registry:county_list")).content.decode()


def test_every_menu_entry_opens_for_those_it_is_shown_to(client, world, vest_user, coordinator, reader, admin_user):
    from django.core.management import call_command

    call_command("load_grant_rates", verbosity=0)  # the calculator needs a rate period
    for user in (vest_user, coordinator, reader, admin_user):
        client.force_login(user)
        for link in [*MAIN, *(link for links in SUB.values() for link in links)]:
            if link.is_shown(user):
                response = client.get(reverse(link.url_name), follow=True)
                assert response.status_code == 200, (user.username, link.url_name)

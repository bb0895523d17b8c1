"""core.paths.path_for gives what reverse gives, without walking the URL conf for every row."""

import pytest
from django.urls import NoReverseMatch, reverse

from core.paths import path_for


@pytest.mark.parametrize("name", ["training:detail", "supervision:proposals", "registry:doctor_detail"])
def test_path_for_is_reverse(name):
    make = path_for(name)
    for pk in (1, 42, 123456):
        assert make(pk) == reverse(name, args=[pk])


def test_a_page_without_one_number_is_refused():
    with pytest.raises(NoReverseMatch):
        path_for("training:list")


def test_the_other_arguments_are_the_same_for_every_row():
    make = path_for("courses:attendance", 7)
    for pk in (1, 42, 123456):
        assert make(pk) == reverse("courses:attendance", args=[pk, 7])
    assert path_for("courses:attendance", 8)(1) == reverse("courses:attendance", args=[1, 8])


def test_url_of_is_reverse_and_follows_the_url_conf(settings):
    from core.paths import url_of

    assert url_of("courses:list") == reverse("courses:list")
    assert url_of("website:language", "nn") == reverse("website:language", args=["nn"])
    settings.ROOT_URLCONF = "demo.bench_urls"  # another URL conf is another key
    assert url_of("courses:list") == reverse("courses:list")

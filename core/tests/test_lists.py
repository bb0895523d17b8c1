"""Sorting, paging and filtering of the list pages, with their state in the query string."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from core.lists import Column, list_page
from core.templatetags.alis import query_with
from registry.forms import MunicipalityFilterForm
from registry.models import Municipality

COLUMNS = [
    Column("number", "Nr.", ("number",)),
    Column("centrality", "Sentralitet", ("centrality", "number"), numeric=True),
    Column("county", "Fylke", ("county__name", "number")),
    Column("notes", "Merknader"),  # shown, not sortable
]


def _get(**params):
    return RequestFactory().get("/", params)


@pytest.fixture
def municipalities(world):
    """Bergen 4601 (1), Bodø 1804 (3), Solund 4636 (6), Moskenes 1874 (unknown), Voss 4621 (unknown)."""
    for number, name, county, centrality in [
        ("4636", "Solund", world.vestland, 6),
        ("1874", "Moskenes", world.nordland, None),
        ("4621", "Voss", world.vestland, None),
    ]:
        Municipality.objects.create(number=number, name=name, name_norwegian=name, county=county, centrality=centrality)
    return world


def _numbers(listing) -> list[str]:
    return [m.number for m in listing.rows]


def test_it_sorts_by_the_default_column(municipalities) -> None:
    listing = list_page(_get(), Municipality.objects.all(), columns=COLUMNS, default_sort="number")

    assert _numbers(listing) == ["1804", "1874", "4601", "4621", "4636"]
    assert listing.sort == "number"


def test_it_sorts_unknown_values_last_both_ways(municipalities) -> None:
    up = list_page(_get(sort="centrality"), Municipality.objects.all(), columns=COLUMNS, default_sort="number")
    down = list_page(_get(sort="-centrality"), Municipality.objects.all(), columns=COLUMNS, default_sort="number")

    assert _numbers(up) == ["4601", "1804", "4636", "1874", "4621"]
    assert _numbers(down) == ["4636", "1804", "4601", "4621", "1874"]


@pytest.mark.parametrize("sort", ["notes", "-notes", "pk", "name; DROP TABLE", ""])
def test_it_ignores_a_column_it_can_not_sort_by(municipalities, sort: str) -> None:
    listing = list_page(_get(sort=sort), Municipality.objects.all(), columns=COLUMNS, default_sort="-number")

    assert listing.sort == "-number"
    assert _numbers(listing) == ["4636", "4621", "4601", "1874", "1804"]


def test_it_breaks_ties_the_same_way_every_time(world) -> None:
    for i in range(5):
        Municipality.objects.create(number=f"46{50 + i}", name="Lik", name_norwegian="Lik", county=world.vestland)

    listing = list_page(_get(sort="county"), Municipality.objects.all(), columns=COLUMNS, default_sort="number")

    assert _numbers(listing) == ["1804", "4601", "4650", "4651", "4652", "4653", "4654"]


def test_it_pages_and_keeps_the_rest_of_the_query(municipalities) -> None:
    request = _get(sort="-number", county="46", page="2")

    listing = list_page(request, Municipality.objects.all(), columns=COLUMNS, default_sort="number", per_page=2)

    assert _numbers(listing) == ["4601", "1874"]
    assert (listing.page.number, listing.page.paginator.num_pages, listing.page.paginator.count) == (2, 3, 5)
    assert listing.query.dict() == {"sort": "-number", "county": "46"}


@pytest.mark.parametrize(("page", "shown"), [("99", 3), ("abc", 1), ("0", 3), ("-1", 3)])
def test_it_shows_a_real_page_for_a_page_number_out_of_range(municipalities, page: str, shown: int) -> None:
    listing = list_page(_get(page=page), Municipality.objects.all(), columns=COLUMNS, default_sort="number", per_page=2)

    assert listing.page.number == shown


def test_a_column_heading_knows_its_state_and_its_next_sort(municipalities) -> None:
    listing = list_page(_get(sort="-centrality"), Municipality.objects.all(), columns=COLUMNS, default_sort="number")

    assert (listing.sort_state("centrality"), listing.sort_link("centrality")) == ("descending", "centrality")
    assert (listing.sort_state("number"), listing.sort_link("number")) == ("none", "number")
    ascending = list_page(_get(sort="number"), Municipality.objects.all(), columns=COLUMNS, default_sort="number")
    assert (ascending.sort_state("number"), ascending.sort_link("number")) == ("ascending", "-number")


def test_query_with_replaces_and_drops_parameters() -> None:
    query = QueryDict("q=bod&sort=name&office=nord")

    assert query_with(query, page=2) == "?q=bod&sort=name&office=nord&page=2"
    assert query_with(query, sort="-name", office="") == "?q=bod&sort=-name"
    assert query_with(QueryDict(""), page=None) == "?"
    assert query_with(QueryDict("q=a b&x=æ")) == "?q=a+b&x=%C3%A6"


# The filter form above each list


def test_staff_start_in_their_own_region(municipalities, vest_user) -> None:
    form = MunicipalityFilterForm(QueryDict(""), user=vest_user)

    assert [m.number for m in form.filter(Municipality.objects.with_registration_status())] == ["4601", "4621", "4636"]
    assert form["office"].value() == "vest"


def test_staff_may_choose_all_regions(municipalities, vest_user) -> None:
    form = MunicipalityFilterForm(QueryDict("office="), user=vest_user)

    assert form.filter(Municipality.objects.with_registration_status()).count() == 5


def test_the_coordinator_starts_in_all_regions(municipalities, coordinator) -> None:
    form = MunicipalityFilterForm(QueryDict(""), user=coordinator)

    assert form.filter(Municipality.objects.with_registration_status()).count() == 5
    assert [choice[0] for choice in form.fields["office"].choices] == ["", "nord", "vest"]


def test_every_word_of_a_search_must_match_some_field(municipalities, coordinator) -> None:
    def found(text: str) -> list[str]:
        form = MunicipalityFilterForm(QueryDict(f"q={text}"), user=coordinator)
        return sorted(m.number for m in form.filter(Municipality.objects.with_registration_status()))

    assert found("46") == ["4601", "4621", "4636"]
    assert found("46 voss") == ["4621"]
    assert found("VOSS") == ["4621"]
    assert found("voss bergen") == []
    assert found("  ") == ["1804", "1874", "4601", "4621", "4636"]


def test_an_invalid_filter_shows_nothing_rather_than_everything(municipalities, coordinator) -> None:
    form = MunicipalityFilterForm(QueryDict("office=ukjent"), user=coordinator)

    assert form.filter(Municipality.objects.with_registration_status()).count() == 0
    assert "office" in form.errors


# The one list page as it is drawn (core/_list.html)


@pytest.mark.parametrize(
    ("current", "total", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, None, 10]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
        (4, 10, [1, 2, 3, 4, 5, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (1, 0, []),
    ],
)
def test_the_pages_shown_are_the_first_the_last_and_a_window(current: int, total: int, shown: list) -> None:
    from core.lists import page_window

    assert page_window(current, total) == shown


def _render(listing, **context) -> str:
    from django.template.loader import render_to_string

    request = _get()
    return render_to_string("core/_list.html", {"listing": listing, **context}, request=request)


def _listing(request, columns=COLUMNS, **kwargs):
    return list_page(
        request, Municipality.objects.select_related("county"), columns=columns, default_sort="number", **kwargs
    )


def test_it_counts_with_grouped_digits_and_no_range_on_a_single_page(municipalities) -> None:
    html = _render(_listing(_get(), caption="Kommuner"))

    assert "5 treff" in html and "viser" not in html


def test_a_later_page_says_which_rows_it_shows(municipalities) -> None:
    html = _render(_listing(_get(page="2"), per_page=2, caption="Kommuner"))

    assert "5 treff, viser 3–4" in html
    assert '<nav class="ds-pagination" aria-label="Sidenavigering">' in html
    assert 'aria-label="Side 2" aria-current="true"' in html
    assert ">Forrige</a>" in html and ">Neste</a>" in html


def test_an_empty_list_says_so_instead_of_0_treff(world) -> None:
    listing = list_page(
        _get(q="ingen"),
        Municipality.objects.none(),
        columns=COLUMNS,
        default_sort="number",
        empty_text="Ingen kommuner.",
    )

    html = _render(listing)

    assert "Ingen kommuner." in html
    assert "0 treff" not in html and "<table" not in html and "ds-pagination" not in html


def test_the_table_scrolls_in_a_labelled_focusable_region_and_labels_each_cell(municipalities) -> None:
    html = _render(_listing(_get(), caption="Kommuner i landet"))

    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Kommuner i landet">' in html
    assert '<th scope="row" data-label="Nr.">1804</th>' in html
    assert '<td data-label="Sentralitet" class="num">3</td>' in html


def test_sortable_headings_are_buttons_that_keep_the_filters(municipalities) -> None:
    html = _render(_listing(_get(sort="-centrality", county="46")))

    assert '<form id="list-sort" method="get" action="/" hidden>' in html
    assert '<input type="hidden" name="county" value="46">' in html
    assert '<input type="hidden" name="sort"' not in html
    assert (
        '<th scope="col" aria-sort="descending" class="num">\n'
        '    <button type="submit" form="list-sort" name="sort" value="centrality">Sentralitet</button>'
    ) in html
    assert '<th scope="col">Merknader</th>' in html


def test_cells_are_escaped_linked_and_formatted(world) -> None:
    from core.lists import Column

    Municipality.objects.filter(pk=world.bergen.pk).update(notes="<script>")
    columns = [
        Column("name", "Kommune", ("name",), link=lambda m: f"/k/{m.pk}/"),
        Column("notes", "Merknader"),
        Column("sami_area", "Samisk"),
        Column("population", "Folketall", numeric=True, value=lambda m: 285911),
    ]

    html = _render(_listing(_get(q="x"), columns=columns))

    assert f'<a href="/k/{world.bergen.pk}/">Bergen</a>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<td data-label="Samisk">nei</td>' in html
    assert '<td data-label="Folketall" class="num">285\u00a0911</td>' in html


def test_the_export_links_keep_the_filters(municipalities) -> None:
    from core.export import ExportColumn
    from core.lists import Export

    html = _render(_listing(_get(county="46", page="1"), export=Export([ExportColumn("Nr.", "number")], "kommuner")))

    assert 'href="?county=46&amp;eksport=xlsx"' in html and 'href="?county=46&amp;eksport=csv"' in html


def test_a_sort_says_empty_values_last_only_where_there_can_be_any():
    from core.lists import _nullable
    from office.models import Inquiry
    from training.models import Training

    assert not _nullable(Inquiry, "date") and not _nullable(Inquiry, "pk")
    assert not _nullable(Training, "doctor__last_name")  # a required relation's required field
    assert _nullable(Inquiry, "doctor__last_name")  # the doctor is optional: an outer join
    assert _nullable(Training, "ended_on")
    assert _nullable(Training, "supervisor_name")  # an annotation


def test_a_choice_column_shows_what_the_model_s_display_method_shows(world, vest_training):
    from core.lists import Column, _display_field
    from training.models import Training

    assert _display_field(Training, "get_status_display") == "status"
    assert _display_field(Training, "get_full_name") == ""  # not a choices method
    for path in ("get_status_display", "get_scheme_display", "get_contract_display"):
        assert Column("x", "X", value=path).cell(vest_training) == getattr(vest_training, path)()
    vest_training.status = "unknown-value"  # not among the choices: shown as it is, as Django does
    assert Column("x", "X", value="get_status_display").cell(vest_training) == "unknown-value"


def test_a_choice_label_is_the_models_own_in_the_active_language() -> None:
    from django.utils import translation

    from core.lists import choice_label
    from training.models import Scheme, Training

    training = Training(scheme=Scheme.OLD)
    for language, label in (("nb", "Gammel ordning"), ("en", "Old scheme"), ("nb", "Gammel ordning")):
        with translation.override(language):
            assert choice_label(training, "scheme") == training.get_scheme_display() == label
    training.scheme = "unknown"  # a value outside the choices shows as itself, as Django's method does
    assert choice_label(training, "scheme") == "unknown"

"""The municipality's official language form (målform): set by hand or imported from Språkrådet's list."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.models import Change
from registry import language_forms
from registry.models import LanguageForm, Municipality, message_language

pytestmark = pytest.mark.django_db


def _csv(*rows: str, header: str = "Kommunenummer;Kommune;Målform") -> bytes:
    return "\r\n".join([header, *rows]).encode("utf-8")


def test_only_nynorsk_municipalities_get_nynorsk():
    assert message_language(LanguageForm.NYNORSK) == "nn"
    assert [message_language(f) for f in (LanguageForm.BOKMAL, LanguageForm.NEUTRAL, LanguageForm.UNKNOWN)] == [
        "nb",
        "nb",
        "nb",
    ]


def test_the_form_is_unknown_until_someone_sets_it(world):
    assert world.bergen.language_form == LanguageForm.UNKNOWN
    assert world.bergen.get_language_form_display() == "ukjent"


def test_an_office_sets_the_form_by_hand_with_history(client, world, vest_user, form_data):
    client.force_login(vest_user)
    url = reverse("registry:municipality_edit", args=[world.bergen.pk])
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["language_form"].choices] == ["", "nynorsk", "bokmal", "neutral"]

    response = client.post(url, form_data(form) | {"language_form": "nynorsk"})

    assert response.status_code == 302
    world.bergen.refresh_from_db()
    assert world.bergen.language_form == LanguageForm.NYNORSK
    change = Change.objects.filter(object_id=world.bergen.pk, content_type__model="municipality").get()
    assert change.fields == {"language_form": ["ukjent", "nynorsk"]}
    page = client.get(response["Location"]).content.decode()
    assert "<dt>Målform</dt><dd>nynorsk</dd>" in page


def test_another_region_can_not_set_it(client, world, nord_user):
    client.force_login(nord_user)  # municipalities are seen by every office, changed by their own

    response = client.post(reverse("registry:municipality_edit", args=[world.bergen.pk]), {"language_form": "bokmal"})

    assert response.status_code == 403
    world.bergen.refresh_from_db()
    assert world.bergen.language_form == LanguageForm.UNKNOWN


def test_it_imports_the_list_with_history(world):
    plan = language_forms.parse(data=_csv("4601;Bergen;Nøytral", "1804;Bodø;bokmål"))

    assert (plan.errors, plan.unchanged, plan.blank) == ([], 0, 0)
    assert [(c.number, c.old, c.new) for c in plan.changes] == [("4601", "", "neutral"), ("1804", "", "bokmal")]
    assert language_forms.apply(plan=plan) == 2
    world.bergen.refresh_from_db()
    world.bodo.refresh_from_db()
    assert (world.bergen.language_form, world.bergen.version) == (LanguageForm.NEUTRAL, 2)
    assert world.bodo.language_form == LanguageForm.BOKMAL
    assert Change.objects.filter(user=None, fields__has_key="language_form").count() == 2


def test_an_empty_form_or_a_missing_municipality_changes_nothing(world):
    plan = language_forms.parse(data=_csv("4601;Bergen;"))

    assert (plan.changes, plan.blank, plan.errors) == ([], 1, [])


def test_it_writes_nothing_when_a_row_is_wrong(world, write):
    data = _csv("4601;Bergen;nynorsk", "9999;Ukjent;bokmål", "1804;Bodø;samisk", "4601;Bergen;nynorsk")
    out = StringIO()

    with pytest.raises(CommandError, match=r"Fila har 3 feil; ingenting er lagret\."):
        call_command("import_language_forms", write(data), stdout=out)

    text = out.getvalue()
    assert "Rad 3: kommune 9999 finnes ikke i registeret." in text
    assert "Rad 4: «samisk» er ikke en målform (nynorsk, bokmål eller nøytral)." in text
    assert "Rad 5: kommune 4601 står også på rad 2." in text
    assert not Municipality.objects.exclude(language_form="").exists()


def test_it_refuses_a_file_without_the_columns(world):
    with pytest.raises(language_forms.LanguageFormFileError, match="Fant ikke kolonnene"):
        language_forms.parse(data=_csv("4601;Bergen", header="nr;navn"))


def test_the_command_has_a_dry_run(world, write):
    out = StringIO()

    call_command("import_language_forms", write(_csv("4601;Bergen;Nynorsk")), "--dry-run", stdout=out)

    assert "4601 Bergen: ukjent → nynorsk" in out.getvalue()
    assert "Prøvekjøring: ingenting er lagret." in out.getvalue()
    world.bergen.refresh_from_db()
    assert world.bergen.language_form == LanguageForm.UNKNOWN


def test_it_refuses_to_save_over_a_change_made_after_reading(world):
    plan = language_forms.parse(data=_csv("4601;Bergen;nynorsk"))
    Municipality.objects.filter(pk=world.bergen.pk).update(language_form=LanguageForm.BOKMAL)

    with pytest.raises(language_forms.LanguageFormApplyError):
        language_forms.apply(plan=plan)

    world.bergen.refresh_from_db()
    assert world.bergen.language_form == LanguageForm.BOKMAL


@pytest.fixture
def write(tmp_path):
    def write(data: bytes) -> str:
        path = tmp_path / "malvedtak.csv"
        path.write_bytes(data)
        return str(path)

    return write

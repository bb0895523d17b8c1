"""Helpers for tests that answer a mapping through its task list as a municipality would: page by page."""

from django.urls import reverse

from survey.models import Invitation


def overview(invitation: Invitation) -> str:
    return reverse("survey:answer", args=[invitation.token])


def section_url(invitation: Invitation, key: str) -> str:
    return reverse("survey:answer_section", args=[invitation.token, key])


def check_url(invitation: Invitation) -> str:
    return reverse("survey:answer_check", args=[invitation.token])


def _value(value) -> str | list[str]:
    if isinstance(value, list | tuple):
        return [str(v.pk if hasattr(v, "pk") else v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def shown(response) -> dict:
    """The POST a person sends who changes nothing: every field of the section's page as it is shown."""
    data = {}
    for form in response.context["built"].all():
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if value is None or value is False or value in ("", []):
                continue
            data[form.add_prefix(name)] = "on" if value is True else _value(value)
    return data


def section_keys(client, invitation: Invitation) -> list[str]:
    return [section.key for section in client.get(overview(invitation)).context["answer"].sections]


def finish(client, invitation: Invitation, key: str, changes: dict | None = None, *, action: str = "done"):
    """Open a section, change what `changes` says (None removes a field), and press «Lagre og gå videre»."""
    data = shown(client.get(section_url(invitation, key)))
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(section_url(invitation, key), {**data, "action": action})


def finish_all(client, invitation: Invitation, changes: dict[str, dict] | None = None) -> None:
    """Finish every section (with the changes given by section key), checking that each is saved."""
    for key in section_keys(client, invitation):
        response = finish(client, invitation, key, (changes or {}).get(key))
        assert response.status_code == 302, (key, response.context and response.context["built"].errors)


def send(client, invitation: Invitation, name: str = "Vera Vestre", comment: str = ""):
    data = {"svar-answered_by": name, "svar-comment": comment, "action": "send"}
    return client.post(check_url(invitation), data)

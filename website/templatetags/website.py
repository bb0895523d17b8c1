from django import template

from website.context_processors import office_contacts

register = template.Library()


@register.simple_tag
def office_contact(office) -> dict | None:
    """The contact an office publishes: {"email", "phone", "url"} (for «Ta kontakt med ALIS-kontoret»)."""
    return next((row for row in office_contacts() if row["office"].pk == office.pk), None)

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from core.paths import url_of
from registry.models import Office


def office_contacts() -> list[dict]:
    """Each office with the contact it publishes (its website profile, else the office's e-mail)."""
    rows = []
    for office in Office.objects.select_related("site_profile").order_by("ordering", "name"):
        profile = getattr(office, "site_profile", None)
        rows.append(
            {
                "office": office,
                "email": (profile.email if profile else "") or office.email,
                "phone": profile.phone if profile else "",
                "url": reverse("website:office_home", args=[office.code]),
            }
        )
    return rows


def public_site(request: HttpRequest) -> dict:
    """For the public header and footer: the offices' contacts (read only when a page shows them) and the
    language links, which come back to the page they were chosen on."""
    from django.conf import settings

    here = request.get_full_path()
    return {
        "site_offices": SimpleLazyObject(office_contacts),
        "language_links": [
            (code, label, url_of("website:language", code) + "?" + urlencode({"next": here}))
            for code, label in settings.LANGUAGES
        ],
    }

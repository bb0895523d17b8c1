"""The administrator's privacy pages: the read log (all of it, per user, per doctor), and a doctor's rights as
data subject: everything held about them (JSON and PDF) and their erasure by anonymisation.

Only the administrator opens them (`may(user, "view", Read)`: the read log is listed in no rule of the
abilities, so it is the administrator's alone).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.abilities import require
from core import readlog
from core.editing import Refused, confirm_page
from core.lists import Column, list_page, render_list
from core.models import Read
from core.navigation import crumbs
from privacy import services, subject
from privacy.forms import ReadFilterForm
from registry.models import Doctor

User = get_user_model()


def _require_administrator(request: HttpRequest) -> None:
    require(request.user, "view", Read)


def _user_link(read: Read) -> str:
    return format_html('<a href="{}">{}</a>', reverse("privacy:user_reads", args=[read.user_id]), read.user.username)


def _doctor_link(read: Read) -> str:
    if read.doctor_id is None:
        if read.object_id is None:
            return ""
        return _("%(kind)s nr. %(id)s") % {"kind": read.content_type.name, "id": read.object_id}
    return format_html(
        '<a href="{}">{}</a>', reverse("privacy:doctor_reads", args=[read.doctor_id]), read.doctor.full_name
    )


def _what(read: Read) -> str:
    if read.kind == Read.Kind.RECORD:
        return read.content_type.name if read.content_type_id else read.get_kind_display()
    rows = ngettext("%(rows)s rad", "%(rows)s rader", read.rows) % {"rows": read.rows} if read.rows is not None else ""
    kind = capfirst(read.get_kind_display())
    return ", ".join(filter(None, [f"{kind}: {read.label}" if read.label else kind, rows]))


def _page(read: Read) -> str:
    if read.channel == Read.Channel.API:
        return f"{read.page} ({read.get_channel_display()}{', ' + read.token if read.token else ''})"
    return read.page


AT = Column("at", gettext_lazy("Tidspunkt"), ("at",), value=lambda r: timezone.localtime(r.at))
USER = Column("user", gettext_lazy("Bruker"), ("user__username", "at"), value=_user_link)
PERSON = Column("person", gettext_lazy("Person"), value=_doctor_link)
WHAT = Column("what", gettext_lazy("Hva"), value=_what)
PAGE = Column("page", gettext_lazy("Side"), value=_page)


def _reads(request: HttpRequest, reads, *, columns: list[Column], template: str, context: dict, **filters):
    form = ReadFilterForm(request.GET, user=request.user, **filters)
    queryset = reads.select_related("user", "doctor", "content_type")
    listing = list_page(
        request,
        form.filter(queryset),
        columns=columns,
        default_sort="-at",
        caption=context["title"],
        empty_text=_("Ingen lesinger passer til filteret."),
    )
    return render_list(request, template, listing, {"form": form, **context})


def read_list(request: HttpRequest) -> HttpResponse:
    """The whole read log, newest first: who read what, when, on which page."""
    _require_administrator(request)
    context = {
        "title": _("Lesingslogg"),
        "retention_years": round(settings.READ_LOG_RETENTION_DAYS / 365.25),
        "breadcrumbs": crumbs((_("Sikkerhetslogg"), reverse("auth_event_list")), _("Lesingslogg")),
    }
    return _reads(
        request,
        Read.objects.all(),
        columns=[AT, USER, PERSON, WHAT, PAGE],
        template="privacy/read_list.html",
        context=context,
        whole_log=True,
    )


def user_reads(request: HttpRequest, pk: int) -> HttpResponse:
    """What one user has read."""
    _require_administrator(request)
    reader = get_object_or_404(User, pk=pk)
    title = _("Lest av %(user)s") % {"user": reader.get_full_name() or reader.username}
    context = {
        "title": title,
        "reader": reader,
        "breadcrumbs": crumbs((_("Lesingslogg"), reverse("privacy:read_list")), title),
    }
    return _reads(
        request,
        Read.objects.filter(user=reader),
        columns=[AT, PERSON, WHAT, PAGE],
        template="privacy/user_reads.html",
        context=context,
    )


def _doctor(pk: int) -> Doctor:
    return get_object_or_404(Doctor.objects.select_related("municipality__county__office", "gp_office"), pk=pk)


def _doctor_crumbs(doctor: Doctor, *more) -> list:
    return crumbs(
        (_("Leger"), reverse("registry:doctor_list")),
        (doctor.full_name, reverse("registry:doctor_detail", args=[doctor.pk])),
        *more,
    )


def doctor_reads(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has read about one doctor, when, and on which page."""
    _require_administrator(request)
    doctor = _doctor(pk)
    readlog.read(request, doctor)
    title = _("Hvem har lest om %(name)s") % {"name": doctor.full_name}
    context = {
        "title": title,
        "doctor": doctor,
        "breadcrumbs": _doctor_crumbs(doctor, (_("Personvern"), reverse("privacy:doctor", args=[pk])), _("Lesinger")),
    }
    return _reads(
        request,
        Read.objects.filter(doctor=doctor),
        columns=[AT, USER, WHAT, PAGE],
        template="privacy/doctor_reads.html",
        context=context,
    )


def doctor_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A doctor's rights as data subject: what is held about them, its export, who read it, and erasure."""
    _require_administrator(request)
    doctor = _doctor(pk)
    held = subject.collect(doctor)
    readlog.read(request, doctor)
    context = {
        "doctor": doctor,
        "held": held,
        "kinds": [kind for kind in held.kinds if kind.records],
        "open_applications": services.open_applications(doctor),
        "anonymised": services.is_anonymised(doctor),
        "open_statuses": services.OPEN_APPLICATION_STATUSES,
        "breadcrumbs": _doctor_crumbs(doctor, _("Personvern")),
    }
    return render(request, "privacy/doctor.html", context)


def doctor_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Everything held about the doctor, with history and the read log, as JSON or PDF."""
    _require_administrator(request)
    if fmt not in {"json", "pdf"}:
        raise Http404
    doctor = _doctor(pk)
    held = subject.collect(doctor)
    readlog.read_list(request, rows=held.record_count, label=_("Innsyn: alt om legen"), export=True)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(subject.as_json(held), content_type="application/json; charset=utf-8")
    else:
        from weasyprint import HTML  # loaded on first use: it takes a second to import

        html = render_to_string("privacy/subject_export.html", {"held": held, "doctor": doctor}, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="innsyn-lege-{doctor.pk}-{stamp}.{fmt}"'
    return response


def doctor_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the doctor by anonymisation, after the administrator confirms; refused while a grant is open."""
    _require_administrator(request)
    doctor = _doctor(pk)
    blocked = ""
    if services.is_anonymised(doctor):
        blocked = _("Legen er allerede anonymisert.")
    elif services.open_applications(doctor).exists():
        blocked = _(
            "Legen står i en åpen tilskuddssøknad (utkast, sendt, innvilget, utbetalt uten revisorerklæring, eller "
            "til tilbakebetaling). Opplysningene trengs i tilskuddsforvaltningen til revisorerklæringen er mottatt."
        )

    def act() -> str:
        try:
            services.doctor_anonymise(doctor=doctor, by=request.user)
        except services.NotAllowed as refused:
            raise Refused(str(refused)) from None
        return _("Legen er anonymisert. Navn, HPR-nummer og kontaktopplysninger er fjernet overalt.")

    return confirm_page(
        request,
        about=doctor,
        title=_("Anonymisere %(name)s?") % {"name": doctor.full_name},
        question=_(
            "Navnet erstattes med «Anonymisert lege %(number)s», og HPR-nummer, e-post, telefon og alle "
            "fritekstnotater om legen slettes, også i endringshistorikken og i kommunenes endringsforslag. "
            "Utdanningsløp, veiledning, kursdeltakelse og tilskudd blir stående uten navn, slik at tallene i "
            "rapportene ikke endres. Dette kan ikke angres."
        )
        % {"number": doctor.pk},
        confirm_label=_("Anonymiser legen"),
        act=act,
        success_url=reverse("privacy:doctor", args=[pk]),
        facts=[
            (_("Arbeidskommune"), doctor.municipality.name if doctor.municipality else "–"),
            (_("HPR-nummer"), doctor.hpr_number or "–"),
        ],
        blocked=blocked,
        breadcrumbs=_doctor_crumbs(doctor, (_("Personvern"), reverse("privacy:doctor", args=[pk]))),
    )

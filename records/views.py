"""Notes, documents and the education plan of a record, the education plan list, and the search."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.abilities import may, require
from core import readlog
from core.editing import delete_page, form_page
from core.lists import Column, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from core.scoping import region_q, require_personal_data
from courses.models import Registration
from records import rules, services
from records.forms import DocumentForm, EducationPlanForm, NoteForm, PlanFilterForm, VersionForm
from records.models import Document, DocumentVersion, EducationPlan, Note, subject_field
from records.search import MIN_LENGTH, search_everything
from registry.models import Municipality
from supervision.models import SupervisorProfile
from training.models import Training

KOMPETANSEPORTALEN = "https://kompetanseportalen.no"


# --- The record a note or a document belongs to ---------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A record with notes and documents: the row, its name, its own page and the records page's address."""

    kind: str  # the URL's word: alis, kommune, veileder
    row: Training | Municipality | SupervisorProfile
    name: str
    page_url: str
    page_label: str

    @property
    def records_url(self) -> str:
        return reverse("records:subject", args=[self.kind, self.row.pk])

    def crumbs(self, *more):
        return crumbs((self.page_label, self.page_url), (_("Notater og dokumenter"), self.records_url), *more)


def _subject_for(kind: str, row: Training | Municipality | SupervisorProfile) -> Subject:
    if kind == "alis":
        return Subject(kind, row, row.doctor.full_name, reverse("training:detail", args=[row.pk]), row.doctor.full_name)
    if kind == "kommune":
        return Subject(kind, row, row.name, reverse("registry:municipality_detail", args=[row.pk]), row.name)
    page = reverse("registry:doctor_detail", args=[row.doctor_id])
    return Subject(kind, row, row.doctor.full_name, page, row.doctor.full_name)


def _subject(request: HttpRequest, kind: str, pk: int) -> Subject:
    """The record, narrowed to the user's region: another region's record (or any, for the reader) is a 404."""
    user = request.user
    if kind == "alis":
        rows = Training.objects.visible_to(user).select_related("doctor", "employer__county")
    elif kind == "kommune":
        # Municipalities are public, but their notes and documents are the region's: scoped like personal rows.
        rows = Municipality.objects.filter(region_q(user, "county__office_id")).select_related("county")
    elif kind == "veileder":
        rows = SupervisorProfile.objects.visible_to(user).select_related("doctor__municipality__county")
    else:
        raise Http404
    return _subject_for(kind, get_object_or_404(rows, pk=pk))


def _subject_of(item: Note | Document) -> Subject:
    kind = {"training": "alis", "municipality": "kommune", "supervisor": "veileder"}[subject_field(item.subject)]
    return _subject_for(kind, item.subject)


SUBJECT_RELATED = (
    "training__doctor",
    "training__employer__county",
    "municipality__county",
    "supervisor__doctor__municipality__county",
)


def _visible(model, request: HttpRequest, pk: int):
    return get_object_or_404(model.objects.visible_to(request.user).select_related(*SUBJECT_RELATED), pk=pk)


def subject_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Everything kept on the record: its notes and documents (and for an ALIS the education plan).

    Its own page without JavaScript; with HTMX the record's page loads the same panel into itself.
    """
    subject = _subject(request, kind, pk)
    field = subject_field(subject.row)
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    documents = list(
        Document.objects.filter(**{field: subject.row}).prefetch_related(Prefetch("versions", queryset=versions))
    )
    context = {
        "subject": subject,
        "notes": Note.objects.filter(**{field: subject.row}).select_related("created_by"),
        "documents": documents,
        "can_add": may(request.user, "add", Note(**{field: subject.row})),
    }
    if kind == "alis":
        plan = EducationPlan.objects.filter(training=subject.row).first()
        context.update(
            plan=plan,
            plan_documents=[d for d in documents if d.kind == Document.Kind.EDUCATION_PLAN],
            # Only an ALIS still in training is followed up.
            report_overdue=subject.row.is_ongoing
            and rules.progress_report_overdue(
                reported_on=plan.progress_reported_on if plan else None, today=timezone.localdate()
            ),
            kompetanseportalen=KOMPETANSEPORTALEN,
            can_edit_plan=may(request.user, "change", subject.row),
        )
    if request.htmx:
        return render(request, "records/_panel.html", context)
    readlog.read(request, subject.row)
    context["breadcrumbs"] = crumbs((subject.page_label, subject.page_url), _("Notater og dokumenter"))
    return render(request, "records/subject_page.html", context)


# --- Notes ----------------------------------------------------------------------------------------------


def note_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _subject(request, kind, pk)

    def prepare(note: Note) -> None:
        note.created_by = request.user

    return form_page(
        request,
        NoteForm,
        instance=Note(**{subject_field(subject.row): subject.row}),
        parent=subject.row,
        prepare=prepare,
        title=_("Nytt notat om %(name)s") % {"name": subject.name},
        saved_message=_("Notatet er lagret."),
        success_url=subject.records_url,
        breadcrumbs=subject.crumbs(),
    )


def _edit_page(request: HttpRequest, item: Note | Document, form_class, *, title: str, saved: str) -> HttpResponse:
    """Change a note or a document's details; the change is shown in the history of the record it is on."""
    subject = _subject_of(item)
    return form_page(
        request,
        form_class,
        instance=item,
        parent=subject.row,
        title=title,
        saved_message=saved,
        success_url=subject.records_url,
        breadcrumbs=subject.crumbs(),
    )


def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible(Note, request, pk)
    return _edit_page(request, note, NoteForm, title=_("Endre notat"), saved=_("Notatet er lagret."))


def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _visible(Note, request, pk)
    subject = _subject_of(note)
    return delete_page(
        request,
        note,
        title=_("Slette notatet?"),
        question=_("Notatet forsvinner; endringshistorikken viser fortsatt hva det var."),
        deleted_message=_("Notatet er slettet."),
        success_url=subject.records_url,
        parent=subject.row,
        breadcrumbs=subject.crumbs(),
        facts=[(_("Dato"), f"{note.written_on:%d.%m.%Y}"), (_("Notat"), note.text[:200])],
    )


# --- Documents ------------------------------------------------------------------------------------------


def _upload_page(request: HttpRequest, form, *, title: str, subject: Subject, intro: str = "") -> HttpResponse:
    readlog.read(request, subject.row, getattr(form, "instance", None))  # the page names whom it is about
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "cancel_url": subject.records_url,
        "breadcrumbs": subject.crumbs(title),
    }
    return render(request, "core/form_page.html", context)


def document_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A new document with its first file. `?type=` chooses the type beforehand (the education plan)."""
    subject = _subject(request, kind, pk)
    document = Document(**{subject_field(subject.row): subject.row})
    require(request.user, "add", document)
    initial = {"kind": request.GET.get("type")} if request.GET.get("type") in Document.Kind.values else {}
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.document_create(document=form.save(commit=False), upload=form.cleaned_data["file"], by=request.user)
        messages.success(request, _("Dokumentet er lagret."))
        return HttpResponseRedirect(subject.records_url)
    return _upload_page(request, form, title=_("Nytt dokument om %(name)s") % {"name": subject.name}, subject=subject)


def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's type, title, date and note; its files are changed by uploading a new version."""
    document = _visible(Document, request, pk)
    return _edit_page(request, document, DocumentForm, title=_("Endre dokument"), saved=_("Dokumentet er lagret."))


def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible(Document, request, pk)
    require(request.user, "change", document)
    subject = _subject_of(document)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = services.document_version_add(document=document, upload=form.cleaned_data["file"], by=request.user)
        messages.success(request, _("Versjon %(number)s av dokumentet er lagret.") % {"number": version.number})
        return HttpResponseRedirect(subject.records_url)
    return _upload_page(
        request,
        form,
        title=_("Ny versjon av «%(title)s»") % {"title": document.title},
        subject=subject,
        intro=_("De tidligere versjonene beholdes og kan fortsatt åpnes."),
    )


def document_file(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """One version's file, to those who may read the record it belongs to; every opening is logged."""
    versions = DocumentVersion.objects.filter(document__in=Document.objects.visible_to(request.user))
    version = get_object_or_404(versions.select_related("document"), pk=pk)
    if version.filename != filename:
        raise Http404
    readlog.read(request, version)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.filename)


# --- Education plan -------------------------------------------------------------------------------------


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, "alis", pk)
    training = subject.row
    plan = EducationPlan.objects.filter(training=training).first() or EducationPlan(training=training)
    return form_page(
        request,
        EducationPlanForm,
        instance=plan,
        parent=training,
        title=_("Utdanningsplan og framdrift for %(name)s") % {"name": subject.name},
        saved_message=_("Utdanningsplanen er lagret."),
        success_url=subject.page_url,
        breadcrumbs=crumbs((_("ALIS"), reverse("training:list")), (subject.name, subject.page_url)),
        template="records/plan_form.html",
        context={"kompetanseportalen": KOMPETANSEPORTALEN},
    )


PLAN_COLUMNS = [
    Column(
        "name",
        gettext_lazy("ALIS"),
        ("doctor__last_name", "doctor__first_name"),
        value=lambda t: f"{t.doctor.last_name}, {t.doctor.first_name}",
        link=lambda t: path_for("training:detail")(t.pk),
    ),
    Column("employer", gettext_lazy("Kommune"), ("employer__name",), value="employer.name"),
    Column("start", gettext_lazy("Startet"), ("start",), value="start"),
    Column("plan", gettext_lazy("Utdanningsplan"), ("has_plan", "doctor__last_name"), value="has_plan"),
    Column("next_review", gettext_lazy("Neste gjennomgang"), ("next_review_on",), value="next_review_on"),
    Column("report", gettext_lazy("Siste framdriftsrapport"), ("progress_reported_on",), value="progress_reported_on"),
    Column(
        "objectives",
        gettext_lazy("Godkjente læringsmål"),
        ("objectives_approved",),
        numeric=True,
        value="objectives_approved",
    ),
]


def plan_list(request: HttpRequest) -> HttpResponse:
    """Ongoing ALIS with their education plan and latest progress report: who has none, or none this year."""
    require_personal_data(request.user)
    plans = EducationPlan.objects.filter(training=OuterRef("pk"))
    plan_documents = Document.objects.filter(training=OuterRef("pk"), kind=Document.Kind.EDUCATION_PLAN)
    queryset = (
        Training.objects.visible_to(request.user)
        .ongoing()
        .select_related("doctor", "employer")
        .annotate(
            has_plan=Exists(plan_documents),
            next_review_on=Subquery(plans.values("next_review_on")[:1]),
            progress_reported_on=Subquery(plans.values("progress_reported_on")[:1]),
            objectives_approved=Subquery(plans.values("objectives_approved")[:1]),
        )
    )
    form = PlanFilterForm(request.GET, user=request.user)
    listing = list_page(
        request,
        form.filter(queryset),
        columns=PLAN_COLUMNS,
        default_sort="name",
        caption=_("Pågående ALIS med utdanningsplan og siste framdriftsrapport fra kommunen"),
        empty_text=_("Ingen ALIS passer til filteret."),
        keep_rows=True,
    )
    return render_list(
        request, "records/plan_list.html", listing, {"form": form, "kompetanseportalen": KOMPETANSEPORTALEN}
    )


# --- Search ---------------------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """Search across everything: the results page, or (HTMX, while typing in the header) the results alone."""
    text = request.GET.get("q", "").strip()[:100]
    context = {"q": text, "groups": search_everything(request.user, text), "too_short": 0 < len(text) < MIN_LENGTH}
    if request.htmx:
        if not text:
            return HttpResponse("")  # the field was cleared: nothing under it (the box hides when empty)
        compact = request.htmx.target == "site-search-results"  # under the header's field, not on this page
        return render(request, "records/_search_results.html", {**context, "compact": compact})
    return render(request, "records/search.html", context)


def open_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """A course participant found by the search: the read is logged, then the course's participant list."""
    require_personal_data(request.user)
    registration = get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)
    readlog.read(request, registration)
    return HttpResponseRedirect(reverse("courses:participants", args=[registration.course_id]))

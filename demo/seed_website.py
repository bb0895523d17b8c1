"""Demo content for the public website: a few news items, pages, questions and answers per office, the
offices' contact, national templates with a file, and a picture. Synthetic, and marked as demo on screen.

Reproducible like the rest of the demo set: one `random.Random(seed)`, dates from `today`. Files (a small
PDF per template, a PNG picture) are written through Django's storage (MEDIA_ROOT).
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from demo import names
from office.models import Inquiry, InquiryTopic
from registry.models import Office
from website.models import (
    Article,
    ContactPerson,
    Document,
    DocumentVersion,
    Image,
    OfficeProfile,
    Question,
    Revision,
    Status,
)
from website.services import revision_data

DEMO_NOTE = "\n\n*Demoinnhold: oppdiktet for å vise nettstedet.*"

# (title, summary, body) with {office} and {place} filled in per office.
NEWS = [
    (
        "Nytt emnekurs i veiledning til høsten",
        "{office} arrangerer emnekurs i veiledning med to samlinger. Påmeldingen er åpen i kurskalenderen.",
        "Kurset er for spesialister i allmennmedisin som er eller skal bli veiledere for ALIS.\n\n"
        "## Program\n\n- Første samling: veiledningens rammer og læringsmålene\n- Andre samling: vurdering og "
        "tilbakemelding\n\nMeld deg på i [kurskalenderen](/kurs/).",
    ),
    (
        "Frist for søknad om ALIS-tilskudd nærmer seg",
        "Kommunene i regionen minnes om fristen for å søke tilskudd til ALIS-avtaler.",
        "Kommuner som har ansatt ALIS, eller som planlegger det, kan søke tilskudd. Kontoret hjelper gjerne "
        "med søknaden og med å regne ut hva en ALIS koster kommunen.\n\nTa kontakt med oss i {place}.",
    ),
    (
        "Nettverkssamling for utdanningsansvarlige",
        "Velkommen til nettverkssamling for dem som har ansvar for spesialiseringen i kommunene.",
        "Vi går gjennom utdanningsplanene, erfaringer med sykehustjenesten og nytt fra Helsedirektoratet.\n\n"
        "Samlingen holdes i {place}, og det er mulig å delta digitalt.",
    ),
]

PAGES = [
    (
        "Veiledergrupper i regionen",
        "Slik får ALIS og veiledere plass i en veiledergruppe.",
        "Kontoret har oversikt over veiledergruppene i regionen og hjelper kommuner som vil starte nye.\n\n"
        "Gruppeveiledningen kommer i tillegg til den individuelle veiledningen.",
    ),
]

QUESTIONS = [
    (
        "Må kommunen være registrert som utdanningsvirksomhet før ALIS kan starte?",
        "Kommunen må være registrert som utdanningsvirksomhet for spesialiteten. Kontoret hjelper med "
        "søknaden og utdanningsplanen.",
        "Registrering som utdanningsvirksomhet",
    ),
    (
        "Hvem lager utdanningsplanen?",
        "Kommunen lager en overordnet utdanningsplan, og hver ALIS får en individuell plan. Helsedirektoratet "
        "har en anbefalt mal; se malene på nettstedet.",
        "Utdanningsplaner",
    ),
    (
        "Hvor mye veiledning skal en ALIS ha?",
        "Veiledningen skal følge kravene i spesialistforskriften og utdanningsplanen. Spør kontoret om "
        "hvordan veiledningen kan organiseres i kommunen.",
        "Veiledning, veiledningsavtaler og refusjon",
    ),
]

DOCUMENTS = [
    (
        "alis_agreement",
        "Mal for ALIS-avtale (selvstendig næringsdrivende)",
        "En mal for avtale mellom kommunen og en ALIS som er selvstendig næringsdrivende.",
    ),
    (
        "education_plan",
        "Mal for individuell utdanningsplan",
        "Utdanningsplanen for én ALIS: læringsarenaer, læringsaktiviteter, veiledning og supervisjon.",
    ),
    (
        "trust_agreement",
        "Mal for avtale mellom kommune og helseforetak om sykehustjeneste",
        "Overordnet avtale om sykehustjenesten i spesialiseringen, ikke én per ALIS.",
    ),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF with the title as its only text (enough to download and open)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png(rng: random.Random) -> bytes:
    from PIL import Image as Picture
    from PIL import ImageDraw

    picture = Picture.new("RGB", (960, 540), (30, 43, 60))
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randrange(0, 900), rng.randrange(0, 480)
        draw.ellipse((x, y, x + rng.randrange(40, 160), y + rng.randrange(40, 160)), fill=(0, 98, 186))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _revision(row) -> Revision:
    return Revision(
        content_type=ContentType.objects.get_for_model(row), object_id=row.pk, number=1, data=revision_data(row)
    )


def seed_website(*, seed: int, today: date) -> None:
    rng = random.Random(seed + 15)  # noqa: S311 (reproducible demo data)
    topics = {topic.name: topic for topic in InquiryTopic.objects.all()}
    revisions = []
    Article.objects.filter(role=Article.Role.ABOUT).update(status=Status.PUBLISHED)
    picture = Image(office=None, alt="Illustrasjon: blå sirkler på mørk bakgrunn (demobilde)", credit="Demo")
    picture.width, picture.height = 960, 540
    picture.file.save("demo-illustrasjon.png", ContentFile(_png(rng)), save=False)
    picture.save()
    for office in Office.objects.order_by("ordering"):
        place = office.location or office.name
        OfficeProfile.objects.create(
            office=office,
            intro=f"{office.name} hjelper kommunene i regionen med ALIS: avtaler, utdanningsplaner, "
            f"veiledning og kurs. Kontoret holder til i {place}.{DEMO_NOTE}",
            email=f"post@{office.code}.alis.example",
            phone=f"{rng.randrange(400, 999)} {rng.randrange(10, 99)} {rng.randrange(100, 999)}",
            address=f"{rng.choice(names.STREETS)} {rng.randrange(1, 60)}, {place}",
        )
        for ordering, title in enumerate(("Kontorleder", "Rådgiver", "Fagansvarlig lege, 20 %")):
            first = rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)
            last = rng.choice(names.LAST_NAMES)
            ContactPerson.objects.create(
                office=office,
                name=f"{first} {last} (demo)",
                title=title,
                ordering=ordering,
                email=f"{first.lower()}.{last.lower()}@{office.code}.alis.example".replace(" ", ""),
            )
        for number, (title, summary, body) in enumerate(NEWS):
            article = Article.objects.create(
                office=office,
                kind=Article.Kind.NEWS,
                slug=f"{['nytt-emnekurs', 'frist-tilskudd', 'nettverkssamling'][number]}",
                title=title,
                summary=summary.format(office=office.name, place=place),
                body=body.format(office=office.name, place=place) + DEMO_NOTE,
                status=Status.PUBLISHED,
                publish_at=_at(today - timedelta(days=7 + 23 * number + rng.randrange(0, 5))),
                image=picture if number == 0 else None,
            )
            revisions.append(_revision(article))
        draft = Article.objects.create(
            office=office,
            kind=Article.Kind.NEWS,
            slug="utkast-var",
            title="Planer for våren (utkast)",
            summary="Et utkast som bare kontoret ser.",
            body="Ikke ferdig." + DEMO_NOTE,
            status=Status.DRAFT,
        )
        revisions.append(_revision(draft))
        for title, summary, body in PAGES:
            page = Article.objects.create(
                office=office,
                kind=Article.Kind.PAGE,
                slug="veiledergrupper",
                title=title,
                summary=summary,
                body=body + DEMO_NOTE,
                status=Status.PUBLISHED,
            )
            revisions.append(_revision(page))
        inquiries = list(Inquiry.objects.filter(office=office).order_by("-date")[: len(QUESTIONS)])
        for number, (question, answer, topic) in enumerate(QUESTIONS):
            row = Question.objects.create(
                office=office,
                question=question,
                answer=answer + DEMO_NOTE,
                status=Status.PUBLISHED,
                source_inquiry=inquiries[number] if number < len(inquiries) else None,
            )
            if topic in topics:
                row.topics.add(topics[topic])
            revisions.append(_revision(row))
    national = Article.objects.create(
        office=None, kind=Article.Kind.NEWS, slug="nasjonalt-mote", title="Nasjonalt møte for ALIS-kontorene",
        summary="ALIS-kontorene møttes for å samordne arbeidet med utdanningsplaner og veilederkurs.",
        body="Kontorene delte erfaringer og ble enige om felles maler for ALIS-avtaler." + DEMO_NOTE,
        status=Status.PUBLISHED, publish_at=_at(today - timedelta(days=3)),
    )
    links = Article.objects.create(
        office=None, kind=Article.Kind.PAGE, slug="spesialisering-i-allmennmedisin",
        title="Spesialisering i allmennmedisin", summary="Hvor du finner regelverket og læringsmålene.",
        body="Regelverket for spesialiseringen står i spesialistforskriften, og læringsmålene er fastsatt av "
        "Helsedirektoratet. ALIS-kontoret i din region hjelper deg å finne fram." + DEMO_NOTE,
        status=Status.PUBLISHED,
    )
    revisions += [_revision(national), _revision(links)]
    for category, title, description in DOCUMENTS:
        document = Document.objects.create(
            office=None,
            category=category,
            title=f"{title} (demo)",
            description=description + " Demomal.",
            status=Status.PUBLISHED,
        )
        for label, current in (("2024", False), ("2025", True)):
            version = DocumentVersion(
                document=document,
                label=label,
                is_current=current,
                note="" if label == "2024" else "Oppdatert etter nye satser.",
            )
            content = _pdf(f"{title} {label} (demo)")
            version.file.save(f"mal-{document.pk}-{label}.pdf", ContentFile(content), save=False)
            version.size = len(content)
            version.save()
    Revision.objects.bulk_create(revisions)


def remove_website_data() -> None:
    """Delete the demo content (the fixed national pages stay, back as drafts)."""
    # The files go after the rows: an image row, when loaded, reads its file if its size is unknown.
    files = [
        (model._meta.get_field("file").storage, name)
        for model in (DocumentVersion, Image)
        for name in model.objects.values_list("file", flat=True)
    ]
    Revision.objects.all().delete()
    Question.objects.all().delete()
    Document.objects.all().delete()
    Article.objects.exclude(role="").update(image=None, status=Status.DRAFT)
    Article.objects.filter(role="").delete()
    Image.objects.all().delete()
    ContactPerson.objects.all().delete()
    OfficeProfile.objects.all().delete()
    for storage, name in files:
        storage.delete(name)

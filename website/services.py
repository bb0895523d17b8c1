"""Writes that touch more than one row: revisions and their restore, template files and which one is current."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F

from accounts.models import Role, User
from core import history
from registry.models import Office
from website.models import Article, Document, DocumentVersion, Image, Question, Revision

# The fields a revision keeps and a restore puts back: the text, not the publishing state (a restored
# version of a published page stays published, a draft stays a draft).
REVISED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Article: ("title", "slug", "summary", "body", "title_nn", "summary_nn", "body_nn", "image_id", "ordering"),
    Question: ("question", "answer", "question_nn", "answer_nn"),
}


def section_office(user: User) -> Office | None:
    """The section a user writes in: office staff their office's, the coordinator (and the administrator)
    the national part. Others write nothing."""
    if user.role == Role.OFFICE_STAFF and user.office_id:
        return user.office
    if user.edits_reference_data:
        return None
    raise PermissionDenied


def revision_data(instance: models.Model) -> dict:
    data = {name: getattr(instance, name) for name in REVISED_FIELDS[type(instance)]}
    if isinstance(instance, Question):
        data["topics"] = sorted(instance.topics.values_list("pk", flat=True))
    data["status"] = instance.status
    data["publish_at"] = instance.publish_at.isoformat() if instance.publish_at else None
    return data


def revisions_of(instance: models.Model) -> models.QuerySet:
    ct = ContentType.objects.get_for_model(instance)
    return Revision.objects.filter(content_type=ct, object_id=instance.pk).select_related("by")


def revision_save(*, instance: Article | Question, by: User | None) -> Revision:
    """Keep the row's state as a new revision (after every save)."""
    ct = ContentType.objects.get_for_model(instance)
    last = Revision.objects.filter(content_type=ct, object_id=instance.pk).order_by("-number").first()
    return Revision.objects.create(
        content_type=ct,
        object_id=instance.pk,
        number=(last.number if last else 0) + 1,
        data=revision_data(instance),
        by=by if by and by.is_authenticated else None,
    )


def revision_restore(*, revision: Revision, by: User) -> models.Model:
    """Put the revision's text back (with history), and keep that as the newest revision."""
    model = revision.content_type.model_class()
    with transaction.atomic():
        instance = model._default_manager.select_for_update().get(pk=revision.object_id)
        before = history.snapshot(instance)
        before_slug = getattr(instance, "slug", "")
        for name in REVISED_FIELDS[model]:
            if name in revision.data:
                setattr(instance, name, revision.data[name])
        if model is Article:
            if instance.image_id and not Image.objects.filter(pk=instance.image_id).exists():
                instance.image_id = None  # the picture was deleted since
            taken = Article.objects.in_section(instance.office).filter(kind=instance.kind, slug=instance.slug)
            if taken.exclude(pk=instance.pk).exists():
                instance.slug = before_slug  # another article has taken the old address since
        instance.version = F("version") + 1
        instance.save()
        instance.refresh_from_db()
        if model is Question and "topics" in revision.data:
            instance.topics.set(revision.data["topics"])
        history.record(instance=instance, by=by, before=before)
        revision_save(instance=instance, by=by)
    return instance


def document_version_add(*, version: DocumentVersion, by: User) -> DocumentVersion:
    """Store a new file of a template; a current one makes the others old (they are kept)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=version.document_id)
        if version.is_current:
            document.versions.filter(is_current=True).update(is_current=False)
        elif not document.versions.filter(is_current=True).exists():
            version.is_current = True  # the first file is the current one
        version.uploaded_by = by
        version.size = version.file.size
        version.save()
        history.record(instance=version, by=by, before=None, parent=document)
    return version


def document_version_make_current(*, version: DocumentVersion, by: User) -> DocumentVersion:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=version.document_id)
        for old in document.versions.filter(is_current=True).exclude(pk=version.pk):
            before = history.snapshot(old)
            old.is_current = False
            old.save(update_fields=["is_current"])
            history.record(instance=old, by=by, before=before, parent=document)
        before = history.snapshot(version)
        version.is_current = True
        version.save(update_fields=["is_current"])
        history.record(instance=version, by=by, before=before, parent=document)
    return version

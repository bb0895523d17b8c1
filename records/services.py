"""Writes that touch more than one row: a document with its first file, and a new version of a document."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from core import history
from records.models import Document, DocumentVersion


def _version_add(*, document: Document, upload: UploadedFile, by: User) -> DocumentVersion:
    latest = DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0
    version = DocumentVersion(document=document, number=latest + 1, size=upload.size, uploaded_by=by)
    version.file.save(upload.name, upload, save=False)
    version.save()
    # Shown in the history of the record the document belongs to, with the document's own changes.
    history.record(instance=version, by=by, before=None, parent=document.subject)
    return version


def document_create(*, document: Document, upload: UploadedFile, by: User) -> DocumentVersion:
    """Save a new document and its first file (version 1), with history."""
    with transaction.atomic():
        document.save()
        history.record(instance=document, by=by, before=None, parent=document.subject)
        return _version_add(document=document, upload=upload, by=by)


def document_version_add(*, document: Document, upload: UploadedFile, by: User) -> DocumentVersion:
    """A new file of the document: the next version number; the earlier files are kept as they are."""
    with transaction.atomic():
        # Two uploads at once get numbers one after the other, not the same one.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        return _version_add(document=document, upload=upload, by=by)

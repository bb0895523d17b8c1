from datetime import timedelta

import pytest
from django.utils import timezone

from website.models import Article, Status


@pytest.fixture
def make_article(world):
    def make(office=None, *, kind=Article.Kind.NEWS, title="Nyhet", slug=None, status=Status.PUBLISHED, **fields):
        return Article.objects.create(
            office=office,
            kind=kind,
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            status=status,
            publish_at=fields.pop("publish_at", timezone.now() - timedelta(hours=1)),
            **fields,
        )

    return make

"""The crawler's own checks work: they see what they are there to see."""

from django.test import Client
from django.urls import reverse

from core.models import Read
from core.tests import crawler


def test_the_fuzz_sees_a_write(records, vest_user, monkeypatch) -> None:
    """A request that writes is caught (here the read log, which a refused post may write, so it is untracked)."""
    monkeypatch.setattr(crawler, "UNTRACKED", crawler.UNTRACKED - {"core.read"})
    client = Client()
    client.force_login(vest_user)
    url = reverse("registry:doctor_detail", args=[records.vest_doctor.pk])

    outcome = crawler.probe(client, "get", url, writes=True)

    assert outcome.status == 200 and outcome.written == ["core.read"]
    assert not Read.objects.exists()  # the probe was rolled back


def test_the_fuzz_leaves_out_a_successful_post(records, vest_user) -> None:
    client = Client()
    client.force_login(vest_user)
    url = reverse("registry:doctor_edit", args=[records.vest_doctor.pk])
    form = crawler.page_forms(client.get(url).content.decode(), url)[0]

    outcome = crawler.probe(client, "post", form.action, form.post_data(phone="99 88 77 66"), writes=True)

    assert outcome.status == 302 and outcome.written == []

"""The API's log of lists read (ListRead) joins the one read log of the web and the API (core.models.Read)."""

from django.db import migrations


def move(apps, schema_editor):
    ListRead = apps.get_model("api", "ListRead")
    Read = apps.get_model("core", "Read")
    batch = []
    for old in ListRead.objects.select_related("token").order_by("pk").iterator(chunk_size=2000):
        token = f"{old.token.name} ({old.token.prefix}…)"[:120] if old.token_id else ""
        page = f"/api/v1/{old.list_name}/" + (f"?{old.query}" if old.query else "")
        batch.append(Read(
            user_id=old.user_id, at=old.at, kind="list", channel="api", token=token, view=f"api-v1:{old.list_name}",
            page=page[:500], label=old.list_name, rows=old.rows,
        ))
        if len(batch) >= 2000:
            Read.objects.bulk_create(batch)
            batch = []
    Read.objects.bulk_create(batch)


def move_back(apps, schema_editor):
    Read = apps.get_model("core", "Read")
    ListRead = apps.get_model("api", "ListRead")
    for read in Read.objects.filter(kind="list", channel="api").iterator(chunk_size=2000):
        query = read.page.split("?", 1)[1] if "?" in read.page else ""
        ListRead.objects.create(user_id=read.user_id, list_name=read.label[:100], query=query, rows=read.rows or 0)


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
        ('core', '0006_read_log_of_pages_lists_and_api'),
    ]

    operations = [
        migrations.RunPython(move, move_back),
        migrations.RemoveIndex(
            model_name='listread',
            name='api_listread_user_at',
        ),
        migrations.DeleteModel(
            name='ListRead',
        ),
    ]

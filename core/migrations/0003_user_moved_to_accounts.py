# core.User became accounts.User (same table, same rows): point the history and the read log at the new
# model, drop the old one from the model state, and move its content type so permissions keep pointing at it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="accounts", model="user").exists():
        ContentType.objects.using(db).filter(app_label="core", model="user").update(app_label="accounts")


def move_content_type_back(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="core", model="user").exists():
        ContentType.objects.using(db).filter(app_label="accounts", model="user").update(app_label="core")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_read_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="change",
                    name="user",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="changes", to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name="read",
                    name="user",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reads", to=settings.AUTH_USER_MODEL),
                ),
                migrations.DeleteModel(name="User"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]

"""The topics the offices count inquiries by today (issue 5); the list stays editable afterwards."""

from django.db import migrations

TOPICS = [
    "Registrering som utdanningsvirksomhet",
    "Utdanningsplaner",
    "Læringsmål (ALM/FKM/SAM)",
    "Tellende tjenestetid",
    "Læringsarenaer, læringsaktiviteter og godkjent utdanningsløp",
    "ALIS-avtaler og tilskudd",
    "Veiledning, veiledningsavtaler og refusjon",
    "Annet",
]


def add_topics(apps, schema_editor) -> None:
    topic = apps.get_model("office", "InquiryTopic")
    for ordering, name in enumerate(TOPICS, start=1):
        topic.objects.get_or_create(name=name, defaults={"ordering": ordering * 10})


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]

"""Leaving reasons in the field's categories (seed 002) and where the ALIS went.

The old reasons mixed why and where; each is mapped to the new reason and, where the old one said it, the
destination: moved → family and personal reasons, other municipality; went to a hospital → does not want
to work in general practice, hospital; changed specialty → does not want to work in general practice;
workload → pay and working conditions. Family and other keep their values.
"""

from django.db import migrations, models

OLD_TO_NEW = {
    "moved": ("family", "other_municipality"),
    "hospital_job": ("not_general_practice", "hospital"),
    "other_specialty": ("not_general_practice", ""),
    "workload": ("pay_conditions", ""),
}


def forwards(apps, schema_editor) -> None:
    Training = apps.get_model("training", "Training")
    for old, (reason, destination) in OLD_TO_NEW.items():
        Training.objects.filter(leaving_reason=old).update(leaving_reason=reason, leaving_destination=destination)


def backwards(apps, schema_editor) -> None:
    Training = apps.get_model("training", "Training")
    for old, (reason, destination) in OLD_TO_NEW.items():
        if destination:
            Training.objects.filter(leaving_reason=reason, leaving_destination=destination).update(leaving_reason=old)
    Training.objects.filter(leaving_reason="not_general_practice").update(leaving_reason="other_specialty")
    Training.objects.filter(leaving_reason="pay_conditions").update(leaving_reason="workload")
    Training.objects.filter(leaving_reason="municipal_job").update(leaving_reason="other")


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0002_version_periods_and_assignments'),
    ]

    operations = [
        migrations.AddField(
            model_name='training',
            name='leaving_destination',
            field=models.CharField(blank=True, choices=[('other_municipality', 'Annen kommune'), ('same_municipality', 'Samme kommune, annen stilling'), ('hospital', 'Sykehus'), ('other', 'Annet')], help_text='Tom = ikke kjent.', max_length=20, verbose_name='hvor ALIS gikk'),
        ),
        migrations.AlterField(
            model_name='training',
            name='leaving_reason',
            field=models.CharField(blank=True, choices=[('pay_conditions', 'Misfornøyd med lønn og arbeidsvilkår'), ('not_general_practice', 'Ønsker ikke å jobbe i allmennpraksis'), ('family', 'Familiære og personlige årsaker, flytting'), ('municipal_job', 'Annen stilling i kommunen'), ('other', 'Annen grunn')], max_length=20, verbose_name='årsak til at ALIS sluttet'),
        ),
        migrations.RunPython(forwards, backwards),
    ]

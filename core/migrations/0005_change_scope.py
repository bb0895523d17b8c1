"""History entries follow the scoping of the records they describe (issue 11).

Changes recorded before this migration get their scope from the record (as it is now), or, for a deleted record,
from its parent; a change to a kind of record that is neither listed as personal nor as public stays personal and
takes its parent's region, else its own office's or municipality's, else none (the national roles only), as
core.history.scope does for new changes. The paths are frozen here: the region of each personal kind of record.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

# Kinds of record that are not personal data (abilities: regional and reference data).
PUBLIC = {
    "registry.office",
    "registry.county",
    "registry.healthtrust",
    "registry.municipality",
    "registry.registration",
    "registry.gpoffice",
    "grants.grantscheme",
    "grants.rateperiod",
    "office.inquirytopic",
}
# Personal kinds of record: (scope field, path from the record to its municipality or office).
PERSONAL = {
    "registry.doctor": ("scope_municipality_id", "municipality_id"),
    "registry.contact": ("scope_municipality_id", "municipality_id"),
    "training.training": ("scope_municipality_id", "employer_id"),
    "training.serviceperiod": ("scope_municipality_id", "training__employer_id"),
    "training.supervisorassignment": ("scope_municipality_id", "training__employer_id"),
    "supervision.supervisorprofile": ("scope_municipality_id", "doctor__municipality_id"),
    "supervision.supervisionsession": ("scope_municipality_id", "training__employer_id"),
    "supervision.supervisorlink": ("scope_municipality_id", "supervisor__municipality_id"),
    "courses.course": ("scope_office_id", "office_id"),
    "courses.instructor": ("scope_office_id", "office_id"),
    "courses.gathering": ("scope_office_id", "course__office_id"),
    "courses.registration": ("scope_office_id", "course__office_id"),
    "grants.grantprofile": ("scope_municipality_id", "training__employer_id"),
    "grants.grantapplication": ("scope_municipality_id", "municipality_id"),
    "grants.applicationline": ("scope_municipality_id", "application__municipality_id"),
    "grants.costsheet": ("scope_municipality_id", "training__employer_id"),
    "office.inquiry": ("scope_office_id", "office_id"),
    "office.partner": ("scope_office_id", "office_id"),
    "office.activity": ("scope_office_id", "office_id"),
    "office.staffmember": ("scope_office_id", "office_id"),
    "office.annualreport": ("scope_office_id", "office_id"),
    "survey.campaign": ("scope_office_id", "office_id"),
    "survey.invitation": ("scope_office_id", "campaign__office_id"),
    "survey.proposal": ("scope_office_id", "invitation__campaign__office_id"),
    "dataio.importjob": ("scope_office_id", "office_id"),
}


def _model(apps, label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _own_fields(model):
    names = {f.name for f in model._meta.concrete_fields}
    if "office" in names:
        return "scope_office_id", "office_id"
    if "municipality" in names:
        return "scope_municipality_id", "municipality_id"
    return None


def backfill(apps, schema_editor):
    Change = apps.get_model("core", "Change")
    ContentType = apps.get_model("contenttypes", "ContentType")
    used = set(Change.objects.values_list("content_type", flat=True).distinct())
    used |= set(Change.objects.exclude(parent_type=None).values_list("parent_type", flat=True).distinct())
    types = {f"{ct.app_label}.{ct.model}": ct for ct in ContentType.objects.filter(pk__in=used)}
    unscoped = Q(scope_municipality=None, scope_office=None)
    # 1. Changes to personal records that still exist: the record's region now.
    for label, (field, path) in PERSONAL.items():
        model = _model(apps, label)
        if label not in types or model is None:
            continue
        region = model._default_manager.filter(pk=OuterRef("object_id")).values(path)[:1]
        Change.objects.filter(content_type=types[label]).update(personal=True, **{field: Subquery(region)})
    # 2. Changes to other records not known to be public: personal, and their own region where they have one.
    for label, ct in types.items():
        model = _model(apps, label)
        if label in PUBLIC or label in PERSONAL or model is None:
            continue
        Change.objects.filter(content_type=ct).update(personal=True)
        own = _own_fields(model)
        if own is not None:
            region = model._default_manager.filter(pk=OuterRef("object_id")).values(own[1])[:1]
            Change.objects.filter(unscoped, content_type=ct, parent_type=None).update(**{own[0]: Subquery(region)})
    # 3. Personal changes still without a region (a deleted record, a child record): their parent's region.
    for label, ct in types.items():
        model = _model(apps, label)
        if model is None:
            continue
        if label == "registry.municipality":
            field, path = "scope_municipality_id", "pk"
        else:
            field, path = PERSONAL.get(label) or _own_fields(model) or (None, None)
        if field is None:
            continue
        region = model._default_manager.filter(pk=OuterRef("parent_id")).values(path)[:1]
        Change.objects.filter(unscoped, personal=True, parent_type=ct).update(**{field: Subquery(region)})


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_ratelimit_cache_table'),
        ('registry', '0002_doctor_list_open'),
        ('training', '0004_old_scheme_rules_shifts_outcomes'),
        ('supervision', '0003_session_unique_training_date_kind_supervisor'),
        ('courses', '0001_initial'),
        ('grants', '0002_line_inputs_from_training_and_unknown_rates'),
        ('office', '0003_annual_report_texts_and_institutions'),
        ('survey', '0001_initial'),
        ('dataio', '0002_gp_list_snapshots'),
    ]

    operations = [
        migrations.AddField(
            model_name='change',
            name='personal',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='change',
            name='scope_municipality',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.municipality'),
        ),
        migrations.AddField(
            model_name='change',
            name='scope_office',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.office'),
        ),
        migrations.AlterField(
            model_name='change',
            name='action',
            field=models.CharField(choices=[('create', 'opprettet'), ('update', 'endret'), ('delete', 'slettet'), ('anonymise', 'anonymisert')], max_length=10),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

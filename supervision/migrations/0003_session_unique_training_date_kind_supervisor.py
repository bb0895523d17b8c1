"""One supervision session per training, day, kind and supervisor (no double entry, issue 10).

Sessions registered twice before the constraint are merged first: in each group the oldest row is kept,
with the longest duration of the group (a session entered twice must not count twice; the longer entry is
the one that loses nothing), confirmed if any of them was, and the first topic given. The others are
deleted. Each merge is kept in the history (by field name, as core.history keeps changes) and printed, so that the
office can check it.
"""

from django.db import migrations, models


def merge_duplicates(apps, schema_editor):
    Session = apps.get_model("supervision", "SupervisionSession")
    Change = apps.get_model("core", "Change")
    ContentType = apps.get_model("contenttypes", "ContentType")
    keys = (
        Session.objects.values("training_id", "date", "kind", "supervisor_id")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    groups = list(keys)
    if not groups:
        return
    session_type, _ = ContentType.objects.get_or_create(app_label="supervision", model="supervisionsession")
    training_type, _ = ContentType.objects.get_or_create(app_label="training", model="training")
    removed = 0
    report = []
    for key in groups:
        rows = list(
            Session.objects.filter(
                training_id=key["training_id"], date=key["date"], kind=key["kind"], supervisor_id=key["supervisor_id"]
            ).order_by("pk")
        )
        kept, others = rows[0], rows[1:]
        before = {"minutes": str(kept.minutes), "topic": kept.topic, "confirmed": str(kept.confirmed)}
        kept.minutes = max(r.minutes for r in rows)
        kept.confirmed = any(r.confirmed for r in rows)
        kept.topic = kept.topic or next((r.topic for r in others if r.topic), "")
        after = {"minutes": str(kept.minutes), "topic": kept.topic, "confirmed": str(kept.confirmed)}
        changes = [
            Change(
                content_type=session_type,
                object_id=other.pk,
                object_repr=f"{other.date:%d.%m.%Y} ({other.minutes} min)",
                parent_type=training_type,
                parent_id=other.training_id,
                action="delete",
                fields={"minutes": [str(other.minutes), ""], "topic": [other.topic, ""]},
            )
            for other in others
        ]
        changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if changed:
            kept.version += 1
            kept.save(update_fields=["minutes", "confirmed", "topic", "version"])
            changes.append(
                Change(
                    content_type=session_type,
                    object_id=kept.pk,
                    object_repr=f"{kept.date:%d.%m.%Y} ({kept.minutes} min)",
                    parent_type=training_type,
                    parent_id=kept.training_id,
                    action="update",
                    fields=changed,
                )
            )
        Change.objects.bulk_create(changes)
        Session.objects.filter(pk__in=[o.pk for o in others]).delete()
        removed += len(others)
        report.append(
            f"  utdanningsløp {kept.training_id}, {kept.date:%d.%m.%Y}, {kept.kind}, veileder {kept.supervisor_id}: "
            f"beholdt #{kept.pk} ({kept.minutes} min), slettet {', '.join(f'#{o.pk} ({o.minutes} min)' for o in others)}"
        )
    print(f"\nVeiledningstimer registrert flere ganger: {removed} slått sammen i {len(groups)} timer.")
    print("\n".join(report))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("registry", "0002_doctor_list_open"),
        ("supervision", "0002_link_signed_token"),
        ("training", "0004_old_scheme_rules_shifts_outcomes"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="supervisionsession",
            constraint=models.UniqueConstraint(
                fields=("training", "date", "kind", "supervisor"),
                name="supervision_session_unique_training_date_kind_supervisor",
            ),
        ),
    ]

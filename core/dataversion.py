"""The data's version: what a result built from the data (a report, a PDF) is kept by until the data changes.

Every change to domain data is written to the history (`core.history`: a `Change` row per record changed,
created, deleted or imported), so the newest change's number moves with every edit. Demo and reference
data are loaded without history; the newest ALIS and doctor cover them (a new seed makes new rows). The
day is part of it too: reports count «now» and «this year» from today's date.

One query on primary-key indexes: cheap enough to ask on every request that reuses a built result.
"""

from django.db import connection
from django.utils import timezone


def current() -> str:
    from core.models import Change
    from registry.models import Doctor
    from training.models import Training

    tables = [model._meta.db_table for model in (Change, Training, Doctor)]
    quote = connection.ops.quote_name
    # Table names from the models, quoted: no outside input in the statement.
    sql = "SELECT " + ", ".join(f"(SELECT MAX(id) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        newest = cursor.fetchone()
    return "-".join(str(number or 0) for number in newest) + f"-{timezone.localdate():%Y%m%d}"

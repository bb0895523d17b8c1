"""The search's `icontains` on doctors and GP offices is answered from pg_trgm indexes on PostgreSQL (migrations
0006 and 0007), not by reading every row: its time would otherwise grow with the register (issue 16)."""

import pytest
from django.db import connection

from core.suggestions import search
from registry.models import Doctor, GpOffice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"),
]


@pytest.mark.parametrize(
    ("queryset", "fields", "indexes"),
    [
        (Doctor.objects.all(), ("first_name", "last_name", "hpr_number"), ("registry_doctor_last_name_trgm",)),
        (GpOffice.objects.all(), ("name", "postal_place"), ("registry_gpoffice_name_trgm",)),
    ],
)
def test_the_search_reads_the_trigram_index(queryset, fields, indexes) -> None:
    sql, params = search(queryset, "berg", fields).query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database is small enough to scan, or to read in the order of another index and filter.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert all(index in plan for index in indexes), plan

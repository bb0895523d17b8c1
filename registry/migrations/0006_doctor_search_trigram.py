"""Trigram indexes for the search on doctors' names and HPR numbers (PostgreSQL only; core.search_indexes).

The search (records.search, and the lists' «Søk» fields) scanned every doctor three times per search (doctors, ALIS
and the supervisor pool all match on the doctor), so its time grew with the register (issue 16: 1.4× at twice the
data).
"""

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_municipality_language_form")]

    operations = [trigram_indexes("registry_doctor", ("first_name", "last_name", "hpr_number"))]

"""Trigram indexes for the search on GP offices' names and postal places (PostgreSQL only; core.search_indexes).

The search across everything (records.search) and the GP office list's «Søk» field scanned every office: the search
page grew 1.15× at twice the data, a third of it this scan (1.0 → 2.0 ms for «berg»).
"""

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_doctor_search_trigram")]

    operations = [trigram_indexes("registry_gpoffice", ("name", "postal_place"))]

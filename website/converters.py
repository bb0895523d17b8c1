"""`/<office>/`: a section of the site per office, matching the office codes only.

The codes come from the reference data (registry/data/offices.csv), so `/vest/` is Vest's section and
`/kurs/`, `/alis/` or any other word is never taken for an office. The section patterns come last in the
root URL conf, and `website.checks` refuses to start if an office code is also a top-level address of the
app, so an office can never shadow a page of the app, nor the app an office.
"""

import csv
import re

from registry.reference import OFFICES_CSV


def reference_office_codes() -> tuple[str, ...]:
    with OFFICES_CSV.open(encoding="utf-8") as file:
        return tuple(row["code"] for row in csv.DictReader(file))


OFFICE_CODES = reference_office_codes()


class OfficeCodeConverter:
    regex = "|".join(re.escape(code) for code in OFFICE_CODES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        if value not in OFFICE_CODES:
            raise ValueError(value)
        return value

"""A generated regular-GP list of any size, for the query-count tests and for timing (`profile_gp_import.py`)."""

from registry.models import Municipality

HEADER = "Kommunenummer;Legekontor;Adresse;Postnummer;Poststed;Lege;HPR-nummer;Listelengde;Listetak;Åpen liste\r\n"


def gp_list_file(
    municipalities: list[Municipality], rows: int, *, doctors_per_office: int = 5, list_size: int = 800
) -> bytes:
    """`rows` regular GPs, `doctors_per_office` to a GP office, spread over the municipalities (CSV, UTF-8).

    Every fourth doctor has no HPR number, so that matching by name at the office is exercised too. Another
    `list_size` changes every row of a file imported before.
    """
    lines = [HEADER]
    for index in range(rows):
        office = index // doctors_per_office
        municipality = municipalities[office % len(municipalities)]
        hpr = "" if index % 4 == 3 else str(1_000_000 + index)
        lines.append(
            f"{municipality.number};Legekontor {office};Storgata {office};{5000 + office % 1000:04d};Byen;"
            f"Lege{index}, Fornavn{index % 97};{hpr};{list_size + index % 700};1 500;ja\r\n"
        )
    return "".join(lines).encode()

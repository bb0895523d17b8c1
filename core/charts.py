"""Server-side series for the simple bar charts; the page shows the same numbers as a table."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: float  # of the largest value, for the bar's width


def bars(series: list[tuple[str, int]]) -> list[Bar]:
    largest = max((value for _, value in series), default=0) or 1
    return [Bar(label, value, round(100 * value / largest, 1)) for label, value in series]

"""The retention chart as SVG geometry computed on the server (no JavaScript); the page shows the numbers too."""

from dataclasses import dataclass

from office.report import RetentionGroup

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 34
MAX_MONTHS = 72  # six years: a training takes five at full time


@dataclass(frozen=True)
class Curve:
    label: str
    path: str
    series: int  # colour class: chart-series-<n>


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class RetentionChart:
    width: int
    height: int
    curves: list[Curve]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _x(months: float) -> float:
    return round(LEFT + (WIDTH - LEFT - RIGHT) * min(months, MAX_MONTHS) / MAX_MONTHS, 1)


def _y(share: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share), 1)


def step_path(steps: list, max_months: float = MAX_MONTHS) -> str:
    """An SVG path of the Kaplan–Meier step curve from (0, 100 %) to the last observation."""
    parts = [f"M{_x(0)} {_y(1.0)}"]
    for step in steps:
        if step.time > max_months:
            break
        parts.append(f"H{_x(step.time)} V{_y(step.survival)}")
    if steps:
        parts.append(f"H{_x(min(steps[-1].time, max_months))}")
    return " ".join(parts)


def retention_chart(groups: list[RetentionGroup], paths: dict[int, str] | None = None) -> RetentionChart:
    """`paths` keeps the drawn curves by group, so that a group shown in several charts is drawn once."""
    paths = {} if paths is None else paths
    curves = []
    for n, g in enumerate(groups):
        if g.steps:
            if id(g) not in paths:
                paths[id(g)] = step_path(g.steps)
            curves.append(Curve(g.label, paths[id(g)], n))
    x_ticks = [Tick(_x(m), str(m // 12)) for m in range(0, MAX_MONTHS + 1, 12)]
    y_ticks = [Tick(_y(p / 100), f"{p} %") for p in range(0, 101, 25)]
    return RetentionChart(WIDTH, HEIGHT, curves, x_ticks, y_ticks)

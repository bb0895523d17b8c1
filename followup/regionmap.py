"""A map of one office's region, drawn on the server as SVG from the municipalities' coordinates (no map tiles).

The projection is equirectangular around the region's middle latitude: x = longitude × cos(middle latitude),
y = latitude, scaled to fit the drawing. Over one region (a few degrees) that keeps distances east–west and
north–south in proportion near the middle, which is all a map of points needs; it is not a survey projection.

Each municipality is a point sized by its ALIS (the area grows with the number, so a point's radius with its
square root), shaped and coloured by its registration as training institution in allmennmedisin (WCAG 1.4.1:
never by colour alone), with the supervisors' free places as a second layer. A municipality without coordinates
in the reference data is listed beside the map, and every number is in the table below it.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from registry.models import Municipality, Office, RegistrationStatus, Specialty
from supervision import pool
from training import overview as ov

WIDTH = 640
MAX_HEIGHT = 720
PADDING = 40  # room for the largest point and its label at the edge
LABELLED = 6  # the municipalities with most ALIS get their name on the map, to find one's way
MIN_RADIUS = 4.0
MAX_RADIUS = 18.0

# Shape and colour of each registration status; the colours have at least 3:1 contrast on white (WCAG 1.4.11).
SHAPES = {
    RegistrationStatus.REGISTERED: ("circle", "#0b5394"),
    RegistrationStatus.TEMPORARY: ("square", "#0a7a3a"),
    RegistrationStatus.PENDING: ("triangle", "#a14d00"),
    RegistrationStatus.NOT_APPLIED: ("ring", "#4a4f57"),
}


@dataclass
class Place:
    pk: int
    number: str
    name: str
    latitude: float | None
    longitude: float | None
    alis: int
    status: str
    free: int
    x: float = 0.0
    y: float = 0.0
    r: float = MIN_RADIUS
    labelled: bool = False

    @property
    def status_label(self) -> str:
        return str(RegistrationStatus(self.status).label)

    @property
    def shape(self) -> str:
        return SHAPES[self.status][0]

    @property
    def colour(self) -> str:
        return SHAPES[self.status][1]

    @property
    def placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def triangle(self) -> str:
        """The points of an upward triangle of about the circle's area, around (x, y)."""
        side = self.r * 2.7
        height = side * math.sqrt(3) / 2
        top = (self.x, self.y - height * 2 / 3)
        left = (self.x - side / 2, self.y + height / 3)
        right = (self.x + side / 2, self.y + height / 3)
        return " ".join(f"{px:.1f},{py:.1f}" for px, py in (top, left, right))

    @property
    def label_y(self) -> float:
        return round(self.y + self.r + 12, 1)

    @property
    def square(self) -> tuple[float, float, float]:
        """x, y and side of a square of about the circle's area, centred on the point."""
        side = round(self.r * 1.77, 1)
        return round(self.x - side / 2, 1), round(self.y - side / 2, 1), side


@dataclass
class RegionMap:
    office: Office
    width: int
    height: int
    places: list[Place]  # every municipality of the region, in number order (the table)
    unplaced: list[Place] = field(default_factory=list)  # without coordinates: listed beside the map
    drawn: list[Place] = field(default_factory=list)  # with coordinates, largest first (small ones on top)
    total_alis: int = 0
    total_free: int = 0
    max_alis: int = 0

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        return [(shape, colour, str(status.label)) for status, (shape, colour) in SHAPES.items()]


def project(places: list[Place], *, width: int = WIDTH, max_height: int = MAX_HEIGHT) -> tuple[int, int]:
    """Place the points with coordinates in a drawing `width` wide (and at most `max_height` high); its size."""
    placed = [p for p in places if p.placed]
    if not placed:
        return width, PADDING * 2
    middle = math.radians((min(p.latitude for p in placed) + max(p.latitude for p in placed)) / 2)
    xs = [p.longitude * math.cos(middle) for p in placed]
    ys = [p.latitude for p in placed]
    (west, east), (south, north) = _span(xs), _span(ys)
    x_span, y_span = east - west, north - south
    scale = min((width - 2 * PADDING) / x_span, (max_height - 2 * PADDING) / y_span)
    for p, x, y in zip(placed, xs, ys, strict=True):
        p.x = round(PADDING + (x - west) * scale, 1)
        p.y = round(PADDING + (north - y) * scale, 1)  # north up
    # The drawing is as wide as the region: a tall region gives a narrow map, not one with empty sides.
    return round(x_span * scale + 2 * PADDING), round(y_span * scale + 2 * PADDING)


MIN_SPAN = 0.5  # degrees: a region of one municipality (Oslo) is drawn in a square around it, not in a corner


def _span(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        return middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    return low, high


def radius(alis: int, max_alis: int) -> float:
    """The point's radius: its area in proportion to the ALIS, from a small dot for none."""
    if alis <= 0 or max_alis <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(alis / max_alis), 1)


def region_map(office: Office, today: date) -> RegionMap:
    """The region's municipalities with their ALIS (as the overview counts them), registration status in
    allmennmedisin and supervisors' free places (as the supervisor pool counts them)."""
    rows, _total = ov.alis_by_municipality(office, today)
    status_key = f"status_{Specialty.GENERAL_PRACTICE.value}"
    statuses = dict(
        Municipality.objects.in_office(office.pk).with_registration_status(today).values_list("pk", status_key)
    )
    free = {row.key: row.free for row in pool.pool_summary(office, today).rows}
    places = [
        Place(
            pk=row.link.pk,
            number=row.link.number,
            name=row.link.name,
            latitude=row.link.latitude,
            longitude=row.link.longitude,
            alis=row.total,
            status=statuses.get(row.link.pk) or RegistrationStatus.NOT_APPLIED,
            free=free.get(row.link.pk, 0),
        )
        for row in rows
    ]
    width, height = project(places)
    max_alis = max((p.alis for p in places), default=0)
    for p in places:
        p.r = radius(p.alis, max_alis)
    drawn = sorted((p for p in places if p.placed), key=lambda p: (-p.r, p.number))
    for p in [p for p in drawn if p.alis][:LABELLED]:
        p.labelled = True
    return RegionMap(
        office=office,
        width=width,
        height=height,
        places=places,
        unplaced=[p for p in places if not p.placed],
        drawn=drawn,
        total_alis=sum(p.alis for p in places),
        total_free=sum(p.free for p in places),
        max_alis=max_alis,
    )

"""Where Fig. 1's labels go: beside their circle if there is room, farther out with a leader line if not, and
in a column beside the plot as the last resort, so no label ever covers another label or any circle.

Text is measured with generous per-character widths (wider than the usual sans-serif faces), so a label the
browser draws is never wider than the box it was placed by."""

import math
from dataclasses import dataclass

GAPS = (3, 10, 20, 34, 52)  # how far beyond its circle a label may stand, nearest first
# Directions tried at each distance, in degrees (0 is right, 90 is down): the sides, then the diagonals.
ANGLES = (0, 180, -90, 90, -35, 35, -145, 145)
PADDING = 1.5
COLUMN_GAP = 10
_NARROW, _WIDE_LOWER = set("ijlt.,:;'!|()[] frI"), set("mw")


def text_width(text: str, font_size: float) -> float:
    em = 0.0
    for character in text:
        if character in _NARROW:
            em += 0.4
        elif character in _WIDE_LOWER or character in "MW":
            em += 0.95
        elif character.isupper():
            em += 0.76
        else:
            em += 0.64
    return em * font_size + 2


@dataclass
class Label:
    text: str
    x: float  # the text's anchor point: its left, right or middle, at its vertical middle
    y: float
    anchor: str  # "start", "end" or "middle"
    width: float
    height: float
    leader: tuple[float, float, float, float] | None = None  # from the circle's edge to the label

    @property
    def box(self) -> tuple[float, float, float, float]:
        left = {"start": self.x, "end": self.x - self.width, "middle": self.x - self.width / 2}[self.anchor]
        return left, self.y - self.height / 2, left + self.width, self.y + self.height / 2


def _overlaps(a, b) -> bool:
    return a[0] < b[2] + PADDING and b[0] < a[2] + PADDING and a[1] < b[3] + PADDING and b[1] < a[3] + PADDING


def _touches_circle(box, x: float, y: float, r: float) -> bool:
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return math.hypot(nearest_x - x, nearest_y - y) < r + PADDING


def _inside(box, bounds) -> bool:
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def _candidate(bubble, text: str, width: float, height: float, gap: float, angle: float) -> Label:
    radians = math.radians(angle)
    distance = bubble.r + gap
    x, y = bubble.x + distance * math.cos(radians), bubble.y + distance * math.sin(radians)
    anchor = "middle" if abs(angle) == 90 else "start" if abs(angle) < 90 else "end"
    if abs(angle) == 90:
        y += math.copysign(height / 2, angle)
    elif angle != 0 and abs(angle) != 180:
        y += math.copysign(height / 2, angle)
    leader = None
    if gap > GAPS[1]:
        edge = (bubble.x + bubble.r * math.cos(radians), bubble.y + bubble.r * math.sin(radians))
        leader = (edge[0], edge[1], x, y if abs(angle) in (0, 180) else y - math.copysign(height / 2, angle))
    return Label(text, x, y, anchor, width, height, leader)


def _is_clear(label: Label, bubbles, placed: list[Label], bounds) -> bool:
    box = label.box
    return (
        _inside(box, bounds)
        and not any(_overlaps(box, other.box) for other in placed)
        and not any(_touches_circle(box, b.x, b.y, b.r) for b in bubbles)
    )


def _near(bubble, text: str, *, font_size: float, bubbles, placed, bounds) -> Label | None:
    width, height = text_width(text, font_size), font_size * 1.25
    for gap in GAPS:
        for angle in ANGLES:
            label = _candidate(bubble, text, width, height, gap, angle)
            if _is_clear(label, bubbles, placed, bounds):
                return label
    return None


def labels_place(bubbles, *, layout, bounds, last_resort: bool) -> list:
    """Give every bubble a label (its name, or its rank on a numbered chart) at the nearest clear spot, the
    rank number where a name finds none. Returns the bubbles left without one; with `last_resort`, those go
    in columns from the plot's top right instead, each with a leader line."""
    placed: list[Label] = []
    leftover = []
    for bubble in sorted(bubbles, key=lambda b: b.point.rank):
        texts = [str(bubble.point.rank)] if layout.numbered else [bubble.point.name, str(bubble.point.rank)]
        for text in texts:
            label = _near(bubble, text, font_size=layout.font_size, bubbles=bubbles, placed=placed, bounds=bounds)
            if label:
                bubble.label = label
                placed.append(label)
                break
        else:
            leftover.append(bubble)
    if leftover and last_resort:
        _column_place(leftover, font_size=layout.font_size, bounds=bounds, placed=placed, bubbles=bubbles)
        return []
    return leftover


def _column_place(leftover, *, font_size: float, bounds, placed: list[Label], bubbles) -> None:
    """Rank numbers stacked down the plot's right edge, then in columns further in, each in the first clear
    slot, with a leader line to its circle."""
    height = font_size * 1.25
    width = max(text_width(str(b.point.rank), font_size) for b in leftover)
    slots = [
        (x, bounds[1] + height / 2 + row * height / 2)
        for x in _columns(bounds, width)
        for row in range(int((bounds[3] - bounds[1] - height) / (height / 2)) + 1)
    ]
    for bubble in sorted(leftover, key=lambda b: b.y):
        label = next(
            (
                candidate
                for x, y in slots
                if _is_clear(
                    candidate := Label(str(bubble.point.rank), x, y, "start", width, height), bubbles, placed, bounds
                )
            ),
            # No clear slot anywhere (never seen): the top right corner, over whatever is there.
            Label(str(bubble.point.rank), bounds[2] - width, bounds[1] + height / 2, "start", width, height),
        )
        label.leader = (bubble.x, bubble.y, label.x, label.y)
        bubble.label = label
        placed.append(label)


def _columns(bounds, width: float) -> list[float]:
    columns, x = [], bounds[2] - width
    while x >= bounds[0]:
        columns.append(x)
        x -= width + COLUMN_GAP
    return columns

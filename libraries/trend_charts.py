"""Figures over time, drawn by the site as inline SVG: a sparkline of stars for a list's row, and a library's
history chart (one panel a figure, each on its own scale, the points a post printed marked)."""

from dataclasses import dataclass, field
from datetime import datetime

SPARK_WIDTH, SPARK_HEIGHT, SPARK_POINTS = 80, 20, 40


@dataclass(frozen=True)
class TrendPoint:
    when: datetime
    value: int
    printed: bool = False  # what a post printed, not a GitHub snapshot


def _thinned(points: list[TrendPoint], most: int) -> list[TrendPoint]:
    """At most `most` points, evenly picked, the first and the last always kept."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    return [points[round(index * step)] for index in range(most)]


def _scaled(points: list[TrendPoint], left: float, top: float, width: float, height: float) -> list[tuple]:
    start, end = points[0].when.timestamp(), points[-1].when.timestamp()
    low, high = min(p.value for p in points), max(p.value for p in points)
    span_time, span_value = (end - start) or 1, (high - low) or 1
    return [
        (
            round(left + (p.when.timestamp() - start) / span_time * width, 1),
            round(top + height - (p.value - low) / span_value * height, 1),
            p,
        )
        for p in points
    ]


@dataclass(frozen=True)
class Sparkline:
    polyline: str
    first: TrendPoint
    last: TrendPoint
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def description(self) -> str:
        first, last = self.first, self.last
        return f"Stars from {first.value:,} ({first.when:%b %Y}) to {last.value:,} ({last.when:%b %Y})"


def sparkline(points: list[TrendPoint]) -> Sparkline | None:
    """None for fewer than two points: one point is no trend."""
    points = _thinned(sorted(points, key=lambda p: p.when), SPARK_POINTS)
    if len(points) < 2:
        return None
    scaled = _scaled(points, 1, 2, SPARK_WIDTH - 2, SPARK_HEIGHT - 4)
    return Sparkline(" ".join(f"{x},{y}" for x, y, _ in scaled), points[0], points[-1])


HISTORY_WIDTH, HISTORY_NARROW_WIDTH = 660, 340
PANEL_HEIGHT, PANEL_GAP, HISTORY_LEFT, HISTORY_RIGHT = 110, 50, 70, 12
HISTORY_POINTS = 200


@dataclass
class Panel:
    label: str
    top: float
    polyline: str
    printed: list[tuple[float, float, TrendPoint]]
    low: int
    high: int
    height: float = PANEL_HEIGHT

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass
class HistoryChart:
    width: int
    height: int
    left: int
    right: int
    start: datetime
    end: datetime
    panels: list[Panel] = field(default_factory=list)


def history_chart(series: dict[str, list[TrendPoint]], width: int = HISTORY_WIDTH) -> HistoryChart | None:
    """One panel for each figure with two points or more, sharing the time axis; None when none has.
    Drawn at `width` (the wide one for a desktop, a narrow one for a phone, so its text stays legible)."""
    kept = {label: sorted(points, key=lambda p: p.when) for label, points in series.items() if len(points) >= 2}
    if not kept:
        return None
    start = min(points[0].when for points in kept.values())
    end = max(points[-1].when for points in kept.values())
    chart = HistoryChart(
        width=width,
        height=len(kept) * (PANEL_HEIGHT + PANEL_GAP) + 8,
        left=HISTORY_LEFT,
        right=width - HISTORY_RIGHT,
        start=start,
        end=end,
    )
    for index, (label, points) in enumerate(kept.items()):
        top = index * (PANEL_HEIGHT + PANEL_GAP) + 24
        # The panel's own ends in time are the chart's, so the panels line up.
        framed = [TrendPoint(start, points[0].value), *points, TrendPoint(end, points[-1].value)]
        scaled = _scaled(framed, chart.left, top, chart.right - chart.left, PANEL_HEIGHT)[1:-1]
        drawn = _thinned(scaled, HISTORY_POINTS) if len(scaled) > HISTORY_POINTS else scaled
        chart.panels.append(
            Panel(
                label=label,
                top=top,
                polyline=" ".join(f"{x},{y}" for x, y, point in drawn if not point.printed),
                printed=[(x, y, point) for x, y, point in scaled if point.printed],
                low=min(p.value for p in points),
                high=max(p.value for p in points),
            )
        )
    return chart

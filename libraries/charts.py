"""Fig. 1, drawn by the site: commits against contributors on log scales, circle area proportional to stars,
every label placed clear of the other labels and of every circle (libraries.chart_labels)."""

import math
from dataclasses import dataclass, field

from libraries.chart_labels import Label, labels_place


@dataclass(frozen=True)
class ChartPoint:
    rank: int
    name: str
    commits: int
    contributors: int
    stars: int | None


@dataclass(frozen=True)
class Layout:
    """A chart's shape. `numbered` charts label circles with their rank and list the names in a key."""

    name: str
    width: int
    plot_height: int
    font_size: int
    max_radius: float
    min_radius: float
    numbered: bool
    left: int = 60
    right: int = 14
    top: int = 30


# Drawn at its own width on a wide screen (viewBox 720 in a ~670 px box: labels stay ≥ 12 px tall)
# and on a phone (viewBox 340 in a ~340 px box), where names would not fit: numbers and a key instead.
WIDE = Layout("wide", width=720, plot_height=400, font_size=14, max_radius=30, min_radius=3, numbered=False)
NARROW = Layout("narrow", width=340, plot_height=380, font_size=14, max_radius=20, min_radius=2, numbered=True, left=50)
AXIS_BAND = 46  # tick labels and the axis title under the plot
TALLER, TALLER_ATTEMPTS = 1.3, 3


@dataclass
class Bubble:
    point: ChartPoint
    x: float
    y: float
    r: float
    label: Label | None = None

    @property
    def has_stars(self) -> bool:
        return self.point.stars is not None


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # "end" for the one at the plot's right edge, so it is not cut off


@dataclass(frozen=True)
class SizeReference:
    """A circle of the size key: a round number of stars, the smallest size drawn, or "no count printed"."""

    r: float
    x: float
    y: float
    label: str
    dashed: bool = False

    @property
    def label_x(self) -> float:
        return self.x + self.r + 4


@dataclass
class BubbleChart:
    layout: Layout
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bubbles: list[Bubble]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    size_key_y: float
    size_references: list[SizeReference] = field(default_factory=list)
    min_stars_drawn: int | None = None  # circles for fewer stars are drawn at the smallest size

    @property
    def has_bubbles_without_stars(self) -> bool:
        return any(not bubble.has_stars for bubble in self.bubbles)

    @property
    def font_size(self) -> int:
        return self.layout.font_size

    @property
    def numbered(self) -> bool:
        return self.layout.numbered

    @property
    def in_drawing_order(self) -> list[Bubble]:
        return sorted(self.bubbles, key=lambda bubble: -bubble.r)  # small circles drawn last stay visible

    @property
    def by_rank(self) -> list[Bubble]:
        return sorted(self.bubbles, key=lambda bubble: bubble.point.rank)


def _log_scale(low: float, high: float, start: float, end: float):
    low, high = math.log10(low), math.log10(high)
    span = (high - low) or 1.0
    return lambda value: start + (math.log10(value) - low) / span * (end - start)


def _ticks(low: float, high: float, scale) -> list[Tick]:
    """Powers of ten within the range; with fewer than two of them, 2× and 5× steps too."""
    decade = 10 ** math.floor(math.log10(low))
    steps = [1] if high / low >= 10 else [1, 2, 5]
    values = []
    while decade <= high:
        values += [decade * step for step in steps if low <= decade * step <= high]
        decade *= 10
    return [Tick(scale(value), f"{value:,}") for value in values]


def _radius(stars: int | None, most_stars: int, max_radius: float, min_radius: float) -> float:
    if stars is None:
        return min_radius * 2.5
    return max(min_radius, max_radius * math.sqrt(stars / most_stars)) if most_stars else min_radius


def _size_references(most_stars: int, max_radius: float, min_radius: float) -> list[int]:
    """Two or three round star counts spanning what is drawn, the largest not above the most stars."""
    top = 10 ** math.floor(math.log10(most_stars))
    references = [top // 100, top // 10, top]
    return [stars for stars in references if stars >= 1 and _radius(stars, most_stars, max_radius, 0) >= min_radius]


def bubble_chart(points: list[ChartPoint], layout: Layout = WIDE) -> BubbleChart | None:
    """The chart of the points that have both commits and contributors; None when fewer than two do."""
    plotted = [p for p in points if p.commits and p.contributors]
    if len(plotted) < 2:
        return None
    crowd = max(1.0, math.sqrt(len(plotted) / 13))  # more libraries: smaller circles and a taller plot
    for attempt in range(TALLER_ATTEMPTS + 1):
        # A plot too crowded for every label is drawn again taller, then the last resort takes the rest.
        chart = _laid_out(plotted, layout, crowd, layout.plot_height * crowd * TALLER**attempt)
        bounds = (chart.plot_left, chart.plot_top, chart.plot_right, chart.plot_bottom)
        if not labels_place(chart.bubbles, layout=layout, bounds=bounds, last_resort=attempt == TALLER_ATTEMPTS):
            return chart
    raise AssertionError("unreachable: the last attempt places every label")


def _laid_out(plotted: list[ChartPoint], layout: Layout, crowd: float, plot_height: float) -> BubbleChart:
    max_radius = layout.max_radius / crowd
    most_stars = max((p.stars or 0) for p in plotted)
    chart = _frame(layout, plot_height)
    x_low, x_high = min(p.commits for p in plotted), max(p.commits for p in plotted)
    y_low, y_high = min(p.contributors for p in plotted), max(p.contributors for p in plotted)
    # The extremes' centres sit a largest radius in from the plot's edges, so every circle stays inside.
    x_scale = _log_scale(x_low, max(x_high, x_low * 2), chart.plot_left + max_radius, chart.plot_right - max_radius)
    y_scale = _log_scale(y_low, max(y_high, y_low * 2), chart.plot_bottom - max_radius, chart.plot_top + max_radius)
    chart.bubbles = [
        Bubble(
            p, x_scale(p.commits), y_scale(p.contributors), _radius(p.stars, most_stars, max_radius, layout.min_radius)
        )
        for p in plotted
    ]
    chart.x_ticks = [
        Tick(t.position, t.label, "end" if t.position + len(t.label) * 4.5 > layout.width else "middle")
        for t in _ticks(*_domain(x_scale, chart.plot_left, chart.plot_right), x_scale)
    ]
    chart.y_ticks = _ticks(*sorted(_domain(y_scale, chart.plot_bottom, chart.plot_top)), y_scale)
    _size_key(chart, most_stars, max_radius)
    return chart


def _frame(layout: Layout, plot_height: float) -> BubbleChart:
    plot_bottom = layout.top + plot_height
    key_band = 2 * layout.max_radius + 30
    return BubbleChart(
        layout=layout,
        width=layout.width,
        height=math.ceil(plot_bottom + AXIS_BAND + key_band),
        plot_left=layout.left,
        plot_right=layout.width - layout.right,
        plot_top=layout.top,
        plot_bottom=plot_bottom,
        bubbles=[],
        x_ticks=[],
        y_ticks=[],
        size_key_y=plot_bottom + AXIS_BAND + layout.max_radius + 8,
    )


def _domain(scale, start: float, end: float) -> tuple[float, float]:
    """The data values at a plot's two edges: the inverse of a log scale, sampled at both ends."""
    low_position, high_position = scale(1), scale(10)
    per_decade = high_position - low_position
    return tuple(10 ** ((edge - low_position) / per_decade) for edge in (start, end))


def _size_key(chart: BubbleChart, most_stars: int, max_radius: float) -> None:
    """Reference circles under the plot, in as many rows as the width needs; the chart grows to hold them."""
    layout = chart.layout
    smallest = (layout.min_radius / max_radius) ** 2 * most_stars if most_stars else 0
    if any(b.has_stars and b.point.stars < smallest for b in chart.bubbles):
        chart.min_stars_drawn = math.ceil(smallest)
    keys = [
        (_radius(stars, most_stars, max_radius, layout.min_radius), f"{stars:,}", False)
        for stars in (_size_references(most_stars, max_radius, layout.min_radius) if most_stars else [])
    ]
    if chart.min_stars_drawn:
        keys.append((layout.min_radius, f"under {chart.min_stars_drawn:,}", False))
    if chart.has_bubbles_without_stars:
        keys.append((layout.min_radius * 2.5, "no count printed", True))
    start = chart.plot_left + layout.font_size * 3.5  # after "Stars:"
    x, y, row_height = start, chart.size_key_y, 2 * max(max_radius, layout.font_size) + 8
    for r, label, dashed in keys:
        needed = 2 * r + 4 + len(label) * layout.font_size * 0.64 + 14
        if x + needed > chart.plot_right and x > start:
            x, y = start, y + row_height
        chart.size_references.append(SizeReference(r, x + r, y, label, dashed))
        x += needed
    chart.height = math.ceil(max(chart.height, y + row_height / 2 + 6))

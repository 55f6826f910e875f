"""The post's Fig. 1, drawn by the site: commits against contributors, circle area by stars."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 52
MAX_RADIUS, MIN_RADIUS = 28, 4


@dataclass
class Bubble:
    rank: int
    name: str
    x: float
    y: float
    r: float
    stars: int | None
    commits: int
    contributors: int
    label_x: float
    label_y: float
    label_anchor: str


@dataclass
class Tick:
    value: int
    position: float
    label: str


@dataclass
class BubbleChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bubbles: list[Bubble]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _log_scale(low: float, high: float, start: float, end: float):
    low, high = math.log10(low), math.log10(high)
    span = (high - low) or 1.0
    return lambda value: start + (math.log10(value) - low) / span * (end - start)


def _ticks(low: int, high: int, scale) -> list[Tick]:
    ticks = []
    power = 10 ** math.floor(math.log10(low))
    while power <= high:
        if power >= low:
            ticks.append(Tick(power, scale(power), f"{power:,}"))
        power *= 10
    return ticks


LABEL_HEIGHT, CHARACTER_WIDTH = 14, 6.8


def _label_box(bubble: Bubble, y: float) -> tuple[float, float, float, float]:
    width = len(bubble.name) * CHARACTER_WIDTH
    left = bubble.label_x if bubble.label_anchor == "start" else bubble.label_x - width
    return left, y - LABEL_HEIGHT / 2, left + width, y + LABEL_HEIGHT / 2


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spread_labels(bubbles: list[Bubble]) -> None:
    """Move a label up or down until it clears the labels already placed (greedy, by rank)."""
    placed = []
    for bubble in sorted(bubbles, key=lambda b: b.rank):
        for shift in (0, -LABEL_HEIGHT, LABEL_HEIGHT, -2 * LABEL_HEIGHT, 2 * LABEL_HEIGHT):
            box = _label_box(bubble, bubble.y + shift)
            if not any(_overlaps(box, other) for other in placed):
                bubble.label_y = round(bubble.y + shift, 1)
                break
        placed.append(_label_box(bubble, bubble.label_y))


def bubble_chart(entries) -> BubbleChart | None:
    """A chart of the entries that printed both commits and contributors; None when fewer than two did."""
    plotted = [e for e in entries if e.commits and e.contributors]
    if len(plotted) < 2:
        return None
    commits = [e.commits for e in plotted]
    contributors = [e.contributors for e in plotted]
    # Pad the ranges by a fraction of a decade so the largest circles stay inside the plot.
    x_low, x_high = min(commits) / 1.6, max(commits) * 1.6
    y_low, y_high = min(contributors) / 1.6, max(contributors) * 1.6
    x_scale = _log_scale(x_low, x_high, LEFT, WIDTH - RIGHT)
    y_scale = _log_scale(y_low, y_high, HEIGHT - BOTTOM, TOP)
    most_stars = max((e.stars or 0) for e in plotted) or 1
    middle = (LEFT + WIDTH - RIGHT) / 2
    bubbles = []
    for entry in plotted:
        x = x_scale(entry.commits)
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt((entry.stars or 0) / most_stars)
        bubbles.append(
            Bubble(
                rank=entry.rank,
                name=entry.name,
                x=round(x, 1),
                y=round(y_scale(entry.contributors), 1),
                r=round(radius, 1),
                stars=entry.stars,
                commits=entry.commits,
                contributors=entry.contributors,
                label_x=round(x + radius + 3 if x < middle else x - radius - 3, 1),
                label_y=round(y_scale(entry.contributors), 1),
                label_anchor="start" if x < middle else "end",
            )
        )
    _spread_labels(bubbles)
    bubbles.sort(key=lambda bubble: -bubble.r)  # small circles drawn last stay visible
    return BubbleChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        bubbles=bubbles,
        x_ticks=_ticks(math.ceil(x_low), int(x_high), x_scale),
        y_ticks=_ticks(math.ceil(y_low), int(y_high), y_scale),
    )

"""A post's ranked list then and now: what the post printed, GitHub's figures today, the change between them,
the rank each library would have today by stars, and the orders a reader may sort the list in."""

from dataclasses import dataclass
from functools import cached_property

from articles.models import ListEntry
from libraries.trend_charts import Sparkline

FIGURES = {"stars": "Stars", "contributors": "Contributors", "commits": "Commits"}
WHENS = ("then", "today", "change")
# Every order a reader may ask for (`?sort=`); anything else is the list's own.
ORDERING_KEYS = ("rank", "rank_today", "name", *(f"{figure}_{when}" for figure in FIGURES for when in WHENS))


@dataclass(frozen=True)
class FigureColumn:
    name: str
    label: str

    @property
    def then_key(self) -> str:
        return f"{self.name}_then"

    @property
    def today_key(self) -> str:
        return f"{self.name}_today"

    @property
    def change_key(self) -> str:
        return f"{self.name}_change"


COLUMNS = [FigureColumn(name, label) for name, label in FIGURES.items()]


@dataclass(frozen=True)
class FigureThenNow:
    name: str
    label: str
    then: int | None
    today: int | None

    @property
    def change(self) -> int | None:
        if self.then is None or self.today is None:
            return None
        return self.today - self.then

    @property
    def change_percent(self) -> float | None:
        """The change as a share of what was printed; None when either side, or the printed figure, is 0 or
        missing (there is no percentage of nothing)."""
        if self.change is None or not self.then:
            return None
        return self.change / self.then * 100


class Standing:
    """One entry of the list, then and now, with the trend of its stars when there is one."""

    def __init__(self, entry: ListEntry, rank_today: int | None, stars_trend: Sparkline | None = None):
        self.entry, self.library, self.rank_today, self.stars_trend = entry, entry.library, rank_today, stars_trend

    @cached_property
    def figures(self) -> list[FigureThenNow]:
        has_today = self.library.last_refreshed_at is not None
        return [
            FigureThenNow(name, label, getattr(self.entry, name), getattr(self.library, name) if has_today else None)
            for name, label in FIGURES.items()
        ]

    def figure(self, name: str) -> FigureThenNow:
        return next(figure for figure in self.figures if figure.name == name)


@dataclass(frozen=True)
class Ordering:
    key: str
    descending: bool


DEFAULT_ORDERING = Ordering("rank", descending=False)


def ordering_from(sort: str | None, direction: str | None) -> Ordering:
    """The order a reader asked for (`?sort=stars_today&dir=asc`); figures go descending unless asked not to,
    rank and name ascending. Anything else is the list's own order."""
    if sort in ("rank", "rank_today", "name"):
        return Ordering(sort, descending=direction == "desc")
    figure, _, when = (sort or "").rpartition("_")
    if figure in FIGURES and when in WHENS:
        return Ordering(sort, descending=direction != "asc")
    return DEFAULT_ORDERING


def _sort_value(standing: Standing, key: str):
    if key == "rank":
        return standing.entry.rank
    if key == "rank_today":
        return standing.rank_today
    if key == "name":
        return standing.entry.name.casefold()
    figure, _, when = key.rpartition("_")
    return getattr(standing.figure(figure), "change" if when == "change" else when)


class Standings:
    """The whole list then and now, in the order asked for; what is unknown sorts last either way."""

    columns = COLUMNS

    def __init__(self, entries: list[ListEntry], ordering: Ordering = DEFAULT_ORDERING, trends: dict | None = None):
        self.entries, self.ordering, self.trends = entries, ordering, trends or {}

    @cached_property
    def has_figures_today(self) -> bool:
        return self.last_refreshed_at is not None

    @cached_property
    def last_refreshed_at(self):
        """The newest refresh among the list's libraries: what "today" means in the table."""
        return max((e.library.last_refreshed_at for e in self.entries if e.library.last_refreshed_at), default=None)

    @cached_property
    def _ranks_today(self) -> dict[int, int]:
        """Each library's rank among this list's by stars today; libraries of equal stars share a rank."""
        stars = sorted(
            ((entry.library.stars, entry.pk) for entry in self.entries if _stars_today(entry) is not None),
            reverse=True,
        )
        ranks, previous = {}, None
        for position, (count, entry_id) in enumerate(stars, start=1):
            ranks[entry_id] = ranks.get(previous[1]) if previous and previous[0] == count else position
            previous = (count, entry_id)
        return ranks

    @cached_property
    def rows(self) -> list[Standing]:
        standings = [
            Standing(entry, self._ranks_today.get(entry.pk), self.trends.get(entry.library_id))
            for entry in self.entries
        ]
        key = self.ordering.key
        known = [s for s in standings if _sort_value(s, key) is not None]
        unknown = [s for s in standings if _sort_value(s, key) is None]
        known.sort(
            key=lambda s: (_sort_value(s, key), -s.entry.rank if self.ordering.descending else s.entry.rank),
            reverse=self.ordering.descending,
        )
        return known + sorted(unknown, key=lambda s: s.entry.rank)

    @property
    def sorts_by_today_without_figures(self) -> bool:
        """Asked for an order by today's figures while there are none yet: the list keeps its own order."""
        return not self.has_figures_today and self.ordering.key.endswith(("_today", "_change"))


def _stars_today(entry: ListEntry) -> int | None:
    return entry.library.stars if entry.library.last_refreshed_at else None

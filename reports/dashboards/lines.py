"""A roll-up's lines: a place or unit with its figures, and the rates read from them."""

from dataclasses import dataclass, field

from enterprises.models import FIGURES
from unions.models import Division, UnionOrg

FIGURE_NAMES = ("total", *FIGURES)


def zero_figures():
    return dict.fromkeys(FIGURE_NAMES, 0)


def union_count(figures):
    return figures["both"] + figures["union_only"]


def party_count(figures):
    return figures["both"] + figures["party_only"]


def rate(part, total):
    return part / total if total else None


@dataclass
class Line:
    """One row of a roll-up: a county, a prefecture, a reporting unit or the whole area, with its figures.

    `previous` holds the same unit's figures in the campaign compared with, where there are any.
    """

    division: Division | None = None
    unit: UnionOrg | None = None
    figures: dict = field(default_factory=zero_figures)
    children: list = field(default_factory=list)
    previous: dict | None = None
    # A reporting unit's report, for a campaign's figures: its page shows the frozen enterprise list.
    deadline_id: int | None = None

    @property
    def name(self):
        if self.unit is not None:
            return self.unit.name
        return self.division.name if self.division else ""

    @property
    def code(self):
        if self.unit is not None:
            return self.unit.code
        return self.division.code if self.division else ""

    def add(self, figures):
        for name in FIGURE_NAMES:
            self.figures[name] += figures[name]

    @property
    def union_count(self):
        return union_count(self.figures)

    @property
    def party_count(self):
        return party_count(self.figures)

    @property
    def union_rate(self):
        """建会率: enterprises with a union ÷ enterprises in scope."""
        return rate(self.union_count, self.figures["total"])

    @property
    def party_rate(self):
        return rate(self.party_count, self.figures["total"])

    @property
    def previous_union_rate(self):
        return rate(union_count(self.previous), self.previous["total"]) if self.previous else None

    @property
    def union_rate_change(self):
        if self.union_rate is None or self.previous_union_rate is None:
            return None
        return self.union_rate - self.previous_union_rate

    def walk(self, level=0):
        """This line and every line below it, depth first, with its level (0 for the total)."""
        yield level, self
        for child in self.children:
            yield from child.walk(level + 1)

    def check(self):
        assert self.figures["total"] == sum(self.figures[name] for name in FIGURES), self.figures

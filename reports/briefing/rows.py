"""The shapes the briefing is made of: table rows whose cells are already text, lists of units, sections."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.templatetags.reports import percent, points


def long_date(day):
    return date_format(day, "DATE_FORMAT")


def rank_text(rank):
    return "—" if rank is None else str(rank)


@dataclass(frozen=True)
class CoverageRow:
    """One place (or reporting unit) in the coverage ranking."""

    rank: int | None
    name: str
    code: str
    total: int
    union_count: int
    union_rate: float | None
    change: float | None
    compared: bool

    @property
    def cells(self):
        cells = [rank_text(self.rank), self.name, str(self.total), str(self.union_count), percent(self.union_rate)]
        return [*cells, points(self.change)] if self.compared else cells


@dataclass(frozen=True)
class TimelinessRow:
    """One unit's record over the reports due by the date."""

    rank: int | None
    name: str
    code: str
    due: int
    on_time: int
    extended: int
    late: int
    missing: int
    on_time_rate: float | None
    missing_titles: tuple

    @property
    def cells(self):
        counts = (self.due, self.on_time, self.extended, self.late, self.missing)
        return [rank_text(self.rank), self.name, *map(str, counts), percent(self.on_time_rate)]


@dataclass(frozen=True)
class StageRow:
    """One deadline: how many reports were expected and handed in, in the four words, and approved."""

    title: str
    due_on: datetime.date
    is_due: bool
    expected: int
    submitted: int
    on_time: int
    extended: int
    late: int
    approved: int
    missing: int
    completeness: float | None

    @property
    def cells(self):
        counts = (self.expected, self.submitted, self.on_time, self.extended, self.late)
        missing = str(self.missing) if self.is_due else _("Not yet due")
        return [
            self.title,
            long_date(self.due_on),
            *map(str, counts),
            missing,
            str(self.approved),
            percent(self.completeness),
        ]


@dataclass(frozen=True)
class TargetRow:
    """A unit's target (目标任务分解) beside its result."""

    name: str
    code: str
    target_count: int
    union_count: int
    progress: float | None
    target_rate: float
    union_rate: float | None
    rate_met: bool | None

    @property
    def cells(self):
        met = "—" if self.rate_met is None else _("Yes") if self.rate_met else _("No")
        rates = (self.progress, self.target_rate, self.union_rate)
        return [self.name, str(self.target_count), str(self.union_count), *map(percent, rates), met]


@dataclass(frozen=True)
class UnitEntry:
    """A unit in the list of those that handed the latest report in, or of those that did not."""

    name: str
    code: str
    note: str = ""
    handed_in_on: datetime.date | None = None
    timeliness: str = ""
    overdue: bool = False

    @property
    def text(self):
        return _("%(unit)s (%(note)s)") % {"unit": self.name, "note": self.note} if self.note else self.name


@dataclass(frozen=True)
class Table:
    columns: list
    rows: list


@dataclass(frozen=True)
class EntryList:
    key: str
    caption: str
    entries: list


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    paragraphs: list = field(default_factory=list)
    table: Table | None = None
    lists: list = field(default_factory=list)

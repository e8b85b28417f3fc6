"""The briefing (情况通报) for a chosen date: a printable page and a .docx.

The 2019 plan asks for a 情况通报制度, a regular notice that compares the units. `context` puts everything the
notice says into one dict: the title, the opening paragraph and a list of sections, each with its heading,
sentences, table rows (every cell already text) and lists of units. The page and the Word document both print
that dict and nothing else, so the two always say the same thing.

Completeness and timeliness follow the dashboard: a report counts as handed in on the chosen date if it was first
handed in by the end of that day and is submitted or approved now. Coverage figures are the dashboard's own: the
live registry, or the approved survey reports of the campaign chosen as the source.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from campaigns.models import Submission, Threshold
from reports.templatetags.reports import percent, points


def _date(day):
    return date_format(day, "DATE_FORMAT")


def _rank(rank):
    return "—" if rank is None else str(rank)


# -- what the briefing says ---------------------------------------------------------------------------


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
        cells = [_rank(self.rank), self.name, str(self.total), str(self.union_count), percent(self.union_rate)]
        return [*cells, points(self.change)] if self.compared else cells


@dataclass(frozen=True)
class TimelinessRow:
    """One unit's record over the reports due by the date."""

    rank: int | None
    name: str
    code: str
    due: int
    on_time: int
    late: int
    missing: int
    on_time_rate: float | None
    missing_titles: tuple

    @property
    def cells(self):
        counts = (self.due, self.on_time, self.late, self.missing)
        return [_rank(self.rank), self.name, *map(str, counts), percent(self.on_time_rate)]


@dataclass(frozen=True)
class StageRow:
    """One deadline: how many reports were expected, handed in (on time or late), approved, still missing."""

    title: str
    due_on: datetime.date
    is_due: bool
    expected: int
    submitted: int
    on_time: int
    late: int
    approved: int
    missing: int
    completeness: float | None

    @property
    def cells(self):
        counts = (self.expected, self.submitted, self.on_time, self.late, self.approved)
        missing = str(self.missing) if self.is_due else _("Not yet due")
        return [self.title, _date(self.due_on), *map(str, counts), missing, percent(self.completeness)]


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
    late: bool = False
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


# -- building the context -----------------------------------------------------------------------------


def context(dashboard):
    """Everything the briefing says, for the page and the .docx alike."""
    stages = [_stage_row(stage, dashboard.as_of) for stage in dashboard.stages]
    latest = _latest_due(dashboard)
    submitted, missing = _handed_in(dashboard, latest) if latest else ([], [])
    coverage = coverage_ranking(dashboard)
    timeliness = timeliness_ranking(dashboard)
    targets = [_target_row(line) for line in dashboard.targets if line.target is not None]
    sections = [
        _overall_section(dashboard, stages),
        _coverage_section(dashboard, coverage),
        _timeliness_section(dashboard, timeliness),
        _reports_section(dashboard, latest, submitted, missing),
    ]
    if targets:
        sections.append(_targets_section(targets))
    return {
        "title": title(dashboard.campaign),
        "date": dashboard.as_of,
        "date_line": _("(as of %(date)s)") % {"date": _date(dashboard.as_of)},
        "opening": _opening(dashboard),
        "sections": sections,
        "stages": stages,
        "coverage_ranking": coverage,
        "timeliness_ranking": timeliness,
        "deadline": latest.deadline if latest else None,
        "submitted": submitted,
        "missing": missing,
        "targets": targets,
    }


def title(campaign):
    if campaign is None:
        return _("Briefing on the union coverage of enterprises")
    return _("Briefing on the progress of the %(year)s %(campaign)s") % {
        "year": str(campaign.year),
        "campaign": campaign.name,
    }


def filename(dashboard):
    return _("Briefing_%(date)s.docx") % {"date": dashboard.as_of.isoformat()}


def _ranked(items, key):
    """(rank, item) in the order of `key`, equal keys sharing a rank (1, 2, 2, 4); items whose key is None last."""
    ranked = sorted((item for item in items if key(item) is not None), key=key)
    rows, rank, previous = [], None, None
    for position, item in enumerate(ranked, 1):
        if rank is None or key(item) != previous:
            rank, previous = position, key(item)
        rows.append((rank, item))
    return rows + [(None, item) for item in items if key(item) is None]


def coverage_ranking(dashboard):
    """The area's child lines (prefectures for the region), highest union coverage first."""
    compared = dashboard.total.previous is not None
    ranked = _ranked(dashboard.total.children, lambda line: None if line.union_rate is None else -line.union_rate)
    return [
        CoverageRow(
            rank=rank,
            name=line.name,
            code=line.code,
            total=line.figures["total"],
            union_count=line.union_count,
            union_rate=line.union_rate,
            change=line.union_rate_change,
            compared=compared,
        )
        for rank, line in ranked
    ]


def _timeliness_key(record):
    if record.on_time_rate is None:
        return None
    return (-record.on_time_rate, record.missing, record.late)


def timeliness_ranking(dashboard):
    """The participating units, most reports on time first, then fewest missing, then fewest late."""
    return [
        TimelinessRow(
            rank=rank,
            name=record.unit.name,
            code=record.unit.code,
            due=record.due,
            on_time=record.on_time,
            late=record.late,
            missing=record.missing,
            on_time_rate=record.on_time_rate,
            missing_titles=tuple(record.missing_titles),
        )
        for rank, record in _ranked(dashboard.units, _timeliness_key)
    ]


def _stage_row(stage, as_of):
    deadline = stage.deadline
    return StageRow(
        title=deadline.title,
        due_on=deadline.due_on,
        is_due=deadline.due_on <= as_of,
        expected=stage.expected,
        submitted=stage.submitted,
        on_time=stage.on_time,
        late=stage.late,
        approved=stage.approved,
        missing=stage.missing,
        completeness=stage.completeness,
    )


def _target_row(line):
    return TargetRow(
        name=line.unit.name,
        code=line.unit.code,
        target_count=line.target.union_count,
        union_count=line.union_count,
        progress=line.progress,
        target_rate=float(line.target.union_rate) / 100,
        union_rate=line.union_rate,
        rate_met=line.rate_met,
    )


def _latest_due(dashboard):
    """The progress of the latest deadline due on or before the date, or None if nothing was due yet."""
    due = [stage for stage in dashboard.stages if stage.deadline.due_on <= dashboard.as_of]
    if not due:
        return None
    return max(due, key=lambda stage: (stage.deadline.due_on, stage.deadline.stage.order, stage.deadline.sequence))


def _handed_in(dashboard, stage):
    """The units that had handed the deadline's report in by the end of the date, and those that had not."""
    submitted = [_submitted_entry(cell.unit, cell.submission) for cell in stage.handed_in]
    missing = [
        _missing_entry(cell.unit, cell.submission, stage.deadline, cell.due_on, dashboard.as_of)
        for cell in stage.not_handed_in
    ]
    return submitted, missing


def _submitted_entry(unit, submission):
    day = timezone.localdate(submission.first_submitted_at)
    note = _("handed in on %(date)s, %(timeliness)s") % {
        "date": _date(day),
        "timeliness": _("Late") if submission.late else _("On time"),
    }
    return UnitEntry(unit.name, unit.code, note=note, handed_in_on=day, late=submission.late)


def _missing_entry(unit, submission, deadline, due_on, as_of):
    overdue = as_of > due_on
    if submission is not None and submission.status == Submission.Status.RETURNED:
        note = _("Returned for correction")
    elif overdue:
        note = _("Overdue")
    elif due_on != deadline.due_on:
        note = _("extended to %(date)s") % {"date": _date(due_on)}
    else:
        note = ""
    return UnitEntry(unit.name, unit.code, note=note, overdue=overdue)


# -- the sentences -------------------------------------------------------------------------------------


def _opening(dashboard):
    """The opening paragraph: enterprises in scope, with a union, the coverage, and the change since last time."""
    total = dashboard.total
    values = {
        "area": dashboard.area.name,
        "scope": Threshold(dashboard.threshold).label,
        "total": total.figures["total"],
        "union": total.union_count,
        "rate": percent(total.union_rate),
    }
    if dashboard.is_live:
        text = _(
            "%(area)s has %(total)s enterprises of %(scope)s in scope, %(union)s of them with a union: "
            "a union coverage of %(rate)s."
        )
    else:
        text = _(
            "The approved survey reports from %(area)s count %(total)s enterprises in scope, %(union)s of them "
            "with a union: a union coverage of %(rate)s."
        )
    opening, comparison = text % values, _comparison(dashboard)
    if comparison:
        # Chinese runs sentences on without a space; the joining is the translation's to decide.
        opening = _("%(first)s %(second)s") % {"first": opening, "second": comparison}
    return [opening]


def _comparison(dashboard):
    change = dashboard.total.union_rate_change
    if change is None or dashboard.previous is None:
        return ""
    values = {
        "campaign": str(dashboard.previous),
        "rate": percent(dashboard.total.previous_union_rate),
        "points": f"{abs(change) * 100:.1f}",
    }
    if values["points"] == "0.0":
        return _("That is the same as in %(campaign)s (%(rate)s).") % values
    if change > 0:
        return _("That is %(points)s percentage points higher than in %(campaign)s (%(rate)s).") % values
    return _("That is %(points)s percentage points lower than in %(campaign)s (%(rate)s).") % values


def _source(dashboard):
    if dashboard.is_live:
        source = _("The registry, live")
    else:
        source = _("%(campaign)s, approved reports") % {"campaign": dashboard.source}
    return _("Figures from: %(source)s.") % {"source": source}


def _overall_section(dashboard, stages):
    figures = dashboard.total.figures
    composition = _(
        "Of these, %(both)s have both a party organisation and a union, %(party_only)s a party organisation but "
        "no union, %(union_only)s a union but no party organisation, and %(neither)s neither; the party "
        "organisation coverage is %(party_rate)s."
    ) % {**figures, "party_rate": percent(dashboard.total.party_rate)}
    paragraphs = [composition, _source(dashboard)]
    table = None
    if stages:
        paragraphs.append(_("Reports handed in by the end of %(date)s:") % {"date": _date(dashboard.as_of)})
        columns = [
            _("Report"),
            _("Due"),
            _("Expected"),
            _("Handed in"),
            _("On time"),
            _("Late"),
            _("Approved"),
            _("Missing"),
            _("Completeness"),
        ]
        table = Table(columns, stages)
    return Section("overall", _("1. Overall progress"), paragraphs, table)


def _coverage_section(dashboard, rows):
    heading = _("2. Union coverage by area")
    if not rows:
        return Section("coverage", heading, [_("None")])
    by_unit = any(line.unit is not None for line in dashboard.total.children)
    columns = [_("Rank"), _("Unit") if by_unit else _("Area"), _("Enterprises in scope")]
    columns += [_("Enterprises with a union"), _("Union coverage")]
    if dashboard.total.previous is not None:
        columns.append(_("Change (percentage points)"))
    return Section("coverage", heading, table=Table(columns, rows))


def _nothing_due(dashboard):
    return _("No report was due by %(date)s.") % {"date": _date(dashboard.as_of)}


def _timeliness_section(dashboard, rows):
    heading = _("3. Timeliness of reporting")
    if not any(row.due for row in rows):
        return Section("timeliness", heading, [_nothing_due(dashboard)])
    columns = [_("Rank"), _("Unit"), _("Reports due"), _("On time"), _("Late"), _("Missing")]
    columns.append(_("On-time rate"))
    return Section("timeliness", heading, table=Table(columns, rows))


def _reports_section(dashboard, latest, submitted, missing):
    heading = _("4. Reports handed in and not handed in")
    if latest is None:
        return Section("reports", heading, [_nothing_due(dashboard)])
    summary = _(
        "%(report)s was due on %(date)s. Of %(expected)s units, %(submitted)s had handed it in by the end of "
        "%(as_of)s (%(late)s of them late) and %(missing)s had not."
    ) % {
        "report": latest.deadline.title,
        "date": _date(latest.deadline.due_on),
        "as_of": _date(dashboard.as_of),
        "expected": len(submitted) + len(missing),
        "submitted": len(submitted),
        "late": sum(entry.late for entry in submitted),
        "missing": len(missing),
    }
    lists = [
        EntryList("submitted", _("Handed in (%(count)s)") % {"count": len(submitted)}, submitted),
        EntryList("missing", _("Not handed in (%(count)s)") % {"count": len(missing)}, missing),
    ]
    return Section("reports", heading, [summary], lists=lists)


def _targets_section(rows):
    columns = [
        _("Unit"),
        _("Target: enterprises with a union"),
        _("Enterprises with a union"),
        _("Reached"),
        _("Target coverage"),
        _("Union coverage"),
        _("Coverage target met"),
    ]
    return Section("targets", _("5. Targets"), table=Table(columns, rows))


# -- the Word document ---------------------------------------------------------------------------------

# The fonts of Chinese official documents (GB/T 9704): 仿宋 for the text, 黑体 for headings, a 宋体 title.
LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TITLE_STYLE = "Briefing Title"
DATE_STYLE = "Briefing Date"
BODY_STYLE = "Briefing Body"
TABLE_STYLE = "Briefing Table Text"


def write_docx(file, dashboard, context):
    """The briefing as an A4 Word document, laid out as an official notice."""
    document = Document()
    _set_up_page(document.sections[0])
    _set_up_styles(document)
    _set_properties(document, context["title"], dashboard.area.name)
    document.add_paragraph(context["title"], style=TITLE_STYLE)
    document.add_paragraph(context["date_line"], style=DATE_STYLE)
    for text in context["opening"]:
        document.add_paragraph(text, style=BODY_STYLE)
    for section in context["sections"]:
        _write_section(document, section)
    document.save(file)


def _set_properties(document, title, subject):
    """Title, subject and date; nothing of the blank template's own (its author, description, sample thumbnail)."""
    properties = document.core_properties
    properties.title, properties.subject, properties.author, properties.comments = title, subject, "", ""
    properties.created = properties.modified = timezone.now()
    properties.language = "zh-CN"
    package_rels = document.part.package.rels
    for rId in [rId for rId, rel in package_rels.items() if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:
        del package_rels[rId]


def _set_up_page(section):
    """A4 with the margins of GB/T 9704, and the page number centred in the footer."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)


def _set_fonts(style, east_asian, size, *, bold=False):
    """Latin and East Asian fonts on a style; the theme's fonts would otherwise win over the East Asian one."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_style(document, name, east_asian, size, *, bold=False, centred=False):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    _set_fonts(style, east_asian, size, bold=bold)
    if centred:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def _set_up_styles(document):
    normal = document.styles["Normal"]
    _set_fonts(normal, BODY_FONT, 16)
    # Chinese line breaking and punctuation in Word follow the East Asian language of the text.
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.rPr.append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    heading = document.styles["Heading 1"]
    _set_fonts(heading, HEADING_FONT, 16)
    heading.paragraph_format.space_before = Pt(14)
    heading.paragraph_format.first_line_indent = Pt(32)
    title = _paragraph_style(document, TITLE_STYLE, TITLE_FONT, 22, bold=True, centred=True)
    title.paragraph_format.line_spacing = 1.2
    title.paragraph_format.space_after = Pt(6)
    _paragraph_style(document, DATE_STYLE, BODY_FONT, 16, centred=True).paragraph_format.space_after = Pt(16)
    _paragraph_style(document, BODY_STYLE, BODY_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    table_text = _paragraph_style(document, TABLE_STYLE, BODY_FONT, 11, centred=True)
    table_text.paragraph_format.line_spacing = 1.0


def _write_section(document, section):
    document.add_paragraph(section.heading, style="Heading 1")
    for text in section.paragraphs:
        document.add_paragraph(text, style=BODY_STYLE)
    if section.table is not None:
        _write_table(document, section.table)
    for entries in section.lists:
        document.add_paragraph(entries.caption, style=BODY_STYLE).runs[0].bold = True
        for entry in entries.entries:
            document.add_paragraph(entry.text, style="List Bullet")
        if not entries.entries:
            document.add_paragraph(_("None"), style=BODY_STYLE)


def _write_table(document, table):
    grid = document.add_table(rows=1, cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill_row(grid.rows[0], table.columns, bold=True)
    _repeat_on_every_page(grid.rows[0])
    for row in table.rows:
        _fill_row(grid.add_row(), row.cells)


def _fill_row(row, texts, *, bold=False):
    for cell, text in zip(row.cells, texts, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = TABLE_STYLE
        paragraph.add_run(text).bold = bold


def _repeat_on_every_page(row):
    properties = row._tr.get_or_add_trPr()
    keep_whole = OxmlElement("w:cantSplit")
    header = OxmlElement("w:tblHeader")
    properties.append(keep_whole)
    properties.append(header)

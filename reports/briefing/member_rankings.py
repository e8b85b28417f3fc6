"""The tables of a members campaign's briefing: each unit's figures beside the baseline, its targets, the 80 per
cent rule and 八有, ranked, and what remains to be done; every cell already text, every number kept in `values`."""

from dataclasses import dataclass
from decimal import Decimal

from reports.briefing.rankings import rank_items
from reports.briefing.rows import rank_text
from reports.dashboards.lines import rate
from reports.templatetags.reports import percent


@dataclass(frozen=True)
class UnitRow:
    """One unit in a table of the briefing: its numbers (`values`) and the cells printed (already text)."""

    rank: int | None
    name: str
    code: str
    values: dict
    cells: list


def _growth(line):
    figures = line.figures
    if figures["baseline"] is None:
        return None
    return rate(figures["against_baseline"], figures["baseline"])


def _baseline_key(line):
    """Growth rate where there is a baseline above nought; then a baseline of nought by the change; no baseline:
    unranked."""
    figures = line.figures
    if figures["baseline"] is None:
        return None
    growth = _growth(line)
    if growth is None:
        return (1, 0, -figures["against_baseline"])
    return (0, -growth, -figures["against_baseline"])


def baseline_ranking(lines):
    rows = []
    for rank, line in rank_items(lines, _baseline_key):
        figures, growth = line.figures, _growth(line)
        values = {name: figures[name] for name in ("migrant_members", "new_migrant_members", "baseline")}
        values |= {"change": figures["against_baseline"], "growth": growth}
        cells = [rank_text(rank), line.org.name, str(figures["migrant_members"]), str(figures["new_migrant_members"])]
        cells += [_number(figures["baseline"]), _signed(figures["against_baseline"]), percent(growth)]
        rows.append(UnitRow(rank, line.org.name, line.org.code, values, cells))
    return rows, [row for row in rows if row.values["baseline"] is None]


def _number(value):
    return "—" if value is None else str(value)


def _signed(value):
    return "—" if value is None else f"{value:+d}"


def _per_cent(part, whole):
    """The share in per cent rounded to one decimal, as the acceptance judges it; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _rate_met(result, aim):
    if aim is None:
        return None
    return result is not None and result >= Decimal(aim)


def _aim_text(aim):
    return "—" if aim is None else f"{Decimal(aim).quantize(Decimal('0.1'))}%"


def _target_values(line):
    figures, target = line.figures, line.target
    new, aim = figures["new_migrant_members"], target.new_migrant_members
    eighty = _per_cent(figures["eighty_met"], figures["eighty_employing"])
    eight_haves = _per_cent(figures["townships_meeting"], figures["townships"])
    return {
        "new_migrant_members": new,
        "target_new": aim,
        "reached": None if not aim else new / aim,
        "new_met": None if aim is None else new >= aim,
        "eighty_rate": eighty,
        "target_eighty": target.eighty_rate,
        "eighty_met": _rate_met(eighty, target.eighty_rate),
        "eight_haves_rate": eight_haves,
        "target_eight_haves": target.eight_haves_rate,
        "eight_haves_met": _rate_met(eight_haves, target.eight_haves_rate),
    }


def _with_targets(dashboard):
    """The area's own line when it was given targets, and each unit below it that was."""
    return [line for line in [dashboard.total, *dashboard.lines] if line.target is not None]


def target_rows(dashboard):
    lines = _with_targets(dashboard)
    values = {line.org.code: _target_values(line) for line in lines}
    rows = []
    for rank, line in rank_items(lines, lambda line: _negated(values[line.org.code]["reached"])):
        value = values[line.org.code]
        cells = [rank_text(rank), line.org.name, _number(value["target_new"]), str(value["new_migrant_members"])]
        cells += [percent(value["reached"]), _aim_text(value["target_eighty"])]
        cells += [_rate_text(value["eighty_rate"]), _aim_text(value["target_eight_haves"])]
        cells += [_rate_text(value["eight_haves_rate"])]
        rows.append(UnitRow(rank, line.org.name, line.org.code, value, cells))
    return rows


def _negated(value):
    return None if value is None else -value


def _rate_text(value):
    return "—" if value is None else f"{value}%"


def eighty_rate(figures):
    """Of the 四要素 enterprises employing migrant workers, the share with 80 per cent or more of them members."""
    return rate(figures["eighty_met"], figures["eighty_employing"])


def eight_haves_rate(figures):
    return rate(figures["townships_meeting"], figures["townships"])


def eighty_ranking(lines):
    rows = []
    for rank, line in rank_items(lines, lambda line: _negated(eighty_rate(line.figures))):
        figures = line.figures
        share = eighty_rate(figures)
        counts = ("four_criteria", "four_criteria_with_union", "eighty_employing", "eighty_met", "eighty_below")
        values = {name: figures[name] for name in counts} | {"rate": share}
        cells = [rank_text(rank), line.org.name, *(str(figures[name]) for name in counts), percent(share)]
        rows.append(UnitRow(rank, line.org.name, line.org.code, values, cells))
    return rows


def eight_haves_ranking(lines):
    rows = []
    for rank, line in rank_items(lines, lambda line: _negated(eight_haves_rate(line.figures))):
        figures = line.figures
        share = eight_haves_rate(figures)
        values = {"townships": figures["townships"], "townships_meeting": figures["townships_meeting"], "rate": share}
        cells = [rank_text(rank), line.org.name, str(figures["townships"]), str(figures["townships_meeting"])]
        rows.append(UnitRow(rank, line.org.name, line.org.code, values, [*cells, percent(share)]))
    return rows


def gap_rows(lines):
    rows = []
    for line in lines:
        figures = line.figures
        values = {
            "four_criteria_without_union": figures["four_criteria_without_union"],
            "eighty_below": figures["eighty_below"],
            "people_short": figures["eighty_gap"],
            "townships_not_meeting": figures["townships"] - figures["townships_meeting"],
        }
        if any(values.values()):
            cells = [line.org.name, *(str(value) for value in values.values())]
            rows.append(UnitRow(None, line.org.name, line.org.code, values, cells))
    return rows

"""The rankings and tables of the briefing, made from the dashboard: coverage, timeliness, deadlines, targets."""

from reports.briefing.rows import (
    CoverageRow,
    StageRow,
    TargetRow,
    TimelinessRow,
)


def rank_items(items, key):
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
    lines = rank_items(dashboard.total.children, lambda line: None if line.union_rate is None else -line.union_rate)
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
        for rank, line in lines
    ]


def timeliness_ranking(dashboard):
    """The participating units: most reports on time first, then most within an approved extension, then the
    fewest missing and the fewest late (UnitTimeliness.ranking_key)."""
    return [
        TimelinessRow(
            rank=rank,
            name=record.unit.name,
            code=record.unit.code,
            due=record.due,
            on_time=record.on_time,
            extended=record.extended,
            late=record.late,
            missing=record.missing,
            on_time_rate=record.on_time_rate,
            missing_titles=tuple(record.missing_titles),
        )
        for rank, record in rank_items(dashboard.units, lambda record: record.ranking_key)
    ]


def stage_row(stage, as_of):
    deadline = stage.deadline
    return StageRow(
        title=deadline.title,
        due_on=deadline.due_on,
        is_due=deadline.due_on <= as_of,
        expected=stage.expected,
        submitted=stage.submitted,
        on_time=stage.on_time,
        extended=stage.extended,
        late=stage.late,
        approved=stage.approved,
        missing=stage.missing,
        completeness=stage.completeness,
    )


def target_row(line):
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

"""The dashboard's charts: each one a plain description (categories, series) that the page's script draws with
ECharts, and that the table beside the chart shows in figures, so the picture and the numbers are the same data."""

from django.utils.translation import gettext as _

from enterprises.models import FIGURE_LABELS, FIGURES


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def coverage(dashboard):
    """Union coverage by unit below the area, highest first (ranked bars)."""
    lines = sorted(
        dashboard.total.children, key=lambda line: (line.union_rate is None, -(line.union_rate or 0), line.code)
    )
    return {
        "id": "chart-coverage",
        "kind": "bar",
        "title": _("Union coverage by unit"),
        "percent": True,
        "categories": [line.name for line in lines],
        "series": [
            {"name": _("Union coverage"), "data": [_percent(line.union_rate) for line in lines]},
            {"name": _("Party organisation coverage"), "data": [_percent(line.party_rate) for line in lines]},
        ],
    }


def composition(dashboard):
    """How the enterprises in scope divide between the four figures (both, party only, union only, neither)."""
    figures = dashboard.total.figures
    return {
        "id": "chart-composition",
        "kind": "pie",
        "title": _("Composition of the enterprises in scope"),
        "percent": False,
        "categories": [str(FIGURE_LABELS[name]) for name in FIGURES],
        "series": [{"name": _("Enterprises"), "data": [figures[name] for name in FIGURES]}],
    }


def trend(dashboard):
    """Union coverage year by year, from the campaigns' approved reports."""
    years = dashboard.trend
    rates = [
        (figures["both"] + figures["union_only"]) / figures["total"] if figures["total"] else None
        for _y, figures in years
    ]
    return {
        "id": "chart-trend",
        "kind": "line",
        "title": _("Union coverage over the years (approved reports)"),
        "percent": True,
        "categories": [str(year) for year, _figures in years],
        "series": [{"name": _("Union coverage"), "data": [_percent(rate) for rate in rates]}],
    }


def targets(dashboard):
    """Enterprises with a union against the target number, per unit with a target."""
    lines = [line for line in dashboard.targets if line.target is not None]
    return {
        "id": "chart-targets",
        "kind": "bar",
        "title": _("Progress against target"),
        "percent": False,
        "categories": [line.unit.name for line in lines],
        "series": [
            {"name": _("Target: enterprises with a union"), "data": [line.target.union_count for line in lines]},
            {"name": _("Enterprises with a union"), "data": [line.union_count for line in lines]},
        ],
    }


def for_dashboard(dashboard):
    """Every chart the dashboard has data for."""
    charts = [composition(dashboard)]
    if dashboard.total.children:
        charts.insert(0, coverage(dashboard))
    if dashboard.trend:
        charts.append(trend(dashboard))
    if any(line.target is not None for line in dashboard.targets):
        charts.append(targets(dashboard))
    for chart in charts:
        chart["data_id"] = f"{chart['id']}-data"
    return charts


def rows(chart):
    """The chart's data as table rows: the category, then one value per series."""
    return [
        [category, *(series["data"][index] for series in chart["series"])]
        for index, category in enumerate(chart["categories"])
    ]

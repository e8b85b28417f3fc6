from django import template

register = template.Library()


@register.filter
def percent(rate):
    """A share as a percentage with one decimal (0.8125 → 81.3%); empty when there is nothing to divide."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


@register.simple_tag
def figure_link(line, name, threshold, area):
    """The enterprise list behind one figure of a dashboard line: same scope, same threshold, same condition."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from unions.models import Division

    params = {"band": threshold}
    division = line.division or area
    if division.level == Division.Level.COUNTY:
        params["county"] = division.code
    elif division.level == Division.Level.PREFECTURE:
        params["prefecture"] = division.code
    if name != "total":
        params["figure"] = name
    return f"{reverse('enterprises:list')}?{urlencode(params)}"


@register.filter
def chart_rows(chart):
    from reports.charts import rows

    return rows(chart)


@register.simple_tag
def area_query(options, code):
    """The dashboard's query string with another area (a drill-down or a step back up)."""
    from reports.forms import dashboard_query

    return dashboard_query(options, area=code)


@register.filter
def points(change):
    """A change of rate in percentage points, signed (0.031 → +3.1)."""
    return "—" if change is None else f"{change * 100:+.1f}"

"""What the form is called and who fills it in: its title, number, file name and reporting unit."""

from django.utils.translation import gettext as _

from unions.models import UnionOrg

# 表号: the organisation department assigns the form's number when it registers the form; change it here then.
FORM_NUMBER = "ZZB-TJ-01"


FILENAME_FORBIDDEN = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))


# Names and text


def scope_text(threshold):
    """百人以上 as the plan names its scope, else 50人以上 or 25人以上."""
    if threshold == 100:
        return _("a hundred or more staff")
    return _("%(value)s or more staff") % {"value": threshold}


def form_year(dashboard):
    """The campaign's year for its approved figures, else the year of the date the form is made out for."""
    return dashboard.source.year if dashboard.source is not None else dashboard.as_of.year


def title(dashboard):
    return _("Union coverage of enterprises with %(scope)s in %(area)s in %(year)s") % {
        "scope": scope_text(dashboard.threshold),
        "area": dashboard.area.name,
        "year": form_year(dashboard),
    }


def filename(dashboard):
    """The form's title, so that a saved copy says what it is."""
    return f"{title(dashboard)}.xlsx".translate(FILENAME_FORBIDDEN)


def reporting_unit(area):
    """填报单位: the union federation of the area."""
    federation = (
        UnionOrg.objects.filter(
            division=area,
            kind__in=[
                UnionOrg.Kind.REGION_FEDERATION,
                UnionOrg.Kind.PREFECTURE_FEDERATION,
                UnionOrg.Kind.COUNTY_FEDERATION,
            ],
        )
        .order_by("path")
        .first()
    )
    if federation is not None:
        return federation.name
    return _("%(area)s Federation of Trade Unions") % {"area": area.name}

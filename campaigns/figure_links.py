"""Where the rows behind each figure of a members campaign are: the member rolls, the registry, the 80% page or the
八有 pages, filtered exactly as the figure counts them. One place, for a unit's report and the dashboard alike."""

from django.urls import reverse
from django.utils.http import urlencode

from unions.models import UnionOrg


def _link(name, **query):
    return f"{reverse(name)}?{urlencode(query)}"


def figure_links(campaign, org):
    """{figure name: link} for `org` and everything below it in the campaign's year."""
    year, code = campaign.year, org.code
    eighty = reverse("campaigns:member_eighty", args=[campaign.pk, code])
    links = {
        "migrant_members": _link("members:list", within=code, migrant="yes", joined_until=year),
        "new_migrant_members": _link("members:list", within=code, migrant="yes", joined_year=year),
        "four_criteria": _link("enterprises:list", unit=code, four_criteria="on"),
        # 四要素 enterprises all have a party organisation: with a union is figure "both", without is "party_only".
        "four_criteria_with_union": _link("enterprises:list", unit=code, four_criteria="on", figure="both"),
        "four_criteria_without_union": _link("enterprises:list", unit=code, four_criteria="on", figure="party_only"),
        "eighty_employing": eighty,
        "eighty_met": f"{eighty}?{urlencode({'show': 'met'})}",
        "eighty_below": f"{eighty}?{urlencode({'show': 'below'})}",
        "eighty_migrant_workers": eighty,
        "eighty_migrant_members": eighty,
        "small": _link("enterprises:list", unit=code, small="on"),
        "small_joint": _link("enterprises:list", unit=code, small="on", union_status="joint"),
    }
    if org.is_place_federation:
        links["townships"] = _link("unions:eight_haves_overview", area=code)
        links["townships_meeting"] = _link("unions:eight_haves_overview", area=code, meets="yes")
    elif org.kind == UnionOrg.Kind.TOWNSHIP_UNION:
        links["townships"] = links["townships_meeting"] = reverse("unions:eight_haves", args=[code])
    return links

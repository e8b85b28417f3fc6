"""Which place a person's dashboard covers, and the registry and tallies inside it."""

from django.db.models import Q

from enterprises.models import Enterprise, FigureTally
from unions.models import Division, division_prefix
from unions.reference import divisions


def area_of(user, code=None):
    """The division a person's dashboard covers: the region for the 组织部, else their unit's place.

    `code` narrows it to a prefecture or county inside what they may see; anything else is refused (None).
    """
    kept = {division.code: division for division in divisions()}
    if user.sees_everything or user.organisation is None or user.organisation.division_id is None:
        own = next(division for division in kept.values() if division.level == Division.Level.PROVINCE)
    else:
        own = kept.get(user.organisation.division_id) or user.organisation.division
    if not code or code == own.code:
        return own
    area = kept.get(code)
    if area is not None and area.level == Division.Level.PROVINCE:
        area = None
    if area is None or not area.code.startswith(division_prefix(own.code)):
        return None
    return area


def breadcrumb(user, area):
    """The places from the person's own area down to this one, for stepping back up a drill-down."""
    places = [area]
    if area.level == Division.Level.PROVINCE:
        return places
    own = area_of(user)
    while places[-1].code != own.code and places[-1].parent_id:
        places.append(places[-1].parent)
    return places[::-1]


def enterprises_for_dashboard(user, area):
    enterprises = Enterprise.objects.visible_to(user)
    # Every county is in the region: filtering on the region's code would only cost a check per enterprise.
    if area.level == Division.Level.PROVINCE:
        return enterprises
    return enterprises.in_division(area.code)


def tallies_for_dashboard(user, area):
    """The registry's figure tallies the person may see, for the area: the same door and place as the registry's."""
    tallies = FigureTally.objects.visible_to(user)
    if area.level == Division.Level.PROVINCE:
        return tallies  # every county is in the region
    return tallies.in_division(area.code)


def units_in_area(units, area):
    if area.level == Division.Level.PROVINCE:
        return units
    return units.filter(Q(division__code__startswith=division_prefix(area.code)) | Q(path__contains=f"/{area.code}/"))


def unit_in_area(unit, area):
    """units_in_area for one unit in hand: its place is in the area, or its tree passes through the area's."""
    if area.level == Division.Level.PROVINCE:
        return True
    return bool(unit.division_id and unit.division_id.startswith(division_prefix(area.code))) or (
        f"/{area.code}/" in unit.path
    )

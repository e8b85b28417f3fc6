"""Reads of the member rolls that more than one page (and the background jobs) share."""

from members.forms import MemberFilterForm
from members.models import Membership
from unions.models import UnionOrg


def filtered_memberships(user, query):
    """The list the user is looking at: their scope, narrowed by the filters of the query string (a QueryDict)."""
    filters = MemberFilterForm(query or None, user=user)
    return filters, filters.apply(Membership.objects.visible_to(user))


def filtered_unit(user, filters):
    """The unit a filtered list belongs to: the union it is narrowed to, else the user's own unit."""
    code = filters.cleaned_data.get("union") if filters.is_bound and filters.is_valid() else None
    union = UnionOrg.objects.visible_to(user).filter(code=code).first() if code else None
    return union or user.organisation

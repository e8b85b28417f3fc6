import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from unions.access import get_org_for_user
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db


def visible_codes(user):
    return set(UnionOrg.objects.visible_to(user).values_list("code", flat=True))


def visible_federations(user):
    return set(UnionOrg.objects.visible_to(user).for_directory().values_list("code", flat=True))


def test_the_reviewer_and_the_administrator_see_every_unit(reviewer, administrator):
    assert (
        visible_codes(reviewer) == visible_codes(administrator) == set(UnionOrg.objects.values_list("code", flat=True))
    )


def test_prefecture_staff_see_their_federation_and_its_counties_only(lhasa_staff):
    codes = visible_codes(lhasa_staff)
    assert "540100" in codes
    assert "540102" in codes
    assert "540200" not in codes
    assert "540000" not in codes
    assert "540000.ZZB" not in codes
    assert len(visible_federations(lhasa_staff)) == 9
    assert "540102002" in codes  # a street union of 城关区
    assert "540171400" in codes  # a zone's union, under the prefecture


def test_county_staff_see_their_county_only(chengguan_staff):
    assert visible_federations(chengguan_staff) == {"540102"}
    assert all(code.startswith("540102") for code in visible_codes(chengguan_staff))


def test_an_anonymous_visitor_sees_nothing():
    assert visible_codes(AnonymousUser()) == set()


def test_another_units_organisation_is_not_found(shigatse_staff):
    with pytest.raises(Http404):
        get_org_for_user(shigatse_staff, "540100")


def test_a_viewer_may_read_but_not_change_their_unit(lhasa_viewer):
    assert get_org_for_user(lhasa_viewer, "540100").code == "540100"
    with pytest.raises(PermissionDenied):
        get_org_for_user(lhasa_viewer, "540100", write=True)


def test_staff_may_change_units_below_theirs_but_not_above(lhasa_staff, chengguan_staff):
    assert get_org_for_user(lhasa_staff, "540102", write=True).code == "540102"
    with pytest.raises(Http404):
        get_org_for_user(chengguan_staff, "540100", write=True)


def test_the_reviewer_reads_everything_but_changes_no_units_data(reviewer):
    assert get_org_for_user(reviewer, "540200").code == "540200"
    with pytest.raises(PermissionDenied):
        get_org_for_user(reviewer, "540200", write=True)

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import make_enterprise
from enterprises.models import UnionCoverage
from enterprises.services import RegistryError, coverage_end, coverage_start
from unions.models import UnionOrg
from unions.services import grassroots_union_create

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
TODAY = datetime.date.today()


def grassroots(user, parent_code="540102002", form="joint", name="八廓街道商户联合工会"):
    return grassroots_union_create(user=user, parent=UnionOrg.objects.get(code=parent_code), name=name, form=form)


@pytest.fixture
def joint_union(chengguan_staff):
    return grassroots(chengguan_staff)


def test_an_enterprise_has_at_most_one_open_coverage_in_the_database(lhasa_enterprise, joint_union, chengguan_staff):
    other = grassroots(chengguan_staff, name="另一个联合工会")
    UnionCoverage.objects.create(enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionCoverage.objects.create(enterprise=lhasa_enterprise, union=other, valid_from=TODAY)
    # Closed rows are history: any number of them.
    UnionCoverage.objects.create(
        enterprise=lhasa_enterprise, union=other, valid_from=TODAY - 9 * DAY, valid_to=TODAY - 5 * DAY
    )


def test_the_database_refuses_a_coverage_that_ends_before_it_starts(lhasa_enterprise, joint_union):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionCoverage.objects.create(
            enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY, valid_to=TODAY - DAY
        )


def test_a_new_coverage_ends_the_old_one_the_day_before(lhasa_enterprise, joint_union, chengguan_staff):
    first = coverage_start(
        user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY - 30 * DAY
    )
    own = grassroots(chengguan_staff, form="enterprise", name="拉萨高原建材有限公司工会")
    second = coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=own, valid_from=TODAY - DAY)
    first.refresh_from_db()
    assert first.valid_to == TODAY - 2 * DAY
    assert first.ended_by == chengguan_staff
    assert list(UnionCoverage.objects.open().filter(enterprise=lhasa_enterprise)) == [second]


def test_a_new_coverage_cannot_start_before_the_current_one(lhasa_enterprise, joint_union, chengguan_staff):
    coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY - DAY)
    own = grassroots(chengguan_staff, form="enterprise", name="企业工会")
    with pytest.raises(RegistryError):
        coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=own, valid_from=TODAY - DAY)
    assert UnionCoverage.objects.open().get(enterprise=lhasa_enterprise).union == joint_union


def test_a_joint_union_covers_several_enterprises_an_enterprise_union_only_one(joint_union, chengguan_staff):
    first, second = make_enterprise("540102", headcount=12), make_enterprise("540102", headcount=8)
    coverage_start(user=chengguan_staff, enterprise=first, union=joint_union, valid_from=TODAY)
    coverage_start(user=chengguan_staff, enterprise=second, union=joint_union, valid_from=TODAY)
    assert UnionCoverage.objects.open().filter(union=joint_union).count() == 2
    own = grassroots(chengguan_staff, form="enterprise", name="企业工会")
    coverage_start(user=chengguan_staff, enterprise=make_enterprise("540102"), union=own, valid_from=TODAY)
    with pytest.raises(RegistryError):
        coverage_start(user=chengguan_staff, enterprise=make_enterprise("540102"), union=own, valid_from=TODAY)


def test_ending_a_coverage_keeps_its_dates_in_order(lhasa_enterprise, joint_union, chengguan_staff):
    coverage = coverage_start(
        user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY - DAY
    )
    with pytest.raises(RegistryError):
        coverage_end(coverage, user=chengguan_staff, valid_to=TODAY - 2 * DAY)
    coverage_end(coverage, user=chengguan_staff, valid_to=TODAY)
    assert UnionCoverage.objects.open().count() == 0
    with pytest.raises(RegistryError):
        coverage_end(coverage, user=chengguan_staff, valid_to=TODAY)


def test_staff_cover_only_enterprises_they_may_see(joint_union, chengguan_staff, shigatse_enterprise):
    with pytest.raises(RegistryError):
        coverage_start(user=chengguan_staff, enterprise=shigatse_enterprise, union=joint_union, valid_from=TODAY)


def test_staff_add_and_end_a_coverage_on_the_unions_page(login, chengguan_staff, joint_union, lhasa_enterprise):
    client = login(chengguan_staff)
    url = reverse("enterprises:union_coverage", args=[joint_union.code])
    response = client.post(url, {"credit_code": lhasa_enterprise.credit_code.lower(), "valid_from": "2024年3月1日"})
    assert response.status_code == 302
    coverage = UnionCoverage.objects.get(enterprise=lhasa_enterprise)
    assert (coverage.union, coverage.valid_from, coverage.created_by) == (
        joint_union,
        datetime.date(2024, 3, 1),
        chengguan_staff,
    )
    page = client.get(url).content.decode()
    assert "拉萨高原建材有限公司" in page
    detail = client.get(reverse("enterprises:detail", args=[lhasa_enterprise.pk])).content.decode()
    assert "八廓街道商户联合工会" in detail
    end_url = reverse("enterprises:coverage_end", args=[coverage.pk])
    assert client.get(end_url).status_code == 200
    assert client.post(end_url, {"valid_to": "2024-06-30"}).status_code == 302
    coverage.refresh_from_db()
    assert coverage.valid_to == datetime.date(2024, 6, 30)
    assert client.get(end_url).status_code == 404  # nothing left to end


def test_an_enterprise_outside_the_users_area_cannot_be_added_by_its_code(
    login, chengguan_staff, joint_union, shigatse_enterprise
):
    url = reverse("enterprises:union_coverage", args=[joint_union.code])
    page = login(chengguan_staff).post(
        url, {"credit_code": shigatse_enterprise.credit_code, "valid_from": "2024-03-01"}
    )
    assert "您所在区域没有使用该统一社会信用代码的企业" in page.content.decode()
    assert not UnionCoverage.objects.exists()


def test_another_units_coverage_pages_are_not_found(
    login, chengguan_staff, shigatse_staff, joint_union, lhasa_enterprise
):
    coverage = coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY)
    client = login(shigatse_staff)
    assert client.get(reverse("enterprises:union_coverage", args=[joint_union.code])).status_code == 404
    assert client.get(reverse("enterprises:coverage_end", args=[coverage.pk])).status_code == 404
    assert (
        client.post(reverse("enterprises:coverage_end", args=[coverage.pk]), {"valid_to": "2024-01-01"}).status_code
        == 404
    )


def test_a_federation_has_no_coverage_page(login, chengguan_staff):
    assert login(chengguan_staff).get(reverse("enterprises:union_coverage", args=["540102"])).status_code == 404


def test_a_viewer_sees_the_coverage_but_may_not_change_it(
    login, lhasa_viewer, chengguan_staff, joint_union, lhasa_enterprise
):
    coverage = coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY)
    client = login(lhasa_viewer)
    url = reverse("enterprises:union_coverage", args=[joint_union.code])
    page = client.get(url).content.decode()
    assert "拉萨高原建材有限公司" in page
    assert reverse("enterprises:coverage_end", args=[coverage.pk]) not in page
    assert (
        client.post(url, {"credit_code": lhasa_enterprise.credit_code, "valid_from": "2024-03-01"}).status_code == 403
    )
    assert client.get(reverse("enterprises:coverage_end", args=[coverage.pk])).status_code == 403


def test_a_coverage_gives_the_enterprise_its_union_status_with_the_change_in_its_history(
    lhasa_enterprise, joint_union, chengguan_staff
):
    from enterprises.models import EnterpriseChange, FigureTally

    assert lhasa_enterprise.union_status == "none"
    coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=joint_union, valid_from=TODAY - 3 * DAY)
    lhasa_enterprise.refresh_from_db()
    assert (lhasa_enterprise.union_status, lhasa_enterprise.union_founded_on) == ("joint", TODAY - 3 * DAY)
    change = EnterpriseChange.objects.filter(enterprise=lhasa_enterprise).latest("pk")
    assert "union_status" in change.fields
    assert joint_union.name in change.reason
    assert FigureTally.objects.filter(county=lhasa_enterprise.county, union_status="joint").exists()
    own = grassroots(chengguan_staff, form="enterprise", name="企业自己的工会")
    coverage_start(user=chengguan_staff, enterprise=lhasa_enterprise, union=own, valid_from=TODAY)
    lhasa_enterprise.refresh_from_db()
    # Its own union now; the union was founded when it was first covered.
    assert (lhasa_enterprise.union_status, lhasa_enterprise.union_founded_on) == ("own", TODAY - 3 * DAY)

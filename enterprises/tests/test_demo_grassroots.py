import pytest

from enterprises.demo import load_demo_grassroots, load_demo_registry, village_short_name
from enterprises.models import UnionCoverage, UnionStatus
from unions.demo import load_demo_accounts
from unions.models import GrassrootsForm, UnionOrg

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_registry():
    load_demo_accounts()
    load_demo_registry(1500)


def test_the_demo_has_a_few_dozen_grassroots_unions_of_every_form(demo_registry):
    assert load_demo_grassroots() >= 24
    grassroots = UnionOrg.objects.grassroots()
    assert set(grassroots.values_list("form", flat=True)) == set(GrassrootsForm.values)
    assert all(org.path.startswith(("/540000/540100/", "/540000/540200/")) for org in grassroots)


def test_the_demo_covers_only_enterprises_whose_registry_says_they_have_a_union(demo_registry):
    load_demo_grassroots()
    covered = UnionCoverage.objects.open()
    assert covered.count() >= 20
    assert not covered.filter(enterprise__union_status=UnionStatus.NONE).exists()


def test_loading_the_demo_grassroots_again_adds_nothing(demo_registry):
    load_demo_grassroots()
    before = UnionOrg.objects.count(), UnionCoverage.objects.count()
    assert load_demo_grassroots() == 0
    assert (UnionOrg.objects.count(), UnionCoverage.objects.count()) == before


@pytest.mark.parametrize(
    ("published", "short"),
    [("绕赛社区居委会", "绕赛社区"), ("达龙村委会", "达龙村"), ("达龙村村民委员会", "达龙村"), ("贡玛村", "贡玛村")],
)
def test_a_village_union_is_named_after_its_village_without_the_committee(published, short):
    assert village_short_name(published) == short

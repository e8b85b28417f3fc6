import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unions.models import Division, StatisticalDivision, UnionOrg
from unions.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_it_knows_all_of_tibets_divisions():
    assert Division.objects.count() == 82
    assert Division.objects.filter(level="prefecture").count() == 7
    assert Division.objects.filter(level="county").count() == 74
    assert Division.objects.get(code="542500").name == "阿里地区"
    assert Division.objects.get(code="540102").parent.name == "拉萨市"


def test_every_division_has_its_federation_named_after_it():
    assert UnionOrg.objects.get(code="540000").name == "西藏自治区总工会"
    assert UnionOrg.objects.filter(kind=UnionOrg.Kind.PREFECTURE_FEDERATION).count() == 7
    assert UnionOrg.objects.filter(kind=UnionOrg.Kind.COUNTY_FEDERATION).count() == 74
    chengguan = UnionOrg.objects.get(code="540102")
    assert chengguan.name == "城关区总工会"
    assert chengguan.parent.code == "540100"
    assert chengguan.path == "/540000/540100/540102/"


def test_the_organisation_department_and_units_that_are_not_places_hang_under_the_region():
    zzb = UnionOrg.objects.get(code="540000.ZZB")
    assert zzb.kind == UnionOrg.Kind.DEPARTMENT
    assert zzb.parent.code == "540000"
    units = UnionOrg.objects.filter(kind=UnionOrg.Kind.REPORTING_UNIT)
    assert units.filter(name="西藏自治区非公有制企业工会联合会").exists()
    assert all(unit.parent.code == "540000" for unit in units)


def test_loading_twice_duplicates_nothing_and_keeps_contact_details():
    UnionOrg.objects.filter(code="540100").update(leader="张三", phone="0891-6000000")
    before = (Division.objects.count(), UnionOrg.objects.count())
    assert load_reference_data() == {
        "divisions": 0,
        "place_federations": 0,
        "other_units": 0,
        "statistical_divisions": 0,
        "township_unions": 0,
    }
    assert (Division.objects.count(), UnionOrg.objects.count()) == before
    assert UnionOrg.objects.get(code="540100").leader == "张三"


def test_a_units_whole_subtree_is_one_query():
    lhasa = UnionOrg.objects.get(code="540100")
    with CaptureQueriesContext(connection) as queries:
        codes = set(UnionOrg.objects.subtree_of(lhasa).for_directory().values_list("code", flat=True))
    assert len(queries) == 1
    assert codes == {"540100", "540102", "540103", "540104", "540121", "540122", "540123", "540124", "540127"}


def test_the_tree_can_hold_township_and_grassroots_unions(chengguan_staff):
    from unions.services import grassroots_union_create

    township = UnionOrg.objects.get(code="540102002")
    grassroots = grassroots_union_create(user=chengguan_staff, parent=township, name="某企业工会", form="enterprise")
    assert grassroots.depth == 4
    assert grassroots.is_within(UnionOrg.objects.get(code="540100"))
    assert [org.code for org in grassroots.ancestors()] == ["540000", "540100", "540102", "540102002"]


def test_a_renamed_division_renames_its_federation_on_the_next_load():
    from unions.services import union_org_upsert

    lhasa = UnionOrg.objects.get(code="540100")
    org, created = union_org_upsert(
        code="540100", name="拉萨市总工会（新）", kind=lhasa.kind, parent=lhasa.parent, division=lhasa.division
    )
    assert not created
    assert UnionOrg.objects.get(code="540100").name == "拉萨市总工会（新）"
    assert org.version == lhasa.version + 1


def test_it_knows_every_township_and_village_of_the_statistical_codes():
    assert StatisticalDivision.objects.filter(level="township").count() == 705
    assert StatisticalDivision.objects.filter(level="village").count() == 5580
    barkhor = StatisticalDivision.objects.get(code="540102002")
    assert barkhor.name == "八廓街道"
    assert barkhor.division_id == "540102"
    assert barkhor.villages.get(code="540102002001").name == "绕赛社区居委会"


def test_every_township_level_division_has_one_township_union_under_its_county():
    townships = UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION)
    assert townships.count() == 705
    assert townships.filter(statistical_division__isnull=True).count() == 0
    street = UnionOrg.objects.get(code="540102002")
    assert street.name == "八廓街道工会联合会"
    assert street.path == "/540000/540100/540102/540102002/"
    assert street.depth == 3
    assert street.division_id == "540102"
    township = townships.filter(statistical_division__name__endswith="乡").first()
    assert township.name == f"{township.statistical_division.name}工会"
    assert township.parent.kind == UnionOrg.Kind.COUNTY_FEDERATION


def test_lhasas_development_zones_hang_under_the_prefecture_federation():
    zones = UnionOrg.objects.filter(code__in=["540171400", "540172400", "540173400", "540174400"])
    assert {zone.parent.code for zone in zones} == {"540100"}
    assert UnionOrg.objects.get(code="540172400").name == "拉萨市经济技术开发区工会"
    assert StatisticalDivision.objects.get(code="540172400").area_code == "540172"


def test_township_unions_are_within_their_prefectures_scope_only(lhasa_staff, shigatse_staff):
    assert UnionOrg.objects.visible_to(lhasa_staff).filter(code="540102002").exists()
    assert not UnionOrg.objects.visible_to(shigatse_staff).filter(code="540102002").exists()


def test_loading_again_renames_a_township_union_whose_name_changed_and_nothing_else():
    UnionOrg.objects.filter(code="540102002").update(name="旧名", leader="李四")
    assert load_reference_data()["township_unions"] == 0
    street = UnionOrg.objects.get(code="540102002")
    assert (street.name, street.leader) == ("八廓街道工会联合会", "李四")


def test_thousands_of_townships_and_villages_load_in_a_few_queries_not_one_per_row():
    from unions.reference import load_statistical_divisions, load_township_unions

    StatisticalDivision.objects.filter(level="village", township_id="540102002").delete()
    with CaptureQueriesContext(connection) as queries:
        assert load_statistical_divisions() == 7
        load_township_unions()
    assert len(queries) < 30

"""Believable registry data for the demo and for benchmarks (deterministic for a given seed)."""

import datetime
import random

from django.db import transaction
from django.db.models import Q

from enterprises import tallies
from enterprises.credit_code import ALPHABET, with_check_character
from enterprises.models import Enterprise, IndustrySection, KeySector, PartyOrg, UnionStatus
from enterprises.services import coverage_start
from unions.models import Division, GrassrootsForm, Role, UnionOrg, User
from unions.services import grassroots_union_create

# Prefectures by rough weight of their enterprises (Lhasa has most).
PREFECTURE_WEIGHTS = {"540100": 34, "540200": 16, "540300": 10, "540400": 12, "540500": 11, "540600": 9, "542500": 8}
TRADE_NAMES = [
    "雪域",
    "高原",
    "珠峰",
    "天路",
    "圣地",
    "雅江",
    "藏原",
    "格桑",
    "吉祥",
    "扎西",
    "康巴",
    "羌塘",
    "念青",
    "纳木",
    "雍布",
    "卓玛",
    "林卡",
    "圣湖",
    "央金",
    "曲水",
    "拉鲁",
    "德吉",
    "朗玛",
    "日光",
]
BUSINESS = {
    "A": ["农牧", "牦牛养殖", "青稞种植"],
    "B": ["矿业", "砂石"],
    "C": ["食品", "藏药", "建材", "青稞酒业", "民族手工艺品", "饮用水"],
    "D": ["水电", "新能源", "燃气"],
    "E": ["建设工程", "路桥建设", "建筑安装"],
    "F": ["商贸", "超市", "医药连锁"],
    "G": ["物流", "运输", "快递", "出租汽车"],
    "H": ["酒店", "餐饮管理"],
    "I": ["信息技术", "网络科技"],
    "K": ["房地产开发", "物业服务"],
    "L": ["旅游服务", "人力资源服务"],
    "O": ["家政服务", "保洁服务"],
    "Q": ["医院", "康复中心"],
    "R": ["文化传媒", "演艺"],
}
SECTOR_BY_BUSINESS = {
    "建设工程": KeySector.CONSTRUCTION,
    "路桥建设": KeySector.CONSTRUCTION,
    "建筑安装": KeySector.CONSTRUCTION,
    "物流": KeySector.LOGISTICS,
    "快递": KeySector.LOGISTICS,
    "出租汽车": KeySector.TAXI,
    "运输": KeySector.TAXI,
    "家政服务": KeySector.DOMESTIC,
    "保洁服务": KeySector.DOMESTIC,
    "牦牛养殖": KeySector.COOPERATIVE,
    "青稞种植": KeySector.COOPERATIVE,
}
ZONES = {
    "540100": "拉萨经济技术开发区",
    "540200": "日喀则市工业园区",
    "540400": "林芝市工业园区",
    "540500": "山南市工业园区",
}
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
# Generated dates stay in the past whatever day the demo is loaded.
LATEST_DATE = datetime.date(2024, 12, 31)


class EnterpriseFactory:
    def __init__(self, seed=2019):
        self.random = random.Random(seed)
        counties = list(Division.objects.filter(level=Division.Level.COUNTY).order_by("code"))
        self.counties_by_prefecture = {}
        for county in counties:
            self.counties_by_prefecture.setdefault(county.parent_id, []).append(county)
        self.federations = {
            org.division_id: org for org in UnionOrg.objects.filter(kind=UnionOrg.Kind.PREFECTURE_FEDERATION)
        }
        self.non_public_federation = UnionOrg.objects.filter(code="540000.FGQ").first()
        self.codes = set()
        self.names = set()

    def _pick_county(self):
        prefectures, weights = zip(*PREFECTURE_WEIGHTS.items(), strict=True)
        prefecture = self.random.choices(prefectures, weights)[0]
        return prefecture, self.random.choice(self.counties_by_prefecture[prefecture])

    def _credit_code(self, county, cooperative):
        while True:
            body = "".join(self.random.choice(ALPHABET[:10] if i < 2 else ALPHABET) for i in range(9))
            stem = ("N1" if cooperative else "91") + county.code + body
            code = with_check_character(stem)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _name(self, county, business, cooperative):
        place = county.name.rstrip("县区市")
        suffix = "专业合作社" if cooperative else self.random.choice(SUFFIXES)
        name = f"西藏{self.random.choice(TRADE_NAMES)}{business}{suffix}"
        if name in self.names:
            name = f"{place}{self.random.choice(TRADE_NAMES)}{business}{suffix}"
        number = 2
        base = name
        while name in self.names:
            name = f"{base[: -len(suffix)]}{number}{suffix}"
            number += 1
        self.names.add(name)
        return name

    def _headcount(self):
        # Mostly small, a long tail of large ones: about a quarter at 100 or more.
        return max(5, int(self.random.lognormvariate(3.9, 0.9)))

    def build(self):
        rnd = self.random
        prefecture, county = self._pick_county()
        industry = rnd.choice(list(BUSINESS))
        business = rnd.choice(BUSINESS[industry])
        sector = SECTOR_BY_BUSINESS.get(business, KeySector.NONE)
        cooperative = sector == KeySector.COOPERATIVE
        headcount = self._headcount()
        party = rnd.choices([PartyOrg.OWN, PartyOrg.JOINT, PartyOrg.NONE], [55, 12, 33])[0]
        union_chance = 0.78 if party != PartyOrg.NONE else 0.42
        union = (
            rnd.choices([UnionStatus.OWN, UnionStatus.JOINT, UnionStatus.AREA], [70, 20, 10])[0]
            if rnd.random() < union_chance
            else UnionStatus.NONE
        )
        registered = datetime.date(1995, 1, 1) + datetime.timedelta(days=rnd.randint(0, 10_500))
        unit = self.federations[prefecture]
        if self.non_public_federation and rnd.random() < 0.04:
            unit = self.non_public_federation
        return Enterprise(
            credit_code=self._credit_code(county, cooperative),
            name=self._name(county, business, cooperative),
            address=f"西藏自治区{county.parent.name}{county.name}{rnd.choice(TRADE_NAMES)}路{rnd.randint(1, 300)}号",
            county=county,
            responsible_unit=unit,
            industry=IndustrySection(industry),
            key_sector=sector,
            development_zone=ZONES.get(prefecture, "") if industry in "CD" and rnd.random() < 0.5 else "",
            is_non_public=rnd.random() < 0.82,
            headcount=headcount,
            migrant_workers=int(headcount * rnd.choice([0, 0.1, 0.3, 0.5, 0.7])),
            registered_on=registered,
            operating=rnd.random() < 0.95,
            profitable=rnd.random() < 0.7,
            party_org=party,
            union_status=union,
            union_founded_on=min(registered + datetime.timedelta(days=rnd.randint(30, 3000)), LATEST_DATE)
            if union != UnionStatus.NONE
            else None,
            operates_across_prefectures=rnd.random() < 0.06,
            long_without_union=union == UnionStatus.NONE and registered.year < 2012 and rnd.random() < 0.6,
            beyond_local_reach=union == UnionStatus.NONE and headcount >= 300 and rnd.random() < 0.3,
            operator_political_post=(political := rnd.random() < 0.05),
            # Chosen without drawing from the generator, so the rest of the demo registry stays as it was.
            operator_post=OPERATOR_POSTS[len(self.names) % len(OPERATOR_POSTS)] if political else "",
            well_known=headcount >= 500 and rnd.random() < 0.4,
            internet_industry=industry == "I",
        )


# The political posts (政治身份) the veto list names: deputies and members at every level.
OPERATOR_POSTS = ("区人大代表", "市人大代表", "县人大代表", "区政协委员", "市政协委员", "县政协委员")


def create_enterprises(count, *, seed=2019, batch_size=2000):
    """Insert `count` generated enterprises whose codes are not in the registry yet; returns how many were new."""
    factory = EnterpriseFactory(seed)
    factory.codes.update(Enterprise.objects.values_list("credit_code", flat=True))
    created = 0
    while created < count:
        batch = [factory.build() for _ in range(min(batch_size, count - created))]
        Enterprise.objects.bulk_create(batch, batch_size=batch_size)
        created += len(batch)
    tallies.recount()
    return created


def load_demo_registry(count=3000):
    """The demo registry: `count` enterprises, created once (a second run adds nothing)."""
    if Enterprise.objects.exists():
        return 0
    return create_enterprises(count)


# Demo groups: a headquarters in 拉萨 with subsidiaries in other prefectures (the plan's 总部带动).
DEMO_GROUPS = (("540100", False, ("540200", "540200", "540400")), ("540100", True, ("540500", "540500")))


def load_demo_groups():
    """Link the demo's group headquarters to subsidiaries across prefectures, once; returns how many links."""
    if Enterprise.objects.filter(parent_group__isnull=False).exists():
        return 0
    linked, used = 0, set()
    for prefecture, unionised, subsidiary_prefectures in DEMO_GROUPS:
        union = ~Q(union_status=UnionStatus.NONE) if unionised else Q(union_status=UnionStatus.NONE)
        headquarters = (
            Enterprise.objects.filter(union, county__parent__code=prefecture, headcount__gte=300)
            .exclude(pk__in=used)
            .order_by("pk")
            .first()
        )
        if headquarters is None:
            continue
        used.add(headquarters.pk)
        for code in subsidiary_prefectures:
            subsidiary = (
                Enterprise.objects.filter(county__parent__code=code, headcount__gte=50)
                .exclude(pk__in=used)
                .order_by("pk")
                .first()
            )
            if subsidiary is None:
                continue
            used.add(subsidiary.pk)
            Enterprise.objects.filter(pk=subsidiary.pk).update(parent_group=headquarters)
            linked += 1
        Enterprise.objects.filter(pk=headquarters.pk).update(beyond_local_reach=not unionised)
    return linked


# Grassroots unions of the demo: in the prefectures that have demo accounts, each form at least once.
DEMO_GRASSROOTS_PREFECTURES = ("540100", "540200")
ENTERPRISE_UNIONS_PER_PREFECTURE = 8
JOINT_UNIONS_PER_PREFECTURE = 3
ENTERPRISES_PER_JOINT_UNION = 3


def village_short_name(name):
    """绕赛社区居委会 → 绕赛社区, 达龙村委会 → 达龙村, 达龙村村民委员会 → 达龙村."""
    for suffix, replacement in (
        ("居民委员会", ""),
        ("居委会", ""),
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("委员会", ""),
    ):
        if name.endswith(suffix):
            name = name.removesuffix(suffix) + replacement
            break
    return name.replace("村村", "村")


def _place_name(org):
    return org.statistical_division.name if org.statistical_division_id else org.division.name


def _township_of(county_code, index):
    """One of the county's township unions, picked by a stable index."""
    townships = list(
        UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION, parent__code=county_code).order_by("code")
    )
    return townships[index % len(townships)] if townships else UnionOrg.objects.get(code=county_code)


class DemoGrassroots:
    def __init__(self, user):
        self.user = user
        self.created = 0

    def union(self, parent, name, form, **fields):
        self.created += 1
        return grassroots_union_create(user=self.user, parent=parent, name=name, form=form, **fields)

    def cover(self, union, enterprise):
        since = enterprise.union_founded_on or enterprise.registered_on or LATEST_DATE
        coverage_start(user=self.user, enterprise=enterprise, union=union, valid_from=since)

    def load_prefecture(self, prefecture):
        with_union = Enterprise.objects.in_division(prefecture).select_related("county").order_by("pk")
        own = with_union.filter(union_status=UnionStatus.OWN, headcount__gte=25)[:ENTERPRISE_UNIONS_PER_PREFECTURE]
        for index, enterprise in enumerate(own):
            township = _township_of(enterprise.county_id, index)
            union = self.union(
                township,
                f"{enterprise.name}工会",
                GrassrootsForm.ENTERPRISE,
                leader="扎西",
                founded_on=enterprise.union_founded_on,
                address=enterprise.address,
            )
            self.cover(union, enterprise)
        joint = list(
            with_union.filter(union_status=UnionStatus.JOINT)[
                : JOINT_UNIONS_PER_PREFECTURE * ENTERPRISES_PER_JOINT_UNION
            ]
        )
        for start in range(0, len(joint), ENTERPRISES_PER_JOINT_UNION):
            members = joint[start : start + ENTERPRISES_PER_JOINT_UNION]
            township = _township_of(members[0].county_id, start)
            union = self.union(
                township,
                f"{_place_name(township)}小微企业联合基层工会",
                GrassrootsForm.JOINT,
                leader="卓玛",
            )
            for enterprise in members:
                self.cover(union, enterprise)
        area = list(with_union.filter(union_status=UnionStatus.AREA)[:6])
        county = UnionOrg.objects.get(code=area[0].county_id) if area else None
        if county is not None:
            industry = self.union(
                county, f"{county.division.name}物流快递行业工会联合会", GrassrootsForm.INDUSTRY, leader="次仁"
            )
            project = self.union(
                county, f"{county.division.name}重点建设项目工会联合会", GrassrootsForm.PROJECT, leader="多吉"
            )
            for index, enterprise in enumerate(area):
                self.cover(industry if index % 2 == 0 else project, enterprise)
        federation = UnionOrg.objects.get(code=prefecture)
        self.union(
            federation,
            f"{ZONES.get(prefecture, federation.division.name + '工业园区')}园区工会",
            GrassrootsForm.ZONE,
            leader="平措",
        )
        townships = UnionOrg.objects.filter(
            kind=UnionOrg.Kind.TOWNSHIP_UNION, path__startswith=federation.path
        ).select_related("statistical_division")
        streets = townships.filter(statistical_division__name__endswith="街道").order_by("code")[:2]
        rural = townships.exclude(statistical_division__name__endswith="街道").order_by("code")[:2]
        for township in [*streets, *rural]:
            village = township.statistical_division.villages.order_by("code").first()
            if village is None:
                continue
            form = GrassrootsForm.COMMUNITY if "社区" in village.name else GrassrootsForm.VILLAGE
            self.union(
                township, f"{village_short_name(village.name)}工会", form, statistical_division=village, leader="拉巴"
            )


def load_demo_grassroots():
    """A few dozen grassroots unions of every form, covering demo enterprises whose registry says they have a union;
    created once (a second run adds nothing)."""
    if UnionOrg.objects.grassroots().exists() or not Enterprise.objects.exists():
        return 0
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    if admin is None:
        return 0
    demo = DemoGrassroots(admin)
    with transaction.atomic():
        for prefecture in DEMO_GRASSROOTS_PREFECTURES:
            demo.load_prefecture(prefecture)
    return demo.created

"""Believable registry data for the demo and for benchmarks (deterministic for a given seed)."""

import datetime
import random

from enterprises import tallies
from enterprises.credit_code import ALPHABET, with_check_character
from enterprises.models import Enterprise, IndustrySection, KeySector, PartyOrg, UnionStatus
from unions.models import Division, UnionOrg

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
            operator_political_post=rnd.random() < 0.05,
            well_known=headcount >= 500 and rnd.random() < 0.4,
            internet_industry=industry == "I",
        )


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

"""Generated members for the demo and the benchmarks: deterministic for a seed, and no real person.

Names are put together from common Tibetan and Han name parts; ID numbers carry a real county code (Tibetan
counties for most, other provinces' for some of the migrant workers), a plausible birth date and a valid
check character; phone numbers are random mobile numbers.
"""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from enterprises.models import Enterprise
from members import crypto, tallies
from members.idnumbers import check_character, mask_id, mask_phone
from members.models import Membership, MembershipChange, MembershipStatus, Person
from members.services import MEMBER_HOLDING_KINDS
from unions.models import Division, UnionOrg
from unions.services import union_org_upsert

TIBETAN_PARTS = [
    "扎西",
    "次仁",
    "达瓦",
    "尼玛",
    "格桑",
    "平措",
    "旦增",
    "索朗",
    "多吉",
    "普布",
    "边巴",
    "次旦",
    "强巴",
    "洛桑",
    "加措",
    "巴桑",
    "顿珠",
    "米玛",
    "仁增",
    "益西",
    "桑珠",
    "群培",
    "拉巴",
    "白玛",
    "贡布",
    "罗布",
]
TIBETAN_FEMALE = ["卓玛", "央金", "拉姆", "德吉", "曲珍", "措姆", "琼达", "玉珍", "白珍", "次珍", "仓决", "旺姆"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "胡", "朱", "郭", "何", "罗"]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "华",
    "林",
]
# Home counties of migrant workers from other provinces (GB/T 2260): Sichuan, Gansu, Qinghai, Chongqing, Yunnan.
OTHER_PROVINCES = ["510104", "510722", "513401", "620102", "621102", "630102", "632122", "500101", "530102"]
MOBILE_PREFIXES = ["133", "135", "136", "138", "139", "150", "151", "158", "173", "177", "180", "183", "189", "199"]
EARLIEST_JOINING = datetime.date(2014, 1, 1)
BATCH = 5000


class MemberFactory:
    """Builds unsaved people and memberships; every ID number it gives is new."""

    def __init__(self, seed=2015, today=None):
        self.random = random.Random(seed)
        self.today = today or datetime.date.today()
        self.tibetan_counties = list(
            Division.objects.filter(level=Division.Level.COUNTY, code__startswith="54").values_list("code", flat=True)
        )
        self.numbers = set()
        self.card_serial = 0

    def _id_number(self, county, sex):
        pick = self.random
        while True:
            born = self.today - datetime.timedelta(days=pick.randint(18 * 365 + 5, 58 * 365))
            sex_digit = pick.choice("13579" if sex == "M" else "02468")
            first = f"{county}{born:%Y%m%d}{pick.randint(0, 99):02d}{sex_digit}"
            number = first + check_character(first)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _name(self, sex, tibetan):
        pick = self.random
        if tibetan:
            second = pick.choice(TIBETAN_FEMALE if sex == "F" else TIBETAN_PARTS)
            return pick.choice(TIBETAN_PARTS) + second if pick.random() < 0.8 else second
        return pick.choice(SURNAMES) + "".join(pick.choice(GIVEN) for _ in range(pick.randint(1, 2)))

    def person(self, home_county):
        pick = self.random
        sex = pick.choice("MF")
        roll = pick.random()
        tibetan = roll < 0.8
        ethnicity = "04" if tibetan else ("01" if roll < 0.96 else pick.choice(["03", "54", "55"]))
        county = home_county if tibetan or pick.random() < 0.3 else pick.choice(OTHER_PROVINCES)
        rural = pick.random() < 0.75
        number = self._id_number(county, sex)
        phone = pick.choice(MOBILE_PREFIXES) + f"{pick.randint(0, 99_999_999):08d}"
        person = Person(
            name=self._name(sex, tibetan),
            sex=sex,
            ethnicity=ethnicity,
            rural_household=rural,
            migrant_worker=rural and pick.random() < 0.8,
            phone=phone,
            phone_masked=mask_phone(phone),
        )
        person.id_number = number
        person.id_index = crypto.blind_index(number)
        person.id_masked = mask_id(number)
        person.birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        return person

    def membership(self, person, union, employer):
        pick = self.random
        joined = EARLIEST_JOINING + datetime.timedelta(days=pick.randint(0, (self.today - EARLIEST_JOINING).days))
        card = None
        if pick.random() < 0.6:
            self.card_serial += 1
            card = f"XZ{union.pk:05d}{self.card_serial:08d}"
        return Membership(person=person, union=union, employer=employer, joined_on=joined, card_number=card)


def _county_of(union):
    """The GB/T 2260 county a union lies in: the first six-digit county code on its path."""
    for code in union.path.strip("/").split("/"):
        if len(code) == 6 and code.isdigit() and not code.endswith("00"):
            return code
    return None


def create_members(count, unions, *, seed=2015, history=True):
    """`count` generated members spread over `unions` (township, street or grassroots unions), in batches."""
    factory = MemberFactory(seed)
    employers = {}
    for union in unions:
        county = _county_of(union)
        if county not in employers:
            employers[county] = list(Enterprise.objects.filter(county_id=county).values_list("pk", flat=True)[:200])
    pick = factory.random
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            chosen = [pick.choice(unions) for _ in range(size)]
            people = Person.objects.bulk_create(
                [factory.person(_county_of(union) or pick.choice(factory.tibetan_counties)) for union in chosen]
            )
            memberships = []
            for person, union in zip(people, chosen, strict=True):
                staff = employers.get(_county_of(union)) or []
                employer_id = pick.choice(staff) if staff and pick.random() < 0.7 else None
                membership = factory.membership(person, union, None)
                membership.employer_id = employer_id
                if pick.random() < 0.04:
                    membership.status = MembershipStatus.KEPT
                memberships.append(membership)
            memberships = Membership.objects.bulk_create(memberships)
            if history:
                MembershipChange.objects.bulk_create(
                    MembershipChange(
                        membership=m,
                        action=MembershipChange.Action.JOINED,
                        changes={"union": ["", m.union.name], "joined_on": ["", m.joined_on.isoformat()]},
                    )
                    for m in memberships
                )
        made += size
    # Written around the services: counted into the tallies as every write path does.
    tallies.recount()
    return made


DEMO_PREFECTURES = ("540100", "540200")


def demo_unions():
    """The member-holding unions of the demo prefectures; a joint grassroots union of each county where the
    union tree holds none yet."""
    unions = list(
        UnionOrg.objects.filter(kind__in=MEMBER_HOLDING_KINDS)
        .filter(Q(path__startswith="/540000/540100/") | Q(path__startswith="/540000/540200/"))
        .select_related("parent")
    )
    if unions:
        return unions
    for county in UnionOrg.objects.filter(kind=UnionOrg.Kind.COUNTY_FEDERATION, parent__code__in=DEMO_PREFECTURES):
        union, _created = union_org_upsert(
            code=f"{county.code}.L01",
            name=f"{county.name}非公企业联合工会",
            kind=UnionOrg.Kind.GRASSROOTS_UNION,
            form="joint",
            parent=county,
        )
        unions.append(union)
    return unions


def load_demo_members(count=None):
    """The demo rolls: `count` (DEMO_MEMBER_COUNT) members in the demo prefectures, created once."""
    if Person.objects.exists():
        return 0
    return create_members(count or settings.DEMO_MEMBER_COUNT, demo_unions())

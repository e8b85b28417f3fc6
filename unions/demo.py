"""Demo accounts for trying the portal; never created with DEBUG off."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.models import EightHave, EightHavesItem, Role, UnionOrg, User
from unions.services import eight_haves_assess, staff_account_create

DEMO_PASSWORD = "zgh-demo-2026"

# username, organisation code, role, full name, what the account shows
DEMO_ACCOUNTS = [
    ("zzb_reviewer", "540000.ZZB", Role.REVIEWER, "组织部审核员", _("reviews every unit")),
    ("lasa_staff", "540100", Role.STAFF, "拉萨市填报员", _("enters data for Lhasa and its counties")),
    ("rikaze_staff", "540200", Role.STAFF, "日喀则市填报员", _("enters data for Shigatse and its counties")),
    ("chengguan_staff", "540102", Role.STAFF, "城关区填报员", _("enters data for Chengguan district")),
    ("lasa_viewer", "540100", Role.VIEWER, "拉萨市查看员", _("reads Lhasa's data, changes nothing")),
    ("portal_admin", "540000", Role.ADMIN, "系统管理员", _("manages accounts and reference data")),
]


def load_demo_accounts():
    """Create the demo accounts that do not exist yet; existing ones are left as they are."""
    created = []
    for username, org_code, role, full_name, _purpose in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        staff_account_create(
            username=username,
            organisation=UnionOrg.objects.get(code=org_code),
            role=role,
            password=DEMO_PASSWORD,
            full_name=full_name,
        )
        created.append(username)
    load_demo_eight_haves()
    return created


# Two street unions of 城关区 assessed by its county federation: one meets the 八有 standard, one has five of eight.
DEMO_EIGHT_HAVES_ASSESSOR = "chengguan_staff"
DEMO_EIGHT_HAVES = {
    "540102002": {
        EightHave.STAFF: (True, "专职工作人员2名（主席1名、干事1名），名单经街道党工委批准。"),
        EightHave.SIGN: (True, "街道办事处大门悬挂“八廓街道工会联合会”牌子。"),
        EightHave.SEAL: (True, "印章经县总工会备案，由专人保管，有使用登记簿。"),
        EightHave.PLAN: (True, "年度工作计划已印发；本年开展入会宣传、送温暖等活动6次，有签到表和照片。"),
        EightHave.RULES: (True, "工会例会、经费管理、会员发展等制度已上墙。"),
        EightHave.VENUE: (True, "街道综合服务中心二楼办公室及职工活动室约60平方米。"),
        EightHave.FUNDS: (True, "街道财政安排工作经费，县总工会补助，单独建账。"),
        EightHave.RECORDS: (True, "会员实名登记台账齐全，与会员系统一致。"),
    },
    "540102003": {
        EightHave.STAFF: (True, "兼职工会干事1名。"),
        EightHave.SIGN: (True, "已挂牌。"),
        EightHave.SEAL: (True, "印章已刻制并备案。"),
        EightHave.PLAN: (False, "有年度计划，活动记录不全，需补充。"),
        EightHave.RULES: (True, "制度已制定并上墙。"),
        EightHave.VENUE: (False, "暂无固定办公和活动场所。"),
        EightHave.FUNDS: (False, "工作经费尚未落实。"),
        EightHave.RECORDS: (True, "会员台账已建立。"),
    },
}


def load_demo_eight_haves():
    """Assess the demo street unions' 八有 items that are not assessed yet; a second run changes nothing."""
    assessor = User.objects.filter(username=DEMO_EIGHT_HAVES_ASSESSOR).first()
    if assessor is None:
        return 0
    assessed_on = timezone.localdate() - datetime.timedelta(days=14)
    created = 0
    for code, items in DEMO_EIGHT_HAVES.items():
        union = UnionOrg.objects.filter(code=code, kind=UnionOrg.Kind.TOWNSHIP_UNION).first()
        if union is None:
            continue
        done = set(EightHavesItem.objects.filter(union=union).values_list("item", flat=True))
        for item, (met, note) in items.items():
            if item in done:
                continue
            eight_haves_assess(union, user=assessor, item=item, met=met, note=note, assessed_on=assessed_on, version=0)
            created += 1
    return created

"""Demo accounts for trying the portal; never created with DEBUG off."""

from django.utils.translation import gettext_lazy as _

from unions.models import Role, UnionOrg, User
from unions.services import staff_account_create

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
    return created

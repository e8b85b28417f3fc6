"""Demo online join applications and transfers in 城关区.

Applications: some waiting (one for weeks), one returned, one accepted, one rejected, and one from a worker who
is already a member in Shigatse and so became a transfer request. Transfers: one certificate received between
two 城关区 unions, one waiting for a Shigatse union. All go through the services with the demo's staff, so
steps, card numbers and tallies are as the portal makes them."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from enterprises.models import UnionCoverage
from members.idnumbers import check_character
from members.models import ApplicationStatus, ApplicationTransition, JoinApplication, Membership
from members.services import reviewing, transfers
from unions.models import UnionOrg, User

REVIEWER = "chengguan_staff"
# (name, township union code, days ago, what the union did, its reason)
DEMO_APPLICATIONS = [
    ("拉巴次仁", "540102002", 1, None, ""),
    ("央金", "540102002", 3, None, ""),
    ("边巴卓玛", "540102003", 20, None, ""),
    ("格桑旺堆", "540102002", 6, "return", "联系电话无法接通，请核对后重新提交。"),
    ("普布扎西", "540102002", 9, "accept", ""),
    ("次仁央宗", "540102004", 12, "reject", "申请人所在单位已在其他县（区）建会，请向所在单位工会申请。"),
]
CONSENT_VERSION = "2026-1"


def _id_number(rng):
    born = datetime.date(1980, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
    first = f"540121{born:%Y%m%d}{rng.randrange(100):02d}{rng.randrange(10)}"
    return first + check_character(first)


def _application(rng, name, union, days_ago, *, id_number=None, employer=None):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    application = JoinApplication(
        number="RH" + "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(10)),
        union=union,
        employer=employer,
        workplace="" if employer else "八廓街商铺",
        name=name,
        ethnicity="04",
        rural_household=True,
        household_place="拉萨市林周县",
        consent_at=moment,
        consent_version=CONSENT_VERSION,
        touched_at=moment,
    )
    application.set_id_number(id_number or _id_number(rng))
    application.set_phone(f"139{rng.randrange(10**8):08d}")
    application.save()
    JoinApplication.objects.filter(pk=application.pk).update(created_at=moment)
    ApplicationTransition.objects.create(application=application, to_status=ApplicationStatus.SUBMITTED)
    ApplicationTransition.objects.filter(application=application).update(at=moment)
    return application


def load_demo_applications(seed=2026):
    """Created once; returns how many applications were made."""
    reviewer = User.objects.filter(username=REVIEWER).first()
    if reviewer is None or JoinApplication.objects.exists():
        return 0
    rng = random.Random(seed)
    unions = {union.code: union for union in UnionOrg.objects.filter(code__in={row[1] for row in DEMO_APPLICATIONS})}
    made = 0
    with transaction.atomic():
        for name, code, days_ago, step, reason in DEMO_APPLICATIONS:
            if code not in unions:
                continue
            application = _application(rng, name, unions[code], days_ago)
            _review(reviewer, application, step, reason)
            made += 1
        made += _transfer_request(rng, reviewer)
        _certificates(reviewer)
    return made


def _review(reviewer, application, step, reason):
    if step == "accept":
        reviewing.application_accept(reviewer, application, version=application.version, migrant_worker=True)
    elif step == "return":
        reviewing.application_return(reviewer, application, version=application.version, reason=reason)
    elif step == "reject":
        reviewing.application_reject(reviewer, application, version=application.version, reason=reason)


def _transfer_request(rng, reviewer):
    """A member of a Shigatse union applies to a 城关区 enterprise's union: accepting turns it into a request."""
    member = Membership.objects.current().filter(union__path__startswith="/540000/540200/").select_related("person")
    member = member.order_by("pk").first()
    coverage = UnionCoverage.objects.open().filter(union__path__startswith="/540000/540100/540102/").first()
    if member is None or coverage is None:
        return 0
    application = _application(
        rng, member.person.name, coverage.union, 2, id_number=member.person.id_number, employer=coverage.enterprise
    )
    reviewing.application_accept(reviewer, application, version=application.version, migrant_worker=True)
    return 1


def _certificates(clerk):
    """One certificate received between two 城关区 unions, and one waiting to be received in Shigatse."""
    chengguan = Membership.objects.current().filter(union__path__startswith="/540000/540100/540102/")
    unions = list(chengguan.order_by().values_list("union_id", flat=True).distinct()[:2])
    shigatse = UnionOrg.objects.filter(
        path__startswith="/540000/540200/", kind__in=[UnionOrg.Kind.TOWNSHIP_UNION, UnionOrg.Kind.GRASSROOTS_UNION]
    ).first()
    if len(unions) < 2 or shigatse is None:
        return
    moving, waiting = chengguan.filter(union_id=unions[0]).order_by("pk")[:2]
    receiving = UnionOrg.objects.get(pk=unions[1])
    paper = transfers.certificate_issue(clerk, moving, to_union=receiving, reason="更换工作单位")
    transfers.certificate_receive(clerk, number=paper.number, code=paper.verification_code, union=receiving)
    transfers.certificate_issue(clerk, waiting, to_union=shigatse, reason="赴日喀则务工")

"""Personas shared by every app's tests: one account per role, as the portal's users are."""

import pytest

from unions.models import Role, UnionOrg
from unions.reference import load_reference_data
from unions.services import staff_account_create

# A test that leaves the registry's figure tallies stale fails (enterprises/tests/fresh_tallies.py).
pytest_plugins = ["enterprises.tests.fresh_tallies", "members.tests.fresh_tallies"]

PERSONA_PASSWORD = "persona-pass-2026"

# fixture name: (username, organisation code, role)
PERSONAS = {
    "reviewer": ("zzb_reviewer", "540000.ZZB", Role.REVIEWER),
    "lhasa_staff": ("lasa_staff", "540100", Role.STAFF),
    "shigatse_staff": ("rikaze_staff", "540200", Role.STAFF),
    "chengguan_staff": ("chengguan_staff", "540102", Role.STAFF),
    "lhasa_viewer": ("lasa_viewer", "540100", Role.VIEWER),
    "administrator": ("portal_admin", "540000", Role.ADMIN),
    "ngari_staff": ("ali_staff", "542500", Role.STAFF),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """For tests that need real transactions: the database is emptied after each, so load the divisions again."""
    load_reference_data()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo rolls as make run loads them, at a size that keeps the tests that load the demo quick.
    settings.DEMO_MEMBER_COUNT = 600


@pytest.fixture(scope="session")
def _kept_downloads_folder(tmp_path_factory):
    """This test run's own folder for kept downloads, so that two runs on one machine never clear each other's."""
    return str(tmp_path_factory.mktemp("kept-downloads"))


@pytest.fixture(autouse=True)
def _no_counts_kept_from_another_test(settings, _kept_downloads_folder):
    """The members dashboard keeps the counts of the rolls and the registry while their tallies' stamps stay the
    same; a test's writes are rolled back (on SQLite with the ids they took), so the next test starts afresh.
    The join form keeps its county choices the same way, and the downloads their files."""
    from django.core.cache import caches

    downloads = {**settings.CACHES["downloads"], "LOCATION": _kept_downloads_folder}
    settings.CACHES = {**settings.CACHES, "downloads": downloads}

    from members.public_forms import _kept_counties
    from reports.enrolment.figures import forget_kept_counts
    from unions.reference import forget_divisions

    forget_kept_counts()
    forget_divisions()
    _kept_counties.clear()
    caches["downloads"].clear()
    yield
    forget_kept_counts()
    _kept_counties.clear()
    caches["downloads"].clear()


def make_persona(name):
    username, org_code, role = PERSONAS[name]
    return staff_account_create(
        username=username,
        organisation=UnionOrg.objects.get(code=org_code),
        role=role,
        password=PERSONA_PASSWORD,
    )


@pytest.fixture
def reviewer(db):
    """The 组织部 reviewer: sees every unit, reviews, enters nothing."""
    return make_persona("reviewer")


@pytest.fixture
def lhasa_staff(db):
    """Staff of the 拉萨市 federation: enters data for Lhasa and its counties."""
    return make_persona("lhasa_staff")


@pytest.fixture
def shigatse_staff(db):
    """Staff of the 日喀则市 federation: must never see Lhasa's data."""
    return make_persona("shigatse_staff")


@pytest.fixture
def chengguan_staff(db):
    """Staff of the 城关区 county federation, below Lhasa."""
    return make_persona("chengguan_staff")


@pytest.fixture
def lhasa_viewer(db):
    """A read-only viewer of the 拉萨市 federation."""
    return make_persona("lhasa_viewer")


@pytest.fixture
def administrator(db):
    """The system administrator: manages accounts, sees everything."""
    return make_persona("administrator")


@pytest.fixture
def ngari_staff(db):
    """Staff of 阿里地区: an outsider to everything in Lhasa and Shigatse."""
    return make_persona("ngari_staff")


def make_enterprise(county_code, **fields):
    """An enterprise in the registry, with a valid credit code registered in its county."""
    from enterprises import tallies
    from enterprises.credit_code import with_check_character
    from enterprises.models import Enterprise
    from enterprises.services import default_responsible_unit
    from unions.models import Division

    county = Division.objects.get(code=county_code)
    serial = Enterprise.objects.count() + 1
    values = {
        "credit_code": with_check_character(f"91{county_code}MA6{serial:06d}"),
        "name": f"测试企业{serial}有限公司",
        "county": county,
        "responsible_unit": default_responsible_unit(county),
        "industry": "C",
        "headcount": 120,
    }
    values.update(fields)
    enterprise = Enterprise.objects.create(**values)
    # As every write path of the registry does: the dashboards read the tallies.
    tallies.recount([county_code])
    return enterprise


@pytest.fixture
def lhasa_enterprise(db):
    """An enterprise in 城关区, which 拉萨市 reports for."""
    return make_enterprise("540102", name="拉萨高原建材有限公司")


@pytest.fixture
def chengguan_union(db):
    """A grassroots union in 城关区, below 拉萨市."""
    from members.tests.helpers import grassroots_union

    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


@pytest.fixture
def chengguan_membership(chengguan_union, lhasa_enterprise, chengguan_staff):
    """次仁, a migrant worker at a Lhasa enterprise, member of a 城关区 grassroots union."""
    from members.services import enrol
    from members.tests.helpers import enrol_values

    return enrol(chengguan_staff, union=chengguan_union, employer=lhasa_enterprise, **enrol_values())


@pytest.fixture
def chengguan_certificate(chengguan_membership, chengguan_staff):
    """A transfer certificate for 次仁's membership, issued by its 城关区 union and not yet received."""
    from members.services.transfers import certificate_issue

    return certificate_issue(chengguan_staff, chengguan_membership, reason="更换工作单位")


@pytest.fixture
def chengguan_member(chengguan_membership):
    return chengguan_membership.person


@pytest.fixture
def shigatse_enterprise(db):
    """An enterprise in 桑珠孜区, which 日喀则市 reports for."""
    return make_enterprise("540202", name="日喀则珠峰物流有限公司")


@pytest.fixture
def lhasa_grassroots_union(db):
    """A joint grassroots union under 八廓街道 in 城关区."""
    from unions.services import union_org_upsert

    union, _created = union_org_upsert(
        code="540102002.001",
        name="八廓街道商户联合工会",
        kind=UnionOrg.Kind.GRASSROOTS_UNION,
        form="joint",
        parent=UnionOrg.objects.get(code="540102002"),
        division=UnionOrg.objects.get(code="540102").division,
    )
    return union


@pytest.fixture
def barkhor_evidence_union(chengguan_staff, settings, tmp_path):
    """八廓街道's union with its sign assessed and a photo kept as evidence; files go to a temporary MEDIA_ROOT."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from unions.services import eight_haves_assess

    settings.MEDIA_ROOT = tmp_path / "media"
    union = UnionOrg.objects.get(code="540102002")
    photo = SimpleUploadedFile("牌子.pdf", b"%PDF-1.4\n%%EOF\n")
    eight_haves_assess(
        union,
        user=chengguan_staff,
        item="sign",
        met=True,
        note="",
        assessed_on=datetime.date(2024, 5, 1),
        attachment=photo,
        version=0,
    )
    return union


@pytest.fixture
def lhasa_coverage(lhasa_grassroots_union, lhasa_enterprise):
    """The Lhasa enterprise, covered by the joint union since 2024."""
    import datetime

    from enterprises.models import UnionCoverage

    return UnionCoverage.objects.create(
        enterprise=lhasa_enterprise, union=lhasa_grassroots_union, valid_from=datetime.date(2024, 1, 1)
    )


@pytest.fixture
def lhasa_notification(lhasa_staff):
    """A reminder in the bell of Lhasa's staff: nobody else may open it."""
    from campaigns.models import Notification
    from campaigns.notifications import notify

    notification, _created = notify(lhasa_staff, Notification.Kind.DUE_SOON, "test:lhasa", "拉萨市总工会的报告即将截止")
    return notification


@pytest.fixture
def lhasa_import(lhasa_staff):
    """A checked upload of Lhasa's staff, waiting for their confirmation."""
    from enterprises.models import ImportBatch

    return ImportBatch.objects.create(created_by=lhasa_staff, file_name="拉萨企业.xlsx", status="previewed")


@pytest.fixture
def lhasa_job(lhasa_staff):
    """A failed background job of Lhasa's staff, with a file to download: theirs alone (and the overseers')."""
    from campaign_portal.jobs import store_file
    from campaign_portal.models import Job

    return Job.objects.create(
        kind="tests.unknown",
        label="拉萨企业导出",
        user=lhasa_staff,
        organisation=lhasa_staff.organisation,
        status=Job.Status.FAILED,
        result_file=store_file("拉萨.csv", "名称\n".encode(), "text/csv; charset=utf-8"),
    )


@pytest.fixture
def lhasa_member_import(lhasa_staff):
    """A checked member upload of Lhasa's staff for a 城关区 union, waiting for their confirmation."""
    from members.models import MemberImportBatch
    from members.tests.helpers import grassroots_union

    union = grassroots_union("540102", "540102.G901", "拉萨某宾馆工会")
    return MemberImportBatch.objects.create(
        created_by=lhasa_staff, union=union, file_name="拉萨会员.xlsx", status="previewed"
    )


def make_campaign(name, year, *stages, units=("540100", "540200")):
    """A campaign of the given units; each stage is (name, report kind, starts on, ends on, due on)."""
    from campaigns.services import campaign_create

    return campaign_create(
        name=name,
        year=year,
        stages=[
            {"name": stage, "report_kind": kind, "starts_on": start, "ends_on": end, "due_on": due}
            for stage, kind, start, end, due in stages
        ],
        participants=UnionOrg.objects.filter(code__in=units),
    )


@pytest.fixture
def survey_campaign(db):
    """A 2019-style campaign: the survey due 8月10日 and the summary due 11月30日, from 拉萨, 日喀则 and the
    regional non-public enterprise union federation."""
    from datetime import date

    return make_campaign(
        "测试专项行动",
        2019,
        ("排查摸底", "survey", date(2019, 7, 1), date(2019, 8, 31), date(2019, 8, 10)),
        ("总结交流", "summary", date(2019, 11, 1), date(2019, 12, 31), date(2019, 11, 30)),
        units=("540100", "540200", "540000.FGQ"),
    )


@pytest.fixture
def lhasa_case(survey_campaign, lhasa_staff):
    """A key enterprise of the survey campaign in 城关区 (300 staff, no union), designated by 拉萨市, with its case."""
    from campaigns.services.push import case_designate

    enterprise = make_enterprise("540102", name="拉萨雪域物流有限公司", headcount=300, industry="G")
    return case_designate(user=lhasa_staff, campaign=survey_campaign, enterprise=enterprise, responsible_person="次仁")


@pytest.fixture
def lhasa_step_attachment(lhasa_case, lhasa_staff, settings, tmp_path):
    """A PDF recorded with a meeting on 拉萨's case; files go to a temporary MEDIA_ROOT."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from campaigns.services.push import case_record_measure

    settings.MEDIA_ROOT = tmp_path / "media"
    lhasa_case.refresh_from_db()
    minutes = SimpleUploadedFile("座谈纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    step = case_record_measure(
        lhasa_case,
        user=lhasa_staff,
        grade=2,
        happened_on=timezone.localdate(),
        who="拉萨市总工会",
        version=lhasa_case.version,
        files=[minutes],
    )
    return step.attachments.get()


@pytest.fixture
def survey_deadline(survey_campaign):
    return survey_campaign.stages.get(report_kind="survey").deadlines.get()


@pytest.fixture
def lhasa_submission(survey_deadline, lhasa_staff):
    """拉萨's survey report, submitted (before the deadline) and waiting for review."""
    import datetime

    from campaigns.models import SHANGHAI
    from campaigns.services import submission_for, submission_submit

    submission = submission_for(survey_deadline, lhasa_staff.organisation)
    return submission_submit(submission, user=lhasa_staff, now=datetime.datetime(2019, 8, 1, 10, tzinfo=SHANGHAI))


@pytest.fixture
def lhasa_progress_deadline(db):
    """A progress report due from 拉萨 and 日喀则 in a small campaign."""
    from datetime import date

    campaign = make_campaign(
        "附件测试行动", 2020, ("集中推进", "progress", date(2020, 3, 1), date(2020, 9, 30), date(2020, 9, 10))
    )
    return campaign.stages.get().deadlines.get()


@pytest.fixture
def lhasa_progress_submission(lhasa_progress_deadline):
    """拉萨's draft progress report in a small campaign of 拉萨 and 日喀则."""
    from campaigns.services import submission_for

    return submission_for(lhasa_progress_deadline, UnionOrg.objects.get(code="540100"))


@pytest.fixture
def lhasa_extension_request(survey_deadline, lhasa_staff):
    """拉萨 asks for more time for its survey, after the 2019 deadline passed; waiting for the 组织部."""
    import datetime

    from campaigns.models import SHANGHAI
    from campaigns.services import extension_request_create

    return extension_request_create(
        survey_deadline,
        lhasa_staff.organisation,
        due_on=datetime.date(2019, 8, 20),
        reason="统计人员外出培训",
        user=lhasa_staff,
        now=datetime.datetime(2019, 8, 12, 9, tzinfo=SHANGHAI),
    )


@pytest.fixture
def lhasa_attachment(lhasa_progress_submission, lhasa_staff, settings, tmp_path):
    """A PDF attached to 拉萨's draft progress report; files go to a temporary MEDIA_ROOT."""
    from django.core.files.base import ContentFile

    from campaigns.models import Attachment
    from campaigns.tests.samples import pdf_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    content = pdf_bytes()
    return Attachment.objects.create(
        submission=lhasa_progress_submission,
        file=ContentFile(content, name="progress.pdf"),
        original_name="工作进展.pdf",
        content_type="application/pdf",
        size=len(content),
        uploaded_by=lhasa_staff,
    )


@pytest.fixture
def login(client):
    """Log the test client in as a persona and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def members_campaign(db):
    """A 2015-style members campaign in 2026: progress every two months from April, the year-end report due
    12月31日, from 拉萨, 日喀则 and the regional non-public enterprise union federation; scope 25 staff."""
    from datetime import date

    from campaigns.services import campaign_create

    return campaign_create(
        name="测试农牧民工入会行动",
        year=2026,
        default_threshold=25,
        measure="members",
        stages=[
            {
                "name": "推进实施",
                "report_kind": "progress",
                "starts_on": date(2026, 4, 1),
                "ends_on": date(2026, 10, 31),
                "every_months": 2,
            },
            {
                "name": "总结验收",
                "report_kind": "summary",
                "starts_on": date(2026, 11, 1),
                "ends_on": date(2026, 12, 31),
                "due_on": date(2026, 12, 31),
            },
        ],
        participants=UnionOrg.objects.filter(code__in=("540100", "540200", "540000.FGQ")),
    )


@pytest.fixture
def members_progress_deadline(members_campaign):
    """The first progress report of the members campaign (April–May 2026, due 5月31日)."""
    return members_campaign.stages.get(report_kind="progress").deadlines.get(sequence=1)


def hand_in_progress(deadline, staff, practices):
    """The staff's unit hands in its progress report for `deadline`, with `practices` as its practices and lessons."""
    import datetime

    from campaigns.models import SHANGHAI
    from campaigns.services import report_save, report_submit

    unit = staff.organisation
    report_save(deadline, unit, user=staff, content={"results": "按计划推进。", "practices": practices})
    at = datetime.datetime.combine(deadline.due_on, datetime.time(10), tzinfo=SHANGHAI)
    return report_submit(deadline, unit, user=staff, now=at - datetime.timedelta(days=1))


@pytest.fixture
def lhasa_practice_submission(lhasa_progress_deadline, lhasa_staff):
    """拉萨's progress report handed in with its practices and lessons, not (yet) marked 示范."""
    return hand_in_progress(lhasa_progress_deadline, lhasa_staff, "在建筑工地设立流动登记点，现场办理入会。")


@pytest.fixture
def lhasa_model_practice_submission(lhasa_practice_submission, reviewer):
    """拉萨's handed-in progress report whose practices the 组织部 marked 示范."""
    from campaigns.services.practices import practice_mark

    practice_mark(lhasa_practice_submission, user=reviewer, title="工地流动登记点", version=0)
    lhasa_practice_submission.refresh_from_db()
    return lhasa_practice_submission


@pytest.fixture
def members_acceptance_campaign(members_campaign, reviewer):
    """The members campaign with a draft acceptance record of 拉萨, concluded 基本达标."""
    from campaigns.services import acceptance_save

    acceptance_save(
        members_campaign, UnionOrg.objects.get(code="540100"), user=reviewer, conclusion="mostly", comment="", version=0
    )
    return members_campaign


@pytest.fixture
def chengguan_application(db):
    """卓玛's online join application, waiting at 八廓街道's union in 城关区."""
    from members.tests.applications import make_application

    return make_application(UnionOrg.objects.get(code="540102002"))


@pytest.fixture
def lhasa_letter(lhasa_case, lhasa_staff, settings, tmp_path):
    """拉萨市's 工会组建意见函 to the key enterprise of lhasa_case, issued 2019年8月20日; files go to a temporary
    MEDIA_ROOT."""
    from datetime import date

    from campaigns.services.letters import letter_issue

    settings.MEDIA_ROOT = tmp_path / "media"
    lhasa_case.refresh_from_db()  # another fixture may have recorded on the case since it was made
    return letter_issue(
        lhasa_case, user=lhasa_staff, kind="opinion", version=lhasa_case.version, issued_on=date(2019, 8, 20)
    )

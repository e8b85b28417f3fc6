"""The veto list (一票否决名单): the 组织部's list of enterprises without a union whose operator holds a political
post, with the state of each one's organising case."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook

from campaigns.models import CaseStatus, Grade, OrganisingCase
from conftest import make_enterprise

pytestmark = pytest.mark.django_db


def headers():
    """序号, 企业名称, 统一社会信用代码, 所在地市, 县区, 职工人数, 经营者政治身份, 组织工作状态, 最高措施等级."""
    return [
        "序号",
        "企业名称",
        "统一社会信用代码",
        pgettext("veto list", "Prefecture"),
        pgettext("veto list", "County"),
        "职工人数",
        gettext("Operator's political post"),
        gettext("State of the organising work"),
        gettext("Highest grade of measures"),
    ]


@pytest.fixture
def listed(lhasa_case):
    """The Lhasa key enterprise's operator is a district people's congress deputy; a Shigatse operator without a
    case is a CPPCC member; a unionised enterprise and one whose operator holds no post are not listed."""
    lhasa = lhasa_case.enterprise
    type(lhasa).objects.filter(pk=lhasa.pk).update(operator_political_post=True, operator_post="区人大代表")
    OrganisingCase.objects.filter(pk=lhasa_case.pk).update(highest_grade=Grade.MEETING)
    shigatse = make_enterprise(
        "540202", name="日喀则政协委员企业", operator_political_post=True, operator_post="市政协委员"
    )
    make_enterprise("540102", name="已建会企业", operator_political_post=True, union_status="own")
    make_enterprise("540102", name="普通企业")
    return lhasa, shigatse


def test_the_reviewer_sees_the_enterprises_with_the_post_and_the_case_state(login, reviewer, listed):
    lhasa, shigatse = listed
    rows = login(reviewer).get(reverse("reports:veto_list")).context["rows"]
    by_name = {row.enterprise.name: row for row in rows}
    assert set(by_name) == {lhasa.name, shigatse.name}
    assert by_name[lhasa.name].post == "区人大代表"
    assert by_name[lhasa.name].case.status == CaseStatus.OPEN
    assert by_name[lhasa.name].highest_grade == str(Grade.MEETING.label)
    assert by_name[shigatse.name].case is None


def test_the_list_filters_by_prefecture(login, administrator, listed):
    lhasa, _shigatse = listed
    rows = login(administrator).get(reverse("reports:veto_list"), {"prefecture": "540100"}).context["rows"]
    assert [row.enterprise.name for row in rows] == [lhasa.name]


def test_a_founded_or_withdrawn_case_shows_as_such(login, reviewer, listed, lhasa_case):
    OrganisingCase.objects.filter(pk=lhasa_case.pk).update(status=CaseStatus.WITHDRAWN)
    rows = login(reviewer).get(reverse("reports:veto_list"), {"prefecture": "540100"}).context["rows"]
    assert rows[0].case_state == str(CaseStatus.WITHDRAWN.label)


@pytest.mark.parametrize("persona", ["lhasa_staff", "lhasa_viewer", "shigatse_staff"])
def test_no_one_but_the_organisation_department_and_administrators_sees_it(login, request, persona, listed):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:veto_list")).status_code == 403
    assert client.get(reverse("reports:veto_list_xlsx")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("reports:veto_list_xlsx"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_the_export_has_a_title_row_and_the_columns_the_offices_asked_for(login, reviewer, listed):
    lhasa, _shigatse = listed
    response = login(reviewer).get(reverse("reports:veto_list_xlsx"), {"prefecture": "540100"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value  # the title
    assert [cell.value for cell in sheet[3]] == headers()
    row = [cell.value for cell in sheet[4]]
    assert row[:7] == [1, lhasa.name, lhasa.credit_code, "拉萨市", "城关区", 300, "区人大代表"]
    assert row[7] == str(CaseStatus.OPEN.label)
    assert row[8] == str(Grade.MEETING.label)


def test_the_dashboard_links_to_the_headquarters_report_and_only_the_overseers_to_the_veto_list(
    login, reviewer, lhasa_staff
):
    staff_page = login(lhasa_staff).get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:headquarters") in staff_page
    assert reverse("reports:veto_list") not in staff_page
    reviewer_page = login(reviewer).get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:veto_list") in reviewer_page

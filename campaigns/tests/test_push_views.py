"""The push phase in the browser's terms: designating from the suggestions, recording on a case, founding."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CaseStatus, OrganisingCase
from conftest import make_enterprise
from members.tests.helpers import grassroots_union

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def measure_data(case, **fields):
    return {"version": case.version, "grade": 2, "happened_on": TODAY, "who": "拉萨市总工会", "note": "", **fields}


def test_lhasa_staff_designate_a_suggested_enterprise_with_the_person_responsible(login, lhasa_staff, survey_campaign):
    enterprise = make_enterprise("540102", name="高原大型物流公司", headcount=450, industry="G")
    client = login(lhasa_staff)
    page = client.get(reverse("campaigns:push_suggestions", args=[survey_campaign.pk])).content.decode()
    assert "高原大型物流公司" in page
    url = reverse("campaigns:push_designate", args=[survey_campaign.pk, enterprise.pk])
    response = client.post(url, {"responsible_person": "扎西"})
    case = OrganisingCase.objects.get(enterprise=enterprise)
    assert response.url == reverse("campaigns:case", args=[case.pk])
    assert (case.responsible_person, case.designated_by_unit.code) == ("扎西", "540100")
    assert "高原大型物流公司" in client.get(reverse("campaigns:push_cases", args=[survey_campaign.pk])).content.decode()


def test_designating_twice_shows_the_existing_case_instead_of_an_error(login, lhasa_staff, lhasa_case):
    client = login(lhasa_staff)
    url = reverse("campaigns:push_designate", args=[lhasa_case.campaign_id, lhasa_case.enterprise_id])
    response = client.post(url, {"responsible_person": "扎西"})
    assert response.status_code == 200
    assert reverse("campaigns:case", args=[lhasa_case.pk]) in response.content.decode()
    assert OrganisingCase.objects.count() == 1


def test_the_search_finds_any_enterprise_without_a_union_in_scope(login, lhasa_staff, survey_campaign):
    make_enterprise("540102", name="小小茶馆", headcount=30, industry="H")
    make_enterprise("540202", name="日喀则小茶馆", headcount=30, industry="H")
    client = login(lhasa_staff)
    url = reverse("campaigns:push_suggestions", args=[survey_campaign.pk])
    assert "小小茶馆" not in client.get(url).content.decode()
    found = client.get(url, {"q": "茶馆"}).content.decode()
    assert "小小茶馆" in found
    assert "日喀则小茶馆" not in found


def test_a_measure_with_minutes_appears_on_the_timeline(login, chengguan_staff, lhasa_case):
    client = login(chengguan_staff)
    minutes = SimpleUploadedFile("座谈纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    data = measure_data(lhasa_case, note="与经营者面谈，同意筹建", files=[minutes])
    response = client.post(reverse("campaigns:case_measure", args=[lhasa_case.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("campaigns:case", args=[lhasa_case.pk])).content.decode()
    assert "与经营者面谈，同意筹建" in page
    assert "座谈纪要.pdf" in page
    attachment = lhasa_case.steps.latest("pk").attachments.get()
    download = client.get(reverse("campaigns:case_attachment", args=[attachment.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_a_disguised_file_is_refused_and_nothing_is_recorded(login, chengguan_staff, lhasa_case):
    client = login(chengguan_staff)
    script = SimpleUploadedFile("纪要.pdf", b"#!/bin/sh\nrm -rf /", content_type="application/pdf")
    response = client.post(
        reverse("campaigns:case_measure", args=[lhasa_case.pk]), measure_data(lhasa_case, files=[script])
    )
    assert response.status_code == 400
    assert lhasa_case.steps.count() == 1


def test_a_stale_form_is_refused_with_the_case_shown_again(login, chengguan_staff, lhasa_case):
    client = login(chengguan_staff)
    url = reverse("campaigns:case_measure", args=[lhasa_case.pk])
    assert client.post(url, measure_data(lhasa_case)).status_code == 302
    again = client.post(url, measure_data(lhasa_case))
    assert again.status_code == 400
    assert "刷新" in again.content.decode()
    assert lhasa_case.steps.count() == 2


def test_out_of_range_filters_and_grades_do_not_fail(login, lhasa_staff, lhasa_case):
    client = login(lhasa_staff)
    url = reverse("campaigns:push_cases", args=[lhasa_case.campaign_id])
    for query in ({"grade": "99"}, {"grade": "x"}, {"status": "nope"}, {"page": "999"}, {"prefecture": "\x00"}):
        assert client.get(url, query).status_code == 200
    bad = client.post(reverse("campaigns:case_measure", args=[lhasa_case.pk]), measure_data(lhasa_case, grade=9))
    assert bad.status_code == 400


def test_founding_the_union_closes_the_case_and_counts_on_the_dashboard(login, chengguan_staff, lhasa_case):
    union = grassroots_union("540102002", "540102002901", "拉萨雪域物流有限公司工会")
    client = login(chengguan_staff)
    url = reverse("campaigns:case_found", args=[lhasa_case.pk])
    assert "拉萨雪域物流有限公司工会" in client.get(url).content.decode()
    response = client.post(url, {"version": lhasa_case.version, "union": union.pk, "founded_on": TODAY})
    assert response.status_code == 302
    lhasa_case.refresh_from_db()
    assert lhasa_case.status == CaseStatus.UNIONISED
    lhasa_case.enterprise.refresh_from_db()
    assert lhasa_case.enterprise.has_union


def test_the_progress_figures_link_to_their_cases(login, lhasa_staff, lhasa_case):
    client = login(lhasa_staff)
    url = reverse("campaigns:push_cases", args=[lhasa_case.campaign_id])
    page = client.get(url).content.decode()
    assert f"{url}?grade=0" in page
    assert "拉萨雪域物流有限公司" in client.get(url, {"grade": "0"}).content.decode()
    assert "拉萨雪域物流有限公司" not in client.get(url, {"status": "unionised"}).content.decode()


def test_another_prefecture_sees_neither_the_case_nor_its_figures(login, shigatse_staff, lhasa_case):
    client = login(shigatse_staff)
    assert client.get(reverse("campaigns:case", args=[lhasa_case.pk])).status_code == 404
    page = client.get(reverse("campaigns:push_cases", args=[lhasa_case.campaign_id])).content.decode()
    assert "拉萨雪域物流有限公司" not in page


def test_withdrawing_asks_for_a_reason_first(login, lhasa_staff, lhasa_case):
    client = login(lhasa_staff)
    url = reverse("campaigns:case_withdraw", args=[lhasa_case.pk])
    assert client.post(url, {"version": lhasa_case.version, "reason": ""}).status_code == 200
    assert client.post(url, {"version": lhasa_case.version, "reason": "企业已注销"}).status_code == 302
    lhasa_case.refresh_from_db()
    assert lhasa_case.status == CaseStatus.WITHDRAWN


def test_the_reviewer_changes_what_counts_as_large(login, reviewer, survey_campaign):
    client = login(reviewer)
    url = reverse("campaigns:push_headcount", args=[survey_campaign.pk])
    assert client.post(url, {"key_headcount": "0"}).status_code == 200
    assert client.post(url, {"key_headcount": "200"}).status_code == 302
    survey_campaign.refresh_from_db()
    assert survey_campaign.key_headcount == 200


def test_the_dashboard_and_briefing_show_the_push_in_the_area_with_links_to_its_cases(
    login, lhasa_staff, reviewer, lhasa_case
):
    campaign = lhasa_case.campaign
    cases_url = reverse("campaigns:push_cases", args=[campaign.pk])
    page = login(lhasa_staff).get(reverse("reports:dashboard"), {"source": "", "area": "540100"}).content.decode()
    assert 'data-testid="push-progress"' in page
    assert f"{cases_url}?grade=0&amp;area=540100" in page
    briefing = login(reviewer).get(reverse("reports:briefing"), {"campaign": campaign.pk}).content.decode()
    assert "集中推进" in briefing


def test_the_area_of_a_dashboard_link_narrows_the_cases(login, reviewer, lhasa_case):
    url = reverse("campaigns:push_cases", args=[lhasa_case.campaign_id])
    client = login(reviewer)
    assert "拉萨雪域物流有限公司" in client.get(url, {"area": "540100"}).content.decode()
    assert "拉萨雪域物流有限公司" not in client.get(url, {"area": "540200"}).content.decode()
    assert client.get(url, {"area": "99' OR 1=1"}).status_code == 200

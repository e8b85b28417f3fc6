"""The dashboard beyond the live roll-up: a campaign's approved figures, the comparison, completeness and
timeliness, targets, drill-down and charts."""

import datetime
import re

import pytest
from django.urls import reverse

from campaigns.models import SHANGHAI, Target, TargetChange
from campaigns.services import (
    WorkflowError,
    submission_approve,
    submission_for,
    submission_submit,
    targets_set,
)
from conftest import make_campaign, make_enterprise
from reports import charts, dashboards
from unions.models import Division, UnionOrg

pytestmark = pytest.mark.django_db

REGION = "540000"


@pytest.fixture
def registry(db):
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")
    make_enterprise("540102", headcount=120, party_org="own")
    make_enterprise("540122", headcount=300, union_status="joint")
    make_enterprise("540202", headcount=500, party_org="joint", union_status="area")
    make_enterprise("540202", headcount=110)


def at(month, day, hour=10):
    return datetime.datetime(2019, month, day, hour, tzinfo=SHANGHAI)


def region_dashboard(user, **options):
    return dashboards.build(user, area=dashboards.area_of(user), **options)


def line_of(total, code):
    return next(line for _level, line in total.walk() if line.code == code)


@pytest.fixture
def approved_lhasa(registry, lhasa_submission, reviewer):
    return submission_approve(lhasa_submission, user=reviewer, version=lhasa_submission.version)


def test_a_campaigns_figures_are_its_approved_reports_and_do_not_move_with_the_registry(
    reviewer, survey_campaign, approved_lhasa
):
    frozen = approved_lhasa.snapshot["figures"]
    assert approved_lhasa.figures == frozen  # kept beside the snapshot, for the dashboards to read alone
    make_enterprise("540102", headcount=400)
    dashboard = region_dashboard(reviewer, source=survey_campaign)
    assert [line.unit.code for line in dashboard.total.children] == ["540100"]
    assert dashboard.total.children[0].figures == frozen
    assert dashboard.total.figures == frozen
    assert line_of(dashboards.rollup(reviewer, 100), "540100").figures["total"] == frozen["total"] + 1


def test_a_report_waiting_for_review_does_not_count_yet(reviewer, survey_campaign, registry, lhasa_submission):
    assert region_dashboard(reviewer, source=survey_campaign).total.figures["total"] == 0


def test_the_live_dashboard_compares_with_the_latest_campaign_with_approved_figures(reviewer, approved_lhasa):
    make_enterprise("540102", headcount=200, union_status="own")
    dashboard = region_dashboard(reviewer)
    assert dashboard.previous.year == 2019
    lhasa = line_of(dashboard.total, "540100")
    assert lhasa.previous == approved_lhasa.snapshot["figures"]
    # 拉萨 had 2 of 3 with a union; now 3 of 4.
    assert lhasa.previous_union_rate == pytest.approx(2 / 3)
    assert lhasa.union_rate_change == pytest.approx(3 / 4 - 2 / 3)
    assert line_of(dashboard.total, "540200").previous is None


def test_comparison_can_be_switched_off(reviewer, approved_lhasa):
    dashboard = region_dashboard(reviewer, compare=False)
    assert dashboard.previous is None
    assert dashboard.total.previous is None


def test_a_later_campaign_is_compared_with_the_earlier_one(reviewer, approved_lhasa):
    later = make_campaign(
        "下一年行动",
        2020,
        ("排查摸底", "survey", datetime.date(2020, 7, 1), datetime.date(2020, 8, 31), datetime.date(2020, 8, 10)),
    )
    assert dashboards.previous_campaign(later).year == 2019
    assert dashboards.previous_campaign(approved_lhasa.deadline.stage.campaign) is None


def test_completeness_counts_the_four_words(reviewer, survey_campaign, survey_deadline, registry):
    """按时报送, 经批准延期报送 (granted before the deadline), 逾期补报 (granted after it) and 未报."""
    from campaigns.services import extension_grant
    from conftest import make_persona
    from unions.services import staff_account_create

    lhasa, shigatse = UnionOrg.objects.get(code="540100"), UnionOrg.objects.get(code="540200")
    non_public = UnionOrg.objects.get(code="540000.FGQ")
    submission_submit(submission_for(survey_deadline, lhasa), user=make_persona("lhasa_staff"), now=at(8, 9))
    extension_grant(
        survey_deadline, shigatse, due_on=datetime.date(2019, 8, 20), reason="补报", user=reviewer, now=at(8, 8)
    )
    submission_submit(submission_for(survey_deadline, shigatse), user=make_persona("shigatse_staff"), now=at(8, 15))
    extension_grant(
        survey_deadline, non_public, due_on=datetime.date(2019, 8, 20), reason="补报", user=reviewer, now=at(8, 12)
    )
    fgq_staff = staff_account_create(username="fgq", organisation=non_public, role="staff", password="a-long-pass-26")
    submission_submit(submission_for(survey_deadline, non_public), user=fgq_staff, now=at(8, 16))
    dashboard = region_dashboard(reviewer, campaign=survey_campaign, as_of=datetime.date(2019, 12, 31))
    survey = next(stage for stage in dashboard.stages if stage.deadline == survey_deadline)
    assert (survey.expected, survey.submitted) == (3, 3)
    assert (survey.on_time, survey.extended, survey.late, survey.missing) == (1, 1, 1, 0)
    summary_report = next(stage for stage in dashboard.stages if stage.deadline != survey_deadline)
    assert (summary_report.missing, summary_report.pending) == (3, 0)
    records = {record.unit.code: record for record in dashboard.units}
    assert [(records[code].on_time, records[code].extended, records[code].late) for code in records] == [
        (1, 0, 0),
        (0, 1, 0),
        (0, 0, 1),
    ]
    assert all(record.missing == 1 for record in records.values())  # the summary, past and never handed in
    assert records["540100"].on_time_rate == 0.5
    assert records["540200"].on_time_rate == 0  # within an approved extension is not on time
    assert records["540200"].ranking_key < records["540000.FGQ"].ranking_key


def test_an_earlier_date_leaves_out_what_was_handed_in_after_it(reviewer, survey_campaign, survey_deadline, registry):
    from conftest import make_persona

    submission_submit(
        submission_for(survey_deadline, UnionOrg.objects.get(code="540100")),
        user=make_persona("lhasa_staff"),
        now=at(8, 9),
    )
    dashboard = region_dashboard(reviewer, campaign=survey_campaign, as_of=datetime.date(2019, 8, 5))
    survey = next(stage for stage in dashboard.stages if stage.deadline == survey_deadline)
    assert (survey.submitted, survey.missing, survey.pending) == (0, 0, 3)
    assert all(record.due == 0 for record in dashboard.units)


def test_prefecture_staff_see_their_own_units_timeliness_only(lhasa_staff, survey_campaign, registry):
    dashboard = region_dashboard(lhasa_staff, campaign=survey_campaign)
    assert [record.unit.code for record in dashboard.units] == ["540100"]
    assert all(stage.expected == 1 for stage in dashboard.stages)


# -- targets -------------------------------------------------------------------------------------------


def test_targets_are_set_with_a_history_row_per_change(reviewer, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    assert targets_set(survey_campaign, {lhasa.pk: (10, 80, 0)}, user=reviewer) == 1
    target = Target.objects.get(campaign=survey_campaign, unit=lhasa)
    assert targets_set(survey_campaign, {lhasa.pk: (10, 80, target.version)}, user=reviewer) == 0
    assert targets_set(survey_campaign, {lhasa.pk: (12, 85, target.version)}, user=reviewer) == 1
    changes = list(TargetChange.objects.filter(target__unit=lhasa).order_by("pk"))
    assert [change.before for change in changes] == [None, {"union_count": 10, "union_rate": "80.0"}]
    assert changes[-1].after == {"union_count": 12, "union_rate": "85.0"}
    assert changes[-1].changed_by == reviewer


def test_a_target_changed_by_someone_else_since_the_form_opened_is_refused(reviewer, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    targets_set(survey_campaign, {lhasa.pk: (10, 80, 0)}, user=reviewer)
    with pytest.raises(WorkflowError):
        targets_set(survey_campaign, {lhasa.pk: (20, 90, 0)}, user=reviewer)
    assert Target.objects.get(unit=lhasa).union_count == 10


def test_only_the_organisation_department_sets_targets(lhasa_staff, administrator, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    for user in (lhasa_staff, administrator):
        with pytest.raises(WorkflowError):
            targets_set(survey_campaign, {lhasa.pk: (10, 80, 0)}, user=user)
    assert not Target.objects.exists()


def test_results_against_targets_come_from_approved_figures_else_the_registry(
    reviewer, survey_campaign, approved_lhasa
):
    lhasa, shigatse = UnionOrg.objects.get(code="540100"), UnionOrg.objects.get(code="540200")
    targets_set(survey_campaign, {lhasa.pk: (4, 80, 0), shigatse.pk: (2, 50, 0)}, user=reviewer)
    make_enterprise("540102", headcount=200, union_status="own")  # after approval: not in 拉萨's result
    lines = {line.unit.code: line for line in region_dashboard(reviewer, campaign=survey_campaign).targets}
    assert lines["540100"].union_count == 2
    assert lines["540100"].progress == pytest.approx(0.5)
    assert lines["540100"].rate_met is False
    assert lines["540200"].union_count == 1  # live: 日喀则 has not been approved
    assert lines["540200"].figures["total"] == 2
    assert lines["540200"].rate_met is True
    assert lines["540000.FGQ"].target is None


def test_the_target_page_saves_and_shows_the_history(login, reviewer, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    client = login(reviewer)
    url = reverse("campaigns:campaign_targets", kwargs={"pk": survey_campaign.pk})
    response = client.post(url, {f"count_{lhasa.pk}": "15", f"rate_{lhasa.pk}": "75.5", f"version_{lhasa.pk}": "0"})
    assert response.status_code == 302
    target = Target.objects.get(unit=lhasa)
    assert (target.union_count, str(target.union_rate)) == (15, "75.5")
    page = client.get(url).content.decode()
    assert "15 · 75.5%" in page


def test_the_target_page_asks_for_both_figures_and_keeps_what_was_typed(login, reviewer, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    response = login(reviewer).post(
        reverse("campaigns:campaign_targets", kwargs={"pk": survey_campaign.pk}), {f"count_{lhasa.pk}": "15"}
    )
    assert response.status_code == 200
    assert 'value="15"' in response.content.decode()
    assert not Target.objects.exists()


def test_a_stale_target_form_is_refused_with_a_message(login, reviewer, survey_campaign):
    lhasa = UnionOrg.objects.get(code="540100")
    targets_set(survey_campaign, {lhasa.pk: (10, 80, 0)}, user=reviewer)
    response = login(reviewer).post(
        reverse("campaigns:campaign_targets", kwargs={"pk": survey_campaign.pk}),
        {f"count_{lhasa.pk}": "30", f"rate_{lhasa.pk}": "90", f"version_{lhasa.pk}": "0"},
        follow=True,
    )
    assert Target.objects.get(unit=lhasa).union_count == 10
    assert "重新" in response.content.decode() or "reload" in response.content.decode()


# -- pages -----------------------------------------------------------------------------------------------


def test_the_region_drills_down_to_a_prefecture_and_a_county(login, reviewer, registry):
    client = login(reviewer)
    region = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-drill="540100"' in region
    assert 'data-testid="line-540102"' not in region  # counties are one level down
    lhasa = client.get(reverse("reports:dashboard"), {"area": "540100"}).content.decode()
    assert 'data-drill="540102"' in lhasa
    assert re.search(r'breadcrumb-item"><a href="\?[^"]*">西藏自治区</a>', lhasa)
    county = client.get(reverse("reports:dashboard"), {"area": "540102"})
    assert county.context["dashboard"].total.figures["total"] == 2


@pytest.mark.parametrize(("persona", "area"), [("lhasa_staff", "540200"), ("chengguan_staff", "540100")])
def test_a_place_outside_ones_area_is_not_found(login, request, registry, persona, area):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:dashboard"), {"area": area}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"area": "no-such-place"}).status_code == 404


def test_malformed_options_fall_back_to_the_defaults(login, reviewer, registry):
    response = login(reviewer).get(reverse("reports:dashboard"), {"threshold": "7", "source": "x", "as_of": "soon"})
    assert response.status_code == 200
    assert response.context["dashboard"].threshold == 100
    assert response.context["dashboard"].is_live


def test_the_campaign_view_links_each_unit_to_its_report(login, reviewer, survey_campaign, approved_lhasa):
    page = login(reviewer).get(reverse("reports:dashboard"), {"source": survey_campaign.pk}).content.decode()
    report = reverse("campaigns:report", kwargs={"deadline": approved_lhasa.deadline_id, "unit": "540100"})
    assert f'href="{report}"' in page


def test_the_whole_dashboard_takes_the_same_queries_whatever_the_number_of_units(
    reviewer, survey_campaign, registry, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    region_dashboard(reviewer)  # reads the division table once for the process
    with CaptureQueriesContext(connection) as few:
        region_dashboard(reviewer)
    for division in Division.objects.filter(level=Division.Level.COUNTY)[:40]:
        make_enterprise(division.code, headcount=150, union_status="own")
    with django_assert_num_queries(len(few.captured_queries)):
        region_dashboard(reviewer)


def test_the_charts_carry_the_same_figures_as_the_table(reviewer, registry, approved_lhasa):
    dashboard = region_dashboard(reviewer)
    coverage, composition, trend = charts.for_dashboard(dashboard)[:3]
    rates = coverage["series"][0]["data"]
    assert rates == sorted((value for value in rates if value is not None), reverse=True) + [
        value for value in rates if value is None
    ]
    assert coverage["categories"][0] == "拉萨市"
    assert rates[0] == pytest.approx(round(line_of(dashboard.total, "540100").union_rate * 100, 1))
    assert sum(composition["series"][0]["data"]) == dashboard.total.figures["total"]
    assert trend["categories"] == ["2019"]
    assert charts.rows(composition)[0][1] == dashboard.total.figures["both"]


def test_the_dashboard_page_draws_every_chart_from_data_on_the_page(login, reviewer, registry, approved_lhasa):
    page = login(reviewer).get(reverse("reports:dashboard")).content.decode()
    for chart_id in ("chart-coverage", "chart-composition", "chart-trend"):
        assert f'data-chart="{chart_id}-data"' in page
        assert f'<script id="{chart_id}-data" type="application/json">' in page
    assert "vendor/echarts/echarts.min.js" in page


@pytest.mark.parametrize("area", ["540100", "540102", "540200"])
def test_every_figure_of_a_drilled_down_dashboard_equals_the_rows_it_links_to(login, reviewer, registry, area):
    from reports.tests.test_dashboards import count_behind

    client = login(reviewer)
    page = client.get(reverse("reports:dashboard"), {"area": area}).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-figure="\w+">(\d+)</a>', page)
    assert len(links) >= 5
    for url, shown in links:
        assert count_behind(client, url) == int(shown), url


def test_a_campaigns_own_scope_is_the_default_threshold_when_its_figures_are_shown(members_campaign):
    from campaigns.models import Campaign
    from reports.forms import DashboardForm

    campaigns = Campaign.objects.all()

    assert DashboardForm({"source": str(members_campaign.pk)}, campaigns=campaigns).options()["threshold"] == 25
    chosen = DashboardForm({"source": str(members_campaign.pk), "threshold": "50"}, campaigns=campaigns)
    assert chosen.options()["threshold"] == 50
    assert DashboardForm({}, campaigns=campaigns).options()["threshold"] == 100

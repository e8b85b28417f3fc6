"""The campaign workflow: deadlines, submission, review, extensions, snapshots, and their screens."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from campaigns import services
from campaigns.models import SHANGHAI, Deadline, Extension, Submission, ThresholdChange, Timeliness, Transition
from campaigns.seeds import load_campaigns
from conftest import make_campaign, make_enterprise
from enterprises.models import Enterprise
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db
Status = Submission.Status


def at(day, hour=12, minute=0, second=0):
    return datetime.datetime(2019, 8, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def draft(survey_deadline, lhasa_staff):
    return services.submission_for(survey_deadline, lhasa_staff.organisation)


def test_both_plans_load_with_their_stages_and_deadlines():
    load_campaigns()
    load_campaigns()
    due = {(d.stage.campaign.year, d.stage.name): d.due_on for d in Deadline.objects.select_related("stage__campaign")}
    assert due[(2019, "排查摸底")] == datetime.date(2019, 8, 10)
    assert due[(2019, "总结交流")] == datetime.date(2019, 11, 30)
    progress_2015 = Deadline.objects.filter(stage__campaign__year=2015, stage__name="推进实施").order_by("due_on")
    assert [d.due_on.isoformat() for d in progress_2015] == ["2015-05-31", "2015-07-31", "2015-09-30", "2015-10-31"]
    assert Deadline.objects.filter(stage__campaign__year=2019).count() == 5


def test_a_campaign_is_copied_to_next_year_with_every_date_shifted(reviewer, survey_campaign):
    copy = services.campaign_copy(survey_campaign, year=2020, user=reviewer)
    survey = copy.stages.get(report_kind="survey")
    assert (survey.starts_on, survey.due_on) == (datetime.date(2020, 7, 1), datetime.date(2020, 8, 10))
    assert survey.deadlines.get().due_on == datetime.date(2020, 8, 10)
    assert copy.participations.count() == 3
    with pytest.raises(services.WorkflowError):
        services.campaign_copy(survey_campaign, year=2020, user=reviewer)


def test_the_deadline_runs_through_235959_shanghai_time(draft, lhasa_staff):
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(10, 23, 59, 59))
    assert submitted.status == Status.SUBMITTED
    assert submitted.timeliness == Timeliness.ON_TIME


def test_one_second_past_midnight_is_refused_with_the_deadline_named(draft, lhasa_staff):
    with pytest.raises(services.WorkflowError, match="2019年8月10日"):
        services.submission_submit(draft, user=lhasa_staff, now=at(11, 0, 0, 1))
    assert Submission.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not Transition.objects.exists()


def test_an_extension_granted_before_the_deadline_counts_as_an_approved_extension(
    draft, lhasa_staff, reviewer, survey_deadline
):
    services.extension_grant(
        survey_deadline, draft.unit, due_on=datetime.date(2019, 8, 20), reason="补充摸底", user=reviewer, now=at(8)
    )
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(15))
    assert submitted.status == Status.SUBMITTED
    assert submitted.timeliness == Timeliness.EXTENDED


def test_an_extension_granted_after_the_deadline_counts_as_a_late_submission(
    draft, lhasa_staff, reviewer, survey_deadline
):
    services.extension_grant(
        survey_deadline, draft.unit, due_on=datetime.date(2019, 8, 20), reason="补报", user=reviewer, now=at(12)
    )
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(15))
    assert submitted.timeliness == Timeliness.LATE


def test_an_early_grant_outrun_by_a_later_one_counts_as_late(draft, lhasa_staff, reviewer, survey_deadline):
    """Handed in after the timely grant had run out, under a second grant made once the deadline had passed."""
    unit = draft.unit
    services.extension_grant(
        survey_deadline, unit, due_on=datetime.date(2019, 8, 13), reason="一", user=reviewer, now=at(9)
    )
    services.extension_grant(
        survey_deadline, unit, due_on=datetime.date(2019, 8, 25), reason="二", user=reviewer, now=at(14)
    )
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(20))
    assert submitted.timeliness == Timeliness.LATE


def test_an_extension_is_for_one_unit_only(survey_deadline, reviewer, shigatse_staff):
    services.extension_grant(
        survey_deadline,
        UnionOrg.objects.get(code="540100"),
        due_on=datetime.date(2019, 8, 20),
        reason="延期",
        user=reviewer,
        now=at(9),
    )
    shigatse = services.submission_for(survey_deadline, shigatse_staff.organisation)
    with pytest.raises(services.WorkflowError):
        services.submission_submit(shigatse, user=shigatse_staff, now=at(15))


def test_only_the_units_own_staff_submit(draft, lhasa_viewer, reviewer, chengguan_staff):
    for user in (lhasa_viewer, reviewer, chengguan_staff):
        with pytest.raises(services.WorkflowError):
            services.submission_submit(draft, user=user, now=at(1))


def test_only_reviewers_approve_or_return(lhasa_submission, lhasa_staff):
    with pytest.raises(services.WorkflowError):
        services.submission_approve(lhasa_submission, user=lhasa_staff, version=lhasa_submission.version)
    with pytest.raises(services.WorkflowError):
        services.submission_return(lhasa_submission, user=lhasa_staff, version=lhasa_submission.version, reason="x")


def test_a_return_needs_a_reason_and_every_transition_is_recorded(lhasa_submission, lhasa_staff, reviewer):
    with pytest.raises(services.WorkflowError):
        services.submission_return(
            lhasa_submission, user=reviewer, version=lhasa_submission.version, reason="  ", now=at(5)
        )
    returned = services.submission_return(
        lhasa_submission, user=reviewer, version=lhasa_submission.version, reason="请核对城关区数据", now=at(5)
    )
    resubmitted = services.submission_submit(returned, user=lhasa_staff, now=at(6))
    approved = services.submission_approve(resubmitted, user=reviewer, version=resubmitted.version)
    steps = [(t.from_status, t.to_status, t.actor, t.reason) for t in approved.transitions.all()]
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, lhasa_staff, ""),
        (Status.SUBMITTED, Status.RETURNED, reviewer, "请核对城关区数据"),
        (Status.RETURNED, Status.SUBMITTED, lhasa_staff, ""),
        (Status.SUBMITTED, Status.APPROVED, reviewer, ""),
    ]
    assert approved.timeliness == Timeliness.ON_TIME


def test_an_approved_report_is_locked(lhasa_submission, lhasa_staff, reviewer):
    approved = services.submission_approve(lhasa_submission, user=reviewer, version=lhasa_submission.version)
    with pytest.raises(services.WorkflowError):
        services.submission_save(approved, user=lhasa_staff, content={"results": "改"})
    with pytest.raises(services.WorkflowError):
        services.submission_submit(approved, user=lhasa_staff, now=at(5))


def test_a_return_after_the_deadline_gives_the_unit_a_date_to_resubmit_by(lhasa_submission, lhasa_staff, reviewer):
    after = at(20)
    with pytest.raises(services.WorkflowError, match="截止时间已过"):
        services.submission_return(
            lhasa_submission, user=reviewer, version=lhasa_submission.version, reason="补充", now=after
        )
    returned = services.submission_return(
        lhasa_submission,
        user=reviewer,
        version=lhasa_submission.version,
        reason="补充",
        correction_due_on=datetime.date(2019, 8, 25),
        now=after,
    )
    assert Extension.objects.get().due_on == datetime.date(2019, 8, 25)
    resubmitted = services.submission_submit(returned, user=lhasa_staff, now=at(24))
    assert resubmitted.status == Status.SUBMITTED
    assert resubmitted.timeliness == Timeliness.ON_TIME  # timeliness counts from the first submission


def test_of_two_reviewers_acting_at_once_exactly_one_wins(lhasa_submission, reviewer):
    seen = lhasa_submission.version
    services.submission_approve(lhasa_submission, user=reviewer, version=seen)
    stale_copy = Submission.objects.get(pk=lhasa_submission.pk)
    stale_copy.status = Status.SUBMITTED
    with pytest.raises(services.AlreadyHandled):
        services.submission_return(stale_copy, user=reviewer, version=seen, reason="退回", now=at(5))
    assert Submission.objects.get(pk=lhasa_submission.pk).status == Status.APPROVED
    assert Transition.objects.filter(to_status=Status.RETURNED).count() == 0


def test_two_reviewers_in_parallel_one_approves_one_is_told(reference_data, survey_campaign, lhasa_staff, reviewer):
    """Two connections acting on the same version: the database lets exactly one through."""
    deadline = survey_campaign.stages.get(report_kind="survey").deadlines.get()
    submission = services.submission_submit(
        services.submission_for(deadline, lhasa_staff.organisation), user=lhasa_staff, now=at(1)
    )
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    outcomes = []
    barrier = threading.Barrier(2)

    def act(action):
        try:
            copy = Submission.objects.get(pk=submission.pk)
            barrier.wait()
            if action == "approve":
                services.submission_approve(copy, user=reviewer, version=copy.version)
            else:
                services.submission_return(copy, user=reviewer, version=copy.version, reason="退回", now=at(5))
            outcomes.append("won")
        except services.AlreadyHandled:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(action,)) for action in ("approve", "return")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["told", "won"]
    assert Transition.objects.filter(submission=submission).count() == 2


def test_the_survey_figures_come_from_the_registry_and_add_up(survey_deadline, draft):
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")
    make_enterprise("540122", headcount=100, party_org="own")
    make_enterprise("540102", headcount=120, union_status="joint")
    make_enterprise("540102", headcount=400)
    make_enterprise("540102", headcount=99, party_org="own", union_status="own")  # below the threshold
    make_enterprise("540202", headcount=500)  # Shigatse's
    figures = services.survey_figures(draft.unit, 100)
    assert figures == {"total": 4, "both": 1, "party_only": 1, "union_only": 1, "neither": 1}


def test_a_unit_with_a_widened_scope_counts_from_its_threshold(survey_campaign, reviewer, draft):
    make_enterprise("540102", headcount=60, party_org="own", union_status="own")
    participation = survey_campaign.participations.get(unit=draft.unit)
    services.participation_set_threshold(participation, threshold=50, reason="建会率已超过九成", user=reviewer)
    assert services.survey_figures(draft.unit, 50)["both"] == 1


def test_widening_a_scope_keeps_who_when_what_and_why(survey_campaign, reviewer):
    participation = survey_campaign.participations.get(unit__code="540100")
    with pytest.raises(services.WorkflowError, match="原因"):
        services.participation_set_threshold(participation, threshold=50, reason=" ", user=reviewer)
    assert not ThresholdChange.objects.exists()
    services.participation_set_threshold(participation, threshold=50, reason="建会率已超过九成", user=reviewer)
    services.participation_set_threshold(participation, threshold=25, reason="继续扩面", user=reviewer)
    changes = [(c.before, c.after, c.reason, c.changed_by) for c in ThresholdChange.objects.order_by("pk")]
    assert changes == [(100, 50, "建会率已超过九成", reviewer), (50, 25, "继续扩面", reviewer)]


def test_a_scope_changed_by_someone_else_meanwhile_is_refused(survey_campaign, reviewer):
    seen = survey_campaign.participations.get(unit__code="540100")
    services.participation_set_threshold(
        survey_campaign.participations.get(unit__code="540100"), threshold=50, reason="一", user=reviewer
    )
    with pytest.raises(services.AlreadyHandled):
        services.participation_set_threshold(seen, threshold=25, reason="二", user=reviewer)
    assert survey_campaign.participations.get(unit__code="540100").threshold == 50


def test_the_board_lists_each_change_of_scope(login, survey_campaign, reviewer):
    client = login(reviewer)
    participation = survey_campaign.participations.get(unit__code="540100")
    url = reverse("campaigns:campaign_units", args=[survey_campaign.pk])
    form = {f"threshold_{p.pk}": p.threshold for p in survey_campaign.participations.all()}
    form[f"threshold_{participation.pk}"] = 50
    refused = client.post(url, form)
    assert "请说明调整统计范围的原因" in refused.content.decode()
    assert survey_campaign.participations.get(unit__code="540100").threshold == 100
    client.post(url, {**form, "reason": "建会率已超过九成"})
    board = client.get(reverse("campaigns:board", args=[survey_campaign.pk])).content.decode()
    assert "建会率已超过九成" in board
    assert survey_campaign.participations.get(unit__code="540100").threshold == 50


def test_every_hard_case_needs_a_reason_before_submission(draft, lhasa_staff):
    hard = make_enterprise("540102", name="跨地经营总部企业", headcount=900, beyond_local_reach=True)
    with pytest.raises(services.WorkflowError, match="跨地经营总部企业"):
        services.submission_submit(draft, user=lhasa_staff, now=at(1))
    services.submission_save(draft, user=lhasa_staff, hard_case_reasons={hard.pk: "总部在区外"})
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(1))
    assert submitted.snapshot["hard_cases"] == [
        {"pk": hard.pk, "code": hard.credit_code, "name": "跨地经营总部企业", "reason": "总部在区外"}
    ]


def test_a_submitted_snapshot_never_changes_and_the_drift_is_shown(draft, lhasa_staff):
    enterprise = make_enterprise("540102", headcount=300)
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(1))
    Enterprise.objects.filter(pk=enterprise.pk).update(union_status="own")
    make_enterprise("540102", headcount=200)
    submitted.refresh_from_db()
    assert submitted.snapshot["figures"] == {"total": 1, "both": 0, "party_only": 0, "union_only": 0, "neither": 1}
    drift = services.snapshot_drift(submitted)
    assert drift["figures"]["total"] == (1, 2)
    assert len(drift["added"]) == 1
    assert len(drift["changed"]) == 1


def test_a_summary_needs_all_four_parts(survey_campaign, lhasa_staff):
    deadline = survey_campaign.stages.get(report_kind="summary").deadlines.get()
    summary = services.submission_for(deadline, lhasa_staff.organisation)
    services.submission_save(summary, user=lhasa_staff, content={"results": "建会率提升"})
    with pytest.raises(services.WorkflowError):
        services.submission_submit(summary, user=lhasa_staff, now=datetime.datetime(2019, 11, 20, tzinfo=SHANGHAI))


# -- screens -------------------------------------------------------------------------------------------


def test_staff_see_their_tasks_with_the_due_date(login, lhasa_staff, survey_campaign):
    page = login(lhasa_staff).get(reverse("campaigns:tasks"), {"closed": "1"}).content.decode()
    assert "测试专项行动" in page
    assert "2019年8月10日" in page
    assert "日喀则" not in page


def test_the_report_page_links_each_figure_to_its_enterprises(login, lhasa_staff, survey_deadline):
    make_enterprise("540102", headcount=150, party_org="own")
    page = login(lhasa_staff).get(reverse("campaigns:report", args=[survey_deadline.pk, "540100"])).content.decode()
    link = f"{reverse('enterprises:list')}?unit=540100&amp;band=100&amp;figure=party_only"
    assert link in page
    listed = login(lhasa_staff).get(
        reverse("enterprises:list"), {"unit": "540100", "band": 100, "figure": "party_only"}
    )
    assert "共 1 家企业" in listed.content.decode()


def test_submitting_after_the_deadline_in_the_browser_names_the_deadline(login, lhasa_staff, survey_deadline):
    response = login(lhasa_staff).post(reverse("campaigns:submit", args=[survey_deadline.pk, "540100"]), follow=True)
    assert "2019年8月10日" in response.content.decode()
    assert not Submission.objects.exists()  # a refused submission leaves no draft behind


def test_the_review_page_shows_the_previous_report_beside(
    login, reviewer, lhasa_submission, survey_campaign, lhasa_staff
):
    copy = services.campaign_copy(survey_campaign, year=2020, user=reviewer)
    deadline = copy.stages.get(report_kind="survey").deadlines.get()
    this_year = services.submission_submit(
        services.submission_for(deadline, lhasa_staff.organisation),
        user=lhasa_staff,
        now=datetime.datetime(2020, 8, 1, tzinfo=SHANGHAI),
    )
    page = login(reviewer).get(reverse("campaigns:report", args=[deadline.pk, "540100"])).content.decode()
    assert 'data-testid="previous"' in page
    assert "2019年测试专项行动" in page
    assert this_year.status == Status.SUBMITTED


def test_the_board_shows_every_unit_and_report(login, reviewer, lhasa_submission, survey_campaign):
    page = login(reviewer).get(reverse("campaigns:board", args=[survey_campaign.pk])).content.decode()
    assert "拉萨市总工会" in page
    assert "日喀则市总工会" in page
    assert "按时报送" in page


def test_a_reviewer_who_clicks_second_is_told_it_was_handled(login, reviewer, lhasa_submission):
    client = login(reviewer)
    version = lhasa_submission.version
    client.post(reverse("campaigns:approve", args=[lhasa_submission.pk]), {"version": version})
    response = client.post(
        reverse("campaigns:return", args=[lhasa_submission.pk]), {"version": version, "reason": "退回"}, follow=True
    )
    assert "已经被其他人处理" in response.content.decode()
    assert Submission.objects.get(pk=lhasa_submission.pk).status == Status.APPROVED


def test_the_2015_campaign_runs_end_to_end_with_extensions(reviewer):
    """Plan, four progress reports and the year-end report, each reopened by an extension and approved."""
    from unions.services import staff_account_create

    load_campaigns()
    ngari = UnionOrg.objects.get(code="542500")
    staff = staff_account_create(username="ali_staff", organisation=ngari, role="staff", password="a-long-pass-2026")
    now = datetime.datetime(2026, 11, 21, 10, tzinfo=SHANGHAI)
    deadlines = Deadline.objects.filter(stage__campaign__year=2015).order_by("due_on", "stage__order")
    assert [d.stage.report_kind for d in deadlines] == [
        "plan",
        "progress",
        "progress",
        "progress",
        "progress",
        "summary",
    ]
    for deadline in deadlines:
        services.extension_grant(
            deadline, ngari, due_on=datetime.date(2026, 12, 1), reason="补报", user=reviewer, now=now
        )
        report = services.submission_for(deadline, ngari)
        content = dict.fromkeys(services.CONTENT_FIELDS, "阿里地区农牧民工入会情况")
        services.submission_save(report, user=staff, content=content)
        submitted = services.submission_submit(report, user=staff, now=now)
        assert submitted.timeliness == Timeliness.LATE  # granted long after the deadline: 逾期补报
        # The 2015 plan counts members: every one of its reports freezes the members campaign's figures.
        assert submitted.snapshot["measure"] == "members"
        assert submitted.snapshot["figures"]["migrant_members"] == 0
        services.submission_approve(submitted, user=reviewer, version=submitted.version)
    assert Submission.objects.filter(unit=ngari, status=Status.APPROVED).count() == 6


def test_the_task_list_shows_current_campaigns_and_keeps_ended_ones_apart(login, lhasa_staff, survey_campaign):
    today = datetime.date.today()
    current = make_campaign(
        "今年专项行动",
        today.year,
        ("排查摸底", "survey", today - datetime.timedelta(days=30), today + datetime.timedelta(days=60), today),
    )
    client = login(lhasa_staff)
    page = client.get(reverse("campaigns:tasks")).content.decode()
    assert str(current) in page
    assert "测试专项行动" not in page
    ended = client.get(reverse("campaigns:tasks"), {"closed": "1"}).content.decode()
    assert "测试专项行动" in ended
    assert str(current) not in ended


def test_the_task_list_filters_by_campaign_and_status(login, lhasa_staff, lhasa_submission, survey_campaign):
    client = login(lhasa_staff)
    tasks = lambda **query: client.get(reverse("campaigns:tasks"), {"closed": "1", **query}).content.decode()  # noqa: E731
    assert tasks(status="submitted").count('data-testid="tasks"') == 1
    assert "排查摸底" in tasks(status="submitted")
    assert "总结交流" not in tasks(status="submitted")
    assert "总结交流" in tasks(status="overdue")
    assert "没有符合筛选条件的报告" in tasks(status="approved")
    assert "测试专项行动" in tasks(campaign=survey_campaign.pk)
    for junk in ("x", "-1", "99999999999999999999", "<script>"):
        assert (
            client.get(reverse("campaigns:tasks"), {"campaign": junk, "status": junk, "page": junk}).status_code == 200
        )


def test_the_reviewers_list_is_titled_for_every_unit(login, reviewer, lhasa_staff):
    assert "各单位报送情况" in login(reviewer).get(reverse("campaigns:tasks")).content.decode()
    assert "各单位报送情况" not in login(lhasa_staff).get(reverse("campaigns:tasks")).content.decode()


def test_a_hard_case_flagged_since_submission_shows_as_a_change(draft, lhasa_staff, login, reviewer):
    enterprise = make_enterprise("540102", name="后来标记的总部企业", headcount=300)
    submitted = services.submission_submit(draft, user=lhasa_staff, now=at(1))
    Enterprise.objects.filter(pk=enterprise.pk).update(beyond_local_reach=True)
    drift = services.snapshot_drift(submitted)
    assert drift["any"]
    assert drift["hard_cases_added"] == ["后来标记的总部企业"]
    page = login(reviewer).get(reverse("campaigns:report", args=[draft.deadline_id, "540100"])).content.decode()
    assert "没有变化" not in page
    assert 'data-testid="drift-hard-cases-added"' in page

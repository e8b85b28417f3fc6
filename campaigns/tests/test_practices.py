"""Model practices (典型经验): the catalogue of the practices handed-in reports carry, the 组织部 marking some 示范,
and the history of every mark."""

import pytest
from django.urls import reverse

from campaigns.models import PracticeMark, PracticeMarkChange
from campaigns.services import submission_approve
from campaigns.services.errors import WorkflowError
from campaigns.services.practices import practice_mark, practice_unmark
from conftest import hand_in_progress

pytestmark = pytest.mark.django_db
Action = PracticeMarkChange.Action


@pytest.fixture
def shigatse_practice_submission(lhasa_progress_deadline, shigatse_staff):
    return hand_in_progress(lhasa_progress_deadline, shigatse_staff, "依托乡镇工会开展农牧民工集中入会。")


def test_a_reviewer_marks_a_handed_in_report_and_the_change_is_kept(lhasa_practice_submission, reviewer):
    mark = practice_mark(lhasa_practice_submission, user=reviewer, title="  工地流动登记点 ", note="可推广", version=0)

    assert (mark.title, mark.note, mark.version, mark.marked_by) == ("工地流动登记点", "可推广", 1, reviewer)
    change = PracticeMarkChange.objects.get()
    assert (change.action, change.before, change.after) == (
        Action.MARKED,
        None,
        {"title": "工地流动登记点", "note": "可推广"},
    )


def test_an_approved_report_can_be_marked_too(lhasa_practice_submission, reviewer):
    approved = submission_approve(lhasa_practice_submission, user=reviewer, version=lhasa_practice_submission.version)

    assert practice_mark(approved, user=reviewer, title="登记点", version=0).submission == approved


def test_retitling_bumps_the_version_and_keeps_the_headline_before(lhasa_model_practice_submission, reviewer):
    mark = practice_mark(lhasa_model_practice_submission, user=reviewer, title="流动登记，就地入会", version=1)

    assert mark.version == 2
    change = PracticeMarkChange.objects.filter(action=Action.RETITLED).get()
    assert change.before["title"] == "工地流动登记点"
    assert change.after["title"] == "流动登记，就地入会"


def test_it_refuses_a_stale_version(lhasa_model_practice_submission, reviewer):
    with pytest.raises(WorkflowError, match="重新"):
        practice_mark(lhasa_model_practice_submission, user=reviewer, title="另一个标题", version=0)
    with pytest.raises(WorkflowError):
        practice_unmark(lhasa_model_practice_submission, user=reviewer, version=7)
    assert PracticeMark.objects.get().title == "工地流动登记点"


def test_only_the_organisation_department_marks(lhasa_practice_submission, lhasa_staff, administrator):
    for user in (lhasa_staff, administrator):
        with pytest.raises(WorkflowError):
            practice_mark(lhasa_practice_submission, user=user, title="自荐", version=0)
    assert not PracticeMark.objects.exists()


def test_it_refuses_a_draft_and_a_report_without_practices(
    lhasa_progress_submission, lhasa_progress_deadline, reviewer
):
    with pytest.raises(WorkflowError):
        practice_mark(lhasa_progress_submission, user=reviewer, title="草稿", version=0)


def test_it_refuses_handed_in_practices_that_are_blank(lhasa_progress_deadline, shigatse_staff, reviewer):
    blank = hand_in_progress(lhasa_progress_deadline, shigatse_staff, "   ")
    with pytest.raises(WorkflowError):
        practice_mark(blank, user=reviewer, title="空白", version=0)


def test_it_refuses_an_empty_headline(lhasa_practice_submission, reviewer):
    with pytest.raises(WorkflowError):
        practice_mark(lhasa_practice_submission, user=reviewer, title="   ", version=0)


def test_unmarking_removes_the_mark_and_keeps_the_history(lhasa_model_practice_submission, reviewer):
    practice_unmark(lhasa_model_practice_submission, user=reviewer, version=1)

    assert not PracticeMark.objects.exists()
    assert list(PracticeMarkChange.objects.values_list("action", flat=True)) == [Action.UNMARKED, Action.MARKED]
    assert PracticeMarkChange.objects.first().before["title"] == "工地流动登记点"


def test_the_catalogue_shows_only_the_practices_of_ones_own_units(
    login, lhasa_practice_submission, shigatse_practice_submission, lhasa_staff, shigatse_staff, reviewer
):
    page = login(shigatse_staff).get(reverse("campaigns:practices")).content.decode()
    assert "依托乡镇工会" in page
    assert "在建筑工地" not in page

    page = login(reviewer).get(reverse("campaigns:practices")).content.decode()
    assert "依托乡镇工会" in page
    assert "在建筑工地" in page


def test_the_catalogue_leaves_drafts_out(login, lhasa_progress_deadline, lhasa_staff):
    from campaigns.services import report_save

    report_save(lhasa_progress_deadline, lhasa_staff.organisation, user=lhasa_staff, content={"practices": "草稿经验"})
    page = login(lhasa_staff).get(reverse("campaigns:practices")).content.decode()
    assert "草稿经验" not in page


def test_the_catalogue_filters_by_unit_and_by_mark(
    login, lhasa_model_practice_submission, shigatse_practice_submission, reviewer
):
    client = login(reviewer)
    by_unit = client.get(reverse("campaigns:practices"), {"unit": "540200"}).content.decode()
    assert "依托乡镇工会" in by_unit
    assert "在建筑工地" not in by_unit
    marked = client.get(reverse("campaigns:practices"), {"model_only": "on"}).content.decode()
    assert "工地流动登记点" in marked
    assert "依托乡镇工会" not in marked


def test_the_catalogue_links_the_report_and_the_booklet(login, lhasa_model_practice_submission, reviewer):
    submission = lhasa_model_practice_submission
    campaign = submission.deadline.stage.campaign
    page = login(reviewer).get(reverse("campaigns:practices"), {"campaign": campaign.pk}).content.decode()
    assert reverse("campaigns:report", args=[submission.deadline_id, submission.unit.code]) in page
    assert f"{reverse('reports:practices_booklet')}?campaign={campaign.pk}" in page


@pytest.mark.parametrize(
    "query",
    [{"page": "999"}, {"page": "abc"}, {"campaign": "abc"}, {"campaign": "99999999999999999999"}, {"model_only": "x"}],
)
def test_bad_filters_and_pages_never_break_the_catalogue(login, lhasa_practice_submission, reviewer, query):
    response = login(reviewer).get(reverse("campaigns:practices"), query)
    assert response.status_code == 200


def test_the_catalogue_has_twenty_to_a_page(login, lhasa_practice_submission, reviewer):
    from campaigns.models import Submission

    template = Submission.objects.get(pk=lhasa_practice_submission.pk)
    for number in range(2, 23):
        deadline = template.deadline
        stage = deadline.stage
        new_deadline = stage.deadlines.create(sequence=number, due_on=deadline.due_on)
        Submission.objects.create(
            deadline=new_deadline,
            unit=template.unit,
            status=template.status,
            practices=f"经验{number}",
            submitted_at=template.submitted_at,
        )
    response = login(reviewer).get(reverse("campaigns:practices"))
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.num_pages == 2


def test_a_reviewer_marks_from_the_catalogue(login, lhasa_practice_submission, reviewer):
    back = reverse("campaigns:practices")
    response = login(reviewer).post(
        reverse("campaigns:practice_mark", args=[lhasa_practice_submission.pk]),
        {"version": 0, "title": "工地登记", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert PracticeMark.objects.get().title == "工地登记"


def test_a_stale_mark_form_is_refused_with_a_message(login, lhasa_model_practice_submission, reviewer):
    response = login(reviewer).post(
        reverse("campaigns:practice_mark", args=[lhasa_model_practice_submission.pk]),
        {"version": 0, "title": "另一个"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert PracticeMark.objects.get().title == "工地流动登记点"


def test_unmarking_asks_first_and_then_removes(login, lhasa_model_practice_submission, reviewer):
    client = login(reviewer)
    url = reverse("campaigns:practice_unmark", args=[lhasa_model_practice_submission.pk])
    assert client.get(url).status_code == 200
    assert PracticeMark.objects.exists()

    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert not PracticeMark.objects.exists()


def test_unit_staff_cannot_mark(login, lhasa_practice_submission, lhasa_staff):
    response = login(lhasa_staff).post(
        reverse("campaigns:practice_mark", args=[lhasa_practice_submission.pk]), {"version": 0, "title": "自荐"}
    )
    assert response.status_code == 403
    assert not PracticeMark.objects.exists()


def test_the_demo_marks_two_model_practices_once(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")

    marks = PracticeMark.objects.select_related("submission__unit", "marked_by")
    assert {mark.submission.unit.code for mark in marks} == {"540100", "540200"}
    assert {mark.marked_by.username for mark in marks} == {"zzb_reviewer"}
    assert PracticeMarkChange.objects.count() == 2

"""The demo's model practices (典型经验): the 组织部 marks the practices of the first progress reports handed in for
the 2015 members campaign as 示范, so that the catalogue and the booklet have something to show."""

from django.db import transaction

from campaigns.models import PracticeMark, Submission
from campaigns.services.practices import practice_mark
from unions.models import User

# Which units' handed-in reports are marked, and the headline the 组织部 gives each.
DEMO_MARKS = {
    "540200": "日喀则市：建筑工地现场登记，农牧民工就地入会",
    "540100": "拉萨市：物流企业集中宣传，入会手续一站办结",
}


@transaction.atomic
def load_demo_practices():
    """Mark the demo's model practices; a report already marked is left as it is. Returns how many were marked."""
    reviewer = User.objects.filter(username="zzb_reviewer").first()
    if reviewer is None:
        return 0
    marked = 0
    for code, title in DEMO_MARKS.items():
        submission = (
            Submission.objects.filter(
                unit__code=code,
                status__in=(Submission.Status.SUBMITTED, Submission.Status.APPROVED),
                deadline__stage__campaign__year=2015,
            )
            .exclude(practices="")
            .order_by("deadline__due_on")
            .first()
        )
        if submission is None or PracticeMark.objects.filter(submission=submission).exists():
            continue
        practice_mark(submission, user=reviewer, title=title, version=0)
        marked += 1
    return marked

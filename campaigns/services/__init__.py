"""Writes of the campaign workflow. Each checks the current state and the actor, runs in one transaction
and writes a row for every change of status.

`schedule` makes campaigns, their stages, deadlines and participants; `deadlines` says which date is in force for
a unit; `survey` computes and freezes the survey figures; `workflow` moves a report through its states; `targets`
keeps the targets; `errors` holds the refusals they raise.
"""

from campaigns.services.acceptance import (
    acceptance_approve,
    acceptance_results,
    acceptance_save,
    acceptance_timeliness,
)
from campaigns.services.deadlines import (
    due_on_given,
    effective_due_on,
    extension_for_correction,
    extension_grant,
    extension_request_create,
    extension_request_grant,
    extension_request_refuse,
    has_passed,
    is_past_due,
    latest_extension,
    participation_for,
    pending_request,
)
from campaigns.services.errors import (
    AlreadyHandled,
    WorkflowError,
)
from campaigns.services.members import (
    MEMBER_FIGURE_LABELS,
    MEMBER_FIGURE_NAMES,
    SECTOR_LABELS,
    baselines_set,
    eighty_rule,
    member_drift,
    member_figures,
    member_targets_set,
    take_member_snapshot,
)
from campaigns.services.schedule import (
    campaign_copy,
    campaign_create,
    default_participants,
    participation_set_threshold,
    participations_set_thresholds,
    stage_schedule,
)
from campaigns.services.survey import (
    FIGURE_NAMES,
    snapshot_drift,
    survey_figures,
    survey_queryset,
    take_snapshot,
)
from campaigns.services.targets import (
    targets_set,
)
from campaigns.services.workflow import (
    CONTENT_FIELDS,
    report_save,
    report_submit,
    submission_approve,
    submission_for,
    submission_return,
    submission_save,
    submission_submit,
)

__all__ = [
    "AlreadyHandled",
    "CONTENT_FIELDS",
    "FIGURE_NAMES",
    "MEMBER_FIGURE_LABELS",
    "MEMBER_FIGURE_NAMES",
    "SECTOR_LABELS",
    "acceptance_approve",
    "acceptance_results",
    "acceptance_save",
    "acceptance_timeliness",
    "baselines_set",
    "eighty_rule",
    "member_drift",
    "member_figures",
    "member_targets_set",
    "take_member_snapshot",
    "WorkflowError",
    "campaign_copy",
    "campaign_create",
    "default_participants",
    "due_on_given",
    "effective_due_on",
    "extension_for_correction",
    "extension_grant",
    "extension_request_create",
    "extension_request_grant",
    "extension_request_refuse",
    "has_passed",
    "is_past_due",
    "latest_extension",
    "participation_for",
    "participation_set_threshold",
    "participations_set_thresholds",
    "pending_request",
    "report_save",
    "report_submit",
    "snapshot_drift",
    "stage_schedule",
    "submission_approve",
    "submission_for",
    "submission_return",
    "submission_save",
    "submission_submit",
    "survey_figures",
    "survey_queryset",
    "take_snapshot",
    "targets_set",
]

"""Campaigns as workflows: stages with deadlines, the units that report, their submissions and every transition.

`schedule` (campaigns, stages, deadlines, participation and scope), `extensions` (requests for more time and the
grants), `submissions` (the reports, their transitions and the four words of timeliness), `attachments`,
`notifications` (the bell), `targets`, `practices` (典型经验 marked 示范).
"""

from campaigns.models.attachments import (
    Attachment,
    AttachmentChange,
    attachment_path,
)
from campaigns.models.extensions import (
    Extension,
    ExtensionRequest,
    ExtensionRequestTransition,
)
from campaigns.models.members import (
    Acceptance,
    AcceptanceChange,
    Conclusion,
    MemberBaseline,
    MemberFigureChange,
    MemberTarget,
)
from campaigns.models.notifications import (
    Notification,
)
from campaigns.models.practices import (
    PracticeMark,
    PracticeMarkChange,
)
from campaigns.models.push import (
    DEFAULT_KEY_HEADCOUNT,
    STALE_CASE_DAYS,
    CaseStatus,
    CaseStep,
    CaseStepAttachment,
    FoundingStep,
    Grade,
    KeyCriterion,
    Letter,
    LetterCounter,
    LetterKind,
    OrganisingCase,
)
from campaigns.models.schedule import (
    SHANGHAI,
    Campaign,
    Deadline,
    Measure,
    Participation,
    ReportKind,
    Stage,
    Threshold,
    ThresholdChange,
    end_of_day,
)
from campaigns.models.submissions import (
    Submission,
    SubmissionQuerySet,
    Timeliness,
    Transition,
    timeliness_of,
)
from campaigns.models.targets import (
    Target,
    TargetChange,
)

__all__ = [
    "DEFAULT_KEY_HEADCOUNT",
    "STALE_CASE_DAYS",
    "CaseStatus",
    "CaseStep",
    "CaseStepAttachment",
    "FoundingStep",
    "Grade",
    "KeyCriterion",
    "Letter",
    "LetterCounter",
    "LetterKind",
    "OrganisingCase",
    "Acceptance",
    "AcceptanceChange",
    "Conclusion",
    "Attachment",
    "AttachmentChange",
    "Campaign",
    "Deadline",
    "Extension",
    "ExtensionRequest",
    "ExtensionRequestTransition",
    "Measure",
    "MemberBaseline",
    "MemberFigureChange",
    "MemberTarget",
    "Notification",
    "Participation",
    "ReportKind",
    "SHANGHAI",
    "Stage",
    "Submission",
    "SubmissionQuerySet",
    "Target",
    "TargetChange",
    "Threshold",
    "ThresholdChange",
    "Timeliness",
    "Transition",
    "attachment_path",
    "end_of_day",
    "timeliness_of",
    "PracticeMark",
    "PracticeMarkChange",
]

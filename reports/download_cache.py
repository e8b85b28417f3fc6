"""Downloads built once per state of the figures: the official forms and the briefing are kept after they are
built, and handed out again while nothing behind them has changed.

`figures_version()` is one small query over the marks that move whenever a figure can: the tallies' stamps (every
write to the registry or the rolls recounts and stamps), and the newest row or the sum of versions of each table
the forms and the briefing read beyond the tallies (reports and their transitions, extensions, targets, scopes,
deadlines, campaigns, member baselines and acceptances, organising cases and letters, the union tree and its 八有,
the members' changes). A kept file
is found by that version, the person (whose scope decides what the file holds), the address's options, the day
(timeliness depends on it) and the language; so a change anywhere makes the next download a fresh one, and a
kept file is never stale. A new source of figures must add its mark here (see the test beside this module).
"""

import hashlib
import logging

from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

CACHE_ALIAS = "downloads"
# A kept file outlives no day: the key carries the date anyway.
KEEP_SECONDS = 24 * 60 * 60


def _sources():
    """(SQL aggregate, table) pairs whose values together move with every change a download can show."""
    from campaigns.models import (
        AcceptanceChange,
        Campaign,
        CaseStep,
        Deadline,
        Extension,
        Letter,
        MemberFigureChange,
        Participation,
        Submission,
        TargetChange,
        ThresholdChange,
        Transition,
    )
    from enterprises.models import TallyStamp
    from members.models import MembershipChange, PersonChange
    from unions.models import UnionOrg
    from unions.standards import EightHavesChange

    maxima = (
        Transition,
        Extension,
        TargetChange,
        ThresholdChange,
        Deadline,
        Participation,
        AcceptanceChange,
        MemberFigureChange,
        CaseStep,
        Letter,
        UnionOrg,
        EightHavesChange,
        MembershipChange,
        PersonChange,
    )
    return [
        ("SUM(id)", TallyStamp),
        ("SUM(version)", Submission),
        ("MAX(id)", Submission),
        ("SUM(key_headcount) + MAX(id)", Campaign),
        ("SUM(version)", UnionOrg),
        *(("MAX(id)", model) for model in maxima),
    ]


def figures_version():
    """One row of marks, read in one query; any write behind a figure changes it."""
    parts = [f"(SELECT {aggregate} FROM {model._meta.db_table})" for aggregate, model in _sources()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")  # noqa: S608 (table names from the models, no user input)
        return tuple(cursor.fetchone())


def _key(request, kind):
    user = request.user
    options = sorted((name, value) for name, value in request.GET.lists())
    parts = (
        kind,
        user.pk,
        user.role,
        user.organisation_id,
        options,
        timezone.localdate().isoformat(),
        translation.get_language(),
        figures_version(),
    )
    return f"{kind}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def kept_or_built(request, kind, build):
    """(file name, bytes) of the download: the kept one while the figures are unchanged, else `build()`'s, kept."""
    cache = caches[CACHE_ALIAS]
    key = _key(request, kind)
    kept = cache.get(key)
    if kept is not None:
        return kept
    built = build()
    try:
        cache.set(key, built, KEEP_SECONDS)
    except OSError:  # a full or read-only disk costs the next download its speed, not this one its file
        logger.warning("could not keep the %s download", kind)
    return built

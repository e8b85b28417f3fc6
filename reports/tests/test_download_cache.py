"""The official forms and the briefing are built once per state of the figures, and never handed out stale."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_enterprise
from enterprises.services import enterprise_update
from reports import statform
from reports.download_cache import figures_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the summary was really built."""
    count = {"summary": 0}
    real = statform.write_summary

    def counting(*args, **kwargs):
        count["summary"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(statform, "write_summary", counting)
    return count


def cells(response):
    book = load_workbook(io.BytesIO(response.getvalue()))
    return [value for row in book.worksheets[0].iter_rows(values_only=True) for value in row if value is not None]


def test_a_second_download_of_an_unchanged_summary_is_the_kept_one(login, lhasa_staff, builds):
    make_enterprise("540102", headcount=150)
    client = login(lhasa_staff)
    first = client.get(reverse("reports:dashboard_summary"))
    second = client.get(reverse("reports:dashboard_summary"))
    assert builds["summary"] == 1
    assert second.getvalue() == first.getvalue()
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_changing_one_enterprise_changes_the_next_download(login, lhasa_staff, builds):
    enterprise = make_enterprise("540102", headcount=150)
    client = login(lhasa_staff)
    before = cells(client.get(reverse("reports:dashboard_summary")))
    enterprise_update(enterprise, user=lhasa_staff, version=enterprise.version, data={"union_status": "own"})
    after = cells(client.get(reverse("reports:dashboard_summary")))
    assert builds["summary"] == 2
    assert before != after


def test_each_person_and_each_choice_gets_its_own_file(login, lhasa_staff, reviewer, builds):
    make_enterprise("540102", headcount=150)
    login(lhasa_staff).get(reverse("reports:dashboard_summary"))
    login(reviewer).get(reverse("reports:dashboard_summary"))
    login(reviewer).get(reverse("reports:dashboard_summary"), {"threshold": "50"})
    assert builds["summary"] == 3


def test_a_report_handed_in_or_a_target_set_moves_the_figures_version(lhasa_submission, reviewer):
    from campaigns.services import submission_approve

    before = figures_version()
    submission_approve(lhasa_submission, user=reviewer, version=lhasa_submission.version)
    assert figures_version() != before


def test_the_briefing_is_kept_too_and_a_bad_choice_is_still_refused(login, reviewer, monkeypatch):
    from reports import briefing

    calls = []
    real = briefing.write_docx
    monkeypatch.setattr(briefing, "write_docx", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    client = login(reviewer)
    assert client.get(reverse("reports:briefing_docx")).status_code == 200
    assert client.get(reverse("reports:briefing_docx")).status_code == 200
    assert len(calls) == 1
    assert client.get(reverse("reports:briefing_docx"), {"campaign": "999999"}).status_code == 404

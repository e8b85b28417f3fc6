"""The members figures' counts of the whole region are counted by one worker and read by the others."""

import pytest

from conftest import make_enterprise
from reports.enrolment import figures

pytestmark = pytest.mark.django_db


def test_counts_one_worker_made_are_read_by_another_until_the_data_changes(monkeypatch):
    make_enterprise("540102", headcount=60)  # the registry recounted: the counts have a version to be kept under
    counted = figures.rolls_and_registry(2026, "/540000/")
    figures.forget_kept_counts()  # another worker: nothing in its own memory

    def not_again(*_args):
        raise AssertionError("counted again")

    monkeypatch.setattr(figures, "_count_enterprises", not_again)
    read = figures.rolls_and_registry(2026, "/540000/")
    assert read.totals == counted.totals
    assert read.direct == counted.direct
    assert read.totals

    make_enterprise("540102", headcount=70)  # a change: the next read counts afresh
    figures.forget_kept_counts()
    with pytest.raises(AssertionError, match="counted again"):
        figures.rolls_and_registry(2026, "/540000/")

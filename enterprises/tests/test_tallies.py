"""The figure tallies always equal a fresh count of the registry, whichever way the registry is written."""

import io
import threading

import pytest
from django.db import connection

from conftest import make_enterprise
from enterprises import tallies
from enterprises.demo import create_enterprises
from enterprises.imports import import_check, import_commit
from enterprises.models import Enterprise, FigureTally
from enterprises.services import enterprise_create, enterprise_delete, enterprise_update
from enterprises.tests import fresh_tallies
from enterprises.tests.test_import import row, xlsx
from enterprises.tests.test_services import new_data
from unions.models import Division, UnionOrg

pytestmark = pytest.mark.django_db
real_recount = tallies.recount


def assert_fresh():
    assert tallies.stored_counts() == tallies.fresh_counts()


def test_creating_updating_and_deleting_keep_the_tallies_fresh(lhasa_staff, reviewer):
    enterprise, _warnings = enterprise_create(user=lhasa_staff, data=new_data(headcount=150, migrant_workers=5))
    assert_fresh()
    assert FigureTally.objects.get().count == 1
    for change in (
        {"headcount": 60},  # another band
        {"party_org": "own", "union_status": "joint"},  # another figure
        {"county": Division.objects.get(code="540122")},  # another county
        {"responsible_unit": UnionOrg.objects.get(code="540100")},
        {"headcount": 10},  # out of every scope
        {"headcount": 2000},
    ):
        enterprise, _warnings = enterprise_update(
            enterprise, user=lhasa_staff, version=Enterprise.objects.get(pk=enterprise.pk).version, data=change
        )
        assert_fresh()
    enterprise_delete(enterprise, user=reviewer)
    assert_fresh()
    assert not FigureTally.objects.exists()


def test_an_import_keeps_the_tallies_fresh(lhasa_staff, lhasa_enterprise):
    rows = [row(1), row(2, 职工人数=60), row(3, 职工人数=30)]
    import_commit(import_check(xlsx(rows), user=lhasa_staff), user=lhasa_staff)
    assert_fresh()
    assert sum(tallies.stored_counts().values()) == 4


def test_an_import_recounts_only_the_counties_it_touched(lhasa_staff, monkeypatch):
    moving = make_enterprise("540102")
    make_enterprise("540124")  # in a county the file does not touch
    recounted = []
    monkeypatch.setattr(tallies, "recount", lambda counties=None: recounted.append(counties) or real_recount(counties))
    rows = [
        row(1, 统一社会信用代码=moving.credit_code, **{"所在县（区）（代码或名称）": "540122"}),
        row(2, 职工人数=60),
    ]
    import_commit(import_check(xlsx(rows), user=lhasa_staff), user=lhasa_staff)
    assert [set(counties) for counties in recounted] == [{"540102", "540122"}]
    assert_fresh()


def test_generated_enterprises_are_tallied(db):
    create_enterprises(300)
    assert_fresh()
    assert sum(tallies.stored_counts().values()) == Enterprise.objects.count()


def test_a_recount_repairs_tallies_written_around(lhasa_enterprise):
    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(headcount=700, union_status="own")
    assert tallies.stored_counts() != tallies.fresh_counts()
    tallies.recount()
    assert_fresh()


def test_two_writers_in_one_county_at_once_leave_both_counted(reference_data, lhasa_staff):
    """Each recount waits for the other's lock on the county, so the later one sees the earlier one's row."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    barrier = threading.Barrier(2)

    def create(serial):
        try:
            barrier.wait()
            data = new_data(credit_code=f"91540102MA6T0000{serial}", name=f"并发企业{serial}")
            from enterprises.credit_code import with_check_character

            data["credit_code"] = with_check_character(data["credit_code"][:17])
            enterprise_create(user=lhasa_staff, data=data)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(serial,)) for serial in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Enterprise.objects.count() == 2
    assert_fresh()


def test_make_enterprise_in_tests_is_tallied_like_every_write(db):
    make_enterprise("540102", headcount=120)
    make_enterprise("540202", headcount=30)
    assert_fresh()


def test_the_recount_command_repairs_the_tallies(lhasa_enterprise):
    from django.core.management import call_command

    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(headcount=700)
    call_command("recount_tallies", stdout=io.StringIO())
    assert_fresh()


@pytest.mark.tallies_may_drift
def test_check_tallies_names_the_counties_and_figures_that_drifted_and_fails(lhasa_enterprise):
    from django.core.management import CommandError, call_command

    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(union_status="own")  # around the services
    make_enterprise("540202", headcount=60)
    Enterprise.objects.filter(county_id="540202").delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="recount_tallies") as failed:
        call_command("check_tallies", stdout=out)
    assert failed.value.returncode == 1
    report = out.getvalue()
    assert "540102 城关区" in report
    assert "拉萨市总工会, headcount 100+, 建立工会但未建党组织: stored 0, counted 1 (+1)" in report
    assert "均未建立: stored 1, counted 0 (-1)" in report
    assert "540202 桑珠孜区" in report
    assert "headcount 50–99" in report

    call_command("recount_tallies", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_tallies", stdout=out)
    assert "equal a fresh count" in out.getvalue()
    call_command("check_tallies", stdout=out, verbosity=0)  # for cron: silent unless something differs
    assert out.getvalue().count("equal a fresh count") == 1


@pytest.mark.tallies_may_drift
def test_the_test_suite_fails_a_test_that_leaves_the_tallies_stale(lhasa_enterprise):
    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(union_status="own")
    with pytest.raises(pytest.fail.Exception, match="540102"):
        fresh_tallies.check()
    tallies.recount(["540102"])
    fresh_tallies.check()

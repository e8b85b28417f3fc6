"""Background jobs: queued, run by the worker with their progress, all or nothing, swept when their worker dies."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_portal import jobs
from campaign_portal.jobs import JobFailed, JobResult, rerun_job, run_queued_tasks, runner, start_job, sweep_stale_jobs
from campaign_portal.models import Job, ThrottleHit

pytestmark = pytest.mark.django_db


def _write_hits(job, progress):
    """Some writes of the job's own, so that a test can see whether they were kept."""
    count = job.params["rows"]
    progress(0, count)
    for number in range(1, count + 1):
        ThrottleHit.objects.create(scope=ThrottleHit.Scope.LOGIN_ADDRESS, key=f"job-{number}", at=timezone.now())
        progress(number)
    return count


@runner("tests.count", label="计数测试")
def count_rows(job, progress):
    count = _write_hits(job, progress)
    return JobResult(
        message=f"{count} rows written", file_name="rows.csv", content=b"a,b\n", content_type="text/csv", data={"n": 3}
    )


@runner("tests.refuse", label="计数测试")
def refuse_rows(job, progress):
    _write_hits(job, progress)
    raise JobFailed("第2行有错误", [{"row": 2, "column": "职工人数", "message": "不是数字"}, (5, "名称", "为空")])


@runner("tests.crash", label="计数测试")
def crash(job, progress):
    _write_hits(job, progress)
    raise ZeroDivisionError


@runner("tests.watch", label="计数测试")
def watch_progress(job, progress):
    """Reports its progress as the page would read it while the job runs."""
    seen = []
    for number in range(1, 4):
        progress(number, 3)
        seen.append(Job.objects.values_list("done", "total").get(pk=job.pk))
    return JobResult(data={"seen": seen})


def test_a_job_runs_in_the_worker_and_succeeds_with_its_progress_and_file(login, lhasa_staff):
    job = start_job("tests.count", user=lhasa_staff, organisation=lhasa_staff.organisation, params={"rows": 3})
    assert job.status == Job.Status.QUEUED
    assert ThrottleHit.objects.count() == 0  # queued, not run in the request

    assert run_queued_tasks() == 1

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.message, job.data) == (3, 3, "3 rows written", {"n": 3})
    assert job.started_at
    assert job.finished_at
    assert job.heartbeat_at
    assert list(job.transitions.values_list("old_status", "new_status")) == [
        ("", "queued"),
        ("queued", "running"),
        ("running", "succeeded"),
    ]
    assert ThrottleHit.objects.count() == 3
    page = login(lhasa_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "3 rows written" in page
    assert "已成功" in page
    assert reverse("jobs:file", args=[job.pk]) in page
    assert "hx-trigger" not in page  # finished: the page stops asking


def test_progress_is_written_as_the_job_goes(lhasa_staff, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL_SECONDS", 0)
    job = start_job("tests.watch", user=lhasa_staff)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.data["seen"] == [[1, 3], [2, 3], [3, 3]]


def test_a_running_job_page_polls_until_it_ends(login, lhasa_staff):
    job = start_job("tests.count", user=lhasa_staff, params={"rows": 2}, total=2)
    client = login(lhasa_staff)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "2 行中已完成 0 行" in page
    run_queued_tasks()
    partial = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert "<html" not in partial
    assert "2 行中已完成 2 行" in partial


def test_a_failing_job_keeps_nothing_it_wrote_and_shows_its_row_errors(login, lhasa_staff):
    job = start_job("tests.refuse", user=lhasa_staff, params={"rows": 4})
    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert ThrottleHit.objects.count() == 0
    assert job.message == "第2行有错误"
    assert job.errors == [
        {"row": 2, "column": "职工人数", "message": "不是数字"},
        {"row": 5, "column": "名称", "message": "为空"},
    ]
    assert job.result_file is None
    page = login(lhasa_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "不是数字" in page
    assert "职工人数" in page
    assert reverse("jobs:rerun", args=[job.pk]) in page


def test_an_unexpected_error_fails_the_job_without_keeping_its_writes(lhasa_staff):
    job = start_job("tests.crash", user=lhasa_staff, params={"rows": 2})
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "意外错误" in job.message
    assert ThrottleHit.objects.count() == 0


def _running_since(job, minutes):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_job_whose_worker_died_is_swept_to_failed_and_its_owner_starts_it_again(login, lhasa_staff, settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 300
    dead = start_job("tests.count", user=lhasa_staff, params={"rows": 2})
    alive = start_job("tests.count", user=lhasa_staff, params={"rows": 2})
    _running_since(dead, 6)
    _running_since(alive, 1)

    assert sweep_stale_jobs() == [dead.pk]

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.Status.FAILED
    assert "后台进程在任务结束前停止了" in dead.message
    assert alive.status == Job.Status.RUNNING
    assert dead.transitions.last().new_status == Job.Status.FAILED

    response = login(lhasa_staff).post(reverse("jobs:rerun", args=[dead.pk]))
    again = Job.objects.get(rerun_of=dead)
    assert response.url == reverse("jobs:detail", args=[again.pk])
    assert (again.kind, again.params, again.status) == ("tests.count", {"rows": 2}, Job.Status.QUEUED)
    run_queued_tasks()
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED


def test_a_job_swept_while_it_ran_keeps_none_of_its_work(lhasa_staff, settings):
    @runner("tests.swept-midway", label="计数测试")
    def swept_midway(job, progress):
        _write_hits(job, progress)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)  # as the sweeper of another worker would

    job = start_job("tests.swept-midway", user=lhasa_staff, params={"rows": 2})
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "后台进程在任务结束前停止了" in job.message
    assert ThrottleHit.objects.count() == 0


def test_only_a_failed_job_of_ones_own_starts_again(lhasa_staff, reviewer):
    job = start_job("tests.count", user=lhasa_staff, params={"rows": 1})
    with pytest.raises(jobs.JobNotPossible):
        rerun_job(job, lhasa_staff)  # still queued
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    job.refresh_from_db()
    with pytest.raises(jobs.JobNotPossible):
        rerun_job(job, reviewer)


def test_another_units_job_and_its_file_are_a_404(login, lhasa_staff, shigatse_staff, reviewer):
    job = start_job("tests.count", user=lhasa_staff, params={"rows": 1})
    run_queued_tasks()
    client = login(shigatse_staff)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert str(job.pk) not in client.get(reverse("jobs:list")).content.decode()


def test_the_file_downloads_for_its_owner_and_the_reviewer(login, lhasa_staff, reviewer):
    job = start_job("tests.count", user=lhasa_staff, params={"rows": 1})
    run_queued_tasks()
    for user in (lhasa_staff, reviewer):
        response = login(user).get(reverse("jobs:file", args=[job.pk]))
        assert response.status_code == 200
        assert response.content == b"a,b\n"
        assert response["Content-Type"] == "text/csv"
        assert "rows.csv" in response["Content-Disposition"]


def test_a_job_without_a_file_has_nothing_to_download(login, lhasa_staff):
    job = start_job("tests.refuse", user=lhasa_staff, params={"rows": 1})
    run_queued_tasks()
    assert login(lhasa_staff).get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_staff_list_their_own_jobs_and_the_reviewer_all(login, lhasa_staff, shigatse_staff, reviewer):
    mine = start_job("tests.count", user=lhasa_staff, params={"rows": 1})
    theirs = start_job("tests.count", user=shigatse_staff, params={"rows": 1})
    page = login(lhasa_staff).get(reverse("jobs:list")).content.decode()
    assert str(mine.pk) in page
    assert str(theirs.pk) not in page
    page = login(reviewer).get(reverse("jobs:list")).content.decode()
    assert str(mine.pk) in page
    assert str(theirs.pk) in page


def test_an_uploaded_input_file_is_kept_with_the_job_and_its_rerun(lhasa_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("企业.xlsx", b"PK-content", content_type="application/zip")
    job = start_job("tests.count", user=lhasa_staff, params={"rows": 1}, input_file=upload)
    assert (job.input_file.name, bytes(job.input_file.content)) == ("企业.xlsx", b"PK-content")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    job.refresh_from_db()
    assert rerun_job(job, lhasa_staff).input_file_id == job.input_file_id


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweeps_dead_jobs_when_it_starts_then_runs_the_queued_ones(reference_data, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands.db_worker import Worker

    from conftest import make_persona

    monkeypatch.setattr(Worker, "configure_signals", lambda worker: None)  # leave the test run's own signals be
    owner = make_persona("lhasa_staff")
    dead = start_job("tests.count", user=owner, params={"rows": 1})
    Job.objects.filter(pk=dead.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1))
    queued = start_job("tests.count", user=owner, params={"rows": 2})

    call_command("jobs_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=queued.pk).status == Job.Status.SUCCEEDED
    assert ThrottleHit.objects.count() == 2

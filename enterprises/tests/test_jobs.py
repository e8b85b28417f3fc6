"""The registry's long work runs as background jobs: a large import's confirmation, a large export, a recount."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign_portal.jobs import run_queued_tasks
from campaign_portal.models import Job
from conftest import make_enterprise
from enterprises import tallies
from enterprises.models import Enterprise, EnterpriseChange, FigureTally, ImportBatch
from enterprises.tests.test_import import code, row, xlsx

pytestmark = pytest.mark.django_db


def upload_and_confirm(client, rows):
    response = client.post(reverse("enterprises:import"), {"file": xlsx(rows)})
    batch = ImportBatch.objects.latest("pk")
    assert response.url == reverse("enterprises:import_preview", args=[batch.pk])
    return batch, client.post(reverse("enterprises:import_preview", args=[batch.pk]))


def test_a_big_import_is_saved_by_a_background_job(login, lhasa_staff, settings):
    settings.BACKGROUND_IMPORT_ROWS = 2
    batch, response = upload_and_confirm(login(lhasa_staff), [row(1), row(2), row(3)])

    job = Job.objects.get(kind="enterprises.import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.user, job.organisation, job.total) == (lhasa_staff, lhasa_staff.organisation, 3)
    assert Enterprise.objects.count() == 0  # not in the request

    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (3, 3)
    assert "3" in job.message
    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == {code(1), code(2), code(3)}
    assert EnterpriseChange.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


def test_the_preview_of_a_big_file_says_it_is_saved_in_the_background(login, lhasa_staff, settings):
    settings.BACKGROUND_IMPORT_ROWS = 1
    client = login(lhasa_staff)
    client.post(reverse("enterprises:import"), {"file": xlsx([row(1), row(2)])})
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("enterprises:import_preview", args=[batch.pk])).content.decode()
    assert "import-in-background" in page
    assert "import-job" not in page
    client.post(reverse("enterprises:import_preview", args=[batch.pk]))
    page = client.get(reverse("enterprises:import_preview", args=[batch.pk])).content.decode()
    assert reverse("jobs:detail", args=[Job.objects.get().pk]) in page


def test_confirming_a_big_import_twice_starts_one_job(login, lhasa_staff, settings):
    settings.BACKGROUND_IMPORT_ROWS = 1
    client = login(lhasa_staff)
    batch, first = upload_and_confirm(client, [row(1), row(2)])
    second = client.post(reverse("enterprises:import_preview", args=[batch.pk]))
    assert first.url == second.url
    assert Job.objects.count() == 1


def test_a_big_import_that_can_no_longer_be_saved_fails_and_saves_nothing(login, lhasa_staff, settings):
    settings.BACKGROUND_IMPORT_ROWS = 1
    _batch, _response = upload_and_confirm(login(lhasa_staff), [row(1), row(2)])
    # Someone else adds one of the file's enterprises between the check and the job.
    make_enterprise("540102", credit_code=code(2))

    run_queued_tasks()

    job = Job.objects.get(kind="enterprises.import")
    assert job.status == Job.Status.FAILED
    assert code(2) in job.message
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [code(2)]


def test_a_small_import_is_still_saved_in_the_request(login, lhasa_staff, settings):
    settings.BACKGROUND_IMPORT_ROWS = 2
    _batch, response = upload_and_confirm(login(lhasa_staff), [row(1), row(2)])
    assert response.url == reverse("enterprises:list")
    assert Enterprise.objects.count() == 2
    assert not Job.objects.exists()


def test_a_big_export_is_written_by_a_job_and_downloaded_from_its_page(login, lhasa_staff, shigatse_staff, settings):
    settings.BACKGROUND_EXPORT_ROWS = 1
    make_enterprise("540102", name="拉萨一号有限公司")
    make_enterprise("540102", name="拉萨二号有限公司")
    make_enterprise("540202", name="日喀则有限公司")
    client = login(lhasa_staff)

    response = client.get(reverse("enterprises:export"), {"format": "xlsx", "q": "拉萨"})
    job = Job.objects.get(kind="enterprises.export")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (2, 2)

    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    names = sorted(values[1] for values in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["拉萨一号有限公司", "拉萨二号有限公司"]
    assert login(shigatse_staff).get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_big_csv_export_keeps_to_the_users_area(login, shigatse_staff, settings):
    settings.BACKGROUND_EXPORT_ROWS = 0
    make_enterprise("540102", name="拉萨一号有限公司")
    make_enterprise("540202", name="日喀则有限公司")
    login(shigatse_staff).get(reverse("enterprises:export"), {"format": "csv"})
    run_queued_tasks()
    job = Job.objects.get(kind="enterprises.export")
    content = bytes(job.result_file.content).decode("utf-8-sig")
    assert job.result_file.name.endswith(".csv")
    assert "日喀则有限公司" in content
    assert "拉萨一号有限公司" not in content


def test_a_small_export_is_still_sent_at_once(login, lhasa_staff, lhasa_enterprise):
    response = login(lhasa_staff).get(reverse("enterprises:export"), {"format": "csv"})
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_the_reviewer_recounts_the_tallies_in_the_background(login, reviewer, lhasa_enterprise, shigatse_enterprise):
    before = tallies.stored_counts()
    FigureTally.objects.all().delete()
    client = login(reviewer)
    assert client.get(reverse("enterprises:tallies_recount")).status_code == 200

    response = client.post(reverse("enterprises:tallies_recount"))
    job = Job.objects.get(kind="enterprises.recount")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total > 0
    assert tallies.stored_counts() == before
    assert tallies.drift() == []


def test_staff_cannot_start_a_recount(login, lhasa_staff):
    assert login(lhasa_staff).post(reverse("enterprises:tallies_recount")).status_code == 403
    assert not Job.objects.exists()

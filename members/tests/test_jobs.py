"""The rolls' long work runs as background jobs: a large import's confirmation and a large export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign_portal.jobs import run_queued_tasks
from campaign_portal.models import Job
from members.models import MemberImportBatch, Membership, MembershipChange, PersonalDataAccess
from members.tests.helpers import id_number
from members.tests.test_imports import member, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel_union(db):
    from members.tests.helpers import grassroots_union

    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


def test_a_big_member_import_is_saved_by_a_background_job(login, chengguan_staff, hotel_union, settings):
    settings.BACKGROUND_IMPORT_ROWS = 2
    client = login(chengguan_staff)
    upload(client, hotel_union, xlsx([member(1), member(2), member(3)]))
    batch = MemberImportBatch.objects.get()
    response = client.post(reverse("members:import_preview", args=[batch.pk]))
    job = Job.objects.get(kind="members.import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert not Membership.objects.exists()  # not in the request
    # A second click on the confirmation finds the job under way.
    assert client.post(reverse("members:import_preview", args=[batch.pk])).url == response.url

    run_queued_tasks()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (3, 3)
    assert Membership.objects.filter(union=hotel_union).count() == 3
    assert MembershipChange.objects.count() == 3
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "拉萨某酒店工会" in page


def test_a_big_export_is_written_by_a_job_masked_unless_a_reason_was_logged(
    login, chengguan_staff, hotel_union, settings
):
    client = login(chengguan_staff)
    upload(client, hotel_union, xlsx([member(1), member(2)]))
    client.post(reverse("members:import_preview", args=[MemberImportBatch.objects.get().pk]))
    settings.BACKGROUND_EXPORT_ROWS = 1
    masked = client.get(reverse("members:export") + "?migrant=yes")
    full = client.post(reverse("members:export_full"), {"reason": "核对会员证"})
    assert PersonalDataAccess.objects.get().rows == 2
    run_queued_tasks()
    masked_job, full_job = (Job.objects.get(pk=r.url.rstrip("/").split("/")[-1]) for r in (masked, full))
    assert masked_job.status == full_job.status == Job.Status.SUCCEEDED

    def cells(job):
        content = client.get(reverse("jobs:file", args=[job.pk]))
        data = b"".join(content.streaming_content) if content.streaming else content.content
        rows = load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
        return {str(value) for row in rows for value in row}

    assert id_number(serial=1) not in cells(masked_job)
    assert id_number(serial=1) in cells(full_job)

"""Transfer certificates through the pages: issue from the member's page, receive by number and code, cancel."""

import io

import pytest
from django.urls import reverse
from docx import Document

from members.models import CertificateStatus, Membership, TransferCertificate
from members.services.transfers import certificate_issue
from members.tests.helpers import grassroots_union, id_number
from members.tests.test_transfers import make_transfer_application
from unions.models import Role, UnionOrg
from unions.services import staff_account_create


@pytest.fixture
def doilungdeqen_union(db):
    return grassroots_union("540103", "540103.G001", "堆龙德庆区某工业园区工会")


def test_staff_issue_a_certificate_from_the_members_page(client, chengguan_staff, chengguan_membership):
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:detail", args=[chengguan_membership.person_id]))
    issue_url = reverse("members:transfer_issue", args=[chengguan_membership.pk])
    assert issue_url in page.content.decode()
    assert client.get(issue_url).status_code == 200
    assert not TransferCertificate.objects.exists()  # the GET only asks
    response = client.post(issue_url, {"to_union": "", "reason": "更换工作单位"})
    certificate = TransferCertificate.objects.get()
    assert response.url == reverse("members:transfer_detail", args=[certificate.pk])
    detail = client.get(response.url).content.decode()
    assert certificate.verification_code in detail
    member_page = client.get(reverse("members:detail", args=[chengguan_membership.person_id])).content.decode()
    assert certificate.number in member_page
    assert issue_url not in member_page
    again = client.post(issue_url, {"to_union": "", "reason": "更换工作单位"})
    assert again.status_code == 200
    assert TransferCertificate.objects.count() == 1


def test_the_word_document_shows_the_masked_id_only(client, chengguan_staff, chengguan_certificate):
    client.force_login(chengguan_staff)
    response = client.get(reverse("members:transfer_document", args=[chengguan_certificate.pk]))
    assert response.status_code == 200
    assert chengguan_certificate.number in response["Content-Disposition"]
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
        + [cell.text for table in Document(io.BytesIO(response.content)).tables for cell in table._cells]
    )
    assert chengguan_certificate.person.id_masked in text
    assert id_number() not in text
    assert chengguan_certificate.verification_code in text
    assert chengguan_certificate.number in text


def test_the_receiving_union_receives_by_number_and_code(
    client, lhasa_staff, chengguan_certificate, doilungdeqen_union
):
    client.force_login(lhasa_staff)
    url = reverse("members:transfer_receive")
    form = client.get(url).content.decode()
    assert 'name="union"' in form
    wrong = client.post(url, {"number": chengguan_certificate.number, "code": "abcdef", "union": doilungdeqen_union.pk})
    assert wrong.status_code == 200
    assert 'data-testid="form-errors"' in wrong.content.decode()
    response = client.post(
        url,
        {
            "number": chengguan_certificate.number,
            "code": chengguan_certificate.verification_code,
            "union": doilungdeqen_union.pk,
        },
    )
    assert response.url == reverse("members:transfer_detail", args=[chengguan_certificate.pk])
    assert Membership.objects.current().get().union == doilungdeqen_union
    twice = client.post(
        url,
        {
            "number": chengguan_certificate.number,
            "code": chengguan_certificate.verification_code,
            "union": doilungdeqen_union.pk,
        },
    )
    assert twice.status_code == 200
    assert chengguan_certificate.number in twice.content.decode()
    assert Membership.objects.count() == 2


def test_the_receiving_side_does_not_see_the_code_and_may_not_download_the_paper(
    client, lhasa_staff, chengguan_membership, chengguan_staff, doilungdeqen_union
):
    certificate = certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union)
    doilungdeqen_staff = staff_account_create(
        username="dl", organisation=UnionOrg.objects.get(code="540103"), role=Role.STAFF, password="x-2026-pass"
    )
    client.force_login(doilungdeqen_staff)
    detail = client.get(reverse("members:transfer_detail", args=[certificate.pk]))
    assert detail.status_code == 200
    assert certificate.verification_code not in detail.content.decode()
    assert client.get(reverse("members:transfer_document", args=[certificate.pk])).status_code == 403
    assert client.get(reverse("members:transfer_cancel", args=[certificate.pk])).status_code == 403
    incoming = client.get(reverse("members:transfers_in")).content.decode()
    receive_url = f"{reverse('members:transfer_receive')}?number={certificate.number}"
    assert receive_url in incoming
    assert f'value="{certificate.number}"' in client.get(receive_url).content.decode()


def test_staff_address_a_certificate_to_a_union_chosen_from_its_county(
    client, chengguan_staff, chengguan_membership, doilungdeqen_union
):
    client.force_login(chengguan_staff)
    url = reverse("members:transfer_issue", args=[chengguan_membership.pk])
    form = client.get(url).content.decode()
    group = form.split('<optgroup label="拉萨市总工会 · 堆龙德庆区总工会">')[1].split("</optgroup>")[0]
    assert doilungdeqen_union.name in group
    assert client.post(url, {"to_union": "not-a-number"}).status_code == 200
    client.post(url, {"to_union": doilungdeqen_union.pk, "reason": ""})
    assert TransferCertificate.objects.get().to_union == doilungdeqen_union


def test_another_units_certificate_is_a_404_and_a_viewer_may_not_cancel(
    client, shigatse_staff, lhasa_viewer, chengguan_certificate
):
    client.force_login(shigatse_staff)
    for name in ("members:transfer_detail", "members:transfer_cancel", "members:transfer_document"):
        assert client.get(reverse(name, args=[chengguan_certificate.pk])).status_code == 404
    assert chengguan_certificate.number not in client.get(reverse("members:transfers_out")).content.decode()
    client.force_login(lhasa_viewer)
    assert client.get(reverse("members:transfer_detail", args=[chengguan_certificate.pk])).status_code == 200
    url = reverse("members:transfer_cancel", args=[chengguan_certificate.pk])
    assert client.post(url, {"version": chengguan_certificate.version, "reason": "x"}).status_code == 403
    chengguan_certificate.refresh_from_db()
    assert chengguan_certificate.status == CertificateStatus.ISSUED


def test_cancel_asks_first_and_refuses_a_stale_form(client, chengguan_staff, chengguan_certificate):
    client.force_login(chengguan_staff)
    url = reverse("members:transfer_cancel", args=[chengguan_certificate.pk])
    assert client.get(url).status_code == 200
    stale = client.post(url, {"version": chengguan_certificate.version + 1, "reason": "误开"})
    assert stale.status_code == 302
    chengguan_certificate.refresh_from_db()
    assert chengguan_certificate.status == CertificateStatus.ISSUED
    client.post(url, {"version": chengguan_certificate.version, "reason": "误开"})
    chengguan_certificate.refresh_from_db()
    assert chengguan_certificate.status == CertificateStatus.CANCELLED
    assert client.get(url).status_code == 302  # nothing left to cancel


def test_the_outgoing_list_offers_a_certificate_for_a_transfer_application(
    client, chengguan_staff, chengguan_membership, doilungdeqen_union
):
    application = make_transfer_application(id_number(), doilungdeqen_union)
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:transfers_out")).content.decode()
    issue_url = reverse("members:transfer_issue", args=[chengguan_membership.pk])
    assert f"{issue_url}?application={application.pk}" in page
    assert client.get(issue_url, {"application": application.pk}).status_code == 200
    client.post(f"{issue_url}?application={application.pk}", {"reason": "换工作"})
    certificate = TransferCertificate.objects.get()
    assert (certificate.application, certificate.to_union) == (application, doilungdeqen_union)
    assert application.number not in client.get(reverse("members:transfers_out")).content.decode()
    assert client.get(issue_url, {"application": "999999"}).status_code == 404
    assert client.get(issue_url, {"application": "x"}).status_code == 404


def test_the_lists_filter_by_status_and_ignore_bad_values(client, chengguan_staff, chengguan_certificate):
    client.force_login(chengguan_staff)
    url = reverse("members:transfers_out")
    assert chengguan_certificate.number in client.get(url, {"status": "issued"}).content.decode()
    assert chengguan_certificate.number not in client.get(url, {"status": "received"}).content.decode()
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_the_status_form_suggests_retired_and_out_of_work(client, chengguan_staff, chengguan_membership):
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:membership_status", args=[chengguan_membership.pk])).content.decode()
    assert 'list="kept-reasons"' in page
    assert "退休" in page
    assert "失业" in page


def test_a_certificate_naming_the_union_is_received_there_without_choosing_it(
    client, lhasa_staff, chengguan_staff, chengguan_membership, doilungdeqen_union
):
    from members.services.transfers import certificate_issue

    paper = certificate_issue(chengguan_staff, chengguan_membership, to_union=doilungdeqen_union)
    client.force_login(lhasa_staff)
    url = reverse("members:transfer_receive")

    response = client.post(url, {"number": paper.number.lower(), "code": paper.verification_code, "union": ""})

    assert response.status_code == 302
    assert Membership.objects.current().get().union == doilungdeqen_union


def test_a_certificate_naming_no_union_asks_which_union_receives(client, lhasa_staff, chengguan_certificate):
    client.force_login(lhasa_staff)
    url = reverse("members:transfer_receive")
    data = {"number": chengguan_certificate.number, "code": chengguan_certificate.verification_code, "union": ""}

    response = client.post(url, data)

    assert "请选择转入会员的工会" in response.content.decode()
    assert Membership.objects.current().get().union == chengguan_certificate.from_union

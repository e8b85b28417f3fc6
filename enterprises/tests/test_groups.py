"""Group headquarters across prefectures: linking, loops refused everywhere, and each side seen read-only."""

import pytest
from django.urls import reverse

from conftest import make_enterprise
from enterprises.forms import EnterpriseForm
from enterprises.imports import import_check
from enterprises.models import Enterprise, ImportBatch
from enterprises.resources import column_header
from enterprises.services import RegistryError, enterprise_update
from enterprises.tests.test_import import code, row, xlsx
from enterprises.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def edit_form(user, enterprise, **overrides):
    enterprise.refresh_from_db()
    return EnterpriseForm(form_data(enterprise, **overrides), instance=enterprise, user=user)


def test_staff_link_their_subsidiary_to_a_headquarters_in_another_prefecture(login, lhasa_staff, shigatse_enterprise):
    subsidiary = make_enterprise("540102", name="拉萨分公司")
    response = login(lhasa_staff).post(
        reverse("enterprises:edit", args=[subsidiary.pk]),
        form_data(subsidiary, parent_group_code=shigatse_enterprise.credit_code),
    )
    assert response.status_code == 302
    subsidiary.refresh_from_db()
    assert subsidiary.parent_group == shigatse_enterprise


def test_the_headquarters_may_be_named_instead_of_coded(lhasa_staff, shigatse_enterprise):
    subsidiary = make_enterprise("540102")
    form = edit_form(lhasa_staff, subsidiary, parent_group_code=shigatse_enterprise.name)
    assert form.is_valid(), form.errors
    assert form.entered_data()["parent_group"] == shigatse_enterprise


def test_a_name_shared_by_several_enterprises_asks_for_the_code(lhasa_staff):
    make_enterprise("540202", name="同名集团有限公司")
    make_enterprise("540102", name="同名集团有限公司")
    subsidiary = make_enterprise("540102")
    form = edit_form(lhasa_staff, subsidiary, parent_group_code="同名集团有限公司")
    assert not form.is_valid()
    assert "parent_group_code" in form.errors


def test_an_unknown_headquarters_is_refused(lhasa_staff):
    subsidiary = make_enterprise("540102")
    form = edit_form(lhasa_staff, subsidiary, parent_group_code="没有这家企业")
    assert not form.is_valid()
    assert "parent_group_code" in form.errors


def test_the_subsidiary_must_still_be_the_editors_own(login, lhasa_staff, shigatse_enterprise, lhasa_enterprise):
    response = login(lhasa_staff).post(
        reverse("enterprises:edit", args=[shigatse_enterprise.pk]),
        form_data(shigatse_enterprise, parent_group_code=lhasa_enterprise.credit_code),
    )
    assert response.status_code == 404
    shigatse_enterprise.refresh_from_db()
    assert shigatse_enterprise.parent_group is None


@pytest.mark.parametrize("length", [1, 2, 3])
def test_the_form_refuses_a_loop_of_headquarters(lhasa_staff, length):
    """Self (1), A→B→A (2) and A→B→C→A (3)."""
    first = make_enterprise("540102")
    chain = [first]
    for _ in range(length - 1):
        chain.append(make_enterprise("540202"))
    for lower, upper in zip(chain[1:], chain[2:], strict=False):
        Enterprise.objects.filter(pk=lower.pk).update(parent_group=upper)
    if length > 1:
        Enterprise.objects.filter(pk=chain[-1].pk).update(parent_group=first)
    target = chain[1] if length > 1 else first
    form = edit_form(lhasa_staff, first, parent_group_code=target.credit_code)
    assert not form.is_valid()
    assert "parent_group_code" in form.errors
    first.refresh_from_db()
    assert first.parent_group is None


def test_the_service_refuses_a_loop_whatever_the_form_said(lhasa_staff):
    top = make_enterprise("540102")
    middle = make_enterprise("540102", parent_group=top)
    bottom = make_enterprise("540102", parent_group=middle)
    with pytest.raises(RegistryError):
        enterprise_update(top, user=lhasa_staff, version=top.version, data={"parent_group": bottom})
    top.refresh_from_db()
    assert top.parent_group is None


def test_the_import_links_to_a_headquarters_in_another_prefecture(lhasa_staff, shigatse_enterprise):
    group = column_header("parent_group")
    batch = import_check(xlsx([row(1, **{group: shigatse_enterprise.credit_code})]), user=lhasa_staff)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors


def test_the_import_refuses_a_loop_within_the_file_and_with_the_registry(lhasa_staff):
    group = column_header("parent_group")
    registry_top = make_enterprise("540102")
    registry_middle = make_enterprise("540202", parent_group=registry_top)
    rows = [
        row(1, **{group: code(2)}),
        row(2, **{group: code(1)}),
        row(3, **{"统一社会信用代码": registry_top.credit_code, group: registry_middle.credit_code}),
        row(4, **{group: registry_top.credit_code}),
    ]
    batch = import_check(xlsx(rows), user=lhasa_staff)
    assert batch.status == ImportBatch.Status.REFUSED
    # Spreadsheet rows (the header is row 1): the pair that loops, and the row closing a loop through the registry;
    # the last row only hangs below a loop it did not make.
    assert {error[0] for error in batch.errors} == {2, 3, 4}


def test_a_subsidiary_shows_its_headquarters_outside_the_viewers_scope_without_a_link(login, lhasa_staff):
    headquarters = make_enterprise("540202", name="日喀则集团总部", union_status="own")
    subsidiary = make_enterprise("540102", parent_group=headquarters)
    page = login(lhasa_staff).get(reverse("enterprises:detail", args=[subsidiary.pk])).content.decode()
    assert headquarters.name in page
    assert headquarters.county.parent.name in page
    assert headquarters.get_union_status_display() in page
    assert reverse("enterprises:detail", args=[headquarters.pk]) not in page


def test_a_headquarters_lists_every_subsidiary_linking_only_those_in_scope(login, shigatse_staff, shigatse_enterprise):
    in_lhasa = make_enterprise("540102", name="拉萨子公司", parent_group=shigatse_enterprise)
    in_shigatse = make_enterprise("540202", name="日喀则子公司", parent_group=shigatse_enterprise)
    page = login(shigatse_staff).get(reverse("enterprises:detail", args=[shigatse_enterprise.pk])).content.decode()
    assert in_lhasa.name in page
    assert in_shigatse.name in page
    assert in_lhasa.county.name in page
    assert reverse("enterprises:detail", args=[in_shigatse.pk]) in page
    assert reverse("enterprises:detail", args=[in_lhasa.pk]) not in page
    assert reverse("enterprises:edit", args=[in_lhasa.pk]) not in page


def test_an_operator_post_needs_the_political_post_ticked(lhasa_staff):
    enterprise = make_enterprise("540102")
    form = edit_form(lhasa_staff, enterprise, operator_post="区人大代表")
    assert not form.is_valid()
    assert "operator_post" in form.errors
    form = edit_form(lhasa_staff, enterprise, operator_post="区人大代表", operator_political_post="on")
    assert form.is_valid(), form.errors

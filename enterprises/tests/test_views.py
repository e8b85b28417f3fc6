from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conftest import make_enterprise
from enterprises.credit_code import with_check_character
from enterprises.models import Enterprise, EnterpriseChange
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db


def form_data(enterprise=None, **overrides):
    data = {
        "credit_code": with_check_character("91540102MA6T00009"),
        "name": "拉萨天路运输有限公司",
        "address": "拉萨市城关区北京中路1号",
        "county": "540102",
        "responsible_unit": "",
        "industry": "G",
        "key_sector": "taxi",
        "development_zone": "",
        "is_non_public": "on",
        "headcount": "160",
        "migrant_workers": "60",
        "registered_on": "2012年3月5日",
        "operating": "on",
        "party_org": "own",
        "union_status": "none",
        "union_founded_on": "",
        "parent_group_code": "",
        "notes": "",
    }
    if enterprise is not None:
        data.update(credit_code=enterprise.credit_code, name=enterprise.name, version=enterprise.version)
    data.update(overrides)
    return data


def test_staff_see_only_their_areas_enterprises(login, lhasa_staff, lhasa_enterprise, shigatse_enterprise):
    page = login(lhasa_staff).get(reverse("enterprises:list")).content.decode()
    assert lhasa_enterprise.name in page
    assert shigatse_enterprise.name not in page


def test_the_list_filters_by_headcount_band_union_and_flags(login, reviewer):
    big_without_union = make_enterprise("540102", name="大型未建会企业", headcount=800, beyond_local_reach=True)
    small_with_union = make_enterprise("540102", name="小型已建会企业", headcount=30, union_status="own")
    client = login(reviewer)

    def names(**params):
        page = client.get(reverse("enterprises:list"), params).content.decode()
        return {name for name in (big_without_union.name, small_with_union.name) if name in page}

    assert names(band=100) == {big_without_union.name}
    assert names(band=25) == {big_without_union.name, small_with_union.name}
    assert names(union_status="own") == {small_with_union.name}
    assert names(flags="hard_case") == {big_without_union.name}
    assert names(q=small_with_union.credit_code[-6:]) == {small_with_union.name}
    assert names(prefecture="540100", county="540102") == {big_without_union.name, small_with_union.name}


def test_an_unknown_sort_or_filter_value_is_ignored_not_an_error(login, reviewer, lhasa_enterprise):
    response = login(reviewer).get(reverse("enterprises:list"), {"sort": "password", "band": "abc"})
    assert response.status_code == 200
    assert lhasa_enterprise.name in response.content.decode()


def test_the_list_pages_through_long_results_keeping_the_filters(login, reviewer):
    for _ in range(55):
        make_enterprise("540102", headcount=150)
    page = login(reviewer).get(reverse("enterprises:list"), {"band": 100}).content.decode()
    assert "共 55 家企业" in page
    assert "?band=100&amp;page=2" in page


def test_staff_add_an_enterprise_and_it_reports_to_their_prefecture(login, lhasa_staff):
    response = login(lhasa_staff).post(reverse("enterprises:create"), form_data())
    enterprise = Enterprise.objects.get(name="拉萨天路运输有限公司")
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.responsible_unit.code == "540100"
    assert str(enterprise.registered_on) == "2012-03-05"


def test_a_bad_entry_gets_chinese_field_errors_and_keeps_what_was_typed(login, lhasa_staff):
    data = form_data(credit_code="91540102MA6T00009X", headcount="10", migrant_workers="20")
    page = login(lhasa_staff).post(reverse("enterprises:create"), data).content.decode()
    assert "校验位不符" in page
    assert "农牧民工人数不能多于职工人数" in page
    assert 'value="拉萨天路运输有限公司"' in page
    assert not Enterprise.objects.exists()


def test_a_duplicate_credit_code_is_refused_with_a_clear_message(login, lhasa_staff, lhasa_enterprise):
    page = login(lhasa_staff).post(reverse("enterprises:create"), form_data(credit_code=lhasa_enterprise.credit_code))
    assert "已存在" in page.content.decode()
    assert Enterprise.objects.count() == 1


def test_staff_cannot_file_an_enterprise_in_another_prefectures_county(login, lhasa_staff):
    page = login(lhasa_staff).post(reverse("enterprises:create"), form_data(county="540202")).content.decode()
    assert "选择一个有效的选项" in page
    assert not Enterprise.objects.exists()


def test_a_code_registered_elsewhere_saves_with_a_warning(login, lhasa_staff):
    code = with_check_character("91540202MA6T00011")
    response = login(lhasa_staff).post(reverse("enterprises:create"), form_data(credit_code=code), follow=True)
    page = response.content.decode()
    assert "已将拉萨天路运输有限公司录入企业名录" in page
    assert "桑珠孜区" in page


def test_an_edit_shows_in_the_change_history(login, lhasa_staff, lhasa_enterprise):
    client = login(lhasa_staff)
    client.post(
        reverse("enterprises:edit", args=[lhasa_enterprise.pk]), form_data(lhasa_enterprise, union_status="own")
    )
    page = client.get(reverse("enterprises:detail", args=[lhasa_enterprise.pk])).content.decode()
    assert "修改记录" in page
    assert "未建会 → 单独建会" in page
    assert "lasa_staff" in page


def test_a_stale_edit_is_refused_and_shows_what_is_saved_now(login, lhasa_staff, lhasa_enterprise):
    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(headcount=999, version=lhasa_enterprise.version + 1)
    response = login(lhasa_staff).post(
        reverse("enterprises:edit", args=[lhasa_enterprise.pk]), form_data(lhasa_enterprise, headcount="150")
    )
    page = response.content.decode()
    assert "其他人已保存了该企业的信息" in page
    assert "999" in page
    assert 'value="150"' in page
    assert Enterprise.objects.get(pk=lhasa_enterprise.pk).headcount == 999


def test_the_reviewer_deletes_after_confirming(login, reviewer, lhasa_enterprise):
    client = login(reviewer)
    confirm = client.get(reverse("enterprises:delete", args=[lhasa_enterprise.pk])).content.decode()
    assert "确定删除拉萨高原建材有限公司吗" in confirm
    assert Enterprise.objects.filter(pk=lhasa_enterprise.pk).exists()
    client.post(reverse("enterprises:delete", args=[lhasa_enterprise.pk]), {"reason": "重复录入"})
    assert not Enterprise.objects.filter(pk=lhasa_enterprise.pk).exists()
    assert EnterpriseChange.objects.get(action="deleted").changed_by == reviewer


def test_staff_cannot_delete_even_by_posting(login, lhasa_staff, lhasa_enterprise):
    response = login(lhasa_staff).post(reverse("enterprises:delete", args=[lhasa_enterprise.pk]))
    assert response.status_code == 403
    assert Enterprise.objects.filter(pk=lhasa_enterprise.pk).exists()


class _FormAsShown(HTMLParser):
    """What a browser would submit for the page's form if the person changed nothing."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.data[name] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, None)
        elif tag == "option" and self._select:
            if self.data[self._select] is None or "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n")


def as_shown(page):
    parser = _FormAsShown()
    parser.feed(page)
    return parser.data


def test_saving_a_note_keeps_a_responsible_unit_outside_the_users_own(login, lhasa_staff):
    """拉萨's staff see an enterprise located in 拉萨 that the regional non-public enterprise federation reports for;
    editing it must not move it to 拉萨市总工会."""
    non_public_federation = UnionOrg.objects.get(code="540000.FGQ")
    enterprise = make_enterprise("540102", responsible_unit=non_public_federation)
    client = login(lhasa_staff)
    url = reverse("enterprises:edit", args=[enterprise.pk])
    data = as_shown(client.get(url).content.decode())
    assert data["responsible_unit"] == str(non_public_federation.pk)
    data["notes"] = "已联系企业负责人"
    response = client.post(url, data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.notes, enterprise.responsible_unit) == ("已联系企业负责人", non_public_federation)
    assert "responsible_unit" not in enterprise.changes.get(action="updated").fields


def test_an_edit_with_the_unit_left_empty_keeps_it(login, lhasa_staff):
    non_public_federation = UnionOrg.objects.get(code="540000.FGQ")
    enterprise = make_enterprise("540102", responsible_unit=non_public_federation)
    login(lhasa_staff).post(
        reverse("enterprises:edit", args=[enterprise.pk]), form_data(enterprise, county="540122", responsible_unit="")
    )
    enterprise.refresh_from_db()
    assert (enterprise.county_id, enterprise.responsible_unit) == ("540122", non_public_federation)


def test_moving_to_another_prefecture_with_the_unit_left_empty_says_where_it_now_reports(login, administrator):
    enterprise = make_enterprise("540102")
    response = login(administrator).post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        form_data(enterprise, county="540202", responsible_unit=""),
        follow=True,
    )
    enterprise.refresh_from_db()
    assert enterprise.responsible_unit.code == "540200"
    assert "报送单位已由拉萨市总工会改为日喀则市总工会" in response.content.decode()


def test_moving_to_another_prefecture_keeping_the_old_federation_is_flagged(login, administrator):
    enterprise = make_enterprise("540102")
    data = form_data(enterprise, county="540202", responsible_unit=str(enterprise.responsible_unit_id))
    response = login(administrator).post(reverse("enterprises:edit", args=[enterprise.pk]), data, follow=True)
    enterprise.refresh_from_db()
    assert (enterprise.county_id, enterprise.responsible_unit.code) == ("540202", "540100")
    assert "仍由拉萨市总工会报送" in response.content.decode()

import datetime

import pytest
from django.urls import reverse

from unions.models import UnionOrg

pytestmark = pytest.mark.django_db


def test_prefecture_staff_home_shows_their_unit_and_its_counties(login, lhasa_staff):
    page = login(lhasa_staff).get(reverse("home")).content.decode()
    assert "拉萨市总工会" in page
    assert "城关区总工会" in page
    assert "540102" in page
    assert "日喀则市总工会" not in page
    assert "单位填报员" in page


def test_reviewer_home_lists_the_units_reporting_to_the_region(login, reviewer):
    page = login(reviewer).get(reverse("home")).content.decode()
    assert "西藏自治区总工会" in page
    for name in ("拉萨市总工会", "日喀则市总工会", "阿里地区总工会", "西藏自治区非公有制企业工会联合会"):
        assert name in page
    assert "审核报送材料" in page


def test_administrator_home_links_to_django_admin(login, administrator):
    page = login(administrator).get(reverse("home")).content.decode()
    assert reverse("admin:index") in page


def test_the_directory_shows_the_tree_with_codes_within_scope(login, lhasa_staff, reviewer):
    page = login(lhasa_staff).get(reverse("unions:directory")).content.decode()
    assert "拉萨市总工会" in page
    assert "540127" in page
    assert "日喀则市总工会" not in page
    full = login(reviewer).get(reverse("unions:directory")).content.decode()
    assert full.count('class="org-code"') == UnionOrg.objects.for_directory().count()


def test_directory_search_finds_units_by_name_or_code_within_scope(login, lhasa_staff):
    client = login(lhasa_staff)
    page = client.get(reverse("unions:directory"), {"q": "城关"}).content.decode()
    assert "城关区总工会" in page
    assert "日喀则" not in client.get(reverse("unions:directory"), {"q": "5402"}).content.decode()


def test_directory_search_answers_htmx_with_the_results_only(login, lhasa_staff):
    response = login(lhasa_staff).get(reverse("unions:directory"), {"q": "540102"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "城关区总工会" in page
    assert "<html" not in page


def test_the_detail_page_shows_the_chain_above_and_units_below(login, lhasa_staff):
    page = login(lhasa_staff).get(reverse("unions:detail", args=["540100"])).content.decode()
    assert "西藏自治区总工会" in page  # breadcrumb
    assert "当雄县总工会" in page


def edit_form(org, **changes):
    data = {"version": org.version, "leader": "", "phone": "", "address": "", "founded_on": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["1985年5月1日", "1985-05-01", "1985/5/1"])
def test_staff_enter_a_founding_date_either_way(login, lhasa_staff, typed):
    org = UnionOrg.objects.get(code="540100")
    response = login(lhasa_staff).post(reverse("unions:edit", args=["540100"]), edit_form(org, founded_on=typed))
    assert response.status_code == 302
    assert UnionOrg.objects.get(code="540100").founded_on == datetime.date(1985, 5, 1)


def test_saved_dates_are_shown_the_chinese_way(login, lhasa_staff):
    UnionOrg.objects.filter(code="540100").update(founded_on=datetime.date(2019, 8, 10))
    page = login(lhasa_staff).get(reverse("unions:detail", args=["540100"])).content.decode()
    assert "2019年8月10日" in page


def test_a_bad_phone_number_gets_a_chinese_error_and_keeps_what_was_typed(login, lhasa_staff):
    org = UnionOrg.objects.get(code="540100")
    response = login(lhasa_staff).post(
        reverse("unions:edit", args=["540100"]), edit_form(org, leader="次仁", phone="电话号码")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "电话号码只能包含数字" in page
    assert 'value="次仁"' in page
    assert UnionOrg.objects.get(code="540100").leader == ""


def test_a_stale_form_is_refused_with_the_saved_values_shown_and_the_typing_kept(login, lhasa_staff):
    org = UnionOrg.objects.get(code="540100")
    UnionOrg.objects.filter(pk=org.pk).update(leader="别人刚保存", version=org.version + 1)
    response = login(lhasa_staff).post(reverse("unions:edit", args=["540100"]), edit_form(org, leader="我的修改"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "其他人已保存" in page
    assert "别人刚保存" in page
    assert 'value="我的修改"' in page
    assert UnionOrg.objects.get(code="540100").leader == "别人刚保存"


def test_a_future_founding_date_is_refused(login, lhasa_staff):
    org = UnionOrg.objects.get(code="540100")
    response = login(lhasa_staff).post(reverse("unions:edit", args=["540100"]), edit_form(org, founded_on="2999-01-01"))
    assert "成立日期不能晚于今天" in response.content.decode()


def test_a_viewer_cannot_post_an_edit(login, lhasa_viewer):
    org = UnionOrg.objects.get(code="540100")
    response = login(lhasa_viewer).post(reverse("unions:edit", args=["540100"]), edit_form(org, leader="x"))
    assert response.status_code == 403
    assert "无权" in response.content.decode()
    assert UnionOrg.objects.get(code="540100").leader == ""


def test_another_units_page_is_a_chinese_404(login, shigatse_staff):
    response = login(shigatse_staff).get(reverse("unions:detail", args=["540100"]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_administrator_cannot_create_unit_staff_without_a_unit(login, administrator):
    from unions.models import User

    response = login(administrator).post(
        reverse("admin:unions_user_add"),
        {"username": "new_staff", "password1": "a-long-pass-2026", "password2": "a-long-pass-2026", "role": "staff"},
    )
    assert response.status_code == 200
    assert "必须属于某个单位" in response.content.decode()
    assert not User.objects.filter(username="new_staff").exists()


def test_giving_an_account_the_administrator_role_opens_django_admin_to_it(login, administrator):
    from unions.models import User

    org = UnionOrg.objects.get(code="540000")
    response = login(administrator).post(
        reverse("admin:unions_user_add"),
        {
            "username": "second_admin",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "role": "admin",
            "organisation": org.pk,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="second_admin")
    assert created.is_staff
    assert created.is_superuser


def test_the_reviewer_sees_prefectures_in_code_order_before_the_other_reporting_units(login, reviewer):
    page = login(reviewer).get(reverse("home")).content.decode()
    positions = [page.index(name) for name in ("拉萨市总工会", "阿里地区总工会", "西藏自治区非公有制企业工会联合会")]
    assert positions == sorted(positions)
    assert "西藏自治区总工会组织部</a>" not in page


def test_county_staff_reach_the_units_above_as_contact_cards_only(login, chengguan_staff):
    client = login(chengguan_staff)
    own = client.get(reverse("unions:detail", args=["540102"])).content.decode()
    assert reverse("unions:detail", args=["540100"]) in own  # the breadcrumb up the tree
    card = client.get(reverse("unions:detail", args=["540100"]))
    assert card.status_code == 200
    page = card.content.decode()
    assert 'data-testid="contact-card"' in page
    assert "城关区总工会" not in page.split("<main", 1)[1].split('data-testid="contact-card"')[1]  # no list below
    assert client.get(reverse("unions:detail", args=["540000"])).status_code == 200
    assert client.get(reverse("unions:edit", args=["540100"])).status_code == 404
    assert client.get(reverse("unions:detail", args=["540200"])).status_code == 404  # a neighbour, not above


@pytest.mark.parametrize("junk", ["\x00", "x" * 500, "%", "' OR 1=1 --"])
def test_the_directory_search_takes_any_text_without_failing(login, lhasa_staff, junk):
    assert login(lhasa_staff).get(reverse("unions:directory"), {"q": junk}).status_code == 200

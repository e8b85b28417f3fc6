import pytest
from playwright.sync_api import expect

from conftest import PERSONA_PASSWORD, make_persona

pytestmark = pytest.mark.e2e


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_lhasa_staff_log_in_see_their_unit_and_get_a_404_on_a_shigatse_page(page):
    make_persona("lhasa_staff")

    log_in(page, "lasa_staff")
    expect(page.locator("h1")).to_have_text("拉萨市总工会")
    expect(page.get_by_test_id("role")).to_have_text("单位填报员")
    expect(page.get_by_test_id("sub-units")).to_contain_text("城关区总工会")

    page.get_by_role("link", name="工会组织目录").click()
    expect(page.get_by_test_id("directory-tree")).to_contain_text("当雄县总工会")
    expect(page.get_by_test_id("directory-tree")).not_to_contain_text("日喀则市总工会")

    response = page.goto("/unions/540200/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    # Every script and style loaded under the Content-Security-Policy: nothing was blocked or missing.
    assert [error for error in page.console_errors if "404" not in error] == []

    page.locator(".dropdown-toggle").click()  # Bootstrap's menu works under the policy
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_directory_search_narrows_the_list_as_staff_type(page):
    make_persona("lhasa_staff")

    log_in(page, "lasa_staff")
    page.goto("/unions/")
    page.get_by_placeholder("按名称或代码搜索").fill("当雄")
    expect(page.get_by_test_id("directory-matches")).to_contain_text("当雄县总工会")
    expect(page.get_by_test_id("directory-matches")).not_to_contain_text("城关区总工会")
    assert "q=" in page.url

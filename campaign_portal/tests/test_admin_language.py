"""The admin speaks Chinese on every page of every model, django-axes' records included.

The administrator opens each model's list (and searches it), its add page where adding is allowed, and the
change, history and delete pages of one object, and no English of the admin is left on them.
"""

import html
import json
import re

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from campaign_portal.models import LoginAttempt
from campaign_portal.tests.test_login_throttling import log_in
from conftest import make_enterprise

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
# English that pages may show as data: usernames, paths, addresses, hashes, form fields as sent (anything with a
# digit, *, /, _, @ or = in it), names in capitals (union codes, GET, POST, IP, HTTP, SHA), and these words of the data.
DATA = re.compile(r"[\d*/_@=]")
DATA_WORDS = {"unknown", "xlsx"}
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
SHOWN_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"')
BUTTON_VALUES = re.compile(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"')


# Django's admin names a few icons in English that no catalogue can translate: the search form's magnifier
# and the yes/no icons of a list's true-or-false columns (Chinese text stands beside neither, the icons speak).
DJANGO_LITERALS = ('alt="Search"', 'alt="True"', 'alt="False"', 'alt="None"')


def shown_text(page):
    """What a person reads on a page: its text, and the attributes that browsers show."""
    body = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", page)
    for literal in DJANGO_LITERALS:
        body = body.replace(literal, "")
    texts = [re.sub(r"(?s)<[^>]+>", " ", body), *SHOWN_ATTRIBUTES.findall(body), *BUTTON_VALUES.findall(body)]
    return html.unescape(" ".join(texts))


def english_words(page):
    tokens = (token for token in shown_text(page).split() if not DATA.search(token))
    words = {word for token in tokens for word in WORD.findall(token)}
    return sorted(word for word in words if not word.isupper() and word not in DATA_WORDS)


@pytest.fixture
def one_of_everything(client, administrator, lhasa_staff, shigatse_staff, reviewer, lhasa_submission):
    """At least one object of every model the admin shows, made the way the portal makes them."""
    import datetime

    from campaigns.services import extension_request_create, extension_request_grant, participation_set_threshold
    from enterprises.models import EnterpriseChange, ImportBatch

    deadline, shigatse = lhasa_submission.deadline, shigatse_staff.organisation
    participation = deadline.stage.campaign.participations.get(unit=shigatse)
    participation_set_threshold(participation, threshold=50, reason="建会率已超过九成", user=reviewer)
    moment = datetime.datetime(2019, 8, 12, 10, tzinfo=datetime.UTC)
    asked = extension_request_create(
        deadline, shigatse, due_on=datetime.date(2019, 8, 20), reason="雪灾", user=shigatse_staff, now=moment
    )
    extension_request_grant(asked, due_on=datetime.date(2019, 8, 20), user=reviewer, version=asked.version, now=moment)

    enterprise = make_enterprise("540102", name="拉萨高原建材有限公司")
    EnterpriseChange.objects.create(
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        name=enterprise.name,
        action=EnterpriseChange.Action.CREATED,
        changed_by=lhasa_staff,
    )
    ImportBatch.objects.create(
        created_by=lhasa_staff, file_name="拉萨企业.xlsx", status="committed", committed_at=timezone.now()
    )
    from members import services as member_services
    from members.tests.helpers import enrol_values, grassroots_union

    chengguan_union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    lhasa_staff.refresh_from_db()
    from enterprises.services import coverage_start

    coverage_start(user=lhasa_staff, enterprise=enterprise, union=chengguan_union, valid_from=datetime.date(2020, 5, 1))
    membership = member_services.enrol(lhasa_staff, union=chengguan_union, **enrol_values())
    member_services.reveal(lhasa_staff, membership.person, "核对会员证信息")
    log_in(client, "lasa_staff")  # an access log
    client.logout()
    log_in(client, "lasa_staff", "wrong-password")  # an access attempt and a throttle record
    AccessFailureLog.objects.create(username="lasa_staff", ip_address="10.1.1.1", user_agent="-", path_info="/")


def admin_pages(client, administrator):
    yield reverse("admin:login")
    client.force_login(administrator)
    yield reverse("admin:index")
    yield reverse("admin:password_change")
    for model, model_admin in admin.site._registry.items():
        route = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse("admin:app_list", args=[model._meta.app_label])
        yield reverse(f"{route}_changelist")
        yield reverse(f"{route}_changelist") + "?q=lasa"
        obj = model.objects.first()
        assert obj is not None, f"make a {model.__name__} in one_of_everything, so that its pages are checked"
        request = type("Request", (), {"user": administrator})()
        if model_admin.has_add_permission(request):
            yield reverse(f"{route}_add")
        yield reverse(f"{route}_change", args=[obj.pk])
        yield reverse(f"{route}_history", args=[obj.pk])
        if model_admin.has_delete_permission(request, obj):
            yield reverse(f"{route}_delete", args=[obj.pk])
    yield reverse("admin:auth_user_password_change", args=[administrator.pk])


def test_no_admin_page_shows_english(client, administrator, one_of_everything):
    checked = []
    for url in admin_pages(client, administrator):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not english_words(page), f"{url} shows English: {english_words(page)}"
        checked.append(url)
    assert len(checked) > 40


def test_the_check_catches_english():
    assert english_words('<p>Select access attempt to change</p><input type="submit" value="Save">') == [
        "Save",
        "Select",
        "access",
        "attempt",
        "change",
        "to",
    ]
    assert english_words('<a title="Change or view list link">修改</a>') == ["Change", "link", "list", "or", "view"]
    assert not english_words("<p>ZZB 组织部 GET</p><script>gettext('Today')</script>")


def test_the_admin_index_names_every_model_in_chinese(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    for model in admin.site._registry:
        name = str(model._meta.verbose_name_plural)
        assert HAN.search(name), f"{model.__name__} has no Chinese name"
        assert name in page
    for name in ("访问尝试", "登录日志", "登录失败记录", "限流记录", "平台"):
        assert name in page


def test_axes_records_and_their_fields_are_named_in_chinese(client, administrator, one_of_everything):
    client.force_login(administrator)
    page = client.get(reverse("admin:campaign_portal_loginattempt_changelist")).content.decode()
    for label in ("尝试时间", "IP 地址", "用户名", "浏览器标识", "路径", "登录失败次数", "状态", "还可尝试 4 次"):
        assert label in page
    attempt = admin.site._registry and next(
        iter(model for model in admin.site._registry if model._meta.model_name == "loginattempt")
    )
    change = client.get(reverse("admin:campaign_portal_loginattempt_change", args=[attempt.objects.get().pk]))
    assert "lasa_staff（来自 " in change.content.decode()


def test_an_import_that_was_saved_reads_imported(client, administrator, one_of_everything):
    from enterprises.models import ImportBatch

    assert ImportBatch.objects.get().get_status_display() == "已导入"
    client.force_login(administrator)
    assert "已导入" in client.get(reverse("admin:enterprises_importbatch_changelist")).content.decode()


def test_the_admins_scripts_get_their_chinese_messages(client, administrator):
    client.force_login(administrator)
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    assert as_in_script("今天") in catalogue  # the calendar, from Django's zh-hans catalogue
    assert as_in_script("可用 %s") in catalogue  # the two-box selector
    assert as_in_script("全选 %s") in catalogue  # the selector's newer messages, from ours


def as_in_script(text):
    return json.dumps(text)


def test_cleaning_up_expired_attempts_says_how_many_in_chinese(client, administrator, one_of_everything, settings):
    client.force_login(administrator)
    LoginAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    changelist = reverse("admin:campaign_portal_loginattempt_changelist")
    selected = list(LoginAttempt.objects.values_list("pk", flat=True))
    client.post(changelist, {"action": "cleanup_expired_attempts", "_selected_action": selected})
    assert "已清除 1 条过期的访问尝试记录" in client.get(changelist).content.decode()
    assert not LoginAttempt.objects.exists()

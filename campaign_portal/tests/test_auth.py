from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username, password=PERSONA_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_login_page_is_in_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page
    assert "用户名" in page
    assert "密码" in page
    assert '<html lang="zh-Hans">' in page


def test_staff_log_in_to_their_home_page(client, lhasa_staff):
    response = log_in(client, "lasa_staff")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "拉萨市总工会" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_gets_a_chinese_message(client, lhasa_staff):
    page = log_in(client, "lasa_staff", "wrong-password").content.decode()
    assert "请输入一个正确的" in page


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client, lhasa_staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "lasa_staff", "wrong-password")
    response = log_in(client, "lasa_staff")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "15 分钟" in response.content.decode()


def test_a_lock_on_one_username_leaves_other_accounts_alone(client, lhasa_staff, shigatse_staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "lasa_staff", "wrong-password")
    assert log_in(client, "rikaze_staff").status_code == 302


def test_a_session_ends_after_a_spell_of_inactivity(client, lhasa_staff, settings):
    log_in(client, "lasa_staff")
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logging_out_ends_the_session(client, lhasa_staff):
    log_in(client, "lasa_staff")
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_password_change_must_pass_the_rules(client, lhasa_staff):
    log_in(client, "lasa_staff")
    response = client.post(
        reverse("password_change"),
        {"old_password": PERSONA_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "密码太短，至少需要 10 个字符" in page
    assert "全都是数字" in page


def test_a_good_password_change_keeps_the_user_logged_in(client, lhasa_staff):
    log_in(client, "lasa_staff")
    new = "brand-new-pass-2026"
    response = client.post(
        reverse("password_change"), {"old_password": PERSONA_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    lhasa_staff.refresh_from_db()
    assert lhasa_staff.check_password(new)

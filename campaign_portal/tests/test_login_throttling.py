"""Login throttling: a username at one address (django-axes), and one address across all usernames."""

import pytest
from django.urls import reverse

from campaign_portal.env import client_address_source
from campaign_portal.models import ThrottleHit
from campaign_portal.tests.test_settings import manage
from conftest import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.254"


def log_in(client, username, password=PERSONA_PASSWORD, address="10.1.1.1", forwarded_for=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = client_address_source(True, 1)


def fail_until_locked(client, settings, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "lasa_staff", "wrong-password", **where)


def test_clients_behind_one_proxy_are_locked_apart(client, lhasa_staff, settings, behind_one_proxy):
    fail_until_locked(client, settings, address=PROXY, forwarded_for="10.2.0.1")
    assert log_in(client, "lasa_staff", address=PROXY, forwarded_for="10.2.0.1").status_code == 429
    assert log_in(client, "lasa_staff", address=PROXY, forwarded_for="10.2.0.2").status_code == 302


def test_behind_a_proxy_a_client_cannot_choose_its_address(client, lhasa_staff, settings, behind_one_proxy):
    """The proxy appends the address it saw; whatever the client wrote before that is not believed."""
    fail_until_locked(client, settings, address=PROXY, forwarded_for="10.2.0.1")
    spoofed = log_in(client, "lasa_staff", address=PROXY, forwarded_for="10.9.9.9, 10.2.0.1")
    assert spoofed.status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(client, lhasa_staff, settings):
    fail_until_locked(client, settings, address="10.1.1.1", forwarded_for="10.2.0.1")
    assert log_in(client, "lasa_staff", address="10.1.1.1", forwarded_for="10.2.0.2").status_code == 429
    assert log_in(client, "lasa_staff", address="10.1.1.2", forwarded_for="10.2.0.1").status_code == 302


def test_a_locked_username_is_told_so_in_chinese(client, lhasa_staff, settings):
    fail_until_locked(client, settings)
    response = log_in(client, "lasa_staff")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page
    assert "该账号已在本机被暂时锁定" in page


def test_one_address_failing_across_many_usernames_is_stopped(client, lhasa_staff, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    for number in range(20):
        assert log_in(client, f"guess{number}", "wrong-password").status_code == 200
    response = log_in(client, "lasa_staff")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60
    page = response.content.decode()
    assert "此网络地址登录失败次数过多" in page
    assert f"{settings.LOGIN_ADDRESS_WINDOW_MINUTES} 分钟后" in page


def test_a_blocked_address_leaves_other_addresses_alone(client, lhasa_staff, shigatse_staff, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        log_in(client, f"guess{number}", "wrong-password", address="10.1.1.1")
    assert log_in(client, "lasa_staff", address="10.1.1.1").status_code == 429
    assert log_in(client, "rikaze_staff", address="10.1.1.2").status_code == 302


def test_the_admin_login_is_throttled_by_address_too(client, administrator, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        client.post(reverse("admin:login"), {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(
        reverse("admin:login"), {"username": "portal_admin", "password": PERSONA_PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429


def test_attempts_while_blocked_do_not_prolong_the_block(client, lhasa_staff, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(6):
        log_in(client, f"guess{number}", "wrong-password")
    assert ThrottleHit.objects.count() == 3


def test_a_successful_login_does_not_wipe_the_addresss_failures(client, lhasa_staff, settings):
    """Else an intruder with one account of their own could guess on at the others."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(2):
        log_in(client, f"guess{number}", "wrong-password")
    assert log_in(client, "lasa_staff").status_code == 302
    client.post(reverse("logout"))
    log_in(client, "guess9", "wrong-password")
    assert log_in(client, "lasa_staff").status_code == 429


def test_the_environment_sets_where_the_address_is_read():
    show = (
        "from django.conf import settings as s; print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT)"
    )
    direct = manage("shell", "--no-imports", "-c", show, DJANGO_DEBUG="1")
    assert direct.stdout.strip() == "('REMOTE_ADDR',) None"
    proxied = manage(
        "shell", "--no-imports", "-c", show, DJANGO_DEBUG="1", DJANGO_BEHIND_PROXY="1", DJANGO_PROXY_COUNT="2"
    )
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 1"
    refused = manage("check", DJANGO_DEBUG="1", DJANGO_BEHIND_PROXY="1", DJANGO_PROXY_COUNT="0")
    assert refused.returncode != 0
    assert "DJANGO_PROXY_COUNT" in refused.stderr

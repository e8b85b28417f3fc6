"""Login throttling: a username at one address (django-axes), the address read behind a proxy."""

import pytest
from django.urls import reverse

from campaign_portal.env import client_address_source
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

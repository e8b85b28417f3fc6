"""Settings come from the environment, strictly; production refuses to start half-configured."""

import datetime
import os
import secrets
import subprocess
import sys

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import timezone

from campaign_portal.env import env_bool, env_int

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_MEMBER_ENCRYPTION_KEYS": "bWVtYmVyLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjay0=",
    "DJANGO_MEMBER_INDEX_KEY": secrets.token_urlsafe(40),
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = dict(PRODUCTION_ENV)
    del env["DJANGO_ALLOWED_HOSTS"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize("variable", ["DJANGO_MEMBER_ENCRYPTION_KEYS", "DJANGO_MEMBER_INDEX_KEY"])
def test_production_refuses_to_start_without_the_keys_of_personal_data(variable):
    result = manage("check", **{**PRODUCTION_ENV, variable: ""})
    assert result.returncode != 0
    assert f"{variable} must be set" in result.stderr


def test_production_refuses_to_start_with_a_malformed_encryption_key():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_MEMBER_ENCRYPTION_KEYS": "not-a-key"})
    assert result.returncode != 0
    assert "Fernet key" in result.stderr


def test_the_deploy_check_is_clean_with_https_on():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, DJANGO_HTTPS="1")
    assert result.returncode == 0, result.stderr


def test_demo_data_is_refused_in_production_mode():
    result = manage("load_demo_data", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "development only" in result.stderr


def test_a_misspelt_boolean_stops_start_up(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")
    monkeypatch.setenv("SOME_NUMBER", "thirty")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_the_portal_speaks_chinese_on_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    noon_utc = datetime.datetime(2019, 8, 10, 4, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(noon_utc).hour == 12


@pytest.mark.parametrize("typed", ["2019年8月10日", "2019年08月10日", "2019-08-10", "2019/8/10"])
def test_date_fields_accept_the_chinese_and_the_iso_form(typed):
    field = forms.DateField()
    assert field.clean(typed) == datetime.date(2019, 8, 10)


def test_date_time_fields_accept_the_chinese_form():
    field = forms.DateTimeField()
    value = field.clean("2019年8月10日 23:59")
    assert timezone.localtime(value).replace(tzinfo=None) == datetime.datetime(2019, 8, 10, 23, 59)


def test_dates_are_shown_as_year_month_day_in_chinese():
    rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2019, 8, 10)}))
    assert rendered == "2019年8月10日"

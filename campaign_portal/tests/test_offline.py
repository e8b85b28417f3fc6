"""The portal runs on intranets without internet: every page uses only the portal's own files."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from campaign_portal.tests.test_permissions import MATRIX, resolve

pytestmark = pytest.mark.django_db

# Anything that would make the browser fetch or link elsewhere: absolute or protocol-relative URLs.
OUTSIDE = re.compile(r"""(?:src|href|action|content)\s*=\s*["']\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)
CSS_OUTSIDE = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:https?:)?//""", re.I)
STATIC_REF = re.compile(r"""(?:src|href)="/static/([^"?#]+)""")


def pages_as(client, request, user):
    client.force_login(user)
    for name, kwargs, method, statuses in MATRIX:
        if method == "get" and statuses["administrator"] == 200:
            response = client.get(reverse(name, kwargs=resolve(request, kwargs)))
            if response["Content-Type"].startswith("text/html"):  # downloads are not pages
                yield name, response.content.decode()


def test_no_page_refers_to_an_outside_host(client, request, administrator):
    checked = 0
    for name, page in pages_as(client, request, administrator):
        assert not OUTSIDE.findall(page), f"{name} refers to an outside host"
        checked += 1
    client.logout()
    assert not OUTSIDE.findall(client.get(reverse("login")).content.decode())
    assert checked >= 8


def test_the_check_catches_an_outside_reference():
    assert OUTSIDE.findall('<script src="https://cdn.example.com/x.js">')
    assert OUTSIDE.findall("<link href='//fonts.example.com/a.css'>")
    assert not OUTSIDE.findall('<script src="/static/vendor/htmx/htmx.min.js">')


def test_every_static_file_a_page_uses_is_served_by_the_portal(client, lhasa_staff):
    client.force_login(lhasa_staff)
    page = client.get(reverse("home")).content.decode()
    used = STATIC_REF.findall(page)
    assert "vendor/bootstrap/css/bootstrap.min.css" in used
    assert "vendor/htmx/htmx.min.js" in used
    for path in used:
        found = finders.find(path)
        assert found, f"{path} is not installed (run make assets)"
        if path.endswith(".css"):
            assert not CSS_OUTSIDE.findall(Path(found).read_text(encoding="utf-8")), path


def test_the_icon_font_is_served_locally():
    css = Path(finders.find("vendor/bootstrap-icons/bootstrap-icons.min.css")).read_text(encoding="utf-8")
    fonts = re.findall(r'url\("?(?:\./)?fonts/([^")?]+)', css)
    assert fonts
    assert all(finders.find(f"vendor/bootstrap-icons/fonts/{font}") for font in fonts)


def test_scripts_and_styles_are_limited_to_the_portals_own_origin(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"


def test_pages_carry_no_inline_scripts_or_styles(client, reviewer):
    client.force_login(reviewer)
    for name in ("home", "unions:directory"):
        page = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), name
        assert "<style" not in page, name
        assert " style=" not in page, name


def catalogue():
    return polib.pofile(str(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"))


def test_every_interface_string_has_a_chinese_translation():
    po = catalogue()
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_its_source():
    po = catalogue()
    mo = polib.mofile(str(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.mo"))
    compiled = {(entry.msgid, entry.msgstr or str(entry.msgstr_plural)) for entry in mo if entry.msgid}
    source = {(entry.msgid, entry.msgstr or str(entry.msgstr_plural)) for entry in po.translated_entries()}
    assert compiled == source, "run make messages"


def test_browsers_asking_for_favicon_ico_get_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("portal/favicon.svg")

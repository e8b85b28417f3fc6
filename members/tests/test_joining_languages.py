"""The public join pages speak Chinese or Tibetan, as the visitor chooses; the staff pages stay Chinese."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from members.models import ApplicationStatus, JoinApplication
from members.tests.test_joining import look_up, send, submitted

pytestmark = pytest.mark.django_db

BO_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "bo" / "LC_MESSAGES" / "django.po"
REVIEW_NOTE = "待藏语母语者审校 / needs review by a native Tibetan speaker"
TIBETAN = re.compile(r"[\u0F00-\u0FFF]")
PUBLIC_SOURCES = ("templates/join/", "members/templates/join/", "members/public_forms.py", "members/views/joining.py",
                  "members/views/join_status.py", "members/services/applying.py")  # fmt: skip


def public_entries():
    """The catalogue's entries that the public pages use."""
    return [
        entry
        for entry in polib.pofile(str(BO_CATALOGUE))
        if any(path.startswith(PUBLIC_SOURCES) for path, _line in entry.occurrences)
    ]


def in_tibetan(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    return client


def test_every_message_of_the_public_pages_has_a_tibetan_translation_marked_for_review():
    entries = public_entries()
    assert len(entries) > 50
    for entry in entries:
        text = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert TIBETAN.search(text), entry.msgid
        assert REVIEW_NOTE in entry.tcomment, entry.msgid
    assert "native Tibetan speaker" in polib.pofile(str(BO_CATALOGUE)).header


def english_left(html):
    """Public messages still shown in English (or in their Chinese fallback) on a page rendered in Tibetan."""
    left = []
    with translation.override("zh-hans"):
        for entry in public_entries():
            if "%" in entry.msgid or len(entry.msgid) < 4:
                continue
            chinese = translation.gettext(entry.msgid)
            for text in (entry.msgid, chinese):
                if text and f">{text}<" in html or f"{text}</" in html:
                    left.append(text)
    return left


def test_each_public_page_in_tibetan_shows_no_english_or_chinese_message_left(client, settings):
    in_tibetan(client)
    pages = {"apply": client.get(reverse("join:apply")), "status": client.get(reverse("join:status"))}
    pages["apply-errors"] = client.post(reverse("join:apply"), {"name": ""})
    pages["receipt"] = client.get(send(client)["Location"])
    application = JoinApplication.objects.get()
    JoinApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.RETURNED, version=2)
    pages["status-found"] = look_up(client, application.number, application.id_masked[-4:])
    pages["correct"] = client.get(reverse("join:correct"))
    settings.JOIN_ADDRESS_POST_LIMIT = 1
    pages["throttled"] = client.post(reverse("join:status"), {})
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code in (200, 429), name
        assert '<html lang="bo">' in html, name
        assert TIBETAN.search(html), name
        assert english_left(html) == [], name


def test_the_language_switch_remembers_tibetan_and_goes_back(client):
    response = client.get(reverse("join:language", args=["bo"]), {"next": reverse("join:status")})
    assert response.status_code == 302
    assert response["Location"] == reverse("join:status")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "bo"
    page = client.get(reverse("join:status")).content.decode()
    assert "རེ་ཞུ་འཚོལ།" in page
    client.get(reverse("join:language", args=["zh-hans"]))
    assert "查询申请" in client.get(reverse("join:status")).content.decode()


def test_the_switch_goes_nowhere_outside_the_portal(client):
    response = client.get(reverse("join:language", args=["bo"]), {"next": "https://example.com/"})
    assert response["Location"] == reverse("join:apply")


def test_without_a_choice_the_browsers_language_decides_and_chinese_is_the_default(client):
    assert '<html lang="bo">' in client.get(reverse("join:apply"), HTTP_ACCEPT_LANGUAGE="bo,zh;q=0.5").content.decode()
    assert '<html lang="zh-Hans">' in client.get(reverse("join:apply"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-Hans">' in client.get(reverse("join:apply")).content.decode()


def test_staff_pages_stay_chinese_when_the_cookie_says_tibetan(client, lhasa_staff):
    in_tibetan(client)
    client.force_login(lhasa_staff)
    page = client.get(reverse("members:list")).content.decode()
    assert "会员" in page
    assert not TIBETAN.search(page)
    client.logout()
    login = client.get(reverse("login")).content.decode()
    assert "登录" in login
    assert not TIBETAN.search(login)


def test_a_status_label_is_shown_in_tibetan(client):
    application = submitted()
    in_tibetan(client)
    page = look_up(client, application.number, application.id_masked[-4:]).content.decode()
    with translation.override("bo"):
        assert str(ApplicationStatus.SUBMITTED.label) in page


def test_the_check_finds_messages_left_untranslated(client):
    assert english_left(client.get(reverse("join:apply")).content.decode())

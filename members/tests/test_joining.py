"""The public join form: sending, finding, correcting an application, and what keeps it from being abused."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from campaign_portal.models import ThrottleHit
from members.models import ApplicationStatus, ApplicationTransition, JoinApplication
from members.services.applying import (
    DuplicateApplication,
    application_correct,
    application_find,
    application_submit,
)
from members.tests.captcha import solved_captcha
from members.tests.helpers import id_number
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
BARKHOR = "540102002"


def form_values(**overrides):
    values = {
        "name": "卓玛",
        "id_number": id_number(serial=21, sex_digit=2),
        "phone": PHONE,
        "ethnicity": "04",
        "rural_household": "1",
        "household_place": "日喀则市南木林县艾玛乡",
        "employer_query": "",
        "no_union": "on",
        "workplace": "八廓街某茶馆",
        "county": "540102",
        "township_union": str(UnionOrg.objects.get(code=BARKHOR).pk),
        "consent": "on",
        "action": "send",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def send(client, **overrides):
    page = client.get(reverse("join:apply"))
    return client.post(reverse("join:apply"), {**form_values(**overrides), **solved_captcha(page)})


def submitted(**overrides):
    values = {
        "name": "卓玛",
        "id_number": id_number(serial=21, sex_digit=2),
        "phone": PHONE,
        "ethnicity": "04",
        "rural_household": True,
        "household_place": "艾玛乡",
        "consent": True,
        "workplace": "八廓街某茶馆",
        "township_union": UnionOrg.objects.get(code=BARKHOR),
    }
    values.update(overrides)
    return application_submit(**values)


def look_up(client, number, last4, phone=PHONE):
    page = client.get(reverse("join:status"))
    data = {"number": number, "id_last4": last4, "phone": phone, **solved_captcha(page)}
    return client.post(reverse("join:status"), data, follow=True)


def test_it_stores_a_sent_application_with_its_first_step_and_shows_the_number_on_the_receipt(client):
    response = send(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("join:receipt")
    application = JoinApplication.objects.get()
    assert application.union.code == BARKHOR
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.id_masked.endswith(application.id_number[-4:])
    assert application.consent_at is not None
    assert application.consent_version
    step = ApplicationTransition.objects.get(application=application)
    assert (step.from_status, step.to_status, step.by) == ("", ApplicationStatus.SUBMITTED, None)
    receipt = client.get(response["Location"])
    assert application.number in receipt.content.decode()
    assert "写下" in receipt.content.decode()


def test_the_employers_grassroots_union_takes_the_application(client, lhasa_coverage):
    page = client.get(reverse("join:apply"), {})
    searched = client.post(
        reverse("join:apply"),
        {**form_values(employer_query="高原建材", no_union=None, county="", township_union=""), "action": "search"},
    )
    assert "拉萨高原建材有限公司 · 城关区" in searched.content.decode()
    assert page.status_code == 200
    response = send(
        client, employer=str(lhasa_coverage.enterprise.pk), no_union=None, workplace="", county="", township_union=""
    )
    assert response.status_code == 302
    assert JoinApplication.objects.get().union == lhasa_coverage.union


def test_the_employer_search_shows_at_most_ten_names_and_nothing_for_one_character(client):
    from conftest import make_enterprise

    for serial in range(12):
        make_enterprise("540102", name=f"雪域搜索{serial:02d}有限公司")
    many = client.get(reverse("join:employers"), {"employer_query": "雪域搜索"}).content.decode()
    assert many.count('name="employer"') == 10
    one = client.get(reverse("join:employers"), {"employer_query": "雪"}).content.decode()
    assert 'name="employer"' not in one


def test_application_numbers_are_random_and_unguessable():
    first = submitted()
    second = submitted(id_number=id_number(serial=22))
    for application in (first, second):
        assert re.fullmatch(r"RH[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", application.number)
    assert first.number != second.number


def test_it_refuses_a_second_open_application_for_the_same_id_number(client):
    submitted()
    with pytest.raises(DuplicateApplication):
        submitted(name="另一个人")
    response = send(client)
    assert response.status_code == 200
    assert "已在办理中" in response.content.decode()
    assert JoinApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "540102198503070011"}, "校验"),
        ({"consent": None}, "单独同意"),
        ({"phone": "12345"}, "手机号"),
        ({"workplace": "", "no_union": None}, "工作单位"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(client, overrides, message):
    response = send(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_it_refuses_a_replayed_captcha(client):
    page = client.get(reverse("join:apply"))
    captcha = solved_captcha(page)
    first = client.post(reverse("join:apply"), {**form_values(), **captcha})
    assert first.status_code == 302
    again = client.post(reverse("join:apply"), {**form_values(id_number=id_number(serial=30)), **captcha})
    assert again.status_code == 200
    assert "已经用过" in again.content.decode()
    assert JoinApplication.objects.count() == 1


def test_it_refuses_a_wrong_captcha_answer(client):
    page = client.get(reverse("join:apply"))
    captcha = solved_captcha(page)
    captcha["captcha_1"] = str(int(captcha["captcha_1"]) + 1)
    response = client.post(reverse("join:apply"), {**form_values(), **captcha})
    assert response.status_code == 200
    assert not JoinApplication.objects.exists()


def test_every_post_counts_against_the_address_and_the_limit_answers_429(client, settings):
    settings.JOIN_ADDRESS_POST_LIMIT = 3
    for _attempt in range(3):
        assert client.post(reverse("join:apply"), {"name": ""}).status_code == 200
    response = send(client)
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert response["Retry-After"]
    assert not JoinApplication.objects.exists()
    assert client.post(reverse("join:status"), {}).status_code == 429


def test_the_per_id_limit_is_kept_under_the_blind_index_not_the_number(client, settings):
    settings.JOIN_ID_SUBMISSION_LIMIT = 2
    for _attempt in range(2):
        assert send(client).status_code in (200, 302)
    response = send(client)
    assert response.status_code == 429
    keys = list(ThrottleHit.objects.filter(scope=ThrottleHit.Scope.JOIN_ID).values_list("key", flat=True))
    number = form_values()["id_number"]
    assert keys
    assert all(number not in key and len(key) == 64 for key in keys)


def test_it_refuses_an_oversized_body_with_a_chinese_page_and_stores_nothing(client):
    response = client.post(reverse("join:apply"), {**form_values(), "padding": "x" * 40_000})
    assert response.status_code == 413
    assert "过大" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_the_forms_are_csrf_protected():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("join:apply"), form_values()).status_code == 403
    assert client.post(reverse("join:status"), {}).status_code == 403
    page = client.get(reverse("join:apply"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("join:apply"), {**form_values(), **solved_captcha(page), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_an_unknown_number_and_a_wrong_pair_get_the_same_answer(client):
    application = submitted()
    last4 = application.id_masked[-4:]
    unknown = look_up(client, "RH2345678923", last4)
    wrong = look_up(client, application.number, "0000")
    wrong_phone = look_up(client, application.number, last4, phone="13800000000")
    message = "没有找到"
    for response in (unknown, wrong, wrong_phone):
        assert response.status_code == 200
        assert message in response.content.decode()
        assert application.union.name not in response.content.decode()
    assert application_find("RH2345678923", last4, PHONE) is None
    assert application_find(application.number, last4, PHONE) == application


def test_the_status_page_shows_the_steps_the_union_and_the_card_number(client):
    application = submitted()
    JoinApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.ACCEPTED, card_number="XZ-0001")
    response = look_up(client, application.number.lower(), application.id_masked[-4:])
    page = response.content.decode()
    assert application.union.name in page
    assert "XZ-0001" in page
    assert "待审核" in page  # the first step
    assert application.number in page
    assert application.number not in response.redirect_chain[-1][0]


def test_a_transfer_tells_the_applicant_their_old_union_arranges_it(client):
    application = submitted()
    JoinApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.TRANSFER)
    page = look_up(client, application.number, application.id_masked[-4:]).content.decode()
    assert "您已是工会会员，原工会将为您办理组织关系接转" in page


def returned(application, reason="请补充工作单位全称"):
    JoinApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.RETURNED, reason=reason, version=application.version + 1
    )
    ApplicationTransition.objects.create(
        application=application, from_status="submitted", to_status="returned", reason=reason
    )
    application.refresh_from_db()
    return application


def test_a_returned_application_is_corrected_and_sent_again(client):
    application = returned(submitted())
    status = look_up(client, application.number, application.id_masked[-4:]).content.decode()
    assert "请补充工作单位全称" in status
    assert reverse("join:correct") in status
    form = client.get(reverse("join:correct"))
    page = form.content.decode()
    assert application.id_masked in page
    assert application.id_number not in page
    assert "八廓街某茶馆" in page
    values = form_values(workplace="八廓街某茶馆有限公司", phone="13700001111", id_number=None)
    values["version"] = str(application.version)
    response = client.post(reverse("join:correct"), {**values, **solved_captcha(form)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.workplace == "八廓街某茶馆有限公司"
    assert application.phone == "13700001111"
    last = application.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("returned", "submitted", None)


def test_it_refuses_a_correction_that_is_stale_or_of_an_application_not_returned():
    from members.services.applying import ApplicationError, StaleApplication

    application = submitted()
    values = {
        "name": "卓玛",
        "phone": PHONE,
        "ethnicity": "04",
        "rural_household": True,
        "household_place": "艾玛乡",
        "workplace": "茶馆",
        "township_union": application.union,
    }
    with pytest.raises(ApplicationError):
        application_correct(application, version=application.version, **values)
    application = returned(application)
    with pytest.raises(StaleApplication):
        application_correct(application, version=application.version - 1, **values)


def test_the_correction_form_needs_a_lookup_first(client):
    response = client.get(reverse("join:correct"))
    assert response.status_code == 302
    assert response["Location"] == reverse("join:status")


def test_nothing_personal_goes_into_a_url(client):
    response = send(client)
    application = JoinApplication.objects.get()
    for secret in (application.number, application.id_number, PHONE):
        assert secret not in response["Location"]


def test_a_body_beyond_what_django_reads_gets_a_chinese_400_page_not_a_500():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = client.get(reverse("join:apply")).cookies["csrftoken"].value
    body = {**form_values(), "csrfmiddlewaretoken": token, "padding": "x" * 3_000_000}
    response = client.post(reverse("join:apply"), body)
    assert response.status_code == 400
    assert "没有保存任何内容" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_there_is_no_captcha_test_mode_and_its_magic_answer_is_refused(client, settings):
    from captcha.conf import settings as captcha_settings

    assert not hasattr(settings, "CAPTCHA_TEST_MODE")
    assert captcha_settings.CAPTCHA_TEST_MODE is False
    page = client.get(reverse("join:apply"))
    captcha = {**solved_captcha(page), "captcha_1": "passed"}
    assert client.post(reverse("join:apply"), {**form_values(), **captcha}).status_code == 200
    assert not JoinApplication.objects.exists()


def test_status_look_ups_have_a_limit_of_their_own_per_address(client, settings):
    settings.JOIN_LOOKUP_LIMIT = 2
    application = submitted()
    for _attempt in range(2):
        look_up(client, "RH2345678923", "0000")
    response = look_up(client, application.number, application.id_masked[-4:])
    assert response.status_code == 429
    assert application.union.name not in response.content.decode()


def test_the_login_page_links_to_the_join_form(client):
    assert reverse("join:apply") in client.get(reverse("login")).content.decode()


def test_a_search_shows_the_form_again_with_what_was_typed_and_no_error_yet(client):
    response = client.post(reverse("join:apply"), {"name": "卓玛", "employer_query": "建材", "action": "search"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="卓玛"' in page
    assert "is-invalid" not in page
    assert not JoinApplication.objects.exists()


def test_choosing_a_county_lists_its_township_unions(client):
    page = client.get(reverse("join:townships"), {"county": "540102"}).content.decode()
    assert "八廓街道工会联合会" in page
    assert "日喀则" not in page
    refreshed = client.post(reverse("join:apply"), {"county": "540102", "action": "county"}).content.decode()
    assert "八廓街道工会联合会" in refreshed


def test_the_portal_draws_the_captcha_picture_itself(client):
    from members.tests.captcha import captcha_key_of

    key = captcha_key_of(client.get(reverse("join:apply")).content)
    picture = client.get(reverse("captcha-image", kwargs={"key": key}))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"


def test_each_public_form_sends_once_on_a_double_click(client):
    for name in ("join:apply", "join:status"):
        assert "data-submit-once" in client.get(reverse(name)).content.decode()


def test_junk_choices_get_a_message_not_a_failure(client):
    junk = "99999999999999999999999999"
    response = send(client, employer=junk, township_union=junk, county="x" * 300, rural_household="maybe")
    assert response.status_code == 200
    assert "请从列出的选项中选择" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_the_county_choices_follow_a_renamed_county(db):
    from members.public_forms import county_choices

    assert ("540102", "城关区") in dict(county_choices()[1:])["拉萨市"]
    county = UnionOrg.objects.get(code="540102")
    county.division.name = "城关区（新）"
    county.division.save()
    county.save()  # a change to the tree marks the county federation

    assert ("540102", "城关区（新）") in dict(county_choices()[1:])["拉萨市"]


def test_junk_county_and_search_text_find_nothing_and_never_fail(db):
    from members.public_forms import employer_hits, township_unions

    assert list(township_unions("540102\x00")) == []
    assert list(township_unions("' OR 1=1")) == []
    assert employer_hits("雪域\x00") == []

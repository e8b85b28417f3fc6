import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from unions.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from unions.models import User

pytestmark = pytest.mark.django_db


def test_demo_data_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_loading_the_demo_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    assert User.objects.filter(is_active=True).count() == len(DEMO_ACCOUNTS)


@pytest.mark.parametrize(("username", "org_code", "role", "full_name", "purpose"), DEMO_ACCOUNTS)
def test_every_demo_account_logs_in_to_its_own_home_page(
    client, settings, username, org_code, role, full_name, purpose
):
    settings.DEBUG = True
    call_command("load_demo_data")
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert full_name in page
    assert str(role.label) in page
    user = User.objects.get(username=username)
    expected_unit = "西藏自治区总工会" if user.sees_everything else user.organisation.name
    assert f'<h1 class="h3 mb-0">{expected_unit}</h1>' in page


def test_the_demo_2015_members_campaign_has_baselines_frozen_reports_and_an_open_report_for_lhasa(settings):
    from campaigns.models import Campaign, MemberBaseline, MemberTarget, Submission
    from campaigns.services import is_past_due

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")

    campaign = Campaign.objects.get(name="农牧民工入会集中行动", year=2015)
    assert campaign.counts_members
    assert MemberBaseline.objects.filter(campaign=campaign).count() == campaign.participations.count()
    assert MemberTarget.objects.filter(campaign=campaign).exists()
    approved = Submission.objects.filter(deadline__stage__campaign=campaign, status="approved")
    assert {s.unit.code for s in approved} == {"540100", "540200"}
    assert all(s.snapshot["measure"] == "members" for s in approved)
    assert campaign.acceptances.get(unit__code="540200").is_locked
    last = campaign.stages.get(report_kind="progress").deadlines.order_by("due_on").last()
    assert not is_past_due(last, User.objects.get(username="lasa_staff").organisation)


def test_the_demo_has_online_join_applications_in_every_state_for_chengguan(settings, client):
    from members.models import JoinApplication

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")

    statuses = sorted(JoinApplication.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "rejected", "returned", "submitted", "submitted", "submitted", "transfer"]
    accepted = JoinApplication.objects.get(status="accepted")
    assert accepted.card_number == accepted.membership.card_number
    client.force_login(User.objects.get(username="chengguan_staff"))
    page = client.get(reverse("members:applications")).content.decode()
    assert page.count("RH") >= 3


def test_the_demo_has_a_received_and_a_waiting_transfer_certificate(settings):
    from members.models import TransferCertificate

    settings.DEBUG = True
    call_command("load_demo_data")

    assert sorted(TransferCertificate.objects.values_list("status", flat=True)) == ["issued", "received"]
    call_command("check_member_tallies")


def test_the_demo_push_phase_has_key_enterprises_at_several_grades_a_union_founded_and_letters(settings, tmp_path):
    from django.db.models import F

    from campaigns.models import CaseStatus, Letter, OrganisingCase
    from enterprises.models import Enterprise

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data")
    cases = OrganisingCase.objects.all()
    assert cases.count() >= 6
    assert set(cases.exclude(highest_grade=None).values_list("highest_grade", flat=True)) >= {1, 2, 3, 4}
    assert cases.filter(status=CaseStatus.UNIONISED).get().enterprise.has_union
    assert Letter.objects.filter(number__startswith="拉工函").exists()
    assert Letter.objects.filter(number__startswith="日工函").count() == 2
    assert (
        Enterprise.objects.filter(parent_group__isnull=False)
        .exclude(county__parent=F("parent_group__county__parent"))
        .exists()
    )
    assert Enterprise.objects.exclude(operator_post="").filter(operator_political_post=True).exists()


def test_a_staging_install_with_debug_off_loads_the_demo_only_when_told_and_is_warned(settings):
    settings.DEBUG = False
    warnings = io.StringIO()
    call_command("load_demo_data", "--staging", stdout=io.StringIO(), stderr=warnings)
    assert User.objects.filter(username__in=[account[0] for account in DEMO_ACCOUNTS], is_active=True).count() == len(
        DEMO_ACCOUNTS
    )
    assert "--staging" in warnings.getvalue()
    assert DEMO_PASSWORD in warnings.getvalue()


def test_with_debug_off_the_refusal_names_the_staging_option(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--staging"):
        call_command("load_demo_data")
    assert not User.objects.exists()

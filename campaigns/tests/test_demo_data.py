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

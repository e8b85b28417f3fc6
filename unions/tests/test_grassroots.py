import pytest
from django.db import IntegrityError
from django.urls import reverse

from unions.models import GrassrootsForm, UnionOrg
from unions.services import StaleEdit, UnionError, grassroots_union_create, grassroots_union_update

pytestmark = pytest.mark.django_db

BARKHOR = "540102002"  # 八廓街道, in 城关区
BARKHOR_COMMUNITY = "540102002001"  # 绕赛社区居委会, in 八廓街道


def new_union(user, parent_code=BARKHOR, **fields):
    values = {"name": "拉萨某商贸有限公司工会", "form": GrassrootsForm.ENTERPRISE}
    values.update(fields)
    return grassroots_union_create(user=user, parent=UnionOrg.objects.get(code=parent_code), **values)


def form_data(**changes):
    data = {
        "name": "八廓街道商户联合工会",
        "short_name": "",
        "form": "joint",
        "village_code": "",
        "leader": "次仁",
        "phone": "0891-6321234",
        "address": "拉萨市城关区八廓街1号",
        "founded_on": "2019年8月10日",
    }
    data.update(changes)
    return data


def test_county_staff_set_up_a_joint_union_under_a_street_union_in_the_browser(login, chengguan_staff):
    client = login(chengguan_staff)
    assert client.get(reverse("unions:grassroots_create", args=[BARKHOR])).status_code == 200
    response = client.post(reverse("unions:grassroots_create", args=[BARKHOR]), form_data())
    org = UnionOrg.objects.get(name="八廓街道商户联合工会")
    assert response.status_code == 302
    assert response["Location"] == reverse("unions:detail", args=[org.code])
    assert (org.kind, org.form, org.code, org.parent.code) == ("grassroots_union", "joint", "540102002.001", BARKHOR)
    assert org.division_id == "540102"
    assert org.founded_on.isoformat() == "2019-08-10"
    page = client.get(reverse("unions:detail", args=[org.code])).content.decode()
    assert "联合基层工会" in page
    assert "八廓街道工会联合会" in page  # the chain above


def test_each_new_grassroots_union_takes_the_next_serial_of_its_parent(chengguan_staff):
    assert new_union(chengguan_staff).code == "540102002.001"
    assert new_union(chengguan_staff, name="另一家工会").code == "540102002.002"
    assert new_union(chengguan_staff, parent_code="540102", name="县直工会").code == "540102.001"


def test_a_village_union_must_name_a_village_of_its_township(login, chengguan_staff):
    client = login(chengguan_staff)
    url = reverse("unions:grassroots_create", args=[BARKHOR])
    page = client.post(url, form_data(form="village")).content.decode()
    assert "村工会须填写所在村的统计用区划代码" in page
    page = client.post(url, form_data(form="village", village_code="540102003001")).content.decode()
    assert "不在" in page  # a community of 吉日街道, not of 八廓街道
    client.post(url, form_data(form="village", village_code=BARKHOR_COMMUNITY, name="绕赛社区工会"))
    assert UnionOrg.objects.get(name="绕赛社区工会").statistical_division_id == BARKHOR_COMMUNITY


def test_the_database_refuses_a_village_union_without_a_village_and_a_form_outside_the_grassroots():
    chengguan = UnionOrg.objects.get(code="540102")
    with pytest.raises(IntegrityError):
        UnionOrg.objects.create(
            code="X1",
            name="x",
            kind="grassroots_union",
            form="village",
            parent=chengguan,
            path="/540000/540100/540102/X1/",
            depth=3,
        )


def test_a_grassroots_union_cannot_hold_another(chengguan_staff, login):
    org = new_union(chengguan_staff)
    with pytest.raises(UnionError):
        new_union(chengguan_staff, parent_code=org.code)
    assert login(chengguan_staff).get(reverse("unions:grassroots_create", args=[org.code])).status_code == 404


def test_staff_edit_a_grassroots_union_and_an_old_copy_is_refused(login, chengguan_staff, lhasa_staff):
    org = new_union(chengguan_staff)
    url = reverse("unions:edit", args=[org.code])
    client = login(chengguan_staff)
    assert "拉萨某商贸有限公司工会" in client.get(url).content.decode()
    response = client.post(url, form_data(version=org.version, form="enterprise", name="新名称工会"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.leader) == ("新名称工会", "次仁")
    with pytest.raises(StaleEdit):
        grassroots_union_update(org, user=lhasa_staff, version=org.version - 1, name="过期的修改")
    page = client.post(url, form_data(version=org.version - 1, form="enterprise", name="过期")).content.decode()
    assert "其他人" in page
    assert UnionOrg.objects.get(pk=org.pk).name == "新名称工会"


@pytest.mark.parametrize("view", ["unions:detail", "unions:edit", "unions:grassroots_create"])
def test_another_units_grassroots_union_is_not_found_in_any_view(login, chengguan_staff, shigatse_staff, view):
    org = new_union(chengguan_staff, parent_code="540102")
    assert login(shigatse_staff).get(reverse(view, args=[org.code])).status_code == 404


def test_a_viewer_sees_grassroots_unions_but_may_not_set_one_up(login, chengguan_staff, lhasa_viewer):
    org = new_union(chengguan_staff)
    client = login(lhasa_viewer)
    assert client.get(reverse("unions:detail", args=[org.code])).status_code == 200
    assert client.get(reverse("unions:grassroots_create", args=[BARKHOR])).status_code == 403
    assert client.get(reverse("unions:edit", args=[org.code])).status_code == 403


def test_county_staff_may_not_set_up_a_union_above_their_county(chengguan_staff):
    with pytest.raises(UnionError):
        new_union(chengguan_staff, parent_code="540100")

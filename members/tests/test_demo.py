"""The demo rolls: plausible generated people, in the demo prefectures, no two alike, tallies right."""

from members.demo import create_members, demo_unions
from members.idnumbers import normalise_id
from members.models import Membership, Person


def test_generated_members_have_valid_unique_ids_in_the_demo_prefectures(db):
    assert create_members(400, demo_unions()) == 400
    people = list(Person.objects.all())
    assert len({person.id_index for person in people}) == 400
    for person in people[:50]:
        assert normalise_id(person.id_number) == person.id_number
        assert person.birth_date.isoformat().replace("-", "") == person.id_number[6:14]
    unions = {m.union.path for m in Membership.objects.select_related("union")}
    assert all(path.startswith(("/540000/540100/", "/540000/540200/")) for path in unions)
    assert Person.objects.filter(migrant_worker=True, rural_household=False).count() == 0

"""Test data for online join applications: one stored as the public form stores it."""

from django.utils import timezone

from members.models import ApplicationStatus, ApplicationTransition, JoinApplication
from members.tests.helpers import id_number


def make_application(union, *, serial=5, number="RHTEST00001", employer=None, **fields):
    """An application as the public form stores it (the form itself is tested with the public pages)."""
    application = JoinApplication(
        number=number,
        union=union,
        employer=employer,
        workplace="" if employer else "八廓街某茶馆",
        name=fields.pop("name", "卓玛"),
        ethnicity="04",
        rural_household=fields.pop("rural_household", True),
        household_place="日喀则市南木林县",
        consent_at=timezone.now(),
        consent_version="2026-1",
        touched_at=fields.pop("touched_at", timezone.now()),
    )
    application.set_id_number(fields.pop("id_number", id_number(serial=serial, sex_digit=2)))
    application.set_phone(fields.pop("phone", "13900001111"))
    application.save()
    ApplicationTransition.objects.create(application=application, to_status=ApplicationStatus.SUBMITTED)
    return application

"""The campaigns of fixtures/campaigns.json, loaded once each (a second run adds nothing)."""

import datetime
import json
from pathlib import Path

from django.conf import settings

from campaigns.models import Campaign, Measure
from campaigns.services import campaign_create, default_participants
from unions.models import UnionOrg

CAMPAIGNS = Path(settings.BASE_DIR) / "fixtures" / "campaigns.json"
DATE_FIELDS = ("starts_on", "ends_on", "due_on")


def _stage(fields):
    return {key: datetime.date.fromisoformat(value) if key in DATE_FIELDS else value for key, value in fields.items()}


def load_campaigns():
    created = []
    for spec in json.loads(CAMPAIGNS.read_text(encoding="utf-8")):
        if Campaign.objects.filter(name=spec["name"], year=spec["year"]).exists():
            continue
        participants = (
            default_participants()
            if spec["participants"] == "default"
            else UnionOrg.objects.filter(code__in=spec["participants"]).order_by("code")
        )
        created.append(
            campaign_create(
                name=spec["name"],
                year=spec["year"],
                plan_text=f"{spec['plan_text']}\n\n（依据：{spec['source']}）",
                default_threshold=spec["default_threshold"],
                measure=spec.get("measure", Measure.ENTERPRISES),
                stages=[_stage(stage) for stage in spec["stages"]],
                participants=participants,
            )
        )
    return created

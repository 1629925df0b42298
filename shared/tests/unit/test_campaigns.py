"""The campaigns of campaigns.json: the codes a record may carry, and the day a campaign began."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.reference_data.campaigns import CampaignCode, campaigns


def test_a_campaign_states_the_day_it_began_where_a_source_gives_it() -> None:
    known = campaigns()
    assert known["safety_turnaround_battle_2023"].started_on == date(2023, 2, 10)
    assert known["safety_turnaround_battle_2023"].name == "打好安全生产翻身仗"
    assert known["major_hazard_campaign_2023"].started_on is None


def test_a_campaign_code_of_a_request_must_be_known() -> None:
    code = TypeAdapter(CampaignCode)
    assert code.validate_python("medical_crowded_fire_check_2023") == "medical_crowded_fire_check_2023"
    with pytest.raises(ValidationError, match=r"not a campaign of campaigns\.json"):
        code.validate_python("no_such_campaign")

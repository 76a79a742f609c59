"""Experienced regret from the outcomes recorded in the original system's decision logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from redheart_regret.theory import experienced_regret

LOGS = Path("/work/shared/data/decision_logs")
pytestmark = pytest.mark.skipif(not LOGS.is_dir(), reason=f"{LOGS} is not available here")


@pytest.fixture(scope="module")
def logs():
    from redheart.decision_logs import load_decision_logs

    return {log.id: log for log in load_decision_logs(LOGS)}


@pytest.mark.parametrize("log_id, chosen, expected", [
    # homeless dilemma, outcomes (.7, .8, −.4, .6): chose give_money .7, best give_food .8
    ("401159e8-0964-4d5d-8b4c-80006103e381", "give_money", 0.1),
    # same scenario, chose give_food, the best realised outcome: no regret
    ("a6a7676d-ffda-4df7-b072-5437c92a6d79", "give_food", 0.0),
    # whistleblowing, outcomes (.6, .4, .1, .8): chose stay_silent .1, best collect_evidence .8
    ("c9d00a4a-e997-41ce-8809-f9723a2e0c8e", "stay_silent", 0.7),
])
def test_experienced_regret_hand_checked(logs, log_id, chosen, expected):
    matches = [log for key, log in logs.items() if key.startswith(log_id[:8])]
    assert len(matches) == 1
    log = matches[0]
    assert log.chosen == chosen
    assert experienced_regret(log.outcome_vector(), log.chosen_index) == pytest.approx(expected)


def test_every_log_has_a_valid_experienced_regret(logs):
    for log in logs.values():
        r = experienced_regret(log.outcome_vector(), log.chosen_index)
        assert 0.0 <= r <= 2.0

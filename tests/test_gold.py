"""Header metadata against the hand-checked gold set (../shared/gold-dev/gold-dev.json).

The floors are those of issue 3. The gold set lives outside the repository: the test is
skipped when it is absent, unless the environment variable CI is set, then it fails.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold-dev" / "gold-dev.json"
FLOORS = {
    "date": 0.95,
    "type": 0.95,
    "sender": 0.90,
    "addressee": 0.90,
    "participants": 0.90,
    "fond/delo": 0.95,
    "classification": 0.90,
}


def _scorer():
    spec = importlib.util.spec_from_file_location("gold_score", ROOT / "bench" / "gold_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict:
    if not GOLD.exists():
        if os.environ.get("CI"):
            pytest.fail(f"gold set {str(GOLD)!r} is missing and CI is set")
        pytest.skip(f"gold set {str(GOLD)!r} not present")
    return _scorer().score(GOLD, ROOT / "corpus")


@pytest.mark.parametrize("field", list(FLOORS))
def test_field_meets_floor(result, field):
    right, counted = result["fields"][field]
    assert counted > 0
    assert right / counted >= FLOORS[field], f"{field}: {right}/{counted} below {FLOORS[field]:.0%}"


def test_every_gold_document_is_found(result):
    assert len(result["documents"]) == 20

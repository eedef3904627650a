"""Derived progress: linear, clamped, direction-agnostic, weighted; latest check-in wins; no data is not 0%."""

from __future__ import annotations

from datetime import date

import pytest
from mkdocs_northstar.model import DEFAULT_BANDS, CheckIn, KeyResult, Objective
from mkdocs_northstar.progress import (
    Pace,
    Rollup,
    band,
    confidence,
    current_value,
    expected_share,
    kr_achieved,
    kr_progress,
    kr_score,
    objective_rollup,
)


def kr(baseline: float, target: float, **extra: object) -> KeyResult:
    return KeyResult.model_validate(
        {"id": "k", "title": "K", "owner": "p", "baseline": baseline, "target": target, **extra}
    )


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (0, 40, 10, 0.25),
        (0, 40, 60, 1.0),  # overshoot clamps
        (0, 40, -5, 0.0),  # below baseline clamps
        (11, 5, 8, 0.5),  # decreasing target: claims days 11 -> 5
        (11, 5, 12, 0.0),
        (11, 5, 4, 1.0),
    ],
)
def test_linear_clamped(baseline: float, target: float, current: float, expected: float) -> None:
    assert kr_progress(kr(baseline, target, current=current)) == pytest.approx(expected)


def test_no_value_is_no_data_not_zero() -> None:
    assert kr_progress(kr(0, 10)) is None
    assert kr_achieved(kr(0, 10)) is None


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [(0, 40, 42, 1.05), (0, 40, -8, -0.2), (11, 5, 4, 7 / 6), (0, 1e-300, 1, 1e6)],
)
def test_achieved_is_as_measured(baseline: float, target: float, current: float, expected: float) -> None:
    """Over-achievement shows as measured (105%), a wrong-way value below 0; never infinite."""
    assert kr_achieved(kr(baseline, target, current=current)) == pytest.approx(expected)


def test_latest_check_in_wins_regardless_of_order() -> None:
    result = kr(
        0,
        10,
        confidence=0.9,
        check_ins=[
            {"date": "2026-11-01", "value": 7, "confidence": 0.4},
            {"date": "2026-10-01", "value": 2},
        ],
    )
    assert current_value(result) == 7
    assert confidence(result) == 0.4
    assert result.check_ins[0].date == date(2026, 11, 1)


def test_confidence_falls_back_to_key_result() -> None:
    result = kr(0, 10, confidence=0.9, check_ins=[CheckIn(date=date(2026, 11, 1), value=3)])
    assert confidence(result) == 0.9


def test_objective_is_weighted_mean() -> None:
    objective = Objective.model_validate(
        {
            "id": "o",
            "title": "O",
            "key_results": [
                {"id": "a", "title": "A", "owner": "p", "baseline": 0, "target": 10, "current": 10, "weight": 3},
                {"id": "b", "title": "B", "owner": "p", "baseline": 0, "target": 10, "current": 0},
            ],
        }
    )
    assert objective_rollup(objective) == Rollup(pytest.approx(0.75), 2, 2, pytest.approx(0.75))  # type: ignore[arg-type]
    assert objective_rollup(Objective(id="e", title="E")) == Rollup(None, 0, 0, None)


def test_a_half_reported_objective_counts_what_is_reported() -> None:
    """The unreported half does not drag it down: 2 of 4 reported at 60% and 80% is 70%."""
    krs = [
        {"id": "a", "title": "A", "owner": "p", "baseline": 0, "target": 10, "current": 6},
        {"id": "b", "title": "B", "owner": "p", "baseline": 0, "target": 10, "current": 8},
        {"id": "c", "title": "C", "owner": "p", "baseline": 0, "target": 10},
        {"id": "d", "title": "D", "owner": "p", "baseline": 0, "target": 10},
    ]
    half = Objective.model_validate({"id": "o", "title": "O", "key_results": krs})
    none = Objective.model_validate({"id": "n", "title": "N", "key_results": krs[2:], "weight": 5})
    assert objective_rollup(half) == Rollup(pytest.approx(0.7), 2, 4, pytest.approx(0.7))  # type: ignore[arg-type]
    assert objective_rollup(none) == Rollup(None, 0, 2, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "off-track"),
        (0.39, "off-track"),
        (0.4, "at-risk"),
        (0.69, "at-risk"),
        (0.7, "on-track"),
        (1.0, "on-track"),
    ],
)
def test_bands(value: float, expected: str) -> None:
    assert band(value, DEFAULT_BANDS).id == expected


Q4 = (date(2026, 10, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 9, 30), None),  # before the quarter: not started
        (date(2026, 10, 1), 0.0),  # the first week: nothing expected yet
        (date(2026, 10, 7), 0.0),
        (date(2026, 11, 11), 35 / 85),  # week 6 of 13
        (date(2026, 12, 31), 1.0),
        (date(2027, 2, 1), 1.0),
    ],
)
def test_expected_share_is_linear_after_a_week(as_of: date, expected: float | None) -> None:
    assert expected_share(*Q4, as_of) == (None if expected is None else pytest.approx(expected))
    assert expected_share(*Q4, as_of, pace="end") == (None if expected is None else 1.0)


def test_on_pace_at_week_six_is_on_track() -> None:
    """37% at week 6 of 13 is on pace (41% expected): on track, not the 37% of a full target."""
    pace = Pace(expected_share(*Q4, date(2026, 11, 11)))
    bands = list(DEFAULT_BANDS)
    assert band(pace.score(0.37) or 0, bands).id == "on-track"
    assert band(Pace().score(0.37) or 0, bands).id == "off-track"  # judged against the whole target
    assert band(pace.score(0.37, confidence=0.6) or 0, bands).id == "on-track"  # the owner is fairly sure
    assert band(pace.score(0.37, confidence=0.3) or 0, bands).id == "at-risk"  # the owner doubts it
    assert band(pace.score(0.0) or 0, bands).id == "off-track"
    assert Pace(None).score(0.5) is None  # the quarter has not begun


def test_early_on_the_owner_s_confidence_counts_most() -> None:
    early = Pace(expected_share(*Q4, date(2026, 10, 10)))
    assert early.score(0.0, confidence=0.8) == pytest.approx(0.8 * (1 - early.expected) if early.expected else 0.8)
    assert Pace(1.0).score(0.55, confidence=0.9) == pytest.approx(0.55)  # at the end, the numbers alone


def test_an_aspirational_key_result_at_seventy_percent_is_a_success() -> None:
    at_end = Pace(1.0)
    assert at_end.score(0.7, aspirational=True) == 1.0
    assert at_end.score(0.7) == pytest.approx(0.7)


def _kr(**fields: object) -> KeyResult:
    return KeyResult.model_validate({"id": "k", "title": "K", "owner": "p", **fields})


def test_a_milestone_is_done_or_not_by_its_due_date() -> None:
    due = date(2026, 12, 11)
    pace = Pace(0.5, as_of=date(2026, 11, 24))
    late = Pace(1.0, as_of=date(2026, 12, 20))
    open_ = _kr(kind="milestone", due=due)
    assert kr_progress(open_, pace.as_of) is None  # not due yet: nothing to report, not 0%
    assert kr_progress(open_, late.as_of) == 0.0 and kr_score(open_, late) == 0.0  # past due, not done
    done = _kr(kind="milestone", due=due, done=date(2026, 12, 15))
    assert kr_progress(done, pace.as_of) == 1.0 and kr_score(done, late) == 1.0  # done, if late


def test_a_level_to_hold_scores_the_readings_that_held_it() -> None:
    uptime = _kr(
        kind="hold",
        target=99.5,
        check_ins=[
            {"date": f"2026-10-{d:02d}", "value": v} for d, v in [(7, 99.9), (14, 99.2), (21, 99.6), (28, 99.5)]
        ],
    )
    assert kr_achieved(uptime) == 0.75
    assert kr_score(uptime, Pace(0.3)) == 0.75
    below = _kr(kind="hold", target=2, direction="down", current=1.5)
    assert kr_achieved(below) == 1.0
    assert kr_achieved(_kr(kind="hold", target=2)) is None  # no reading yet


def test_a_grade_closes_any_kind() -> None:
    graded = _kr(baseline=0, target=10, current=2, grade="70%")
    assert graded.grade == pytest.approx(0.7)
    assert kr_achieved(graded) == pytest.approx(0.7)
    assert kr_score(graded, Pace(0.2, as_of=date(2026, 10, 20))) == pytest.approx(0.7)  # final, not paced
    assert kr_achieved(_kr(kind="milestone", grade=1)) == 1


def test_each_kind_asks_for_what_it_needs() -> None:
    with pytest.raises(ValueError, match="missing required key 'baseline'"):
        _kr(target=10)
    with pytest.raises(ValueError, match="missing required key 'target'"):
        _kr(kind="hold")
    assert _kr(kind="milestone").baseline is None


def test_a_note_without_a_new_number_is_a_check_in_that_keeps_the_value() -> None:
    kr_ = _kr(
        baseline=0,
        target=10,
        check_ins=[
            {"date": "2026-11-05", "value": 4},
            {"date": "2026-11-19", "note": "Supplier delay; no new deliveries this fortnight.", "confidence": 0.5},
        ],
    )
    assert current_value(kr_) == 4
    assert confidence(kr_) == 0.5
    assert kr_.check_ins[-1].value is None
    with pytest.raises(ValueError, match="a check-in gives a value, or a note"):
        _kr(baseline=0, target=10, check_ins=[{"date": "2026-11-19"}])

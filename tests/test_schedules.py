"""The learning-rate schedules."""

import math
import re

import numpy as np
import pytest

from skgd.schedules import (
    Adaptive,
    Constant,
    FromCallable,
    InvScaling,
    make_schedule,
)


@pytest.mark.parametrize("t", [0, 1, 10, 10_000])
def test_constant(t):
    assert make_schedule("constant", 0.3)(t) == 0.3


def test_constant_stops_on_stall():
    schedule = Constant(0.3)
    assert schedule.on_stall() is False
    assert schedule(0) == 0.3


@pytest.mark.parametrize(
    "t, power_t, expected",
    [
        (0, 0.5, 0.2),  # 0.2 / 1 ** 0.5
        (3, 0.5, 0.1),  # 0.2 / 4 ** 0.5
        (8, 0.5, 0.2 / 3),  # 0.2 / 9 ** 0.5
        (99, 0.5, 0.02),  # 0.2 / 100 ** 0.5
        (4, 1.0, 0.04),  # 0.2 / 5
        (7, 0.25, 0.2 / 8**0.25),
        (5, 0.0, 0.2),
    ],
)
def test_invscaling_formula(t, power_t, expected):
    schedule = make_schedule("invscaling", 0.2, power_t=power_t)
    assert isinstance(schedule, InvScaling)
    assert schedule(t) == pytest.approx(expected, rel=1e-12)


def test_invscaling_default_power_is_one_half():
    assert make_schedule("invscaling", 1.0)(t=15) == pytest.approx(0.25)


def test_adaptive_divides_by_five_per_stall():
    schedule = make_schedule("adaptive", 0.1)
    assert isinstance(schedule, Adaptive)
    assert schedule(0) == 0.1

    for stall in range(1, 8):
        assert schedule.on_stall() is True
        # The rate does not depend on the step count between stalls.
        for t in (0, 50, 1000):
            assert schedule(t) == pytest.approx(0.1 / 5**stall, rel=1e-12)

    # 0.1 / 5**7 = 1.28e-6 is still above 1e-6; 0.1 / 5**8 = 2.56e-7 is not.
    assert schedule.on_stall() is False
    assert schedule(0) == pytest.approx(2.56e-7, rel=1e-12)


def test_adaptive_stop_threshold_is_one_millionth():
    assert Adaptive.smallest == 1e-6
    # 5e-6 / 5 = 1e-6 exactly: not below the threshold, so training goes on.
    schedule = Adaptive(5e-6)
    assert schedule.on_stall() is True
    assert Adaptive(4.9e-6).on_stall() is False


@pytest.mark.parametrize("t", [0, 1, 5])
def test_callable_multiplies_learning_rate(t):
    schedule = make_schedule(lambda step: 0.5**step, 0.4)
    assert isinstance(schedule, FromCallable)
    assert schedule(t) == pytest.approx(0.4 * 0.5**t, rel=1e-12)


def test_callable_sees_the_step_count():
    seen = []

    def factor(t):
        seen.append(t)
        return 1.0

    schedule = make_schedule(factor, 0.1)
    for t in (0, 1, 7):
        schedule(t)
    assert seen == [0, 1, 7]


def test_callable_may_return_numpy_scalars():
    schedule = make_schedule(lambda t: np.float32(0.5), 0.2)
    assert schedule(3) == pytest.approx(0.1)
    assert type(schedule(3)) is float


@pytest.mark.parametrize(
    "returned, shown",
    [
        (0.0, "0.0"),
        (-1.0, "-1.0"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (None, "None"),
        ("fast", "'fast'"),
    ],
)
def test_callable_rejects_bad_factors(returned, shown):
    schedule = make_schedule(lambda t: returned, 0.1)
    message = rf"schedule callable returned {re.escape(shown)} at step 4; .* positive"
    with pytest.raises(ValueError, match=message):
        schedule(4)


def test_callable_rejects_overflowing_learning_rate():
    schedule = make_schedule(lambda t: 1e308, 10.0)
    with pytest.raises(ValueError, match="must be a positive finite number"):
        schedule(0)


@pytest.mark.parametrize("name", ["optimal", "Constant", "", None, 0.1])
def test_make_schedule_rejects_unknown_names(name):
    with pytest.raises(ValueError, match=r"schedule must be 'constant', .* got "):
        make_schedule(name, 0.1)

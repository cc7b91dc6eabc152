"""The schedule factors against their formulas, alone and inside estimators."""

import itertools
import math

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skgd import AdamRegressor, SGDRegressor
from skgd.schedules import (
    Cosine,
    Exponential,
    Plateau,
    StepDecay,
    Warmup,
    make_schedule,
)


def rates(schedule, steps):
    return [schedule(t) for t in range(steps)]


def test_cosine_anneals_once_over_training():
    schedule = make_schedule(Cosine(), 0.5, steps_per_epoch=4, max_iter=3)

    expected = [0.5 * 0.5 * (1 + math.cos(math.pi * t / 12)) for t in range(12)]
    np.testing.assert_allclose(rates(schedule, 12), expected, rtol=1e-15)


def test_cosine_restarts_every_period_and_keeps_its_floor():
    schedule = make_schedule(
        Cosine(period=2, min_factor=0.1), 1.0, steps_per_epoch=3, max_iter=6
    )

    one_period = [0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t / 6)) for t in range(6)]
    np.testing.assert_allclose(rates(schedule, 18), one_period * 3, rtol=1e-15)


def test_step_decay_falls_every_step_size_epochs():
    schedule = make_schedule(
        StepDecay(step_size=2, gamma=0.5), 0.8, steps_per_epoch=3, max_iter=6
    )

    assert rates(schedule, 13) == [0.8] * 6 + [0.4] * 6 + [0.2]


def test_exponential_decays_smoothly_by_gamma_per_epoch():
    schedule = make_schedule(Exponential(gamma=0.9), 0.1, steps_per_epoch=4)

    np.testing.assert_allclose(
        rates(schedule, 9), [0.1 * 0.9 ** (t / 4) for t in range(9)], rtol=1e-15
    )


def test_warmup_rises_linearly_then_follows_its_schedule():
    warmup = Warmup(StepDecay(step_size=1, gamma=0.5), steps=4)
    schedule = make_schedule(warmup, 1.0, steps_per_epoch=2, max_iter=5)

    # Epochs of 2 steps halve the rate; the first 4 steps ramp it up.
    assert rates(schedule, 6) == [0.25, 0.5, 0.375, 0.5, 0.25, 0.25]


def test_named_factors_take_their_defaults():
    for name, factor in [("cosine", Cosine()), ("step", StepDecay())]:
        named = make_schedule(name, 0.1, steps_per_epoch=5, max_iter=40)
        explicit = make_schedule(factor, 0.1, steps_per_epoch=5, max_iter=40)
        assert rates(named, 200) == rates(explicit, 200)


def test_plateau_lowers_the_rate_at_each_stall_and_then_stops():
    schedule = make_schedule(Plateau(factor=0.5, min_factor=0.2), 0.4)

    assert schedule(0) == 0.4
    assert schedule.on_stall() and schedule(7) == 0.2
    assert schedule.on_stall() and schedule(8) == 0.1
    assert not schedule.on_stall()


def test_schedule_factors_are_cloned_not_shared():
    plateau = Plateau()
    schedule = make_schedule(plateau, 1.0)

    schedule.on_stall()

    assert not hasattr(plateau, "current_")
    assert make_schedule(plateau, 1.0)(0) == 1.0


@pytest.mark.parametrize(
    "factor, message",
    [
        (Cosine(period=0), "'period' parameter of Cosine"),
        (StepDecay(gamma=1.5), "'gamma' parameter of StepDecay"),
        (Warmup("invscaling"), "'schedule' parameter of Warmup"),
        (Plateau(factor=1.0), "'factor' parameter of Plateau"),
    ],
)
def test_bad_factor_settings_are_named(factor, message):
    with pytest.raises(ValueError, match=message):
        make_schedule(factor, 0.1)


RNG = np.random.default_rng(0)
X = RNG.normal(size=(200, 3))
Y = X @ np.array([1.0, 2.0, -1.0]) + 0.01 * RNG.normal(size=200)


def test_estimators_follow_a_schedule_object(capsys):
    regressor = SGDRegressor(
        schedule=Warmup(Cosine(), steps=10),
        learning_rate=0.1,
        batch_size=20,
        max_iter=4,
        tol=None,
        verbose=True,
    ).fit(X, Y)

    printed = [
        float(line.split("learning rate ")[1].split(",")[0])
        for line in capsys.readouterr().out.splitlines()
    ]
    # The rate printed after epoch k is the one of step 10 k.
    expected = [0.1 * 0.5 * (1 + math.cos(math.pi * 10 * k / 40)) for k in (1, 2, 3)]
    np.testing.assert_allclose(printed[:3], expected, rtol=1e-2)
    assert regressor.score(X, Y) > 0.9


def test_schedule_settings_are_grid_searchable():
    regressor = AdamRegressor(schedule=StepDecay(), max_iter=6, tol=None)
    grid = {"schedule__gamma": [0.1, 0.9], "schedule__step_size": [1, 3]}

    search = GridSearchCV(regressor, grid, cv=2).fit(X, Y)

    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.schedule.step_size in (1, 3)
    assert clone(regressor).get_params()["schedule__gamma"] == 0.1


def test_plateau_on_the_validation_score_lowers_the_rate(capsys):
    AdamRegressor(
        schedule=Plateau(factor=0.5, min_factor=1e-3),
        early_stopping=True,
        n_iter_no_change=2,
        tol=0.5,
        verbose=True,
        random_state=0,
    ).fit(X, Y)

    printed = [
        float(line.split("learning rate ")[1].split(",")[0])
        for line in capsys.readouterr().out.splitlines()
    ]
    # The printed rates have 3 significant digits.
    halvings = [math.log2(0.01 / rate) for rate in printed]
    assert halvings[0] == 0.0
    assert all(abs(h - round(h)) < 0.01 for h in halvings)
    assert all(0 <= later - h < 1.01 for h, later in itertools.pairwise(halvings))
    assert halvings[-1] > 3

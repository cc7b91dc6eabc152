"""Penalties, clipping and averaging against closed forms and references."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression

from skgd import GDRegressor, SGDRegressor
from skgd._engine import Trainer
from skgd.losses import SquaredError
from skgd.models import Linear
from skgd.optim import SGD

RNG = np.random.default_rng(0)
X = RNG.normal(size=(200, 6))
X = (X - X.mean(axis=0)) / X.std(axis=0)
COEF = np.array([3.0, -2.0, 0.0, 0.0, 1.0, 0.0])
Y = X @ COEF + 0.5 * RNG.normal(size=200)
Y = Y - Y.mean()

# Full-batch proximal gradient descent with a small enough step converges to
# the minimiser of the same objective that scikit-learn's solvers minimise.
FULL_BATCH = {
    "learning_rate": 0.1,
    "momentum": 0.0,
    "batch_size": 200,
    "max_iter": 2000,
    "tol": None,
    "shuffle": False,
}


def test_l1_penalty_gives_the_lasso_solution_with_exact_zeros():
    lasso = Lasso(alpha=0.3, tol=1e-14, max_iter=100_000).fit(X, Y)

    regressor = SGDRegressor(alpha=0.3, l1_ratio=1.0, **FULL_BATCH).fit(X, Y)

    np.testing.assert_allclose(regressor.coef_, lasso.coef_, atol=1e-10)
    assert (lasso.coef_ == 0).sum() >= 3
    np.testing.assert_array_equal(regressor.coef_ == 0.0, lasso.coef_ == 0.0)


def test_elastic_net_penalty_gives_the_elastic_net_solution():
    reference = ElasticNet(alpha=0.5, l1_ratio=0.4, tol=1e-14, max_iter=100_000)
    reference.fit(X, Y)

    regressor = SGDRegressor(alpha=0.5, l1_ratio=0.4, **FULL_BATCH).fit(X, Y)

    np.testing.assert_allclose(regressor.coef_, reference.coef_, atol=1e-10)
    np.testing.assert_array_equal(regressor.coef_ == 0.0, reference.coef_ == 0.0)


def test_l1_gives_exact_zeros_with_shuffled_minibatches():
    lasso = Lasso(alpha=0.3).fit(X, Y)

    regressor = GDRegressor(
        optimizer="sgd", alpha=0.3, l1_ratio=1.0, batch_size=20, random_state=0
    ).fit(X, Y)

    np.testing.assert_array_equal(regressor.coef_[[2, 3, 5]], 0.0)
    np.testing.assert_allclose(regressor.coef_, lasso.coef_, atol=0.02)


def one_step(clip_norm=None, clip_value=None):
    """One SGD step from zero on a batch whose gradient is known."""
    trainer = Trainer(
        Linear(fit_intercept=False),
        SquaredError(),
        SGD(),
        clip_norm=clip_norm,
        clip_value=clip_value,
    )
    params = {"coef": np.zeros((6, 1))}
    state = trainer.init_state(params)
    trainer.step(params, state, X, Y[:, np.newaxis], None, learning_rate=1.0)
    return params["coef"].ravel()


def test_clipping_by_value_and_by_global_norm():
    gradient = -X.T @ Y / 200  # of 0.5 * mean squared error, at zero

    np.testing.assert_allclose(one_step(), -gradient, rtol=1e-12)
    np.testing.assert_allclose(
        one_step(clip_value=0.5), -np.clip(gradient, -0.5, 0.5), rtol=1e-12
    )
    norm = np.linalg.norm(gradient)
    np.testing.assert_allclose(one_step(clip_norm=norm / 4), -gradient / 4, rtol=1e-12)
    np.testing.assert_allclose(one_step(clip_norm=2 * norm), -gradient, rtol=1e-12)


@pytest.mark.parametrize("start", [0, 5])
def test_averaging_keeps_the_mean_of_the_iterates(start):
    trainer = Trainer(Linear(), SquaredError(), SGD(), average_start=start)
    params = Linear().init_params(6, 1, np.random.default_rng(0), np.float64)
    state = trainer.init_state(params)

    iterates = []
    for step in range(12):
        rows = slice(10 * step, 10 * step + 10)
        trainer.step(params, state, X[rows], Y[rows, np.newaxis], None, 0.05)
        iterates.append(params["coef"].copy())

    average = state["average"]
    assert average["count"] == 12 - start
    np.testing.assert_allclose(
        average["params"]["coef"], np.mean(iterates[start:], axis=0), rtol=1e-12
    )


def test_averaging_gets_closer_to_the_optimum_at_a_constant_learning_rate():
    optimum = LinearRegression().fit(X, Y).coef_
    settings = {"learning_rate": 0.05, "batch_size": 5, "max_iter": 5, "tol": None}

    plain = SGDRegressor(random_state=0, **settings).fit(X, Y)
    averaged = SGDRegressor(average=10, random_state=0, **settings).fit(X, Y)

    plain_error = np.linalg.norm(plain.coef_ - optimum)
    averaged_error = np.linalg.norm(averaged.coef_ - optimum)
    assert averaged_error < plain_error / 2
    np.testing.assert_allclose(
        averaged.predict(X), X @ averaged.coef_ + averaged.intercept_
    )
    assert not np.allclose(averaged.coef_, averaged.params_["coef"].ravel())


@pytest.mark.parametrize(
    "setting, value", [("l1_ratio", 1.5), ("clip_norm", 0.0), ("average", -1)]
)
def test_bad_settings_are_named(setting, value):
    with pytest.raises(ValueError, match=f"'{setting}' parameter of SGDRegressor"):
        SGDRegressor(**{setting: value}).fit(X, Y)

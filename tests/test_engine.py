"""The training loop: objective, one step, one epoch."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from threadpoolctl import threadpool_info

from skgd._batching import minibatches
from skgd._engine import ONE_THREAD_WORK, DivergenceError, Trainer, _blas_threads
from skgd.losses import LogLoss, SquaredError
from skgd.models import MLP, Linear
from skgd.optim import SGD, Adam

N_SAMPLES, N_FEATURES, N_OUTPUTS = 10, 3, 2


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_SAMPLES, N_FEATURES))
    Y = rng.normal(size=(N_SAMPLES, N_OUTPUTS))
    sample_weight = rng.uniform(0.2, 3.0, N_SAMPLES)
    return X, Y, sample_weight


def make_params(model, seed=1):
    rng = np.random.default_rng(seed)
    params = model.init_params(N_FEATURES, N_OUTPUTS, rng, np.float64)
    # Random values everywhere, also where the linear model starts at zero.
    return {name: rng.normal(size=value.shape) for name, value in params.items()}


def copy_params(params):
    return {name: value.copy() for name, value in params.items()}


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize(
    "model", [Linear(), MLP(hidden_layer_sizes=(4,), activation="tanh")]
)
def test_objective_adds_penalty_on_weight_matrices_only(model, weighted):
    X, Y, sample_weight = make_data()
    weights = sample_weight if weighted else None
    params = make_params(model)
    alpha = 0.3

    plain_value, plain_grads = Trainer(model, SquaredError(), SGD()).objective(
        params, X, Y, weights
    )
    value, grads = Trainer(model, SquaredError(), SGD(), alpha=alpha).objective(
        params, X, Y, weights
    )

    coefs = [name for name in params if name.startswith("coef")]
    penalty = sum(0.5 * alpha * np.sum(params[name] ** 2) for name in coefs)
    assert value == pytest.approx(plain_value + penalty, rel=1e-12)
    for name in params:
        expected = plain_grads[name] + (alpha * params[name] if name in coefs else 0.0)
        assert_allclose(grads[name], expected, rtol=1e-12, atol=1e-14)


class InterceptPenalized(Linear):
    """A linear model that penalises its intercept instead of its coef."""

    def penalized(self, params):
        return ["intercept"]


def test_objective_penalises_what_the_model_names():
    X, Y, _ = make_data()
    model = InterceptPenalized()
    params = make_params(model)

    plain_value, _ = Trainer(model, SquaredError(), SGD()).objective(params, X, Y)
    value, _ = Trainer(model, SquaredError(), SGD(), alpha=2.0).objective(params, X, Y)

    # alpha / 2 * ||intercept||^2 with alpha = 2.
    expected = plain_value + np.sum(params["intercept"] ** 2)
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "model, loss",
    [
        (Linear(), SquaredError()),
        (MLP(hidden_layer_sizes=(4, 3), activation="tanh"), SquaredError()),
        (MLP(hidden_layer_sizes=(5,), activation="logistic"), LogLoss()),
    ],
    ids=["linear", "mlp-tanh", "mlp-logistic-logloss"],
)
def test_objective_gradient_matches_finite_differences(model, loss):
    X, Y, sample_weight = make_data()
    if isinstance(loss, LogLoss):
        Y = np.eye(N_OUTPUTS)[np.arange(N_SAMPLES) % N_OUTPUTS]
    trainer = Trainer(model, loss, SGD(), alpha=0.7)
    params = make_params(model)

    _, grads = trainer.objective(params, X, Y, sample_weight)

    step = 1e-6
    for name, value in params.items():
        for index in np.ndindex(value.shape):
            shifted = copy_params(params)
            shifted[name][index] += step
            above, _ = trainer.objective(shifted, X, Y, sample_weight)
            shifted[name][index] -= 2 * step
            below, _ = trainer.objective(shifted, X, Y, sample_weight)
            expected = (above - below) / (2 * step)
            assert grads[name][index] == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_step_takes_an_sgd_step_and_returns_the_objective_before_it():
    X, Y, sample_weight = make_data()
    model = Linear()
    trainer = Trainer(model, SquaredError(), SGD(), alpha=0.1)
    params = make_params(model)
    before_value, grads = trainer.objective(params, X, Y, sample_weight)
    expected = {name: params[name] - 0.05 * grads[name] for name in params}
    state = trainer.init_state(params)

    returned = trainer.step(params, state, X, Y, sample_weight, 0.05)

    assert returned == before_value
    assert state["step"] == 1
    for name in params:
        assert_allclose(params[name], expected[name], rtol=1e-12)


@pytest.mark.parametrize(
    "optimizer", [SGD(momentum=0.9), Adam()], ids=["momentum", "adam"]
)
@pytest.mark.parametrize("cause", ["nan-target", "overflow"])
def test_step_raises_on_non_finite_loss_and_keeps_params(optimizer, cause):
    X, Y, sample_weight = make_data()
    model = Linear()
    trainer = Trainer(model, SquaredError(), optimizer)
    params = make_params(model)
    state = trainer.init_state(params)
    trainer.step(params, state, X, Y, sample_weight, 0.01)  # one good step first

    if cause == "nan-target":
        Y = Y.copy()
        Y[3, 1] = np.nan
    else:
        X = X.copy()
        X[3] = 1e300
    params_before = copy_params(params)
    statistics_before = {
        key: copy_params(value) for key, value in state.items() if key != "step"
    }

    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(
            DivergenceError, match=r"the loss became (nan|inf) at step 2"
        ):
            trainer.step(params, state, X, Y, sample_weight, 0.01)

    assert state["step"] == 1
    for name in params:
        assert_array_equal(params[name], params_before[name])
    for key, arrays in statistics_before.items():
        for name in arrays:
            assert_array_equal(state[key][name], arrays[name])


def test_divergence_error_is_a_floating_point_error():
    assert issubclass(DivergenceError, FloatingPointError)


def test_epoch_without_steps_equals_full_objective():
    # With a zero learning rate the parameters stay put, so the weighted mean
    # of the batch objectives is the objective over all the data: each batch
    # mean is weighted by the batch's total weight.
    X, Y, sample_weight = make_data()
    model = MLP(hidden_layer_sizes=(4,), activation="tanh")
    trainer = Trainer(model, SquaredError(), SGD(), alpha=0.2)
    params = make_params(model)
    full_value, _ = trainer.objective(params, X, Y, sample_weight)
    state = trainer.init_state(params)

    mean = trainer.epoch(
        params, state, lambda t: 0.0, X, Y, sample_weight, 4, np.random.default_rng(0)
    )

    assert mean == pytest.approx(full_value, rel=1e-12)
    assert state["step"] == 3  # batches of 4, 4 and 2

    # An unweighted mean of the three batch objectives would differ.
    batch_values = [
        trainer.objective(params, X_batch, Y_batch, weights)[0]
        for X_batch, Y_batch, weights in minibatches(
            X, Y, sample_weight, 4, np.random.default_rng(0)
        )
    ]
    assert abs(np.mean(batch_values) - full_value) > 1e-3


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_epoch_returns_weighted_mean_of_batch_objectives(weighted):
    X, Y, sample_weight = make_data()
    weights = sample_weight if weighted else None
    model = Linear()
    trainer = Trainer(model, SquaredError(), SGD(), alpha=0.1)
    params = make_params(model)

    def schedule(t):
        return 0.1 / (t + 1)

    # The same epoch by hand: plain gradient steps along the same batches.
    reference = copy_params(params)
    values, batch_weights = [], []
    batches = minibatches(X, Y, weights, 4, np.random.default_rng(5))
    for t, (X_batch, Y_batch, weight_batch) in enumerate(batches):
        value, grads = trainer.objective(reference, X_batch, Y_batch, weight_batch)
        for name in reference:
            reference[name] = reference[name] - schedule(t) * grads[name]
        values.append(value)
        batch_weights.append(
            X_batch.shape[0] if weight_batch is None else weight_batch.sum()
        )
    expected = np.dot(values, batch_weights) / np.sum(batch_weights)

    state = trainer.init_state(params)
    mean = trainer.epoch(
        params, state, schedule, X, Y, weights, 4, np.random.default_rng(5)
    )

    assert mean == pytest.approx(expected, rel=1e-12)
    assert state["step"] == 3
    for name in params:
        assert_allclose(params[name], reference[name], rtol=1e-12)


def test_epoch_asks_the_schedule_at_each_step_count():
    X, Y, _ = make_data()
    model = Linear()
    trainer = Trainer(model, SquaredError(), SGD())
    params = make_params(model)
    state = trainer.init_state(params)
    asked = []

    def schedule(t):
        asked.append(t)
        return 0.01

    for _ in range(2):
        trainer.epoch(params, state, schedule, X, Y, None, 3, None)

    assert asked == [0, 1, 2, 3, 4, 5, 6, 7]  # four batches per epoch
    assert state["step"] == 8


def test_epoch_of_zero_weights_is_zero_and_takes_no_real_step():
    X, Y, _ = make_data()
    model = Linear()
    trainer = Trainer(model, SquaredError(), SGD())
    params = make_params(model)
    params_before = copy_params(params)
    state = trainer.init_state(params)

    mean = trainer.epoch(
        params, state, lambda t: 0.1, X, Y, np.zeros(N_SAMPLES), 4, None
    )

    assert mean == 0.0
    for name in params:
        assert_array_equal(params[name], params_before[name])


def _blas_thread_counts():
    return {
        pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"
    }


def test_epochs_of_many_small_steps_run_blas_on_one_thread():
    small = {"coef": np.zeros((20, 1))}
    large = {"coef": np.zeros((ONE_THREAD_WORK // 64 + 1, 1))}

    with _blas_threads(10_000, 64, small):
        assert _blas_thread_counts() == {1}
    for few_batches_or_large_steps in [
        _blas_threads(100, 64, small),
        _blas_threads(10_000, 64, large),
    ]:
        before = _blas_thread_counts()
        with few_batches_or_large_steps:
            assert _blas_thread_counts() == before

"""The losses: closed-form values, finite-difference gradients, weighting."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skgd.losses import (
    EpsilonInsensitive,
    Hinge,
    Huber,
    LogLoss,
    ModifiedHuber,
    SquaredError,
    get_loss,
)

N_SAMPLES = 7


def regression_problem(loss, n_outputs, seed):
    """Outputs and targets whose residuals keep away from the loss's kinks."""
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(N_SAMPLES, n_outputs))
    residual = rng.uniform(-3.0, 3.0, size=y.shape)

    kinks = [loss.delta] if isinstance(loss, (Huber, EpsilonInsensitive)) else []
    for kink in kinks:
        near = np.abs(np.abs(residual) - kink) < 0.05
        residual[near] += 0.2 * np.sign(residual[near])
    return y + residual, y


def classification_problem(n_outputs, seed):
    """Outputs and 0/1 (one output) or one-hot targets, margins off the kinks."""
    rng = np.random.default_rng(seed)
    if n_outputs == 1:
        y = rng.integers(0, 2, size=(N_SAMPLES, 1)).astype(float)
    else:
        y = np.eye(n_outputs)[rng.integers(0, n_outputs, size=N_SAMPLES)]

    margin = rng.uniform(-3.0, 3.0, size=y.shape)
    for kink in (-1.0, 1.0):
        near = np.abs(margin - kink) < 0.05
        margin[near] += 0.2
    sign = 2.0 * y - 1.0
    return sign * margin, y


REGRESSION = [SquaredError(), Huber(), Huber(delta=0.5), EpsilonInsensitive()]
CLASSIFICATION = [LogLoss(), Hinge(), ModifiedHuber()]

ALL_LOSSES = [*REGRESSION, *CLASSIFICATION]


def loss_id(loss):
    delta = getattr(loss, "delta", None)
    return type(loss).__name__ + ("" if delta is None else f"-{delta}")


def problem_of(loss):
    return "classification" if loss in CLASSIFICATION else "regression"


def make_problem(loss, n_outputs, seed=0):
    if problem_of(loss) == "regression":
        return regression_problem(loss, n_outputs, seed)
    return classification_problem(n_outputs, seed)


def finite_difference_grad(loss, outputs, y, sample_weight, step=1e-6):
    grad = np.zeros_like(outputs)
    for index in np.ndindex(outputs.shape):
        shifted = outputs.copy()
        shifted[index] += step
        above, _ = loss.value_and_grad(shifted, y, sample_weight)
        shifted[index] -= 2 * step
        below, _ = loss.value_and_grad(shifted, y, sample_weight)
        grad[index] = (above - below) / (2 * step)
    return grad


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("loss", ALL_LOSSES, ids=loss_id)
def test_gradient_matches_finite_differences(loss, n_outputs, weighted):
    outputs, y = make_problem(loss, n_outputs)
    sample_weight = None
    if weighted:
        sample_weight = np.random.default_rng(1).uniform(0.1, 3.0, N_SAMPLES)
        sample_weight[2] = 0.0

    _, grad = loss.value_and_grad(outputs.copy(), y, sample_weight)
    expected = finite_difference_grad(loss, outputs, y, sample_weight)

    assert grad.shape == outputs.shape
    assert_allclose(grad, expected, rtol=1e-6, atol=1e-8)
    assert np.any(grad != 0.0)  # the problem is not all flat


def value(loss, outputs, y, sample_weight=None):
    outputs, y = np.asarray(outputs, dtype=float), np.asarray(y, dtype=float)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=float)
    return loss.value_and_grad(outputs, y, sample_weight)[0]


def test_squared_error_values():
    # Per sample, 0.5 * sum of squared residuals: 0.5 * (1 + 4) = 2.5 and
    # 0.5 * 9 = 4.5; mean 3.5; with weights 1 and 3, (2.5 + 13.5) / 4 = 4.
    outputs, y = [[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [3.0, 0.0]]
    assert value(SquaredError(), outputs, y) == pytest.approx(3.5)
    assert value(SquaredError(), outputs, y, [1.0, 3.0]) == pytest.approx(4.0)


def test_huber_values():
    # delta = 1: residual 0.5 gives 0.5 * 0.25 = 0.125, residual -3 gives
    # 1 * (3 - 0.5) = 2.5; mean 1.3125. delta = 2: -3 gives 2 * (3 - 1) = 4.
    outputs, y = [[0.5], [-3.0]], [[0.0], [0.0]]
    assert value(Huber(), outputs, y) == pytest.approx(1.3125)
    assert value(Huber(delta=2.0), outputs, y) == pytest.approx((0.125 + 4.0) / 2)


def test_huber_gradient_is_clipped_residual():
    outputs, y = np.array([[0.5, -3.0, 2.0]]), np.zeros((1, 3))
    _, grad = Huber(delta=1.0).value_and_grad(outputs, y)
    assert_allclose(grad, [[0.5, -1.0, 1.0]])


def test_epsilon_insensitive_values():
    # delta = 0.1: residuals 0.05, -0.6, 1.1 cost 0, 0.5, 1.0; mean 0.5.
    outputs, y = [[0.05], [-0.6], [1.1]], [[0.0], [0.0], [0.0]]
    assert value(EpsilonInsensitive(), outputs, y) == pytest.approx(0.5)
    # delta = 0.5: 0, 0.1, 0.6; mean 0.7 / 3.
    assert value(EpsilonInsensitive(delta=0.5), outputs, y) == pytest.approx(0.7 / 3)


def test_log_loss_one_output_values():
    # log(1 + e^f) - y f: f = 0, y = 1 gives log 2; f = log 3, y = 0 gives
    # log 4; f = log 3, y = 1 gives log 4 - log 3.
    outputs = [[0.0], [math.log(3.0)], [math.log(3.0)]]
    y = [[1.0], [0.0], [1.0]]
    expected = (math.log(2.0) + math.log(4.0) + math.log(4.0 / 3.0)) / 3
    assert value(LogLoss(), outputs, y) == pytest.approx(expected, rel=1e-12)


def test_log_loss_several_outputs_values():
    # logsumexp(f) - f_class: log(1 + 1 + 2) - log 2 = log 2, and
    # log(3 + 1 + 1) - 0 = log 5.
    outputs = [[0.0, 0.0, math.log(2.0)], [math.log(3.0), 0.0, 0.0]]
    y = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    expected = (math.log(2.0) + math.log(5.0)) / 2
    assert value(LogLoss(), outputs, y) == pytest.approx(expected, rel=1e-12)


def test_log_loss_is_finite_for_large_outputs():
    outputs = np.array([[800.0], [-800.0]])
    loss_value, grad = LogLoss().value_and_grad(outputs, np.array([[0.0], [1.0]]))
    assert loss_value == pytest.approx(800.0)
    assert_allclose(grad, [[0.5], [-0.5]])


def test_hinge_values():
    # One output: targets 1, 0, 1 are signs +1, -1, +1; outputs 2, 0.5, -1
    # give margins 2, -0.5, -1 and losses 0, 1.5, 2; mean 3.5 / 3.
    assert value(Hinge(), [[2.0], [0.5], [-1.0]], [[1.0], [0.0], [1.0]]) == (
        pytest.approx(3.5 / 3)
    )
    # One-vs-rest: signs +1, -1, -1; margins 0.5, 2, -0.3; 0.5 + 0 + 1.3.
    assert value(Hinge(), [[0.5, -2.0, 0.3]], [[1.0, 0.0, 0.0]]) == pytest.approx(1.8)


def test_modified_huber_values():
    # Margins 0.5, -3, -0.5: (1 - 0.5)^2 = 0.25, -4 * -3 = 12, 1.5^2 = 2.25.
    outputs, y = [[0.5], [-3.0], [0.5]], [[1.0], [1.0], [0.0]]
    assert value(ModifiedHuber(), outputs, y) == pytest.approx(14.5 / 3)
    # Signs -1, +1; margins -2, 0: -4 * -2 = 8 and 1^2 = 1.
    assert value(ModifiedHuber(), [[2.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(9.0)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=loss_id)
def test_integer_weights_equal_repeated_rows(loss):
    outputs, y = make_problem(loss, n_outputs=3, seed=2)
    counts = np.array([1, 3, 0, 2, 1, 1, 4])

    weighted_value, weighted_grad = loss.value_and_grad(
        outputs.copy(), y, counts.astype(float)
    )
    repeated = np.repeat(np.arange(N_SAMPLES), counts)
    repeated_value, repeated_grad = loss.value_and_grad(outputs[repeated], y[repeated])

    assert weighted_value == pytest.approx(repeated_value, rel=1e-12)
    summed = np.zeros_like(outputs)
    np.add.at(summed, repeated, repeated_grad)
    assert_allclose(weighted_grad, summed, rtol=1e-12, atol=1e-15)
    assert_array_equal(weighted_grad[2], 0.0)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=loss_id)
def test_equal_weights_equal_no_weights(loss):
    outputs, y = make_problem(loss, n_outputs=2, seed=3)

    plain_value, plain_grad = loss.value_and_grad(outputs.copy(), y)
    equal_value, equal_grad = loss.value_and_grad(
        outputs.copy(), y, np.full(N_SAMPLES, 2.5)
    )

    assert equal_value == pytest.approx(plain_value, rel=1e-12)
    assert_allclose(equal_grad, plain_grad, rtol=1e-12)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=loss_id)
def test_zero_weight_batch_gives_zero(loss):
    outputs, y = make_problem(loss, n_outputs=2, seed=4)

    loss_value, grad = loss.value_and_grad(outputs, y, np.zeros(N_SAMPLES))

    assert loss_value == 0.0
    assert grad.shape == outputs.shape
    assert_array_equal(grad, 0.0)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=loss_id)
def test_float32_outputs_give_float32_gradient(loss):
    outputs, y = make_problem(loss, n_outputs=2, seed=5)
    outputs32, y32 = outputs.astype(np.float32), y.astype(np.float32)
    sample_weight = np.linspace(0.5, 2.0, N_SAMPLES)

    for weights in (None, sample_weight):
        value32, grad32 = loss.value_and_grad(outputs32, y32, weights)
        value64, grad64 = loss.value_and_grad(outputs.copy(), y, weights)
        assert grad32.dtype == np.float32
        assert value32 == pytest.approx(value64, rel=1e-5)
        assert_allclose(grad32, grad64, rtol=1e-4, atol=1e-6)


def test_log_loss_proba_is_sigmoid_for_one_output():
    outputs = np.array([[-2.0], [0.0], [1.5]])
    proba = LogLoss().predict_proba(outputs)
    positive = 1.0 / (1.0 + np.exp(-outputs[:, 0]))
    assert_allclose(proba, np.column_stack([1.0 - positive, positive]), rtol=1e-12)


def test_log_loss_proba_is_softmax_for_several_outputs():
    outputs = np.array([[0.0, 1.0, -1.0], [1000.0, 0.0, 999.0], [2.0, 2.0, 2.0]])
    proba = LogLoss().predict_proba(outputs)

    shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    assert_allclose(proba, shifted / shifted.sum(axis=1, keepdims=True), rtol=1e-12)
    # exp(1) / (1 + e + e^-1) by hand for the first row's middle class.
    e = math.e
    assert proba[0, 1] == pytest.approx(e / (1.0 + e + 1.0 / e), rel=1e-12)


def test_modified_huber_proba_formula():
    outputs = np.array([[-2.0], [-0.5], [0.0], [0.6], [3.0]])
    proba = ModifiedHuber().predict_proba(outputs)
    # (clip(f, -1, 1) + 1) / 2 for the positive class.
    positive = [0.0, 0.25, 0.5, 0.8, 1.0]
    assert_allclose(proba, np.column_stack([1.0 - np.array(positive), positive]))


def test_modified_huber_proba_several_outputs():
    outputs = np.array([[0.0, 1.0, -3.0], [0.6, -0.2, 0.0], [-1.5, -2.0, -1.0]])
    proba = ModifiedHuber().predict_proba(outputs)
    # Row 1: 0.5, 1, 0 over 1.5. Row 2: 0.8, 0.4, 0.5 over 1.7. Row 3: all at
    # or below -1, so equal probabilities.
    expected = [
        [1 / 3, 2 / 3, 0.0],
        [0.8 / 1.7, 0.4 / 1.7, 0.5 / 1.7],
        [1 / 3, 1 / 3, 1 / 3],
    ]
    assert_allclose(proba, expected, rtol=1e-12)


@pytest.mark.parametrize("loss", [LogLoss(), ModifiedHuber()], ids=loss_id)
@pytest.mark.parametrize("n_outputs", [1, 2, 4])
def test_proba_rows_sum_to_one(loss, n_outputs):
    outputs = np.random.default_rng(6).normal(scale=2.0, size=(20, n_outputs))
    proba = loss.predict_proba(outputs)

    assert loss.has_probabilities
    assert proba.shape == (20, max(n_outputs, 2))
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all((proba >= 0.0) & (proba <= 1.0))


@pytest.mark.parametrize("loss", [SquaredError(), Huber(), Hinge()], ids=loss_id)
def test_proba_of_losses_without_probabilities(loss):
    assert not loss.has_probabilities
    with pytest.raises(AttributeError, match="does not give class probabilities"):
        loss.predict_proba(np.zeros((2, 1)))


@pytest.mark.parametrize(
    "name, loss_class",
    [
        ("squared_error", SquaredError),
        ("huber", Huber),
        ("epsilon_insensitive", EpsilonInsensitive),
        ("log_loss", LogLoss),
        ("hinge", Hinge),
        ("modified_huber", ModifiedHuber),
    ],
)
def test_get_loss_names(name, loss_class):
    assert type(get_loss(name)) is loss_class


def test_get_loss_passes_delta_where_it_applies():
    assert get_loss("huber", delta=0.5).delta == 0.5
    assert get_loss("epsilon_insensitive", delta=0.3).delta == 0.3
    assert get_loss("huber").delta == 1.0
    assert get_loss("epsilon_insensitive").delta == 0.1
    assert type(get_loss("squared_error", delta=2.0)) is SquaredError


def test_get_loss_rejects_unknown_name():
    with pytest.raises(ValueError, match="unknown loss 'absolute_error'; expected"):
        get_loss("absolute_error")

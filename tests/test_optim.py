"""The optimizers against the published update rules.

Each rule is written again below as a reference on one scalar, straight from
its definition, and applied element by element: PyTorch's ``torch.optim.SGD``
without dampening, Adam after Kingma and Ba with PyTorch's placement of
epsilon, AMSGrad as PyTorch computes it, and AdamW's decoupled weight decay.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skgd.optim import SGD, Adam

SHAPES = {"coef": (3, 2), "intercept": (2,), "kernel": (2, 1, 3)}

# Gradients swing in size from step to step, so that the second moment falls
# as well as rises and AMSGrad's maximum differs from the current moment.
GRADIENT_SCALES = [3.0, 0.1, 2.0, 0.01, 1.0, 0.05]

CONSTANT_RATES = [0.05] * len(GRADIENT_SCALES)
CHANGING_RATES = [0.1, 0.05, 0.2, 0.01, 0.3, 0.07]


def sgd_reference(w, grads, learning_rates, momentum, nesterov):
    """PyTorch's SGD without dampening on one scalar.

    Returns the weight and the momentum buffer after each step.
    """
    history = []
    buffer = None
    for g, learning_rate in zip(grads, learning_rates, strict=True):
        if momentum == 0.0:
            direction = g
        else:
            # PyTorch starts the buffer at the first gradient.
            buffer = g if buffer is None else momentum * buffer + g
            direction = g + momentum * buffer if nesterov else buffer
        w = w - learning_rate * direction
        history.append((w, buffer))
    return history


def adam_reference(w, grads, learning_rates, beta_1, beta_2, epsilon, amsgrad, decay):
    """Adam, AMSGrad and AdamW on one scalar, from their definitions.

    Returns the weight, the first moment, the second moment and the largest
    second moment so far after each step.
    """
    history = []
    m = v = v_max = 0.0
    for t, (g, learning_rate) in enumerate(
        zip(grads, learning_rates, strict=True), start=1
    ):
        w = w * (1.0 - learning_rate * decay)
        m = beta_1 * m + (1.0 - beta_1) * g
        v = beta_2 * v + (1.0 - beta_2) * g * g
        v_max = max(v_max, v)

        m_hat = m / (1.0 - beta_1**t)
        v_hat = (v_max if amsgrad else v) / (1.0 - beta_2**t)
        w = w - learning_rate * m_hat / (math.sqrt(v_hat) + epsilon)
        history.append((w, m, v, v_max))
    return history


def make_problem(seed, dtype=np.float64):
    """Starting parameters and one gradient dict per step."""
    rng = np.random.default_rng(seed)
    params = {
        name: rng.normal(size=shape).astype(dtype) for name, shape in SHAPES.items()
    }
    grad_steps = []
    for scale in GRADIENT_SCALES:
        grads = {
            name: (scale * rng.normal(size=shape)).astype(dtype)
            for name, shape in SHAPES.items()
        }
        grads["coef"][0, 0] = 0.0  # a zero gradient divides by epsilon alone
        grad_steps.append(grads)
    return params, grad_steps


def run_optimizer(optimizer, params, grad_steps, learning_rates):
    """Steps of ``optimizer``; the parameters and state after each."""
    params = {name: value.copy() for name, value in params.items()}
    state = optimizer.init(params)
    snapshots = []
    for grads, learning_rate in zip(grad_steps, learning_rates, strict=True):
        grads = {name: value.copy() for name, value in grads.items()}
        optimizer.update(params, grads, state, learning_rate)
        snapshots.append(_copy_nested({"params": params, "state": state}))
    return snapshots


def _copy_nested(tree):
    if isinstance(tree, dict):
        return {key: _copy_nested(value) for key, value in tree.items()}
    if isinstance(tree, np.ndarray):
        return tree.copy()
    return tree


def elementwise(reference, params, grad_steps, learning_rates, **settings):
    """Apply a scalar reference to every element; stack its outputs per step.

    Returns ``result[step][field][name]``: an array shaped like ``params[name]``
    for each field the reference returns.
    """
    n_steps = len(grad_steps)
    result = [{} for _ in range(n_steps)]
    for name, start in params.items():
        fields = None
        for index in np.ndindex(start.shape):
            grads = [float(step[name][index]) for step in grad_steps]
            history = reference(float(start[index]), grads, learning_rates, **settings)
            if fields is None:
                n_fields = len(history[0])
                fields = np.zeros((n_steps, n_fields, *start.shape))
            for step, values in enumerate(history):
                for field, value in enumerate(values):
                    fields[step, field][index] = np.nan if value is None else value
        for step in range(n_steps):
            result[step][name] = fields[step]
    return result


SGD_SETTINGS = [(0.0, False), (0.9, False), (0.9, True), (0.5, True)]


@pytest.mark.parametrize("learning_rates", [CONSTANT_RATES, CHANGING_RATES])
@pytest.mark.parametrize("momentum, nesterov", SGD_SETTINGS)
def test_sgd_matches_pytorch_rule(momentum, nesterov, learning_rates):
    params, grad_steps = make_problem(seed=0)
    optimizer = SGD(momentum=momentum, nesterov=nesterov)

    snapshots = run_optimizer(optimizer, params, grad_steps, learning_rates)
    expected = elementwise(
        sgd_reference,
        params,
        grad_steps,
        learning_rates,
        momentum=momentum,
        nesterov=nesterov,
    )

    for step, (snapshot, reference) in enumerate(
        zip(snapshots, expected, strict=True), 1
    ):
        assert snapshot["state"]["step"] == step
        for name in SHAPES:
            weight, buffer = reference[name]
            assert_allclose(snapshot["params"][name], weight, rtol=1e-12, atol=1e-14)
            if momentum > 0.0:
                velocity = snapshot["state"]["velocity"][name]
                assert_allclose(velocity, buffer, rtol=1e-12, atol=1e-14)


ADAM_SETTINGS = [
    # beta_1, beta_2, epsilon, amsgrad, weight_decay
    (0.9, 0.999, 1e-8, False, 0.0),
    (0.9, 0.999, 1e-8, True, 0.0),
    (0.9, 0.999, 1e-8, False, 0.1),
    (0.8, 0.99, 1e-3, True, 0.5),
    (0.0, 0.5, 1e-2, False, 0.0),
]


@pytest.mark.parametrize("learning_rates", [CONSTANT_RATES, CHANGING_RATES])
@pytest.mark.parametrize(
    "beta_1, beta_2, epsilon, amsgrad, weight_decay", ADAM_SETTINGS
)
def test_adam_matches_published_rule(
    beta_1, beta_2, epsilon, amsgrad, weight_decay, learning_rates
):
    params, grad_steps = make_problem(seed=1)
    optimizer = Adam(
        beta_1=beta_1,
        beta_2=beta_2,
        epsilon=epsilon,
        amsgrad=amsgrad,
        weight_decay=weight_decay,
    )

    snapshots = run_optimizer(optimizer, params, grad_steps, learning_rates)
    expected = elementwise(
        adam_reference,
        params,
        grad_steps,
        learning_rates,
        beta_1=beta_1,
        beta_2=beta_2,
        epsilon=epsilon,
        amsgrad=amsgrad,
        decay=weight_decay,
    )

    for step, (snapshot, reference) in enumerate(
        zip(snapshots, expected, strict=True), 1
    ):
        state = snapshot["state"]
        assert state["step"] == step
        for name in SHAPES:
            weight, mean, second_moment, largest = reference[name]
            assert_allclose(snapshot["params"][name], weight, rtol=1e-12, atol=1e-14)
            assert_allclose(state["mean"][name], mean, rtol=1e-12, atol=1e-14)
            assert_allclose(
                state["second_moment"][name], second_moment, rtol=1e-12, atol=1e-16
            )
            if amsgrad:
                assert_allclose(
                    state["max_second_moment"][name], largest, rtol=1e-12, atol=1e-16
                )


def test_problem_makes_amsgrad_differ_from_adam():
    # Without this the AMSGrad cases above could not tell the two rules apart.
    params, grad_steps = make_problem(seed=1)
    plain, amsgrad = (
        run_optimizer(Adam(amsgrad=flag), params, grad_steps, CHANGING_RATES)[-1]
        for flag in (False, True)
    )

    state = amsgrad["state"]
    assert np.any(state["max_second_moment"]["coef"] > state["second_moment"]["coef"])
    assert not np.allclose(plain["params"]["coef"], amsgrad["params"]["coef"])


# Hand-computed steps on one scalar, w = 1, learning rate 0.1.


def scalar_steps(optimizer, grads, learning_rates):
    params = {"w": np.array(1.0)}
    state = optimizer.init(params)
    weights = []
    for g, learning_rate in zip(grads, learning_rates, strict=True):
        optimizer.update(params, {"w": np.array(g)}, state, learning_rate)
        weights.append(float(params["w"]))
    return weights


def test_sgd_momentum_by_hand():
    # b1 = 1, w1 = 1 - 0.1 * 1 = 0.9
    # b2 = 0.9 * 1 + 2 = 2.9, w2 = 0.9 - 0.1 * 2.9 = 0.61
    weights = scalar_steps(SGD(momentum=0.9), [1.0, 2.0], [0.1, 0.1])
    assert weights == pytest.approx([0.9, 0.61], rel=1e-12)


def test_sgd_nesterov_by_hand():
    # b1 = 1, d1 = 1 + 0.9 * 1 = 1.9, w1 = 1 - 0.19 = 0.81
    # b2 = 0.9 * 1 + 2 = 2.9, d2 = 2 + 0.9 * 2.9 = 4.61, w2 = 0.81 - 0.461 = 0.349
    weights = scalar_steps(SGD(momentum=0.9, nesterov=True), [1.0, 2.0], [0.1, 0.1])
    assert weights == pytest.approx([0.81, 0.349], rel=1e-12)


def test_adam_by_hand():
    # beta_1 = 0.5, beta_2 = 0.96, gradients 7 then 0.
    # Step 1: m = 0.5 * 7 = 3.5, m_hat = 3.5 / 0.5 = 7,
    #         v = 0.04 * 49 = 1.96, v_hat = 1.96 / 0.04 = 49, sqrt = 7,
    #         w = 1 - 0.1 * 7 / 7 = 0.9
    # Step 2: m = 0.5 * 3.5 = 1.75, m_hat = 1.75 / 0.75 = 7 / 3,
    #         v = 0.96 * 1.96 = 1.8816, v_hat = 1.8816 / 0.0784 = 24,
    #         w = 0.9 - 0.1 * (7 / 3) / sqrt(24) = 0.852371...
    optimizer = Adam(beta_1=0.5, beta_2=0.96, epsilon=1e-12)
    weights = scalar_steps(optimizer, [7.0, 0.0], [0.1, 0.1])
    assert weights == pytest.approx([0.9, 0.852371032779216], rel=1e-10)


def test_amsgrad_by_hand():
    # As above, but step 2 divides by the larger second moment of step 1:
    # max(1.96, 1.8816) = 1.96, sqrt(1.96) / sqrt(1 - 0.96**2) = 1.4 / 0.28 = 5,
    # w = 0.9 - 0.1 * (7 / 3) / 5 = 0.9 - 0.7 / 15 = 0.853333...
    optimizer = Adam(beta_1=0.5, beta_2=0.96, epsilon=1e-12, amsgrad=True)
    weights = scalar_steps(optimizer, [7.0, 0.0], [0.1, 0.1])
    assert weights == pytest.approx([0.9, 0.8533333333333334], rel=1e-10)


def test_adam_changing_learning_rate_by_hand():
    # beta_1 = 0.5, beta_2 = 0.75, gradients 2 then -2, learning rates 0.1, 0.05.
    # Step 1: m = 1, m_hat = 2, v = 1, v_hat = 4, w = 1 - 0.1 * 2 / 2 = 0.9
    # Step 2: m = 0.5 - 1 = -0.5, m_hat = -0.5 / 0.75 = -2 / 3,
    #         v = 0.75 + 0.25 * 4 = 1.75, v_hat = 1.75 / 0.4375 = 4,
    #         w = 0.9 + 0.05 * (2 / 3) / 2 = 0.9 + 0.05 / 3 = 0.916666...
    optimizer = Adam(beta_1=0.5, beta_2=0.75, epsilon=1e-12)
    weights = scalar_steps(optimizer, [2.0, -2.0], [0.1, 0.05])
    assert weights == pytest.approx([0.9, 0.9166666666666667], rel=1e-10)


def test_adamw_decay_by_hand():
    # Decay first: w = 1 * (1 - 0.1 * 0.5) = 0.95; then the Adam step of
    # test_adam_by_hand, 0.1 * 7 / 7 = 0.1: w = 0.85.
    optimizer = Adam(beta_1=0.5, beta_2=0.96, epsilon=1e-12, weight_decay=0.5)
    weights = scalar_steps(optimizer, [7.0], [0.1])
    assert weights == pytest.approx([0.85], rel=1e-10)


@pytest.mark.parametrize(
    "optimizer",
    [
        SGD(),
        SGD(momentum=0.9, nesterov=True),
        Adam(),
        Adam(amsgrad=True, weight_decay=0.1),
    ],
    ids=["sgd", "nesterov", "adam", "amsgrad-adamw"],
)
def test_float32_stays_float32(optimizer):
    params32, grad_steps32 = make_problem(seed=2, dtype=np.float32)
    params64 = {name: value.astype(np.float64) for name, value in params32.items()}
    grad_steps64 = [
        {name: value.astype(np.float64) for name, value in grads.items()}
        for grads in grad_steps32
    ]

    last32 = run_optimizer(optimizer, params32, grad_steps32, CHANGING_RATES)[-1]
    last64 = run_optimizer(optimizer, params64, grad_steps64, CHANGING_RATES)[-1]

    for name in SHAPES:
        assert last32["params"][name].dtype == np.float32
        assert_allclose(
            last32["params"][name], last64["params"][name], rtol=1e-4, atol=1e-5
        )
    for statistic, arrays in last32["state"].items():
        if statistic != "step":
            assert all(value.dtype == np.float32 for value in arrays.values())


def test_update_changes_params_in_place():
    params = {"w": np.array([1.0, 2.0])}
    original = params["w"]
    optimizer = Adam()
    state = optimizer.init(params)

    optimizer.update(params, {"w": np.array([1.0, -1.0])}, state, 0.1)

    assert params["w"] is original
    assert_allclose(original, [0.9, 2.1], rtol=1e-7)


@pytest.mark.parametrize(
    "optimizer, message",
    [
        (SGD(momentum=0.0, nesterov=True), "nesterov=True needs a momentum above 0"),
        (SGD(momentum=1.0), "'momentum' parameter of SGD"),
        (SGD(momentum=-0.1), "'momentum' parameter of SGD"),
        (SGD(nesterov="yes"), "'nesterov' parameter of SGD"),
        (Adam(beta_1=1.0), "'beta_1' parameter of Adam"),
        (Adam(beta_1=-0.5), "'beta_1' parameter of Adam"),
        (Adam(beta_2=1.0), "'beta_2' parameter of Adam"),
        (Adam(epsilon=-1e-8), "'epsilon' parameter of Adam"),
        (Adam(epsilon=0.0), "'epsilon' parameter of Adam"),
        (Adam(weight_decay=-0.1), "'weight_decay' parameter of Adam"),
        (Adam(amsgrad="yes"), "'amsgrad' parameter of Adam"),
    ],
)
def test_validate_names_the_bad_setting(optimizer, message):
    with pytest.raises(ValueError, match=message):
        optimizer.validate()


@pytest.mark.parametrize(
    "optimizer",
    [SGD(), SGD(momentum=0.99, nesterov=True), Adam(beta_1=0.0, amsgrad=True)],
)
def test_validate_accepts_good_settings(optimizer):
    optimizer.validate()

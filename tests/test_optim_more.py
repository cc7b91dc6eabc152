"""RMSprop, Adagrad, Adadelta, Adamax, NAdam and AdamW against two references.

Each update rule is written again below on one scalar, from the algorithm that
PyTorch documents for its ``torch.optim`` class of the same name, and applied
element by element. Each optimizer is also run side by side with the
``torch.optim`` class itself in float64. Both see several steps, parameters of
several shapes, gradients that swing in size and a learning rate that changes
from step to step.
"""

import math

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import skgd.optim
from skgd.estimators._gd import OPTIMIZERS as GD_OPTIMIZERS
from skgd.optim import (
    OPTIMIZERS,
    Adadelta,
    Adagrad,
    Adam,
    Adamax,
    AdamW,
    NAdam,
    RMSprop,
)

SHAPES = {"coef": (3, 2), "intercept": (2,), "kernel": (2, 1, 3)}
GRADIENT_SCALES = [3.0, 0.1, 2.0, 0.01, 1.0, 0.05]
LEARNING_RATES = [0.1, 0.05, 0.2, 0.01, 0.3, 0.07]


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


def copy_tree(tree):
    if isinstance(tree, dict):
        return {key: copy_tree(value) for key, value in tree.items()}
    if isinstance(tree, np.ndarray):
        return tree.copy()
    return tree


def run_optimizer(optimizer, params, grad_steps, learning_rates=LEARNING_RATES):
    """Steps of ``optimizer``; the parameters and state after each."""
    params = copy_tree(params)
    state = optimizer.init(params)
    snapshots = []
    for grads, learning_rate in zip(grad_steps, learning_rates, strict=True):
        optimizer.update(params, copy_tree(grads), state, learning_rate)
        snapshots.append(copy_tree({"params": params, "state": state}))
    return snapshots


# -- the rules on one scalar, each step returning the weight "w" and the
# -- statistics the state should hold, under skgd's names


def rmsprop_rule(
    w, grads, learning_rates, *, rho, epsilon, momentum, centered, weight_decay
):
    v = m = b = 0.0
    for g, learning_rate in zip(grads, learning_rates, strict=True):
        g = g + weight_decay * w
        v = rho * v + (1 - rho) * g * g
        m = rho * m + (1 - rho) * g if centered else 0.0
        scaled = g / (math.sqrt(v - m * m) + epsilon)
        b = momentum * b + scaled
        w = w - learning_rate * (b if momentum else scaled)

        statistics = {"w": w, "second_moment": v}
        if centered:
            statistics["mean"] = m
        if momentum:
            statistics["velocity"] = b
        yield statistics


def adagrad_rule(
    w,
    grads,
    learning_rates,
    *,
    initial_accumulator_value,
    epsilon,
    lr_decay,
    weight_decay,
):
    s = initial_accumulator_value
    for t, (g, learning_rate) in enumerate(zip(grads, learning_rates, strict=True), 1):
        g = g + weight_decay * w
        s = s + g * g
        w = w - learning_rate / (1 + (t - 1) * lr_decay) * g / (math.sqrt(s) + epsilon)
        yield {"w": w, "sum_of_squares": s}


def adadelta_rule(w, grads, learning_rates, *, rho, epsilon, weight_decay):
    v = u = 0.0
    for g, learning_rate in zip(grads, learning_rates, strict=True):
        g = g + weight_decay * w
        v = rho * v + (1 - rho) * g * g
        delta = math.sqrt(u + epsilon) / math.sqrt(v + epsilon) * g
        u = rho * u + (1 - rho) * delta * delta
        w = w - learning_rate * delta
        yield {"w": w, "second_moment": v, "delta_second_moment": u}


def adamax_rule(w, grads, learning_rates, *, beta_1, beta_2, epsilon, weight_decay):
    m = u = 0.0
    for t, (g, learning_rate) in enumerate(zip(grads, learning_rates, strict=True), 1):
        g = g + weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        u = max(beta_2 * u, abs(g) + epsilon)
        w = w - learning_rate / (1 - beta_1**t) * m / u
        yield {"w": w, "mean": m, "infinity_norm": u}


def nadam_rule(
    w, grads, learning_rates, *, beta_1, beta_2, epsilon, momentum_decay, weight_decay
):
    psi = momentum_decay
    m = v = 0.0
    product = 1.0
    for t, (g, learning_rate) in enumerate(zip(grads, learning_rates, strict=True), 1):
        mu = beta_1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta_1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        product = product * mu
        g = g + weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        denominator = math.sqrt(v / (1 - beta_2**t)) + epsilon
        nesterov_mean = (1 - mu) * g / (1 - product) + mu_next * m / (
            1 - product * mu_next
        )
        w = w - learning_rate * nesterov_mean / denominator
        yield {"w": w, "mean": m, "second_moment": v, "mu_product": product}


def adamw_rule(
    w, grads, learning_rates, *, beta_1, beta_2, epsilon, amsgrad, weight_decay
):
    m = v = v_max = 0.0
    for t, (g, learning_rate) in enumerate(zip(grads, learning_rates, strict=True), 1):
        w = w * (1 - learning_rate * weight_decay)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        v_max = max(v_max, v)
        v_hat = (v_max if amsgrad else v) / (1 - beta_2**t)
        w = w - learning_rate * m / (1 - beta_1**t) / (math.sqrt(v_hat) + epsilon)
        statistics = {"w": w, "mean": m, "second_moment": v}
        if amsgrad:
            statistics["max_second_moment"] = v_max
        yield statistics


RULES = {
    RMSprop: rmsprop_rule,
    Adagrad: adagrad_rule,
    Adadelta: adadelta_rule,
    Adamax: adamax_rule,
    NAdam: nadam_rule,
    AdamW: adamw_rule,
}


def apply_rule(optimizer, params, grad_steps):
    """The rule on every element: ``result[step][statistic][name]``."""
    rule, settings = RULES[type(optimizer)], optimizer.get_params()
    result = [{} for _ in grad_steps]
    for name, start in params.items():
        for index in np.ndindex(start.shape):
            grads = [float(step[name][index]) for step in grad_steps]
            history = rule(float(start[index]), grads, LEARNING_RATES, **settings)
            for step, statistics in enumerate(history):
                for statistic, value in statistics.items():
                    arrays = result[step].setdefault(statistic, {})
                    arrays.setdefault(name, np.zeros(start.shape))[index] = value
    return result


OPTIMIZER_CASES = [
    RMSprop(),
    RMSprop(rho=0.9, momentum=0.9),
    RMSprop(rho=0.8, epsilon=1e-3, centered=True),
    RMSprop(rho=0.5, momentum=0.5, centered=True, weight_decay=0.1),
    RMSprop(rho=0.0),
    Adagrad(),
    Adagrad(initial_accumulator_value=0.1, epsilon=1e-3, lr_decay=0.05),
    Adagrad(lr_decay=0.5, weight_decay=0.2),
    Adadelta(),
    Adadelta(rho=0.5, epsilon=1e-3, weight_decay=0.1),
    Adamax(),
    Adamax(beta_1=0.8, beta_2=0.5, epsilon=1e-3, weight_decay=0.5),
    Adamax(beta_1=0.0),
    NAdam(),
    NAdam(beta_1=0.8, beta_2=0.99, epsilon=1e-3, momentum_decay=0.1),
    NAdam(momentum_decay=0.0, weight_decay=0.1),
    AdamW(),
    AdamW(beta_1=0.8, beta_2=0.5, amsgrad=True, weight_decay=0.3),
]


def case_id(optimizer):
    return repr(optimizer).replace(" ", "")


@pytest.mark.parametrize("optimizer", OPTIMIZER_CASES, ids=case_id)
def test_steps_match_published_rule(optimizer):
    params, grad_steps = make_problem(seed=0)

    snapshots = run_optimizer(optimizer, params, grad_steps)
    expected = apply_rule(optimizer, params, grad_steps)

    for step, (snapshot, reference) in enumerate(
        zip(snapshots, expected, strict=True), 1
    ):
        state = snapshot["state"]
        weights = reference.pop("w")
        assert state["step"] == step
        assert set(state) == {"step", *reference}
        for name in SHAPES:
            assert_allclose(snapshot["params"][name], weights[name], rtol=1e-11)
        for statistic, arrays in reference.items():
            for name, values in arrays.items():
                actual = state[statistic]
                if isinstance(actual, dict):
                    actual = actual[name]
                assert_allclose(actual, values, rtol=1e-11, atol=1e-300)


# -- torch.optim itself, in float64

TORCH_CLASSES = {
    RMSprop: (torch.optim.RMSprop, {"rho": "alpha", "epsilon": "eps"}),
    Adagrad: (torch.optim.Adagrad, {"epsilon": "eps"}),
    Adadelta: (torch.optim.Adadelta, {"epsilon": "eps"}),
    Adamax: (torch.optim.Adamax, {"epsilon": "eps"}),
    NAdam: (torch.optim.NAdam, {"epsilon": "eps"}),
    AdamW: (torch.optim.AdamW, {"epsilon": "eps"}),
}

#: skgd's names of the statistics, torch's in its optimizers' state.
TORCH_STATE = {
    "second_moment": {"square_avg", "exp_avg_sq"},
    "mean": {"grad_avg", "exp_avg"},
    "velocity": {"momentum_buffer"},
    "sum_of_squares": {"sum"},
    "delta_second_moment": {"acc_delta"},
    "infinity_norm": {"exp_inf"},
    "max_second_moment": {"max_exp_avg_sq"},
    "mu_product": {"mu_product"},
}


def make_torch_optimizer(optimizer, tensors):
    torch_class, renamed = TORCH_CLASSES[type(optimizer)]
    settings = {}
    for name, value in optimizer.get_params().items():
        if name.startswith("beta_"):
            settings["betas"] = (optimizer.beta_1, optimizer.beta_2)
        else:
            settings[renamed.get(name, name)] = value
    return torch_class(tensors, lr=1.0, foreach=False, **settings)


@pytest.fixture
def float64_torch():
    # torch keeps NAdam's product of momenta in its default dtype.
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(default)


@pytest.mark.usefixtures("float64_torch")
@pytest.mark.parametrize("optimizer", OPTIMIZER_CASES, ids=case_id)
def test_steps_match_torch(optimizer):
    params, grad_steps = make_problem(seed=1)
    tensors = {name: torch.tensor(value) for name, value in params.items()}
    torch_optimizer = make_torch_optimizer(optimizer, list(tensors.values()))

    snapshots = run_optimizer(optimizer, params, grad_steps)

    for snapshot, grads, learning_rate in zip(
        snapshots, grad_steps, LEARNING_RATES, strict=True
    ):
        for name, tensor in tensors.items():
            tensor.grad = torch.tensor(grads[name])
        torch_optimizer.param_groups[0]["lr"] = learning_rate
        torch_optimizer.step()

        state = snapshot["state"]
        for name, tensor in tensors.items():
            torch_state = torch_optimizer.state[tensor]
            assert int(torch_state["step"]) == state["step"]
            assert_allclose(snapshot["params"][name], tensor.numpy(), rtol=1e-11)
            for statistic, values in state.items():
                if statistic == "step":
                    continue
                [torch_name] = TORCH_STATE[statistic] & set(torch_state)
                actual = values[name] if isinstance(values, dict) else values
                expected = torch_state[torch_name].numpy()
                assert_allclose(actual, expected, rtol=1e-11, atol=1e-300)


# -- the same steps by hand


def scalar_steps(optimizer, grads, learning_rates):
    params = {"w": np.array(1.0)}
    state = optimizer.init(params)
    weights = []
    for g, learning_rate in zip(grads, learning_rates, strict=True):
        optimizer.update(params, {"w": np.array(g)}, state, learning_rate)
        weights.append(float(params["w"]))
    return weights


def test_centered_rmsprop_by_hand():
    # rho = 0.5, gradient 3: v = 0.5 * 9 = 4.5, m = 1.5, v - m² = 2.25, so the
    # step is 0.1 * 3 / 1.5 = 0.2, where uncentred RMSprop steps by
    # 0.1 * 3 / sqrt(4.5) = 0.141421...
    centered = RMSprop(rho=0.5, epsilon=1e-12, centered=True)
    plain = RMSprop(rho=0.5, epsilon=1e-12)
    assert scalar_steps(centered, [3.0], [0.1]) == pytest.approx([0.8], rel=1e-10)
    expected = 1 - 0.1 * math.sqrt(2)
    assert scalar_steps(plain, [3.0], [0.1]) == pytest.approx([expected], rel=1e-10)


def test_adamax_by_hand():
    # beta_1 = 0.5, beta_2 = 0.5, gradients 4 then 1.
    # Step 1: m = 2, u = 4, w = 1 - 0.1 / 0.5 * 2 / 4 = 0.9
    # Step 2: m = 1 + 0.5 = 1.5, u = max(2, 1) = 2,
    #         w = 0.9 - 0.1 / 0.75 * 1.5 / 2 = 0.8
    optimizer = Adamax(beta_1=0.5, beta_2=0.5, epsilon=1e-12)
    weights = scalar_steps(optimizer, [4.0, 1.0], [0.1, 0.1])
    assert weights == pytest.approx([0.9, 0.8], rel=1e-10)


def test_nadam_by_hand():
    # momentum_decay = 0 holds μ_t at beta_1 / 2 = 0.25; beta_2 = 0.75,
    # gradient 2, learning rate 0.3: m = 1, v = 1, v / (1 - 0.75) = 4, so
    # w = 1 - 0.3 * ((1 - 0.25) * 2 / (1 - 0.25) + 0.25 * 1 / (1 - 0.0625)) / 2
    #   = 1 - 0.3 * (2 + 4 / 15) / 2 = 0.66
    optimizer = NAdam(beta_1=0.5, beta_2=0.75, epsilon=1e-12, momentum_decay=0.0)
    assert scalar_steps(optimizer, [2.0], [0.3]) == pytest.approx([0.66], rel=1e-10)


def test_adagrad_lr_decay_by_hand():
    # Gradients 3 then 4: s = 9 then 25. With lr_decay = 1 the second step
    # is halved: w = 1 - 0.1 * 3 / 3 - 0.1 / 2 * 4 / 5 = 0.86
    optimizer = Adagrad(epsilon=1e-12, lr_decay=1.0)
    weights = scalar_steps(optimizer, [3.0, 4.0], [0.1, 0.1])
    assert weights == pytest.approx([0.9, 0.86], rel=1e-10)


# -- AdamW is Adam with decoupled weight decay


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("weight_decay", [0.01, 0.3])
def test_adamw_takes_adams_steps(weight_decay, amsgrad):
    params, grad_steps = make_problem(seed=2)
    adamw = AdamW(amsgrad=amsgrad, weight_decay=weight_decay)
    adam = Adam(amsgrad=amsgrad, weight_decay=weight_decay)

    for with_adamw, with_adam in zip(
        run_optimizer(adamw, params, grad_steps),
        run_optimizer(adam, params, grad_steps),
        strict=True,
    ):
        for name in SHAPES:
            assert_array_equal(with_adamw["params"][name], with_adam["params"][name])
        assert_array_equal(
            with_adamw["state"]["mean"]["coef"], with_adam["state"]["mean"]["coef"]
        )


def test_adamw_defaults_to_torchs_weight_decay():
    assert AdamW().get_params() == {**Adam().get_params(), "weight_decay": 0.01}
    assert (
        AdamW().weight_decay
        == torch.optim.AdamW([torch.zeros(1)]).defaults["weight_decay"]
    )


# -- dtypes, in place, settings, registry


@pytest.mark.parametrize("optimizer", OPTIMIZER_CASES, ids=case_id)
def test_float32_stays_float32(optimizer):
    params32, grad_steps32 = make_problem(seed=3, dtype=np.float32)
    params64 = {name: value.astype(np.float64) for name, value in params32.items()}
    grad_steps64 = [
        {name: value.astype(np.float64) for name, value in grads.items()}
        for grads in grad_steps32
    ]
    # Rates that are numpy float64 scalars, as np.linspace gives them.
    rates = list(np.asarray(LEARNING_RATES))

    last32 = run_optimizer(optimizer, params32, grad_steps32, rates)[-1]
    last64 = run_optimizer(optimizer, params64, grad_steps64, rates)[-1]

    for name in SHAPES:
        assert last32["params"][name].dtype == np.float32
        assert_allclose(
            last32["params"][name], last64["params"][name], rtol=1e-4, atol=1e-5
        )
    for arrays in last32["state"].values():
        if isinstance(arrays, dict):
            assert all(value.dtype == np.float32 for value in arrays.values())


@pytest.mark.parametrize("Optimizer", [*OPTIMIZERS.values()])
def test_update_changes_params_in_place(Optimizer):
    params = {"w": np.array([1.0, 2.0])}
    original = params["w"]
    optimizer = Optimizer()
    state = optimizer.init(params)

    optimizer.update(params, {"w": np.array([1.0, -1.0])}, state, 0.1)

    assert params["w"] is original
    assert original[0] < 1.0 and original[1] > 2.0


@pytest.mark.parametrize(
    "optimizer, message",
    [
        (RMSprop(rho=1.0), "'rho' parameter of RMSprop"),
        (RMSprop(rho=-0.1), "'rho' parameter of RMSprop"),
        (RMSprop(epsilon=0.0), "'epsilon' parameter of RMSprop"),
        (RMSprop(momentum=1.0), "'momentum' parameter of RMSprop"),
        (RMSprop(centered="yes"), "'centered' parameter of RMSprop"),
        (RMSprop(weight_decay=-1.0), "'weight_decay' parameter of RMSprop"),
        (
            Adagrad(initial_accumulator_value=-0.1),
            "'initial_accumulator_value' parameter of Adagrad",
        ),
        (Adagrad(epsilon=-1e-10), "'epsilon' parameter of Adagrad"),
        (Adagrad(lr_decay=-0.1), "'lr_decay' parameter of Adagrad"),
        (Adagrad(weight_decay=-0.1), "'weight_decay' parameter of Adagrad"),
        (Adadelta(rho=1.0), "'rho' parameter of Adadelta"),
        (Adadelta(epsilon=0.0), "'epsilon' parameter of Adadelta"),
        (Adadelta(weight_decay=-0.1), "'weight_decay' parameter of Adadelta"),
        (Adamax(beta_1=1.0), "'beta_1' parameter of Adamax"),
        (Adamax(beta_2=-0.1), "'beta_2' parameter of Adamax"),
        (Adamax(epsilon=0.0), "'epsilon' parameter of Adamax"),
        (Adamax(weight_decay=-0.1), "'weight_decay' parameter of Adamax"),
        (NAdam(beta_1=1.0), "'beta_1' parameter of NAdam"),
        (NAdam(beta_2=1.5), "'beta_2' parameter of NAdam"),
        (NAdam(epsilon=0.0), "'epsilon' parameter of NAdam"),
        (NAdam(momentum_decay=-4e-3), "'momentum_decay' parameter of NAdam"),
        (NAdam(weight_decay=-0.1), "'weight_decay' parameter of NAdam"),
        (AdamW(weight_decay=-0.01), "'weight_decay' parameter of AdamW"),
        (AdamW(amsgrad=1), "'amsgrad' parameter of AdamW"),
    ],
)
def test_validate_names_the_bad_setting(optimizer, message):
    with pytest.raises(ValueError, match=message):
        optimizer.validate()


@pytest.mark.parametrize("optimizer", OPTIMIZER_CASES, ids=case_id)
def test_validate_accepts_good_settings(optimizer):
    optimizer.validate()


def test_registry_names_every_optimizer():
    assert GD_OPTIMIZERS is OPTIMIZERS
    assert OPTIMIZERS == {
        "sgd": skgd.optim.SGD,
        "adam": Adam,
        "adamw": AdamW,
        "rmsprop": RMSprop,
        "adagrad": Adagrad,
        "adadelta": Adadelta,
        "adamax": Adamax,
        "nadam": NAdam,
    }
    for Optimizer in OPTIMIZERS.values():
        assert getattr(skgd.optim, Optimizer.__name__) is Optimizer
        assert Optimizer.__name__ in skgd.optim.__all__

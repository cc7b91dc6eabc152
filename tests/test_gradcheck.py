"""check_gradient: every model's backward pass agrees with finite differences,
and a wrong one is caught."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from skgd import AdamRegressor, GradientCheck, check_gradient
from skgd.models import MLP, FunctionModel, JaxModel, Linear, TorchModel

torch.set_num_threads(1)

X = np.random.default_rng(42).normal(size=(7, 4))


def tanh_init(n_features, n_outputs, random_state, dtype):
    return {
        "coef_0": random_state.normal(size=(n_features, 5)),
        "intercept_0": random_state.normal(size=5),
        "coef_1": random_state.normal(size=(5, n_outputs)),
    }


def tanh_forward(params, X):
    return np.tanh(X @ params["coef_0"] + params["intercept_0"]) @ params["coef_1"]


def tanh_backward(params, X, grad_outputs):
    hidden = np.tanh(X @ params["coef_0"] + params["intercept_0"])
    delta = (grad_outputs @ params["coef_1"].T) * (1.0 - hidden**2)
    return {
        "coef_0": X.T @ delta,
        "intercept_0": delta.sum(axis=0),
        "coef_1": hidden.T @ grad_outputs,
    }


def jax_init(key, n_features, n_outputs):
    first, second = jax.random.split(key)
    return {
        "hidden": {
            "w": jax.random.normal(first, (n_features, 5)),
            "b": jnp.zeros(5),
        },
        "w_out": jax.random.normal(second, (5, n_outputs)),
    }


def jax_apply(params, X):
    hidden = jax.nn.sigmoid(X @ params["hidden"]["w"] + params["hidden"]["b"])
    return jnp.sin(hidden @ params["w_out"])


def make_torch_module(n_features, n_outputs):
    return torch.nn.Sequential(
        torch.nn.Linear(n_features, 5),
        torch.nn.Softplus(),
        torch.nn.Linear(5, n_outputs),
    )


CORRECT_MODELS = [
    Linear(),
    Linear(fit_intercept=False),
    *[
        MLP((6, 5), activation=activation)
        for activation in ("identity", "logistic", "tanh", "relu")
    ],
    FunctionModel(tanh_forward, tanh_init, tanh_backward),
    TorchModel(make_torch_module),
]


@pytest.mark.parametrize("model", CORRECT_MODELS, ids=repr)
@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_every_built_in_and_adapted_model_passes_in_float64(model, random_state):
    result = check_gradient(model, X, random_state=random_state)

    assert result.passed, str(result)
    assert result.tolerance == 1e-6
    assert set(result.errors) == set(
        model.init_params(4, 3, np.random.default_rng(), X.dtype)
    )


@pytest.mark.parametrize(
    "model",
    [
        MLP((6,), activation="tanh"),
        JaxModel(jax_apply, jax_init),
        TorchModel(make_torch_module),
    ],
    ids=repr,
)
def test_float32_models_pass_with_the_float32_tolerance(model):
    result = check_gradient(model, X.astype(np.float32))

    assert result.passed, str(result)
    assert result.tolerance == 2e-2


def test_jax_model_passes_in_float64_with_64_bit_mode():
    with jax.enable_x64(True):
        result = check_gradient(JaxModel(jax_apply, jax_init), X)

    assert result.passed, str(result)
    assert result.tolerance == 1e-6
    assert sorted(result.errors) == ["hidden/b", "hidden/w", "w_out"]


def test_float32_outputs_of_float64_parameters_get_float32_steps():
    # Outside 64-bit mode JAX computes in float32 whatever the parameters' dtype,
    # as it does for an estimator that keeps them in float64.
    model = JaxModel(jax_apply, jax_init)
    params = model.init_params(4, 3, np.random.default_rng(0), np.float32)
    params = {name: value.astype(np.float64) for name, value in params.items()}

    result = check_gradient(model, X, params)

    assert result.passed, str(result)
    assert result.tolerance == 2e-2


class DoubledIntercept(Linear):
    """A deliberately wrong gradient: the intercept's is twice too large."""

    def backward(self, params, cache, grad_outputs):
        grads = super().backward(params, cache, grad_outputs)
        grads["intercept"] = 2.0 * grads["intercept"]
        return grads


class ForgetsIntercept(Linear):
    def backward(self, params, cache, grad_outputs):
        return {"coef": super().backward(params, cache, grad_outputs)["coef"]}


def sign_slip_backward(params, X, grad_outputs):
    grads = tanh_backward(params, X, grad_outputs)
    grads["coef_0"][0, 0] *= -1.0
    return grads


def test_a_wrong_gradient_is_flagged_on_its_parameter_only():
    result = check_gradient(DoubledIntercept(), X)

    assert not result.passed
    assert result.failed == ["intercept"]
    assert result.errors["intercept"] == pytest.approx(0.5, rel=1e-6)
    assert result.errors["coef"] < 1e-8
    assert "intercept  0.5  FAILED" in str(result)


def test_one_wrong_entry_among_many_is_flagged():
    model = FunctionModel(tanh_forward, tanh_init, sign_slip_backward)

    result = check_gradient(model, X)

    assert result.failed == ["coef_0"]


def test_a_missing_gradient_is_an_infinite_error():
    result = check_gradient(ForgetsIntercept(), X)

    assert result.errors["intercept"] == np.inf
    assert result.failed == ["intercept"]


def test_raise_on_failure_names_the_parameter():
    with pytest.raises(AssertionError, match=r"gradients of \['intercept'\] disagree"):
        check_gradient(DoubledIntercept(), X, raise_on_failure=True)


def test_tolerance_decides_what_passes():
    result = check_gradient(DoubledIntercept(), X, tolerance=0.6)

    assert result.passed
    assert result.tolerance == 0.6


def test_checks_given_parameters_without_changing_them():
    y = X @ np.array([1.0, -2.0, 0.5, 3.0])
    estimator = AdamRegressor(model=MLP((4,), activation="tanh"), max_iter=5, tol=None)
    params = estimator.fit(X, y).params_
    before = {name: value.copy() for name, value in params.items()}

    result = check_gradient(estimator.model_, X, params)

    assert result.passed, str(result)
    for name, value in params.items():
        assert_allclose(value, before[name], rtol=0, atol=0)


def test_errors_are_relative_to_the_gradient_of_each_parameter():
    # Linear's coef gradient is X.T @ g, exact in finite differences to
    # rounding; scaling the inputs scales both gradients and leaves the
    # relative error of the wrong intercept at exactly 1/2.
    small = check_gradient(DoubledIntercept(), X * 1e-3)
    large = check_gradient(DoubledIntercept(), X * 1e3)

    assert small.errors["intercept"] == pytest.approx(0.5, rel=1e-6)
    assert large.errors["intercept"] == pytest.approx(0.5, rel=1e-6)


def test_result_is_a_plain_record():
    result = GradientCheck(errors={"w": 0.1, "b": 1e-9}, tolerance=0.05)

    assert result.max_error == 0.1
    assert result.failed == ["w"]
    assert not result.passed
    assert str(result).splitlines()[-1] == "tolerance 0.05: failed"

"""scikit-learn's own estimator checks, legacy ones included, with no expected
failures, for the Adam estimators wrapping each adapted model: a FunctionModel,
a JaxModel and a TorchModel, each a small MLP."""

from contextlib import nullcontext

import jax
import jax.numpy as jnp
import numpy as np
import torch
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgd import AdamClassifier, AdamRegressor
from skgd.models import FunctionModel, JaxModel, TorchModel

# Tiny models gain nothing from threads, and threads that wait on each other
# slow them down badly on a busy machine.
torch.set_num_threads(1)


def init_fn(n_features, n_outputs, random_state, dtype, width):
    sizes = [(n_features, width), (width, n_outputs)]
    bounds = [np.sqrt(6.0 / (fan_in + fan_out)) for fan_in, fan_out in sizes]
    return {
        "coef_0": random_state.uniform(-bounds[0], bounds[0], sizes[0]),
        "intercept_0": np.zeros(width),
        "coef_1": random_state.uniform(-bounds[1], bounds[1], sizes[1]),
        "intercept_1": np.zeros(n_outputs),
    }


def hidden(params, X):
    return np.tanh(X @ params["coef_0"] + params["intercept_0"])


def forward_fn(params, X, width):
    return hidden(params, X) @ params["coef_1"] + params["intercept_1"]


def backward_fn(params, X, grad_outputs, width):
    activations = hidden(params, X)
    delta = (grad_outputs @ params["coef_1"].T) * (1.0 - activations**2)
    return {
        "coef_0": np.asarray(X.T @ delta),
        "intercept_0": delta.sum(axis=0),
        "coef_1": activations.T @ grad_outputs,
        "intercept_1": grad_outputs.sum(axis=0),
    }


def jax_init_fn(key, n_features, n_outputs, width):
    hidden_key, output_key = jax.random.split(key)
    return {
        "hidden": {
            "w": jax.random.normal(hidden_key, (n_features, width))
            / jnp.sqrt(n_features),
            "b": jnp.zeros(width),
        },
        "output": {
            "w": jax.random.normal(output_key, (width, n_outputs)) / jnp.sqrt(width),
            "b": jnp.zeros(n_outputs),
        },
    }


def jax_apply_fn(params, X, width):
    layer, output = params["hidden"], params["output"]
    return jnp.tanh(X @ layer["w"] + layer["b"]) @ output["w"] + output["b"]


def make_torch_mlp(n_features, n_outputs, width):
    return torch.nn.Sequential(
        torch.nn.Linear(n_features, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, n_outputs),
    )


MODELS = [
    FunctionModel(forward_fn, init_fn, backward_fn, width=16),
    JaxModel(jax_apply_fn, jax_init_fn, width=16),
    TorchModel(make_torch_mlp, width=16),
]


@parametrize_with_checks(
    [
        Estimator(model=model)
        for Estimator in (AdamRegressor, AdamClassifier)
        for model in MODELS
    ]
)
def test_sklearn_compatible(estimator, check):
    # The checks compare predictions to a relative 1e-7, finer than float32
    # arithmetic resolves; JAX computes in float64 only in its 64-bit mode.
    is_jax = isinstance(estimator.model, JaxModel)
    with jax.enable_x64(True) if is_jax else nullcontext():
        check(estimator)

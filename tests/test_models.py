"""The models: gradients against finite differences, sparse and float32 input,
initialisation, and the scikit-learn parameter protocol."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone

from skgd.models import MLP, Linear, Model

N_SAMPLES, N_FEATURES, N_OUTPUTS = 6, 4, 3

ACTIVATIONS = ["relu", "tanh", "logistic", "identity"]
DEPTHS = [(), (5,), (4, 3), (3, 4, 2)]

MODELS = [
    Linear(),
    Linear(fit_intercept=False),
    *[
        MLP(hidden_layer_sizes=sizes, activation=activation)
        for activation in ACTIVATIONS
        for sizes in DEPTHS
    ],
]


def model_id(model):
    if not isinstance(model, Model):
        return None  # pytest's own id for other parameters
    if isinstance(model, Linear):
        return f"Linear-intercept={model.fit_intercept}"
    return f"MLP-{model.activation}-{model.hidden_layer_sizes}"


def random_params(model, seed, dtype=np.float64):
    """Initial parameters, with a random intercept and coef for the linear model
    whose parameters otherwise start at zero."""
    rng = np.random.default_rng(seed)
    params = model.init_params(N_FEATURES, N_OUTPUTS, rng, dtype)
    if isinstance(model, Linear):
        params = {
            name: rng.normal(size=value.shape).astype(dtype)
            for name, value in params.items()
        }
    return params


def functional(model, params, X, direction):
    """The linear functional ``sum(direction * outputs)`` of the outputs."""
    outputs, _ = model.forward(params, X)
    return float(np.sum(direction * outputs))


def finite_difference_grads(model, params, X, direction, step=1e-6):
    grads = {}
    for name, value in params.items():
        grads[name] = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {key: array.copy() for key, array in params.items()}
            shifted[name][index] += step
            above = functional(model, shifted, X, direction)
            shifted[name][index] -= 2 * step
            below = functional(model, shifted, X, direction)
            grads[name][index] = (above - below) / (2 * step)
    return grads


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_backward_matches_finite_differences(model):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(N_SAMPLES, N_FEATURES))
    direction = rng.normal(size=(N_SAMPLES, N_OUTPUTS))
    params = random_params(model, seed=1)

    _, cache = model.forward(params, X)
    grads = model.backward(params, cache, direction)
    expected = finite_difference_grads(model, params, X, direction)

    assert list(grads) == list(params)
    for name, value in params.items():
        assert grads[name].shape == value.shape
        assert_allclose(grads[name], expected[name], rtol=1e-6, atol=1e-8)


def test_mlp_forward_by_hand():
    # One tanh unit: h = tanh(1 * 2 + 0.5) = tanh(2.5); output 3 * h - 1.
    model = MLP(hidden_layer_sizes=(1,), activation="tanh")
    params = {
        "coef_0": np.array([[2.0]]),
        "intercept_0": np.array([0.5]),
        "coef_1": np.array([[3.0]]),
        "intercept_1": np.array([-1.0]),
    }
    outputs, _ = model.forward(params, np.array([[1.0], [-1.0]]))
    assert_allclose(outputs, [[3 * np.tanh(2.5) - 1], [3 * np.tanh(-1.5) - 1]])


def sparse_input(seed, dtype=np.float64, container=sp.csr_matrix):
    rng = np.random.default_rng(seed)
    dense = rng.normal(size=(N_SAMPLES, N_FEATURES)).astype(dtype)
    dense[rng.random(dense.shape) < 0.5] = 0.0
    return container(dense), dense


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csr_array])
@pytest.mark.parametrize(
    "model",
    [Linear(), MLP(hidden_layer_sizes=(5,)), MLP((4, 3), activation="tanh")],
    ids=model_id,
)
def test_sparse_input_equals_dense(model, container):
    X_sparse, X_dense = sparse_input(seed=2, container=container)
    params = random_params(model, seed=3)
    direction = np.random.default_rng(4).normal(size=(N_SAMPLES, N_OUTPUTS))

    outputs_sparse, cache_sparse = model.forward(params, X_sparse)
    outputs_dense, cache_dense = model.forward(params, X_dense)
    grads_sparse = model.backward(params, cache_sparse, direction)
    grads_dense = model.backward(params, cache_dense, direction)

    assert type(outputs_sparse) is np.ndarray
    assert_allclose(outputs_sparse, outputs_dense, rtol=1e-12, atol=1e-14)
    for name in params:
        assert type(grads_sparse[name]) is np.ndarray
        assert grads_sparse[name].shape == params[name].shape
        assert_allclose(grads_sparse[name], grads_dense[name], rtol=1e-12, atol=1e-14)


FLOAT32_MODELS = [
    Linear(),
    *[MLP(hidden_layer_sizes=(5, 3), activation=name) for name in ACTIVATIONS],
]


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "csr"])
@pytest.mark.parametrize("model", FLOAT32_MODELS, ids=model_id)
def test_float32_in_float32_out(model, sparse):
    X_sparse, X_dense = sparse_input(seed=5, dtype=np.float32)
    X = X_sparse if sparse else X_dense
    params = random_params(model, seed=6, dtype=np.float32)
    direction = np.ones((N_SAMPLES, N_OUTPUTS), dtype=np.float32)

    outputs, cache = model.forward(params, X)
    grads = model.backward(params, cache, direction)

    assert all(value.dtype == np.float32 for value in params.values())
    assert outputs.dtype == np.float32
    assert all(grads[name].dtype == np.float32 for name in params)


@pytest.mark.parametrize("model", [Linear(), MLP((4, 3))], ids=model_id)
def test_predict_equals_forward(model):
    params = random_params(model, seed=7)
    X = np.random.default_rng(8).normal(size=(N_SAMPLES, N_FEATURES))
    assert_array_equal(model.predict(params, X), model.forward(params, X)[0])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_init_params_is_deterministic_per_seed(activation):
    model = MLP(hidden_layer_sizes=(5, 3), activation=activation)

    def init(seed):
        return model.init_params(4, 2, np.random.default_rng(seed), np.float64)

    first, again, other = init(11), init(11), init(12)
    for name in first:
        assert_array_equal(first[name], again[name])
        assert not np.array_equal(first[name], other[name])


@pytest.mark.parametrize(
    "activation, gain", [("relu", 1.0), ("tanh", 1.0), ("logistic", 2.0)]
)
def test_init_params_uses_glorot_bound(activation, gain):
    model = MLP(hidden_layer_sizes=(60,), activation=activation)
    params = model.init_params(40, 20, np.random.default_rng(0), np.float64)

    for layer, (fan_in, fan_out) in enumerate([(40, 60), (60, 20)]):
        # Glorot and Bengio's uniform bound sqrt(6 / (fan_in + fan_out)),
        # doubled for the logistic activation.
        bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
        coef = params[f"coef_{layer}"]
        intercept = params[f"intercept_{layer}"]

        assert coef.shape == (fan_in, fan_out)
        assert intercept.shape == (fan_out,)
        assert np.abs(coef).max() <= bound
        assert np.abs(intercept).max() <= bound
        # Over a thousand draws reach close to the bound from both sides...
        assert coef.max() > 0.98 * bound
        assert coef.min() < -0.98 * bound
        # ...and spread as a uniform on [-bound, bound] does: std bound / sqrt(3).
        assert coef.std() == pytest.approx(bound / np.sqrt(3.0), rel=0.05)


def test_linear_starts_at_zero():
    params = Linear().init_params(3, 2, np.random.default_rng(0), np.float64)
    assert_array_equal(params["coef"], np.zeros((3, 2)))
    assert_array_equal(params["intercept"], np.zeros(2))


def test_linear_without_intercept_has_none():
    model = Linear(fit_intercept=False)
    params = model.init_params(3, 2, np.random.default_rng(0), np.float64)
    params["coef"] += 1.0

    outputs, cache = model.forward(params, np.zeros((4, 3)))
    grads = model.backward(params, cache, np.ones((4, 2)))

    assert list(params) == ["coef"]
    assert list(grads) == ["coef"]
    assert_array_equal(outputs, 0.0)


@pytest.mark.parametrize(
    "model, expected",
    [
        (Linear(), ["coef"]),
        (Linear(fit_intercept=False), ["coef"]),
        (MLP(hidden_layer_sizes=()), ["coef_0"]),
        (MLP(hidden_layer_sizes=(4, 3)), ["coef_0", "coef_1", "coef_2"]),
    ],
    ids=model_id,
)
def test_penalized_names_weight_matrices_only(model, expected):
    params = model.init_params(5, 2, np.random.default_rng(0), np.float64)
    assert sorted(model.penalized(params)) == expected


@pytest.mark.parametrize(
    "hidden_layer_sizes, expected_widths",
    [(5, [5]), ([3, 2], [3, 2]), (np.array([4, 2]), [4, 2]), ((), [])],
)
def test_mlp_layer_sizes_forms(hidden_layer_sizes, expected_widths):
    model = MLP(hidden_layer_sizes=hidden_layer_sizes)
    params = model.init_params(6, 2, np.random.default_rng(0), np.float64)

    widths = [params[f"coef_{layer}"].shape[1] for layer in range(len(params) // 2)]
    assert widths == [*expected_widths, 2]


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"hidden_layer_sizes": (0,)}, r"hidden_layer_sizes must hold positive"),
        ({"hidden_layer_sizes": (3, -2)}, r"hidden_layer_sizes must hold positive"),
        ({"hidden_layer_sizes": (2.5,)}, r"hidden_layer_sizes must hold positive"),
        ({"hidden_layer_sizes": 0}, r"'hidden_layer_sizes' parameter of MLP"),
        ({"hidden_layer_sizes": "10"}, r"'hidden_layer_sizes' parameter of MLP"),
        ({"hidden_layer_sizes": None}, r"'hidden_layer_sizes' parameter of MLP"),
        ({"activation": "softplus"}, r"'activation' parameter of MLP.*'softplus'"),
    ],
)
def test_mlp_rejects_bad_settings(settings, message):
    model = MLP(**settings)
    with pytest.raises(ValueError, match=message):
        model.init_params(3, 1, np.random.default_rng(0), np.float64)


def test_linear_rejects_bad_fit_intercept():
    with pytest.raises(ValueError, match="'fit_intercept' parameter of Linear"):
        Linear(fit_intercept="no")._validate_params()


class Scaled(Model):
    """A user's model: a linear map times a fixed factor."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def init_params(self, n_features, n_outputs, random_state, dtype):
        coef = random_state.normal(size=(n_features, n_outputs))
        return {"coef": coef.astype(dtype)}

    def forward(self, params, X):
        return self.scale * (X @ params["coef"]), X

    def backward(self, params, cache, grad_outputs):
        return {"coef": self.scale * (cache.T @ grad_outputs)}


def test_user_model_get_set_params_and_clone():
    model = Scaled(scale=2.0)
    assert model.get_params() == {"scale": 2.0}

    assert model.set_params(scale=3.0) is model
    params = {"coef": np.ones((2, 1))}
    assert_allclose(model.predict(params, np.array([[1.0, 1.0]])), [[6.0]])

    copy = clone(model)
    assert copy is not model
    assert type(copy) is Scaled
    assert copy.get_params() == {"scale": 3.0}

    with pytest.raises(ValueError, match="Invalid parameter 'shift'"):
        model.set_params(shift=1.0)


def test_user_model_default_penalty_and_gradient():
    model = Scaled(scale=-1.5)
    params = model.init_params(3, 2, np.random.default_rng(0), np.float64)
    X = np.random.default_rng(1).normal(size=(N_SAMPLES, 3))
    direction = np.random.default_rng(2).normal(size=(N_SAMPLES, 2))

    _, cache = model.forward(params, X)
    grads = model.backward(params, cache, direction)
    expected = finite_difference_grads(model, params, X, direction)

    assert model.penalized(params) == ["coef"]
    assert_allclose(grads["coef"], expected["coef"], rtol=1e-6, atol=1e-8)


def test_mlp_get_params_for_grid_search():
    model = MLP(hidden_layer_sizes=(7,), activation="tanh")
    assert model.get_params() == {"hidden_layer_sizes": (7,), "activation": "tanh"}
    assert clone(model).set_params(activation="relu").activation == "relu"
    assert model.activation == "tanh"

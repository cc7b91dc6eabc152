"""JaxModel: JAX functions trained by every estimator, with gradients from
jax.vjp, compiled once per shape, in JAX's float32 or 64-bit mode."""

import pickle
import subprocess
import sys
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import JaxModel


def init_fn(key, n_features, n_outputs, width=8):
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


def apply_fn(params, X, width=8):
    hidden = jnp.tanh(X @ params["hidden"]["w"] + params["hidden"]["b"])
    return hidden @ params["output"]["w"] + params["output"]["b"]


def numpy_forward_and_backward(params, X, grad_outputs):
    """The same network in numpy, with its gradients derived by hand."""
    hidden = np.tanh(X @ params["hidden/w"] + params["hidden/b"])
    outputs = hidden @ params["output/w"] + params["output/b"]
    delta = (grad_outputs @ params["output/w"].T) * (1.0 - hidden**2)
    grads = {
        "hidden/w": X.T @ delta,
        "hidden/b": delta.sum(axis=0),
        "output/w": hidden.T @ grad_outputs,
        "output/b": grad_outputs.sum(axis=0),
    }
    return outputs, grads


@pytest.fixture
def regression():
    X, y = make_regression(n_samples=100, n_features=4, noise=0.5, random_state=0)
    return X, y / y.std()


@pytest.fixture
def classification():
    return make_classification(
        n_samples=120, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def test_forward_and_backward_match_the_hand_derived_network():
    rng = np.random.default_rng(0)
    X, grad_outputs = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    model = JaxModel(apply_fn, init_fn, width=5)

    with jax.enable_x64(True):
        params = model.init_params(4, 3, rng, np.float64)
        outputs, cache = model.forward(params, X)
        grads = model.backward(params, cache, grad_outputs)
        predictions = model.predict(params, X)
    expected_outputs, expected_grads = numpy_forward_and_backward(
        params, X, grad_outputs
    )

    assert_allclose(outputs, expected_outputs, rtol=1e-12)
    assert_allclose(predictions, expected_outputs, rtol=1e-12)
    assert list(grads) == ["hidden/w", "hidden/b", "output/w", "output/b"]
    for name, grad in grads.items():
        assert grad.dtype == np.float64
        assert_allclose(grad, expected_grads[name], rtol=1e-12, atol=1e-14)


def test_nested_parameters_are_flat_names_and_matrices_are_penalised():
    model = JaxModel(apply_fn, init_fn, width=5)

    params = model.init_params(4, 2, np.random.default_rng(0), np.float32)

    assert {name: value.shape for name, value in params.items()} == {
        "hidden/w": (4, 5),
        "hidden/b": (5,),
        "output/w": (5, 2),
        "output/b": (2,),
    }
    assert model.penalized(params) == ["hidden/w", "output/w"]


@pytest.mark.parametrize(
    "x64, input_dtype, expected",
    [
        (False, np.float64, np.float32),
        (False, np.float32, np.float32),
        (True, np.float64, np.float64),
        (True, np.float32, np.float32),
    ],
)
def test_float32_unless_64_bit_mode_and_float64_input(x64, input_dtype, expected):
    model = JaxModel(apply_fn, init_fn)
    X = np.ones((3, 4), dtype=input_dtype)

    with jax.enable_x64(x64):
        params = model.init_params(4, 2, np.random.default_rng(0), input_dtype)
        outputs, cache = model.forward(params, X)
        grads = model.backward(params, cache, np.ones((3, 2)))

    assert {value.dtype for value in params.values()} == {np.dtype(expected)}
    assert outputs.dtype == expected
    assert {grad.dtype for grad in grads.values()} == {np.dtype(expected)}


def test_same_random_state_same_start():
    model = JaxModel(apply_fn, init_fn)

    first = model.init_params(4, 2, np.random.default_rng(3), np.float32)
    again = model.init_params(4, 2, np.random.default_rng(3), np.float32)
    other = model.init_params(4, 2, np.random.default_rng(4), np.float32)

    assert_allclose(first["hidden/w"], again["hidden/w"], rtol=0)
    assert not np.allclose(first["hidden/w"], other["hidden/w"])


TRACES = []


def counting_apply_fn(params, X, width=8):
    TRACES.append(X.shape)  # runs only while JAX traces, not when it reruns
    return apply_fn(params, X)


def test_compiled_once_per_shape_and_shared_by_copies(regression):
    X, y = regression
    model = JaxModel(counting_apply_fn, init_fn)
    estimator = AdamRegressor(model=model, batch_size=30, max_iter=3, tol=None)

    estimator.fit(X, y)
    traced_in_first_fit = list(TRACES)
    clone(estimator).fit(X, y)
    traced_in_both_fits = list(TRACES)
    restored = pickle.loads(pickle.dumps(estimator))
    restored.predict(X)
    restored.predict(X)

    assert {(30, 4), (10, 4)} <= set(traced_in_first_fit)  # batches, remainder
    assert traced_in_both_fits == traced_in_first_fit
    assert TRACES == [*traced_in_first_fit, (100, 4)]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "Estimator", [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]
)
def test_every_estimator_trains_it(Estimator, regression, classification):
    is_classifier = Estimator in (SGDClassifier, AdamClassifier)
    X, y = classification if is_classifier else regression
    model = JaxModel(apply_fn, init_fn, width=16)
    estimator = Estimator(model=model, learning_rate=0.02, random_state=0)
    if Estimator in (SGDRegressor, SGDClassifier):
        estimator.set_params(learning_rate=0.1, tol=None, max_iter=100)

    estimator.fit(X, y)

    assert estimator.score(X, y) > (0.9 if is_classifier else 0.95)


def test_partial_fit_early_stopping_pickle_and_sparse_input(classification):
    X, y = classification
    model = JaxModel(apply_fn, init_fn, width=8)

    streamed = AdamClassifier(model=model, random_state=0)
    for chunk in np.array_split(np.arange(len(y)), 3):
        streamed.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    stopped = AdamClassifier(model=model, early_stopping=True, random_state=0)
    stopped.fit(X, y)
    restored = pickle.loads(pickle.dumps(stopped))

    assert streamed.t_ == 3
    assert stopped.n_iter_ < stopped.max_iter
    assert_allclose(restored.predict_proba(X), stopped.predict_proba(X))
    assert_allclose(
        stopped.predict_proba(sp.csr_matrix(X)), stopped.predict_proba(X), rtol=1e-6
    )


def test_grid_search_over_learning_rate_reaches_95_percent_on_digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model = JaxModel(apply_fn, init_fn, width=64)
    pipeline = make_pipeline(
        StandardScaler(), AdamClassifier(model=model, max_iter=50, random_state=0)
    )
    search = GridSearchCV(
        pipeline, {"adamclassifier__learning_rate": [1e-3, 1e-2]}, cv=3
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X_train, y_train)

    assert search.score(X_test, y_test) >= 0.95


def test_grid_search_sets_the_width(classification):
    X, y = classification
    search = GridSearchCV(
        AdamClassifier(model=JaxModel(apply_fn, init_fn, width=4), max_iter=20),
        {"model__width": [2, 6]},
        cv=2,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)

    width = search.best_params_["model__width"]
    assert search.best_estimator_.params_["hidden/w"].shape == (5, width)


def wrong_shape_apply_fn(params, X, width=8):
    return apply_fn(params, X).ravel()


def test_errors_name_what_is_wrong():
    rng = np.random.default_rng(0)

    def tuple_init_fn(key, n_features, n_outputs):
        return (jnp.zeros((n_features, n_outputs)),)

    def slash_init_fn(key, n_features, n_outputs):
        return {"a/b": jnp.zeros((n_features, n_outputs))}

    with pytest.raises(TypeError, match=r"init_fn must return .* dict of arrays"):
        JaxModel(apply_fn, tuple_init_fn).init_params(3, 1, rng, np.float32)
    with pytest.raises(TypeError, match="str keys without '/'; got the key 'a/b'"):
        JaxModel(apply_fn, slash_init_fn).init_params(3, 1, rng, np.float32)
    with pytest.raises(TypeError, match=r"must be hashable.*tuples rather than lists"):
        JaxModel(apply_fn, init_fn, width=[4]).init_params(3, 1, rng, np.float32)

    model = JaxModel(wrong_shape_apply_fn, init_fn)
    params = model.init_params(3, 2, rng, np.float32)
    with pytest.raises(ValueError, match=r"apply_fn must return a 2-D array.*\(10,\)"):
        model.forward(params, np.ones((5, 3), np.float32))


def test_importing_skgd_imports_neither_jax_nor_torch():
    code = (
        "import sys, skgd, skgd.models\n"
        "assert 'jax' not in sys.modules and 'torch' not in sys.modules\n"
        "skgd.models.JaxModel\n"
        "assert 'jax' in sys.modules and 'torch' not in sys.modules\n"
    )

    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_jax_the_error_says_what_to_install():
    code = (
        "import sys\n"
        "class Uninstalled:\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'jax':\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, Uninstalled)\n"
        "import skgd.models\n"
        "skgd.models.JaxModel\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )

    assert completed.returncode == 1
    assert "JaxModel needs JAX; install it with: pip install 'skgd[jax]'" in (
        completed.stderr
    )

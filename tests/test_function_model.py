"""FunctionModel: a model made from plain functions, with an analytic or a
finite-difference backward pass, that trains like the built-in models."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning, EfficiencyWarning
from sklearn.model_selection import GridSearchCV

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import FunctionModel, Linear
from skgd.models._function import finite_difference_vjp


# A linear model written as functions, with a scale setting; at scale=1 it is
# the built-in Linear model.
def linear_init(n_features, n_outputs, random_state, dtype, scale=1.0):
    return {
        "coef": np.zeros((n_features, n_outputs)),
        "intercept": np.zeros(n_outputs),
    }


def linear_forward(params, X, scale=1.0):
    return scale * np.asarray(X @ params["coef"]) + params["intercept"]


def linear_backward(params, X, grad_outputs, scale=1.0):
    return {
        "coef": scale * np.asarray(X.T @ grad_outputs),
        "intercept": grad_outputs.sum(axis=0),
    }


# A one-hidden-layer tanh network whose width is a setting.
def mlp_init(n_features, n_outputs, random_state, dtype, width=8):
    return {
        "coef_0": random_state.normal(0.0, n_features**-0.5, (n_features, width)),
        "intercept_0": np.zeros(width),
        "coef_1": random_state.normal(0.0, width**-0.5, (width, n_outputs)),
        "intercept_1": np.zeros(n_outputs),
    }


def mlp_forward(params, X, width=8):
    hidden = np.tanh(np.asarray(X @ params["coef_0"]) + params["intercept_0"])
    return hidden @ params["coef_1"] + params["intercept_1"]


def mlp_backward(params, X, grad_outputs, width=8):
    hidden = np.tanh(np.asarray(X @ params["coef_0"]) + params["intercept_0"])
    delta = (grad_outputs @ params["coef_1"].T) * (1.0 - hidden**2)
    return {
        "coef_0": np.asarray(X.T @ delta),
        "intercept_0": delta.sum(axis=0),
        "coef_1": hidden.T @ grad_outputs,
        "intercept_1": grad_outputs.sum(axis=0),
    }


@pytest.fixture
def regression():
    X, y = make_regression(n_samples=120, n_features=4, noise=0.5, random_state=0)
    return X, y / y.std()


@pytest.fixture
def classification():
    return make_classification(
        n_samples=150, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def test_settings_are_parameters_that_clone_and_set_params_keep():
    model = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=4)

    assert model.get_params()["width"] == 4
    assert clone(model).get_params()["width"] == 4
    assert model.set_params(width=6).width == 6
    assert "width=6" in repr(model)
    with pytest.raises(ValueError, match="Invalid parameter 'depth'"):
        model.set_params(depth=2)


def test_setting_passes_to_every_function():
    model = FunctionModel(linear_forward, linear_init, linear_backward, scale=3.0)
    params = model.init_params(2, 1, np.random.default_rng(0), np.float64)
    params["coef"][:] = 1.0
    X = np.array([[1.0, 2.0]])

    outputs, cache = model.forward(params, X)
    grads = model.backward(params, cache, np.ones((1, 1)))

    assert outputs.tolist() == [[9.0]]
    assert grads["coef"].ravel().tolist() == [3.0, 6.0]


@pytest.mark.parametrize(
    "Estimator", [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]
)
def test_every_estimator_trains_it_exactly_as_the_built_in_linear_model(
    Estimator, regression, classification
):
    is_classifier = Estimator in (SGDClassifier, AdamClassifier)
    X, y = classification if is_classifier else regression
    function_model = FunctionModel(linear_forward, linear_init, linear_backward)
    settings = {"max_iter": 20, "random_state": 0}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        built_in = Estimator(model=Linear(), **settings).fit(X, y)
        adapted = Estimator(model=function_model, **settings).fit(X, y)

    assert_allclose(adapted.params_["coef"], built_in.params_["coef"], rtol=1e-12)
    assert adapted.score(X, y) == built_in.score(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_adam_fits_an_mlp_of_functions(regression, classification):
    model = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=16)

    regressor = AdamRegressor(model=model, random_state=0).fit(*regression)
    classifier = AdamClassifier(model=model, learning_rate=0.05, random_state=0)
    classifier.fit(*classification)

    assert regressor.score(*regression) > 0.95
    assert classifier.score(*classification) > 0.95
    assert model.get_params()["width"] == 16


def test_partial_fit_early_stopping_and_pickle(classification):
    X, y = classification
    model = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=16)

    streamed = AdamClassifier(model=model, random_state=0)
    for chunk in np.array_split(np.arange(len(y)), 3):
        streamed.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    stopped = AdamClassifier(model=model, early_stopping=True, random_state=0)
    stopped.fit(X, y)
    restored = pickle.loads(pickle.dumps(stopped))

    assert streamed.t_ == 3
    assert stopped.n_iter_ < stopped.max_iter
    assert_allclose(restored.predict_proba(X), stopped.predict_proba(X))


def test_grid_search_sets_the_width(classification):
    X, y = classification
    model = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=2)
    search = GridSearchCV(
        AdamClassifier(model=model, max_iter=50, random_state=0),
        {"model__width": [3, 12]},
        cv=2,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)

    best_width = search.best_params_["model__width"]
    assert search.best_estimator_.params_["coef_0"].shape == (5, best_width)
    assert search.cv_results_["param_model__width"].tolist() == [3, 12]


def test_sparse_input_trains_as_dense_input_does(regression):
    X, y = regression
    model = FunctionModel(linear_forward, linear_init, linear_backward)

    dense = AdamRegressor(model=model, random_state=0, max_iter=5, tol=None)
    dense.fit(X, y)
    sparse = AdamRegressor(model=model, random_state=0, max_iter=5, tol=None)
    sparse.fit(sp.csr_matrix(X), y)

    assert_allclose(sparse.params_["coef"], dense.params_["coef"], rtol=1e-10)


def test_parameters_take_the_input_dtype(regression):
    X, y = regression
    model = FunctionModel(mlp_forward, mlp_init, mlp_backward)

    estimator = AdamRegressor(model=model, max_iter=3, tol=None).fit(
        X.astype(np.float32), y
    )

    assert {value.dtype for value in estimator.params_.values()} == {
        np.dtype(np.float32)
    }
    assert estimator.predict(X.astype(np.float32)).dtype == np.float32


def test_finite_differences_match_a_closed_form():
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    params = {"w": np.array([0.5, -2.0])}
    grad_outputs = np.array([[1.0], [3.0]])

    # outputs = X @ w**2, so d(sum(g * outputs))/dw = 2 w * (X.T @ g).
    grads = finite_difference_vjp(
        lambda params, X: (X @ params["w"] ** 2)[:, np.newaxis],
        params,
        X,
        grad_outputs,
    )

    expected = 2.0 * params["w"] * (X.T @ grad_outputs).ravel()
    assert_allclose(grads["w"], expected, rtol=1e-8)
    assert params["w"].tolist() == [0.5, -2.0]


def test_without_backward_gradients_come_from_finite_differences():
    model = FunctionModel(mlp_forward, mlp_init, width=3)
    reference = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=3)
    rng = np.random.default_rng(0)
    params = model.init_params(4, 2, rng, np.float64)
    X, grad_outputs = rng.normal(size=(6, 4)), rng.normal(size=(6, 2))

    with pytest.warns(EfficiencyWarning, match="finite differences.*backward_fn"):
        grads = model.backward(params, model.forward(params, X)[1], grad_outputs)
    expected = reference.backward(params, X, grad_outputs)

    for name in params:
        assert_allclose(grads[name], expected[name], rtol=1e-6, atol=1e-9)


def test_finite_difference_warning_comes_once_per_fit(regression):
    X, y = regression
    model = FunctionModel(linear_forward, linear_init)
    estimator = AdamRegressor(model=model, batch_size=40, max_iter=2, tol=None)

    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            estimator.fit(X, y)
        efficiency = [w for w in caught if w.category is EfficiencyWarning]
        assert len(efficiency) == 1
        assert "10 parameter entries" not in str(efficiency[0].message)
        assert "5 parameter entries" in str(efficiency[0].message)


def test_finite_differences_train_like_the_analytic_backward(regression):
    X, y = regression
    analytic = FunctionModel(mlp_forward, mlp_init, mlp_backward, width=3)
    numeric = FunctionModel(mlp_forward, mlp_init, width=3)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EfficiencyWarning)
        expected = AdamRegressor(model=analytic, max_iter=5, random_state=0, tol=None)
        found = AdamRegressor(model=numeric, max_iter=5, random_state=0, tol=None)
        expected.fit(X, y)
        found.fit(X, y)

    assert_allclose(found.predict(X), expected.predict(X), rtol=1e-6)


def wrong_keys_backward(params, X, grad_outputs, width=8):
    return {"coef_0": np.zeros_like(params["coef_0"])}


def transposed_backward(params, X, grad_outputs, width=8):
    grads = mlp_backward(params, X, grad_outputs)
    grads["coef_0"] = grads["coef_0"].T
    return grads


def test_errors_name_the_function_at_fault(regression):
    X, y = regression
    rng = np.random.default_rng(0)

    def list_init(*args, **settings):
        return [np.zeros((4, 1))]

    def flat_forward(params, X, width=8):
        return mlp_forward(params, X).ravel()

    with pytest.raises(TypeError, match=r"init_fn must return .* dict.*got list"):
        FunctionModel(mlp_forward, list_init).init_params(4, 1, rng, np.float64)
    with pytest.raises(
        ValueError,
        match=r"forward_fn must return a 2-D array of shape \(n_samples, n_outputs\)",
    ):
        AdamRegressor(model=FunctionModel(flat_forward, mlp_init)).fit(X, y)
    with pytest.raises(
        ValueError, match="backward_fn must return a dict with the keys"
    ):
        AdamRegressor(
            model=FunctionModel(mlp_forward, mlp_init, wrong_keys_backward)
        ).fit(X, y)
    with pytest.raises(ValueError, match=r"shape \(8, 4\) for 'coef_0'"):
        AdamRegressor(
            model=FunctionModel(mlp_forward, mlp_init, transposed_backward)
        ).fit(X, y)


def test_bad_functions_and_settings_are_refused_at_fit(regression):
    X, y = regression

    with pytest.raises(ValueError, match="'forward_fn' parameter of FunctionModel"):
        AdamRegressor(model=FunctionModel("forward", mlp_init)).fit(X, y)
    with pytest.raises(ValueError, match=r"settings \['predict'\].*hide"):
        AdamRegressor(model=FunctionModel(mlp_forward, mlp_init, predict=1)).fit(X, y)

"""TorchModel: PyTorch modules trained by every estimator, with parameters
kept as numpy arrays and gradients from autograd."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import TorchModel

# Tiny models gain nothing from threads, and threads that wait on each other
# slow them down badly on a busy machine.
torch.set_num_threads(1)


def make_mlp(n_features, n_outputs, width=8):
    return torch.nn.Sequential(
        torch.nn.Linear(n_features, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, n_outputs),
    )


class DropoutMLP(torch.nn.Module):
    def __init__(self, n_features, n_outputs, width=8):
        super().__init__()
        self.hidden = torch.nn.Linear(n_features, width)
        self.dropout = torch.nn.Dropout(0.5)
        self.output = torch.nn.Linear(width, n_outputs)

    def forward(self, X):
        return self.output(self.dropout(torch.relu(self.hidden(X))))


def make_normalised_mlp(n_features, n_outputs):
    return torch.nn.Sequential(
        torch.nn.Linear(n_features, 4),
        torch.nn.BatchNorm1d(4),
        torch.nn.Linear(4, n_outputs),
    )


def make_flat_output(n_features, n_outputs):
    return torch.nn.Sequential(torch.nn.Linear(n_features, 1), torch.nn.Flatten(0))


@pytest.fixture
def regression():
    X, y = make_regression(n_samples=100, n_features=4, noise=0.5, random_state=0)
    return X, y / y.std()


@pytest.fixture
def classification():
    return make_classification(
        n_samples=120, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def test_parameters_are_the_modules_named_parameters_as_arrays():
    model = TorchModel(make_mlp, width=5)

    params = model.init_params(4, 2, np.random.default_rng(0), np.float32)

    assert {name: value.shape for name, value in params.items()} == {
        "0.weight": (5, 4),
        "0.bias": (5,),
        "2.weight": (2, 5),
        "2.bias": (2,),
    }
    assert all(isinstance(value, np.ndarray) for value in params.values())
    assert model.penalized(params) == ["0.weight", "2.weight"]


def test_forward_and_backward_match_the_hand_derived_network():
    rng = np.random.default_rng(0)
    X, grad_outputs = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    model = TorchModel(make_mlp, width=5)
    params = model.init_params(4, 3, rng, np.float64)

    outputs, cache = model.forward(params, X)
    grads = model.backward(params, cache, grad_outputs)

    hidden = np.tanh(X @ params["0.weight"].T + params["0.bias"])
    delta = (grad_outputs @ params["2.weight"]) * (1.0 - hidden**2)
    assert_allclose(outputs, hidden @ params["2.weight"].T + params["2.bias"])
    assert_allclose(model.predict(params, X), outputs, rtol=1e-15)
    assert_allclose(grads["0.weight"], delta.T @ X, rtol=1e-12)
    assert_allclose(grads["0.bias"], delta.sum(axis=0), rtol=1e-12)
    assert_allclose(grads["2.weight"], grad_outputs.T @ hidden, rtol=1e-12)
    assert_allclose(grads["2.bias"], grad_outputs.sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_computes_in_the_input_dtype(dtype):
    model = TorchModel(make_mlp)
    X = np.ones((3, 4), dtype=dtype)

    params = model.init_params(4, 2, np.random.default_rng(0), dtype)
    outputs, cache = model.forward(params, X)
    grads = model.backward(params, cache, np.ones((3, 2), dtype=dtype))

    assert {value.dtype for value in params.values()} == {np.dtype(dtype)}
    assert outputs.dtype == dtype
    assert {grad.dtype for grad in grads.values()} == {np.dtype(dtype)}


def test_same_random_state_same_start_and_torch_global_seed_untouched():
    model = TorchModel(make_mlp)
    torch.manual_seed(123)
    expected_draw = torch.rand(1)
    torch.manual_seed(123)

    first = model.init_params(4, 2, np.random.default_rng(3), np.float32)
    again = model.init_params(4, 2, np.random.default_rng(3), np.float32)
    other = model.init_params(4, 2, np.random.default_rng(4), np.float32)

    assert torch.rand(1) == expected_draw
    assert_allclose(first["0.weight"], again["0.weight"], rtol=0)
    assert not np.allclose(first["0.weight"], other["0.weight"])


def test_dropout_trains_in_training_mode_and_predicts_in_evaluation_mode():
    model = TorchModel(DropoutMLP, width=64)
    params = model.init_params(4, 1, np.random.default_rng(0), np.float64)
    X = np.ones((50, 4))

    first, _ = model.forward(params, X)
    second, _ = model.forward(params, X)

    assert not np.allclose(first, second)
    assert_allclose(model.predict(params, X), model.predict(params, X), rtol=0)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "Estimator", [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]
)
def test_every_estimator_trains_it(Estimator, regression, classification):
    is_classifier = Estimator in (SGDClassifier, AdamClassifier)
    X, y = classification if is_classifier else regression
    model = TorchModel(make_mlp, width=16)
    estimator = Estimator(model=model, learning_rate=0.02, random_state=0)
    if Estimator in (SGDRegressor, SGDClassifier):
        estimator.set_params(learning_rate=0.1, tol=None, max_iter=100)

    estimator.fit(X, y)

    assert estimator.score(X, y) > (0.9 if is_classifier else 0.95)


def test_partial_fit_early_stopping_pickle_and_sparse_input(classification):
    X, y = classification
    model = TorchModel(make_mlp, width=8)

    streamed = AdamClassifier(model=model, random_state=0)
    for chunk in np.array_split(np.arange(len(y)), 3):
        streamed.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    stopped = AdamClassifier(model=model, early_stopping=True, random_state=0)
    stopped.fit(X, y)
    restored = pickle.loads(pickle.dumps(stopped))

    assert streamed.t_ == 3
    assert stopped.n_iter_ < stopped.max_iter
    assert "_module" not in vars(restored.model_)
    assert_allclose(restored.predict_proba(X), stopped.predict_proba(X))
    assert_allclose(
        stopped.predict_proba(sp.csr_matrix(X)), stopped.predict_proba(X), rtol=1e-12
    )
    assert clone(stopped).get_params()["model__width"] == 8


def test_grid_search_over_learning_rate_reaches_95_percent_on_digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model = TorchModel(make_mlp, width=64)
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
        AdamClassifier(model=TorchModel(make_mlp, width=4), max_iter=20),
        {"model__width": [2, 6]},
        cv=2,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)

    width = search.best_params_["model__width"]
    assert search.best_estimator_.params_["0.weight"].shape == (width, 5)


def test_errors_name_what_is_wrong(regression):
    X, y = regression
    rng = np.random.default_rng(0)

    def not_a_module(n_features, n_outputs):
        return lambda X: X

    with pytest.raises(TypeError, match=r"must return a torch.nn.Module, got function"):
        TorchModel(not_a_module).init_params(4, 1, rng, np.float32)
    with pytest.raises(ValueError, match=r"buffers \(\['1.running_mean'"):
        AdamRegressor(model=TorchModel(make_normalised_mlp)).fit(X, y)
    with pytest.raises(ValueError, match=r"module must return a 2-D tensor.*\(2,\)"):
        AdamRegressor(model=TorchModel(make_flat_output)).fit(X, y)
    with pytest.raises(ValueError, match=r"call init_params .* before forward"):
        TorchModel(make_mlp).forward({"0.weight": np.ones((8, 4))}, X)


def test_without_torch_the_error_says_what_to_install():
    code = (
        "import sys\n"
        "class Uninstalled:\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'torch':\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, Uninstalled)\n"
        "import skgd.models\n"
        "skgd.models.TorchModel\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )

    assert completed.returncode == 1
    assert "TorchModel needs PyTorch; install it with: pip install 'skgd[torch]'" in (
        completed.stderr
    )

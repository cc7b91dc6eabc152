"""What users of the four estimators rely on, beyond scikit-learn's checks."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import MLP, Linear, Model

REGRESSORS = [SGDRegressor, AdamRegressor]
CLASSIFIERS = [SGDClassifier, AdamClassifier]
ESTIMATORS = REGRESSORS + CLASSIFIERS


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(
        n_samples=2000, n_features=10, noise=5.0, random_state=0, bias=3.0
    )
    X = StandardScaler().fit_transform(X)
    return X, (y - y.mean()) / y.std()


@pytest.fixture(scope="module")
def classification():
    return make_classification(
        n_samples=600, n_features=8, n_informative=5, n_classes=3, random_state=0
    )


def _data_for(Estimator, regression, classification):
    return regression if Estimator in REGRESSORS else classification


def _epochs_without_improvement(values, tol):
    """Epochs in a row, at the end of ``values``, that did not beat the best
    value before them by more than ``tol`` (higher is better)."""
    best, count = -np.inf, 0
    for value in values:
        count = 0 if value > best + tol else count + 1
        best = max(best, value)
    return count


def test_linear_sgd_reaches_least_squares_optimum(regression):
    X, y = regression
    optimum = mean_squared_error(y, LinearRegression().fit(X, y).predict(X))

    regressor = SGDRegressor(
        learning_rate=0.01, alpha=0.0, tol=None, max_iter=30, random_state=0
    ).fit(X, y)

    assert mean_squared_error(y, regressor.predict(X)) <= 1.02 * optimum


def test_adam_mlp_classifies_digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    classifier = make_pipeline(
        StandardScaler(),
        AdamClassifier(model=MLP((64,)), learning_rate=1e-3, random_state=0),
    )

    classifier.fit(X_train, y_train)

    assert classifier.score(X_test, y_test) >= 0.95


def test_grid_search_over_learning_rate_and_model_inside_pipeline(classification):
    X, y = classification
    pipeline = make_pipeline(
        StandardScaler(),
        AdamClassifier(model=MLP(), max_iter=30, tol=None, random_state=0),
    )
    grid = {
        "adamclassifier__learning_rate": [1e-3, 1e-2],
        "adamclassifier__model__hidden_layer_sizes": [(4,), (16, 8)],
    }

    search = GridSearchCV(pipeline, grid, cv=3, n_jobs=2).fit(X, y)

    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_[-1]
    assert best.model_.hidden_layer_sizes == best.model.hidden_layer_sizes
    assert best.model_ is not best.model
    assert len(best.params_) == 2 * (len(best.model.hidden_layer_sizes) + 1)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_partial_fit_on_a_stream_of_chunks_converges(
    Estimator, regression, classification
):
    X, y = _data_for(Estimator, regression, classification)
    estimator = Estimator(batch_size=32, random_state=0)
    extra = {"classes": np.unique(y)} if Estimator in CLASSIFIERS else {}

    chunks = np.array_split(np.arange(len(y)), 20)
    for _ in range(5):
        for rows in chunks:
            estimator.partial_fit(X[rows], y[rows], **extra)

    reference = clone(estimator).set_params(max_iter=200, tol=None).fit(X, y)
    assert estimator.n_iter_ == 100
    assert estimator.t_ == sum(-(-len(rows) // 32) for rows in chunks) * 5
    assert estimator.score(X, y) >= reference.score(X, y) - 0.05


def test_partial_fit_of_classifier_needs_classes_first(classification):
    X, y = classification

    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        SGDClassifier().partial_fit(X, y)

    classifier = SGDClassifier().partial_fit(X[:10], y[:10], classes=[0, 1, 2])
    classifier.partial_fit(X[10:20], y[10:20])
    with pytest.raises(ValueError, match=r"differs from the classes \[0, 1, 2\]"):
        classifier.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[7\] that are not among"):
        classifier.partial_fit(X[:2], [0, 7])


class Quadratic(Model):
    """A user's model: a linear model on the features and their squares."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def init_params(self, n_features, n_outputs, random_state, dtype):
        return {
            "coef": np.zeros((2 * n_features, n_outputs), dtype=dtype),
            "intercept": np.zeros(n_outputs, dtype=dtype),
        }

    def forward(self, params, X):
        features = np.hstack([X, self.scale * X**2])
        return features @ params["coef"] + params["intercept"], features

    def backward(self, params, cache, grad_outputs):
        return {
            "coef": cache.T @ grad_outputs,
            "intercept": grad_outputs.sum(axis=0),
        }


def test_user_model_clones_grid_searches_and_pickles():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = X[:, 0] ** 2 - X[:, 1]
    regressor = AdamRegressor(model=Quadratic(), learning_rate=0.05, random_state=0)

    cloned = clone(regressor)
    assert cloned.model is not regressor.model
    assert cloned.get_params()["model__scale"] == 1.0

    search = GridSearchCV(regressor, {"model__scale": [0.5, 2.0]}, cv=3).fit(X, y)
    assert search.best_estimator_.model_.scale in (0.5, 2.0)
    assert search.best_score_ > 0.95

    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(
        restored.predict(X), search.best_estimator_.predict(X)
    )


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("model", [None, MLP((8,))])
def test_same_random_state_gives_bit_identical_parameters(
    Estimator, model, regression, classification
):
    X, y = _data_for(Estimator, regression, classification)
    settings = {"model": model, "batch_size": 64, "max_iter": 5, "tol": None}

    first = Estimator(random_state=7, **settings).fit(X, y)
    second = Estimator(random_state=7, **settings).fit(X, y)
    other = Estimator(random_state=8, **settings).fit(X, y)

    for name, value in first.params_.items():
        np.testing.assert_array_equal(value, second.params_[name])
    assert any(
        not np.array_equal(value, other.params_[name])
        for name, value in first.params_.items()
    )


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("model", [Linear(), MLP((8,))])
def test_sparse_and_dense_inputs_give_the_same_fit(
    Estimator, model, regression, classification
):
    X, y = _data_for(Estimator, regression, classification)
    X = np.where(np.abs(X) > 1.0, X, 0.0)
    settings = {"model": model, "batch_size": 50, "max_iter": 3, "tol": None}

    dense = Estimator(random_state=0, **settings).fit(X, y)
    sparse = Estimator(random_state=0, **settings).fit(sp.csr_matrix(X), y)

    for name, value in dense.params_.items():
        np.testing.assert_allclose(sparse.params_[name], value, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("model", [None, MLP((8,))])
def test_float32_input_trains_and_predicts_in_float32(
    Estimator, model, regression, classification
):
    X, y = _data_for(Estimator, regression, classification)
    X = X.astype(np.float32)

    estimator = Estimator(model=model, max_iter=3, tol=None, random_state=0).fit(X, y)

    assert {value.dtype for value in estimator.params_.values()} == {
        np.dtype(np.float32)
    }
    if Estimator in REGRESSORS:
        assert estimator.predict(X).dtype == np.float32
    else:
        assert estimator.decision_function(X).dtype == np.float32
        assert estimator.predict_proba(X).dtype == np.float32


def test_linear_attributes_have_sklearn_shapes(regression, classification):
    X, y = regression
    single = SGDRegressor(max_iter=2, tol=None).fit(X, y)
    multi = SGDRegressor(max_iter=2, tol=None).fit(X, np.c_[y, -y])
    assert single.coef_.shape == (10,)
    assert single.intercept_.shape == (1,)
    assert single.predict(X).shape == (len(y),)
    assert multi.coef_.shape == (2, 10)
    assert multi.intercept_.shape == (2,)
    assert multi.predict(X).shape == (len(y), 2)

    X, y = classification
    three = AdamClassifier(max_iter=2, tol=None).fit(X, y)
    two = AdamClassifier(max_iter=2, tol=None).fit(X, y == 0)
    assert three.coef_.shape == (3, 8)
    assert three.intercept_.shape == (3,)
    assert two.coef_.shape == (1, 8)
    assert two.intercept_.shape == (1,)
    np.testing.assert_allclose(
        two.decision_function(X), X @ two.coef_[0] + two.intercept_[0]
    )

    with pytest.raises(AttributeError, match="coef_ exists only for the linear"):
        AdamClassifier(model=MLP((4,)), max_iter=1).fit(X, y).coef_  # noqa: B018


def test_string_labels_and_probabilities(classification):
    X, y = classification
    names = np.array(["cat", "dog", "emu"])[y]

    classifier = AdamClassifier(random_state=0).fit(X, names)

    np.testing.assert_array_equal(classifier.classes_, ["cat", "dog", "emu"])
    assert set(classifier.predict(X)) <= {"cat", "dog", "emu"}
    proba = classifier.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(
        classifier.predict_log_proba(X), np.log(proba), rtol=1e-12
    )
    assert (classifier.classes_[proba.argmax(axis=1)] == classifier.predict(X)).all()
    assert classifier.score(X, names) > 0.7


def test_hinge_loss_has_no_probabilities(classification):
    X, y = classification
    classifier = SGDClassifier(loss="hinge", max_iter=5, tol=None).fit(X, y)

    assert not hasattr(classifier, "predict_proba")
    assert classifier.decision_function(X).shape == (len(y), 3)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping_keeps_the_best_validation_epoch(
    Estimator, regression, classification
):
    X, y = _data_for(Estimator, regression, classification)
    settings = {
        "model": MLP((32,)),
        "early_stopping": True,
        "n_iter_no_change": 3,
        "batch_size": 32,
        "random_state": 0,
    }
    estimator = Estimator(max_iter=100, **settings).fit(X, y)

    scores = estimator.validation_scores_
    assert len(scores) == estimator.n_iter_ < 100
    assert estimator.best_validation_score_ == max(scores)
    assert estimator.best_loss_ is None
    assert _epochs_without_improvement(scores, estimator.tol) == 3
    assert _epochs_without_improvement(scores[:-1], estimator.tol) == 2

    best_epoch = scores.index(max(scores)) + 1
    replay = Estimator(max_iter=best_epoch, tol=None, **settings).fit(X, y)
    for name, value in replay.params_.items():
        np.testing.assert_array_equal(estimator.params_[name], value)


def test_warm_start_continues_where_fit_ended(regression):
    X, y = regression
    settings = {"max_iter": 3, "tol": None, "batch_size": 100, "random_state": 0}

    six = AdamRegressor(**{**settings, "max_iter": 6}).fit(X, y)
    warm = AdamRegressor(warm_start=True, **settings).fit(X, y).fit(X, y)
    cold = AdamRegressor(**settings).fit(X, y).fit(X, y)

    assert warm.n_iter_ == 6 and warm.t_ == 6 * 20
    assert cold.n_iter_ == 3
    np.testing.assert_array_equal(warm.params_["coef"], six.params_["coef"])
    assert warm.loss_curve_ == six.loss_curve_


def test_verbose_prints_one_line_per_epoch(regression, capsys):
    X, y = regression

    AdamRegressor(verbose=True, max_iter=4, tol=None).fit(X, y)

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("Epoch 3: loss ")
    assert "learning rate 0.01" in lines[2]


def test_convergence_warning_names_max_iter(regression):
    X, y = regression

    with pytest.warns(ConvergenceWarning, match="Raise max_iter"):
        AdamRegressor(max_iter=2).fit(X, y)


def test_tol_stops_training_once_the_loss_stalls(regression):
    X, y = regression

    regressor = SGDRegressor(tol=1e-3, n_iter_no_change=2, random_state=0).fit(X, y)

    assert regressor.n_iter_ < 200
    negated = [-loss for loss in regressor.loss_curve_]
    assert _epochs_without_improvement(negated, 1e-3) == 2
    assert _epochs_without_improvement(negated[:-1], 1e-3) == 1


def test_adaptive_schedule_divides_the_learning_rate(regression, capsys):
    X, y = regression

    regressor = SGDRegressor(
        schedule="adaptive", tol=0.5, n_iter_no_change=1, verbose=True
    ).fit(X, y)

    rates = [
        float(line.split("learning rate ")[1].split(",")[0])
        for line in capsys.readouterr().out.splitlines()
    ]
    assert regressor.n_iter_ == len(rates)
    divisions = [round(np.log(0.001 / rate) / np.log(5), 9) for rate in rates]
    assert divisions[0] == 0.0 and divisions[-1] == 4.0
    assert set(np.diff(divisions)) <= {0.0, 1.0}


def test_callable_schedule_multiplies_the_learning_rate(regression):
    X, y = regression
    seen = []

    def factor(t):
        seen.append(t)
        return 1.0 / (1.0 + t)

    SGDRegressor(schedule=factor, max_iter=2, tol=None, batch_size=500).fit(X, y)

    assert seen == list(range(8))


@pytest.mark.parametrize("loss", ["squared_error", "huber", "epsilon_insensitive"])
def test_regression_losses_fit(loss, regression):
    X, y = regression

    regressor = AdamRegressor(loss=loss, delta=0.5, random_state=0).fit(X, y)

    assert regressor.score(X, y) > 0.9


@pytest.mark.parametrize("loss", ["log_loss", "hinge", "modified_huber"])
def test_classification_losses_fit(loss, classification):
    X, y = classification

    classifier = AdamClassifier(loss=loss, random_state=0).fit(X, y)

    assert classifier.score(X, y) > 0.7


def test_alpha_shrinks_the_weights(regression):
    X, y = regression
    # Full-batch gradient descent on a well-conditioned objective converges.
    settings = {
        "learning_rate": 0.5,
        "momentum": 0.0,
        "batch_size": len(y),
        "max_iter": 100,
        "tol": None,
    }

    free = SGDRegressor(alpha=0.0, **settings).fit(X, y)
    shrunk = SGDRegressor(alpha=1.0, **settings).fit(X, y)

    ridge = np.linalg.solve(
        X.T @ X / len(y) + np.eye(10), X.T @ (y - y.mean()) / len(y)
    )
    np.testing.assert_allclose(shrunk.coef_, ridge, rtol=1e-6)
    assert np.linalg.norm(shrunk.coef_) < np.linalg.norm(free.coef_)


def test_model_parameter_is_never_changed(regression):
    X, y = regression
    model = MLP((5,))

    regressor = AdamRegressor(model=model, max_iter=2, tol=None).fit(X, y)

    assert regressor.model is model
    assert regressor.model_ is not model
    assert vars(model) == {"hidden_layer_sizes": (5,), "activation": "relu"}


def test_invalid_hyperparameters_are_named(regression):
    X, y = regression

    with pytest.raises(ValueError, match="'learning_rate' parameter of SGDRegressor"):
        SGDRegressor(learning_rate=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="'activation' parameter of MLP"):
        AdamRegressor(model=MLP(activation="swish")).fit(X, y)
    with pytest.raises(ValueError, match="nesterov=True needs a momentum above 0"):
        SGDRegressor(momentum=0.0, nesterov=True).fit(X, y)
    with pytest.raises(ValueError, match="'loss' parameter of AdamClassifier"):
        AdamClassifier(loss="squared_error").fit(X, y > 0)

"""Nothing a user trained is lost: bad input, divergence, interruption, resumption."""

import pickle
import signal
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import MLP, Linear

RNG = np.random.default_rng(0)
X = RNG.normal(size=(60, 5))
Y_REGRESSION = X @ RNG.normal(size=5) + 0.1 * RNG.normal(size=60)
Y_CLASSES = np.digitize(X[:, 0], [-0.5, 0.5])


def fitted_state(estimator):
    """Everything training changes, copied so that later changes show."""
    optimizer_state = {
        key: (
            {name: array.copy() for name, array in value.items()}
            if isinstance(value, dict)
            else value
        )
        for key, value in estimator._optimizer_state.items()
    }
    return {
        "params": {name: value.copy() for name, value in estimator.params_.items()},
        "optimizer_state": optimizer_state,
        "rng": estimator._rng.bit_generator.state,
        "t_": estimator.t_,
        "n_iter_": estimator.n_iter_,
        "loss_curve_": list(estimator.loss_curve_),
        "n_features_in_": estimator.n_features_in_,
    }


def assert_same_state(before, after):
    assert before.keys() == after.keys()
    for name, value in before["params"].items():
        assert value.tobytes() == after["params"][name].tobytes(), name
    for key, value in before["optimizer_state"].items():
        if isinstance(value, dict):
            for name, array in value.items():
                assert array.tobytes() == after["optimizer_state"][key][name].tobytes()
        else:
            assert value == after["optimizer_state"][key]
    for key in ("rng", "t_", "n_iter_", "loss_curve_", "n_features_in_"):
        assert before[key] == after[key], key


@pytest.fixture
def regressor():
    return AdamRegressor(model=MLP((4,)), batch_size=16, random_state=0).partial_fit(
        X, Y_REGRESSION
    )


@pytest.fixture
def classifier():
    return SGDClassifier(batch_size=16, random_state=0).partial_fit(
        X, Y_CLASSES, classes=[0, 1, 2]
    )


def with_value(array, row, value):
    changed = np.array(array, dtype=float)
    changed[row] = value
    return changed


BAD_REGRESSION_INPUT = {
    "nan in X": ({"X": with_value(X, 3, np.nan)}, "Input X contains NaN"),
    "inf in X": ({"X": with_value(X, 3, np.inf)}, "Input X contains infinity"),
    "nan in y": ({"y": with_value(Y_REGRESSION, 3, np.nan)}, "Input y contains NaN"),
    "inf in y": (
        {"y": with_value(Y_REGRESSION, 3, -np.inf)},
        "Input y contains infinity",
    ),
    "nan in weights": (
        {"sample_weight": with_value(np.ones(60), 3, np.nan)},
        "Input sample_weight contains NaN",
    ),
    "inf in weights": (
        {"sample_weight": with_value(np.ones(60), 3, np.inf)},
        "Input sample_weight contains infinity",
    ),
    "too few features": (
        {"X": X[:, :3]},
        "X has 3 features, but AdamRegressor is expecting 5 features",
    ),
    "empty X": ({"X": X[:0], "y": Y_REGRESSION[:0]}, r"0 sample\(s\)"),
    "1-D X": ({"X": X[:, 0]}, "Expected 2D array, got 1D array"),
    "mismatched lengths": (
        {"y": Y_REGRESSION[:-1]},
        "inconsistent numbers of samples: \\[60, 59\\]",
    ),
    "negative weight": (
        {"sample_weight": with_value(np.ones(60), 3, -1.0)},
        "Negative values in data passed to `sample_weight`",
    ),
    "all-zero weights": (
        {"sample_weight": np.zeros(60)},
        "Sample weights must contain at least one non-zero number",
    ),
    "short weights": (
        {"sample_weight": np.ones(59)},
        r"sample_weight.shape == \(59,\), expected \(60,\)",
    ),
    "strings in X": (
        {"X": np.full((60, 5), "a", dtype=object)},
        "could not convert string to float",
    ),
    "complex X": ({"X": X + 1j}, "Complex data not supported"),
    "wrong number of targets": (
        {"y": np.c_[Y_REGRESSION, Y_REGRESSION]},
        "fitted on 1 target\\(s\\), got y with 2",
    ),
}


@pytest.mark.parametrize(
    "changes, message",
    BAD_REGRESSION_INPUT.values(),
    ids=BAD_REGRESSION_INPUT.keys(),
)
def test_bad_input_to_partial_fit_changes_nothing(regressor, changes, message):
    arguments = {"X": X, "y": Y_REGRESSION, "sample_weight": None, **changes}
    before = fitted_state(regressor)

    with pytest.raises((ValueError, TypeError), match=message):
        regressor.partial_fit(**arguments)

    assert_same_state(before, fitted_state(regressor))


# fit starts afresh, so other numbers of features and targets are valid for it.
BAD_FIT_INPUT = {
    case: value
    for case, value in BAD_REGRESSION_INPUT.items()
    if case not in {"too few features", "wrong number of targets"}
}


@pytest.mark.parametrize(
    "changes, message", BAD_FIT_INPUT.values(), ids=BAD_FIT_INPUT.keys()
)
def test_bad_input_to_fit_keeps_the_fitted_model(regressor, changes, message):
    arguments = {"X": X, "y": Y_REGRESSION, "sample_weight": None, **changes}
    before = fitted_state(regressor)

    with pytest.raises((ValueError, TypeError), match=message):
        regressor.fit(**arguments)

    assert_same_state(before, fitted_state(regressor))


BAD_PREDICT_INPUT = {
    "nan": (with_value(X, 0, np.nan), "Input X contains NaN"),
    "too many features": (
        np.hstack([X, X]),
        "X has 10 features, but AdamRegressor is expecting 5 features",
    ),
    "1-D": (X[0], "Expected 2D array, got 1D array"),
    "empty": (X[:0], r"0 sample\(s\)"),
}


@pytest.mark.parametrize(
    "X_bad, message", BAD_PREDICT_INPUT.values(), ids=BAD_PREDICT_INPUT.keys()
)
def test_bad_input_to_predict_is_named(regressor, X_bad, message):
    with pytest.raises(ValueError, match=message):
        regressor.predict(X_bad)


BAD_CLASSIFIER_INPUT = {
    "unknown label": ({"y": np.where(Y_CLASSES == 2, 5, Y_CLASSES)}, r"labels \[5\]"),
    "changed classes": ({"classes": [0, 1]}, "differs from the classes"),
    "continuous y": ({"y": X[:, 0]}, "Unknown label type: continuous"),
}


@pytest.mark.parametrize(
    "changes, message",
    BAD_CLASSIFIER_INPUT.values(),
    ids=BAD_CLASSIFIER_INPUT.keys(),
)
def test_bad_labels_to_partial_fit_change_nothing(classifier, changes, message):
    arguments = {"X": X, "y": Y_CLASSES, **changes}
    before = fitted_state(classifier)

    with pytest.raises(ValueError, match=message):
        classifier.partial_fit(**arguments)

    assert_same_state(before, fitted_state(classifier))


INVALID_HYPERPARAMETERS = [
    ("learning_rate", 0.0),
    ("batch_size", 0),
    ("batch_size", "big"),
    ("max_iter", 0),
    ("tol", -1.0),
    ("schedule", "linear"),
    ("validation_fraction", 1.0),
    ("alpha", -0.1),
    ("beta_1", 1.0),
    ("beta_2", -0.5),
    ("epsilon", 0.0),
    ("weight_decay", -1.0),
    ("loss", "hinge"),
    ("model", "mlp"),
]


@pytest.mark.parametrize("name, value", INVALID_HYPERPARAMETERS)
def test_invalid_hyperparameters_are_rejected_before_any_change(regressor, name, value):
    before = fitted_state(regressor)
    regressor.set_params(**{name: value})

    with pytest.raises(ValueError, match=f"The '{name}' parameter of AdamRegressor"):
        regressor.partial_fit(X, Y_REGRESSION)

    assert_same_state(before, fitted_state(regressor))


class BrokenModel(Linear):
    """A user's model with one deliberate fault."""

    def __init__(self, fault="none", fail_at_call=None, fit_intercept=True):
        self.fault = fault
        self.fail_at_call = fail_at_call
        self.fit_intercept = fit_intercept

    def forward(self, params, X):
        outputs, cache = super().forward(params, X)
        if self.fault == "outputs shape":
            outputs = np.hstack([outputs, outputs])
        return outputs, cache

    def backward(self, params, cache, grad_outputs):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == self.fail_at_call and self.fault == "error":
            raise RuntimeError("the user's model failed")
        if self.calls == self.fail_at_call and self.fault == "interrupt":
            raise KeyboardInterrupt
        if self.calls == self.fail_at_call and self.fault == "ctrl-c":
            signal.raise_signal(signal.SIGINT)
        grads = super().backward(params, cache, grad_outputs)
        if self.fault == "missing key":
            del grads["intercept"]
        if self.fault == "grad shape":
            grads["coef"] = grads["coef"].ravel()
        if self.fault == "nan grad":
            grads["coef"] = grads["coef"] * np.nan
        return grads


MODEL_FAULTS = {
    "outputs shape": (
        r"BrokenModel.forward returned outputs of shape \(2, 2\); expected \(2, 1\)"
    ),
    "missing key": (
        r"BrokenModel.backward returned gradients for \['coef'\]; expected one for "
        r"each parameter: \['coef', 'intercept'\]"
    ),
    "grad shape": (
        r"BrokenModel.backward returned a gradient of shape \(5,\) for 'coef'; "
        r"expected \(5, 1\)"
    ),
    "nan grad": "BrokenModel.backward returned a non-finite gradient for 'coef'",
}


@pytest.mark.parametrize("fault, message", MODEL_FAULTS.items(), ids=MODEL_FAULTS)
def test_a_faulty_model_is_named_and_nothing_changes(regressor, fault, message):
    before = fitted_state(regressor)
    regressor.set_params(model=BrokenModel(fault))

    with pytest.raises(ValueError, match=message):
        regressor.fit(X, Y_REGRESSION)

    assert_same_state(before, fitted_state(regressor))
    assert isinstance(regressor.model_, MLP)


@pytest.mark.parametrize("Estimator", [SGDRegressor, AdamRegressor])
def test_an_exception_during_the_steps_of_partial_fit_undoes_them(Estimator):
    # One backward call checks the model, then each call takes 6 steps: the
    # 10th backward call is the third step of the second call.
    estimator = Estimator(model=BrokenModel("error", fail_at_call=10), batch_size=10)
    estimator.partial_fit(X, Y_REGRESSION)
    before = fitted_state(estimator)

    with pytest.raises(RuntimeError, match="the user's model failed"):
        estimator.partial_fit(X, Y_REGRESSION)

    assert_same_state(before, fitted_state(estimator))


def test_a_diverging_partial_fit_is_undone_and_names_the_learning_rate():
    estimator = SGDRegressor(learning_rate=1e-3, batch_size=10, random_state=0)
    estimator.partial_fit(X, 1e3 * Y_REGRESSION)
    before = fitted_state(estimator)
    estimator.set_params(learning_rate=1e200)

    with pytest.raises(ValueError, match=r"learning_rate=1e\+200 is too large"):
        estimator.partial_fit(X, 1e3 * Y_REGRESSION)

    assert_same_state(before, fitted_state(estimator))


def test_fit_keeps_the_last_finite_parameters_when_the_loss_overflows():
    estimator = SGDRegressor(learning_rate=1e200, batch_size=10, random_state=0)

    with pytest.raises(ValueError, match=r"learning_rate=1e\+200 is too large"):
        estimator.fit(X, Y_REGRESSION)

    assert all(np.isfinite(value).all() for value in estimator.params_.values())
    assert np.isfinite(estimator.predict(X)).all()
    assert estimator.n_iter_ == estimator.t_ == len(estimator.loss_curve_) == 0


def test_fit_stops_with_a_warning_when_the_loss_explodes():
    estimator = SGDRegressor(learning_rate=50.0, batch_size=10, random_state=0)

    with pytest.warns(ConvergenceWarning, match="learning_rate=50 is too large"):
        estimator.fit(X, Y_REGRESSION)

    curve = estimator.loss_curve_
    assert estimator.n_iter_ == len(curve) < 10
    assert max(curve) <= 1e4 * curve[0]
    assert all(np.isfinite(value).all() for value in estimator.params_.values())


def test_grid_search_ranks_diverging_learning_rates_last():
    search = GridSearchCV(
        SGDRegressor(batch_size=10, random_state=0),
        {"learning_rate": [1e200, 50.0, 0.01]},
        cv=3,
    )

    with pytest.warns(FitFailedWarning, match=r"learning_rate=1e\+200 is too large"):
        search.fit(X, Y_REGRESSION)

    assert search.best_params_ == {"learning_rate": 0.01}
    assert list(search.cv_results_["rank_test_score"]) == [3, 2, 1]


def test_ctrl_c_during_fit_stops_after_the_current_step():
    # One backward call checks the model, then each epoch takes 6 steps: the
    # 15th backward call is the second step of the third epoch.
    model = BrokenModel(fault="ctrl-c", fail_at_call=15)
    estimator = AdamRegressor(model=model, batch_size=10, max_iter=10)

    with pytest.warns(UserWarning, match="interrupted during epoch 3"):
        estimator.fit(X, Y_REGRESSION)

    assert estimator.t_ == 14 and estimator.n_iter_ == 3
    assert np.isfinite(estimator.predict(X)).all()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_interrupt_raised_inside_a_step_keeps_the_last_epoch():
    # One backward call checks the model, then each epoch takes 6 steps: the
    # 15th backward call is the second step of the third epoch.
    model = BrokenModel(fault="interrupt", fail_at_call=15)
    estimator = AdamRegressor(model=model, batch_size=10, max_iter=10)

    with pytest.warns(UserWarning, match="interrupted after 2 complete epochs"):
        estimator.fit(X, Y_REGRESSION)

    assert estimator.n_iter_ == 2 and estimator.t_ == 12
    assert len(estimator.loss_curve_) == 2
    assert np.isfinite(estimator.predict(X)).all()


@pytest.mark.parametrize("Estimator", [SGDClassifier, AdamClassifier])
def test_pickled_fit_resumes_bit_identically(Estimator):
    settings = {"model": MLP((8,)), "batch_size": 16, "tol": None, "random_state": 3}

    uninterrupted = Estimator(max_iter=6, **settings).fit(X, Y_CLASSES)

    first = Estimator(max_iter=3, warm_start=True, **settings).fit(X, Y_CLASSES)
    resumed = pickle.loads(pickle.dumps(first)).fit(X, Y_CLASSES)

    for name, value in uninterrupted.params_.items():
        assert value.tobytes() == resumed.params_[name].tobytes()
    assert resumed.t_ == uninterrupted.t_
    assert resumed.loss_curve_ == uninterrupted.loss_curve_


@pytest.mark.parametrize("Estimator", [SGDRegressor, AdamRegressor])
def test_pickled_partial_fit_resumes_bit_identically(Estimator):
    chunks = np.array_split(np.arange(60), 5)
    uninterrupted = Estimator(batch_size=8, random_state=1)
    for rows in chunks:
        uninterrupted.partial_fit(X[rows], Y_REGRESSION[rows])

    resumed = Estimator(batch_size=8, random_state=1)
    for rows in chunks[:2]:
        resumed.partial_fit(X[rows], Y_REGRESSION[rows])
    resumed = pickle.loads(pickle.dumps(resumed))
    for rows in chunks[2:]:
        resumed.partial_fit(X[rows], Y_REGRESSION[rows])

    for name, value in uninterrupted.params_.items():
        assert value.tobytes() == resumed.params_[name].tobytes()


def test_fast_and_full_validation_give_the_same_steps():
    plain = SGDClassifier(batch_size=8, random_state=0)
    listed = SGDClassifier(batch_size=8, random_state=0)
    classes = [0, 1, 2]
    for rows in np.array_split(np.arange(60), 4):
        plain.partial_fit(X[rows], Y_CLASSES[rows], classes=classes)
        listed.partial_fit(
            sp.csr_matrix(X[rows]), Y_CLASSES[rows].tolist(), classes=classes
        )

    for name, value in plain.params_.items():
        np.testing.assert_allclose(listed.params_[name], value, rtol=1e-12)


def test_a_clean_fit_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AdamRegressor(max_iter=50, tol=None, random_state=0).fit(X, Y_REGRESSION)

"""Property tests: on any input, succeed with well-formed output or raise clearly.

Whatever the shapes, dtypes, sparsity and label types, ``fit``, ``partial_fit``
and the prediction methods either return finite output of the right shape and
dtype, or raise a ``ValueError`` or ``TypeError``; never anything else.
"""

import re

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import is_classifier

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import MLP, Linear

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

LABELS = {
    "ints": np.array([3, -1, 7, 0]),
    "strings": np.array(["ant", "bee", "cat", "dog"]),
    "bools": np.array([False, True]),
}


@st.composite
def problems(draw, regression):
    """An estimator and data of random shape, dtype, sparsity and labels."""
    n_samples = draw(st.integers(1, 30))
    n_features = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    X = (scale * rng.normal(size=(n_samples, n_features))).astype(dtype)
    if draw(st.booleans()):
        X[rng.random(X.shape) < 0.5] = 0.0
        X = sp.csr_matrix(X)

    if regression:
        n_outputs = draw(st.integers(1, 4))
        y = rng.normal(size=(n_samples, n_outputs))
        y = y[:, 0] if n_outputs == 1 and draw(st.booleans()) else y
        Estimator = draw(st.sampled_from([SGDRegressor, AdamRegressor]))
    else:
        kind = draw(st.sampled_from(sorted(LABELS)))
        y = rng.choice(LABELS[kind][: draw(st.integers(1, 4))], size=n_samples)
        Estimator = draw(st.sampled_from([SGDClassifier, AdamClassifier]))

    estimator = Estimator(
        model=draw(st.sampled_from([Linear(), MLP((3,))])),
        batch_size=draw(st.sampled_from(["auto", 1, 7])),
        early_stopping=draw(st.booleans()),
        max_iter=3,
        tol=None,
        random_state=seed,
    )
    return estimator, X, y


def check_outputs(estimator, X, y):
    """Predictions are finite and shaped and typed as the input implies."""
    n_samples = X.shape[0]
    if hasattr(estimator, "classes_"):
        labels = estimator.predict(X)
        assert labels.shape == (n_samples,)
        assert set(labels) <= set(estimator.classes_)
        scores = estimator.decision_function(X)
        assert np.isfinite(scores).all()
        assert scores.dtype == X.dtype
        proba = estimator.predict_proba(X)
        assert proba.shape == (n_samples, len(estimator.classes_))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    else:
        predictions = estimator.predict(X)
        assert predictions.shape == np.shape(y)
        assert predictions.dtype == X.dtype
        assert np.isfinite(predictions).all()


#: What the input of these problems may legitimately be refused for.
EXPECTED_ERRORS = re.compile(
    "needs at least 2 classes"
    "|early_stopping=True could not hold out validation_fraction"
    "|diverged: .* learning_rate="
)


def fit_or_clear_error(estimator, X, y):
    """Fit, then partial_fit; check outputs. Return the error, if any."""
    classes = {"classes": np.unique(y)} if is_classifier(estimator) else {}
    try:
        estimator.fit(X, y)
        check_outputs(estimator, X, y)
        estimator.partial_fit(X, y, **classes)
        check_outputs(estimator, X, y)
    except (ValueError, TypeError) as error:
        assert EXPECTED_ERRORS.search(str(error)), f"unclear error: {error!r}"
        return error
    return None


@PROPERTY_SETTINGS
@given(problems(regression=True))
def test_regressors_succeed_or_raise_clearly(problem):
    estimator, X, y = problem

    fit_or_clear_error(estimator, X, y)


@PROPERTY_SETTINGS
@given(problems(regression=False))
def test_classifiers_succeed_or_raise_clearly(problem):
    estimator, X, y = problem

    error = fit_or_clear_error(estimator, X, y)

    if len(np.unique(y)) < 2:
        assert error is not None and "at least 2 classes" in str(error)

"""Checks of what users hand the estimators: data, weights and models.

Everything here runs before training changes any state, so that bad input
raises a clear error and leaves a fitted estimator exactly as it was.
"""

import math

import numpy as np
from sklearn.utils.validation import _check_sample_weight

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def check_sample_weight(sample_weight, X):
    """Validated non-negative, finite weights that are not all zero, or None."""
    if sample_weight is None:
        return None
    return _check_sample_weight(
        sample_weight, X, dtype=X.dtype, ensure_non_negative=True
    )


def is_plain_batch(estimator, X, sample_weight):
    """Whether ``X`` and ``sample_weight`` are well-formed numpy arrays.

    This is the fast path of ``partial_fit``: a 2-D float array with the fitted
    number of features, all finite, and finite non-negative weights that are not
    all zero, need none of scikit-learn's general conversions. Anything else
    takes the full validation, which raises the detailed errors.
    """
    if type(X) is not np.ndarray or X.ndim != 2 or X.dtype not in _FLOATS:
        return False
    if X.shape[0] == 0 or X.shape[1] != estimator.n_features_in_:
        return False
    if hasattr(estimator, "feature_names_in_") or not math.isfinite(X.sum()):
        return False
    if sample_weight is None:
        return True

    return (
        type(sample_weight) is np.ndarray
        and sample_weight.shape == (X.shape[0],)
        and sample_weight.dtype in _FLOATS
        and math.isfinite(sample_weight.sum())
        and sample_weight.min() >= 0.0
        and sample_weight.max() > 0.0
    )


def check_model(model, params, X, n_outputs):
    """Run ``model`` once on a few rows and check what it returns.

    Raises a ``TypeError`` or ``ValueError`` that names the model's method at
    fault, with the expected and received types or shapes.
    """
    name = type(model).__name__
    rows = X[: min(2, X.shape[0])]
    n_rows = rows.shape[0]

    outputs, cache = model.forward(params, rows)
    expected = (n_rows, n_outputs)
    if not isinstance(outputs, np.ndarray) or outputs.shape != expected:
        received = getattr(outputs, "shape", type(outputs).__name__)
        raise ValueError(
            f"{name}.forward returned outputs of shape {received}; expected "
            f"{expected}, that is (n_samples, n_outputs)"
        )
    if not np.isfinite(outputs).all():
        raise ValueError(f"{name}.forward returned non-finite outputs: {outputs}")

    grads = model.backward(params, cache, np.ones_like(outputs))
    check_grads(name, params, grads)


def check_grads(name, params, grads):
    """Check that ``grads`` match ``params`` in keys and shapes, and are finite."""
    if not isinstance(grads, dict) or set(grads) != set(params):
        received = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(
            f"{name}.backward returned gradients for {received}; expected one for "
            f"each parameter: {sorted(params)}"
        )
    for key, value in params.items():
        grad = grads[key]
        if np.shape(grad) != value.shape:
            raise ValueError(
                f"{name}.backward returned a gradient of shape {np.shape(grad)} for "
                f"{key!r}; expected {value.shape}, the shape of the parameter"
            )
        if not np.isfinite(grad).all():
            raise ValueError(
                f"{name}.backward returned a non-finite gradient for {key!r}"
            )


def check_params(model, params, n_features, n_outputs, dtype):
    """The parameters ``init_params`` returned, as arrays of ``dtype``."""
    name = type(model).__name__
    if not isinstance(params, dict) or not params:
        raise TypeError(
            f"{name}.init_params must return a non-empty dict of arrays, got "
            f"{type(params).__name__}"
        )
    params = {key: np.array(value, dtype=dtype) for key, value in params.items()}
    for key, value in params.items():
        if not np.isfinite(value).all():
            raise ValueError(
                f"{name}.init_params({n_features}, {n_outputs}, ...) returned "
                f"non-finite values for {key!r}"
            )
    return params

"""The linear model ``X @ coef + intercept``."""

import numpy as np

from ._base import InPlaceGradients, product_into


class Linear(InPlaceGradients):
    """Linear model: ``outputs = X @ coef + intercept``.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to learn an intercept. Without one, the outputs are zero where
        ``X`` is zero.

    Notes
    -----
    Parameters start at zero, as in scikit-learn's ``SGDRegressor``: the losses
    are convex in them, so no random start is needed. ``coef`` has shape
    ``(n_features, n_outputs)`` and ``intercept`` ``(n_outputs,)``. Sparse CSR
    inputs are multiplied as sparse matrices, never densified.

    Examples
    --------
    >>> import numpy as np
    >>> model = Linear()
    >>> params = model.init_params(2, 1, np.random.default_rng(0), np.float64)
    >>> params["coef"] += 1.0
    >>> model.predict(params, np.array([[1.0, 2.0]])).tolist()
    [[3.0]]
    """

    _parameter_constraints = {"fit_intercept": ["boolean"]}

    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def init_params(self, n_features, n_outputs, random_state, dtype):
        params = {"coef": np.zeros((n_features, n_outputs), dtype=dtype)}
        if self.fit_intercept:
            params["intercept"] = np.zeros(n_outputs, dtype=dtype)
        return params

    def forward(self, params, X):
        outputs = np.asarray(X @ params["coef"])
        if self.fit_intercept:
            outputs += params["intercept"]
        return outputs, X

    def _write_gradients(self, params, cache, grad_outputs, grads):
        X = cache
        product_into(X.T, grad_outputs, grads["coef"])
        if self.fit_intercept:
            # The plain sum, as a linear model written by hand would take it,
            # so that the two train alike to the last bits.
            np.sum(grad_outputs, axis=0, out=grads["intercept"])

"""What regressors add to the shared base: numeric targets and R²."""

import math
from numbers import Real

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions

from ..losses import REGRESSION_LOSSES, get_loss
from ._base import BaseGradientDescent


class BaseRegressor(RegressorMixin, BaseGradientDescent):
    """Regression: one or several numeric targets, scored by R²."""

    _parameter_constraints = {
        **BaseGradientDescent._parameter_constraints,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
        "delta": [Interval(Real, 0.0, None, closed="left")],
    }
    _target_validation = {"multi_output": True, "y_numeric": True}
    _stratify_validation = False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _make_loss(self):
        return get_loss(self.loss, delta=self.delta)

    def _encode_targets(self, y, dtype, reset, classes=None):
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if reset:
            return Y.astype(dtype, copy=False), {"_single_target": y.ndim == 1}

        if Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self.n_outputs_} target(s), "
                f"got y with {Y.shape[1]}; call fit with warm_start=False to "
                "start over"
            )
        return Y.astype(dtype, copy=False), {}

    def _encode_plain_targets(self, y, X):
        """Targets as a float matrix when ``y`` is a well-formed numpy array of
        finite numbers for the fitted outputs, else ``None``."""
        expected = (
            (X.shape[0],) if self._single_target else (X.shape[0], self.n_outputs_)
        )
        if type(y) is not np.ndarray or y.shape != expected or y.dtype.kind != "f":
            return None
        if not math.isfinite(y.sum()):
            return None
        Y = y.reshape(X.shape[0], -1)
        return Y.astype(X.dtype, copy=False)

    def _check_validation_targets(self, y_val, Y, classes=None):
        n_outputs = 1 if y_val.ndim == 1 else y_val.shape[1]
        if n_outputs != Y.shape[1]:
            raise ValueError(f"y_val has {n_outputs} target(s), but y has {Y.shape[1]}")

    def _from_outputs(self, outputs):
        return outputs[:, 0] if self._single_target else outputs

    def _validation_score(self, X, y, sample_weight):
        predictions = self._from_outputs(
            self.model_.predict(self._prediction_params(), X)
        )
        return r2_score(y, predictions, sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """Take one pass of minibatch steps over a chunk of data.

        The first call sets the model up; later calls continue from where the
        previous one ended. Each call shuffles the rows when ``shuffle`` is
        true and takes one step per ``batch_size`` rows, with no stopping rule.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training inputs.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._partial_fit(X, y, sample_weight)

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Shaped as the ``y`` the estimator was fitted on; float32 when ``X``
            and the parameters are.
        """
        return self._from_outputs(self._outputs(X))

    @property
    def coef_(self):
        """Weights of the linear model: ``(n_features,)`` for a 1-D target,
        else ``(n_outputs, n_features)``. Only with the default linear model.
        """
        coef = self._linear_parameter("coef").T
        return coef[0] if self._single_target else coef

"""Estimators trained by stochastic gradient descent with momentum."""

from ..optim import SGD
from . import _docs
from ._base import store_parameters
from ._classifier import BaseClassifier
from ._regressor import BaseRegressor


class _SGDMixin:
    """Builds the optimizer of the SGD estimators from their parameters."""

    def _make_optimizer(self):
        return SGD(momentum=self.momentum, nesterov=self.nesterov)


@_docs.document(
    parameters=_docs.REGRESSION_PARAMETERS[:1]
    + _docs.SGD_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.REGRESSION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.REGRESSION_ATTRIBUTES,
)
class SGDRegressor(_SGDMixin, BaseRegressor):
    """Regression by minibatch stochastic gradient descent with momentum.

    Trains any :class:`skgd.models.Model`, the linear model by default, on
    shuffled minibatches: each step moves the parameters against the gradient
    of the minibatch's mean loss.

    <parameters>
    <attributes>
    See Also
    --------
    AdamRegressor : The same with Adam's scale-free steps.

    Notes
    -----
    With gradient :math:`g` of a minibatch's objective and velocity :math:`b`,
    each step is :math:`b \\leftarrow \\mu b + g`, :math:`w \\leftarrow w - \\eta
    b`: :class:`skgd.optim.SGD`. Unlike scikit-learn's ``SGDRegressor``,
    which steps once per sample, the gradient is averaged over
    ``batch_size`` rows.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skgd import SGDRegressor
    >>> X, y = make_regression(n_samples=1000, n_features=3, noise=1.0, random_state=0)
    >>> regressor = SGDRegressor(learning_rate=0.01, random_state=0).fit(X, y)
    >>> regressor.coef_.round(1)
    array([73. , 94.6, 58.2])
    >>> round(regressor.score(X, y), 3)
    1.0
    """

    _parameter_constraints = {
        **BaseRegressor._parameter_constraints,
        **SGD._parameter_constraints,
    }

    def __init__(
        self,
        *,
        loss="squared_error",
        learning_rate=0.001,
        momentum=0.9,
        nesterov=False,
        model=None,
        schedule="constant",
        power_t=0.5,
        batch_size="auto",
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        shuffle=True,
        random_state=None,
        early_stopping=False,
        validation_fraction=0.1,
        alpha=0.0001,
        l1_ratio=0.0,
        clip_norm=None,
        clip_value=None,
        average=False,
        warm_start=False,
        verbose=False,
        delta=0.1,
    ):
        store_parameters(self, locals())


@_docs.document(
    parameters=_docs.CLASSIFICATION_PARAMETERS[:1]
    + _docs.SGD_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.CLASSIFICATION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.CLASSIFICATION_ATTRIBUTES,
)
class SGDClassifier(_SGDMixin, BaseClassifier):
    """Classification by minibatch stochastic gradient descent with momentum.

    Trains any :class:`skgd.models.Model`, the linear model by default, on
    shuffled minibatches: each step moves the parameters against the gradient
    of the minibatch's mean loss. Labels may be of any type.

    <parameters>
    <attributes>
    See Also
    --------
    AdamClassifier : The same with Adam's scale-free steps.

    Notes
    -----
    With gradient :math:`g` of a minibatch's objective and velocity :math:`b`,
    each step is :math:`b \\leftarrow \\mu b + g`, :math:`w \\leftarrow w - \\eta
    b`: :class:`skgd.optim.SGD`. Several classes share one model with one
    output per class, trained jointly (softmax for the log loss).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skgd import SGDClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> classifier = SGDClassifier(learning_rate=0.01, random_state=0).fit(X, y)
    >>> classifier.predict_proba(X[:2]).shape
    (2, 3)
    >>> classifier.score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **BaseClassifier._parameter_constraints,
        **SGD._parameter_constraints,
    }

    def __init__(
        self,
        *,
        loss="log_loss",
        learning_rate=0.001,
        momentum=0.9,
        nesterov=False,
        model=None,
        schedule="constant",
        power_t=0.5,
        batch_size="auto",
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        shuffle=True,
        random_state=None,
        early_stopping=False,
        validation_fraction=0.1,
        alpha=0.0001,
        l1_ratio=0.0,
        clip_norm=None,
        clip_value=None,
        average=False,
        warm_start=False,
        verbose=False,
        class_weight=None,
    ):
        store_parameters(self, locals())

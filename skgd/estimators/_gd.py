"""Estimators that take their optimizer as a parameter."""

from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, StrOptions

from ..optim import OPTIMIZERS
from . import _docs
from ._base import store_parameters
from ._classifier import BaseClassifier
from ._regressor import BaseRegressor

_GD_CONSTRAINTS = {
    "optimizer": [StrOptions(set(OPTIMIZERS)), HasMethods(["init", "update"])],
}


class _OptimizerParameterMixin:
    """Builds the optimizer from the ``optimizer`` parameter."""

    def _make_optimizer(self):
        if isinstance(self.optimizer, str):
            return OPTIMIZERS[self.optimizer]()
        return clone(self.optimizer)


@_docs.document(
    parameters=_docs.REGRESSION_PARAMETERS[:1]
    + _docs.GD_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.REGRESSION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.REGRESSION_ATTRIBUTES,
)
class GDRegressor(_OptimizerParameterMixin, BaseRegressor):
    """Regression by minibatch gradient descent with any optimizer.

    The general form of :class:`SGDRegressor` and :class:`AdamRegressor`: the
    optimizer is a parameter, given by name with its default settings or as an
    object whose settings are searchable as ``optimizer__<setting>``.

    <parameters>
    <attributes>
    See Also
    --------
    GDClassifier : The same for classification.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skgd import GDRegressor
    >>> from skgd.optim import Adam
    >>> X, y = make_regression(n_samples=300, n_features=4, random_state=0)
    >>> search = GridSearchCV(
    ...     GDRegressor(optimizer=Adam(), learning_rate=0.5, random_state=0),
    ...     {"optimizer__beta_1": [0.5, 0.9]},
    ...     cv=3,
    ... ).fit(X, y / y.std())
    >>> len(search.cv_results_["params"]), bool(search.best_score_ > 0.99)
    (2, True)
    """

    _parameter_constraints = {**BaseRegressor._parameter_constraints, **_GD_CONSTRAINTS}

    def __init__(
        self,
        *,
        loss="squared_error",
        optimizer="adam",
        learning_rate=0.01,
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
    + _docs.GD_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.CLASSIFICATION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.CLASSIFICATION_ATTRIBUTES,
)
class GDClassifier(_OptimizerParameterMixin, BaseClassifier):
    """Classification by minibatch gradient descent with any optimizer.

    The general form of :class:`SGDClassifier` and :class:`AdamClassifier`:
    the optimizer is a parameter, given by name with its default settings or
    as an object whose settings are searchable as ``optimizer__<setting>``.

    <parameters>
    <attributes>
    See Also
    --------
    GDRegressor : The same for regression.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skgd import GDClassifier
    >>> from skgd.optim import SGD
    >>> X, y = load_iris(return_X_y=True)
    >>> classifier = GDClassifier(optimizer=SGD(momentum=0.9), random_state=0)
    >>> classifier.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **BaseClassifier._parameter_constraints,
        **_GD_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        loss="log_loss",
        optimizer="adam",
        learning_rate=0.01,
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

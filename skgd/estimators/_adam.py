"""Estimators trained by Adam."""

from ..optim import Adam
from . import _docs
from ._base import store_parameters
from ._classifier import BaseClassifier
from ._regressor import BaseRegressor


class _AdamMixin:
    """Builds the optimizer of the Adam estimators from their parameters."""

    def _make_optimizer(self):
        return Adam(
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
            amsgrad=self.amsgrad,
            weight_decay=self.weight_decay,
        )


@_docs.document(
    parameters=_docs.REGRESSION_PARAMETERS[:1]
    + _docs.ADAM_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.REGRESSION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.REGRESSION_ATTRIBUTES,
)
class AdamRegressor(_AdamMixin, BaseRegressor):
    """Regression by minibatch gradient descent with Adam's steps.

    Trains any :class:`skgd.models.Model`, the linear model by default, on
    shuffled minibatches. Adam divides each gradient component by a running
    estimate of its size, so a step moves each parameter by about
    ``learning_rate`` whatever the scale of the data.

    <parameters>
    <attributes>
    See Also
    --------
    SGDRegressor : The same with plain momentum steps.

    Notes
    -----
    The update of :class:`skgd.optim.Adam` (Kingma and Ba, 2015), with
    PyTorch's placement of ``epsilon`` and AdamW's decoupled weight decay.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skgd import AdamRegressor
    >>> from skgd.models import MLP
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    >>> regressor = AdamRegressor(model=MLP((16,)), learning_rate=0.05, random_state=0)
    >>> regressor.fit(X, y / y.std()).score(X, y / y.std()) > 0.95
    True
    """

    _parameter_constraints = {
        **BaseRegressor._parameter_constraints,
        **Adam._parameter_constraints,
    }

    def __init__(
        self,
        *,
        loss="squared_error",
        learning_rate=0.01,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        amsgrad=False,
        weight_decay=0.0,
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
    + _docs.ADAM_PARAMETERS
    + _docs.SHARED_PARAMETERS
    + _docs.CLASSIFICATION_PARAMETERS[1:],
    attributes=_docs.SHARED_ATTRIBUTES + _docs.CLASSIFICATION_ATTRIBUTES,
)
class AdamClassifier(_AdamMixin, BaseClassifier):
    """Classification by minibatch gradient descent with Adam's steps.

    Trains any :class:`skgd.models.Model`, the linear model by default, on
    shuffled minibatches. Adam divides each gradient component by a running
    estimate of its size, so a step moves each parameter by about
    ``learning_rate`` whatever the scale of the data. Labels may be of any
    type.

    <parameters>
    <attributes>
    See Also
    --------
    SGDClassifier : The same with plain momentum steps.

    Notes
    -----
    The update of :class:`skgd.optim.Adam` (Kingma and Ba, 2015), with
    PyTorch's placement of ``epsilon`` and AdamW's decoupled weight decay.
    Several classes share one model with one output per class, trained
    jointly (softmax for the log loss).

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skgd import AdamClassifier
    >>> from skgd.models import MLP
    >>> X, y = load_digits(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> classifier = make_pipeline(
    ...     StandardScaler(),
    ...     AdamClassifier(model=MLP((64,)), learning_rate=1e-3, random_state=0),
    ... )
    >>> classifier.fit(X_train, y_train).score(X_test, y_test) > 0.95
    True
    """

    _parameter_constraints = {
        **BaseClassifier._parameter_constraints,
        **Adam._parameter_constraints,
    }

    def __init__(
        self,
        *,
        loss="log_loss",
        learning_rate=0.01,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        amsgrad=False,
        weight_decay=0.0,
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

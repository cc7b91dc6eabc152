"""The estimator base shared by every skgd estimator.

It turns the scikit-learn calls ``fit`` and ``partial_fit`` into epochs of the
training loop: it validates hyperparameters and data, sets up or continues the
model's parameters and the optimizer's state, splits off validation data,
decides when to stop, and reports progress. What differs between regressors and
classifiers (targets, loss, score) and between optimizers lives in subclasses.
"""

import functools
import operator
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.callback import CallbackSupportMixin, with_callbacks
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._engine import DivergenceError, Trainer, init_state
from ..models import Linear
from ..schedules import NAMES as SCHEDULES
from ..schedules import make_schedule
from . import _snapshot
from ._checks import check_model, check_params, check_sample_weight, is_plain_batch
from ._data import Data, split
from ._epochs import EpochLoopMixin


def store_parameters(estimator, arguments):
    """Store the arguments of an ``__init__`` as attributes of the same names.

    scikit-learn's estimators store their ``__init__`` arguments unchanged and
    do nothing else there; pass ``locals()`` to do exactly that.
    """
    for name, value in arguments.items():
        if name != "self":
            setattr(estimator, name, value)


@functools.cache
def _hyperparameter_getter(cls):
    """A function that returns an estimator's hyperparameters as a tuple."""
    return operator.attrgetter(*cls._get_param_names())


class BaseGradientDescent(CallbackSupportMixin, EpochLoopMixin, BaseEstimator):
    """Shared machinery of the skgd estimators; not for direct use.

    Subclasses provide ``_make_optimizer`` (the optimizer family),
    ``_make_loss``, ``_encode_targets``, ``_n_outputs`` and
    ``_validation_score`` (regression or classification).
    """

    _parameter_constraints = {
        "model": [None, HasMethods(["init_params", "forward", "backward"])],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "schedule": [StrOptions(set(SCHEDULES)), callable],
        "power_t": [Interval(Real, None, None, closed="neither")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0.0, None, closed="left"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0.0, 1.0, closed="neither")],
        "alpha": [Interval(Real, 0.0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0.0, 1.0, closed="both")],
        "clip_norm": [Interval(Real, 0.0, None, closed="neither"), None],
        "clip_value": [Interval(Real, 0.0, None, closed="neither"), None],
        "average": ["boolean", Interval(Integral, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    # -- scikit-learn protocol -------------------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "params_")

    # -- validation ------------------------------------------------------------

    def _validate_hyperparameters(self, continuing=False):
        """Check every hyperparameter, the model's and the optimizer's too.

        A continuing ``partial_fit`` whose hyperparameters are the very objects
        checked last time skips the check, which costs more than a small step.
        """
        values = _hyperparameter_getter(type(self))(self)
        checked = getattr(self, "_checked_hyperparameters", ())
        unchanged = len(values) == len(checked) and all(
            value is old for value, old in zip(values, checked, strict=True)
        )
        if continuing and unchanged:
            return self.model_, self._optimizer

        self._validate_params()
        model = Linear() if self.model is None else clone(self.model)
        if hasattr(model, "_parameter_constraints"):
            model._validate_params()
        optimizer = self._make_optimizer()
        optimizer.validate()

        self._checked_hyperparameters = values
        self._optimizer = optimizer
        return model, optimizer

    def _validate_data(self, X, y, sample_weight, reset, classes=None):
        """Validated ``X`` and ``y``, encoded targets ``Y`` and weights, and the
        attributes that describe the targets, or an error.
        """
        plain = not reset and classes is None and is_plain_batch(self, X, sample_weight)
        Y = self._encode_plain_targets(y, X) if plain else None
        target_attributes = {}
        if Y is None:
            X, y = validate_data(
                self,
                X,
                y,
                reset=reset,
                accept_sparse="csr",
                dtype=[np.float64, np.float32],
                **self._target_validation,
            )
            sample_weight = check_sample_weight(sample_weight, X)
            Y, target_attributes = self._encode_targets(y, X.dtype, reset, classes)

        sample_weight = self._weigh_targets(Y, sample_weight, target_attributes)
        return X, y, Y, sample_weight, target_attributes

    def _weigh_targets(self, Y, sample_weight, target_attributes):
        """Sample weights adjusted for the targets; classifiers weigh classes."""
        return sample_weight

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    # -- state -----------------------------------------------------------------

    def _initial_state(self, model, X, Y):
        """Everything a fresh start sets, computed and checked before any of it
        is set."""
        n_features, n_outputs = X.shape[1], Y.shape[1]
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        rng = np.random.default_rng(seed)

        params = model.init_params(n_features, n_outputs, rng, X.dtype)
        params = check_params(model, params, n_features, n_outputs, X.dtype)
        check_model(model, params, X, n_outputs)

        return {
            "model_": model,
            "params_": params,
            "_optimizer_state": init_state(self._optimizer, params),
            "_rng": rng,
            "n_outputs_": n_outputs,
            "n_iter_": 0,
            "t_": 0,
            "loss_curve_": [],
            "best_loss_": np.inf,
        }

    def _make_schedule(self, n_samples):
        """The learning rate schedule of training on ``n_samples`` rows."""
        steps_per_epoch = -(-n_samples // self._batch_size(n_samples))
        return make_schedule(
            self.schedule,
            self.learning_rate,
            self.power_t,
            steps_per_epoch=steps_per_epoch,
            max_iter=self.max_iter,
        )

    def _trainer(self, optimizer):
        """The trainer of one call. A continuing ``partial_fit`` whose
        hyperparameters have not changed gets the one of the call before, with
        the buffers it keeps."""
        trainer = getattr(self, "_last_trainer", None)
        if (
            trainer is not None
            and trainer.optimizer is optimizer
            and trainer.model is self.model_
        ):
            trainer.interrupted = False
            return trainer

        if isinstance(self.average, bool):
            average_start = 0 if self.average else None
        else:
            average_start = self.average
        self._last_trainer = Trainer(
            self.model_,
            self._make_loss(),
            optimizer,
            alpha=self.alpha,
            l1_ratio=self.l1_ratio,
            clip_norm=self.clip_norm,
            clip_value=self.clip_value,
            average_start=average_start,
        )
        return self._last_trainer

    def __getstate__(self):
        # The last trainer holds only buffers, rebuilt when needed.
        state = dict(super().__getstate__())
        state.pop("_last_trainer", None)
        return state

    def _prediction_params(self):
        """The parameters predictions use: their running average, once there
        is one, when ``average`` is on; else the trained parameters."""
        average = self._optimizer_state.get("average")
        return self.params_ if average is None else average["params"]

    # -- fitting ---------------------------------------------------------------

    @with_callbacks
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Train for up to ``max_iter`` epochs of shuffled minibatches.

        Bad input raises before anything changes. If training diverges, the
        estimator keeps the parameters it had at the start of the epoch in
        which the loss or the parameters became non-finite, and raises a
        ``ValueError`` that names ``learning_rate``. Ctrl-C ends training with a
        warning and keeps the parameters of the last complete epoch.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training inputs. Sparse input is used as CSR and never densified.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; a weight of 2 counts a sample twice.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), \
                default=None
            Validation inputs, instead of holding out ``validation_fraction``
            of ``X``: training stops when the score on them stops improving by
            ``tol`` for ``n_iter_no_change`` epochs, and the parameters of the
            best epoch are kept, whatever ``early_stopping`` says. In a
            ``Pipeline``, route them with metadata routing
            (``set_fit_request(X_val=True, y_val=True)``) and list ``"X_val"``
            in the pipeline's ``transform_input``.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Validation targets; given exactly when ``X_val`` is.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation score.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        callback_context = self._init_callback_context(max_subtasks=self.max_iter)
        saved = _snapshot.take(self)
        try:
            model, optimizer = self._validate_hyperparameters()
            continuing = self.warm_start and self.__sklearn_is_fitted__()
            X, y, Y, sample_weight, target_attributes = self._validate_data(
                X, y, sample_weight, reset=not continuing
            )
            classes = target_attributes.get("classes_", getattr(self, "classes_", None))
            validation = self._validation_data(
                X_val, y_val, sample_weight_val, Y, classes
            )
            state = {} if continuing else self._initial_state(model, X, Y)
            rng = state.get("_rng", getattr(self, "_rng", None))
            train, validation = self._training_and_validation(
                Data(X, y, Y, sample_weight), validation, rng
            )
        except BaseException:
            _snapshot.restore(self, saved)
            raise

        vars(self).update(state, **target_attributes)
        callback_context.call_on_fit_task_begin(
            estimator=self, X=X, y=y, metadata=train.metadata
        )
        self._run_epochs(optimizer, train, validation, callback_context)
        callback_context.call_on_fit_task_end(
            estimator=self, X=X, y=y, metadata=train.metadata
        )
        return self

    def _partial_fit(self, X, y, sample_weight, classes=None):
        """One pass of minibatch steps over ``X``; see ``partial_fit``.

        Any failure, Ctrl-C included, puts the estimator back exactly as it was
        before the call.
        """
        saved = _snapshot.take(self)
        try:
            first_call = not self.__sklearn_is_fitted__()
            model, optimizer = self._validate_hyperparameters(continuing=not first_call)
            X, y, Y, sample_weight, target_attributes = self._validate_data(
                X, y, sample_weight, reset=first_call, classes=classes
            )
            if first_call:
                state = self._initial_state(model, X, Y)
                vars(self).update(state, **target_attributes)

            trainer = self._trainer(optimizer)
            schedule = self._make_schedule(X.shape[0])
            loss = self._run_epoch(trainer, schedule, X, Y, sample_weight)
            if self.best_loss_ is not None:
                self.best_loss_ = min(self.best_loss_, loss)
        except BaseException as error:
            _snapshot.restore(self, saved)
            if isinstance(error, DivergenceError):
                raise self._divergence_error(error, "before this call") from error
            raise
        return self

    def _validation_data(self, X_val, y_val, sample_weight_val, Y, classes):
        """Validated validation data given to ``fit``, or ``None``."""
        if X_val is None and y_val is None:
            if sample_weight_val is not None:
                raise ValueError("sample_weight_val needs X_val and y_val")
            return None
        if X_val is None or y_val is None:
            raise ValueError("X_val and y_val must be given together")

        X_val, y_val = validate_data(
            self,
            X_val,
            y_val,
            reset=False,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            **self._target_validation,
        )
        self._check_validation_targets(y_val, Y, classes)
        return Data(X_val, y_val, None, check_sample_weight(sample_weight_val, X_val))

    def _training_and_validation(self, data, validation, rng):
        """The data to train on, and the data to monitor, if any."""
        if validation is not None or not self.early_stopping:
            return data, validation

        seed = int(rng.integers(np.iinfo(np.int32).max))
        return split(data, self.validation_fraction, seed, self._stratify_validation)

    # -- prediction ------------------------------------------------------------

    def _outputs(self, X):
        """Validated ``X`` through the fitted model: ``(n_samples, n_outputs)``."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        return self.model_.predict(self._prediction_params(), X)

    @property
    def coef_(self):
        """Weights of the linear model, shaped as scikit-learn's linear models.

        Only with the default linear model.
        """
        return self._linear_parameter("coef").T

    @property
    def intercept_(self):
        """Intercepts of the linear model; only with the default linear model."""
        return self._linear_parameter("intercept").copy()

    def _linear_parameter(self, name):
        check_is_fitted(self)
        if not isinstance(self.model_, Linear):
            raise AttributeError(
                f"{name}_ exists only for the linear model; params_ holds the "
                f"parameters of {type(self.model_).__name__}"
            )
        if name == "intercept" and not self.model_.fit_intercept:
            return np.zeros(self.n_outputs_, dtype=self.params_["coef"].dtype)
        return self._prediction_params()[name]

"""The estimator base shared by every skgd estimator.

It turns the scikit-learn calls ``fit`` and ``partial_fit`` into epochs of the
training loop: it validates hyperparameters and data, sets up or continues the
model's parameters and the optimizer's state, splits off validation data,
decides when to stop, and reports progress. What differs between regressors and
classifiers (targets, loss, score) and between optimizers lives in subclasses.
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from .._engine import DivergenceError, Trainer
from ..models import Linear
from ..schedules import make_schedule

#: Fitted attributes that ``validate_data`` sets when it resets.
_INPUT_ATTRIBUTES = ("n_features_in_", "feature_names_in_")


class BaseGradientDescent(BaseEstimator):
    """Shared machinery of the skgd estimators; not for direct use.

    Subclasses provide ``_make_optimizer`` (the optimizer family),
    ``_make_loss``, ``_encode_targets``, ``_n_outputs`` and
    ``_validation_score`` (regression or classification).
    """

    _parameter_constraints = {
        "model": [None, HasMethods(["init_params", "forward", "backward"])],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "schedule": [StrOptions({"constant", "invscaling", "adaptive"}), callable],
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
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        model,
        loss,
        learning_rate,
        schedule,
        power_t,
        batch_size,
        max_iter,
        tol,
        n_iter_no_change,
        shuffle,
        random_state,
        early_stopping,
        validation_fraction,
        alpha,
        warm_start,
        verbose,
    ):
        self.model = model
        self.loss = loss
        self.learning_rate = learning_rate
        self.schedule = schedule
        self.power_t = power_t
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.alpha = alpha
        self.warm_start = warm_start
        self.verbose = verbose

    # -- scikit-learn protocol -------------------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "params_")

    # -- validation ------------------------------------------------------------

    def _validate_hyperparameters(self):
        """Check every hyperparameter, the model's and the optimizer's too."""
        self._validate_params()
        model = Linear() if self.model is None else clone(self.model)
        if hasattr(model, "_parameter_constraints"):
            model._validate_params()
        optimizer = self._make_optimizer()
        optimizer.validate()
        return model, optimizer

    def _validate_data(self, X, y, sample_weight, reset, classes=None):
        """Validated ``X`` and ``y``, encoded targets ``Y``, weights, and the
        target attributes a fresh start records, or an error.

        A failure leaves the estimator as it was, even when ``reset`` would have
        recorded the new input's features.
        """
        fitted = vars(self)
        saved = {name: fitted[name] for name in _INPUT_ATTRIBUTES if name in fitted}
        try:
            X, y = validate_data(
                self,
                X,
                y,
                reset=reset,
                accept_sparse="csr",
                dtype=[np.float64, np.float32],
                **self._target_validation,
            )
            sample_weight = self._check_sample_weight(sample_weight, X)
            Y, target_attributes = self._encode_targets(y, X.dtype, reset, classes)
        except Exception:
            for name in _INPUT_ATTRIBUTES:
                fitted.pop(name, None)
            fitted.update(saved)
            raise
        return X, y, Y, sample_weight, target_attributes

    @staticmethod
    def _check_sample_weight(sample_weight, X):
        if sample_weight is None:
            return None
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if not np.isfinite(sample_weight).all():
            raise ValueError("sample_weight must be finite; got NaN or infinity")
        return sample_weight

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    # -- state -----------------------------------------------------------------

    def _initial_state(self, model, optimizer, X, Y):
        """Everything a fresh start sets, computed before anything is set."""
        n_features, n_outputs = X.shape[1], Y.shape[1]
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        rng = np.random.default_rng(seed)
        params = model.init_params(n_features, n_outputs, rng, X.dtype)
        return {
            "model_": model,
            "params_": params,
            "_optimizer_state": optimizer.init(params),
            "_rng": rng,
            "n_outputs_": n_outputs,
            "n_iter_": 0,
            "t_": 0,
            "loss_curve_": [],
            "best_loss_": np.inf,
        }

    def _trainer(self, optimizer):
        return Trainer(self.model_, self._make_loss(), optimizer, alpha=self.alpha)

    # -- fitting ---------------------------------------------------------------

    def fit(self, X, y, sample_weight=None):
        """Train for up to ``max_iter`` epochs of shuffled minibatches.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training inputs. Sparse input is used as CSR and never densified.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; a weight of 2 counts a sample twice.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        model, optimizer = self._validate_hyperparameters()
        continuing = self.warm_start and self.__sklearn_is_fitted__()
        X, y, Y, sample_weight, target_attributes = self._validate_data(
            X, y, sample_weight, reset=not continuing
        )
        state = {}
        if not continuing:
            state = self._initial_state(model, optimizer, X, Y)
        split = self._split_validation(X, y, Y, sample_weight, state.get("_rng"))

        vars(self).update(state, **target_attributes)
        self._run_epochs(optimizer, *split)
        return self

    def _partial_fit(self, X, y, sample_weight, classes=None):
        """One pass of minibatch steps over ``X``; see ``partial_fit``."""
        model, optimizer = self._validate_hyperparameters()
        first_call = not self.__sklearn_is_fitted__()
        X, y, Y, sample_weight, target_attributes = self._validate_data(
            X, y, sample_weight, reset=first_call, classes=classes
        )
        if first_call:
            state = self._initial_state(model, optimizer, X, Y)
            vars(self).update(state, **target_attributes)

        trainer = self._trainer(optimizer)
        schedule = make_schedule(self.schedule, self.learning_rate, self.power_t)
        self._run_epoch(trainer, schedule, X, Y, sample_weight)
        return self

    def _split_validation(self, X, y, Y, sample_weight, rng):
        """Training and validation parts of the data, for early stopping."""
        if not self.early_stopping:
            return X, Y, sample_weight, None

        rng = self._rng if rng is None else rng
        seed = int(rng.integers(np.iinfo(np.int32).max))
        stratify = y if self._stratify_validation else None
        arrays = [X, y, Y] if sample_weight is None else [X, y, Y, sample_weight]
        parts = train_test_split(
            *arrays,
            test_size=self.validation_fraction,
            random_state=seed,
            stratify=stratify,
        )
        X_train, X_val, _, y_val, Y_train, _ = parts[:6]
        if sample_weight is None:
            return X_train, Y_train, None, (X_val, y_val, None)
        weight_train, weight_val = parts[6:]
        return X_train, Y_train, weight_train, (X_val, y_val, weight_val)

    def _run_epochs(self, optimizer, X, Y, sample_weight, validation):
        """The epoch loop of ``fit``, with its stopping rule."""
        trainer = self._trainer(optimizer)
        schedule = make_schedule(self.schedule, self.learning_rate, self.power_t)
        monitor = _Monitor(self.tol, self.n_iter_no_change, validation is not None)
        if validation is not None:
            self.validation_scores_ = []
        else:
            self.validation_scores_ = None

        converged = False
        for _ in range(self.max_iter):
            started = time.perf_counter()
            try:
                loss = self._run_epoch(trainer, schedule, X, Y, sample_weight)
            except KeyboardInterrupt:
                warnings.warn(
                    f"{type(self).__name__}.fit was interrupted after "
                    f"{self.n_iter_} epochs; the model keeps its current "
                    "parameters.",
                    UserWarning,
                    stacklevel=3,
                )
                break

            score = None
            if validation is not None:
                score = self._validation_score(*validation)
                self.validation_scores_.append(score)
            stalled = monitor.update(loss, score, self.params_)
            self._report(loss, score, schedule, time.perf_counter() - started)

            if stalled:
                monitor.reset_count()
                if not schedule.on_stall():
                    converged = True
                    break

        self.best_loss_ = monitor.best_loss if validation is None else None
        if validation is not None:
            self.best_validation_score_ = monitor.best_score
            self.params_ = monitor.best_params
        if not converged and self.tol is not None and len(self.loss_curve_):
            warnings.warn(
                f"{type(self).__name__} did not converge: the loss still improved "
                f"by more than tol={self.tol} within the last "
                f"{self.n_iter_no_change} of max_iter={self.max_iter} epochs. "
                "Raise max_iter (or tol) to let it converge.",
                ConvergenceWarning,
                stacklevel=3,
            )

    def _run_epoch(self, trainer, schedule, X, Y, sample_weight):
        """One epoch and its bookkeeping; returns the epoch's mean objective."""
        rng = self._rng if self.shuffle else None
        try:
            loss = trainer.epoch(
                self.params_,
                self._optimizer_state,
                schedule,
                X,
                Y,
                sample_weight,
                self._batch_size(X.shape[0]),
                rng,
            )
        except DivergenceError as error:
            raise ValueError(
                f"{type(self).__name__} diverged: {error}. learning_rate="
                f"{self.learning_rate} is too large for this data and model; try "
                "a smaller learning_rate or standardise the inputs and targets."
            ) from error
        finally:
            self.t_ = self._optimizer_state["step"]

        self.n_iter_ += 1
        self.loss_curve_.append(loss)
        self.best_loss_ = min(self.best_loss_, loss)
        return loss

    def _report(self, loss, score, schedule, seconds):
        if not self.verbose:
            return
        line = f"Epoch {self.n_iter_}: loss {loss:.6g}"
        if score is not None:
            line += f", validation score {score:.6g}"
        line += f", learning rate {schedule(self.t_):.3g}, {seconds:.3f} s"
        print(line)

    # -- prediction ------------------------------------------------------------

    def _outputs(self, X):
        """Validated ``X`` through the fitted model: ``(n_samples, n_outputs)``."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        return self.model_.predict(self.params_, X)

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
        return self.params_[name]


class _Monitor:
    """Decides when training has stalled, and remembers the best epoch.

    Without validation data, an epoch improves when the training loss drops by
    more than ``tol`` below the best so far; with it, when the validation score
    rises by more than ``tol`` above the best so far, whose parameters are
    kept. Training has stalled after ``n_iter_no_change`` epochs in a row
    without improvement.
    """

    def __init__(self, tol, n_iter_no_change, on_validation):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.on_validation = on_validation
        self.best_loss = np.inf
        self.best_score = -np.inf
        self.best_params = None
        self.count = 0

    def update(self, loss, score, params):
        """Record one epoch; return whether training has stalled."""
        tol = 0.0 if self.tol is None else self.tol
        if self.on_validation:
            improved = score > self.best_score + tol
            if score > self.best_score:
                self.best_score = score
                self.best_params = {name: p.copy() for name, p in params.items()}
        else:
            improved = loss < self.best_loss - tol
            self.best_loss = min(self.best_loss, loss)

        self.count = 0 if improved else self.count + 1
        return self.tol is not None and self.count >= self.n_iter_no_change

    def reset_count(self):
        self.count = 0

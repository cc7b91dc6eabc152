"""The epoch loop of ``fit``: stopping, divergence, interruption, reporting.

Each epoch is a task that scikit-learn's callbacks (``sklearn.callback``) see
begin and end, with the training data and an estimator fitted up to that
epoch; a callback can end training by returning ``True``.
"""

import signal
import threading
import time
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._engine import DivergenceError
from . import _snapshot
from ._monitor import Monitor

#: An epoch loss this many times the first epoch's ends ``fit``: training
#: diverges, even while the loss is still finite.
GROWTH_LIMIT = 1e4


@contextmanager
def deferred_interrupt(trainer):
    """Turn Ctrl-C into a request that ``trainer`` ends after the current step.

    Only the main thread receives signals; elsewhere Ctrl-C stays a
    ``KeyboardInterrupt``. A second Ctrl-C interrupts at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(signum, frame):
        if trainer.interrupted:
            raise KeyboardInterrupt
        trainer.interrupted = True

    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class EpochLoopMixin:
    """The epochs of ``fit`` for :class:`BaseGradientDescent`."""

    def _run_epochs(self, optimizer, train, validation, callback_context):
        """Train for up to ``max_iter`` epochs on ``train``; keep the best epoch
        on ``validation`` when it is given."""
        trainer = self._trainer(optimizer)
        schedule = self._make_schedule(train.X.shape[0])
        monitor = Monitor(self.tol, self.n_iter_no_change, validation is not None)
        if validation is None:
            self.validation_scores_ = None
        elif not (self.warm_start and getattr(self, "validation_scores_", None)):
            # A warm start goes on with the scores of the fits it continues.
            self.validation_scores_ = []

        with deferred_interrupt(trainer):
            stopped = self._epoch_loop(
                trainer, schedule, monitor, train, validation, callback_context
            )

        self._finish(monitor)
        if not stopped and self.tol is not None and self.loss_curve_:
            warnings.warn(
                f"{type(self).__name__} stopped at max_iter={self.max_iter} epochs "
                f"while the loss was still improving by more than tol={self.tol}. "
                "Raise max_iter to train longer, or tol to stop sooner.",
                ConvergenceWarning,
                stacklevel=4,
            )

    def _epoch_loop(
        self, trainer, schedule, monitor, train, validation, callback_context
    ):
        """The epochs themselves; returns whether training stopped before
        ``max_iter``."""
        first_loss = None
        for _ in range(self.max_iter):
            started = time.perf_counter()
            task = callback_context.subcontext(task_name="epoch")
            task.call_on_fit_task_begin(
                estimator=self, X=train.X, y=train.y, metadata=train.metadata
            )
            loss = self._guarded_epoch(trainer, schedule, first_loss, train)
            first_loss = loss if first_loss is None else first_loss

            score = None
            if loss is not None and validation is not None:
                score = self._validation_score(
                    validation.X, validation.y, validation.sample_weight
                )
                self.validation_scores_.append(score)
            stop_requested = task.call_on_fit_task_end(
                estimator=self,
                X=train.X,
                y=train.y,
                metadata=train.metadata,
                reconstruction_attributes=self._fitted_so_far,
            )
            if loss is None or stop_requested:
                return True

            stalled = monitor.update(loss, score, self._prediction_params())
            self._report(loss, score, schedule, time.perf_counter() - started)
            if stalled:
                monitor.reset_count()
                if not schedule.on_stall():
                    return True
        return False

    def _fitted_so_far(self):
        """Attributes that make a copy of the estimator a fitted one, as it
        stands now."""
        params = {name: p.copy() for name, p in self._prediction_params().items()}
        return {"params_": params, "_optimizer_state": {}}

    def _guarded_epoch(self, trainer, schedule, first_loss, train):
        """One epoch of ``fit`` that is undone if it fails; ``None`` means stop.

        A non-finite loss or parameters raise; a loss far above the first
        epoch's, or Ctrl-C, stop training with a warning.
        """
        checkpoint = _snapshot.take(self)
        try:
            loss = self._run_epoch(
                trainer, schedule, train.X, train.Y, train.sample_weight
            )
        except KeyboardInterrupt:
            _snapshot.restore(self, checkpoint)
            self._warn(
                f"{type(self).__name__}.fit was interrupted after {self.n_iter_} "
                "complete epochs; the model keeps the parameters of the last one.",
                UserWarning,
            )
            return None
        except DivergenceError as error:
            _snapshot.restore(self, checkpoint)
            raise self._divergence_error(error, "at the start of that epoch") from error

        if trainer.interrupted:
            self._warn(
                f"{type(self).__name__}.fit was interrupted during epoch "
                f"{self.n_iter_}; the model keeps the parameters of the last step.",
                UserWarning,
            )
            return None
        if first_loss is not None and 0.0 < GROWTH_LIMIT * first_loss < loss:
            _snapshot.restore(self, checkpoint)
            self._warn(
                f"{type(self).__name__} stopped: the loss grew from {first_loss:.3g} "
                f"in the first epoch to {loss:.3g}. learning_rate="
                f"{self.learning_rate:g} is too large for this data and model; try "
                "a smaller one or standardise the inputs and targets.",
                ConvergenceWarning,
            )
            return None
        return loss

    def _run_epoch(self, trainer, schedule, X, Y, sample_weight):
        """One epoch and its bookkeeping; returns the epoch's mean objective.

        Raises
        ------
        DivergenceError
            If the loss or the parameters became non-finite.
        """
        rng = self._rng if self.shuffle else None
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
        if not trainer.all_finite(self.params_):
            raise DivergenceError("the parameters became non-finite")

        self.t_ = self._optimizer_state["step"]
        self.n_iter_ += 1
        self.loss_curve_.append(loss)
        return loss

    def _finish(self, monitor):
        """Record the best epoch; with validation data, keep its parameters."""
        if not monitor.on_validation:
            self.best_loss_ = min(self.loss_curve_, default=np.inf)
            return

        self.best_loss_ = None
        if monitor.best_params is not None:
            self.best_validation_score_ = monitor.best_score
            self.params_ = monitor.best_params
            average = self._optimizer_state.get("average")
            if average is not None:
                average["params"] = {
                    name: value.copy() for name, value in self.params_.items()
                }

    def _divergence_error(self, error, kept):
        """The error that tells a user training diverged, and what to do."""
        smaller = self.learning_rate / 10
        return ValueError(
            f"{type(self).__name__} diverged: {error}. learning_rate="
            f"{self.learning_rate:g} is too large for this data and model; try a "
            f"smaller one, such as learning_rate={smaller:g}, or standardise the "
            f"inputs and targets. The model keeps the parameters it had {kept}."
        )

    def _warn(self, message, category):
        warnings.warn(message, category, stacklevel=7)

    def _report(self, loss, score, schedule, seconds):
        if not self.verbose:
            return
        line = f"Epoch {self.n_iter_}: loss {loss:.6g}"
        if score is not None:
            line += f", validation score {score:.6g}"
        line += f", learning rate {schedule(self.t_):.3g}, {seconds:.3f} s"
        print(line)

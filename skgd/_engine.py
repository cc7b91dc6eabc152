"""The training loop: minibatch steps of a model, a loss and an optimizer.

This layer knows arrays, models, losses, optimizers and schedules, and nothing
of scikit-learn's estimators: no validation, labels or stopping rules.
"""

import contextlib
import functools
import math
from typing import NamedTuple

import numpy as np
from threadpoolctl import ThreadpoolController

from ._batching import Minibatcher
from ._packing import PACKED, FlatParameters


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss: the learning rate is too large."""


class Trainer:
    """Takes gradient steps of ``model`` on ``loss`` with ``optimizer``.

    The objective of a minibatch is its weighted mean loss plus the elastic-net
    penalty ``alpha * (l1_ratio * |w|_1 + (1 - l1_ratio) / 2 * ||w||²)`` over
    the weights that ``model.penalized`` names. A step computes the gradient
    of the loss and of the L2 part, clips it, lets the optimizer step, then
    applies the L1 part as a proximal step (soft-thresholding by
    ``learning_rate * alpha * l1_ratio``), which sets small weights exactly to
    zero. With averaging, the running mean of the parameters after each step
    from ``average_start`` on is kept in ``state["average"]``.

    For an elementwise optimizer (see :class:`skgd.optim.Optimizer`), the
    parameters are kept as views of one flat array: the trainer replaces the
    values of a ``params`` dict that are not with such views, and the optimizer
    updates the flat array under the one name ``"packed"``, so that each of its
    operations is one numpy call. :meth:`init_state` makes the state that goes
    with it.

    Parameters
    ----------
    model : skgd.models.Model
    loss : skgd.losses.Loss
    optimizer : skgd.optim.Optimizer
    alpha : float, default=0.0
        Strength of the penalty.
    l1_ratio : float, default=0.0
        Share of the L1 part of the penalty, in [0, 1].
    clip_norm : float, default=None
        Largest global L2 norm of the gradient; a larger one is scaled down.
    clip_value : float, default=None
        Largest absolute value of a gradient component; larger ones are clipped.
    average_start : int, default=None
        Step after which parameters are averaged; ``None`` does not average.

    Attributes
    ----------
    interrupted : bool
        Set it to end the current epoch after the step under way, as a
        handler of Ctrl-C does.
    """

    def __init__(
        self,
        model,
        loss,
        optimizer,
        alpha=0.0,
        l1_ratio=0.0,
        clip_norm=None,
        clip_value=None,
        average_start=None,
    ):
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.clip_norm = clip_norm
        self.clip_value = clip_value
        self.average_start = average_start
        self.interrupted = False
        self._minibatcher = None
        self._packed = None

    def init_state(self, params):
        """The optimizer's state at the start of training ``params``."""
        return init_state(self.optimizer, params)

    def objective(self, params, X, Y, sample_weight=None):
        """The objective's value and gradient on one minibatch.

        Returns
        -------
        value : float
        grads : dict of str to ndarray
        """
        grads = {name: np.empty_like(value) for name, value in params.items()}
        value = self._objective_into(params, grads, X, Y, sample_weight)
        return value, grads

    def step(self, params, state, X, Y, sample_weight, learning_rate):
        """One optimizer step on one minibatch; returns the objective before it.

        Raises
        ------
        DivergenceError
            If the objective is not finite; ``params`` are then left as they
            were.
        """
        packed = self._pack(params)
        return self._step(packed, state, X, Y, sample_weight, learning_rate)

    def epoch(self, params, state, schedule, X, Y, sample_weight, batch_size, rng):
        """One pass over the data in minibatches; returns the mean objective.

        Parameters
        ----------
        params, state : dict
            Updated in place.
        schedule : callable
            Maps the number of steps taken so far to the next learning rate.
        X, Y, sample_weight :
            The data, as :func:`skgd._batching.minibatches` takes it. Its
            shuffled batches are gathered into buffers the trainer keeps
            between epochs.
        batch_size : int
        rng : numpy.random.Generator or None
            Shuffles the rows; ``None`` keeps their order.

        Returns
        -------
        mean_objective : float
            Mean of the batches' objectives, weighted as their samples are.
        """
        if self._minibatcher is None or self._minibatcher.batch_size != batch_size:
            self._minibatcher = Minibatcher(batch_size)
        packed = self._pack(params)

        total, total_weight = 0.0, 0.0
        batches = self._minibatcher.epoch(X, Y, sample_weight, rng)
        with _blas_threads(X.shape[0], batch_size, params):
            for X_batch, Y_batch, weights in batches:
                learning_rate = schedule(state["step"])
                value = self._step(
                    packed, state, X_batch, Y_batch, weights, learning_rate
                )
                batch_weight = X_batch.shape[0] if weights is None else weights.sum()
                total += value * batch_weight
                total_weight += batch_weight
                if self.interrupted:
                    break
        return total / total_weight if total_weight else 0.0

    def _pack(self, params):
        """Where a step finds the parameters and writes their gradient.

        For an elementwise optimizer, the values of ``params`` become views of
        one flat array, unless they already are. What the last call found is
        kept: a training loop that calls :meth:`epoch` again and again, as a
        stream of ``partial_fit`` calls does, then pays for none of this.
        """
        packed = self._packed
        if packed is not None and packed.params is params and packed.holds(params):
            return packed

        if _is_elementwise(self.optimizer):
            flat_params = FlatParameters.of(params)
            if flat_params is None:
                flat_params = FlatParameters(params)
                params.update(flat_params.views)
        else:
            flat_params = None

        grads = None if packed is None else packed.grads
        if grads is None or not grads.is_shaped_like(params):
            grads = FlatParameters.zeros_like(params)
        self._packed = _Packed(params, flat_params, grads)
        return self._packed

    def all_finite(self, params):
        """Whether every value of ``params`` is finite."""
        packed = self._pack(params)
        if packed.flat_params is not None:
            return bool(np.isfinite(packed.flat_params.flat).all())
        return all(np.isfinite(value).all() for value in params.values())

    def _step(self, packed, state, X, Y, sample_weight, learning_rate):
        params, grads = packed.params, packed.grads
        value = self._objective_into(params, grads.views, X, Y, sample_weight)
        if not math.isfinite(value):
            raise DivergenceError(
                f"the loss became {value} at step {state['step'] + 1}"
            )
        self._clip(grads.flat)

        if packed.flat_params is None:
            self.optimizer.update(params, grads.views, state, learning_rate)
        else:
            self.optimizer.update(
                {PACKED: packed.flat_params.flat},
                {PACKED: grads.flat},
                state,
                learning_rate,
            )

        if self.alpha and self.l1_ratio:
            self._shrink(params, learning_rate * self.alpha * self.l1_ratio)
        if self.average_start is not None and state["step"] > self.average_start:
            _update_average(state, params)
        return value

    def _objective_into(self, params, grads, X, Y, sample_weight):
        """The objective's value; its gradient is written into ``grads``."""
        outputs, cache = self.model.forward(params, X)
        value, grad_outputs = self.loss.value_and_grad(outputs, Y, sample_weight)
        self.model.backward_into(params, cache, grad_outputs, grads)

        if self.alpha:
            l2 = self.alpha * (1.0 - self.l1_ratio)
            l1 = self.alpha * self.l1_ratio
            for name in self.model.penalized(params):
                weights = params[name]
                value += 0.5 * l2 * float(np.vdot(weights, weights))
                if l1:
                    value += l1 * float(np.abs(weights).sum())
                if l2:
                    grads[name] += l2 * weights
        return value

    def _clip(self, grad):
        """Clip the flat gradient in place: each component, then its norm."""
        if self.clip_value is not None:
            np.clip(grad, -self.clip_value, self.clip_value, out=grad)
        if self.clip_norm is not None:
            norm = math.sqrt(float(np.vdot(grad, grad)))
            if norm > self.clip_norm:
                grad *= self.clip_norm / norm

    def _shrink(self, params, threshold):
        """The proximal step of the L1 penalty: soft-thresholding in place."""
        for name in self.model.penalized(params):
            weights = params[name]
            shrunk = np.abs(weights) - threshold
            np.maximum(shrunk, 0.0, out=shrunk)
            np.copysign(shrunk, weights, out=weights)


class _Packed(NamedTuple):
    """What a step works on: the parameters, flat or not, and the gradient."""

    params: dict
    flat_params: FlatParameters | None
    grads: FlatParameters

    def holds(self, params):
        """Whether ``params`` still holds the arrays this was made for."""
        if self.flat_params is None:
            return self.grads.is_shaped_like(params)
        return self.flat_params.holds(params)


def _is_elementwise(optimizer):
    """Whether ``optimizer`` declares that it updates each number on its own."""
    return getattr(optimizer, "elementwise", False)


def init_state(optimizer, params):
    """The state ``optimizer`` starts from to train ``params``.

    An elementwise optimizer sees the parameters as one flat array, as
    :class:`Trainer` hands them to it, under the name ``"packed"``.
    """
    if _is_elementwise(optimizer):
        return optimizer.init({PACKED: FlatParameters(params).flat})
    return optimizer.init(params)


#: Multiply-adds of a step, estimated as the rows of a batch times the number of
#: parameters, below which BLAS runs on one thread during an epoch. Products
#: that small gain next to nothing from a second thread, and take many times
#: longer when other processes compete for the cores.
ONE_THREAD_WORK = 2**24

#: Batches an epoch must hold before it pays to limit the threads, which costs
#: about as much as a step on 30 rows.
ONE_THREAD_MIN_BATCHES = 8


def _blas_threads(n_samples, batch_size, params):
    """A context in which an epoch's matrix products run at the right width.

    One BLAS thread for an epoch of many small steps, the BLAS's own choice
    otherwise.
    """
    if n_samples < ONE_THREAD_MIN_BATCHES * batch_size:
        return contextlib.nullcontext()
    n_params = sum(value.size for value in params.values())
    if batch_size * n_params > ONE_THREAD_WORK:
        return contextlib.nullcontext()
    return _threadpools().limit(limits=1, user_api="blas")


@functools.cache
def _threadpools():
    """The process's thread pools, found once: looking them up takes ~1 ms."""
    return ThreadpoolController()


def _update_average(state, params):
    """Fold ``params`` into the running mean kept in ``state["average"]``."""
    average = state.setdefault("average", {"count": 0, "params": None})
    average["count"] += 1
    if average["params"] is None:
        average["params"] = {name: value.copy() for name, value in params.items()}
        return
    for name, value in params.items():
        mean = average["params"][name]
        mean += (value - mean) / average["count"]

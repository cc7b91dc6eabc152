"""The training loop: minibatch steps of a model, a loss and an optimizer.

This layer knows arrays, models, losses, optimizers and schedules, and nothing
of scikit-learn's estimators: no validation, labels or stopping rules.
"""

import math

import numpy as np

from ._batching import Minibatcher


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss: the learning rate is too large."""


class Trainer:
    """Takes gradient steps of ``model`` on ``loss`` with ``optimizer``.

    The objective of a minibatch is its weighted mean loss plus the L2 penalty
    ``alpha / 2 * sum(w ** 2)`` over the weights that ``model.penalized``
    names.

    Parameters
    ----------
    model : skgd.models.Model
    loss : skgd.losses.Loss
    optimizer : skgd.optim.Optimizer
    alpha : float, default=0.0
        Strength of the L2 penalty.
    """

    def __init__(self, model, loss, optimizer, alpha=0.0):
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.alpha = alpha
        self._minibatcher = None

    def objective(self, params, X, Y, sample_weight=None):
        """The objective's value and gradient on one minibatch.

        Returns
        -------
        value : float
        grads : dict of str to ndarray
        """
        outputs, cache = self.model.forward(params, X)
        value, grad_outputs = self.loss.value_and_grad(outputs, Y, sample_weight)
        grads = self.model.backward(params, cache, grad_outputs)

        if self.alpha:
            for name in self.model.penalized(params):
                weights = params[name]
                value += 0.5 * self.alpha * float(np.vdot(weights, weights))
                grads[name] += self.alpha * weights
        return value, grads

    def step(self, params, state, X, Y, sample_weight, learning_rate):
        """One optimizer step on one minibatch; returns the objective before it.

        Raises
        ------
        DivergenceError
            If the objective is not finite; ``params`` are then left as they
            were.
        """
        value, grads = self.objective(params, X, Y, sample_weight)
        if not math.isfinite(value):
            raise DivergenceError(
                f"the loss became {value} at step {state['step'] + 1}"
            )
        self.optimizer.update(params, grads, state, learning_rate)
        return value

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

        total, total_weight = 0.0, 0.0
        for X_batch, Y_batch, weights in self._minibatcher.epoch(
            X, Y, sample_weight, rng
        ):
            learning_rate = schedule(state["step"])
            value = self.step(params, state, X_batch, Y_batch, weights, learning_rate)
            batch_weight = X_batch.shape[0] if weights is None else weights.sum()
            total += value * batch_weight
            total_weight += batch_weight
        return total / total_weight if total_weight else 0.0

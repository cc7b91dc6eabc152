"""The optimizer contract and the small in-place steps optimizers share."""

import numpy as np
from sklearn.base import BaseEstimator


def _zeros_like(params):
    return {name: np.zeros_like(value) for name, value in params.items()}


def _decay_grad(grad, param, weight_decay, scratch):
    """``grad += weight_decay * param``, the L2 decay PyTorch couples to ``grad``."""
    if weight_decay:
        grad += np.multiply(param, weight_decay, out=scratch)


def _average_in(average, value, decay, scratch):
    """``average = decay * average + (1 - decay) * value``, in place."""
    average *= decay
    average += np.multiply(value, 1.0 - decay, out=scratch)


class Optimizer(BaseEstimator):
    """Base class of optimizers; see the module's documentation."""

    _parameter_constraints: dict = {}

    #: Whether the update of each number depends on that number's own
    #: parameter, gradient and statistics alone, so that the parameters may be
    #: updated as one flat array. True of every optimizer in skgd; an optimizer
    #: that looks at a whole matrix (its norm, say) must leave it False.
    elementwise: bool = False

    def validate(self) -> None:
        """Raise a ``ValueError`` naming any setting that is out of range."""
        self._validate_params()

    def init(self, params: dict[str, np.ndarray]) -> dict:
        """The state of a fresh run for parameters shaped like ``params``.

        Parameters
        ----------
        params : dict of str to ndarray

        Returns
        -------
        state : dict
            ``{"step": 0, ...}`` with the running statistics the optimizer keeps.
        """
        raise NotImplementedError

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        """Take one step: change ``params`` and ``state`` in place.

        Parameters
        ----------
        params : dict of str to ndarray
            Changed in place.
        grads : dict of str to ndarray
            Gradient of the loss for each parameter. May be overwritten.
        state : dict
            What :meth:`init` or the previous step left; changed in place.
        learning_rate : float
            The step size η of this step.
        """
        raise NotImplementedError

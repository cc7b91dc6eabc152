"""Stochastic gradient descent with momentum."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _zeros_like


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Parameters
    ----------
    momentum : float, default=0.0
        Momentum factor μ in [0, 1). Zero gives plain gradient steps.
    nesterov : bool, default=False
        Whether to use Nesterov's momentum. Needs ``momentum > 0``.

    Notes
    -----
    With gradient :math:`g_t` and velocity :math:`b_0 = 0`:

    .. math::

        b_t = \\mu b_{t-1} + g_t, \\qquad
        w_t = w_{t-1} - \\eta \\, d_t, \\qquad
        d_t = g_t + \\mu b_t \\text{ (Nesterov) or } b_t \\text{ (otherwise)}

    the formulation of PyTorch's ``torch.optim.SGD`` without dampening, after
    Sutskever et al., "On the importance of initialization and momentum in
    deep learning", ICML 2013.

    Examples
    --------
    >>> import numpy as np
    >>> optimizer = SGD(momentum=0.9)
    >>> params = {"w": np.array([1.0])}
    >>> state = optimizer.init(params)
    >>> for _ in range(2):
    ...     optimizer.update(params, {"w": np.array([1.0])}, state, 0.1)
    >>> params["w"].round(6).tolist()  # 1 - 0.1 * 1 - 0.1 * 1.9
    [0.71]
    """

    elementwise = True

    _parameter_constraints = {
        "momentum": [Interval(Real, 0.0, 1.0, closed="left")],
        "nesterov": ["boolean"],
    }

    def __init__(self, momentum: float = 0.0, nesterov: bool = False) -> None:
        self.momentum = momentum
        self.nesterov = nesterov

    def validate(self) -> None:
        super().validate()
        if self.nesterov and self.momentum == 0.0:
            raise ValueError("nesterov=True needs a momentum above 0, got 0")

    def init(self, params: dict[str, np.ndarray]) -> dict:
        state = {"step": 0}
        if self.momentum > 0.0:
            state["velocity"] = _zeros_like(params)
        return state

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        state["step"] += 1
        for name, param in params.items():
            grad = grads[name]
            direction = grad
            if self.momentum > 0.0:
                velocity = state["velocity"][name]
                velocity *= self.momentum
                velocity += grad
                if self.nesterov:
                    grad += self.momentum * velocity
                else:
                    direction = velocity

            # The gradient is spent: its memory holds the step.
            np.multiply(direction, learning_rate, out=grad)
            param -= grad

"""RMSprop."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _average_in, _decay_grad, _zeros_like


class RMSprop(Optimizer):
    r"""RMSprop: steps divided by a running root mean square of the gradient.

    Parameters
    ----------
    rho : float, default=0.99
        Decay rate ρ of the running means, in [0, 1). PyTorch calls it
        ``alpha``; skgd's estimators use ``alpha`` for the L2 penalty.
    epsilon : float, default=1e-8
        Added to the denominator for numerical stability.
    momentum : float, default=0.0
        Momentum factor μ in [0, 1) applied to the scaled gradient.
    centered : bool, default=False
        Whether to divide by an estimate of the gradient's standard deviation,
        the root of its running variance, instead of its root mean square. A
        gradient that hardly changes has a variance near zero, and so gets
        very large steps.
    weight_decay : float, default=0.0
        L2 weight decay λ, added to the gradient: :math:`g \leftarrow g + λw`.

    Notes
    -----
    With gradient :math:`g_t` and statistics starting at zero:

    .. math::

        v_t &= \rho v_{t-1} + (1 - \rho) g_t^2 \\
        m_t &= \rho m_{t-1} + (1 - \rho) g_t
            \quad \text{(centered only; else } m_t = 0) \\
        b_t &= \mu b_{t-1} + \frac{g_t}{\sqrt{v_t - m_t^2} + \epsilon} \\
        w_t &= w_{t-1} - \eta \, b_t

    Tieleman and Hinton, "Lecture 6.5: rmsprop", Coursera: Neural Networks for
    Machine Learning, 2012; centered as in Graves, "Generating sequences with
    recurrent neural networks", 2013. The steps equal those of PyTorch's
    ``torch.optim.RMSprop``.

    Examples
    --------
    The first step divides the gradient by :math:`\sqrt{1 - \rho}\,|g|`:

    >>> import numpy as np
    >>> optimizer = RMSprop(rho=0.75)
    >>> params = {"w": np.array([1.0, 1.0])}
    >>> state = optimizer.init(params)
    >>> optimizer.update(params, {"w": np.array([4.0, -0.1])}, state, 0.01)
    >>> params["w"].round(6).tolist()  # 1 ∓ 0.01 / 0.5
    [0.98, 1.02]
    """

    elementwise = True

    _parameter_constraints = {
        "rho": [Interval(Real, 0.0, 1.0, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "momentum": [Interval(Real, 0.0, 1.0, closed="left")],
        "centered": ["boolean"],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        rho: float = 0.99,
        epsilon: float = 1e-8,
        momentum: float = 0.0,
        centered: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        self.rho = rho
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        state = {"step": 0, "second_moment": _zeros_like(params)}
        if self.centered:
            state["mean"] = _zeros_like(params)
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
            scratch = np.empty_like(grad)
            _decay_grad(grad, param, self.weight_decay, scratch)

            second_moment = state["second_moment"][name]
            _average_in(second_moment, np.square(grad, out=scratch), self.rho, scratch)
            if self.centered:
                mean = state["mean"][name]
                _average_in(mean, grad, self.rho, scratch)
                variance = np.square(mean, out=scratch)
                np.subtract(second_moment, variance, out=variance)
                denominator = np.sqrt(variance, out=scratch)
            else:
                denominator = np.sqrt(second_moment, out=scratch)
            denominator += self.epsilon

            # The gradient's memory holds the scaled gradient, then the step.
            direction = np.divide(grad, denominator, out=grad)
            if self.momentum > 0.0:
                direction = state["velocity"][name]
                direction *= self.momentum
                direction += grad
            param -= np.multiply(direction, learning_rate, out=grad)

"""Adadelta."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _average_in, _decay_grad, _zeros_like


class Adadelta(Optimizer):
    r"""Adadelta: steps in the units of the parameters, from two running means.

    Parameters
    ----------
    rho : float, default=0.9
        Decay rate ρ of both running means, in [0, 1).
    epsilon : float, default=1e-6
        Added inside both square roots; it also sets the size of the first
        steps, which grow from about :math:`\sqrt{\epsilon}`.
    weight_decay : float, default=0.0
        L2 weight decay λ, added to the gradient: :math:`g \leftarrow g + λw`.

    Notes
    -----
    With gradient :math:`g_t` and both means starting at zero:

    .. math::

        v_t &= \rho v_{t-1} + (1 - \rho) g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}} \, g_t \\
        u_t &= \rho u_{t-1} + (1 - \rho) \Delta_t^2 \\
        w_t &= w_{t-1} - \eta \, \Delta_t

    Zeiler, "ADADELTA: An adaptive learning rate method", 2012. Zeiler's
    rule has no learning rate; PyTorch's ``torch.optim.Adadelta``, whose steps
    these equal, multiplies Δ by one that defaults to 1.0. Give Adadelta a
    ``learning_rate`` near 1: the default 0.01 of skgd's estimators makes it
    crawl.

    Examples
    --------
    >>> import numpy as np
    >>> optimizer = Adadelta(rho=0.5, epsilon=0.01)
    >>> params = {"w": np.array([1.0])}
    >>> state = optimizer.init(params)
    >>> optimizer.update(params, {"w": np.array([0.3])}, state, 1.0)
    >>> params["w"].round(6).tolist()  # 1 - √0.01 / √(0.5 · 0.09 + 0.01) · 0.3
    [0.87208]
    """

    elementwise = True

    _parameter_constraints = {
        "rho": [Interval(Real, 0.0, 1.0, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self, rho: float = 0.9, epsilon: float = 1e-6, weight_decay: float = 0.0
    ) -> None:
        self.rho = rho
        self.epsilon = epsilon
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        return {
            "step": 0,
            "second_moment": _zeros_like(params),
            "delta_second_moment": _zeros_like(params),
        }

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

            # The gradient's memory becomes Δ.
            delta_second_moment = state["delta_second_moment"][name]
            delta = grad
            delta *= np.sqrt(np.add(delta_second_moment, self.epsilon, out=scratch))
            delta /= np.sqrt(np.add(second_moment, self.epsilon, out=scratch))
            _average_in(
                delta_second_moment, np.square(delta, out=scratch), self.rho, scratch
            )

            param -= np.multiply(delta, learning_rate, out=scratch)

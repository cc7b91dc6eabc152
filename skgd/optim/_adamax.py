"""Adamax."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _average_in, _decay_grad, _zeros_like


class Adamax(Optimizer):
    r"""Adamax: Adam with the infinity norm in place of the root mean square.

    Parameters
    ----------
    beta_1 : float, default=0.9
        Decay rate of the running mean of the gradient, in [0, 1).
    beta_2 : float, default=0.999
        Decay rate of the running maximum of the gradient's size, in [0, 1).
    epsilon : float, default=1e-8
        Added to the size of each gradient before taking the maximum.
    weight_decay : float, default=0.0
        L2 weight decay λ, added to the gradient: :math:`g \leftarrow g + λw`.

    Notes
    -----
    With gradient :math:`g_t` and statistics starting at zero:

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        u_t &= \max(\beta_2 u_{t-1}, |g_t| + \epsilon) \\
        w_t &= w_{t-1} - \frac{\eta}{1 - \beta_1^t} \, \frac{m_t}{u_t}

    Kingma and Ba, "Adam: A method for stochastic optimization", ICLR 2015,
    section 7.1. ε sits inside the maximum as in PyTorch's
    ``torch.optim.Adamax``, whose steps these equal.

    Examples
    --------
    The first step moves each parameter by η against its gradient's sign:

    >>> import numpy as np
    >>> optimizer = Adamax()
    >>> params = {"w": np.array([1.0, 1.0])}
    >>> state = optimizer.init(params)
    >>> optimizer.update(params, {"w": np.array([5.0, -0.1])}, state, 0.01)
    >>> params["w"].round(6).tolist()
    [0.99, 1.01]
    """

    elementwise = True

    _parameter_constraints = {
        "beta_1": [Interval(Real, 0.0, 1.0, closed="left")],
        "beta_2": [Interval(Real, 0.0, 1.0, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        return {
            "step": 0,
            "mean": _zeros_like(params),
            "infinity_norm": _zeros_like(params),
        }

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        state["step"] += 1
        step_size = learning_rate / (1.0 - self.beta_1 ** state["step"])

        for name, param in params.items():
            grad = grads[name]
            scratch = np.empty_like(grad)
            _decay_grad(grad, param, self.weight_decay, scratch)

            mean = state["mean"][name]
            _average_in(mean, grad, self.beta_1, scratch)
            infinity_norm = state["infinity_norm"][name]
            infinity_norm *= self.beta_2
            size = np.abs(grad, out=scratch)
            size += self.epsilon
            np.maximum(infinity_norm, size, out=infinity_norm)

            change = np.divide(mean, infinity_norm, out=scratch)
            change *= step_size
            param -= change

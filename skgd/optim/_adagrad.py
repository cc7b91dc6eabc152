"""Adagrad."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _decay_grad


class Adagrad(Optimizer):
    r"""Adagrad: steps divided by the root of the sum of all squared gradients.

    Parameters
    ----------
    initial_accumulator_value : float, default=0.0
        Starting value :math:`s_0` of the sum of squared gradients, ≥ 0.
    epsilon : float, default=1e-10
        Added to the denominator for numerical stability.
    lr_decay : float, default=0.0
        Decay δ of the learning rate: step :math:`t` is scaled by
        :math:`1 / (1 + (t - 1) δ)`, on top of any schedule.
    weight_decay : float, default=0.0
        L2 weight decay λ, added to the gradient: :math:`g \leftarrow g + λw`.

    Notes
    -----
    With gradient :math:`g_t`:

    .. math::

        s_t &= s_{t-1} + g_t^2 \\
        w_t &= w_{t-1} - \frac{\eta}{1 + (t - 1) \delta} \,
            \frac{g_t}{\sqrt{s_t} + \epsilon}

    Duchi, Hazan and Singer, "Adaptive subgradient methods for online learning
    and stochastic optimization", JMLR 2011. The steps equal those of
    PyTorch's ``torch.optim.Adagrad``. The steps only shrink, so Adagrad
    wants a larger ``learning_rate`` than Adam, about 0.1.

    Examples
    --------
    Every step of a constant gradient is smaller than the one before:

    >>> import numpy as np
    >>> optimizer = Adagrad()
    >>> params = {"w": np.array([1.0])}
    >>> state = optimizer.init(params)
    >>> for _ in range(4):
    ...     optimizer.update(params, {"w": np.array([3.0])}, state, 0.1)
    >>> params["w"].round(6).tolist()  # 1 - 0.1 (1 + 1/√2 + 1/√3 + 1/2)
    [0.721554]
    """

    elementwise = True

    _parameter_constraints = {
        "initial_accumulator_value": [Interval(Real, 0.0, None, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "lr_decay": [Interval(Real, 0.0, None, closed="left")],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        initial_accumulator_value: float = 0.0,
        epsilon: float = 1e-10,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
        self.lr_decay = lr_decay
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        sum_of_squares = {
            name: np.full_like(value, self.initial_accumulator_value)
            for name, value in params.items()
        }
        return {"step": 0, "sum_of_squares": sum_of_squares}

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        state["step"] += 1
        step_size = learning_rate / (1.0 + (state["step"] - 1) * self.lr_decay)

        for name, param in params.items():
            grad = grads[name]
            scratch = np.empty_like(grad)
            _decay_grad(grad, param, self.weight_decay, scratch)

            sum_of_squares = state["sum_of_squares"][name]
            sum_of_squares += np.square(grad, out=scratch)

            denominator = np.sqrt(sum_of_squares, out=scratch)
            denominator += self.epsilon
            change = np.divide(grad, denominator, out=grad)
            change *= step_size
            param -= change

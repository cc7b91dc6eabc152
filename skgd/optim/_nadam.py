"""NAdam."""

import math
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import Optimizer, _average_in, _decay_grad, _zeros_like


class NAdam(Optimizer):
    r"""NAdam: Adam with Nesterov's momentum, looking one step ahead.

    Parameters
    ----------
    beta_1 : float, default=0.9
        Decay rate of the running mean of the gradient, in [0, 1).
    beta_2 : float, default=0.999
        Decay rate of the running mean of the squared gradient, in [0, 1).
    epsilon : float, default=1e-8
        Added to the denominator for numerical stability.
    momentum_decay : float, default=4e-3
        ψ of the momentum schedule :math:`\mu_t`, ≥ 0.
    weight_decay : float, default=0.0
        L2 weight decay λ, added to the gradient: :math:`g \leftarrow g + λw`.

    Notes
    -----
    With gradient :math:`g_t`, moments starting at zero and a momentum
    :math:`\mu_t` that warms up towards :math:`\beta_1`:

    .. math::

        \mu_t &= \beta_1 \left(1 - \tfrac{1}{2} \, 0.96^{t \psi}\right) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        w_t &= w_{t-1} - \eta \left(
            \frac{(1 - \mu_t) \, g_t}{1 - \prod_{i \le t} \mu_i}
            + \frac{\mu_{t+1} \, m_t}{1 - \prod_{i \le t+1} \mu_i}
            \right) \Big/ \left(\sqrt{\frac{v_t}{1 - \beta_2^t}} + \epsilon\right)

    The state keeps :math:`\prod_{i \le t} \mu_i` as ``"mu_product"``. Dozat,
    "Incorporating Nesterov momentum into Adam", ICLR 2016 workshop; the
    steps equal those of PyTorch's ``torch.optim.NAdam`` (with its default,
    coupled, weight decay).

    Examples
    --------
    The first step moves each parameter by η (1 + 0.1 μ₂ / (1 - μ₁ μ₂))
    against its gradient's sign, where μ₁ = 0.9 (1 - 0.5 · 0.96^0.004):

    >>> import numpy as np
    >>> optimizer = NAdam()
    >>> params = {"w": np.array([1.0, 1.0])}
    >>> state = optimizer.init(params)
    >>> optimizer.update(params, {"w": np.array([5.0, -0.1])}, state, 0.01)
    >>> params["w"].round(6).tolist()
    [0.989435, 1.010565]
    >>> round(state["mu_product"], 6)  # μ₁
    0.450073
    """

    elementwise = True

    _parameter_constraints = {
        "beta_1": [Interval(Real, 0.0, 1.0, closed="left")],
        "beta_2": [Interval(Real, 0.0, 1.0, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "momentum_decay": [Interval(Real, 0.0, None, closed="left")],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        momentum_decay: float = 4e-3,
        weight_decay: float = 0.0,
    ) -> None:
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.momentum_decay = momentum_decay
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        return {
            "step": 0,
            "mu_product": 1.0,
            "mean": _zeros_like(params),
            "second_moment": _zeros_like(params),
        }

    def _momentum(self, step):
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** (step * self.momentum_decay))

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        state["step"] += 1
        step = state["step"]
        momentum, next_momentum = self._momentum(step), self._momentum(step + 1)
        state["mu_product"] *= momentum
        mu_product = state["mu_product"]
        grad_step = learning_rate * (1.0 - momentum) / (1.0 - mu_product)
        mean_step = learning_rate * next_momentum / (1.0 - mu_product * next_momentum)
        root_bias_correction = math.sqrt(1.0 - self.beta_2**step)

        for name, param in params.items():
            grad = grads[name]
            scratch = np.empty_like(grad)
            _decay_grad(grad, param, self.weight_decay, scratch)

            mean = state["mean"][name]
            _average_in(mean, grad, self.beta_1, scratch)
            second_moment = state["second_moment"][name]
            _average_in(
                second_moment, np.square(grad, out=scratch), self.beta_2, scratch
            )

            denominator = np.sqrt(second_moment, out=scratch)
            denominator /= root_bias_correction
            denominator += self.epsilon
            grad /= denominator
            grad *= grad_step
            param -= grad
            change = np.divide(mean, denominator, out=grad)
            change *= mean_step
            param -= change

"""Adam and AdamW."""

import math
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from .. import _kernels
from ._base import Optimizer, _zeros_like


class Adam(Optimizer):
    """Adam: steps scaled by running estimates of the gradient's moments.

    Parameters
    ----------
    beta_1 : float, default=0.9
        Decay rate of the running mean of the gradient, in [0, 1).
    beta_2 : float, default=0.999
        Decay rate of the running mean of the squared gradient, in [0, 1).
    epsilon : float, default=1e-8
        Added to the denominator for numerical stability.
    amsgrad : bool, default=False
        Whether to divide by the largest second moment seen so far (Reddi et
        al., 2018) rather than the current one.
    weight_decay : float, default=0.0
        Decoupled weight decay λ: each step first shrinks every parameter by
        the factor ``1 - learning_rate * weight_decay``, as AdamW does.

    Notes
    -----
    With gradient :math:`g_t` and moments starting at zero:

    .. math::

        w &\\leftarrow w (1 - \\eta \\lambda) \\\\
        m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1) g_t \\\\
        v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2) g_t^2 \\\\
        w &\\leftarrow w - \\frac{\\eta}{1 - \\beta_1^t} \\,
            \\frac{m_t}{\\sqrt{v_t} / \\sqrt{1 - \\beta_2^t} + \\epsilon}

    Kingma and Ba, "Adam: A method for stochastic optimization", ICLR 2015;
    Loshchilov and Hutter, "Decoupled weight decay regularization", ICLR 2019.
    ε sits outside the square root, as in PyTorch's ``torch.optim.Adam`` and
    ``AdamW``, whose steps these equal.

    Examples
    --------
    The first step moves each parameter by about η against its gradient's sign:

    >>> import numpy as np
    >>> optimizer = Adam()
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
        "amsgrad": ["boolean"],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        amsgrad: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        self.weight_decay = weight_decay

    def init(self, params: dict[str, np.ndarray]) -> dict:
        state = {
            "step": 0,
            "mean": _zeros_like(params),
            "second_moment": _zeros_like(params),
        }
        if self.amsgrad:
            state["max_second_moment"] = _zeros_like(params)
        return state

    def update(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        state: dict,
        learning_rate: float,
    ) -> None:
        state["step"] += 1
        step = state["step"]
        step_size = learning_rate / (1.0 - self.beta_1**step)
        root_bias_correction = math.sqrt(1.0 - self.beta_2**step)

        for name, param in params.items():
            grad = grads[name]
            mean = state["mean"][name]
            second_moment = state["second_moment"][name]

            if not self.amsgrad and _kernels.fits(param, grad, mean, second_moment):
                coefficients = (
                    1.0 - learning_rate * self.weight_decay,
                    self.beta_1,
                    1.0 - self.beta_1,
                    self.beta_2,
                    1.0 - self.beta_2,
                    self.epsilon * root_bias_correction,
                    step_size * root_bias_correction,
                )
                _kernels.adam_update(
                    param.reshape(-1),
                    grad.reshape(-1),
                    mean.reshape(-1),
                    second_moment.reshape(-1),
                    tuple(map(param.dtype.type, coefficients)),
                )
                continue

            if self.weight_decay:
                param *= 1.0 - learning_rate * self.weight_decay

            # One scratch array, first for (1 - β₁) g, then for the step.
            scratch = np.multiply(grad, 1.0 - self.beta_1, out=np.empty_like(grad))
            mean *= self.beta_1
            mean += scratch
            second_moment *= self.beta_2
            grad *= grad
            grad *= 1.0 - self.beta_2
            second_moment += grad

            if self.amsgrad:
                largest = state["max_second_moment"][name]
                np.maximum(largest, second_moment, out=largest)
                second_moment = largest

            # sqrt(v) / c + ε = (sqrt(v) + ε c) / c with c = sqrt(1 - β₂ᵗ): the
            # bias correction joins the step size, which saves a pass.
            denominator = np.sqrt(second_moment, out=scratch)
            denominator += self.epsilon * root_bias_correction
            change = np.divide(mean, denominator, out=scratch)
            change *= step_size * root_bias_correction
            param -= change


class AdamW(Adam):
    """Adam with decoupled weight decay, on by default.

    The same optimizer as :class:`Adam`, under the name and with the default
    ``weight_decay=0.01`` of PyTorch's ``torch.optim.AdamW``:
    ``AdamW(weight_decay=λ)`` takes exactly the steps of
    ``Adam(weight_decay=λ)``.

    Parameters
    ----------
    beta_1 : float, default=0.9
        Decay rate of the running mean of the gradient, in [0, 1).
    beta_2 : float, default=0.999
        Decay rate of the running mean of the squared gradient, in [0, 1).
    epsilon : float, default=1e-8
        Added to the denominator for numerical stability.
    amsgrad : bool, default=False
        Whether to divide by the largest second moment seen so far.
    weight_decay : float, default=0.01
        Decoupled weight decay λ: each step first shrinks every parameter by
        the factor ``1 - learning_rate * weight_decay``.

    Notes
    -----
    The update rule is that of :class:`Adam`. Loshchilov and Hutter,
    "Decoupled weight decay regularization", ICLR 2019.

    Examples
    --------
    >>> import numpy as np
    >>> optimizer = AdamW(weight_decay=0.5)
    >>> params = {"w": np.array([1.0])}
    >>> state = optimizer.init(params)
    >>> optimizer.update(params, {"w": np.array([0.0])}, state, 0.1)
    >>> params["w"].tolist()  # 1 * (1 - 0.1 * 0.5), then no Adam step
    [0.95]
    """

    def __init__(
        self,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        amsgrad: bool = False,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
        )

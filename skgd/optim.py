"""Optimizers: how a gradient becomes a step.

An optimizer is two methods. ``init(params)`` returns the optimizer's state for
parameters shaped like ``params``: a dict holding the step count and one array
per parameter for each running statistic. ``update(params, grads, state,
learning_rate)`` takes one step, changing ``params`` and ``state`` in place.

The learning rate is given to every ``update`` rather than held by the
optimizer, so that a schedule can change it from one step to the next. The maths
is that of PyTorch's ``torch.optim`` classes of the same names: a step from the
same state on the same gradients gives the same numbers.
"""

import math
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

__all__ = ["SGD", "Adam", "Optimizer"]


def _zeros_like(params):
    return {name: np.zeros_like(value) for name, value in params.items()}


class Optimizer(BaseEstimator):
    """Base class of optimizers; see the module's documentation."""

    _parameter_constraints: dict = {}

    def validate(self):
        """Raise a ``ValueError`` naming any setting that is out of range."""
        self._validate_params()

    def init(self, params):
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

    def update(self, params, grads, state, learning_rate):
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

    _parameter_constraints = {
        "momentum": [Interval(Real, 0.0, 1.0, closed="left")],
        "nesterov": ["boolean"],
    }

    def __init__(self, momentum=0.0, nesterov=False):
        self.momentum = momentum
        self.nesterov = nesterov

    def validate(self):
        super().validate()
        if self.nesterov and self.momentum == 0.0:
            raise ValueError("nesterov=True needs a momentum above 0, got 0")

    def init(self, params):
        state = {"step": 0}
        if self.momentum > 0.0:
            state["velocity"] = _zeros_like(params)
        return state

    def update(self, params, grads, state, learning_rate):
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

    _parameter_constraints = {
        "beta_1": [Interval(Real, 0.0, 1.0, closed="left")],
        "beta_2": [Interval(Real, 0.0, 1.0, closed="left")],
        "epsilon": [Interval(Real, 0.0, None, closed="neither")],
        "amsgrad": ["boolean"],
        "weight_decay": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False, weight_decay=0.0
    ):
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        self.weight_decay = weight_decay

    def init(self, params):
        state = {
            "step": 0,
            "mean": _zeros_like(params),
            "second_moment": _zeros_like(params),
        }
        if self.amsgrad:
            state["max_second_moment"] = _zeros_like(params)
        return state

    def update(self, params, grads, state, learning_rate):
        state["step"] += 1
        step = state["step"]
        step_size = learning_rate / (1.0 - self.beta_1**step)
        root_bias_correction = math.sqrt(1.0 - self.beta_2**step)

        for name, param in params.items():
            grad = grads[name]
            mean = state["mean"][name]
            second_moment = state["second_moment"][name]

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

            denominator = np.sqrt(second_moment, out=scratch)
            denominator /= root_bias_correction
            denominator += self.epsilon
            change = np.divide(mean, denominator, out=scratch)
            change *= step_size
            param -= change

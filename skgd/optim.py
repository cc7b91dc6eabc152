"""Optimizers: how a gradient becomes a step.

An optimizer is two methods. ``init(params)`` returns the optimizer's state for
parameters shaped like ``params``: a dict holding the step count and one array
per parameter for each running statistic (NAdam also keeps one number).
``update(params, grads, state, learning_rate)`` takes one step, changing
``params`` and ``state`` in place.

The learning rate is given to every ``update`` rather than held by the
optimizer, so that a schedule can change it from one step to the next. The maths
is that of PyTorch's ``torch.optim`` classes of the same names: a step from the
same state on the same gradients gives the same numbers. :data:`OPTIMIZERS`
maps the names an estimator's ``optimizer`` parameter accepts to the classes.
"""

import math
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RMSprop",
]


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


#: The optimizers that an estimator's ``optimizer`` parameter may name.
OPTIMIZERS = {
    "sgd": SGD,
    "adam": Adam,
    "adamw": AdamW,
    "rmsprop": RMSprop,
    "adagrad": Adagrad,
    "adadelta": Adadelta,
    "adamax": Adamax,
    "nadam": NAdam,
}

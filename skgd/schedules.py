"""Schedules: how the learning rate η changes during training.

A schedule is asked for the learning rate of every step, given the number of
optimizer steps ``t`` taken before it, and is told when training has stalled.
Only ``"adaptive"`` and ``"plateau"`` act on a stall.

An estimator's ``schedule`` is a name, a callable ``factor(t)``, or one of the
factor classes below: :class:`Cosine`, :class:`StepDecay`,
:class:`Exponential`, :class:`Plateau` and :class:`Warmup`, which wraps any of
them. A factor multiplies ``learning_rate``, so that grid searches over
``learning_rate`` keep their meaning, and its settings are searchable as
``schedule__<setting>``.
"""

import math
from numbers import Integral, Real

from sklearn.base import BaseEstimator, clone
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = [
    "Adaptive",
    "Constant",
    "Cosine",
    "Exponential",
    "FromCallable",
    "InvScaling",
    "Plateau",
    "StepDecay",
    "Warmup",
    "make_schedule",
]


class Constant:
    """η stays at ``learning_rate``.

    Examples
    --------
    >>> Constant(0.1)(t=100)
    0.1
    """

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def __call__(self, t):
        return self.learning_rate

    def on_stall(self):
        """React to an epoch that did not improve; return whether to go on.

        Returns
        -------
        go_on : bool
            ``False``: training should stop.
        """
        return False


class InvScaling(Constant):
    """η_t = learning_rate / (t + 1) ** power_t.

    Examples
    --------
    >>> InvScaling(1.0, power_t=0.5)(t=3)
    0.5
    """

    def __init__(self, learning_rate, power_t=0.5):
        super().__init__(learning_rate)
        self.power_t = power_t

    def __call__(self, t):
        return self.learning_rate / (t + 1) ** self.power_t


class Adaptive(Constant):
    """η stays constant until training stalls, then is divided by 5.

    A stall is ``n_iter_no_change`` epochs in a row without the monitored loss
    improving by ``tol``, as the estimator judges it. Training stops once η
    falls below ``1e-6``.

    Examples
    --------
    >>> schedule = Adaptive(0.1)
    >>> schedule.on_stall(), round(schedule(t=0), 6)
    (True, 0.02)
    """

    #: Training stops once η falls below this.
    smallest = 1e-6

    def on_stall(self):
        self.learning_rate /= 5.0
        return self.learning_rate >= self.smallest


class FromCallable(Constant):
    """η_t = learning_rate * factor(t), for a user's ``factor``.

    A ``factor`` with an ``on_stall`` method, such as :class:`Plateau`, is
    told of stalls.

    Examples
    --------
    >>> FromCallable(0.1, lambda t: 0.5**t)(t=2)
    0.025
    """

    def __init__(self, learning_rate, factor):
        super().__init__(learning_rate)
        self.factor = factor

    def __call__(self, t):
        factor = self.factor(t)
        try:
            learning_rate = self.learning_rate * float(factor)
        except (TypeError, ValueError):
            learning_rate = math.nan
        if not 0.0 < learning_rate < math.inf:
            raise ValueError(
                f"the schedule callable returned {factor!r} at step {t}; the "
                "learning rate it gives must be a positive finite number"
            )
        return learning_rate

    def on_stall(self):
        on_stall = getattr(self.factor, "on_stall", None)
        return False if on_stall is None else on_stall()


class Factor(BaseEstimator):
    """Base class of the schedule factors: ``factor(t)`` multiplies η.

    :meth:`start` is called once before training with the length of an epoch
    in steps and the number of epochs, so that a factor can be set in epochs.
    """

    def start(self, steps_per_epoch, max_iter):
        """Learn the length of an epoch and of training, in steps."""
        self._validate_params()
        self.steps_per_epoch_ = steps_per_epoch
        self.total_steps_ = steps_per_epoch * max_iter
        return self

    def __call__(self, t):
        raise NotImplementedError


class Cosine(Factor):
    r"""Cosine annealing, with optional warm restarts.

    .. math::

        \text{factor}(t) = m + (1 - m) \, \frac{1 + \cos(\pi \, (t \bmod T) / T)}{2}

    with :math:`m` = ``min_factor`` and period :math:`T`. Loshchilov and
    Hutter, "SGDR: Stochastic gradient descent with warm restarts", ICLR 2017.

    Parameters
    ----------
    period : int, default=None
        Epochs from one restart to the next; ``None`` anneals once over all
        ``max_iter`` epochs.
    min_factor : float, default=0.0
        The smallest factor, reached at the end of each period.

    Examples
    --------
    >>> cosine = Cosine().start(steps_per_epoch=10, max_iter=2)
    >>> [round(cosine(t), 3) for t in (0, 10, 19)]
    [1.0, 0.5, 0.006]
    """

    _parameter_constraints = {
        "period": [Interval(Integral, 1, None, closed="left"), None],
        "min_factor": [Interval(Real, 0.0, 1.0, closed="left")],
    }

    def __init__(self, period=None, min_factor=0.0):
        self.period = period
        self.min_factor = min_factor

    def __call__(self, t):
        if self.period is None:
            period = self.total_steps_
        else:
            period = self.period * self.steps_per_epoch_
        phase = (t % period) / period
        return self.min_factor + (1.0 - self.min_factor) * 0.5 * (
            1.0 + math.cos(math.pi * phase)
        )


class StepDecay(Factor):
    """η falls by ``gamma`` every ``step_size`` epochs:
    ``factor(t) = gamma ** floor(epoch / step_size)``.

    Parameters
    ----------
    step_size : int, default=30
        Epochs between two decays.
    gamma : float, default=0.1
        Factor of each decay, in (0, 1].

    Examples
    --------
    >>> decay = StepDecay(step_size=2, gamma=0.5).start(steps_per_epoch=3, max_iter=9)
    >>> [decay(t) for t in (0, 5, 6, 12)]
    [1.0, 1.0, 0.5, 0.25]
    """

    _parameter_constraints = {
        "step_size": [Interval(Integral, 1, None, closed="left")],
        "gamma": [Interval(Real, 0.0, 1.0, closed="right")],
    }

    def __init__(self, step_size=30, gamma=0.1):
        self.step_size = step_size
        self.gamma = gamma

    def __call__(self, t):
        epoch = t // self.steps_per_epoch_
        return self.gamma ** (epoch // self.step_size)


class Exponential(Factor):
    """η falls by ``gamma`` each epoch, smoothly from step to step:
    ``factor(t) = gamma ** (t / steps_per_epoch)``.

    Parameters
    ----------
    gamma : float, default=0.95
        Factor per epoch, in (0, 1].

    Examples
    --------
    >>> decay = Exponential(gamma=0.25).start(steps_per_epoch=2, max_iter=5)
    >>> [decay(t) for t in (0, 1, 2, 4)]
    [1.0, 0.5, 0.25, 0.0625]
    """

    _parameter_constraints = {"gamma": [Interval(Real, 0.0, 1.0, closed="right")]}

    def __init__(self, gamma=0.95):
        self.gamma = gamma

    def __call__(self, t):
        return self.gamma ** (t / self.steps_per_epoch_)


class Plateau(Factor):
    """η is multiplied by ``factor`` each time training stalls.

    A stall is ``n_iter_no_change`` epochs without the monitored value
    improving by ``tol``, as the estimator judges it: the validation score with
    ``early_stopping`` or validation data, else the training loss. Training
    stops once the factor falls below ``min_factor``. PyTorch calls this
    ``ReduceLROnPlateau``.

    Parameters
    ----------
    factor : float, default=0.1
        Multiplies η at each stall, in (0, 1).
    min_factor : float, default=1e-4
        Training stops when η falls below ``min_factor * learning_rate``.

    Examples
    --------
    >>> plateau = Plateau(factor=0.5).start(steps_per_epoch=1, max_iter=10)
    >>> plateau.on_stall(), plateau(t=3)
    (True, 0.5)
    """

    _parameter_constraints = {
        "factor": [Interval(Real, 0.0, 1.0, closed="neither")],
        "min_factor": [Interval(Real, 0.0, 1.0, closed="neither")],
    }

    def __init__(self, factor=0.1, min_factor=1e-4):
        self.factor = factor
        self.min_factor = min_factor

    def start(self, steps_per_epoch, max_iter):
        self.current_ = 1.0
        return super().start(steps_per_epoch, max_iter)

    def __call__(self, t):
        return self.current_

    def on_stall(self):
        """Lower η; return whether training should go on."""
        self.current_ *= self.factor
        return self.current_ >= self.min_factor


class Warmup(Factor):
    """A linear warm-up before another schedule:
    ``factor(t) = min(1, (t + 1) / steps) * schedule(t)``.

    Parameters
    ----------
    schedule : Factor, callable or {"constant", "cosine", "step", "exponential", \
            "plateau"}, default="constant"
        The schedule that follows, composed with the warm-up.
    steps : int, default=100
        Optimizer steps over which η rises linearly to its full value.

    Examples
    --------
    >>> warmup = Warmup(Cosine(), steps=4).start(steps_per_epoch=4, max_iter=2)
    >>> [round(warmup(t), 3) for t in (0, 1, 3, 4)]
    [0.25, 0.481, 0.691, 0.5]
    """

    _parameter_constraints = {
        "schedule": [
            StrOptions({"constant", "cosine", "step", "exponential", "plateau"}),
            callable,
        ],
        "steps": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, schedule="constant", steps=100):
        self.schedule = schedule
        self.steps = steps

    def start(self, steps_per_epoch, max_iter):
        super().start(steps_per_epoch, max_iter)
        self.schedule_ = _factor(self.schedule, steps_per_epoch, max_iter)
        return self

    def __call__(self, t):
        return min(1.0, (t + 1) / self.steps) * self.schedule_(t)

    def on_stall(self):
        on_stall = getattr(self.schedule_, "on_stall", None)
        return False if on_stall is None else on_stall()


FACTORS = {
    "cosine": Cosine,
    "step": StepDecay,
    "exponential": Exponential,
    "plateau": Plateau,
}


NAMES = ("constant", "invscaling", "adaptive", *FACTORS)


def _check_schedule(schedule):
    known_name = isinstance(schedule, str) and schedule in NAMES
    if not known_name and (isinstance(schedule, str) or not callable(schedule)):
        names = ", ".join(repr(name) for name in NAMES)
        raise ValueError(
            f"schedule must be {names}, a schedule factor or a callable, got "
            f"{schedule!r}"
        )


def _factor(schedule, steps_per_epoch, max_iter):
    """A started copy of a factor given by name or object; callables as given."""
    _check_schedule(schedule)
    if schedule == "constant":
        return lambda t: 1.0
    if isinstance(schedule, str):
        schedule = FACTORS[schedule]()
    if isinstance(schedule, Factor):
        return clone(schedule).start(steps_per_epoch, max_iter)
    return schedule


def make_schedule(schedule, learning_rate, power_t=0.5, steps_per_epoch=1, max_iter=1):
    """The schedule an estimator's ``schedule`` parameter names.

    Parameters
    ----------
    schedule : str, Factor or callable
        ``"constant"``, ``"invscaling"``, ``"adaptive"``, ``"cosine"``,
        ``"step"``, ``"exponential"``, ``"plateau"``, a :class:`Factor`, or a
        callable ``factor(t) -> float`` that multiplies ``learning_rate`` at
        step ``t``.
    learning_rate : float
        The initial η.
    power_t : float, default=0.5
        Exponent of ``"invscaling"``.
    steps_per_epoch : int, default=1
        Optimizer steps in one epoch.
    max_iter : int, default=1
        Epochs of training.

    Returns
    -------
    schedule : Constant
        A callable of the step count with an ``on_stall`` method.

    Examples
    --------
    >>> make_schedule("invscaling", 0.1, power_t=1.0)(t=4)
    0.02
    >>> make_schedule("cosine", 0.1, steps_per_epoch=5, max_iter=2)(t=5)
    0.05
    """
    if schedule == "constant":
        return Constant(learning_rate)
    if schedule == "invscaling":
        return InvScaling(learning_rate, power_t)
    if schedule == "adaptive":
        return Adaptive(learning_rate)
    factor = _factor(schedule, steps_per_epoch, max_iter)
    return FromCallable(learning_rate, factor)

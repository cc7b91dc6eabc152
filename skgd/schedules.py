"""Schedules: how the learning rate η changes during training.

A schedule is asked for the learning rate of every step, given the number of
optimizer steps ``t`` taken before it, and is told at the end of every epoch
whether training has stalled. Only the ``"adaptive"`` schedule acts on a stall.
"""

import math

__all__ = ["Adaptive", "Constant", "FromCallable", "InvScaling", "make_schedule"]


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


def make_schedule(schedule, learning_rate, power_t=0.5):
    """The schedule an estimator's ``schedule`` parameter names.

    Parameters
    ----------
    schedule : {"constant", "invscaling", "adaptive"} or callable
        A callable ``factor(t) -> float`` multiplies ``learning_rate`` at step
        ``t``.
    learning_rate : float
        The initial η.
    power_t : float, default=0.5
        Exponent of ``"invscaling"``.

    Returns
    -------
    schedule : Constant
        A callable of the step count with an ``on_stall`` method.

    Examples
    --------
    >>> make_schedule("invscaling", 0.1, power_t=1.0)(t=4)
    0.02
    """
    if callable(schedule):
        return FromCallable(learning_rate, schedule)
    if schedule == "constant":
        return Constant(learning_rate)
    if schedule == "invscaling":
        return InvScaling(learning_rate, power_t)
    if schedule == "adaptive":
        return Adaptive(learning_rate)
    raise ValueError(
        "schedule must be 'constant', 'invscaling', 'adaptive' or a callable, "
        f"got {schedule!r}"
    )

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

from ._adadelta import Adadelta
from ._adagrad import Adagrad
from ._adam import Adam, AdamW
from ._adamax import Adamax
from ._base import Optimizer
from ._nadam import NAdam
from ._rmsprop import RMSprop
from ._sgd import SGD

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

"""skgd: any differentiable model, trained by minibatch gradient descent,
behind the scikit-learn estimator API.
"""

from ._gradcheck import GradientCheck, check_gradient
from .estimators import (
    AdamClassifier,
    AdamRegressor,
    GDClassifier,
    GDRegressor,
    SGDClassifier,
    SGDRegressor,
)

__version__ = "0.1.0"

__all__ = [
    "AdamClassifier",
    "AdamRegressor",
    "GDClassifier",
    "GDRegressor",
    "GradientCheck",
    "LossCurveDisplay",
    "SGDClassifier",
    "SGDRegressor",
    "check_gradient",
]


def __getattr__(name):
    # LossCurveDisplay needs matplotlib, an optional extra: import it on use.
    if name == "LossCurveDisplay":
        from .plotting import LossCurveDisplay

        return LossCurveDisplay
    raise AttributeError(f"module 'skgd' has no attribute {name!r}")

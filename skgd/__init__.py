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
    "SGDClassifier",
    "SGDRegressor",
    "check_gradient",
]

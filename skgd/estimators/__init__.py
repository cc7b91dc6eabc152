"""The scikit-learn estimators."""

from ._adam import AdamClassifier, AdamRegressor
from ._gd import GDClassifier, GDRegressor
from ._sgd import SGDClassifier, SGDRegressor

__all__ = [
    "AdamClassifier",
    "AdamRegressor",
    "GDClassifier",
    "GDRegressor",
    "SGDClassifier",
    "SGDRegressor",
]

"""The scikit-learn estimators."""

from ._adam import AdamClassifier, AdamRegressor
from ._sgd import SGDClassifier, SGDRegressor

__all__ = ["AdamClassifier", "AdamRegressor", "SGDClassifier", "SGDRegressor"]

"""skgd: any differentiable model, trained by minibatch gradient descent,
behind the scikit-learn estimator API.
"""

from .estimators import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor

__version__ = "0.1.0"

__all__ = ["AdamClassifier", "AdamRegressor", "SGDClassifier", "SGDRegressor"]

"""scikit-learn's own estimator checks, legacy ones included, with no expected
failures, for every estimator with the linear model and with an MLP, and for
the general estimators with each optimizer."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skgd import (
    AdamClassifier,
    AdamRegressor,
    GDClassifier,
    GDRegressor,
    SGDClassifier,
    SGDRegressor,
)
from skgd.models import MLP
from skgd.optim import OPTIMIZERS

NAMED = [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]
GENERAL = [GDRegressor, GDClassifier]

#: Learning rates at which each optimizer trains the checks' small problems
#: within the default epochs. Adadelta and Adagrad take small first steps and
#: need large rates; Adadelta passes from 0.5 to 0.9: below, it underfits the
#: regression check in 200 steps; at 1.0, its steps grow unstable near the
#: sample-weight check's exact fit, and rounding differences between weighted
#: and repeated rows grow past that check's tolerance.
LEARNING_RATES = {
    "sgd": 0.01,
    "adam": 0.01,
    "adamw": 0.01,
    "rmsprop": 0.01,
    "adagrad": 0.1,
    "adadelta": 0.7,
    "adamax": 0.01,
    "nadam": 0.01,
}


@parametrize_with_checks(
    [Estimator() for Estimator in NAMED]
    + [Estimator(model=MLP()) for Estimator in NAMED]
    + [
        Estimator(optimizer=name, learning_rate=LEARNING_RATES[name])
        for Estimator in GENERAL
        for name in OPTIMIZERS
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)

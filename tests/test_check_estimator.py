"""scikit-learn's own estimator checks, legacy ones included, with no expected
failures, for every estimator with the linear model and with an MLP."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from skgd.models import MLP

ESTIMATORS = [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]


@parametrize_with_checks(
    [Estimator() for Estimator in ESTIMATORS]
    + [Estimator(model=MLP()) for Estimator in ESTIMATORS]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)

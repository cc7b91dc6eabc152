"""Every estimator documents each of its parameters with its true default."""

import ast
import inspect
import re

import pytest

from skgd import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor

ENTRY = re.compile(r"^    (\w+) : .*default=(.+)$", re.MULTILINE)


@pytest.mark.parametrize(
    "Estimator", [SGDRegressor, SGDClassifier, AdamRegressor, AdamClassifier]
)
def test_documented_defaults_are_the_real_ones(Estimator):
    documented = dict(ENTRY.findall(Estimator.__doc__))
    signature = inspect.signature(Estimator.__init__)

    for name, parameter in signature.parameters.items():
        if name == "self":
            continue
        assert name in documented, f"{Estimator.__name__} does not document {name}"
        assert ast.literal_eval(documented[name]) == parameter.default, name

"""The general estimators and class weights."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skgd import (
    AdamClassifier,
    GDClassifier,
    GDRegressor,
    SGDClassifier,
    SGDRegressor,
)
from skgd.optim import SGD, Adam

RNG = np.random.default_rng(0)
X = RNG.normal(size=(150, 4))
Y = X @ np.array([1.0, -1.0, 2.0, 0.0])
LABELS = np.where(X[:, 0] + 0.5 * X[:, 1] > 0.8, "rare", "common")


def test_named_optimizer_equals_the_named_estimator():
    settings = {"batch_size": 16, "max_iter": 4, "tol": None, "random_state": 0}

    general = GDRegressor(
        optimizer=SGD(momentum=0.9), learning_rate=0.001, **settings
    ).fit(X, Y)
    named = SGDRegressor(**settings).fit(X, Y)

    for name, value in named.params_.items():
        np.testing.assert_array_equal(general.params_[name], value)


def test_optimizer_objects_are_cloned_and_searchable():
    optimizer = Adam()
    search = GridSearchCV(
        GDRegressor(optimizer=optimizer, max_iter=5, tol=None),
        {"optimizer__beta_1": [0.5, 0.9], "optimizer__amsgrad": [False, True]},
        cv=2,
    ).fit(X, Y)

    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.optimizer is not optimizer
    assert optimizer.get_params() == Adam().get_params()


def test_an_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="'optimizer' parameter of GDClassifier"):
        GDClassifier(optimizer="lbfgs").fit(X, LABELS)


@pytest.mark.parametrize("Classifier", [SGDClassifier, AdamClassifier, GDClassifier])
def test_class_weight_equals_sample_weight(Classifier):
    settings = {"batch_size": 200, "max_iter": 5, "tol": None, "random_state": 0}
    weights = {"rare": 3.0, "common": 0.5}

    by_class = Classifier(class_weight=weights, **settings).fit(X, LABELS)
    by_sample = Classifier(**settings).fit(
        X, LABELS, sample_weight=np.where(LABELS == "rare", 3.0, 0.5)
    )

    for name, value in by_sample.params_.items():
        np.testing.assert_allclose(by_class.params_[name], value, rtol=1e-12)


def test_balanced_class_weight_raises_the_recall_of_the_rare_class():
    counts = {label: (LABELS == label).sum() for label in ("rare", "common")}
    settings = {"max_iter": 50, "tol": None, "random_state": 0}

    plain = AdamClassifier(**settings).fit(X, LABELS)
    balanced = AdamClassifier(class_weight="balanced", **settings).fit(X, LABELS)
    manual = AdamClassifier(
        class_weight={label: 150 / (2 * n) for label, n in counts.items()},
        **settings,
    ).fit(X, LABELS)

    rare = LABELS == "rare"
    assert counts["rare"] < counts["common"] / 2
    assert (balanced.predict(X[rare]) == "rare").mean() > (
        plain.predict(X[rare]) == "rare"
    ).mean()
    for name, value in manual.params_.items():
        np.testing.assert_allclose(balanced.params_[name], value, rtol=1e-12)


def test_balanced_class_weight_in_partial_fit_uses_each_chunk():
    chunk = slice(0, 60)
    counts = np.array([(LABELS[chunk] == c).sum() for c in ("common", "rare")])
    settings = {"batch_size": 60, "random_state": 0}

    balanced = SGDClassifier(class_weight="balanced", **settings).partial_fit(
        X[chunk], LABELS[chunk], classes=["common", "rare"]
    )
    manual = SGDClassifier(
        class_weight=dict(zip(["common", "rare"], 60 / (2 * counts), strict=True)),
        **settings,
    ).partial_fit(X[chunk], LABELS[chunk], classes=["common", "rare"])

    for name, value in manual.params_.items():
        np.testing.assert_allclose(balanced.params_[name], value, rtol=1e-12)


def test_bad_class_weight_is_named_before_any_change():
    classifier = SGDClassifier(class_weight={"rare": 2.0, "unheard": 1.0})

    with pytest.raises(ValueError, match="class_weight has the label 'unheard'"):
        classifier.fit(X, LABELS)
    with pytest.raises(ValueError, match=r"class_weight\['rare'\] must be a finite"):
        classifier.set_params(class_weight={"rare": -1.0}).fit(X, LABELS)
    assert not hasattr(classifier, "params_")

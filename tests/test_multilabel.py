"""Multilabel classification: a 2-D binary y, one sigmoid output per label."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier

from skgd import AdamClassifier, SGDClassifier

X, Y = make_multilabel_classification(
    n_samples=200, n_features=6, n_classes=3, random_state=0
)
X = (X - X.mean(axis=0)) / X.std(axis=0)
SETTINGS = {"batch_size": 32, "max_iter": 20, "tol": None, "random_state": 0}


@pytest.mark.parametrize("Classifier", [SGDClassifier, AdamClassifier])
def test_a_linear_multilabel_fit_is_one_binary_fit_per_label(Classifier):
    multilabel = Classifier(**SETTINGS).fit(X, Y)

    for label in range(3):
        binary = Classifier(**SETTINGS).fit(X, Y[:, label])
        np.testing.assert_allclose(
            multilabel.coef_[label], binary.coef_[0], rtol=1e-10, atol=1e-12
        )
        np.testing.assert_allclose(
            multilabel.intercept_[label], binary.intercept_[0], rtol=1e-10
        )


def test_multilabel_outputs_have_the_shapes_and_types_of_the_targets():
    classifier = AdamClassifier(**SETTINGS).fit(X, Y)

    np.testing.assert_array_equal(classifier.classes_, [0, 1, 2])
    labels = classifier.predict(X)
    assert labels.shape == Y.shape and labels.dtype == Y.dtype
    scores = classifier.decision_function(X)
    np.testing.assert_array_equal(labels, (scores > 0).astype(int))
    np.testing.assert_allclose(classifier.predict_proba(X), expit(scores))
    reference = MultiOutputClassifier(LogisticRegression()).fit(X, Y)
    # score is the subset accuracy: every label of a sample right.
    assert classifier.score(X, Y) >= reference.score(X, Y) - 0.05
    assert (labels == Y).mean() >= (reference.predict(X) == Y).mean() - 0.02


def test_multilabel_partial_fit_and_early_stopping():
    classifier = SGDClassifier(batch_size=32, random_state=0)
    for rows in np.array_split(np.arange(200), 4):
        classifier.partial_fit(X[rows], Y[rows], classes=[0, 1, 2])
    assert classifier.n_iter_ == 4

    stopped = AdamClassifier(early_stopping=True, random_state=0).fit(X, Y)
    assert len(stopped.validation_scores_) == stopped.n_iter_


def test_bad_multilabel_targets_are_named():
    with pytest.raises(ValueError, match="multilabel indicator matrix"):
        AdamClassifier().fit(X, 2 * Y)
    with pytest.raises(ValueError, match="class_weight is not supported"):
        AdamClassifier(class_weight="balanced").fit(X, Y)
    classifier = AdamClassifier(max_iter=2).fit(X, Y)
    with pytest.raises(ValueError, match="fitted on other targets than 2 labels"):
        classifier.set_params(warm_start=True).fit(X, Y[:, :2])
    with pytest.raises(ValueError, match="fitted on multilabel targets"):
        classifier.partial_fit(X, Y[:, 0])

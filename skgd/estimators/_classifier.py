"""What classifiers add to the shared base: labels, probabilities, accuracy."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from ..losses import CLASSIFICATION_LOSSES, get_loss
from ._base import BaseGradientDescent


def _gives_probabilities(estimator):
    loss = estimator.loss
    return isinstance(loss, str) and getattr(
        CLASSIFICATION_LOSSES.get(loss), "has_probabilities", False
    )


def _check_known_labels(y, classes, name):
    unknown = np.setdiff1d(y, classes)
    if unknown.size:
        raise ValueError(
            f"{name} holds labels {unknown.tolist()} that are not among the classes "
            f"{classes.tolist()}"
        )


class BaseClassifier(ClassifierMixin, BaseGradientDescent):
    """Classification: two or more classes of any label type, or labels.

    Two classes train one output, whose sign gives the class ``classes_[1]``;
    ``K > 2`` classes train ``K`` outputs, one per class. A 2-D binary ``y``
    is multilabel: one output per label (column), each trained as a binary
    problem of its own; ``classes_`` is then ``[0, ..., K - 1]``.
    """

    _parameter_constraints = {
        **BaseGradientDescent._parameter_constraints,
        "loss": [StrOptions(set(CLASSIFICATION_LOSSES))],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _target_validation = {"multi_output": True}
    _stratify_validation = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _make_loss(self):
        return get_loss(self.loss, multilabel=getattr(self, "_multilabel", False))

    def _encode_targets(self, y, dtype, reset, classes=None):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if y.ndim == 2:
            return self._encode_labels(y, dtype, reset, classes)
        if not reset and self._multilabel:
            raise ValueError(
                f"{type(self).__name__} was fitted on multilabel targets, got y "
                "of one column"
            )
        classes = self._check_classes(y, reset, classes)

        _check_known_labels(y, classes, "y")

        Y = self._one_hot(np.searchsorted(classes, y), classes.size, dtype)
        return Y, ({"classes_": classes, "_multilabel": False} if reset else {})

    def _encode_labels(self, y, dtype, reset, classes):
        """Multilabel targets: a 0/1 matrix with one column per label."""
        if type_of_target(y) != "multilabel-indicator" or not np.isin(y, (0, 1)).all():
            raise ValueError(
                "a 2-D y must be a multilabel indicator matrix of 0 and 1; "
                f"got {type_of_target(y)} targets"
            )
        n_labels = y.shape[1]
        if classes is not None and len(classes) != n_labels:
            raise ValueError(
                f"classes has {len(classes)} entries, but y has {n_labels} labels"
            )
        if not reset and not (self._multilabel and self.n_outputs_ == n_labels):
            raise ValueError(
                f"{type(self).__name__} was fitted on other targets than "
                f"{n_labels} labels"
            )
        if self.class_weight is not None:
            raise ValueError("class_weight is not supported for multilabel targets")

        attributes = {
            "classes_": np.arange(n_labels),
            "_multilabel": True,
            "_label_dtype": y.dtype,
        }
        return y.astype(dtype), (attributes if reset else {})

    def _weigh_targets(self, Y, sample_weight, target_attributes):
        """Multiply the sample weights by the weight of each sample's class.

        ``"balanced"`` weighs each class by ``n_samples / (n_classes * count)``
        over the data of this call.
        """
        if self.class_weight is None:
            return sample_weight

        classes = target_attributes.get("classes_", getattr(self, "classes_", None))
        indices = Y[:, 0].astype(np.intp) if classes.size == 2 else Y.argmax(axis=1)
        if isinstance(self.class_weight, str):
            counts = np.bincount(indices, minlength=classes.size)
            per_class = Y.shape[0] / (classes.size * np.maximum(counts, 1))
        else:
            per_class = self._class_weight_table(classes)

        weights = per_class[indices].astype(Y.dtype)
        return weights if sample_weight is None else sample_weight * weights

    def _class_weight_table(self, classes):
        """The weights of ``class_weight`` in the order of ``classes``."""
        table = np.ones(classes.size)
        for label, weight in self.class_weight.items():
            position = np.flatnonzero(classes == label)
            if position.size == 0:
                raise ValueError(
                    f"class_weight has the label {label!r}, which is not among the "
                    f"classes {classes.tolist()}"
                )
            if not (np.isfinite(weight) and weight >= 0):
                raise ValueError(
                    f"class_weight[{label!r}] must be a finite non-negative number, "
                    f"got {weight!r}"
                )
            table[position] = weight
        return table

    def _check_validation_targets(self, y_val, Y, classes):
        check_classification_targets(y_val)
        if y_val.ndim == 2 and y_val.shape[1] > 1:
            if y_val.shape[1] != Y.shape[1]:
                raise ValueError(
                    f"y_val has {y_val.shape[1]} labels, but y has {Y.shape[1]}"
                )
            return
        _check_known_labels(column_or_1d(y_val), classes, "y_val")

    def _encode_plain_targets(self, y, X):
        """Encoded targets when ``y`` is a 1-D numeric array of known classes,
        else ``None``."""
        classes = self.classes_
        if self._multilabel or type(y) is not np.ndarray or y.shape != (X.shape[0],):
            return None
        if y.dtype.kind not in "biuf" or classes.dtype.kind not in "biuf":
            return None

        indices = np.searchsorted(classes, y)
        if indices.max() >= classes.size or (classes[indices] != y).any():
            return None
        return self._one_hot(indices, classes.size, X.dtype)

    @staticmethod
    def _one_hot(indices, n_classes, dtype):
        """One column of 0/1 for two classes, else one column per class."""
        if n_classes == 2:
            return (indices == 1).astype(dtype)[:, np.newaxis]
        Y = np.zeros((indices.size, n_classes), dtype=dtype)
        Y[np.arange(indices.size), indices] = 1.0
        return Y

    def _check_classes(self, y, reset, classes):
        """The sorted classes to train on, checked against earlier calls."""
        name = type(self).__name__
        if classes is not None:
            classes = np.unique(np.asarray(classes))
        if not reset:
            if classes is not None and not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"classes={classes.tolist()} differs from the classes "
                    f"{self.classes_.tolist()} that {name} was fitted on"
                )
            return self.classes_

        classes = np.unique(y) if classes is None else classes
        if classes.size < 2:
            raise ValueError(
                f"{name} needs at least 2 classes to train, but the data holds "
                f"only one class: {classes.tolist()}"
            )
        return classes

    def _from_outputs(self, outputs):
        if self._multilabel:
            return (outputs > 0.0).astype(self._label_dtype)
        if self.classes_.size == 2:
            return self.classes_[(outputs[:, 0] > 0.0).astype(int)]
        return self.classes_[np.argmax(outputs, axis=1)]

    def _validation_score(self, X, y, sample_weight):
        predictions = self._from_outputs(
            self.model_.predict(self._prediction_params(), X)
        )
        return accuracy_score(y, predictions, sample_weight=sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Take one pass of minibatch steps over a chunk of data.

        The first call sets the model up and needs every class the stream will
        hold in ``classes``; later calls continue from where the previous one
        ended. Each call shuffles the rows when ``shuffle`` is true and takes
        one step per ``batch_size`` rows, with no stopping rule.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training inputs.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its labels, or a 0/1 matrix of labels for multilabel data.
        classes : array-like of shape (n_classes,), default=None
            All the classes; required on the first call, optional later. For
            multilabel data, the label indices ``[0, ..., n_labels - 1]``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if classes is None and not self.__sklearn_is_fitted__():
            raise ValueError(
                "classes must be passed on the first call to partial_fit: "
                "the first chunk may not hold every class"
            )
        return self._partial_fit(X, y, sample_weight, classes=classes)

    def decision_function(self, X):
        """The model's outputs: one score per class, or one for two classes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, positive scores mean ``classes_[1]``.
        """
        outputs = self._outputs(X)
        binary = self.classes_.size == 2 and not self._multilabel
        return outputs[:, 0] if binary else outputs

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,) or (n_samples, n_labels)
            For multilabel data, a 0/1 matrix of the type of the targets.
        """
        return self._from_outputs(self._outputs(X))

    @available_if(_gives_probabilities)
    def predict_proba(self, X):
        """Class probabilities, for ``loss="log_loss"`` and ``"modified_huber"``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return self._make_loss().predict_proba(self._outputs(X))

    @available_if(_gives_probabilities)
    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

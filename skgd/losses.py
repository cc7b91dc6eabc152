"""Losses: the mean of per-sample losses and its gradient with respect to outputs.

A loss compares a model's outputs, an array of shape ``(n_samples, n_outputs)``,
with targets of the same shape. Regression targets are the values to predict.
Classification targets are encoded by the estimator: one column of 0/1 for two
classes, one-hot columns for more.

Every loss is a weighted mean over samples, normalised by the sum of the sample
weights, of a per-sample loss that sums over the outputs:

.. math::

    L = \\frac{\\sum_i w_i \\, \\ell(f_i, y_i)}{\\sum_i w_i}

so that a weight of 2 is the same as repeating a sample, and the gradient of a
minibatch is an unbiased estimate of the gradient over all the data.
"""

import numpy as np
from scipy.special import expit, softmax

from . import _kernels

__all__ = [
    "EpsilonInsensitive",
    "Hinge",
    "Huber",
    "LogLoss",
    "Loss",
    "ModifiedHuber",
    "SquaredError",
    "get_loss",
]


class Loss:
    """Base class of losses.

    Subclasses implement :meth:`pointwise`, which gives the per-sample loss and
    its derivative with respect to the outputs; the weighted mean is taken here.
    """

    #: Whether :meth:`predict_proba` gives class probabilities.
    has_probabilities = False

    def pointwise(self, outputs, y):
        """Per-sample losses and their derivatives with respect to ``outputs``.

        Parameters
        ----------
        outputs : ndarray of shape (n_samples, n_outputs)
            The model's outputs.
        y : ndarray of shape (n_samples, n_outputs)
            The targets.

        Returns
        -------
        losses : ndarray of shape (n_samples,)
            The loss of each sample.
        grad : ndarray of shape (n_samples, n_outputs)
            The derivative of each sample's loss with respect to its outputs.
        """
        raise NotImplementedError

    def value_and_grad(self, outputs, y, sample_weight=None):
        """Weighted mean loss and its gradient with respect to ``outputs``.

        Parameters
        ----------
        outputs : ndarray of shape (n_samples, n_outputs)
            The model's outputs.
        y : ndarray of shape (n_samples, n_outputs)
            The targets.
        sample_weight : ndarray of shape (n_samples,), default=None
            Non-negative weights; ``None`` weighs every sample equally.

        Returns
        -------
        value : float
            The weighted mean of the per-sample losses.
        grad : ndarray of shape (n_samples, n_outputs)
            The derivative of ``value`` with respect to ``outputs``.
        """
        losses, grad = self.pointwise(outputs, y)

        if sample_weight is None:
            n_samples = outputs.shape[0]
            grad *= 1.0 / n_samples
            return float(losses.sum()) / n_samples, grad

        total_weight = sample_weight.sum()
        if total_weight == 0.0:
            # A minibatch of zero-weight samples carries no information.
            return 0.0, np.zeros_like(grad)

        scale = (sample_weight / total_weight).astype(outputs.dtype)
        grad *= scale[:, np.newaxis]
        return float(losses @ scale), grad

    def predict_proba(self, outputs):
        """Class probabilities from outputs, for losses that define them."""
        raise AttributeError(
            f"the loss {type(self).__name__} does not give class probabilities"
        )


class SquaredError(Loss):
    """Half the squared error, summed over outputs: ``0.5 * sum((f - y)**2)``.

    Examples
    --------
    >>> import numpy as np
    >>> value, grad = SquaredError().value_and_grad(
    ...     np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    ... )
    >>> value
    1.25
    >>> grad.ravel().tolist()
    [0.5, 1.0]
    """

    def pointwise(self, outputs, y):
        residual = outputs - y
        losses = 0.5 * np.einsum("ij,ij->i", residual, residual)
        return losses, residual


class Huber(Loss):
    """Huber loss: squared near the target, linear beyond ``delta``.

    ``0.5 * r**2`` where ``|r| <= delta``, else ``delta * (|r| - delta / 2)``,
    with ``r = f - y``, summed over outputs.

    Parameters
    ----------
    delta : float, default=1.0
        Where the loss turns from quadratic to linear.
    """

    def __init__(self, delta=1.0):
        self.delta = delta

    def pointwise(self, outputs, y):
        residual = outputs - y
        size = np.abs(residual)
        quadratic = size <= self.delta
        per_output = np.where(
            quadratic,
            0.5 * residual * residual,
            self.delta * (size - 0.5 * self.delta),
        )
        grad = np.clip(residual, -self.delta, self.delta)
        return per_output.sum(axis=1), grad


class EpsilonInsensitive(Loss):
    """Epsilon-insensitive loss of support vector regression.

    ``max(0, |f - y| - delta)``, summed over outputs: errors smaller than
    ``delta`` cost nothing.

    Parameters
    ----------
    delta : float, default=0.1
        Width of the band around the target inside which errors are ignored.
    """

    def __init__(self, delta=0.1):
        self.delta = delta

    def pointwise(self, outputs, y):
        residual = outputs - y
        excess = np.abs(residual) - self.delta
        losses = np.maximum(excess, 0.0).sum(axis=1)
        grad = np.where(excess > 0.0, np.sign(residual), 0.0).astype(outputs.dtype)
        return losses, grad


class LogLoss(Loss):
    """Cross-entropy of the logistic (one output) or softmax (several) model.

    With one output ``f`` and a 0/1 target ``y``: ``log(1 + exp(f)) - y * f``.
    With ``K`` outputs and one-hot ``y``: ``logsumexp(f) - sum(y * f)``.

    Parameters
    ----------
    multilabel : bool, default=False
        Whether each of several outputs is a label of its own, as in
        multilabel classification: the loss is then the sum of one logistic
        loss per output, and the probabilities are one sigmoid per output.
    """

    has_probabilities = True

    def __init__(self, multilabel=False):
        self.multilabel = multilabel

    def pointwise(self, outputs, y):
        if outputs.shape[1] == 1 or self.multilabel:
            losses = np.logaddexp(0.0, outputs) - y * outputs
            return losses.sum(axis=1), expit(outputs) - y

        if _kernels.fits(outputs, y):
            losses = np.empty(outputs.shape[0], dtype=outputs.dtype)
            grad = np.empty_like(outputs)
            _kernels.softmax_cross_entropy(outputs, y, losses, grad)
            return losses, grad

        # With s = f - max(f), stable for large f: p = exp(s) / sum(exp(s)) and
        # the loss is log(sum(exp(s))) - sum(y * s), as y sums to one. Maxima
        # and sums along rows of a few columns run several times faster over
        # Fortran-ordered arrays, whose columns are contiguous.
        logits = np.asfortranarray(outputs)
        shifted = logits - logits.max(axis=1, keepdims=True)
        proba = np.exp(shifted)
        total = proba.sum(axis=1, keepdims=True)
        proba /= total

        losses = np.log(total[:, 0])
        losses -= np.einsum("ij,ij->i", y, shifted)
        proba -= y
        return losses, proba

    def predict_proba(self, outputs):
        """Class probabilities: sigmoid for one output, softmax for several;
        with ``multilabel``, the probability of each label."""
        if self.multilabel:
            return expit(outputs)
        if outputs.shape[1] == 1:
            positive = expit(outputs)
            return np.hstack([1.0 - positive, positive])
        return softmax(outputs, axis=1)


def _signed(y):
    """Map 0/1 targets to -1/+1."""
    return 2.0 * y - 1.0


class Hinge(Loss):
    """Hinge loss of the linear SVM, one-vs-rest: ``sum(max(0, 1 - z * f))``.

    ``z`` is +1 for the sample's class and -1 for the others.
    """

    def pointwise(self, outputs, y):
        sign = _signed(y)
        margin = sign * outputs
        losses = np.maximum(1.0 - margin, 0.0).sum(axis=1)
        grad = np.where(margin < 1.0, -sign, 0.0).astype(outputs.dtype)
        return losses, grad


class ModifiedHuber(Loss):
    """Smoothed hinge loss, one-vs-rest, that also gives probabilities.

    With the margin ``m = z * f``: ``max(0, 1 - m)**2`` where ``m >= -1``, else
    ``-4 * m``; ``z`` is +1 for the sample's class and -1 for the others.

    Parameters
    ----------
    multilabel : bool, default=False
        Whether each of several outputs is a label of its own; the
        probabilities of the labels are then not normalised together.
    """

    has_probabilities = True

    def __init__(self, multilabel=False):
        self.multilabel = multilabel

    def pointwise(self, outputs, y):
        sign = _signed(y)
        margin = sign * outputs
        gap = np.maximum(1.0 - margin, 0.0)
        linear = margin < -1.0
        losses = np.where(linear, -4.0 * margin, gap * gap).sum(axis=1)
        grad = np.where(linear, -4.0 * sign, -2.0 * gap * sign).astype(outputs.dtype)
        return losses, grad

    def predict_proba(self, outputs):
        """Probabilities ``(clip(f, -1, 1) + 1) / 2``, normalised over classes.

        A sample whose outputs are all at -1 or below gets equal probabilities.
        """
        positive = (np.clip(outputs, -1.0, 1.0) + 1.0) / 2.0
        if self.multilabel:
            return positive
        if outputs.shape[1] == 1:
            return np.hstack([1.0 - positive, positive])

        total = positive.sum(axis=1, keepdims=True)
        n_classes = outputs.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            proba = positive / total
        return np.where(total > 0.0, proba, 1.0 / n_classes)


REGRESSION_LOSSES = {
    "squared_error": SquaredError,
    "huber": Huber,
    "epsilon_insensitive": EpsilonInsensitive,
}
CLASSIFICATION_LOSSES = {
    "log_loss": LogLoss,
    "hinge": Hinge,
    "modified_huber": ModifiedHuber,
}


def get_loss(name, delta=None, multilabel=False):
    """The loss called ``name``, with threshold ``delta`` where it takes one.

    Parameters
    ----------
    name : str
        One of ``"squared_error"``, ``"huber"``, ``"epsilon_insensitive"``,
        ``"log_loss"``, ``"hinge"``, ``"modified_huber"``.
    delta : float, default=None
        The threshold of ``"huber"`` and ``"epsilon_insensitive"``; ignored by
        the others. ``None`` keeps the loss's own default.
    multilabel : bool, default=False
        For classification losses: whether the outputs are independent
        labels rather than mutually exclusive classes.

    Returns
    -------
    loss : Loss

    Examples
    --------
    >>> get_loss("huber", delta=0.5).delta
    0.5
    """
    losses = {**REGRESSION_LOSSES, **CLASSIFICATION_LOSSES}
    if name not in losses:
        raise ValueError(f"unknown loss {name!r}; expected one of {sorted(losses)}")

    loss_class = losses[name]
    if loss_class in (Huber, EpsilonInsensitive) and delta is not None:
        return loss_class(delta=delta)
    if loss_class in (LogLoss, ModifiedHuber) and multilabel:
        return loss_class(multilabel=True)
    return loss_class()

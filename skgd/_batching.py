"""Minibatches: one epoch's rows, shuffled and split into batches."""

import numpy as np


def batch_bounds(n_samples, batch_size):
    """Start and stop of each batch of one epoch over ``n_samples`` rows.

    The last batch holds the remainder when ``batch_size`` does not divide
    ``n_samples``; a ``batch_size`` above ``n_samples`` gives a single batch.

    Examples
    --------
    >>> batch_bounds(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return [
        (start, min(start + batch_size, n_samples))
        for start in range(0, n_samples, batch_size)
    ]


def minibatches(X, Y, sample_weight, batch_size, rng=None):
    """Yield ``(X_batch, Y_batch, weight_batch)`` for one epoch.

    Parameters
    ----------
    X : ndarray or scipy.sparse CSR matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
    sample_weight : ndarray of shape (n_samples,) or None
        Travels with its rows; ``None`` stays ``None``.
    batch_size : int
    rng : numpy.random.Generator, default=None
        Draws the epoch's permutation of the rows; ``None`` keeps their order.

    Yields
    ------
    X_batch, Y_batch, weight_batch
        Views of the inputs when the rows are in order, copies otherwise.

    Notes
    -----
    The rows of a shuffled batch are gathered in increasing order: a batch's
    gradient does not depend on the order of its rows, and reading memory
    forwards is faster. A batch that covers every row is the input itself.
    """
    n_samples = X.shape[0]
    order = None if rng is None else rng.permutation(n_samples)

    for start, stop in batch_bounds(n_samples, batch_size):
        if order is None or stop - start == n_samples:
            rows = slice(start, stop)
        else:
            rows = np.sort(order[start:stop])
        weights = None if sample_weight is None else sample_weight[rows]
        yield X[rows], Y[rows], weights

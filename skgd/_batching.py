"""Minibatches: one epoch's rows, shuffled and split into batches.

Which rows form each batch is decided once, by :func:`epoch_order`: a
permutation of the rows drawn from the epoch's random generator, cut into
batches whose rows are then put in increasing order. :func:`minibatches` yields
copies of those rows; :class:`Minibatcher` gathers them many batches at a time
into buffers it keeps, which is what the training loop uses.
"""

import numpy as np
import scipy.sparse as sp


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


def epoch_order(n_samples, batch_size, rng):
    """The rows of one shuffled epoch, batch after batch.

    Batch ``k`` holds the rows ``order[start:stop]`` for the ``k``-th pair of
    :func:`batch_bounds`: the same positions of a permutation drawn from
    ``rng``, in increasing order within the batch. A batch's gradient does not
    depend on the order of its rows, and reading memory forwards is faster.

    Examples
    --------
    >>> order = epoch_order(5, 2, np.random.default_rng(0))
    >>> sorted(order.tolist())
    [0, 1, 2, 3, 4]
    >>> bool(order[0] < order[1] and order[2] < order[3])
    True
    """
    order = rng.permutation(n_samples)
    n_full = n_samples // batch_size
    full_batches = order[: n_full * batch_size].reshape(n_full, batch_size)
    full_batches.sort(axis=1)
    order[n_full * batch_size :].sort()
    return order


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
    The rows of a shuffled batch are those of :func:`epoch_order`. A batch that
    covers every row is the input itself.
    """
    n_samples = X.shape[0]
    if rng is not None and 0 < n_samples <= batch_size:
        # The permutation is drawn all the same, so that the generator moves
        # on as after any other epoch.
        rng.permutation(n_samples)
        yield X, Y, sample_weight
        return

    order = None if rng is None else epoch_order(n_samples, batch_size, rng)
    for start, stop in batch_bounds(n_samples, batch_size):
        rows = slice(start, stop) if order is None else order[start:stop]
        weights = None if sample_weight is None else sample_weight[rows]
        yield X[rows], Y[rows], weights


class Minibatcher:
    """Yields the batches of :func:`minibatches`, gathered into kept buffers.

    A shuffled epoch gathers the rows of several batches at once, one sorted
    ``take`` per array into a buffer of about ``chunk_bytes`` bytes that is
    kept from one chunk, and one epoch, to the next. Rows in order are sliced,
    never copied, and sparse rows are indexed batch by batch.

    Parameters
    ----------
    batch_size : int
    chunk_bytes : int, default=2**20
        Rough size of one gather; it stays small enough for the rows to still
        be in the processor's cache when their steps read them.

    Notes
    -----
    A batch yielded from a buffer is a view of it, overwritten once the batches
    of the next chunk are gathered: use each batch before asking for the next
    one, and copy what must outlive the step.

    Examples
    --------
    >>> X, Y = np.arange(10.0).reshape(5, 2), np.arange(5.0).reshape(5, 1)
    >>> batcher = Minibatcher(batch_size=2)
    >>> rng = np.random.default_rng(0)
    >>> for X_batch, Y_batch, _ in batcher.epoch(X, Y, None, rng):
    ...     print(Y_batch.ravel().tolist())
    [2.0, 4.0]
    [0.0, 3.0]
    [1.0]
    """

    def __init__(self, batch_size, chunk_bytes=2**20):
        self.batch_size = batch_size
        self.chunk_bytes = chunk_bytes
        self._buffers = {}

    def epoch(self, X, Y, sample_weight, rng=None):
        """Yield ``(X_batch, Y_batch, weight_batch)`` for one epoch.

        Takes and yields what :func:`minibatches` does, with the same batches
        for the same ``rng``.
        """
        n_samples = X.shape[0]
        if rng is None or self.batch_size >= n_samples or sp.issparse(X):
            yield from minibatches(X, Y, sample_weight, self.batch_size, rng)
            return

        order = epoch_order(n_samples, self.batch_size, rng)
        arrays = {"X": X, "Y": Y}
        if sample_weight is not None:
            arrays["weight"] = sample_weight

        for chunk_start, chunk_stop in batch_bounds(n_samples, self._chunk_rows(X)):
            rows = order[chunk_start:chunk_stop]
            gathered = {
                name: self._gather(name, array, rows) for name, array in arrays.items()
            }
            for start, stop in batch_bounds(rows.size, self.batch_size):
                yield (
                    gathered["X"][start:stop],
                    gathered["Y"][start:stop],
                    gathered["weight"][start:stop] if "weight" in gathered else None,
                )

    def _chunk_rows(self, X):
        """Rows per gather: a whole number of batches, at least one."""
        batch_bytes = self.batch_size * X.dtype.itemsize * X.shape[1]
        n_batches = max(1, self.chunk_bytes // max(batch_bytes, 1))
        return n_batches * self.batch_size

    def _gather(self, name, array, rows):
        """``array[rows]``, written into the buffer kept under ``name``."""
        buffer = self._buffers.get(name)
        if (
            buffer is None
            or buffer.shape[0] < rows.size
            or buffer.shape[1:] != array.shape[1:]
            or buffer.dtype != array.dtype
        ):
            shape = (rows.size, *array.shape[1:])
            buffer = self._buffers[name] = np.empty(shape, dtype=array.dtype)
        # The rows are valid by construction; "clip" spares numpy a check that
        # would make it gather into a temporary and copy.
        return np.take(array, rows, axis=0, out=buffer[: rows.size], mode="clip")

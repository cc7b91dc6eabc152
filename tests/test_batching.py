"""Minibatches: every row once per epoch, with its targets and weight."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal

from skgd._batching import batch_bounds, minibatches

N_SAMPLES = 23


@pytest.mark.parametrize(
    "n_samples, batch_size, expected",
    [
        (5, 2, [(0, 2), (2, 4), (4, 5)]),
        (4, 2, [(0, 2), (2, 4)]),
        (3, 10, [(0, 3)]),
        (3, 3, [(0, 3)]),
        (3, 1, [(0, 1), (1, 2), (2, 3)]),
        (0, 4, []),
    ],
)
def test_batch_bounds(n_samples, batch_size, expected):
    assert batch_bounds(n_samples, batch_size) == expected


def labelled_data(sparse=False):
    """Rows that carry their own index in X, Y and the weights."""
    index = np.arange(N_SAMPLES, dtype=float)
    X = np.column_stack([index, np.ones(N_SAMPLES), np.zeros(N_SAMPLES)])
    Y = np.column_stack([10.0 * index, -index])
    sample_weight = 0.5 + index
    if sparse:
        X = sp.csr_matrix(X)
    return X, Y, sample_weight


def rows_of(X_batch):
    """The row indices a batch holds, read from its first column."""
    if sp.issparse(X_batch):
        X_batch = X_batch.toarray()
    return X_batch[:, 0].astype(int)


def epoch_batches(batch_size, seed, sparse=False, weighted=True):
    X, Y, sample_weight = labelled_data(sparse)
    rng = None if seed is None else np.random.default_rng(seed)
    weights = sample_weight if weighted else None
    return list(minibatches(X, Y, weights, batch_size, rng))


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "csr"])
@pytest.mark.parametrize("seed", [None, 0, 1])
@pytest.mark.parametrize("batch_size", [1, 5, 23, 100])
def test_every_row_once_per_epoch(batch_size, seed, sparse):
    batches = epoch_batches(batch_size, seed, sparse)

    rows = np.concatenate([rows_of(X_batch) for X_batch, _, _ in batches])
    assert_array_equal(np.sort(rows), np.arange(N_SAMPLES))

    sizes = [X_batch.shape[0] for X_batch, _, _ in batches]
    expected_sizes = [
        stop - start for start, stop in batch_bounds(N_SAMPLES, batch_size)
    ]
    assert sizes == expected_sizes


def test_batch_sizes_with_remainder():
    sizes = [X_batch.shape[0] for X_batch, _, _ in epoch_batches(5, seed=0)]
    assert sizes == [5, 5, 5, 5, 3]


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "csr"])
@pytest.mark.parametrize("seed", [None, 2])
def test_targets_and_weights_travel_with_their_rows(seed, sparse):
    for X_batch, Y_batch, weight_batch in epoch_batches(4, seed, sparse):
        rows = rows_of(X_batch)
        assert_array_equal(Y_batch[:, 0], 10.0 * rows)
        assert_array_equal(Y_batch[:, 1], -rows)
        assert_array_equal(weight_batch, 0.5 + rows)


def test_missing_weights_stay_missing():
    for _, _, weight_batch in epoch_batches(4, seed=3, weighted=False):
        assert weight_batch is None


def test_same_seed_same_order():
    first = [rows_of(X_batch) for X_batch, _, _ in epoch_batches(4, seed=7)]
    again = [rows_of(X_batch) for X_batch, _, _ in epoch_batches(4, seed=7)]
    other = [rows_of(X_batch) for X_batch, _, _ in epoch_batches(4, seed=8)]

    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_shuffling_changes_the_batches():
    in_order = [rows_of(X_batch) for X_batch, _, _ in epoch_batches(4, seed=None)]
    shuffled = [rows_of(X_batch) for X_batch, _, _ in epoch_batches(4, seed=0)]
    assert not all(
        np.array_equal(a, b) for a, b in zip(in_order, shuffled, strict=True)
    )


def test_successive_epochs_draw_new_orders():
    X, Y, sample_weight = labelled_data()
    rng = np.random.default_rng(0)

    orders = []
    for _ in range(2):
        batches = minibatches(X, Y, sample_weight, 4, rng)
        orders.append(np.concatenate([rows_of(X_batch) for X_batch, _, _ in batches]))
    assert not np.array_equal(orders[0], orders[1])


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "csr"])
def test_no_rng_keeps_order(sparse):
    _, Y, sample_weight = labelled_data()
    batches = epoch_batches(5, seed=None, sparse=sparse)

    for (start, stop), (X_batch, Y_batch, weight_batch) in zip(
        batch_bounds(N_SAMPLES, 5), batches, strict=True
    ):
        assert_array_equal(rows_of(X_batch), np.arange(start, stop))
        assert_array_equal(Y_batch, Y[start:stop])
        assert_array_equal(weight_batch, sample_weight[start:stop])


def test_rows_of_a_shuffled_batch_are_in_increasing_order():
    for X_batch, _, _ in epoch_batches(6, seed=4):
        rows = rows_of(X_batch)
        assert np.all(np.diff(rows) > 0)


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csr_array])
@pytest.mark.parametrize("seed", [None, 5])
def test_csr_batches_are_csr(container, seed):
    X, Y, sample_weight = labelled_data()
    X_sparse = container(X)
    rng = None if seed is None else np.random.default_rng(seed)

    for X_batch, _, _ in minibatches(X_sparse, Y, sample_weight, 4, rng):
        assert sp.issparse(X_batch)
        assert X_batch.format == "csr"
        assert_array_equal(X_batch.toarray(), X[rows_of(X_batch)])


def test_one_batch_covering_everything_is_the_data():
    X, Y, sample_weight = labelled_data()
    [(X_batch, Y_batch, weight_batch)] = list(
        minibatches(X, Y, sample_weight, 200, np.random.default_rng(0))
    )
    assert_array_equal(X_batch, X)
    assert_array_equal(Y_batch, Y)
    assert_array_equal(weight_batch, sample_weight)

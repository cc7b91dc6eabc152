"""The compiled kernels against the numpy code they replace."""

import os
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skgd import AdamClassifier, _kernels
from skgd.losses import LogLoss
from skgd.models import MLP
from skgd.optim import Adam, AdamW

DTYPES = [np.float32, np.float64]


@pytest.fixture
def numpy_only(monkeypatch):
    """Run the test's code with the kernels switched off."""

    def switch_off():
        monkeypatch.setattr(_kernels, "ENABLED", False)

    return switch_off


def with_and_without_kernels(numpy_only, function):
    compiled = function()
    numpy_only()
    return compiled, function()


def special_values(rng, shape, dtype):
    """Random values with zeros, signed zeros and a NaN among them."""
    values = rng.normal(size=shape).astype(dtype)
    flat = values.reshape(-1)
    flat[:3] = [0.0, -0.0, np.nan]
    return values


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "optimizer", [Adam(), AdamW(weight_decay=0.1)], ids=["adam", "adamw"]
)
def test_adam_kernel_equals_numpy_bit_for_bit(numpy_only, optimizer, dtype):
    def steps():
        rng = np.random.default_rng(0)
        params = {"w": rng.normal(size=(7, 5)).astype(dtype), "b": np.zeros(5, dtype)}
        state = optimizer.init(params)
        for _ in range(4):
            grads = {
                name: rng.normal(size=p.shape).astype(dtype)
                for name, p in params.items()
            }
            optimizer.update(params, grads, state, 0.01)
        return params, state

    (params, state), (expected, expected_state) = with_and_without_kernels(
        numpy_only, steps
    )
    for name in params:
        assert params[name].dtype == dtype
        assert_array_equal(params[name], expected[name], strict=True)
        assert_array_equal(state["mean"][name], expected_state["mean"][name])
        assert_array_equal(
            state["second_moment"][name], expected_state["second_moment"][name]
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_kernels_equal_numpy(numpy_only, dtype):
    model = MLP((6, 4))
    rng = np.random.default_rng(0)
    params = model.init_params(3, 2, rng, dtype)
    X = special_values(rng, (8, 3), dtype)
    direction = special_values(rng, (8, 2), dtype)

    def forward_and_backward():
        outputs, cache = model.forward(params, X)
        return outputs, model.backward(params, cache, direction)

    (outputs, grads), (expected, expected_grads) = with_and_without_kernels(
        numpy_only, forward_and_backward
    )
    assert_array_equal(outputs, expected, strict=True)
    for name in params:
        assert_array_equal(grads[name], expected_grads[name], strict=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_kernel_matches_numpy(numpy_only, dtype):
    rng = np.random.default_rng(0)
    outputs = 10 * rng.normal(size=(50, 4)).astype(dtype)
    y = np.eye(4, dtype=dtype)[rng.integers(0, 4, 50)]
    weights = rng.uniform(size=50).astype(dtype)

    (value, grad), (expected, expected_grad) = with_and_without_kernels(
        numpy_only, lambda: LogLoss().value_and_grad(outputs, y, weights)
    )
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    assert value == pytest.approx(expected, rel=rtol)
    assert grad.dtype == dtype
    assert_allclose(grad, expected_grad, rtol=rtol, atol=rtol * 1e-2)


def test_training_with_kernels_matches_training_without(numpy_only):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 6)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)

    def fit():
        classifier = AdamClassifier(
            model=MLP((16,)), max_iter=5, tol=None, batch_size=32, random_state=0
        )
        return classifier.fit(X, y).params_

    params, expected = with_and_without_kernels(numpy_only, fit)
    for name in params:
        assert_allclose(params[name], expected[name], rtol=1e-4, atol=1e-5)


def test_kernels_are_on_where_numba_is_installed():
    # The test extra installs numba, so that the tests above compare two paths
    # unless SKGD_COMPILED=0 switches the kernels off.
    import numba  # noqa: F401

    assert _kernels.ENABLED == (os.environ.get("SKGD_COMPILED") != "0")


def test_fits_takes_contiguous_float_arrays_of_one_dtype(monkeypatch):
    monkeypatch.setattr(_kernels, "ENABLED", True)
    matrix = np.ones((3, 4))

    assert _kernels.fits(matrix, np.ones(4))
    assert not _kernels.fits(matrix, np.ones(4, dtype=np.float32))
    assert not _kernels.fits(matrix.T)
    assert not _kernels.fits(matrix[:, ::2])
    assert not _kernels.fits(np.ones(3, dtype=int))
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert not _kernels.fits(matrix)


def test_a_numba_that_fails_to_import_leaves_the_numpy_code(monkeypatch):
    monkeypatch.setattr(_kernels, "ENABLED", True)
    monkeypatch.setitem(sys.modules, "numba", None)  # makes the import fail
    _kernels._numba_imports.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="numba is installed but cannot be"):
            assert not _kernels.fits(np.ones(3))
        model = MLP((4,))
        params = model.init_params(3, 2, np.random.default_rng(0), np.float64)
        outputs, _ = model.forward(params, np.ones((5, 3)))
        assert outputs.shape == (5, 2)
    finally:
        _kernels._numba_imports.cache_clear()

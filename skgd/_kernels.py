"""Compiled loops that fuse the elementwise work of a training step.

numpy makes one pass over memory per operation: Adam's update alone is a
dozen passes over the parameters, and for a small network these passes, not the
matrix products, are what a step can still save. With numba installed
(``pip install "skgd[fast]"``), the loops here do each job in one pass, compiled
on first use and cached on disk. Without it, or with the environment variable
``SKGD_COMPILED=0``, the numpy code that calls them runs instead.

Each kernel does the arithmetic of its numpy twin, in the same order and in the
same dtype, so their results are equal bit for bit; only ``exp`` and ``log``,
which numba and numpy compute each in their own way, may differ in the last
bit. The tests compare each kernel with its twin.
"""

import functools
import importlib.util
import os
import warnings

import numpy as np

#: Whether the kernels are used. Set it to ``False`` to run the numpy code.
ENABLED = (
    os.environ.get("SKGD_COMPILED", "1") != "0"
    and importlib.util.find_spec("numba") is not None
)

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def fits(*arrays):
    """Whether the kernels are enabled and can take ``arrays``: C-contiguous
    arrays of one floating dtype, as the training loop's buffers are."""
    if not ENABLED or not _numba_imports():
        return False
    dtype = arrays[0].dtype
    return dtype in _FLOATS and all(
        array.dtype == dtype and array.flags.c_contiguous for array in arrays
    )


@functools.cache
def _numba_imports():
    """Whether numba imports. An install that fails to, as when numpy is newer
    than numba supports, warns once and leaves the numpy code to run."""
    try:
        import numba  # noqa: F401
    except Exception as error:
        warnings.warn(
            f"numba is installed but cannot be imported ({error}); skgd runs its "
            "numpy code instead of its compiled loops",
            RuntimeWarning,
            stacklevel=2,
        )
        return False
    return True


class _Kernel:
    """A function compiled by numba the first time it is called; it releases
    the GIL while it runs, as numpy's own loops do."""

    def __init__(self, function):
        self.function = function
        self._compiled = None
        functools.update_wrapper(self, function)

    def __call__(self, *args):
        if self._compiled is None:
            import numba

            self._compiled = numba.njit(cache=True, error_model="numpy", nogil=True)(
                self.function
            )
        return self._compiled(*args)


@_Kernel
def adam_update(param, grad, mean, second_moment, coefficients):
    """One Adam step over flat arrays, in place.

    ``coefficients`` holds, in the arrays' dtype: the weight decay factor,
    β₁, 1 - β₁, β₂, 1 - β₂, ε·c and the step size η·c / (1 - β₁ᵗ), with
    c = sqrt(1 - β₂ᵗ), as :meth:`skgd.optim.Adam.update` computes them.
    """
    decay, beta_1, rest_1, beta_2, rest_2, epsilon, step_size = coefficients
    for i in range(param.shape[0]):
        g = grad[i]
        m = mean[i] * beta_1 + g * rest_1
        v = second_moment[i] * beta_2 + g * g * rest_2
        mean[i] = m
        second_moment[i] = v
        param[i] = param[i] * decay - m / (np.sqrt(v) + epsilon) * step_size


@_Kernel
def add_bias_relu(z, bias, zero):
    """``z = max(z + bias, 0)`` in place, for ``z`` of shape (rows, len(bias));
    ``zero`` is 0 in the arrays' dtype."""
    n_rows, n_columns = z.shape
    for i in range(n_rows):
        for j in range(n_columns):
            value = z[i, j] + bias[j]
            z[i, j] = zero if value < zero else value


@_Kernel
def relu_backward(delta, activation, zero):
    """``delta *= (activation > 0)`` in place: zero, of the arrays' dtype,
    multiplies where the unit was off, so a NaN stays a NaN as in numpy."""
    n_rows, n_columns = delta.shape
    for i in range(n_rows):
        for j in range(n_columns):
            if not activation[i, j] > 0:
                delta[i, j] *= zero


@_Kernel
def softmax_cross_entropy(logits, y, losses, grad):
    """Per-row cross-entropy of softmax(logits) against one-hot ``y``, written
    into ``losses``, and its derivative ``softmax(logits) - y`` into ``grad``.
    """
    n_rows, n_columns = logits.shape
    for i in range(n_rows):
        top = logits[i, 0]
        for j in range(1, n_columns):
            top = max(top, logits[i, j])
        shifted = logits[i, 0] - top
        grad[i, 0] = np.exp(shifted)
        total = grad[i, 0]
        target = y[i, 0] * shifted
        for j in range(1, n_columns):
            shifted = logits[i, j] - top
            grad[i, j] = np.exp(shifted)
            total += grad[i, j]
            target += y[i, j] * shifted
        for j in range(n_columns):
            grad[i, j] = grad[i, j] / total - y[i, j]
        losses[i] = np.log(total) - target

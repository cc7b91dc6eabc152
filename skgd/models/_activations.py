"""The nonlinearities of the MLP's hidden layers, each forward and backward.

Both directions work in place. ``forward(z, intercept)`` turns the product
``z = h @ coef`` into the layer's output ``activation(z + intercept)``;
``backward(delta, a)`` multiplies the error ``delta`` by the derivative of the
activation, written in terms of the layer's output ``a``, so that the backward
pass keeps no inputs. For ReLU, both are one compiled pass when
:mod:`skgd._kernels` can take the arrays.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit

from .. import _kernels


class Activation(NamedTuple):
    """A nonlinearity: ``forward(z, intercept)`` and ``backward(delta, a)``."""

    forward: Callable
    backward: Callable


def _identity_forward(z, intercept):
    z += intercept


def _identity_backward(delta, a):
    pass


def _logistic_forward(z, intercept):
    z += intercept
    expit(z, out=z)


def _logistic_backward(delta, a):
    delta *= a * (1.0 - a)


def _tanh_forward(z, intercept):
    z += intercept
    np.tanh(z, out=z)


def _tanh_backward(delta, a):
    delta *= 1.0 - a * a


def _relu_forward(z, intercept):
    if _kernels.fits(z, intercept):
        _kernels.add_bias_relu(z, intercept, z.dtype.type(0))
        return
    z += intercept
    # Against a row of zeros rather than the scalar 0: numpy broadcasts an
    # array through its vectorised loop, more than twice as fast.
    np.maximum(z, np.zeros(z.shape[-1], dtype=z.dtype), out=z)


def _relu_backward(delta, a):
    if _kernels.fits(delta, a):
        _kernels.relu_backward(delta, a, delta.dtype.type(0))
    else:
        delta *= a > 0.0


ACTIVATIONS = {
    "identity": Activation(_identity_forward, _identity_backward),
    "logistic": Activation(_logistic_forward, _logistic_backward),
    "tanh": Activation(_tanh_forward, _tanh_backward),
    "relu": Activation(_relu_forward, _relu_backward),
}

"""The multi-layer perceptron."""

from itertools import pairwise
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._activations import ACTIVATIONS
from ._base import InPlaceGradients, column_sums_into, product_into


class MLP(InPlaceGradients):
    """Multi-layer perceptron: dense layers with a nonlinearity between them.

    ``h_0 = X``, ``h_k = activation(h_{k-1} @ coef_k + intercept_k)`` for each
    hidden layer, and the outputs are ``h_L @ coef_L + intercept_L`` with no
    activation: the loss supplies the link (softmax, sigmoid or none).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer. ``()`` gives a linear model with a random
        start.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Nonlinearity of the hidden layers.

    Notes
    -----
    The parameters are ``coef_0, intercept_0, ..., coef_L, intercept_L``, with
    ``coef_k`` of shape ``(fan_in, fan_out)``. They start uniform in
    ``±sqrt(6 / (fan_in + fan_out))`` (Glorot and Bengio, 2010), a bound
    doubled for the logistic activation, as in scikit-learn's MLP. A sparse CSR
    input is multiplied as sparse in the first layer and never densified.

    Examples
    --------
    >>> import numpy as np
    >>> model = MLP(hidden_layer_sizes=(8, 4), activation="tanh")
    >>> params = model.init_params(3, 2, np.random.default_rng(0), np.float32)
    >>> for name, value in params.items():
    ...     print(name, value.shape)
    coef_0 (3, 8)
    intercept_0 (8,)
    coef_1 (8, 4)
    intercept_1 (4,)
    coef_2 (4, 2)
    intercept_2 (2,)
    >>> model.predict(params, np.ones((5, 3), dtype=np.float32)).shape
    (5, 2)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATIONS))],
    }

    def __init__(self, hidden_layer_sizes=(100,), activation="relu"):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation

    def _layer_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, Integral):
            sizes = (sizes,)
        sizes = list(sizes)
        if not all(isinstance(size, Integral) and size > 0 for size in sizes):
            raise ValueError(
                "hidden_layer_sizes must hold positive integers, got "
                f"{self.hidden_layer_sizes!r}"
            )
        return sizes

    def init_params(self, n_features, n_outputs, random_state, dtype):
        self._validate_params()
        sizes = [n_features, *self._layer_sizes(), n_outputs]
        gain = 2.0 if self.activation == "logistic" else 1.0

        params = {}
        for layer, (fan_in, fan_out) in enumerate(pairwise(sizes)):
            bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
            coef = random_state.uniform(-bound, bound, (fan_in, fan_out))
            intercept = random_state.uniform(-bound, bound, fan_out)
            params[f"coef_{layer}"] = coef.astype(dtype)
            params[f"intercept_{layer}"] = intercept.astype(dtype)
        return params

    def _n_layers(self, params):
        return len(params) // 2

    def forward(self, params, X):
        hidden = ACTIVATIONS[self.activation]
        n_layers = self._n_layers(params)

        activations = [X]
        for layer in range(n_layers):
            z = np.asarray(activations[-1] @ params[f"coef_{layer}"])
            is_output = layer == n_layers - 1
            activation = ACTIVATIONS["identity"] if is_output else hidden
            activation.forward(z, params[f"intercept_{layer}"])
            activations.append(z)
        return activations[-1], activations

    def _write_gradients(self, params, cache, grad_outputs, grads):
        hidden = ACTIVATIONS[self.activation]
        activations = cache
        n_layers = self._n_layers(params)

        delta = grad_outputs
        for layer in reversed(range(n_layers)):
            product_into(activations[layer].T, delta, grads[f"coef_{layer}"])
            column_sums_into(delta, grads[f"intercept_{layer}"])
            if layer == 0:
                break

            delta = delta @ _transpose(params[f"coef_{layer}"])
            hidden.backward(delta, activations[layer])


#: Widest layer whose coefficients are copied to a contiguous transpose before
#: the backward product: OpenBLAS multiplies by the transposed view of a
#: narrow matrix up to 1.5 times slower than by such a copy, which costs little
#: next to it. For wider layers, the view is as fast and the copy is not free.
NARROW_LAYER = 16


def _transpose(coef):
    """``coef.T`` as the backward product multiplies by it fastest."""
    if coef.shape[1] <= NARROW_LAYER:
        return np.ascontiguousarray(coef.T)
    return coef.T

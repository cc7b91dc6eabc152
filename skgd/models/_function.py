"""Models made from plain functions, and what the adapters share.

:class:`FunctionModel` turns a function ``forward_fn(params, X)`` into a
:class:`~skgd.models.Model`, with an optional ``backward_fn`` for its
gradients; without one, gradients come from central finite differences. The
keyword settings that the adapters pass on to the user's functions (a hidden
width, an activation) are parameters of the model, so that
``model__<setting>`` can be grid-searched; :class:`_KeywordSettings`
implements that for all three adapters.
"""

import warnings
from collections.abc import Callable

import numpy as np
from sklearn.exceptions import EfficiencyWarning

from ._base import Model


class _KeywordSettings:
    """Extra ``__init__`` keyword arguments, kept as parameters of the model.

    ``__init__(..., **settings)`` stores each setting as an attribute of the same
    name, so that ``get_params`` reports it, ``set_params`` changes it and
    :func:`sklearn.base.clone` passes it to the copy. Their names are kept in
    ``_setting_names``.
    """

    def _store_settings(self, settings):
        self._setting_names = tuple(settings)
        for name, value in settings.items():
            setattr(self, name, value)

    @property
    def _settings(self):
        """The settings as keyword arguments for the user's functions."""
        return {name: getattr(self, name) for name in self._setting_names}

    def get_params(self, deep=True):
        """Parameters of the model, the keyword settings included.

        Parameters
        ----------
        deep : bool, default=True
            Whether to include the parameters of settings that are estimators.

        Returns
        -------
        params : dict
        """
        params = super().get_params(deep=deep)
        for name, value in self._settings.items():
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                nested = value.get_params(deep=True)
                params.update((f"{name}__{key}", item) for key, item in nested.items())
        return params

    def _validate_params(self):
        super()._validate_params()
        clashing = [
            name
            for name in self._setting_names
            if name.startswith("_") or hasattr(type(self), name)
        ]
        if clashing:
            raise ValueError(
                f"{type(self).__name__} cannot take the keyword settings "
                f"{clashing}: they would hide its own attributes. Rename them in "
                "your functions (and leave out a leading underscore)."
            )


def finite_difference_vjp(
    forward: Callable,
    params: dict,
    X,
    grad_outputs: np.ndarray,
    step: float | None = None,
) -> dict:
    """Central finite-difference estimate of a vector-Jacobian product.

    The derivative of ``sum(grad_outputs * forward(params, X))`` with respect to
    each entry of each parameter, from two calls of ``forward`` per entry.

    Parameters
    ----------
    forward : callable
        ``forward(params, X) -> outputs`` of shape (n_samples, n_outputs).
    params : dict of str to ndarray
        Not changed: the perturbations are made on a copy.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    grad_outputs : ndarray of shape (n_samples, n_outputs)
    step : float, default=None
        Relative step ``h``: an entry ``w`` moves by ``±h * max(1, |w|)``.
        ``None`` takes the cube root of the machine epsilon of the parameter's
        dtype, which balances truncation and rounding errors.

    Returns
    -------
    grads : dict of str to ndarray
        Shaped and typed as ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> def square(params, X):
    ...     return X * params["w"] ** 2
    >>> grads = finite_difference_vjp(
    ...     square, {"w": np.array([3.0])}, np.ones((2, 1)), np.ones((2, 1))
    ... )
    >>> grads["w"].round(6).tolist()  # d/dw of 2 * w ** 2 at w = 3
    [12.0]
    """
    params = {name: np.array(value) for name, value in params.items()}
    grad_outputs = np.asarray(grad_outputs, dtype=np.float64)

    grads = {}
    for name, value in params.items():
        entries = value.reshape(-1)
        relative_step = step or np.finfo(value.dtype).eps ** (1.0 / 3.0)
        grad = np.empty(entries.size)
        for index, original in enumerate(entries.tolist()):
            size = relative_step * max(1.0, abs(original))
            entries[index] = original + size
            upper = float(entries[index])
            plus = np.asarray(forward(params, X), dtype=np.float64)
            entries[index] = original - size
            lower = float(entries[index])
            minus = np.asarray(forward(params, X), dtype=np.float64)
            entries[index] = original
            grad[index] = np.vdot(grad_outputs, plus - minus) / (upper - lower)
        grads[name] = grad.reshape(value.shape).astype(value.dtype)
    return grads


class FunctionModel(_KeywordSettings, Model):
    """A model made from plain functions of ``(params, X)``.

    Parameters
    ----------
    forward_fn : callable
        ``forward_fn(params, X, **settings) -> outputs``, an array of shape
        ``(n_samples, n_outputs)``. ``X`` arrives as the estimator has it: a
        float32 or float64 ndarray, or a scipy CSR matrix for sparse input.
    init_fn : callable
        ``init_fn(n_features, n_outputs, random_state, dtype, **settings) ->
        params``, a dict of str to array. ``random_state`` is a
        :class:`numpy.random.Generator`, the only source of randomness to use;
        ``dtype`` is the input's float dtype, to which the parameters are cast.
    backward_fn : callable, default=None
        ``backward_fn(params, X, grad_outputs, **settings) -> grads``: the
        derivative of ``sum(grad_outputs * forward_fn(params, X))`` with
        respect to each parameter, a dict with the keys and shapes of
        ``params``. It receives the ``params`` and ``X`` of the forward pass
        before it. ``None`` estimates gradients by central finite differences.
    **settings : dict
        Keyword arguments passed to all three functions, such as a hidden
        width. Each is a parameter of the model: ``get_params`` reports it and
        a grid search sets it as ``model__<name>``. Only the settings given
        here exist, so give each one that a search should set.

    Notes
    -----
    Finite differences cost two forward passes per parameter entry and
    minibatch, which is slow for all but small models. The first gradient that a
    model object estimates that way warns with an
    :class:`~sklearn.exceptions.EfficiencyWarning`. An estimator trains a fresh
    copy of its model whenever it starts training from scratch, so that is once
    per ``fit``, and once for a run of ``partial_fit`` calls or warm-started
    fits that continue it. To avoid it, pass ``backward_fn``
    (:func:`skgd.check_gradient` tests it) or use :class:`~skgd.models.JaxModel`
    or :class:`~skgd.models.TorchModel` for automatic gradients.

    Nothing is kept between the forward and the backward pass, so a
    ``backward_fn`` that needs hidden activations computes them again; subclass
    :class:`~skgd.models.Model` to keep them instead.

    Functions defined at the top level of a module pickle by reference, so an
    estimator with such a model pickles; lambdas and nested functions do not.

    Examples
    --------
    >>> import numpy as np
    >>> def init(n_features, n_outputs, random_state, dtype, scale):
    ...     return {"coef": np.zeros((n_features, n_outputs))}
    >>> def forward(params, X, scale):
    ...     return scale * (X @ params["coef"])
    >>> def backward(params, X, grad_outputs, scale):
    ...     return {"coef": scale * (X.T @ grad_outputs)}
    >>> model = FunctionModel(forward, init, backward, scale=2.0)
    >>> model.get_params()["scale"]
    2.0
    >>> params = model.init_params(3, 1, np.random.default_rng(0), np.float32)
    >>> params["coef"] += 1.0
    >>> model.predict(params, np.eye(3)).ravel().tolist()
    [2.0, 2.0, 2.0]
    """

    _parameter_constraints = {
        "forward_fn": [callable],
        "init_fn": [callable],
        "backward_fn": [callable, None],
    }

    def __init__(
        self,
        forward_fn: Callable,
        init_fn: Callable,
        backward_fn: Callable | None = None,
        **settings,
    ):
        self.forward_fn = forward_fn
        self.init_fn = init_fn
        self.backward_fn = backward_fn
        self._store_settings(settings)

    def init_params(self, n_features, n_outputs, random_state, dtype):
        self._validate_params()
        params = self.init_fn(
            n_features, n_outputs, random_state, dtype, **self._settings
        )
        if not isinstance(params, dict):
            raise TypeError(
                "init_fn must return the parameters as a dict of str to array, "
                f"got {type(params).__name__}"
            )
        return {name: np.array(value, dtype=dtype) for name, value in params.items()}

    def _outputs(self, params, X):
        outputs = np.asarray(self.forward_fn(params, X, **self._settings))
        if outputs.ndim != 2 or outputs.shape[0] != X.shape[0]:
            raise ValueError(
                "forward_fn must return a 2-D array of shape (n_samples, "
                f"n_outputs), here ({X.shape[0]}, n_outputs); got shape "
                f"{outputs.shape}"
            )
        return outputs

    def forward(self, params, X):
        return self._outputs(params, X), X

    def predict(self, params, X):
        return self._outputs(params, X)

    def backward(self, params, cache, grad_outputs):
        X = cache
        if self.backward_fn is None:
            self._warn_finite_differences(params)
            return finite_difference_vjp(self._outputs, params, X, grad_outputs)

        grads = self.backward_fn(params, X, grad_outputs, **self._settings)
        if not isinstance(grads, dict) or set(grads) != set(params):
            received = (
                sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            )
            raise ValueError(
                "backward_fn must return a dict with the keys of params, "
                f"{sorted(params)}; got {received}"
            )
        grads = {
            name: np.asarray(grads[name], dtype=params[name].dtype) for name in params
        }
        for name, grad in grads.items():
            if grad.shape != params[name].shape:
                raise ValueError(
                    f"backward_fn returned a gradient of shape {grad.shape} for "
                    f"{name!r}, whose shape is {params[name].shape}"
                )
        return grads

    def _warn_finite_differences(self, params):
        if getattr(self, "_warned_finite_differences", False):
            return
        n_entries = sum(value.size for value in params.values())
        warnings.warn(
            "FunctionModel has no backward_fn, so its gradients come from central "
            f"finite differences: 2 forward passes for each of the {n_entries} "
            "parameter entries, on every minibatch. Pass backward_fn (and test "
            "it with skgd.check_gradient), or use JaxModel or TorchModel for "
            "automatic gradients.",
            EfficiencyWarning,
            stacklevel=3,
        )
        self._warned_finite_differences = True

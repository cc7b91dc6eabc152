"""Models written as JAX functions, differentiated by ``jax.vjp``."""

from collections.abc import Callable
from functools import partial

import numpy as np
import scipy.sparse as sp

try:
    import jax
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "JaxModel needs JAX; install it with: pip install 'skgd[jax]'"
    ) from error

from ._base import Model
from ._function import _KeywordSettings

#: Joins the keys of nested parameter dicts into the names the optimizers see.
_SEPARATOR = "/"


def _flatten(tree, prefix=""):
    """``{"layer": {"w": a}}`` as ``{"layer/w": a}``, in the tree's order."""
    flat = {}
    for key, value in tree.items():
        if not isinstance(key, str) or _SEPARATOR in key:
            raise TypeError(
                "JaxModel parameters must be (nested) dicts with str keys "
                f"without {_SEPARATOR!r}; got the key {key!r}"
            )
        name = prefix + key
        if isinstance(value, dict):
            flat.update(_flatten(value, name + _SEPARATOR))
        else:
            flat[name] = value
    return flat


def _unflatten(flat):
    """The inverse of :func:`_flatten`."""
    tree = {}
    for name, value in flat.items():
        *outer, last = name.split(_SEPARATOR)
        node = tree
        for key in outer:
            node = node.setdefault(key, {})
        node[last] = value
    return tree


# The compiled functions take the user's function and settings as static
# arguments, so that jax.jit compiles once per function, settings, input shape
# and dtype, and every copy of a model (one per fit in a grid search) shares
# the compiled code; the model objects themselves hold none.


@partial(jax.jit, static_argnums=(0, 1))
def _forward(apply_fn, settings, params, X):
    return jax.vjp(lambda params: apply_fn(params, X, **dict(settings)), params)


@jax.jit
def _pull_back(pullback, grad_outputs):
    (grads,) = pullback(grad_outputs)
    return grads


class JaxModel(_KeywordSettings, Model):
    """A model written as a JAX function, differentiated by ``jax.vjp``.

    Parameters
    ----------
    apply_fn : callable
        ``apply_fn(params, X, **settings) -> outputs``, a JAX function of the
        parameters (a dict, possibly of dicts, of arrays) and a dense input of
        shape ``(n_samples, n_features)``, giving outputs of shape
        ``(n_samples, n_outputs)``.
    init_fn : callable
        ``init_fn(key, n_features, n_outputs, **settings) -> params``, with
        ``key`` a JAX random key drawn from the estimator's ``random_state``.
    **settings : dict
        Keyword arguments passed to both functions, such as a hidden width.
        Each is a parameter of the model (``model__<name>`` in a grid search)
        and a constant of the compiled functions, so it must be hashable: a
        tuple rather than a list.

    Notes
    -----
    The optimizers see the parameters as a flat dict of numpy arrays: nested
    keys are joined by ``"/"`` (``{"dense": {"w": ...}}`` becomes
    ``"dense/w"``), and the L2 penalty ``alpha`` applies to those of two or
    more dimensions.

    The forward pass with its ``jax.vjp`` and the backward pass are each
    compiled by ``jax.jit`` once per ``apply_fn``, settings, input shape and
    dtype, so the first minibatch of each size takes longer; a prediction runs
    the compiled forward pass, so one on an input of a minibatch's size
    compiles nothing new. The compiled code is shared by every copy of the
    model, such as the one each ``fit`` of a grid search trains, and the model
    objects hold none of it, so they pickle and clone as plain objects (with
    an ``apply_fn`` defined at the top level of a module).

    JAX computes in float32 unless its 64-bit mode is on
    (``jax.config.update("jax_enable_x64", True)``); then float64 input trains
    float64 parameters. Without it, ``init_params`` gives float32 parameters,
    and JAX rounds float64 inputs and parameters to float32 in every
    computation, so outputs, predictions and gradients are float32 even where
    an estimator keeps the parameters in float64. Sparse input is made dense
    one minibatch at a time.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> def init_fn(key, n_features, n_outputs):
    ...     return {"w": jax.random.normal(key, (n_features, n_outputs))}
    >>> def apply_fn(params, X):
    ...     return jnp.tanh(X @ params["w"])
    >>> model = JaxModel(apply_fn, init_fn)
    >>> params = model.init_params(3, 2, np.random.default_rng(0), np.float32)
    >>> outputs, cache = model.forward(params, np.ones((4, 3), np.float32))
    >>> outputs.shape, outputs.dtype
    ((4, 2), dtype('float32'))
    >>> model.backward(params, cache, np.ones((4, 2), np.float32))["w"].shape
    (3, 2)
    """

    _parameter_constraints = {"apply_fn": [callable], "init_fn": [callable]}

    def __init__(self, apply_fn: Callable, init_fn: Callable, **settings):
        self.apply_fn = apply_fn
        self.init_fn = init_fn
        self._store_settings(settings)

    def _static_settings(self):
        """The settings as a hashable static argument of ``jax.jit``."""
        settings = tuple(self._settings.items())
        try:
            hash(settings)
        except TypeError as error:
            raise TypeError(
                "JaxModel settings are constants of the compiled functions and "
                f"must be hashable; got {dict(settings)!r}. Use tuples rather "
                "than lists."
            ) from error
        return settings

    def init_params(self, n_features, n_outputs, random_state, dtype):
        self._validate_params()
        self._static_settings()
        dtype = np.dtype(jax.dtypes.canonicalize_dtype(dtype))
        key = jax.random.key(int(random_state.integers(np.iinfo(np.int32).max)))
        params = self.init_fn(key, n_features, n_outputs, **self._settings)
        if not isinstance(params, dict):
            raise TypeError(
                "init_fn must return the parameters as a dict of arrays, got "
                f"{type(params).__name__}"
            )
        return {
            name: np.array(value, dtype=dtype)
            for name, value in _flatten(params).items()
        }

    @staticmethod
    def _dense(params, X):
        """``X`` as a dense array of the parameters' dtype."""
        dtype = next(iter(params.values())).dtype if params else X.dtype
        X = X.toarray() if sp.issparse(X) else X
        return np.asarray(X, dtype=dtype)

    @staticmethod
    def _checked(outputs, X):
        outputs = np.array(outputs)
        if outputs.ndim != 2 or outputs.shape[0] != X.shape[0]:
            raise ValueError(
                "apply_fn must return a 2-D array of shape (n_samples, "
                f"n_outputs), here ({X.shape[0]}, n_outputs); got shape "
                f"{outputs.shape}"
            )
        return outputs

    def forward(self, params, X):
        X = self._dense(params, X)
        outputs, pullback = _forward(
            self.apply_fn, self._static_settings(), _unflatten(params), X
        )
        return self._checked(outputs, X), pullback

    def backward(self, params, cache, grad_outputs):
        dtype = next(iter(params.values())).dtype
        grad_outputs = np.asarray(grad_outputs, dtype=dtype)
        grads = _flatten(_pull_back(cache, grad_outputs))
        return {name: np.array(grads[name]) for name in params}

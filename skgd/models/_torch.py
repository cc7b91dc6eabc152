"""Models written as PyTorch modules, differentiated by autograd."""

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

try:
    import torch
    from torch.func import functional_call
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "TorchModel needs PyTorch; install it with: pip install 'skgd[torch]'"
    ) from error

from ._base import Model
from ._function import _KeywordSettings

_TORCH_DTYPES = {
    np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64,
}


def _tensor(array, dtype, requires_grad=False):
    """A torch copy of a numpy array, whatever its strides and flags."""
    return torch.tensor(
        np.ascontiguousarray(array), dtype=dtype, requires_grad=requires_grad
    )


class TorchModel(_KeywordSettings, Model):
    """A model written as a PyTorch module, differentiated by autograd.

    The module only describes the computation: its parameters live in the
    estimator as a dict of numpy arrays, keyed by the module's
    ``named_parameters``, and skgd's optimizers take the steps. Each forward
    pass runs the module on those arrays with
    :func:`torch.func.functional_call`.

    Parameters
    ----------
    module_factory : callable
        ``module_factory(n_features, n_outputs, **settings) -> module``, a
        :class:`torch.nn.Module` that maps a float tensor of shape
        ``(n_samples, n_features)`` to one of shape ``(n_samples,
        n_outputs)``. A class such as a subclass of ``torch.nn.Module`` will do.
        It is called when training starts, once the shapes are known, and its
        parameter initialisation draws from a torch seed taken from the
        estimator's ``random_state``.
    **settings : dict
        Keyword arguments passed to ``module_factory``, such as a hidden width.
        Each is a parameter of the model: ``model__<name>`` in a grid search.

    Notes
    -----
    All of the module's parameters are trained, whatever their
    ``requires_grad``. The module must keep no state outside its parameters:
    one with buffers, such as the running statistics of batch normalisation,
    is refused, as those would not travel with ``params_``. ``forward`` runs
    the module in training mode and ``predict`` in evaluation mode, so dropout
    is active only while training; its randomness comes from torch's global
    generator, not from ``random_state``.

    The module runs on the CPU, in float32 for float32 input and in float64
    for float64 input; sparse input is made dense one minibatch at a time.
    PyTorch runs each operation on one thread per core; for a small module on
    a busy machine, threads that wait on each other can make training many
    times slower, which ``torch.set_num_threads(1)`` avoids. The
    module object belongs to the model and is rebuilt from ``module_factory``
    after unpickling, so the factory must be importable: a class or function
    defined at the top level of a module.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> def make_mlp(n_features, n_outputs, width=8):
    ...     return torch.nn.Sequential(
    ...         torch.nn.Linear(n_features, width),
    ...         torch.nn.ReLU(),
    ...         torch.nn.Linear(width, n_outputs),
    ...     )
    >>> model = TorchModel(make_mlp, width=4)
    >>> params = model.init_params(3, 2, np.random.default_rng(0), np.float64)
    >>> {name: value.shape for name, value in params.items()}
    {'0.weight': (4, 3), '0.bias': (4,), '2.weight': (2, 4), '2.bias': (2,)}
    >>> outputs, cache = model.forward(params, np.ones((5, 3)))
    >>> model.backward(params, cache, np.ones((5, 2)))["0.weight"].shape
    (4, 3)
    """

    _parameter_constraints = {"module_factory": [callable]}

    def __init__(self, module_factory: Callable, **settings):
        self.module_factory = module_factory
        self._store_settings(settings)

    def set_params(self, **params):
        self.__dict__.pop("_module", None)
        return super().set_params(**params)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_module", None)
        return state

    def _build(self, n_features, n_outputs, dtype):
        module = self.module_factory(n_features, n_outputs, **self._settings)
        if not isinstance(module, torch.nn.Module):
            raise TypeError(
                "module_factory must return a torch.nn.Module, got "
                f"{type(module).__name__}"
            )
        buffers = [name for name, _ in module.named_buffers()]
        if buffers:
            raise ValueError(
                f"TorchModel cannot train a module with buffers ({buffers}): "
                "state outside the parameters, such as batch normalisation's "
                "running statistics, would not be kept with the parameters. "
                "Use a module without them (layer normalisation has none)."
            )
        self._module = module.to(device="cpu", dtype=_TORCH_DTYPES[np.dtype(dtype)])
        self._module_shape = (n_features, n_outputs)
        return self._module

    def _module_for(self, params):
        """The module, rebuilt after unpickling or a change of settings."""
        if "_module" in self.__dict__:
            return self._module
        if "_module_shape" not in self.__dict__:
            raise ValueError(
                "TorchModel builds its module in init_params, once the shapes "
                "are known: call init_params (or fit) before forward or predict"
            )
        dtype = next(iter(params.values())).dtype
        return self._build(*self._module_shape, dtype)

    def init_params(self, n_features, n_outputs, random_state, dtype):
        self._validate_params()
        seed = int(random_state.integers(np.iinfo(np.int64).max))
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            module = self._build(n_features, n_outputs, dtype)
        return {
            name: value.detach().numpy().copy()
            for name, value in module.named_parameters()
        }

    def _run(self, params, X, requires_grad):
        """Outputs of the module on ``X`` with ``params``, and their tensors."""
        module = self._module_for(params)
        module.train(mode=requires_grad)
        dtype = _TORCH_DTYPES[next(iter(params.values())).dtype]
        tensors = {
            name: _tensor(value, dtype, requires_grad) for name, value in params.items()
        }
        X = _tensor(X.toarray() if sp.issparse(X) else X, dtype)
        outputs = functional_call(module, tensors, (X,))
        if outputs.ndim != 2 or outputs.shape[0] != X.shape[0]:
            raise ValueError(
                "the module must return a 2-D tensor of shape (n_samples, "
                f"n_outputs), here ({X.shape[0]}, n_outputs); got shape "
                f"{tuple(outputs.shape)}"
            )
        return outputs, tensors

    def forward(self, params, X):
        outputs, tensors = self._run(params, X, requires_grad=True)
        return outputs.detach().numpy().copy(), (outputs, tensors)

    def backward(self, params, cache, grad_outputs):
        outputs, tensors = cache
        grads = torch.autograd.grad(
            outputs,
            list(tensors.values()),
            _tensor(grad_outputs, outputs.dtype),
            allow_unused=True,
        )
        return {
            name: np.zeros_like(params[name]) if grad is None else grad.numpy()
            for name, grad in zip(tensors, grads, strict=True)
        }

    def predict(self, params, X):
        with torch.no_grad():
            outputs, _ = self._run(params, X, requires_grad=False)
        return outputs.numpy().copy()

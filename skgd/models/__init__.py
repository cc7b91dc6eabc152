"""Models: functions of parameters and inputs with their gradients.

A model maps a dict of parameter arrays and an input matrix to outputs of shape
``(n_samples, n_outputs)``, and back-propagates a gradient of the outputs to
gradients of the parameters. See :class:`Model` for the contract.

:class:`FunctionModel` makes a model from plain functions. :class:`JaxModel` and
:class:`TorchModel` adapt JAX functions and PyTorch modules; they need the
``skgd[jax]`` and ``skgd[torch]`` extras, which are imported only when one of
them is first used.
"""

from importlib import import_module

from ._base import Model
from ._function import FunctionModel
from ._linear import Linear
from ._mlp import MLP

#: Models that need an optional package, and the module that defines each.
_OPTIONAL_MODELS = {"JaxModel": "._jax", "TorchModel": "._torch"}

__all__ = ["MLP", "FunctionModel", "Linear", "Model"]


def __getattr__(name):
    if name in _OPTIONAL_MODELS:
        return getattr(import_module(_OPTIONAL_MODELS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_OPTIONAL_MODELS])

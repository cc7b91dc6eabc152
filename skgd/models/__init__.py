"""Models: functions of parameters and inputs with their gradients.

A model maps a dict of parameter arrays and an input matrix to outputs of shape
``(n_samples, n_outputs)``, and back-propagates a gradient of the outputs to
gradients of the parameters. See :class:`Model` for the contract.
"""

from ._base import Model
from ._linear import Linear
from ._mlp import MLP

__all__ = ["MLP", "Linear", "Model"]

"""Training and validation data, as the estimators hand them around."""

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split


class Data(NamedTuple):
    """Validated inputs with their targets, as given and as encoded."""

    #: Inputs, a 2-D float array or CSR matrix.
    X: object
    #: Targets as the user gave them: labels or values.
    y: np.ndarray
    #: Targets encoded for the loss, of shape ``(n_samples, n_outputs)``.
    Y: np.ndarray
    #: Non-negative sample weights, or ``None``.
    sample_weight: np.ndarray | None = None

    @property
    def metadata(self):
        """What scikit-learn's callbacks receive besides ``X`` and ``y``."""
        if self.sample_weight is None:
            return {}
        return {"sample_weight": self.sample_weight}


def split(data, validation_fraction, seed, stratify):
    """Hold out ``validation_fraction`` of ``data``; return both parts.

    Raises a ``ValueError`` that names ``validation_fraction`` when the data is
    too small to split, or too small for each class to be on both sides.
    """
    arrays = [array for array in data if array is not None]
    try:
        parts = train_test_split(
            *arrays,
            test_size=validation_fraction,
            random_state=seed,
            stratify=data.y if stratify and data.y.ndim == 1 else None,
        )
    except ValueError as error:
        raise ValueError(
            f"early_stopping=True could not hold out validation_fraction="
            f"{validation_fraction} of {data.X.shape[0]} samples: {error}"
        ) from error
    return Data(*parts[0::2]), Data(*parts[1::2])

"""Gradient checking: a model's backward pass against finite differences."""

from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_array

from .models import Model
from .models._function import finite_difference_vjp

#: Default tolerance on the relative error, by the dtype of the parameters.
#: Central differences in float64 agree with a correct gradient to about 1e-8
#: and in float32 to about 1e-3 of the gradient's size.
_TOLERANCES = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 2e-2}


@dataclass(frozen=True)
class GradientCheck:
    """What :func:`check_gradient` found.

    Attributes
    ----------
    errors : dict of str to float
        The worst relative error of each parameter (see
        :func:`check_gradient`); ``inf`` where ``backward`` left the parameter
        out or gave it the wrong shape.
    tolerance : float
        The largest error that passes.
    """

    errors: dict
    tolerance: float

    @property
    def max_error(self) -> float:
        """The largest error over all the parameters."""
        return max(self.errors.values(), default=0.0)

    @property
    def failed(self) -> list:
        """Names of the parameters whose error exceeds the tolerance."""
        return [name for name, error in self.errors.items() if error > self.tolerance]

    @property
    def passed(self) -> bool:
        """Whether every parameter's error is within the tolerance."""
        return not self.failed

    def __str__(self):
        width = max(len("parameter"), *map(len, self.errors))
        lines = [f"{'parameter':<{width}}  relative error"]
        for name, error in self.errors.items():
            mark = "  FAILED" if error > self.tolerance else ""
            lines.append(f"{name:<{width}}  {error:.3g}{mark}")
        lines.append(
            f"tolerance {self.tolerance:.3g}: {'passed' if self.passed else 'failed'}"
        )
        return "\n".join(lines)


def _relative_error(analytic, numeric):
    """Worst entry's error, relative to the largest entry of either gradient."""
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != numeric.shape:
        return np.inf
    numeric = numeric.astype(np.float64)
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    worst = np.abs(analytic - numeric).max(initial=0.0)
    return float(worst / scale) if scale > 0.0 else float(worst)


def check_gradient(
    model: Model,
    X,
    params: dict | None = None,
    *,
    n_outputs: int = 3,
    tolerance: float | None = None,
    step: float | None = None,
    random_state: int | np.random.Generator | None = 0,
    raise_on_failure: bool = False,
) -> GradientCheck:
    """Compare a model's ``backward`` with central finite differences.

    ``backward`` computes the vector-Jacobian product ``g · ∂f/∂w`` of the
    model's outputs ``f`` for an output gradient ``g``. This draws ``g`` at
    random, and compares, parameter by parameter, the model's answer with the
    central differences ``(s(w + h) - s(w - h)) / 2h`` of the scalar
    ``s(w) = sum(g * f(w))``, one entry ``w`` of the parameters at a time.

    Parameters
    ----------
    model : skgd.models.Model
        Any object with ``init_params``, ``forward`` and ``backward``.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Inputs to check at; float32 or float64. A few rows suffice: the check
        takes two forward passes per parameter entry.
    params : dict of str to ndarray, default=None
        Parameters to check at, such as a fitted estimator's ``params_``;
        ``None`` asks ``model.init_params`` for ``n_outputs`` outputs. Not
        changed.
    n_outputs : int, default=3
        Number of outputs when ``params`` is ``None``.
    tolerance : float, default=None
        The largest relative error that passes; ``None`` takes 1e-6 when the
        parameters and outputs are float64 and 2e-2 when either is float32,
        as finite differences in float32 are much coarser.
    step : float, default=None
        Relative step ``h`` of the finite differences: an entry ``w`` moves
        by ``±h * max(1, |w|)``. ``None`` takes the cube root of the machine
        epsilon of that same dtype.
    random_state : int, numpy.random.Generator or None, default=0
        Draws the output gradient and, when ``params`` is ``None``, the
        parameters. The default makes the check repeatable.
    raise_on_failure : bool, default=False
        Whether to raise an ``AssertionError`` when a parameter fails, rather
        than only reporting it.

    Returns
    -------
    result : GradientCheck
        ``result.errors`` maps each parameter to its worst relative error,
        ``result.passed`` says whether all are within ``result.tolerance``,
        and ``print(result)`` shows a table.

    Raises
    ------
    AssertionError
        With ``raise_on_failure=True``, naming each parameter that failed.

    Notes
    -----
    The error of a parameter is ``max|a - n| / max(max|a|, max|n|)`` over its
    entries, ``a`` the model's gradient and ``n`` the finite differences: the
    worst disagreement relative to the size of that parameter's gradient, so
    that entries near zero do not inflate it. Kinks, such as ReLU at zero, and
    randomness in ``forward``, such as dropout, make finite differences
    disagree with a correct gradient. See also ``scipy.optimize.check_grad``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgd import check_gradient
    >>> from skgd.models import MLP
    >>> X = np.random.default_rng(0).normal(size=(5, 4))
    >>> result = check_gradient(MLP((6,), activation="tanh"), X)
    >>> result.passed, result.max_error < 1e-6
    (True, True)
    """
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32])
    rng = np.random.default_rng(random_state)
    if params is None:
        params = model.init_params(X.shape[1], n_outputs, rng, X.dtype)
    params = {name: np.array(value) for name, value in params.items()}

    outputs, cache = model.forward(params, X)
    grad_outputs = rng.standard_normal(np.shape(outputs)).astype(outputs.dtype)
    analytic = model.backward(params, cache, grad_outputs)

    # The model computes no more precisely than its coarsest dtype: float32
    # outputs from float64 parameters, as JAX gives outside its 64-bit mode,
    # need the steps and the tolerance of float32.
    precision = max(
        [outputs.dtype, *(value.dtype for value in params.values())],
        key=lambda dtype: np.finfo(dtype).eps,
    )
    if step is None:
        step = np.finfo(precision).eps ** (1.0 / 3.0)
    if tolerance is None:
        tolerance = _TOLERANCES.get(np.dtype(precision), 2e-2)
    numeric = finite_difference_vjp(
        lambda params, X: model.forward(params, X)[0], params, X, grad_outputs, step
    )

    errors = {
        name: _relative_error(analytic[name], numeric[name])
        if name in analytic
        else np.inf
        for name in params
    }
    result = GradientCheck(errors=errors, tolerance=tolerance)

    if raise_on_failure and not result.passed:
        raise AssertionError(
            f"the gradients of {result.failed} disagree with finite differences "
            f"beyond tolerance={tolerance:.3g}:\n{result}"
        )
    return result

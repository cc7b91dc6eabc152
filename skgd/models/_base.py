"""The contract every model follows."""

import numpy as np
from sklearn.base import BaseEstimator


class Model(BaseEstimator):
    """Base class of models: parameters in, outputs and gradients out.

    A model holds no learned state. Its parameters live in a
    ``dict[str, numpy.ndarray]`` that the estimator owns and the optimizer
    updates, so one model object can serve any number of fits. The model's own
    settings are its ``__init__`` arguments, stored under the same names, so
    that ``get_params``, ``set_params``, :func:`sklearn.base.clone` and grid
    searches over ``model__<setting>`` work as for any scikit-learn estimator.

    Subclasses implement :meth:`init_params`, :meth:`forward` and
    :meth:`backward`.

    Examples
    --------
    A linear model without intercept, written from scratch:

    >>> import numpy as np
    >>> class NoIntercept(Model):
    ...     def __init__(self, scale=1.0):
    ...         self.scale = scale
    ...
    ...     def init_params(self, n_features, n_outputs, random_state, dtype):
    ...         return {"coef": np.zeros((n_features, n_outputs), dtype=dtype)}
    ...
    ...     def forward(self, params, X):
    ...         return self.scale * (X @ params["coef"]), X
    ...
    ...     def backward(self, params, cache, grad_outputs):
    ...         return {"coef": self.scale * (cache.T @ grad_outputs)}
    >>> model = NoIntercept(scale=2.0)
    >>> params = {"coef": np.ones((3, 1))}
    >>> outputs, cache = model.forward(params, np.eye(3))
    >>> outputs.ravel().tolist()
    [2.0, 2.0, 2.0]
    >>> model.backward(params, cache, np.ones((3, 1)))["coef"].ravel().tolist()
    [2.0, 2.0, 2.0]
    """

    #: scikit-learn's constraint table for the ``__init__`` arguments, checked at
    #: the start of every ``fit``; subclasses extend it.
    _parameter_constraints: dict = {}

    def init_params(self, n_features, n_outputs, random_state, dtype):
        """Initial parameters for inputs of ``n_features`` and ``n_outputs``.

        Parameters
        ----------
        n_features : int
            Number of input columns.
        n_outputs : int
            Number of output columns.
        random_state : numpy.random.Generator
            The only source of randomness to use.
        dtype : numpy.dtype
            ``float32`` or ``float64``: the dtype of every parameter.

        Returns
        -------
        params : dict of str to ndarray
        """
        raise NotImplementedError

    def forward(self, params, X):
        """Outputs for inputs ``X``, and what :meth:`backward` needs.

        Parameters
        ----------
        params : dict of str to ndarray
        X : ndarray or scipy.sparse CSR matrix of shape (n_samples, n_features)

        Returns
        -------
        outputs : ndarray of shape (n_samples, n_outputs)
        cache : object
            Anything :meth:`backward` needs, such as ``X`` and activations.
        """
        raise NotImplementedError

    def backward(self, params, cache, grad_outputs):
        """Vector-Jacobian product: gradients of the parameters.

        Parameters
        ----------
        params : dict of str to ndarray
        cache : object
            What :meth:`forward` returned for the same inputs.
        grad_outputs : ndarray of shape (n_samples, n_outputs)
            Derivative of the loss with respect to the outputs.

        Returns
        -------
        grads : dict of str to ndarray
            Derivative of the loss with respect to each parameter, with the same
            keys and shapes as ``params``.
        """
        raise NotImplementedError

    def backward_into(self, params, cache, grad_outputs, grads):
        """:meth:`backward`, writing the gradients into the arrays of ``grads``.

        The training loop calls this, with arrays it keeps from one step to the
        next. The default copies what :meth:`backward` returns; a model that
        can write its products straight into ``grads`` saves the copy by
        overriding it.

        Parameters
        ----------
        params : dict of str to ndarray
        cache : object
            What :meth:`forward` returned for the same inputs.
        grad_outputs : ndarray of shape (n_samples, n_outputs)
            Derivative of the loss with respect to the outputs.
        grads : dict of str to ndarray
            Arrays shaped as ``params``, overwritten.

        Raises
        ------
        ValueError
            If :meth:`backward` does not return one gradient per parameter.
        """
        computed = self.backward(params, cache, grad_outputs)
        if computed.keys() != grads.keys():
            raise ValueError(
                f"{type(self).__name__}.backward returned gradients for "
                f"{sorted(computed)}, but the parameters are {sorted(grads)}"
            )
        for name, grad in computed.items():
            np.copyto(grads[name], grad)

    def penalized(self, params):
        """Names of the parameters that the L2 penalty ``alpha`` applies to.

        By default, every parameter of two or more dimensions: weight matrices
        are penalised, intercepts and other vectors are not. Override to choose
        otherwise.

        Parameters
        ----------
        params : dict of str to ndarray

        Returns
        -------
        names : list of str
        """
        return [name for name, value in params.items() if value.ndim >= 2]

    def predict(self, params, X):
        """Outputs for ``X``, without keeping what a backward pass would need."""
        outputs, _ = self.forward(params, X)
        return outputs


class InPlaceGradients(Model):
    """Base of the built-in models, which write their gradients in place.

    Subclasses implement ``_write_gradients(params, cache, grad_outputs,
    grads)``, which both :meth:`backward` and :meth:`backward_into` use. A
    subclass of theirs that replaces :meth:`backward` keeps its own gradients:
    :meth:`backward_into` then copies them, as for any model.
    """

    def backward(self, params, cache, grad_outputs):
        grads = {name: np.empty_like(value) for name, value in params.items()}
        self._write_gradients(params, cache, grad_outputs, grads)
        return grads

    def backward_into(self, params, cache, grad_outputs, grads):
        if type(self).backward is not InPlaceGradients.backward:
            super().backward_into(params, cache, grad_outputs, grads)
        else:
            self._write_gradients(params, cache, grad_outputs, grads)

    def _write_gradients(self, params, cache, grad_outputs, grads):
        raise NotImplementedError


def product_into(left, right, out):
    """``out[...] = left @ right``, for a dense or sparse ``left``."""
    if isinstance(left, np.ndarray):
        np.matmul(left, right, out=out)
    else:
        np.copyto(out, left @ right)


def column_sums_into(matrix, out):
    """``out[...] = matrix.sum(axis=0)``, computed as the product of a vector of
    ones with ``matrix``: two to three times faster on a few hundred rows."""
    np.matmul(np.ones(matrix.shape[0], dtype=matrix.dtype), matrix, out=out)

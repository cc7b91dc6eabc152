"""Plots of training runs, in the style of scikit-learn's ``*Display`` classes.

Drawing needs matplotlib, the ``skgd[plot]`` extra. It is imported only when a
display draws, so importing this module, and the rest of skgd, does not need it.
"""

from importlib import import_module

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

__all__ = ["LossCurveDisplay"]


def _import_pyplot():
    """matplotlib's pyplot, or an error that says how to install it."""
    try:
        return import_module("matplotlib.pyplot")
    except ImportError as error:
        raise ImportError(
            "LossCurveDisplay draws with matplotlib, which is not installed; "
            'install it with: python -m pip install "skgd[plot]"'
        ) from error


def _trained_step(estimator):
    """The estimator that holds ``loss_curve_``, out of a pipeline or a
    ``TransformedTargetRegressor`` if need be."""
    while True:
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        elif isinstance(estimator, TransformedTargetRegressor):
            check_is_fitted(estimator)
            estimator = estimator.regressor_
        else:
            break

    check_is_fitted(estimator)
    if not hasattr(estimator, "loss_curve_"):
        raise TypeError(
            f"LossCurveDisplay needs an estimator with a loss_curve_ attribute, "
            f"such as skgd's; got {type(estimator).__name__}"
        )
    return estimator


class LossCurveDisplay:
    """The training loss of each epoch, and the validation score if there is one.

    Build it with :meth:`from_estimator` from a fitted estimator, or from the
    numbers themselves and then call :meth:`plot`. The loss is drawn against the
    epochs 1, 2, ..., ``len(loss_curve)``; the validation score, when given, on
    a second y axis to the right, since its scale differs from the loss's.

    Parameters
    ----------
    loss_curve : list of float
        The mean training objective of each epoch, an estimator's
        ``loss_curve_``.
    validation_scores : list of float, default=None
        The score on held-out data after each epoch, an estimator's
        ``validation_scores_``; as long as ``loss_curve``. ``None``: no
        validation line.
    estimator_name : str, default=None
        Name for the legend; ``None``: no name.

    Attributes
    ----------
    epochs : ndarray of shape (n_epochs,)
        The epoch numbers, 1 to ``len(loss_curve)``.
    line_ : matplotlib Line2D
        The training loss curve.
    validation_line_ : matplotlib Line2D or None
        The validation score curve; ``None`` without validation scores.
    ax_ : matplotlib Axes
        The axes of the loss curve.
    validation_ax_ : matplotlib Axes or None
        The twin axes, sharing the epoch axis, of the validation curve;
        ``None`` without validation scores.
    figure_ : matplotlib Figure
        The figure that holds ``ax_``.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against the number
        of training samples, which refits the estimator for each.

    Notes
    -----
    The display draws what the estimator recorded and trains nothing. A
    continued ``fit`` (``warm_start=True``) or ``partial_fit`` after a ``fit``
    with ``early_stopping`` leaves ``validation_scores_`` shorter than
    ``loss_curve_`` without saying which epochs it covers, so
    :meth:`from_estimator` refuses it; pass the numbers you want to the
    constructor instead.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skgd import AdamClassifier
    >>> from skgd.plotting import LossCurveDisplay
    >>> X, y = load_digits(return_X_y=True)
    >>> classifier = AdamClassifier(early_stopping=True, random_state=0)
    >>> classifier = classifier.fit(X / 16, y)
    >>> display = LossCurveDisplay.from_estimator(classifier)
    >>> display.line_.get_ydata().tolist() == classifier.loss_curve_
    True
    >>> display.validation_ax_.get_ylabel()
    'validation score'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(self, *, loss_curve, validation_scores=None, estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.estimator_name = estimator_name

    @property
    def epochs(self):
        return np.arange(1, len(self.loss_curve) + 1)

    def plot(self, ax=None, *, name=None, line_kwargs=None, validation_kwargs=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` makes a new figure. Several displays may
            share one ``ax`` to compare runs.
        name : str, default=None
            Name for the legend; ``None`` uses ``estimator_name``.
        line_kwargs : dict, default=None
            Keyword arguments for matplotlib's ``plot`` of the loss curve.
        validation_kwargs : dict, default=None
            Keyword arguments for matplotlib's ``plot`` of the validation
            curve.

        Returns
        -------
        display : LossCurveDisplay
            This display, with the artists in its attributes.
        """
        self._check_lengths()
        if ax is None:
            _, ax = _import_pyplot().subplots(layout="constrained")
        else:
            _import_pyplot()
        name = self.estimator_name if name is None else name

        label = "training loss" if name is None else name
        self.line_ = ax.plot(
            self.epochs, self.loss_curve, **{"label": label, **(line_kwargs or {})}
        )[0]
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")

        self.validation_ax_ = self.validation_line_ = None
        if self.validation_scores is not None:
            self._plot_validation(ax, name, validation_kwargs)

        handles = [line for line in ax.get_lines() if _is_labelled(line)]
        if self.validation_line_ is not None:
            handles.append(self.validation_line_)
        ax.legend(handles=handles)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _plot_validation(self, ax, name, validation_kwargs):
        """Draw the validation scores on a twin y axis."""
        label = "validation score" if name is None else f"{name} (validation)"
        defaults = {"label": label, "linestyle": "--", "color": "tab:orange"}
        self.validation_ax_ = ax.twinx()
        self.validation_line_ = self.validation_ax_.plot(
            self.epochs,
            self.validation_scores,
            **{**defaults, **(validation_kwargs or {})},
        )[0]
        self.validation_ax_.set_ylabel("validation score")

    def _check_lengths(self):
        scores = self.validation_scores
        if scores is not None and len(scores) != len(self.loss_curve):
            raise ValueError(
                f"validation_scores holds {len(scores)} scores but loss_curve "
                f"{len(self.loss_curve)} epochs; they must have one value per "
                f"epoch each"
            )

    @classmethod
    def from_estimator(
        cls, estimator, *, ax=None, name=None, line_kwargs=None, validation_kwargs=None
    ):
        """Draw the loss curve of a fitted estimator.

        Parameters
        ----------
        estimator : estimator
            A fitted skgd estimator, or a fitted ``Pipeline`` or
            ``TransformedTargetRegressor`` around one. Its ``loss_curve_`` is
            drawn, and its ``validation_scores_`` when it is a list (after
            ``fit`` with ``early_stopping=True``).
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` makes a new figure.
        name : str, default=None
            Name for the legend; ``None`` uses the estimator's class name.
        line_kwargs : dict, default=None
            Keyword arguments for matplotlib's ``plot`` of the loss curve.
        validation_kwargs : dict, default=None
            Keyword arguments for matplotlib's ``plot`` of the validation
            curve.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn.
        """
        trained = _trained_step(estimator)
        validation_scores = getattr(trained, "validation_scores_", None)
        if validation_scores is not None and len(validation_scores) != len(
            trained.loss_curve_
        ):
            raise ValueError(
                f"{type(trained).__name__} holds {len(validation_scores)} "
                f"validation scores for {len(trained.loss_curve_)} epochs, after "
                f"a continued fit or partial_fit, and does not record which epochs "
                f"they belong to; build LossCurveDisplay(loss_curve=..., "
                f"validation_scores=...) from the numbers you want to draw"
            )

        display = cls(
            loss_curve=list(trained.loss_curve_),
            validation_scores=(
                None if validation_scores is None else list(validation_scores)
            ),
            estimator_name=type(trained).__name__ if name is None else name,
        )
        return display.plot(
            ax=ax, line_kwargs=line_kwargs, validation_kwargs=validation_kwargs
        )


def _is_labelled(line):
    """Whether matplotlib puts ``line`` in a legend (labels starting with ``_``
    are hidden)."""
    return not line.get_label().startswith("_")

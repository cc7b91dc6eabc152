"""Parameter and attribute documentation shared by the estimators.

Each estimator's docstring holds the markers ``<parameters>`` and
``<attributes>``; :func:`document` replaces them with the entries named, so a
parameter is described once, in one place, for every estimator that has it.
"""

import textwrap

PARAMETERS = {
    "model": """
model : skgd.models.Model, default=None
    The model to train; ``None`` means :class:`skgd.models.Linear`. It is
    cloned at the start of ``fit`` and never changed; the fitted copy is
    ``model_``. Its settings can be searched as ``model__<setting>``.
""",
    "loss_regression": """
loss : {"squared_error", "huber", "epsilon_insensitive"}, default="squared_error"
    The per-sample loss: half the squared error, the Huber loss (quadratic up
    to ``delta``, linear beyond), or the epsilon-insensitive loss (errors
    below ``delta`` are free).
""",
    "loss_classification": """
loss : {"log_loss", "hinge", "modified_huber"}, default="log_loss"
    The per-sample loss: cross-entropy of the logistic or softmax model (gives
    probabilities), the hinge loss of a linear SVM, or its smoothed version
    (also gives probabilities). Hinge losses treat several classes one
    versus the rest.
""",
    "learning_rate_sgd": """
learning_rate : float, default=0.001
    The learning rate η: the size of each step, multiplied by the schedule.
""",
    "learning_rate_adam": """
learning_rate : float, default=0.01
    The learning rate η: about the largest change of a parameter in one step,
    multiplied by the schedule.
""",
    "schedule": """
schedule : str, schedule factor or callable, default="constant"
    How η changes. ``"constant"`` keeps it; ``"invscaling"`` uses
    ``learning_rate / (t + 1) ** power_t`` at step ``t``; ``"adaptive"``
    divides it by 5 each time the loss stops improving by ``tol`` for
    ``n_iter_no_change`` epochs, and stops training once it falls below 1e-6;
    ``"cosine"``, ``"step"``, ``"exponential"`` and ``"plateau"`` are
    :class:`skgd.schedules.Cosine`, :class:`~skgd.schedules.StepDecay`,
    :class:`~skgd.schedules.Exponential` and :class:`~skgd.schedules.Plateau`
    with their defaults. Any of those objects, or a
    :class:`~skgd.schedules.Warmup` around one, sets its own settings,
    searchable as ``schedule__<setting>``; a callable ``factor(t)`` gives
    ``learning_rate * factor(t)``.
""",
    "power_t": """
power_t : float, default=0.5
    The exponent of the ``"invscaling"`` schedule.
""",
    "batch_size": """
batch_size : int or "auto", default="auto"
    Rows per minibatch: one optimizer step per batch. ``"auto"`` takes
    ``min(200, n_samples)``; a larger size than the data has takes all of it.
""",
    "max_iter": """
max_iter : int, default=200
    Most epochs (passes over the data) that ``fit`` runs.
""",
    "tol": """
tol : float or None, default=1e-4
    The improvement that counts: ``fit`` stops once the training loss (or,
    with ``early_stopping``, the validation score) has not improved by ``tol``
    for ``n_iter_no_change`` epochs in a row. ``None`` always runs
    ``max_iter`` epochs.
""",
    "n_iter_no_change": """
n_iter_no_change : int, default=10
    Epochs without improvement before stopping or, for ``"adaptive"``,
    before dividing the learning rate.
""",
    "shuffle": """
shuffle : bool, default=True
    Whether to visit the rows in a fresh random order each epoch.
""",
    "random_state": """
random_state : int, RandomState instance or None, default=None
    Seeds the initial parameters, the shuffling and the validation split. An
    int gives bit-identical results from run to run.
""",
    "early_stopping": """
early_stopping : bool, default=False
    Whether to hold out ``validation_fraction`` of the data (stratified for
    classifiers), stop when its score stops improving, and keep the
    parameters of the best epoch.
""",
    "validation_fraction": """
validation_fraction : float, default=0.1
    Share of the data held out with ``early_stopping``; in (0, 1).
""",
    "alpha": """
alpha : float, default=0.0001
    Strength of the L2 penalty ``alpha / 2 * ||w||²`` on the model's weight
    matrices (not on intercepts).
""",
    "class_weight": """
class_weight : dict, "balanced" or None, default=None
    Weights of the classes, multiplying the sample weights: ``{label:
    weight}``, or ``"balanced"`` for ``n_samples / (n_classes * count)`` with
    the counts of the data given to each ``fit`` or ``partial_fit`` call.
""",
    "delta": """
delta : float, default=0.1
    Threshold of the ``"huber"`` and ``"epsilon_insensitive"`` losses, in the
    units of the target.
""",
    "l1_ratio": """
l1_ratio : float, default=0.0
    Share of L1 in the penalty ``alpha * (l1_ratio * |w|_1 + (1 - l1_ratio)
    / 2 * ||w||²)``: 0 is the L2 penalty, 1 the L1 penalty (lasso), values
    between the elastic net. The L1 part is applied after each step as a
    proximal step, so weights become exactly zero. That step shrinks by
    ``learning_rate * alpha * l1_ratio``, not by an adaptive optimizer's own
    per-parameter step: with Adam the weights are sparse, but not exactly
    those of the lasso.
""",
    "clip_norm": """
clip_norm : float, default=None
    Largest global L2 norm of the gradient of a step; a larger gradient is
    scaled down to it. ``None`` does not clip.
""",
    "clip_value": """
clip_value : float, default=None
    Largest absolute value of a gradient component; larger ones are clipped
    to it before ``clip_norm`` applies. ``None`` does not clip.
""",
    "average": """
average : bool or int, default=False
    Polyak-Ruppert averaging: predictions use the mean of the parameters
    after each step, from the first step (``True``) or after step
    ``average`` (an int). Training itself goes on from the last parameters.
""",
    "warm_start": """
warm_start : bool, default=False
    Whether ``fit`` continues from the fitted parameters, optimizer state and
    random generator rather than starting afresh.
""",
    "verbose": """
verbose : bool or int, default=False
    Whether to print one line per epoch: loss, validation score, learning
    rate and seconds.
""",
    "optimizer": """
optimizer : str or skgd.optim.Optimizer, default="adam"
    How a gradient becomes a step: the name of an optimizer of
    :mod:`skgd.optim` (``"sgd"``, ``"adam"``, ...) with its default settings,
    or an optimizer object, cloned at the start of ``fit``, whose settings are
    searchable as ``optimizer__<setting>``.
""",
    "momentum": """
momentum : float, default=0.9
    Momentum factor μ in [0, 1) of the heavy-ball update
    ``b = μ b + g; w -= η b``.
""",
    "nesterov": """
nesterov : bool, default=False
    Whether to use Nesterov's momentum ``w -= η (g + μ b)``.
""",
    "beta_1": """
beta_1 : float, default=0.9
    Decay rate of Adam's running mean of the gradient, in [0, 1).
""",
    "beta_2": """
beta_2 : float, default=0.999
    Decay rate of Adam's running mean of the squared gradient, in [0, 1).
""",
    "epsilon": """
epsilon : float, default=1e-8
    Added to the denominator of Adam's step, outside the square root.
""",
    "amsgrad": """
amsgrad : bool, default=False
    Whether to divide by the largest second moment seen so far (AMSGrad).
""",
    "weight_decay": """
weight_decay : float, default=0.0
    Decoupled weight decay λ, as in AdamW: each step first multiplies every
    parameter by ``1 - learning_rate * weight_decay``.
""",
}

ATTRIBUTES = {
    "model_": """
model_ : skgd.models.Model
    The fitted copy of ``model``.
""",
    "params_": """
params_ : dict of str to ndarray
    The trained parameters, float32 when the training input was.
""",
    "coef_regression": """
coef_ : ndarray of shape (n_features,) or (n_outputs, n_features)
    Weights of the linear model; only with the default linear model.
""",
    "intercept_regression": """
intercept_ : ndarray of shape (n_outputs,)
    Intercepts of the linear model; only with the default linear model.
""",
    "coef_classification": """
coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    Weights of the linear model, one row for two classes; only with the
    default linear model.
""",
    "intercept_classification": """
intercept_ : ndarray of shape (1,) or (n_classes,)
    Intercepts of the linear model; only with the default linear model.
""",
    "classes_": """
classes_ : ndarray of shape (n_classes,)
    The class labels, sorted.
""",
    "n_outputs_": """
n_outputs_ : int
    Number of model outputs: targets for regression, 1 for two classes, else
    the number of classes.
""",
    "n_iter_": """
n_iter_ : int
    Epochs run: by ``fit``, plus one per ``partial_fit`` call.
""",
    "t_": """
t_ : int
    Optimizer steps taken, one per minibatch.
""",
    "loss_curve_": """
loss_curve_ : list of float
    Mean training objective (loss plus penalty) of each epoch.
""",
    "best_loss_": """
best_loss_ : float or None
    Lowest value in ``loss_curve_``; ``None`` after ``fit`` with
    ``early_stopping``.
""",
    "validation_scores_": """
validation_scores_ : list of float or None
    Score on the held-out data after each epoch, with ``early_stopping``;
    else ``None``.
""",
    "best_validation_score_": """
best_validation_score_ : float
    Best of ``validation_scores_``; set by ``fit`` with ``early_stopping``.
""",
    "n_features_in_": """
n_features_in_ : int
    Number of features seen during ``fit``.
""",
    "feature_names_in_": """
feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of the features seen during ``fit``, when they were all strings.
""",
}

SHARED_PARAMETERS = [
    "model",
    "schedule",
    "power_t",
    "batch_size",
    "max_iter",
    "tol",
    "n_iter_no_change",
    "shuffle",
    "random_state",
    "early_stopping",
    "validation_fraction",
    "alpha",
    "l1_ratio",
    "clip_norm",
    "clip_value",
    "average",
    "warm_start",
    "verbose",
]
SGD_PARAMETERS = ["learning_rate_sgd", "momentum", "nesterov"]
GD_PARAMETERS = ["optimizer", "learning_rate_adam"]
ADAM_PARAMETERS = [
    "learning_rate_adam",
    "beta_1",
    "beta_2",
    "epsilon",
    "amsgrad",
    "weight_decay",
]
REGRESSION_PARAMETERS = ["loss_regression", "delta"]
CLASSIFICATION_PARAMETERS = ["loss_classification", "class_weight"]

SHARED_ATTRIBUTES = [
    "model_",
    "params_",
    "n_outputs_",
    "n_iter_",
    "t_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "best_validation_score_",
    "n_features_in_",
    "feature_names_in_",
]
REGRESSION_ATTRIBUTES = ["coef_regression", "intercept_regression"]
CLASSIFICATION_ATTRIBUTES = [
    "classes_",
    "coef_classification",
    "intercept_classification",
]


def _section(title, entries, names):
    body = "".join(entries[name].lstrip("\n") for name in names)
    underline = "-" * len(title)
    return textwrap.indent(f"{title}\n{underline}\n{body}", "    ").rstrip() + "\n"


def document(parameters, attributes):
    """Fill a class's ``<parameters>`` and ``<attributes>`` markers."""

    def decorate(cls):
        doc = cls.__doc__
        doc = doc.replace(
            "    <parameters>\n", _section("Parameters", PARAMETERS, parameters)
        )
        doc = doc.replace(
            "    <attributes>\n", _section("Attributes", ATTRIBUTES, attributes)
        )
        cls.__doc__ = doc
        return cls

    return decorate

"""A short tour of skgd on data that ships with scikit-learn: ``python -m skgd``.

Trains the four estimators, each with the default linear model and with an MLP,
on the digits (classification) and diabetes (regression) data sets, and prints
their scores on held-out data and their fit times next to a scikit-learn
reference. Then it grid-searches the learning rate of a classifier inside a
pipeline. Nothing is downloaded. ``--plot FILE.png`` also saves the loss curve
of every run to ``FILE.png``.
"""

import argparse
import importlib.util
import time
import warnings

from sklearn.base import is_regressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import AdamClassifier, AdamRegressor, SGDClassifier, SGDRegressor
from .models import MLP

#: The runs of each data set: estimator, model (None: linear) and the settings
#: that train it well. The L2 penalty ``alpha`` keeps the MLP from overfitting
#: the 331 training rows of the diabetes data.
RUNS = {
    "digits": [
        (SGDClassifier, None, {"learning_rate": 0.1}),
        (SGDClassifier, MLP((64,)), {"learning_rate": 0.1}),
        (AdamClassifier, None, {"learning_rate": 0.01}),
        (AdamClassifier, MLP((64,)), {"learning_rate": 0.003}),
    ],
    "diabetes": [
        (SGDRegressor, None, {"learning_rate": 0.001}),
        (SGDRegressor, MLP((16,)), {"learning_rate": 0.01, "alpha": 0.1}),
        (AdamRegressor, None, {"learning_rate": 0.01}),
        (AdamRegressor, MLP((16,)), {"learning_rate": 0.01, "alpha": 0.1}),
    ],
}

#: What each data set is, and scikit-learn's own linear estimator for it.
DESCRIPTIONS = {
    "digits": ("8x8 images, 10 classes: accuracy", LogisticRegression),
    "diabetes": ("442 patients, 10 features: R²", LinearRegression),
}

COLUMNS = ("estimator", "model", "learning_rate", "test score", "epochs", "fit seconds")


def _load_splits(random_state=0):
    """Training and test parts of each data set, a quarter held out."""
    X, y = load_digits(return_X_y=True)
    digits = train_test_split(X, y, stratify=y, random_state=random_state)
    X, y = load_diabetes(return_X_y=True)
    diabetes = train_test_split(X, y, random_state=random_state)
    return {"digits": digits, "diabetes": diabetes}


def _standardised(estimator):
    """``estimator`` behind a StandardScaler; a regressor's targets scaled too."""
    pipeline = make_pipeline(StandardScaler(), estimator)
    if is_regressor(estimator):
        return TransformedTargetRegressor(pipeline, transformer=StandardScaler())
    return pipeline


def _run_one(split, Estimator, network, settings, max_iter):
    """Fit one estimator; return its row of the table and the fitted estimator."""
    X_train, X_test, y_train, y_test = split
    estimator = Estimator(model=network, max_iter=max_iter, random_state=0, **settings)
    pipeline = _standardised(estimator)

    started = time.perf_counter()
    pipeline.fit(X_train, y_train)
    seconds = time.perf_counter() - started

    fitted = getattr(pipeline, "regressor_", pipeline)[-1]
    row = (
        Estimator.__name__,
        "linear" if network is None else f"MLP{network.hidden_layer_sizes}",
        f"{settings['learning_rate']:g}",
        f"{pipeline.score(X_test, y_test):.3f}",
        str(fitted.n_iter_),
        f"{seconds:.2f}",
    )
    return row, fitted


def _reference_score(split, Reference):
    """Test score of scikit-learn's own linear estimator, for comparison."""
    X_train, X_test, y_train, y_test = split
    pipeline = make_pipeline(StandardScaler(), Reference()).fit(X_train, y_train)
    return pipeline.score(X_test, y_test)


def _format_table(header, rows):
    """Left-aligned text columns, right-aligned numbers, two spaces apart."""
    widths = [max(map(len, column)) for column in zip(header, *rows, strict=True)]
    numeric = [cell[0].isdigit() for cell in rows[0]]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _plot_loss_curves(fitted, path):
    """Save one panel per data set, holding the loss curve of each of its runs."""
    from matplotlib.figure import Figure

    from .plotting import LossCurveDisplay

    figure = Figure(figsize=(11, 4.5), layout="constrained")
    panels = figure.subplots(1, len(fitted))
    for ax, (data, results) in zip(panels, fitted.items(), strict=True):
        for row, estimator in results:
            name = f"{row[0]}, {row[1]}"
            LossCurveDisplay.from_estimator(estimator, ax=ax, name=name)
        ax.set_yscale("log")
        ax.set_title(data)

    figure.savefig(path)
    print(f"\nloss curves saved to {path}")


def _search_learning_rate(split, learning_rates, cv, max_iter):
    """Grid-search the learning rate of an MLP classifier in a pipeline."""
    X_train, X_test, y_train, y_test = split
    pipeline = make_pipeline(
        StandardScaler(),
        AdamClassifier(model=MLP((32,)), max_iter=max_iter, random_state=0),
    )
    grid = {"adamclassifier__learning_rate": learning_rates}
    search = GridSearchCV(pipeline, grid, cv=cv).fit(X_train, y_train)

    print(
        f"GridSearchCV, {cv}-fold on the digits training set, over learning_rate "
        "of\nmake_pipeline(StandardScaler(), AdamClassifier(model=MLP((32,)))):\n"
    )
    scores = search.cv_results_["mean_test_score"]
    rows = [
        (f"{rate:g}", f"{score:.3f}")
        for rate, score in zip(learning_rates, scores, strict=True)
    ]
    print(_format_table(("learning_rate", "mean CV accuracy"), rows))
    best = search.best_params_["adamclassifier__learning_rate"]
    print(
        f"\nbest learning_rate: {best:g}, CV accuracy {search.best_score_:.3f}, "
        f"test accuracy {search.score(X_test, y_test):.3f}"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the tour; ``argv`` as for ``python -m skgd`` (default: sys.argv)."""
    parser = argparse.ArgumentParser(
        prog="python -m skgd",
        description="Train skgd's estimators on data sets bundled with "
        "scikit-learn and print their test scores and fit times.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="train for 15 epochs only, with a smaller grid search (a smoke "
        "test: the scores are lower)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also save the loss curve of every run to FILE.png (needs "
        "matplotlib: the skgd[plot] extra)",
    )
    arguments = parser.parse_args(argv)
    if arguments.plot and importlib.util.find_spec("matplotlib") is None:
        parser.error('--plot needs matplotlib: python -m pip install "skgd[plot]"')

    max_iter = 15 if arguments.quick else 200
    learning_rates = [0.003, 0.3] if arguments.quick else [0.003, 0.01, 0.03, 0.1, 0.3]
    cv = 2 if arguments.quick else 3
    splits = _load_splits()
    fitted = {}

    with warnings.catch_warnings():
        if arguments.quick:
            # 15 epochs are too few to converge, by design: no warning for that.
            warnings.simplefilter("ignore", ConvergenceWarning)
        for data, runs in RUNS.items():
            description, Reference = DESCRIPTIONS[data]
            fitted[data] = [_run_one(splits[data], *run, max_iter) for run in runs]
            rows = [row for row, _ in fitted[data]]
            reference = _reference_score(splits[data], Reference)
            print(f"{data} ({description} on a held-out quarter)\n")
            print(_format_table(COLUMNS, rows))
            print(f"(scikit-learn's {Reference.__name__}: {reference:.3f})\n")
        _search_learning_rate(splits["digits"], learning_rates, cv, max_iter)
    if arguments.plot:
        _plot_loss_curves(fitted, arguments.plot)


if __name__ == "__main__":
    main()

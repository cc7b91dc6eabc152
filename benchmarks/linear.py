"""Linear least squares: time until the training MSE is within 1 % of optimal.

``make_regression(n_samples=200_000, n_features=100, noise=10)`` with
standardised features. For each configuration the script first finds the
fewest epochs (``max_iter`` with ``tol=None``) after which the training MSE
is at most 1.01 times that of the least-squares solution, then times fits of
that many epochs, round after round, and reports medians. The time is that of
``fit``, input checks included.

Run ``python benchmarks/linear.py`` (about a minute) or ``--quick``.
"""

import warnings

import _common
import numpy as np
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDRegressor as SklearnSGDRegressor
from sklearn.preprocessing import StandardScaler

from skgd import SGDRegressor

TOLERANCE = 1.01
MAX_EPOCHS = 20

# What a user sets: plain steps on large batches, one epoch, no penalty. The
# data's rows come in random order, so shuffle=False is a fair choice here.
SKGD_SETTINGS = {
    "learning_rate": 0.2,
    "momentum": 0.0,
    "batch_size": 4096,
    "alpha": 0.0,
    "tol": None,
    "random_state": 0,
}
SMALL_BATCH_SETTINGS = {
    **SKGD_SETTINGS,
    "learning_rate": 0.1,
    "batch_size": 256,
    "shuffle": False,
}
CONFIGURATIONS = {
    "sklearn SGDRegressor()": lambda epochs: SklearnSGDRegressor(
        max_iter=epochs, tol=None, random_state=0
    ),
    "sklearn SGDRegressor(average=True)": lambda epochs: SklearnSGDRegressor(
        average=True, max_iter=epochs, tol=None, random_state=0
    ),
    "skgd SGDRegressor, shuffle=True": lambda epochs: SGDRegressor(
        **SKGD_SETTINGS, max_iter=epochs, shuffle=True
    ),
    "skgd SGDRegressor, shuffle=False": lambda epochs: SGDRegressor(
        **SKGD_SETTINGS, max_iter=epochs, shuffle=False
    ),
    # Small noisy steps, with and without Polyak-Ruppert averaging from step 100:
    # the average lands within the noise that the last iterate keeps.
    "skgd SGDRegressor, batch 256": lambda epochs: SGDRegressor(
        **SMALL_BATCH_SETTINGS, max_iter=epochs
    ),
    "skgd SGDRegressor, batch 256, average=100": lambda epochs: SGDRegressor(
        **SMALL_BATCH_SETTINGS, average=100, max_iter=epochs
    ),
}


def make_data(n_samples):
    X, y = make_regression(
        n_samples=n_samples, n_features=100, noise=10, random_state=0
    )
    return StandardScaler().fit_transform(X), y


def optimal_mse(X, y):
    """Training MSE of the least-squares fit with an intercept."""
    design = np.column_stack([X, np.ones(len(X))])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(np.mean((design @ solution - y) ** 2))


def relative_mse(estimator, X, y, optimum):
    return float(np.mean((estimator.predict(X) - y) ** 2)) / optimum


def fewest_epochs(make_estimator, X, y, optimum, max_epochs):
    """Fewest epochs that reach the tolerance, or ``None`` within ``max_epochs``.

    A scan rather than a bisection: plain SGD hovers around the tolerance, so
    reaching it after ``k`` epochs does not promise reaching it after ``k + 1``.
    """
    for epochs in range(1, max_epochs + 1):
        estimator = make_estimator(epochs).fit(X, y)
        if relative_mse(estimator, X, y, optimum) <= TOLERANCE:
            return epochs
    return None


def measure(make_estimator, epochs, X, y, optimum):
    estimator = make_estimator(epochs)
    elapsed, _ = _common.seconds(lambda: estimator.fit(X, y))
    return {"seconds": elapsed, "mse": relative_mse(estimator, X, y, optimum)}


def main():
    args = _common.parse_args(__doc__.splitlines()[0], default_repeats=7)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    _common.describe_machine()
    n_samples, max_epochs = (20_000, 8) if args.quick else (200_000, MAX_EPOCHS)
    X, y = make_data(n_samples)
    optimum = optimal_mse(X, y)
    print(f"least-squares training MSE: {optimum:.4f}\n")

    epochs = {
        name: fewest_epochs(make_estimator, X, y, optimum, max_epochs)
        for name, make_estimator in CONFIGURATIONS.items()
    }
    contenders = {
        name: (
            lambda make_estimator=make_estimator, n_epochs=epochs[name]: measure(
                make_estimator, n_epochs, X, y, optimum
            )
        )
        for name, make_estimator in CONFIGURATIONS.items()
        if epochs[name] is not None
    }
    results = _common.run_rounds(contenders, args.repeats, warm_up=not args.quick)
    _common.print_load()
    report(results, epochs, max_epochs, len(X), args.repeats)


def report(results, epochs, max_epochs, n_samples, repeats):
    times = {name: _common.median(runs, "seconds") for name, runs in results.items()}
    best = {
        family: min(
            (name for name in times if name.startswith(family)),
            key=times.get,
            default=None,
        )
        for family in ("skgd", "sklearn")
    }
    if None in best.values():
        print(f"target best skgd / best sklearn time: {best}: NOT met")
        return
    rows = []
    for name, n_epochs in epochs.items():
        if n_epochs is None:
            rows.append([name, f"> {max_epochs}", "", "", ""])
            continue
        low, high = _common.spread(results[name], "seconds")
        rows.append(
            [
                name,
                n_epochs,
                f"{times[name]:.3f} [{low:.3f}-{high:.3f}]",
                f"{_common.median(results[name], 'mse'):.4f}",
                f"{times[best['skgd']] / times[name]:.2f}",
            ]
        )
    _common.print_table(
        f"Least squares, {n_samples} x 100 float64: time to a training MSE within "
        f"{100 * (TOLERANCE - 1):.0f} % of optimal, median of {repeats} rounds",
        [
            "configuration",
            "epochs",
            "seconds [range]",
            "MSE / optimum",
            "best skgd/this",
        ],
        rows,
    )
    for label, chosen in [("", SKGD_SETTINGS), (" (batch 256)", SMALL_BATCH_SETTINGS)]:
        settings = ", ".join(f"{key}={value}" for key, value in chosen.items())
        print(f"skgd settings{label}: {settings}, max_iter=<epochs>")
    print(f"best skgd: {best['skgd']}; best sklearn: {best['sklearn']}")
    _common.verdict(
        "best skgd / best sklearn time",
        times[best["skgd"]] / times[best["sklearn"]],
        0.5,
    )


if __name__ == "__main__":
    main()

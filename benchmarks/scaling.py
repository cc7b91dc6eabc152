"""Scaling: fit time against the number of rows, and its log-log slope.

Fits of a fixed number of epochs on the first ``n`` rows of one
``make_regression`` data set of 100 standardised features, for ``n`` from
25,000 to 400,000. Time linear in ``n`` gives a slope of 1 on log-log axes.

Run ``python benchmarks/scaling.py`` (about two minutes) or ``--quick``.
"""

import warnings

import _common
import numpy as np
from sklearn.datasets import make_regression
from sklearn.linear_model import SGDRegressor as SklearnSGDRegressor
from sklearn.preprocessing import StandardScaler

from skgd import AdamRegressor, SGDRegressor
from skgd.models import MLP

SIZES = [25_000, 50_000, 100_000, 200_000, 400_000]
QUICK_SIZES = [1_000, 2_000, 4_000]
N_EPOCHS = 3

ESTIMATORS = {
    "skgd SGDRegressor": lambda: SGDRegressor(
        learning_rate=0.01, max_iter=N_EPOCHS, tol=None, random_state=0
    ),
    "skgd AdamRegressor(MLP(64))": lambda: AdamRegressor(
        model=MLP((64,)), max_iter=N_EPOCHS, tol=None, random_state=0
    ),
    "sklearn SGDRegressor": lambda: SklearnSGDRegressor(
        max_iter=N_EPOCHS, tol=None, random_state=0
    ),
}


def make_data(n_samples):
    X, y = make_regression(
        n_samples=n_samples, n_features=100, noise=10, random_state=0
    )
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


def log_log_slope(sizes, times):
    """Slope of the least-squares line through (log n, log time)."""
    slope, _ = np.polyfit(np.log(sizes), np.log(times), 1)
    return float(slope)


def main():
    args = _common.parse_args(__doc__.splitlines()[0], default_repeats=5)
    warnings.filterwarnings("ignore")
    _common.describe_machine()
    sizes = QUICK_SIZES if args.quick else SIZES
    X, y = make_data(max(sizes))

    contenders = {
        (name, n): (
            lambda make=make, n=n: {
                "seconds": _common.seconds(lambda: make().fit(X[:n], y[:n]))[0]
            }
        )
        for name, make in ESTIMATORS.items()
        for n in sizes
    }
    results = _common.run_rounds(contenders, args.repeats, warm_up=not args.quick)
    _common.print_load()
    report(results, sizes, args.repeats)


def report(results, sizes, repeats):
    rows, slopes = [], {}
    for name in ESTIMATORS:
        times = [_common.median(results[name, n], "seconds") for n in sizes]
        slopes[name] = log_log_slope(sizes, times)
        per_row = [1e9 * t / n / N_EPOCHS for t, n in zip(times, sizes, strict=True)]
        rows.append(
            [name]
            + [f"{t:.3f} ({ns:.0f})" for t, ns in zip(times, per_row, strict=True)]
            + [f"{slopes[name]:.2f}"]
        )
    _common.print_table(
        f"Fit time in seconds (ns per row and epoch) for {N_EPOCHS} epochs, "
        f"median of {repeats} rounds",
        ["estimator"] + [f"n = {n}" for n in sizes] + ["log-log slope"],
        rows,
    )
    for name, slope in slopes.items():
        if name.startswith("skgd"):
            _common.verdict(f"{name} |slope - 1|", abs(slope - 1.0), 0.1)


if __name__ == "__main__":
    main()

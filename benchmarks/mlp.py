"""MLP classification: skgd against scikit-learn's MLPClassifier and skorch.

A 64-256-10 ReLU network trained by Adam (learning rate 1e-3, batches of 256,
no L2 penalty) for 5 epochs on 50,000 standardised rows of
``make_classification``, and scored on the 10,000 rows held out. Each round
fits every contender once; the tables give medians over the rounds.

Run ``python benchmarks/mlp.py`` (about two minutes) or ``--quick``.
"""

import warnings

import _common
import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skgd import AdamClassifier, _kernels
from skgd.models import MLP

N_FEATURES, N_HIDDEN, N_CLASSES = 64, 256, 10
SETTINGS = {"learning_rate": 1e-3, "batch_size": 256}


def make_data(n_train, n_test):
    X, y = make_classification(
        n_samples=n_train + n_test,
        n_features=N_FEATURES,
        n_informative=32,
        n_classes=N_CLASSES,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def flops_per_epoch(n_train):
    """Multiply-adds x 2 of the products one epoch needs.

    Forward: ``X @ W1`` and ``H @ W2``; backward: ``H.T @ D2``, ``D2 @ W2.T``
    and ``X.T @ D1``. No gradient of the inputs is formed, so this is less than
    the three forward passes often counted.
    """
    forward = N_FEATURES * N_HIDDEN + N_HIDDEN * N_CLASSES
    backward = N_HIDDEN * N_CLASSES + N_CLASSES * N_HIDDEN + N_FEATURES * N_HIDDEN
    return 2.0 * n_train * (forward + backward)


def products_alone(n_train, dtype, repeats):
    """Seconds an epoch takes for its matrix products alone, run back to back
    on batches of 256 with nothing else in between: what an epoch would cost
    if all its other work were free."""
    rng = np.random.default_rng(0)
    batch = SETTINGS["batch_size"]
    X = rng.standard_normal((batch, N_FEATURES)).astype(dtype)
    W1 = rng.standard_normal((N_FEATURES, N_HIDDEN)).astype(dtype)
    W2 = rng.standard_normal((N_HIDDEN, N_CLASSES)).astype(dtype)
    H = np.empty((batch, N_HIDDEN), dtype)
    D2 = rng.standard_normal((batch, N_CLASSES)).astype(dtype)

    def step():
        np.matmul(X, W1, out=H)
        H @ W2
        H.T @ D2
        D2 @ W2.T
        X.T @ H

    n_batches = -(-n_train // batch)
    step()
    best = min(
        _common.seconds(lambda: [step() for _ in range(n_batches)])[0]
        for _ in range(repeats)
    )
    return best


def skgd_classifier(n_epochs):
    return AdamClassifier(
        model=MLP(hidden_layer_sizes=(N_HIDDEN,)),
        learning_rate=SETTINGS["learning_rate"],
        batch_size=SETTINGS["batch_size"],
        max_iter=n_epochs,
        alpha=0.0,
        tol=None,
        random_state=0,
    )


class NumpyOnly(AdamClassifier):
    """skgd's classifier with its compiled kernels switched off, as it runs
    without numba."""

    def fit(self, X, y):
        enabled, _kernels.ENABLED = _kernels.ENABLED, False
        try:
            return super().fit(X, y)
        finally:
            _kernels.ENABLED = enabled


def skgd_numpy_classifier(n_epochs):
    return NumpyOnly(**skgd_classifier(n_epochs).get_params(deep=False))


def sklearn_classifier(n_epochs):
    return MLPClassifier(
        hidden_layer_sizes=(N_HIDDEN,),
        activation="relu",
        solver="adam",
        learning_rate_init=SETTINGS["learning_rate"],
        batch_size=SETTINGS["batch_size"],
        max_iter=n_epochs,
        alpha=0.0,
        random_state=0,
    )


def skorch_classifier(n_epochs):
    import torch
    from skorch import NeuralNetClassifier

    torch.set_num_threads(2)
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(N_FEATURES, N_HIDDEN),
        torch.nn.ReLU(),
        torch.nn.Linear(N_HIDDEN, N_CLASSES),
    )
    return NeuralNetClassifier(
        module,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=SETTINGS["learning_rate"],
        batch_size=SETTINGS["batch_size"],
        max_epochs=n_epochs,
        train_split=None,
        iterator_train__shuffle=True,
        verbose=0,
    )


def measure_fit(make_estimator, n_epochs, data, dtype, peak, threads=None):
    """One fit: seconds per epoch, test accuracy, GFLOP/s and its share of peak.

    ``threads`` limits the BLAS threads during the fit; ``None`` leaves them.
    """
    X_train, y_train, X_test, y_test = data
    X_train, X_test = X_train.astype(dtype), X_test.astype(dtype)
    estimator = make_estimator(n_epochs)
    with threadpool_limits(threads, user_api="blas"):
        elapsed, _ = _common.seconds(lambda: estimator.fit(X_train, y_train))
    per_epoch = elapsed / n_epochs
    gflops = flops_per_epoch(len(X_train)) / per_epoch / 1e9
    return {
        "epoch": per_epoch,
        "accuracy": estimator.score(X_test, y_test),
        "gflops": gflops,
        "of_peak": gflops / peak[np.dtype(dtype).name, None],
    }


def main():
    args = _common.parse_args(__doc__.splitlines()[0], default_repeats=5)
    n_train, n_test, n_epochs = (2_000, 500, 1) if args.quick else (50_000, 10_000, 5)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    _common.describe_machine()
    print(f"skgd's compiled kernels: {'on' if _kernels.ENABLED else 'off, no numba'}")
    data = make_data(n_train, n_test)
    int_labels = tuple(part.astype(np.int64) for part in data)
    skorch_data = (data[0], int_labels[1], data[2], int_labels[3])

    peak = {}
    for dtype in ("float64", "float32"):
        for threads in (None, 1):
            with threadpool_limits(threads, user_api="blas"):
                size = 256 if args.quick else 2048
                peak[dtype, threads] = _common.gemm_peak(dtype, size=size)
            print(
                f"square GEMM peak, {dtype}, "
                f"{'1 thread' if threads else 'all threads'}: "
                f"{peak[dtype, threads]:.1f} GFLOP/s"
            )
    print()

    def fit(make_estimator, dtype, fit_data=data, threads=None):
        return lambda: measure_fit(
            make_estimator, n_epochs, fit_data, dtype, peak, threads
        )

    for dtype in ("float64", "float32"):
        for threads in (None, 1):
            with threadpool_limits(threads, user_api="blas"):
                elapsed = products_alone(n_train, dtype, args.repeats)
            gflops = flops_per_epoch(n_train) / elapsed / 1e9
            print(
                f"the products of an epoch alone, {dtype}, "
                f"{'all threads' if threads is None else '1 thread'}: "
                f"{elapsed:.4f} s, {gflops:.1f} GFLOP/s, "
                f"{100 * gflops / peak[dtype, None]:.0f} % of the all-thread peak"
            )
    print()

    contenders = {}
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        contenders["skgd", name] = fit(skgd_classifier, dtype)
        contenders[SKGD_NUMPY, name] = fit(skgd_numpy_classifier, dtype)
        contenders["sklearn", name] = fit(sklearn_classifier, dtype)
        contenders[SKLEARN_ONE_THREAD, name] = fit(sklearn_classifier, dtype, threads=1)
    contenders["skorch", "float32"] = fit(skorch_classifier, np.float32, skorch_data)

    results = _common.run_rounds(contenders, args.repeats, warm_up=not args.quick)
    _common.print_load()
    report(results, n_train, n_epochs, peak, args.repeats)


SKLEARN_ONE_THREAD = "sklearn, 1 BLAS thread"
SKGD_NUMPY = "skgd without numba"


def report(results, n_train, n_epochs, peak, repeats):
    epoch = {key: _common.median(runs, "epoch") for key, runs in results.items()}
    best = {key: _common.spread(runs, "epoch")[0] for key, runs in results.items()}
    rows = []
    for (name, dtype), runs in results.items():
        low, high = _common.spread(runs, "epoch")
        rows.append(
            [
                name,
                dtype,
                f"{epoch[name, dtype]:.3f} [{low:.3f}-{high:.3f}]",
                f"{epoch['skgd', dtype] / epoch[name, dtype]:.2f}",
                f"{best['skgd', dtype] / best[name, dtype]:.2f}",
                f"{_common.median(runs, 'accuracy'):.4f}",
                f"{_common.median(runs, 'gflops'):.1f}",
                f"{100 * _common.median(runs, 'of_peak'):.0f} %",
            ]
        )
    _common.print_table(
        f"MLP {N_FEATURES}-{N_HIDDEN}-{N_CLASSES}, Adam, batch 256, {n_train} rows, "
        f"{n_epochs} epochs, median of {repeats} rounds",
        [
            "implementation",
            "dtype",
            "s/epoch, median [range]",
            "skgd/this, medians",
            "skgd/this, best",
            "test accuracy",
            "GFLOP/s",
            "of GEMM peak",
        ],
        rows,
    )
    print(
        f"{flops_per_epoch(n_train) / 1e9:.2f} GFLOP an epoch; 'of GEMM peak' is "
        "the share of the square GEMM peak on all threads"
    )

    accuracy = {key: _common.median(runs, "accuracy") for key, runs in results.items()}
    _common.verdict(
        "skgd/sklearn s/epoch, float64",
        epoch["skgd", "float64"] / epoch["sklearn", "float64"],
        0.5,
    )
    _common.verdict(
        "skgd/sklearn s/epoch, float32",
        epoch["skgd", "float32"] / epoch["sklearn", "float32"],
        0.35,
    )
    _common.verdict(
        "skgd/skorch s/epoch, float32",
        epoch["skgd", "float32"] / epoch["skorch", "float32"],
        0.2,
    )
    for dtype in ("float64", "float32"):
        _common.verdict(
            f"accuracy points below sklearn, {dtype}",
            100 * (accuracy["sklearn", dtype] - accuracy["skgd", dtype]),
            0.5,
        )
    skgd_gflops = _common.median(results["skgd", "float32"], "gflops")
    _common.verdict(
        "float32 share of the GEMM peak",
        skgd_gflops / peak["float32", None],
        0.4,
        smaller_is_better=False,
    )
    print(
        "without numba (skgd's numpy code): skgd/sklearn s/epoch "
        + ", ".join(
            f"{dtype} {epoch[SKGD_NUMPY, dtype] / epoch['sklearn', dtype]:.2f}"
            for dtype in ("float64", "float32")
        )
    )
    print(
        "like for like, sklearn on one BLAS thread as skgd's epochs are: "
        "skgd/sklearn s/epoch "
        + ", ".join(
            f"{dtype} {epoch['skgd', dtype] / epoch[SKLEARN_ONE_THREAD, dtype]:.2f}"
            for dtype in ("float64", "float32")
        )
        + f"; float32 share of the one-thread GEMM peak "
        f"{skgd_gflops / peak['float32', 1]:.2f}"
    )


if __name__ == "__main__":
    main()

"""Memory: the peak resident memory that ``fit`` adds, as a multiple of the data.

Each measurement runs in a fresh Python process that loads the data (200,000 ×
100 float64 from ``make_regression``, 160 MB), imports everything, records its
resident memory, fits, and reports how far its peak resident memory rose above
that. Sparse CSR input is measured the same way; its extra memory is also set
against the size the same matrix would take dense, to show that it is never
densified whole.

Run ``python benchmarks/memory.py`` (about a minute) or ``--quick``.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_regression


def sklearn_sgd():
    from sklearn.linear_model import SGDRegressor

    return SGDRegressor(max_iter=2, tol=None, random_state=0)


def sklearn_mlp():
    from sklearn.neural_network import MLPRegressor

    return MLPRegressor(hidden_layer_sizes=(64,), max_iter=1, random_state=0)


def skgd_sgd(shuffle=True):
    from skgd import SGDRegressor

    return SGDRegressor(max_iter=2, tol=None, shuffle=shuffle, random_state=0)


def skgd_mlp():
    from skgd import AdamRegressor
    from skgd.models import MLP

    return AdamRegressor(model=MLP((64,)), max_iter=1, tol=None, random_state=0)


ESTIMATORS = {
    "sklearn SGDRegressor": sklearn_sgd,
    "sklearn MLPRegressor(64)": sklearn_mlp,
    "skgd SGDRegressor": skgd_sgd,
    "skgd SGDRegressor, shuffle=False": lambda: skgd_sgd(shuffle=False),
    "skgd AdamRegressor(MLP(64))": skgd_mlp,
}
#: (estimator, input) pairs measured, and those of ``--quick``.
RUNS = [(name, "dense") for name in ESTIMATORS] + [
    (name, data)
    for name in ("skgd SGDRegressor", "skgd AdamRegressor(MLP(64))")
    for data in ("sparse", "wide")
]
QUICK_RUNS = [("skgd SGDRegressor", "dense"), ("skgd AdamRegressor(MLP(64))", "wide")]


def write_data(folder, n_samples, wide_features):
    """Dense, sparse and wide sparse data sets as files in ``folder``."""
    X, y = make_regression(
        n_samples=n_samples, n_features=100, noise=10, random_state=0
    )
    y = (y - y.mean()) / y.std()
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)

    # A tenth of the entries kept: the same shape, a quarter of the bytes.
    rng = np.random.default_rng(0)
    X_sparse = sp.csr_matrix(np.where(rng.random(X.shape) < 0.1, X, 0.0))
    sp.save_npz(folder / "sparse.npz", X_sparse, compressed=False)

    # Ten entries a row among many columns: dense, it would not fit in memory.
    X_wide = sp.random(
        n_samples, wide_features, density=10 / wide_features, format="csr", rng=rng
    )
    sp.save_npz(folder / "wide.npz", X_wide, compressed=False)


def child(folder, case, data):
    """Fit one case on one data set; print JSON with the memory figures."""
    folder = Path(folder)
    y = np.load(folder / "y.npy")
    if data == "dense":
        X = np.load(folder / "X.npy")
        data_bytes = dense_bytes = X.nbytes
    else:
        X = sp.load_npz(folder / f"{data}.npz").tocsr()
        data_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
        dense_bytes = X.shape[0] * X.shape[1] * X.dtype.itemsize

    estimator = ESTIMATORS[case]()
    estimator.fit(X[:200], y[:200])  # imports and first-use allocations
    baseline = _reset_peak()
    estimator.fit(X, y)
    extra = max(0, _peak() - baseline)
    print(
        json.dumps(
            {"extra": extra, "data_bytes": data_bytes, "dense_bytes": dense_bytes}
        )
    )


def _status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return 1024 * int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak():
    """Current resident bytes, after resetting the kernel's peak to it.

    Where the peak cannot be reset, it is that of loading the data, which
    allocates nothing beyond the arrays it returns.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass
    return _status("VmRSS")


def _peak():
    return _status("VmHWM")


def measure(folder, case, data):
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), case, data],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"measuring {case} on {data} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return

    args = _common.parse_args(__doc__.splitlines()[0], default_repeats=1)
    _common.describe_machine()
    n_samples, wide_features = (20_000, 2_000) if args.quick else (200_000, 20_000)
    with tempfile.TemporaryDirectory() as folder:
        write_data(Path(folder), n_samples, wide_features)
        runs = QUICK_RUNS if args.quick else RUNS
        results = {
            run: [measure(folder, *run) for _ in range(args.repeats)] for run in runs
        }
    report(results, n_samples, wide_features)


def report(results, n_samples, wide_features):
    rows = []
    for (case, data), runs in results.items():
        extra = max(run["extra"] for run in runs)
        data_bytes, dense_bytes = runs[0]["data_bytes"], runs[0]["dense_bytes"]
        rows.append(
            [
                case,
                data,
                f"{data_bytes / 1e6:.1f}",
                f"{extra / 1e6:.1f}",
                f"{extra / data_bytes:.3f}",
                f"{extra / dense_bytes:.4f}",
            ]
        )
    _common.print_table(
        f"Extra peak resident memory of fit, {n_samples} rows (largest of the runs)",
        ["estimator", "input", "input MB", "extra MB", "x input", "x dense size"],
        rows,
    )
    print(
        "inputs: dense 100 float64 columns; sparse: the same with 90 % of entries "
        f"zeroed, CSR; wide: CSR, {wide_features} columns, 10 entries a row"
    )
    for (case, data), runs in results.items():
        if case.startswith("skgd") and data == "dense":
            extra = max(run["extra"] for run in runs) / runs[0]["data_bytes"]
            _common.verdict(f"{case} extra memory x data", extra, 0.25)
        if data != "dense":
            extra = max(run["extra"] for run in runs) / runs[0]["dense_bytes"]
            _common.verdict(f"{case} on {data} CSR, extra x dense size", extra, 0.25)


if __name__ == "__main__":
    main()

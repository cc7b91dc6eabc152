"""Streaming: the cost of one ``partial_fit`` call on a small batch.

20,000 calls, each on the next 32 rows x 20 features of a linear stream, as
float64 NumPy arrays. Peers: scikit-learn's ``SGDRegressor.partial_fit`` and
river's ``LinearRegression.learn_many`` (given pandas frames built before the
clock starts, as river takes). Every call keeps its input checks. The script
then profiles skgd's calls: how much of a call is the training step, and where
the rest goes.

Run ``python benchmarks/streaming.py`` (about a minute) or ``--quick``.
"""

import cProfile
import pstats
import warnings

import _common
import numpy as np
import pandas as pd
from sklearn.linear_model import SGDRegressor as SklearnSGDRegressor

from skgd import SGDRegressor
from skgd._engine import Trainer
from skgd.losses import SquaredError
from skgd.models import Linear
from skgd.optim import SGD
from skgd.schedules import make_schedule

BATCH_ROWS, N_FEATURES = 32, 20


def make_stream(n_calls):
    """``n_calls`` batches of (X, y), views of one array, rows in C order."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_calls * BATCH_ROWS, N_FEATURES))
    y = X @ rng.standard_normal(N_FEATURES) + 0.1 * rng.standard_normal(len(X))
    return [
        (X[start : start + BATCH_ROWS], y[start : start + BATCH_ROWS])
        for start in range(0, len(X), BATCH_ROWS)
    ]


def per_call(learn, stream):
    """Microseconds per call of ``learn(X, y)`` over the whole stream."""
    elapsed, _ = _common.seconds(lambda: [learn(X, y) for X, y in stream])
    return {"us": 1e6 * elapsed / len(stream)}


def skgd_calls(stream):
    return per_call(SGDRegressor(random_state=0).partial_fit, stream)


def sklearn_calls(stream):
    return per_call(SklearnSGDRegressor(random_state=0).partial_fit, stream)


def river_calls(frames):
    from river.linear_model import LinearRegression

    return per_call(LinearRegression().learn_many, frames)


def engine_steps(stream):
    """The training step alone: one epoch of the training loop per batch,
    with the optimizer and learning rate of ``SGDRegressor()``."""
    defaults = SGDRegressor()
    model, optimizer = Linear(), SGD(momentum=defaults.momentum)
    trainer = Trainer(model, SquaredError(), optimizer, alpha=defaults.alpha)
    schedule = make_schedule("constant", defaults.learning_rate, defaults.power_t)
    rng = np.random.default_rng(0)
    params = model.init_params(N_FEATURES, 1, rng, np.float64)
    state = trainer.init_state(params)
    batches = [(X, y[:, np.newaxis]) for X, y in stream]

    def learn(X, Y):
        trainer.epoch(params, state, schedule, X, Y, None, BATCH_ROWS, rng)

    return per_call(learn, batches)


def main():
    args = _common.parse_args(__doc__.splitlines()[0], default_repeats=5)
    warnings.filterwarnings("ignore")
    _common.describe_machine()
    stream = make_stream(500 if args.quick else 20_000)
    frames = [
        (pd.DataFrame(X, columns=[f"x{i}" for i in range(N_FEATURES)]), pd.Series(y))
        for X, y in stream
    ]

    contenders = {
        "skgd SGDRegressor.partial_fit": lambda: skgd_calls(stream),
        "sklearn SGDRegressor.partial_fit": lambda: sklearn_calls(stream),
        "river LinearRegression.learn_many": lambda: river_calls(frames),
        "skgd training step alone (no checks)": lambda: engine_steps(stream),
    }
    results = _common.run_rounds(contenders, args.repeats, warm_up=not args.quick)
    _common.print_load()
    report(results, len(stream), args.repeats)
    profile(stream[: min(len(stream), 5_000)])


def report(results, n_calls, repeats):
    times = {name: _common.median(runs, "us") for name, runs in results.items()}
    skgd = times["skgd SGDRegressor.partial_fit"]
    rows = []
    for name, runs in results.items():
        low, high = _common.spread(runs, "us")
        rows.append(
            [
                name,
                f"{times[name]:.0f} [{low:.0f}-{high:.0f}]",
                f"{skgd / times[name]:.2f}",
            ]
        )
    _common.print_table(
        f"{n_calls} calls on {BATCH_ROWS} x {N_FEATURES} float64 batches, "
        f"median of {repeats} rounds",
        ["implementation", "µs per call [range]", "skgd/this"],
        rows,
    )
    step = times["skgd training step alone (no checks)"]
    print(
        f"skgd: {step:.0f} µs of a {skgd:.0f} µs call is the training step, "
        f"{skgd - step:.0f} µs ({100 * (1 - step / skgd):.0f} %) the checks and "
        "bookkeeping around it"
    )
    _common.verdict(
        "skgd/sklearn µs per call",
        skgd / times["sklearn SGDRegressor.partial_fit"],
        0.2,
    )


def profile(stream, n_lines=25):
    """Where one skgd ``partial_fit`` call spends its time, by function."""
    estimator = SGDRegressor(random_state=0)
    profiler = cProfile.Profile()
    profiler.enable()
    for X, y in stream:
        estimator.partial_fit(X, y)
    profiler.disable()

    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(
        f"### Profile of {len(stream)} skgd partial_fit calls "
        "(cProfile, which inflates the cost of each Python call)\n"
    )
    print("| function | µs per call, with callees | share |")
    print("| --- | --- | --- |")
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    for (path, line, function), (_, _, _, cumulative, _) in ranked[:n_lines]:
        print(
            f"| `{function}` ({_short(path)}:{line}) | "
            f"{1e6 * cumulative / len(stream):.1f} | "
            f"{100 * cumulative / total:.0f} % |"
        )
    print()


def _short(path):
    """A source path from the package's root: skgd/..., sklearn/..."""
    for root in ("site-packages/", f"{_common.ROOT}/"):
        path = path.split(root, 1)[-1]
    return path


if __name__ == "__main__":
    main()

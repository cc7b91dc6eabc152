"""What every benchmark script shares: the machine, timing, tables.

The host's speed drifts between runs, so each script measures skgd and its
peers in the same process, round after round, and compares medians taken over
the same rounds.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info

# Let ``python benchmarks/<name>.py`` import skgd from this checkout even when it
# is not installed.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(description, default_repeats):
    """The command line every script takes: ``--quick`` and ``--repeats``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small data and one round: checks that the script runs",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help=f"rounds of measurements (default {default_repeats}, 1 with --quick)",
    )
    args = parser.parse_args()
    if args.repeats is None:
        args.repeats = 1 if args.quick else default_repeats
    return args


def describe_machine():
    """Print the machine's cores, processor and BLAS, as the results depend on them."""
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    print(f"cores: {os.cpu_count()}, processor: {_processor_name()}")
    print_load()
    for library in threadpool_info():
        print(
            f"{library['user_api']}: {library['internal_api']} "
            f"{library.get('version')}, kernel {library.get('architecture')}, "
            f"{library['num_threads']} threads ({Path(library['filepath']).name})"
        )
    print()


def print_load():
    """Print the load average: other processes on the machine slow every figure."""
    if hasattr(os, "getloadavg"):
        one, five, fifteen = os.getloadavg()
        print(f"load average: {one:.2f} {five:.2f} {fifteen:.2f}")


def _processor_name():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def seconds(function):
    """Wall-clock seconds of one call of ``function``, and what it returned."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def gemm_peak(dtype, size=2048, repeats=5):
    """GFLOP/s of the best of ``repeats`` square matrix products of ``size``."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(dtype)
    b = rng.standard_normal((size, size)).astype(dtype)
    out = np.empty_like(a)
    np.matmul(a, b, out=out)
    best = min(seconds(lambda: np.matmul(a, b, out=out))[0] for _ in range(repeats))
    return 2.0 * size**3 / best / 1e9


def run_rounds(contenders, repeats, warm_up=True):
    """Call every contender once per round; return each one's results.

    Parameters
    ----------
    contenders : dict of str to callable
        Each returns a dict of figures for one measurement.
    repeats : int
    warm_up : bool, default=True
        Whether to run one round first and discard it: the first seconds of a
        process run slower, as caches, thread pools and the host's scheduler
        settle.

    Returns
    -------
    dict of str to list of dict
    """
    if warm_up:
        for measure in contenders.values():
            measure()

    results = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, measure in contenders.items():
            results[name].append(measure())
    return results


def median(results, key):
    """Median of ``key`` over the rounds of one contender."""
    return statistics.median(result[key] for result in results)


def spread(results, key):
    """``[low–high]`` of ``key`` over the rounds, for the tables."""
    values = [result[key] for result in results]
    return min(values), max(values)


def print_table(title, header, rows):
    """Print a Markdown table, ready to paste into docs/performance.md."""
    print(f"### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def verdict(label, value, bound, smaller_is_better=True):
    """One line saying whether a target is met."""
    met = value <= bound if smaller_is_better else value >= bound
    relation = "<=" if smaller_is_better else ">="
    status = "met" if met else "NOT met"
    print(f"target {label}: {value:.3g} {relation} {bound:g}: {status}")
    return met

"""What an adapted model costs: seconds per epoch against the built-in MLP.

One network, ``n_features → width → n_classes`` with ReLU, written four ways:
the built-in numpy :class:`skgd.models.MLP`, a :class:`skgd.models.FunctionModel`
with a hand-written backward function, a :class:`skgd.models.JaxModel` and a
:class:`skgd.models.TorchModel`. Each is trained by ``AdamClassifier`` with the
same settings (``batch_size=256``, ``learning_rate=1e-3``) on float32 data,
the precision JAX and PyTorch use by default, one ``partial_fit`` epoch at a
time. PyTorch runs twice: with its threads as set (by default one per core)
and with one thread, as threads waiting on each other slow small modules badly
on a busy machine. The first epoch of each model is a warm-up (JAX compiles
then); the next ones are timed, taking turns between the models so that a
drift in the machine's speed hits them alike. The table gives the median time
per epoch, its ratio to the built-in MLP's, and the held-out accuracy after
all the epochs.

Run ``python benchmarks/adapters.py`` (20,000 training rows and 5,000
held-out ones, 64 features, width 256, 10 classes; about half a minute) or
``--quick`` (a small run that checks the script works).
"""

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import torch
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# Run from a checkout without installing skgd.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skgd import AdamClassifier
from skgd.models import MLP, FunctionModel, JaxModel, TorchModel


def glorot(random_state, fan_in, fan_out):
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return random_state.uniform(-bound, bound, (fan_in, fan_out))


def jax_glorot(key, fan_in, fan_out):
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return jax.random.uniform(key, (fan_in, fan_out), minval=-bound, maxval=bound)


def numpy_init(n_features, n_outputs, random_state, dtype, width):
    return {
        "coef_0": glorot(random_state, n_features, width),
        "intercept_0": np.zeros(width),
        "coef_1": glorot(random_state, width, n_outputs),
        "intercept_1": np.zeros(n_outputs),
    }


def numpy_hidden(params, X):
    return np.maximum(X @ params["coef_0"] + params["intercept_0"], 0.0)


def numpy_forward(params, X, width):
    return numpy_hidden(params, X) @ params["coef_1"] + params["intercept_1"]


def numpy_backward(params, X, grad_outputs, width):
    hidden = numpy_hidden(params, X)
    delta = (grad_outputs @ params["coef_1"].T) * (hidden > 0.0)
    return {
        "coef_0": X.T @ delta,
        "intercept_0": delta.sum(axis=0),
        "coef_1": hidden.T @ grad_outputs,
        "intercept_1": grad_outputs.sum(axis=0),
    }


def jax_init(key, n_features, n_outputs, width):
    first, second = jax.random.split(key)
    return {
        "coef_0": jax_glorot(first, n_features, width),
        "intercept_0": jnp.zeros(width),
        "coef_1": jax_glorot(second, width, n_outputs),
        "intercept_1": jnp.zeros(n_outputs),
    }


def jax_apply(params, X, width):
    hidden = jax.nn.relu(X @ params["coef_0"] + params["intercept_0"])
    return hidden @ params["coef_1"] + params["intercept_1"]


def torch_mlp(n_features, n_outputs, width):
    return torch.nn.Sequential(
        torch.nn.Linear(n_features, width),
        torch.nn.ReLU(),
        torch.nn.Linear(width, n_outputs),
    )


def make_models(width):
    """Each model, and the number of torch threads it runs with (None: as set)."""
    return {
        "built-in MLP": (MLP((width,), activation="relu"), None),
        "FunctionModel, analytic backward": (
            FunctionModel(numpy_forward, numpy_init, numpy_backward, width=width),
            None,
        ),
        "JaxModel": (JaxModel(jax_apply, jax_init, width=width), None),
        f"TorchModel, default threads ({torch.get_num_threads()})": (
            TorchModel(torch_mlp, width=width),
            None,
        ),
        "TorchModel, 1 thread": (TorchModel(torch_mlp, width=width), 1),
    }


@contextmanager
def torch_threads(n_threads):
    """Run with ``n_threads`` torch threads, or as set when it is None."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads or previous)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def make_data(n_samples, n_features, n_classes):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features // 2,
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X).astype(np.float32)
    return train_test_split(X, y, test_size=0.2, random_state=0)


def time_epochs(models, X, y, classes, rounds):
    """Median seconds per epoch of each model, and its fitted estimator."""
    estimators = {
        name: AdamClassifier(
            model=model, learning_rate=1e-3, batch_size=256, random_state=0
        )
        for name, (model, _) in models.items()
    }
    for name, estimator in estimators.items():
        with torch_threads(models[name][1]):
            estimator.partial_fit(X, y, classes=classes)  # warm-up, compiling

    seconds = {name: [] for name in estimators}
    for _ in range(rounds):
        for name, estimator in estimators.items():
            with torch_threads(models[name][1]):
                started = time.perf_counter()
                estimator.partial_fit(X, y)
                seconds[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) for name, times in seconds.items()}, (
        estimators
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small data: checks the script runs"
    )
    args = parser.parse_args()
    n_samples, width, rounds = (2_500, 32, 1) if args.quick else (25_000, 256, 5)
    n_features, n_classes = 64, 10

    X_train, X_test, y_train, y_test = make_data(n_samples, n_features, n_classes)
    models = make_models(width)
    per_epoch, estimators = time_epochs(
        models, X_train, y_train, np.arange(n_classes), rounds
    )

    print(
        f"jax {jax.__version__} on {jax.devices()[0].platform}, torch "
        f"{torch.__version__}, numpy {np.__version__}"
    )
    print(
        f"\n### Seconds per epoch: {X_train.shape[0]} rows, {n_features} → {width} "
        f"→ {n_classes}, Adam, batch 256, float32, median of {rounds}\n"
    )
    print("| model | seconds per epoch | ratio to built-in | held-out accuracy |")
    print("| --- | --- | --- | --- |")
    baseline = per_epoch["built-in MLP"]
    for name, seconds in per_epoch.items():
        accuracy = estimators[name].score(X_test, y_test)
        print(f"| {name} | {seconds:.4f} | {seconds / baseline:.2f} | {accuracy:.3f} |")


if __name__ == "__main__":
    main()

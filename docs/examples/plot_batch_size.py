"""
Choosing the batch size
=======================

``batch_size`` sets how many rows each step averages its gradient over. Small
batches give many cheap, noisy steps per epoch; large ones give few precise,
expensive ones. This example trains the same network with batch sizes from 16
to the whole training set and plots its loss against epochs and against steps.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skgd import AdamClassifier
from skgd.models import MLP

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16, y, stratify=y, random_state=0
)

# %%
# Per epoch and per step
# ----------------------
# An epoch is ``ceil(n_samples / batch_size)`` steps, so the x axis of the
# right-hand plot is the left's stretched by that factor.
fig, (per_epoch, per_step) = plt.subplots(
    1, 2, figsize=(10, 4), sharey=True, layout="constrained"
)
for batch_size in [16, 64, 256, len(X_train)]:
    classifier = AdamClassifier(
        model=MLP(hidden_layer_sizes=(32,)),
        learning_rate=0.003,
        batch_size=batch_size,
        max_iter=30,
        tol=None,
        random_state=0,
    ).fit(X_train, y_train)
    steps_per_epoch = classifier.t_ // classifier.n_iter_
    epochs = np.arange(1, classifier.n_iter_ + 1)
    label = f"batch_size={batch_size}"
    per_epoch.plot(epochs, classifier.loss_curve_, label=label)
    per_step.plot(epochs * steps_per_epoch, classifier.loss_curve_, label=label)
    print(
        f"{label}: {steps_per_epoch} steps an epoch, "
        f"test accuracy {classifier.score(X_test, y_test):.3f}"
    )
per_epoch.set_xlabel("epoch")
per_epoch.set_ylabel("training loss")
per_epoch.set_yscale("log")
per_epoch.legend()
per_step.set_xlabel("optimizer steps")
per_step.set_xscale("log")

# %%
# Reading the plots
# -----------------
# Per epoch, that is for the same amount of arithmetic, small batches win:
# they take many more steps. Per step, large batches win: each step follows
# a more accurate gradient. Which is faster on the clock lies in between:
# a numpy step costs a fixed overhead plus time proportional to the batch,
# so batches of a few dozen to a few hundred rows are usually best, and the
# default ``"auto"`` takes 200. The whole training set as one batch is plain
# gradient descent, which makes little progress in 30 steps.

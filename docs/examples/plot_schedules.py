"""
Learning-rate schedules
=======================

With a constant learning rate, minibatch SGD does not settle at the minimum:
the noise of the minibatch gradients keeps it moving around, in a region
whose size grows with η. A schedule that lowers η as training goes on lets
it settle. This example plots the learning rate each schedule gives and what
it does to the training loss of a linear regression on noisy data.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_regression
from sklearn.linear_model import LinearRegression

from skgd import SGDRegressor
from skgd.plotting import LossCurveDisplay
from skgd.schedules import (
    Cosine,
    Exponential,
    Plateau,
    StepDecay,
    Warmup,
    make_schedule,
)

X, y = make_regression(n_samples=2000, n_features=20, noise=20.0, random_state=0)
y = y / y.std()

# %%
# The lowest loss there is
# ------------------------
# The model is linear and the loss half the mean squared error, so the best
# loss is that of least squares. The plots below show how far above it each
# run ends. The penalty is switched off (``alpha=0``) so that the two
# minimise the same objective.
residuals = y - LinearRegression().fit(X, y).predict(X)
lowest_loss = 0.5 * np.mean(residuals**2)

# %%
# The schedules
# -------------
# ``schedule="invscaling"`` divides η by :math:`(t + 1)^{p}` after ``t``
# steps. :class:`~skgd.schedules.StepDecay` multiplies it by ``gamma`` every
# ``step_size`` epochs, :class:`~skgd.schedules.Exponential` by ``gamma`` over
# each epoch, smoothly. :class:`~skgd.schedules.Cosine` lowers it along half a
# cosine to zero at the end of the last epoch, or of each ``period`` of epochs
# when it restarts; here one cosine follows a linear warm-up over the first 100
# steps (:class:`~skgd.schedules.Warmup`). :class:`~skgd.schedules.Plateau`
# lowers η only when training stalls, so it has no curve of its own here: see
# its run below. An epoch is 125 steps: 2000 rows in minibatches of 16.
max_iter, steps_per_epoch = 30, 2000 // 16
total_steps = max_iter * steps_per_epoch
learning_rate = 0.01
schedules = {
    "constant": "constant",
    "invscaling, power_t=0.25": "invscaling",
    "step, every 10 epochs by 0.3": StepDecay(step_size=10, gamma=0.3),
    "exponential, 0.85 an epoch": Exponential(gamma=0.85),
    "cosine, restarts every 10 epochs": Cosine(period=10),
    "warm-up, then cosine": Warmup(Cosine(), steps=100),
}

steps = np.arange(total_steps)
fig, ax = plt.subplots(layout="constrained")
for name, schedule in schedules.items():
    rates = make_schedule(
        schedule,
        learning_rate,
        0.25,
        steps_per_epoch=steps_per_epoch,
        max_iter=max_iter,
    )
    ax.plot(steps, [rates(t) for t in steps], label=name)
ax.set_xlabel("step t")
ax.set_ylabel("learning rate")
ax.set_yscale("log")
ax.set_ylim(bottom=1e-5)
ax.legend()
ax.set_title("η at each step")

# %%
# What they do to training
# ------------------------
# With the constant learning rate, the loss stops falling after a few epochs
# and stays at the level its noise allows. The decaying schedules go on
# lowering it, the cosine furthest, as its η reaches zero at the end of
# training. The plateau schedule divides η by 10 whenever the loss has not
# improved by ``tol`` for ``n_iter_no_change`` epochs, and stops once η has
# fallen 1000-fold. A :class:`~skgd.plotting.LossCurveDisplay` built from
# numbers draws the distance to the lowest loss.
runs = {**schedules, "plateau": Plateau(factor=0.1, min_factor=1e-3)}
fig, ax = plt.subplots(layout="constrained")
for name, schedule in runs.items():
    regressor = SGDRegressor(
        learning_rate=learning_rate,
        schedule=schedule,
        power_t=0.25,
        batch_size=16,
        max_iter=max_iter,
        tol=None if name != "plateau" else 1e-3,
        n_iter_no_change=3,
        alpha=0.0,
        random_state=0,
    ).fit(X, y)
    excess = np.array(regressor.loss_curve_) - lowest_loss
    LossCurveDisplay(loss_curve=excess, estimator_name=name).plot(ax=ax)
    epochs = regressor.n_iter_
    print(f"{name}: {excess[-1]:.1e} above the lowest loss after {epochs} epochs")
ax.set_yscale("log")
ax.set_ylabel("training loss - lowest loss")
ax.set_title("Distance to the lowest loss")

"""
Choosing the learning rate
==========================

The learning rate η is the one setting that matters most. Here the same linear
model is trained on the diabetes data, inputs and targets standardised, with
learning rates a factor of ten apart, by SGD with momentum and by Adam.
"""

# %%
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import StandardScaler

from skgd import AdamRegressor, SGDRegressor
from skgd.plotting import LossCurveDisplay

X, y = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
y = (y - y.mean()) / y.std()

# %%
# One run for each learning rate
# ------------------------------
# ``tol=None`` switches the stopping rule off, so every run takes all 50
# epochs of minibatches of 32 rows. SGD's largest learning rate diverges: the
# loss grows until ``fit`` stops and warns that ``learning_rate`` is too large.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True, layout="constrained")
learning_rates = {
    SGDRegressor: [1e-4, 1e-3, 1e-2, 1e-1, 0.5],
    AdamRegressor: [1e-4, 1e-3, 1e-2, 1e-1, 1.0],
}
for ax, (Regressor, rates) in zip(axes, learning_rates.items(), strict=True):
    for learning_rate in rates:
        regressor = Regressor(
            learning_rate=learning_rate,
            batch_size=32,
            max_iter=50,
            tol=None,
            random_state=0,
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            regressor.fit(X, y)
        for warning in caught:
            print(f"{Regressor.__name__}, learning_rate={learning_rate}:")
            print(f"    {warning.message}")
        LossCurveDisplay.from_estimator(regressor, ax=ax, name=f"η = {learning_rate:g}")
    ax.set_yscale("log")
    ax.set_ylim(0.2, 5)
    ax.set_title(Regressor.__name__)

# %%
# Reading the curves
# ------------------
# Too small a learning rate (1e-4) leaves the loss falling slowly after 50
# epochs: it needs many more. A good one (1e-3 to 1e-2 here) reaches the
# bottom within a few epochs and stays there. Too large a one makes the loss
# jump around above the bottom (Adam at 1, SGD at 0.1: each step overshoots)
# or grow without bound (SGD at 0.5).
#
# The two optimizers' good ranges coincide here only because the data were
# standardised. SGD's step is proportional to the gradient, so its good range
# moves with the scale of the inputs and targets; Adam's step is about η
# whatever that scale, which is why its default of 0.01 is a safe start.

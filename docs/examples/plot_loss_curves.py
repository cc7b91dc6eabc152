"""
Reading a loss curve
====================

Every estimator records the mean training objective of each epoch in
``loss_curve_``, and with ``early_stopping=True`` the score on held-out data in
``validation_scores_``. :class:`~skgd.plotting.LossCurveDisplay` draws both, in
the style of scikit-learn's displays: the loss against the epochs, the
validation score on a second axis.
"""

# %%
# The digits data, pixels scaled to [0, 1]
# ----------------------------------------
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skgd import AdamClassifier, SGDClassifier
from skgd.models import MLP
from skgd.plotting import LossCurveDisplay

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16, y, stratify=y, random_state=0
)

# %%
# Two optimizers on one axes
# --------------------------
# Displays that share an ``ax`` draw on it side by side; ``tol=None`` makes
# both run all of their ``max_iter`` epochs. On a log scale, a
# curve that keeps falling in a straight line is still making steady progress;
# one that flattens has converged, or needs a smaller learning rate to go
# further.
fig, ax = plt.subplots(layout="constrained")
for classifier in [
    SGDClassifier(learning_rate=0.1, max_iter=60, tol=None, random_state=0),
    AdamClassifier(learning_rate=0.01, max_iter=60, tol=None, random_state=0),
]:
    classifier.fit(X_train, y_train)
    LossCurveDisplay.from_estimator(classifier, ax=ax)
    print(f"{type(classifier).__name__}: {classifier.n_iter_} epochs, ", end="")
    print(f"test accuracy {classifier.score(X_test, y_test):.3f}")
ax.set_yscale("log")
ax.set_title("Linear classifiers on the digits")

# %%
# Early stopping and the validation score
# ---------------------------------------
# With ``early_stopping=True`` the estimator holds out ``validation_fraction``
# of the training data and scores the model on it after every epoch. The
# training loss keeps falling while the network fits its training data ever
# more closely; the validation score is what says when that stops paying off.
# Training ends once the score has not improved for ``n_iter_no_change``
# epochs, and the model keeps the parameters of its best epoch, marked here.
network = AdamClassifier(
    model=MLP(hidden_layer_sizes=(64,)),
    learning_rate=0.01,
    early_stopping=True,
    random_state=0,
).fit(X_train, y_train)

display = LossCurveDisplay.from_estimator(network, name="MLP(64,)")
best_epoch = network.validation_scores_.index(network.best_validation_score_) + 1
display.ax_.axvline(best_epoch, color="grey", linestyle=":")
display.ax_.legend(
    handles=[display.line_, display.validation_line_], loc="center right"
)
display.ax_.set_title(f"Best validation score at epoch {best_epoch}")
print(f"stopped after {network.n_iter_} epochs, kept epoch {best_epoch}: ", end="")
print(f"test accuracy {network.score(X_test, y_test):.3f}")

"""
Learning from a stream with ``partial_fit``
===========================================

When data arrive in chunks, or do not fit in memory, ``partial_fit`` trains
on one chunk at a time. Here the digits arrive in chunks of 100 images, and
the accuracy on a held-out set is measured after every chunk, over five
passes through the stream.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skgd import SGDClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16, y, stratify=y, random_state=0
)
classes = np.unique(y)

# %%
# The stream
# ----------
# Each ``partial_fit`` call takes one step per ``batch_size`` rows of its
# chunk. The first call must name every class, since the first chunk need not
# contain them all.
streaming = SGDClassifier(learning_rate=0.1, batch_size=20, random_state=0)
chunk_starts = range(0, len(X_train), 100)
accuracy = []
for _ in range(5):
    for start in chunk_starts:
        chunk = slice(start, start + 100)
        streaming.partial_fit(X_train[chunk], y_train[chunk], classes=classes)
        accuracy.append(streaming.score(X_test, y_test))

# %%
# Compared with ``fit`` on all of the data
# -----------------------------------------
# ``fit`` for five epochs on the whole training set, with the same learning
# rate and batch size, takes as many steps and reaches a similar accuracy:
# the stream saw the same rows, one chunk at a time. Only the order differs,
# since ``fit`` shuffles all the rows each epoch and ``partial_fit`` only the
# rows of each chunk.
full = SGDClassifier(
    learning_rate=0.1, batch_size=20, max_iter=5, tol=None, random_state=0
)
full.fit(X_train, y_train)

fig, ax = plt.subplots(layout="constrained")
ax.plot(np.arange(1, len(accuracy) + 1), accuracy, label="partial_fit, chunk by chunk")
ax.axhline(
    full.score(X_test, y_test), color="grey", linestyle="--", label="fit, 5 epochs"
)
for passes in range(1, 5):
    ax.axvline(passes * len(chunk_starts) + 0.5, color="lightgrey")
ax.set_xlabel("chunks of 100 rows seen")
ax.set_ylabel("held-out accuracy")
ax.set_ylim(0.8, 1.0)
ax.legend(loc="lower right")
print(f"after {streaming.n_iter_} chunks: {accuracy[-1]:.3f}; ", end="")
print(f"fit: {full.score(X_test, y_test):.3f} after {full.n_iter_} epochs")

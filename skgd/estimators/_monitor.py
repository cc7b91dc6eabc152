"""When to stop: the stopping rule of ``fit``."""

import numpy as np


class Monitor:
    """Decides when training has stalled, and remembers the best epoch.

    Without validation data, an epoch improves when the training loss drops by
    more than ``tol`` below the best so far; with it, when the validation score
    rises by more than ``tol`` above the best so far, whose parameters are
    kept. Training has stalled after ``n_iter_no_change`` epochs in a row
    without improvement; ``tol=None`` never stalls.

    Examples
    --------
    >>> monitor = Monitor(tol=0.1, n_iter_no_change=2, on_validation=False)
    >>> [monitor.update(loss, None, {}) for loss in [1.0, 0.5, 0.45, 0.42]]
    [False, False, False, True]
    """

    def __init__(self, tol, n_iter_no_change, on_validation):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.on_validation = on_validation
        self.best_loss = np.inf
        self.best_score = -np.inf
        self.best_params = None
        self.count = 0

    def update(self, loss, score, params):
        """Record one epoch; return whether training has stalled."""
        tol = 0.0 if self.tol is None else self.tol
        if self.on_validation:
            improved = score > self.best_score + tol
            if score > self.best_score:
                self.best_score = score
                self.best_params = {name: p.copy() for name, p in params.items()}
        else:
            improved = loss < self.best_loss - tol
            self.best_loss = min(self.best_loss, loss)

        self.count = 0 if improved else self.count + 1
        return self.tol is not None and self.count >= self.n_iter_no_change

    def reset_count(self):
        """Start counting epochs without improvement afresh."""
        self.count = 0

"""Snapshots of an estimator's fitted state, so a failed call can be undone.

A snapshot holds the estimator's attributes and copies of everything that
training changes in place: the parameters, the optimizer's state and the random
generator's state; of the loss curve and the validation scores, to which
training only appends, it keeps the lengths. Restoring it puts the estimator back
exactly as it was, bit for bit.
"""

import numpy as np


def _copy_tree(value):
    """Copy nested dicts of arrays and numbers, such as an optimizer's state.

    Numbers and other leaves are immutable and shared, not copied.
    """
    if type(value) is dict:
        return {key: _copy_tree(item) for key, item in value.items()}
    if type(value) is np.ndarray:
        return value.copy()
    return value


def take(estimator):
    """A snapshot of ``estimator``'s attributes, safe from later training."""
    saved = dict(vars(estimator))
    for name in ("params_", "_optimizer_state"):
        if name in saved:
            saved[name] = _copy_tree(saved[name])
    # Training only appends to these lists: their lengths are enough to undo
    # it, where copying them would make each call of a long stream of
    # partial_fit calls slower than the one before.
    saved["_list_lengths"] = {
        name: len(saved[name])
        for name in ("loss_curve_", "validation_scores_")
        if saved.get(name) is not None
    }
    if "_rng" in saved:
        saved["_rng_state"] = saved["_rng"].bit_generator.state
    return saved


def restore(estimator, saved):
    """Put ``estimator`` back to the snapshot ``saved``."""
    attributes = dict(saved)
    for name, length in attributes.pop("_list_lengths").items():
        del attributes[name][length:]
    rng_state = attributes.pop("_rng_state", None)
    if rng_state is not None:
        attributes["_rng"].bit_generator.state = rng_state

    vars(estimator).clear()
    vars(estimator).update(attributes)

"""Parameters packed into one flat array, and the training steps over them."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from skgd import AdamClassifier, GDRegressor, SGDRegressor
from skgd._engine import Trainer
from skgd._packing import PACKED, FlatParameters
from skgd.losses import LogLoss, SquaredError
from skgd.models import MLP, Linear
from skgd.optim import SGD, Adam


def make_params():
    rng = np.random.default_rng(0)
    return {
        "coef": rng.normal(size=(3, 2)),
        "intercept": rng.normal(size=2),
        "scale": np.array(1.5),
    }


def test_flat_parameters_copy_values_into_views_of_one_array():
    params = make_params()
    packed = FlatParameters(params)

    assert packed.flat.shape == (9,)
    for name, value in params.items():
        assert_array_equal(packed.views[name], value)
        assert packed.views[name].base is packed.flat
    packed.views["intercept"][1] = 7.0
    assert packed.flat[7] == 7.0
    assert params["intercept"][1] != 7.0


def test_of_recognises_packed_views_and_nothing_else():
    params = make_params()
    views = FlatParameters(params).views

    assert FlatParameters.of(views).flat is views["coef"].base
    assert FlatParameters.of(params) is None
    reordered = {name: views[name] for name in ("intercept", "coef", "scale")}
    assert FlatParameters.of(reordered) is None
    assert FlatParameters.of({"coef": views["coef"]}) is None
    assert FlatParameters.of({**views, "coef": views["coef"][:, ::-1]}) is None
    assert FlatParameters.of({}) is None
    assert FlatParameters.of({"w": np.frombuffer(bytes(16))}) is None


def test_zeros_like_and_is_shaped_like():
    params = make_params()
    zeros = FlatParameters.zeros_like(params)

    assert not zeros.flat.any()
    assert zeros.is_shaped_like(params)
    assert not zeros.is_shaped_like({**params, "scale": np.ones(2)})
    assert not zeros.is_shaped_like({**params, "coef": params["coef"].astype("f4")})
    assert not zeros.is_shaped_like(dict(reversed(params.items())))


class PerParameterAdam(Adam):
    """Adam, declared not elementwise: the trainer then leaves the parameters
    as they are and hands the optimizer one array per parameter."""

    elementwise = False


def train(optimizer, n_epochs=3):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5))
    Y = np.eye(3)[rng.integers(0, 3, 64)]
    model = MLP((8, 4))
    params = model.init_params(5, 3, np.random.default_rng(1), np.float64)
    trainer = Trainer(model, LogLoss(), optimizer, alpha=0.01, clip_norm=1.0)
    state = trainer.init_state(params)
    for _ in range(n_epochs):
        trainer.epoch(
            params, state, lambda step: 0.01, X, Y, None, 16, np.random.default_rng(2)
        )
    return params, state


def test_packed_steps_equal_steps_parameter_by_parameter():
    packed_params, packed_state = train(Adam())
    params, state = train(PerParameterAdam())

    assert FlatParameters.of(packed_params) is not None
    assert FlatParameters.of(params) is None
    assert list(packed_state["mean"]) == [PACKED]
    assert list(state["mean"]) == list(params)
    for name in params:
        assert_array_equal(packed_params[name], params[name])


def test_a_subclass_backward_replaces_the_built_in_gradient():
    class DoubledGradient(Linear):
        def backward(self, params, cache, grad_outputs):
            grads = super().backward(params, cache, grad_outputs)
            return {name: 2.0 * grad for name, grad in grads.items()}

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(10, 3)), rng.normal(size=(10, 1))
    steps = {}
    for model in (Linear(), DoubledGradient()):
        params = model.init_params(3, 1, rng, np.float64)
        trainer = Trainer(model, SquaredError(), SGD())
        trainer.step(params, trainer.init_state(params), X, Y, None, 0.1)
        steps[type(model).__name__] = params["coef"].copy()

    assert_array_equal(steps["DoubledGradient"], 2.0 * steps["Linear"])


def test_backward_into_names_missing_gradients():
    class Forgetful(Linear):
        def backward(self, params, cache, grad_outputs):
            return {"coef": super().backward(params, cache, grad_outputs)["coef"]}

    model = Forgetful()
    params = model.init_params(3, 1, np.random.default_rng(0), np.float64)
    outputs, cache = model.forward(params, np.ones((2, 3)))
    grads = {name: np.empty_like(value) for name, value in params.items()}

    with pytest.raises(ValueError, match=r"gradients for \['coef'\], but the para"):
        model.backward_into(params, cache, np.ones_like(outputs), grads)


def test_an_unpickled_estimator_repacks_and_continues_as_the_original():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 4)), rng.integers(0, 3, 200)
    estimator = AdamClassifier(model=MLP((6,)), max_iter=2, tol=None, random_state=0)
    estimator.fit(X, y)
    copy = pickle.loads(pickle.dumps(estimator))

    assert FlatParameters.of(copy.params_) is None
    estimator.partial_fit(X, y)
    copy.partial_fit(X, y)

    assert FlatParameters.of(copy.params_) is not None
    for name in estimator.params_:
        assert_array_equal(copy.params_[name], estimator.params_[name])


def test_an_optimizer_that_is_not_elementwise_trains_parameter_by_parameter():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X @ [1.0, -2.0, 0.5]
    regressor = GDRegressor(optimizer=PerParameterAdam(), max_iter=5, tol=None)
    regressor.fit(X, y)

    assert set(regressor._optimizer_state["mean"]) == {"coef", "intercept"}
    assert FlatParameters.of(regressor.params_) is None


def test_partial_fit_after_set_params_trains_with_the_new_settings():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ [1.0, -2.0, 0.5] + 1.0
    kept = SGDRegressor(alpha=0.0, shuffle=False).partial_fit(X, y)
    rebuilt = pickle.loads(pickle.dumps(kept))  # starts from a new trainer

    for regressor in (kept, rebuilt):
        regressor.set_params(alpha=10.0, clip_norm=0.1)
        regressor.partial_fit(X, y)

    assert_array_equal(kept.coef_, rebuilt.coef_)
    assert_array_equal(kept.intercept_, rebuilt.intercept_)


def test_a_pickle_leaves_out_the_buffers_of_the_last_call():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 3)), rng.normal(size=64)
    regressor = SGDRegressor().partial_fit(X, y)

    assert "_last_trainer" in vars(regressor)
    assert "_last_trainer" not in regressor.__getstate__()
    assert "_last_trainer" in vars(regressor)

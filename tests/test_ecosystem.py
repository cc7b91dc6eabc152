"""skgd inside scikit-learn's machinery: callbacks, metadata routing, pandas."""

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.callback import ProgressBar, ScoringMonitor
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skgd import AdamClassifier, AdamRegressor, SGDRegressor
from skgd.models import MLP

RNG = np.random.default_rng(0)
X = RNG.normal(loc=3.0, scale=2.0, size=(120, 4))
Y = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * RNG.normal(size=120)
X_VAL = RNG.normal(loc=3.0, scale=2.0, size=(40, 4))
Y_VAL = X_VAL @ np.array([1.0, -2.0, 0.5, 0.0])


class StopAfter:
    """A callback that records the epochs it sees and stops after ``n``."""

    def __init__(self, n):
        self.n = n
        self.ended = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if context.task_name == "epoch":
            self.ended.append(fitted_estimator.predict(X[:2]))
            return len(self.ended) >= self.n
        return False


def test_scoring_monitor_records_the_score_after_each_epoch():
    settings = {"batch_size": 30, "tol": None, "random_state": 0}
    monitor = ScoringMonitor(scoring="r2")

    AdamRegressor(max_iter=3, **settings).set_callbacks(monitor).fit(X, Y)

    rows = monitor.get_logs().data
    assert [row["task_name"] for row in rows] == ["epoch"] * 3
    for epochs, row in enumerate(rows, start=1):
        after = AdamRegressor(max_iter=epochs, **settings).fit(X, Y)
        assert row["r2"] == pytest.approx(r2_score(Y, after.predict(X)), rel=1e-12)


def test_callbacks_see_every_epoch_through_grid_search_and_pipeline():
    monitor = ScoringMonitor(scoring="r2")
    regressor = AdamRegressor(max_iter=3, tol=None).set_callbacks(monitor)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), regressor),
        {"adamregressor__learning_rate": [0.01, 0.1]},
        cv=2,
    )

    search.fit(X, Y)

    rows = monitor.get_logs().data
    # 2 candidates x 2 folds, then the refit: 5 fits of 3 epochs.
    assert len(rows) == 15
    assert {row["task_name"] for row in rows} == {"epoch"}
    assert len({row["parent_task_id_path"] for row in rows}) == 5


def test_progress_bar_shows_a_bare_fit_and_the_fits_of_a_grid_search(capsys):
    AdamRegressor(max_iter=3, tol=None).set_callbacks(ProgressBar()).fit(X, Y)
    bare = capsys.readouterr().out

    search = GridSearchCV(AdamRegressor(max_iter=3, tol=None), {"alpha": [0, 1]}, cv=2)
    search.set_callbacks(ProgressBar(max_propagation_depth=None)).fit(X, Y)
    nested = capsys.readouterr().out

    assert "AdamRegressor - fit" in bare and "100%" in bare
    assert nested.count("AdamRegressor - fit") == 5


def test_a_callback_can_stop_training_after_an_epoch():
    callback = StopAfter(2)
    regressor = SGDRegressor(max_iter=50, tol=None, random_state=0)

    regressor.set_callbacks(callback).fit(X, Y)

    assert regressor.n_iter_ == 2
    np.testing.assert_array_equal(callback.ended[-1], regressor.predict(X[:2]))
    assert not np.array_equal(callback.ended[0], callback.ended[1])


@pytest.mark.parametrize("Estimator", [AdamRegressor, AdamClassifier])
def test_given_validation_data_monitors_and_keeps_the_best_epoch(Estimator):
    y, y_val = (Y, Y_VAL) if Estimator is AdamRegressor else (Y > 0, Y_VAL > 0)
    settings = {"model": MLP((8,)), "batch_size": 16, "random_state": 0}

    estimator = Estimator(n_iter_no_change=3, max_iter=100, **settings)
    estimator.fit(X, y, X_val=X_VAL, y_val=y_val)

    scores = estimator.validation_scores_
    assert len(scores) == estimator.n_iter_
    assert estimator.best_validation_score_ == max(scores)
    assert estimator.score(X_VAL, y_val) == pytest.approx(max(scores), rel=1e-12)


def test_validation_data_is_checked():
    regressor = AdamRegressor()

    with pytest.raises(ValueError, match="X_val and y_val must be given together"):
        regressor.fit(X, Y, X_val=X_VAL)
    with pytest.raises(ValueError, match="X has 3 features, but AdamRegressor"):
        regressor.fit(X, Y, X_val=X_VAL[:, :3], y_val=Y_VAL)
    with pytest.raises(ValueError, match=r"y_val holds labels \[7\]"):
        AdamClassifier().fit(X, Y > 0, X_val=X_VAL[:2], y_val=[True, 7])
    with pytest.raises(ValueError, match="y_val has 2 target"):
        regressor.fit(X, Y, X_val=X_VAL, y_val=np.c_[Y_VAL, Y_VAL])
    assert not hasattr(regressor, "n_features_in_")


def test_validation_data_is_routed_and_transformed_inside_a_pipeline():
    with config_context(enable_metadata_routing=True):
        regressor = AdamRegressor(batch_size=16, n_iter_no_change=3, random_state=0)
        regressor.set_fit_request(X_val=True, y_val=True)
        pipeline = Pipeline(
            [("scale", StandardScaler()), ("regressor", regressor)],
            transform_input=["X_val"],
        )

        pipeline.fit(X, Y, X_val=X_VAL, y_val=Y_VAL)

    fitted = pipeline.named_steps["regressor"]
    scaled = pipeline.named_steps["scale"].transform(X_VAL)
    assert fitted.best_validation_score_ == pytest.approx(
        fitted.score(scaled, Y_VAL), rel=1e-12
    )
    assert fitted.best_validation_score_ > 0.99


def test_sample_weight_is_routed_through_grid_search_and_pipeline():
    # Full-batch training: zero weights are the same as leaving the rows out.
    weights = np.where(np.arange(120) % 3 == 0, 0.0, 1.0)
    grid = {"sgdregressor__learning_rate": [0.001, 0.01]}

    with config_context(enable_metadata_routing=True):
        regressor = SGDRegressor(batch_size=200, max_iter=20, tol=None)
        regressor.set_fit_request(sample_weight=True)
        regressor.set_score_request(sample_weight=True)
        scaler = StandardScaler().set_fit_request(sample_weight=True)
        pipeline = make_pipeline(scaler, regressor)
        search = GridSearchCV(pipeline, grid, cv=KFold(3))
        search.fit(X, Y, sample_weight=weights)

    kept = weights > 0
    best = search.best_params_["sgdregressor__learning_rate"]
    reference = make_pipeline(
        StandardScaler(),
        SGDRegressor(learning_rate=best, batch_size=200, max_iter=20, tol=None),
    ).fit(X[kept], Y[kept])
    np.testing.assert_allclose(
        search.best_estimator_.predict(X), reference.predict(X), rtol=1e-10
    )


def test_data_frames_record_and_check_feature_names():
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    regressor = SGDRegressor(max_iter=3, tol=None).fit(frame, Y)
    params = {name: value.copy() for name, value in regressor.params_.items()}

    assert list(regressor.feature_names_in_) == ["a", "b", "c", "d"]
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        np.testing.assert_allclose(regressor.predict(frame), regressor.predict(X))
    renamed = frame.rename(columns={"d": "e"})
    with pytest.raises(ValueError, match="The feature names should match"):
        regressor.predict(renamed)
    with pytest.raises(ValueError, match="The feature names should match"):
        regressor.partial_fit(renamed, Y)
    for name, value in params.items():
        np.testing.assert_array_equal(regressor.params_[name], value)

    regressor.partial_fit(frame, pd.Series(Y))
    assert regressor.n_iter_ == 4


def test_a_warm_start_keeps_one_validation_score_per_epoch():
    regressor = AdamRegressor(max_iter=4, tol=None, warm_start=True, random_state=0)

    regressor.fit(X, Y, X_val=X_VAL, y_val=Y_VAL)
    regressor.fit(X, Y, X_val=X_VAL, y_val=Y_VAL)

    assert len(regressor.validation_scores_) == len(regressor.loss_curve_) == 8

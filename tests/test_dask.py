"""Beyond one machine: Dask-ML's Incremental streams the blocks of a dask array
through partial_fit, and joblib's dask backend spreads a grid search over a
dask.distributed cluster. Both run on a real local cluster: a scheduler and two
single-threaded workers that talk to it and to the client over TCP on 127.0.0.1.
"""

import dask.array as da
import joblib
import numpy as np
import pytest
from dask.distributed import Client, LocalCluster, get_task_stream
from dask_ml.wrappers import Incremental
from sklearn.datasets import make_classification, make_regression
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV

from skgd import AdamClassifier, SGDClassifier, SGDRegressor

N_BLOCKS = 4
BLOCK_ROWS = 250


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(
        n_samples=N_BLOCKS * BLOCK_ROWS, n_features=5, noise=1.0, random_state=0
    )
    return X, y / y.std()


def by_hand(estimator, X, y, passes=1, **partial_fit_kwargs):
    """``estimator`` after ``partial_fit`` on each block of rows, in order."""
    for _ in range(passes):
        for start in range(0, len(X), BLOCK_ROWS):
            block = slice(start, start + BLOCK_ROWS)
            estimator.partial_fit(X[block], y[block], **partial_fit_kwargs)
    return estimator


def test_incremental_streams_blocks_from_disk_like_partial_fit(
    client, regression_data, tmp_path
):
    X, y = regression_data
    np.save(tmp_path / "X.npy", X)
    X_on_disk = np.load(tmp_path / "X.npy", mmap_mode="r")
    X_dask = da.from_array(X_on_disk, chunks=(BLOCK_ROWS, X.shape[1]))
    y_dask = da.from_array(y, chunks=BLOCK_ROWS)
    assert X_dask.numblocks == (N_BLOCKS, 1)

    def make_regressor():
        return SGDRegressor(learning_rate=0.01, batch_size=50, random_state=0)

    incremental = Incremental(make_regressor(), shuffle_blocks=False)
    incremental.fit(X_dask, y_dask)
    expected = by_hand(make_regressor(), X, y)

    streamed = incremental.estimator_
    assert (streamed.n_iter_, streamed.t_) == (N_BLOCKS, N_BLOCKS * 5)
    np.testing.assert_allclose(streamed.coef_, expected.coef_, rtol=1e-12)
    np.testing.assert_allclose(streamed.intercept_, expected.intercept_, rtol=1e-12)
    np.testing.assert_allclose(streamed.loss_curve_, expected.loss_curve_, rtol=1e-12)

    incremental.partial_fit(X_dask, y_dask)
    expected = by_hand(make_regressor(), X, y, passes=2)

    assert incremental.estimator_.n_iter_ == 2 * N_BLOCKS
    np.testing.assert_allclose(incremental.estimator_.coef_, expected.coef_, rtol=1e-12)
    predictions = incremental.predict(X_dask)
    assert isinstance(predictions, da.Array)
    np.testing.assert_allclose(predictions.compute(), expected.predict(X), rtol=1e-12)
    assert r2_score(y, predictions.compute()) > 0.95


def test_incremental_classifier_takes_classes_through_fit(client):
    X, y = make_classification(
        n_samples=N_BLOCKS * BLOCK_ROWS, n_features=8, random_state=0
    )
    X_dask = da.from_array(X, chunks=(BLOCK_ROWS, X.shape[1]))
    y_dask = da.from_array(y, chunks=BLOCK_ROWS)

    def make_classifier():
        return SGDClassifier(learning_rate=0.01, batch_size=50, random_state=0)

    incremental = Incremental(make_classifier(), shuffle_blocks=False)
    incremental.fit(X_dask, y_dask, classes=[0, 1])
    expected = by_hand(make_classifier(), X, y, classes=[0, 1])

    np.testing.assert_allclose(incremental.estimator_.coef_, expected.coef_, rtol=1e-12)
    np.testing.assert_array_equal(incremental.estimator_.classes_, [0, 1])
    assert incremental.score(X_dask, y_dask) == pytest.approx(expected.score(X, y))
    assert expected.score(X, y) > 0.9

    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        Incremental(make_classifier(), shuffle_blocks=False).fit(X_dask, y_dask)


def test_grid_search_over_learning_rate_runs_on_the_cluster(client):
    X, y = make_classification(n_samples=300, n_features=8, random_state=0)
    search = GridSearchCV(
        AdamClassifier(max_iter=20, tol=None, random_state=0),
        {"learning_rate": [1e-5, 1e-3, 1e-1]},
        cv=3,
    )
    serial = search.fit(X, y).cv_results_["mean_test_score"]

    with get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
        search.fit(X, y)

    workers = set(client.scheduler_info()["workers"])
    used = {task["worker"] for task in tasks.data}
    assert used and used <= workers
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], serial)
    assert search.best_params_ == {"learning_rate": 1e-1}
    assert serial[0] < serial[2]

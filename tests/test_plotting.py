"""LossCurveDisplay draws what the estimator recorded, and the demo saves it."""

import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgd import AdamClassifier, SGDRegressor
from skgd.__main__ import main
from skgd.plotting import LossCurveDisplay

matplotlib.use("Agg")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(n_samples=200, n_features=4, noise=1.0, random_state=0)
    return X, y / y.std()


@pytest.fixture(scope="module")
def regressor(regression_data):
    return SGDRegressor(learning_rate=0.01, max_iter=12, tol=None, random_state=0).fit(
        *regression_data
    )


@pytest.fixture(scope="module")
def early_stopped():
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)
    return AdamClassifier(early_stopping=True, n_iter_no_change=3, random_state=0).fit(
        X, y
    )


def new_axes():
    return Figure().subplots()


def test_loss_curve_is_drawn_against_epochs(regressor):
    ax = new_axes()

    display = LossCurveDisplay.from_estimator(regressor, ax=ax)

    assert regressor.n_iter_ == 12
    np.testing.assert_array_equal(display.line_.get_xdata(), np.arange(1, 13))
    np.testing.assert_array_equal(display.line_.get_ydata(), regressor.loss_curve_)
    assert display.ax_ is ax
    assert display.figure_ is ax.figure
    assert display.line_ in ax.get_lines()
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "training loss")
    assert display.validation_line_ is None
    assert display.validation_ax_ is None
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["SGDRegressor"]


def test_validation_scores_are_drawn_on_a_twin_axis(early_stopped):
    ax = new_axes()

    display = LossCurveDisplay.from_estimator(early_stopped, ax=ax)

    n_iter = early_stopped.n_iter_
    assert 3 < n_iter < early_stopped.max_iter
    validation_line = display.validation_line_
    np.testing.assert_array_equal(display.line_.get_xdata(), np.arange(1, n_iter + 1))
    np.testing.assert_array_equal(display.line_.get_ydata(), early_stopped.loss_curve_)
    np.testing.assert_array_equal(validation_line.get_xdata(), np.arange(1, n_iter + 1))
    np.testing.assert_array_equal(
        validation_line.get_ydata(), early_stopped.validation_scores_
    )
    assert validation_line.axes is display.validation_ax_ is not ax
    assert display.validation_ax_.get_shared_x_axes().joined(ax, display.validation_ax_)
    assert display.validation_ax_.get_ylabel() == "validation score"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "AdamClassifier",
        "AdamClassifier (validation)",
    ]


def test_without_axes_a_new_figure_is_made(regressor):
    before = plt.get_fignums()

    display = LossCurveDisplay.from_estimator(regressor)

    assert len(plt.get_fignums()) == len(before) + 1
    assert display.figure_ is plt.gcf()
    np.testing.assert_array_equal(display.line_.get_ydata(), regressor.loss_curve_)


def test_pipelines_are_looked_into(regression_data):
    X, y = regression_data
    estimator = SGDRegressor(learning_rate=0.01, max_iter=5, tol=None, random_state=0)
    pipeline = make_pipeline(StandardScaler(), estimator)
    wrapped = TransformedTargetRegressor(pipeline, transformer=StandardScaler())
    wrapped.fit(X, y * 100.0 + 7.0)

    display = LossCurveDisplay.from_estimator(wrapped, ax=new_axes())

    trained = wrapped.regressor_[-1]
    assert trained is not estimator
    np.testing.assert_array_equal(display.line_.get_ydata(), trained.loss_curve_)
    np.testing.assert_array_equal(display.line_.get_xdata(), np.arange(1, 6))


def test_runs_share_one_axes_with_their_names(regressor, early_stopped):
    ax = new_axes()

    first = LossCurveDisplay.from_estimator(regressor, ax=ax, name="first")
    second = LossCurveDisplay.from_estimator(
        early_stopped, ax=ax, name="second", line_kwargs={"color": "black"}
    )

    assert ax.get_lines() == [first.line_, second.line_]
    assert second.line_.get_color() == "black"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "first",
        "second",
        "second (validation)",
    ]


def test_display_from_numbers():
    display = LossCurveDisplay(
        loss_curve=[3.0, 2.0, 1.5], validation_scores=[0.5, 0.7, 0.8]
    )

    returned = display.plot(ax=new_axes(), validation_kwargs={"color": "red"})

    assert returned is display
    np.testing.assert_array_equal(display.epochs, [1, 2, 3])
    np.testing.assert_array_equal(display.line_.get_ydata(), [3.0, 2.0, 1.5])
    np.testing.assert_array_equal(display.validation_line_.get_ydata(), [0.5, 0.7, 0.8])
    assert display.validation_line_.get_color() == "red"
    assert display.line_.get_label() == "training loss"


def test_scores_of_another_length_are_refused():
    display = LossCurveDisplay(loss_curve=[3.0, 2.0], validation_scores=[0.5])

    with pytest.raises(ValueError, match="holds 1 scores but loss_curve 2 epochs"):
        display.plot(ax=new_axes())


def test_partial_fit_after_early_stopping_is_refused():
    X, y = make_classification(n_samples=200, n_features=4, random_state=0)
    classifier = AdamClassifier(early_stopping=True, max_iter=4, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        classifier.fit(X, y)
    classifier.partial_fit(X, y)

    with pytest.raises(ValueError, match="4 validation scores for 5 epochs"):
        LossCurveDisplay.from_estimator(classifier, ax=new_axes())


def test_unfitted_and_foreign_estimators_are_refused(regression_data):
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(SGDRegressor(), ax=new_axes())

    with pytest.raises(TypeError, match="needs an estimator with a loss_curve_"):
        LossCurveDisplay.from_estimator(
            LinearRegression().fit(*regression_data), ax=new_axes()
        )


def test_missing_matplotlib_names_the_extra(regressor, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)

    with pytest.raises(ImportError, match=r"skgd\[plot\]"):
        LossCurveDisplay.from_estimator(regressor)


def test_skgd_imports_without_matplotlib():
    code = "import sys, skgd, skgd.plotting; print('matplotlib' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert completed.stdout.strip() == "False"


def test_demo_saves_the_loss_curve_of_every_run(tmp_path, monkeypatch, capsys):
    saved = []
    savefig = Figure.savefig

    def record_and_save(figure, *args, **kwargs):
        saved.append(figure)
        return savefig(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record_and_save)
    path = tmp_path / "curves.png"

    main(["--quick", "--plot", str(path)])

    assert f"loss curves saved to {path}" in capsys.readouterr().out
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.shape[1] > image.shape[0] > 100
    assert image[..., :3].std() > 0.1

    (figure,) = saved
    assert [ax.get_title() for ax in figure.axes] == ["digits", "diabetes"]
    for ax, kind in zip(figure.axes, ["Classifier", "Regressor"], strict=True):
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels == [
            f"{optimizer}{kind}, {model}"
            for optimizer, model in [
                ("SGD", "linear"),
                ("SGD", "MLP(64,)" if kind == "Classifier" else "MLP(16,)"),
                ("Adam", "linear"),
                ("Adam", "MLP(64,)" if kind == "Classifier" else "MLP(16,)"),
            ]
        ]
        for line in ax.get_lines():
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 16))
            assert line.get_ydata()[-1] < line.get_ydata()[0]


def test_demo_plot_without_matplotlib_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    with pytest.raises(SystemExit) as exit_info:
        main(["--quick", "--plot", "never-written.png"])

    assert exit_info.value.code == 2
    assert "--plot needs matplotlib" in capsys.readouterr().err


def test_loss_curve_display_is_exported_lazily_from_skgd():
    import skgd
    from skgd.plotting import LossCurveDisplay

    assert skgd.LossCurveDisplay is LossCurveDisplay
    with pytest.raises(AttributeError, match="no attribute 'NoSuchDisplay'"):
        skgd.NoSuchDisplay  # noqa: B018

"""The documentation builds with Sphinx, warnings as errors: every page, the API
reference generated from the docstrings, and the gallery, whose scripts run
during the build and draw its figures."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Output that a build writes into its source folder; the copy leaves it out.
GENERATED = ("_build", "auto_examples", "generated", "sg_execution_times.rst")

API_PAGES = [
    "skgd.SGDRegressor",
    "skgd.SGDClassifier",
    "skgd.AdamRegressor",
    "skgd.AdamClassifier",
    "skgd.models.Model",
    "skgd.models.Linear",
    "skgd.models.MLP",
    "skgd.optim.SGD",
    "skgd.optim.Adam",
    "skgd.losses.SquaredError",
    "skgd.losses.LogLoss",
    "skgd.schedules.InvScaling",
    "skgd.schedules.make_schedule",
    "skgd.plotting.LossCurveDisplay",
]


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    """The HTML of a build of a copy of docs/, so that the build writes nothing
    into the working tree."""
    root = tmp_path_factory.mktemp("docs")
    source, output = root / "docs", root / "html"
    shutil.copytree(
        DOCS, source, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__")
    )

    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q"]
    completed = subprocess.run(
        [*command, "-b", "html", str(source), str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    return output


def test_every_page_is_built(html):
    pages = sorted(path.stem for path in DOCS.glob("*.rst"))

    assert {"index", "user_guide", "api", "scaling"} <= set(pages)
    for page in pages:
        assert (html / f"{page}.html").is_file(), page


def test_the_index_lists_the_user_guide_pages(html):
    index = (html / "index.html").read_text(encoding="utf-8")

    for page in [
        "user_guide",
        "concepts",
        "choosing",
        "optimizers",
        "stopping",
        "streaming",
        "own_model",
        "scaling",
    ]:
        assert f'href="{page}.html"' in index, page
    assert 'href="auto_examples/index.html"' in index


def test_api_reference_is_generated_from_the_docstrings(html):
    for name in API_PAGES:
        assert (html / "generated" / f"{name}.html").is_file(), name

    regressor = (html / "generated" / "skgd.SGDRegressor.html").read_text(
        encoding="utf-8"
    )
    for method in ["fit", "partial_fit", "predict"]:
        assert f'id="skgd.SGDRegressor.{method}"' in regressor, method
    assert 'id="skgd.SGDRegressor.set_fit_request"' not in regressor
    assert "learning_rate" in regressor and "loss_curve_" in regressor

    display = (html / "generated" / "skgd.plotting.LossCurveDisplay.html").read_text(
        encoding="utf-8"
    )
    for method in ["from_estimator", "plot"]:
        assert f'id="skgd.plotting.LossCurveDisplay.{method}"' in display, method


def test_gallery_figures_come_from_running_the_examples(html):
    examples = sorted(DOCS.glob("examples/plot_*.py"))
    images = html / "_images"

    assert len(examples) >= 4
    for example in examples:
        page = (html / "auto_examples" / f"{example.stem}.html").read_text(
            encoding="utf-8"
        )
        figures = sorted(images.glob(f"sphx_glr_{example.stem}_0*.png"))
        assert figures, example.name
        for figure in figures:
            assert figure.read_bytes()[:8] == PNG_SIGNATURE
            assert figure.name in page
        assert re.search(r"sphx-glr-script-out", page), example.name

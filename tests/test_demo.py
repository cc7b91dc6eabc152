"""The demo ``python -m skgd``: every run is shown, and the scores are good."""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from sklearn.exceptions import ConvergenceWarning

from skgd.__main__ import main

ROW = re.compile(
    r"^(?P<estimator>\w+)\s+(?P<model>linear|MLP\(\d+,\))\s+(?P<learning_rate>[\d.]+)"
    r"\s+(?P<score>-?[\d.]+)\s+(?P<epochs>\d+)\s+(?P<seconds>[\d.]+)$",
    re.MULTILINE,
)
REFERENCE = re.compile(r"\(scikit-learn's (\w+): ([\d.]+)\)")
BEST = re.compile(
    r"best learning_rate: ([\d.]+), CV accuracy ([\d.]+), test accuracy ([\d.]+)"
)
EXPECTED_RUNS = {
    (estimator, model)
    for estimator in [
        "SGDClassifier",
        "AdamClassifier",
        "SGDRegressor",
        "AdamRegressor",
    ]
    for model in ["linear", "MLP"]
}


def run_demo(argv, capsys):
    """The demo's output: table rows by (estimator, model), references, best."""
    main(argv)
    output = capsys.readouterr().out

    rows = {}
    for match in ROW.finditer(output):
        model = match["model"].split("(")[0]
        rows[match["estimator"], model] = match.groupdict()
    references = dict(REFERENCE.findall(output))
    best = BEST.search(output)
    return output, rows, references, best


def test_quick_demo_prints_every_run_with_sensible_scores(capsys):
    output, rows, references, best = run_demo(["--quick"], capsys)

    assert set(rows) == EXPECTED_RUNS
    for (estimator, _), row in rows.items():
        score = float(row["score"])
        if estimator.endswith("Classifier"):
            assert 0.9 < score <= 1.0
        else:
            assert 0.2 < score < 0.6
        assert row["epochs"] == "15"

    assert set(references) == {"LogisticRegression", "LinearRegression"}
    assert "2-fold" in output
    assert best is not None
    assert best[1] in {"0.003", "0.3"}
    assert 0.85 < float(best[3]) <= 1.0


def test_full_demo_converges_and_matches_scikit_learn(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        output, rows, references, best = run_demo([], capsys)

    assert set(rows) == EXPECTED_RUNS
    for (estimator, _), row in rows.items():
        score = float(row["score"])
        if estimator.endswith("Classifier"):
            reference = float(references["LogisticRegression"])
            assert score > 0.95
        else:
            reference = float(references["LinearRegression"])
            assert 0.33 < score < 0.6
        assert score > reference - 0.02
        assert int(row["epochs"]) < 200

    assert "3-fold" in output
    assert best[1] in {"0.003", "0.01", "0.03", "0.1", "0.3"}
    assert float(best[2]) > 0.95
    assert float(best[3]) > 0.95


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--fast"])

    assert exit_info.value.code == 2
    assert "unrecognized arguments: --fast" in capsys.readouterr().err


def test_help_runs_as_a_module():
    repository = Path(__file__).resolve().parents[1]
    completed = subprocess.run(
        [sys.executable, "-m", "skgd", "--help"],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: python -m skgd [-h] [--quick]")
    assert "--quick" in completed.stdout

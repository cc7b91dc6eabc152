"""The adapters benchmark runs in its quick mode and prints its table: one row
per model, the built-in MLP as the baseline of the ratios."""

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "adapters.py"


def test_quick_run_prints_one_row_per_model_with_ratios():
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    header = lines.index(
        "| model | seconds per epoch | ratio to built-in | held-out accuracy |"
    )
    rows = [line.strip("| ").split(" | ") for line in lines[header + 2 :]]
    names = [row[0] for row in rows]
    assert names[:3] == ["built-in MLP", "FunctionModel, analytic backward", "JaxModel"]
    assert re.fullmatch(r"TorchModel, default threads \(\d+\)", names[3])
    assert names[4:] == ["TorchModel, 1 thread"]
    assert all(float(row[1]) > 0.0 for row in rows)
    assert rows[0][2] == "1.00"
    assert all(float(row[2]) > 0.0 for row in rows)
    assert all(0.0 <= float(row[3]) <= 1.0 for row in rows)

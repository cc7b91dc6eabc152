"""The benchmark scripts keep working: each, in its quick mode, describes the
machine, prints its tables and judges its targets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = ["mlp", "linear", "streaming", "memory", "scaling"]


def run_quick(name):
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(BENCHMARKS.parent), environment.get("PYTHONPATH", "")]
    )
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{name}.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )


def tables(output):
    """Each Markdown table printed under a ``### title``: its header and rows."""
    lines = output.splitlines()
    found = []
    for index, line in enumerate(lines):
        if not line.startswith("### "):
            continue
        header, separator, *rest = lines[index + 2 :]
        rows = []
        for row in rest:
            if not row.startswith("| "):
                break
            rows.append(row)
        found.append((header, separator, rows))
    return found


@pytest.mark.parametrize("name", SCRIPTS)
def test_quick_run_prints_tables_and_verdicts(name):
    completed = run_quick(name)
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout

    assert re.search(r"^cores: \d+", output, flags=re.MULTILINE), output
    assert re.search(r"^blas: ", output, flags=re.MULTILINE), output

    printed = tables(output)
    assert printed, output
    for header, separator, rows in printed:
        n_columns = header.count("|") - 1
        assert n_columns >= 2
        assert separator == "| " + " | ".join(["---"] * n_columns) + " |"
        assert rows
        assert all(row.count("|") == n_columns + 1 for row in rows), rows

    verdicts = re.findall(r"^target .*: (met|NOT met)$", output, flags=re.MULTILINE)
    assert verdicts, output


def test_tables_finds_a_table_and_its_rows():
    output = "intro\n### Title\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nafter\n"
    assert tables(output) == [("| a | b |", "| --- | --- |", ["| 1 | 2 |"])]

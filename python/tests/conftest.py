"""Shared helpers: the repository, the `nuem` command of the same build, and
its output parsed. The build's library and command are given by the
environment (NUEM_LIBRARY, NUEM_CLI: ctest sets both) or found in
<repo>/build."""
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))  # the sources, unless installed

CLI = os.environ.get("NUEM_CLI", str(REPO / "build" / "nuem"))
DATA = REPO / "tests" / "data"
EXAMPLES = REPO / "examples"


def run_cli(*args):
    """Run `nuem ARGS...`; returns (notes dict, names, rows of printed
    strings) of its TSV output. Fails the test on a non-zero exit."""
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, f"nuem {' '.join(map(str, args))}: {p.stderr}"
    notes, names, rows = {}, [], []
    for line in p.stdout.splitlines():
        if line.startswith("# columns:"):
            names = line.split()[2:]
        elif line.startswith("# ") and ": " in line and not line.startswith("#  "):
            k, v = line[2:].split(": ", 1)
            notes[k] = v if k not in notes else notes[k] + "; " + v
        elif line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return notes, names, rows


def printed(x):
    """A number as the command's TSV prints it (nuem_result_write: %.6e)."""
    return "%.6e" % x


def assert_same_table(table, cli_names, cli_rows):
    """Every cell of a binding table equals the command's to the last
    printed digit, and the columns are the same."""
    assert table.names == cli_names
    assert len(table) == len(cli_rows)
    for i, row in enumerate(cli_rows):
        got = [printed(v) for v in table.data[i]]
        assert got == row, f"row {i}: binding {got} != command {row}"


@pytest.fixture(scope="session")
def nuem():
    import nuem as module
    return module

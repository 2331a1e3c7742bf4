"""The joint fit from Python equals `nuem limit --combine` to the last
printed digit (the same library entry point), whether the experiments come
from a combination file or as (data, config) pairs."""
import pytest

from conftest import DATA, EXAMPLES, printed, run_cli

COMBINATION = EXAMPLES / "combination.ini"
PAIRS = [("texono", DATA / "texono_like.dat", EXAMPLES / "texono2007.ini"),
         ("gemma", DATA / "gemma_like.dat", EXAMPLES / "gemma.ini")]


def rows_of(result):
    return [[printed(x) for x in row] for row in result.data]


def test_combination_file_agrees_with_the_command(nuem):
    _, names, rows = run_cli("limit", "--combine", COMBINATION)
    t = nuem.joint_limit(COMBINATION)
    assert t.names == names
    assert rows_of(t) == rows
    assert list(t.experiments) == ["texono", "gemma"]
    assert t.correlated == "flux"
    # the combination is tighter than either experiment alone
    assert t.combined["hi"] < min(e["hi"] for e in t.experiments.values())


def test_pairs_with_assignments_agree_with_the_file(nuem):
    _, names, rows = run_cli("limit", "--combine", COMBINATION, "--set", "analysis.poi=q")
    t = nuem.joint_limit(PAIRS, correlated=["flux"], set={"analysis.poi": "q"})
    assert rows_of(t) == rows
    assert t.unit == "e"
    assert not t.combined["upper_limit"]


def test_bad_pair_names_the_pair(nuem):
    with pytest.raises(nuem.NuemError, match="gemma.ini"):
        nuem.joint_limit([(DATA / "texono_like.dat", EXAMPLES / "gemma.ini")])
    with pytest.raises(nuem.NuemError, match="correlated nuisance efficiency"):
        nuem.joint_limit(PAIRS, correlated="efficiency")

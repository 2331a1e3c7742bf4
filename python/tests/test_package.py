"""The package reports the version of the library it loaded, loads the
library it was told to (never another copy), and draws its figures."""
import os
import subprocess
import sys

import numpy as np

from conftest import CLI, DATA, EXAMPLES, REPO


def test_version_is_the_commands(nuem):
    out = subprocess.run([CLI, "--version"], capture_output=True, text=True).stdout
    assert out.strip() == f"nuem {nuem.__version__}"


def test_library_path_honours_NUEM_LIBRARY(tmp_path):
    env = {**os.environ, "NUEM_LIBRARY": str(tmp_path / "missing.so"),
           "PYTHONPATH": str(REPO / "python")}
    p = subprocess.run([sys.executable, "-c", "import nuem"], capture_output=True, text=True,
                       env=env)
    assert p.returncode != 0 and "NUEM_LIBRARY" in p.stderr and "missing.so" in p.stderr


def test_the_loaded_library(nuem):
    path = nuem.library_path()
    if "NUEM_LIBRARY" in os.environ:
        assert path == os.environ["NUEM_LIBRARY"]
    maps = open("/proc/self/maps").read()
    assert os.path.realpath(path) in maps


def test_to_pandas_when_pandas_is_there(nuem):
    s = nuem.Plan({"atomic.model": "stepping"}).spectrum(T=[1.0, 2.0])
    try:
        import pandas  # noqa: F401
    except ImportError:
        import pytest
        with pytest.raises(ImportError, match="pandas"):
            s.to_pandas()
        return
    df = s.to_pandas()
    assert list(df.columns) == s.names and df.attrs["units"]["T"] == "keV"


def test_figures(nuem, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from nuem import plot
    s = nuem.spectrum({"output.points": "60", "detector.threshold": "300 eV"})
    fig = plot.figure3(s)
    ax = fig.axes[0]
    red = [l for l in ax.get_lines() if l.get_color() == "red" and l.get_linestyle() == "-"]
    assert len(red) == 1  # mu, electron channel
    assert np.array_equal(red[0].get_ydata(), np.where(s.elec_mu > 0, s.elec_mu, np.nan),
                          equal_nan=True)
    fig.savefig(tmp_path / "f3.png")
    lim = nuem.limit(DATA / "texono_like.dat",
                     nuem.Config(EXAMPLES / "texono2007.ini", {"analysis.method": "wilks"}))
    plot.limit(lim).savefig(tmp_path / "limit.png")
    sens = nuem.sensitivity(nuem.Config(EXAMPLES / "gemma.ini", {"analysis.toys": "100"}),
                            scan="detector.exposure=300kg*day:1200kg*day:2")
    plot.sensitivity(sens).savefig(tmp_path / "sens.png")
    for name in ("f3.png", "limit.png", "sens.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"

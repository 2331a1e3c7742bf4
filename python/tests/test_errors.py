"""Bad input from Python raises a clear exception naming the culprit, and
never crashes the interpreter (the suite also runs under the sanitizer
build: tests/CMakeLists.txt)."""
import numpy as np
import pytest

from conftest import DATA, EXAMPLES


def test_unknown_key(nuem):
    with pytest.raises(nuem.NuemError, match="unknown key 'distanse'"):
        nuem.Config({"source.distanse": "20 m"})
    cfg = nuem.Config()
    with pytest.raises(nuem.NuemError, match="unknown key"):
        cfg.set("detector.thresh", "1 keV")
    with pytest.raises(nuem.NuemError, match="section.key"):
        cfg.set("distance", "1 m")
    with pytest.raises(nuem.NuemError, match="unknown config key 'source.bogus'"):
        cfg.get("source.bogus")


def test_unknown_key_in_a_file(nuem):
    with pytest.raises(nuem.NuemError, match="unknown_key.ini"):
        nuem.Config(DATA / "unknown_key.ini")


def test_wrong_unit_keeps_the_config_unchanged(nuem):
    cfg = nuem.Config({"source.distance": "20 m"})
    with pytest.raises(nuem.NuemError, match="source.distance: '20 kg' has dimension mass") as e:
        cfg.set("source.distance", "20 kg")
    assert e.value.status == "unit error"
    assert cfg.get("source.distance") == "20 m"


def test_bad_value(nuem):
    with pytest.raises(nuem.NuemError, match="source.power"):
        nuem.Config({"source.power": "-1 GW"})
    with pytest.raises(nuem.NuemError, match="atomic.model"):
        nuem.Config({"atomic.model": "magic"})


def test_missing_files(nuem, tmp_path):
    with pytest.raises(nuem.NuemError, match="nope.ini") as e:
        nuem.Config(tmp_path / "nope.ini")
    assert e.value.status == "file error"
    with pytest.raises(nuem.NuemError, match="nope.dat"):
        nuem.fit(tmp_path / "nope.dat", EXAMPLES / "texono2007.ini")
    with pytest.raises(nuem.NuemError, match="nope.dat"):
        nuem.limit(tmp_path / "nope.dat")
    with pytest.raises(nuem.NuemError, match="flux.dat"):
        nuem.flux({"source.type": "table", "source.file": str(tmp_path / "flux.dat")})


def test_wrong_array_shape(nuem):
    plan = nuem.Plan({"atomic.model": "stepping"})
    with pytest.raises(ValueError, match=r"1-D array; got shape \(2, 2\)"):
        plan.spectrum(T=np.ones((2, 2)))
    with pytest.raises(ValueError, match="T is empty"):
        plan.spectrum(T=[])
    with pytest.raises(ValueError, match="same length"):
        nuem.xsec("nu-e", [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="E must be"):
        nuem.flux(E=np.ones((3, 1)))


def test_nan_and_non_positive_values(nuem):
    plan = nuem.Plan({"atomic.model": "stepping"})
    with pytest.raises(ValueError, match=r"T\[1\] is nan"):
        plan.spectrum(T=[1.0, np.nan])
    with pytest.raises(ValueError, match=r"E\[0\] is inf"):
        nuem.flux(E=[np.inf])
    with pytest.raises(ValueError, match="mu is nan"):
        plan.spectrum(T=[1.0], mu=float("nan"))
    with pytest.raises(ValueError, match="positive"):
        plan.spectrum(T=[-1.0])
    with pytest.raises(nuem.NuemError, match="recoil energy 0"):
        nuem.xsec("nu-e", 1.0, -1.0)
    with pytest.raises(nuem.NuemError, match="flux: energy 0"):
        nuem.flux(E=[0.0])
    with pytest.raises(ValueError, match="must be a number"):
        plan.spectrum(T=[1.0], q="lots")


def test_range_errors_come_from_nuem(nuem):
    """T outside the ab-initio table: nuem's own message, not a NaN."""
    with pytest.raises(nuem.NuemError, match="keV"):
        nuem.Plan().spectrum(T=[1e-6])


def test_xsec_bad_channel_and_target(nuem):
    with pytest.raises(nuem.NuemError, match="channel 'nu-x'"):
        nuem.xsec("nu-x", 1.0, 1.0)
    with pytest.raises(nuem.NuemError, match="needs a nucleus"):
        nuem.xsec("cevns", 1.0, 1.0)
    with pytest.raises(nuem.NuemError, match="Unobtainium"):
        nuem.xsec("cevns", 1.0, 1.0, target="Unobtainium")
    with pytest.raises(nuem.NuemError, match="physics.mu_nu"):
        nuem.xsec("nu-e", 1.0, 1.0, mu="1e-11 kg")


def test_analysis_errors(nuem):
    with pytest.raises(nuem.NuemError, match="do not match the config"):
        nuem.fit(DATA / "texono_like.dat", EXAMPLES / "gemma.ini")
    with pytest.raises(nuem.NuemError, match="needs residual data"):
        nuem.fit(DATA / "texono_like.dat",
                 nuem.Config(EXAMPLES / "texono2007.ini", {"analysis.statistic": "chi2"}))
    with pytest.raises(nuem.NuemError, match="FROM:TO:N"):
        nuem.sensitivity(EXAMPLES / "gemma.ini", scan="detector.threshold=1keV")


def test_columns_by_name(nuem):
    s = nuem.Plan({"atomic.model": "stepping"}).spectrum(T=[1.0, 2.0])
    with pytest.raises(KeyError, match="no column 'elec_muu'"):
        s["elec_muu"]
    assert s.units["elec_mu"] == "/kg/keV/day" and s.units["T"] == "keV"
    assert np.array_equal(s.elec_mu, s["elec_mu"])


def test_a_closed_plan(nuem):
    plan = nuem.Plan({"atomic.model": "stepping"})
    plan.close()
    with pytest.raises(nuem.NuemError, match="closed"):
        plan.spectrum(T=[1.0])


def test_a_key_the_job_does_not_use_is_warned_about(nuem):
    """As the command warns on stderr: `nuem flux` never reads the analysis
    keys of a config."""
    with pytest.warns(nuem.NuemWarning, match="analysis.toys"):
        nuem.flux({"analysis.toys": "500", "output.points": "5"})
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nuem.flux({"output.points": "5"})

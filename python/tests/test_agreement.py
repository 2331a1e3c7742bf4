"""The binding's numbers equal the `nuem` command's for the same config, to
the last printed digit: both call the same library entry points, so any
difference is a binding bug (a unit slip, a wrong column, a config not
applied)."""
import numpy as np
import pytest

from conftest import DATA, EXAMPLES, assert_same_table, printed, run_cli

GRID = {"output.points": "25", "output.t_min": "0.05 keV", "output.t_max": "50 keV"}


def sets(d):
    return [a for k, v in d.items() for a in ("--set", f"{k}={v}")]


@pytest.mark.parametrize("extra", [{}, {"atomic.model": "stepping", "physics.mu_nu": "3e-11 muB"},
                                   {"target.material": "Si", "physics.q_nu": "-2e-12 e"}])
def test_spectrum_on_the_config_grid(nuem, extra):
    cfg = {**GRID, **extra}
    _, names, rows = run_cli("spectrum", *sets(cfg))
    assert_same_table(nuem.spectrum(nuem.Config(cfg)), names, rows)


def test_spectrum_at_given_energies_and_plan_properties(nuem):
    """A plan evaluated at the command's T values and at other property
    values equals the command run with those values configured."""
    # tenths of a keV, printed exactly: the command's T read back are its T (to the
    # last bit, far below the printed digits of the rates)
    grid = {"output.points": "30", "output.t_min": "0.1 keV", "output.t_max": "3 keV",
            "output.spacing": "linear"}
    _, names, rows = run_cli("spectrum", *sets({**grid, "physics.mu_nu": "5e-11 muB",
                                                "physics.q_nu": "0 e", "physics.r2_nu": "-3e-32 cm2"}))
    T = np.array([float(r[0]) for r in rows])
    assert np.allclose(T, np.arange(1, 31) / 10, rtol=1e-15, atol=0)
    assert any(float(r[names.index("nucl_mu")]) != 0 for r in rows)
    plan = nuem.Plan(nuem.Config(grid))
    s = plan.spectrum(T=T[::-1], mu=5e-11, q=0, r2=-3e-32)  # any order: returned in the caller's
    assert np.array_equal(s.energies, T[::-1])
    reordered = s.data[::-1]
    for i, row in enumerate(rows):
        assert [printed(v) for v in reordered[i]] == row


def test_measured_spectrum_of_an_experiment_file(nuem):
    _, names, rows = run_cli("spectrum", EXAMPLES / "texono2007.ini")
    s = nuem.spectrum(EXAMPLES / "texono2007.ini")
    assert s.measured
    assert_same_table(s, names, rows)


@pytest.mark.parametrize("source", [{}, {"source.type": "solar"},
                                    {"source.type": "radioactive", "source.nuclide": "51Cr",
                                     "source.distance": "1 m", "source.activity": "1 MBq",
                                     "source.duration": "100 day"}])
def test_flux(nuem, source):
    cfg = {"output.points": "30", **source}
    notes, names, rows = run_cli("flux", *sets(cfg))
    f = nuem.flux(nuem.Config(cfg))
    assert_same_table(f, names, rows)
    assert f.notes["total_flux"] == notes["total_flux"]
    # at given energies (the grid's, unrounded; the printed E has 7 digits
    # only): the same numbers, so those equal the command's too
    at_energies = {k: v for k, v in cfg.items() if k != "output.points"}
    g = nuem.flux(nuem.Config(at_energies), E=f["E"])
    assert np.array_equal(g.data, f.data)


XSEC_CASES = [
    dict(channel="nu-e", E=1.0, T=1.0, flavour="antinue", mu=1e-11, q=1e-12),
    dict(channel="nu-e", E=3.0, T=20.0, target="Ge", atomic="stepping", r2=1e-32),
    dict(channel="nu-e", E=1.0, T=0.5, target="Ge"),
    dict(channel="cevns", E=10.0, T=1.0, target="Ge", mu="1e-10 muB"),
    dict(channel="cevns", E=30.0, T=5.0, target="Ge74", flavour="numu"),
]


def cli_xsec_args(c):
    args = ["xsec", "--channel", c["channel"], "--enu", f"{c['E']}MeV", "--t", f"{c['T']}keV"]
    for k, flag in (("target", "--target"), ("flavour", "--flavour"), ("atomic", "--atomic")):
        if k in c:
            args += [flag, c[k]]
    for k, unit in (("mu", "muB"), ("q", "e"), ("r2", "cm2")):
        if k in c:
            v = c[k]
            args += [f"--{k}", v if isinstance(v, str) else f"{v!r}{unit}"]
    return args


@pytest.mark.parametrize("case", XSEC_CASES)
def test_xsec(nuem, case):
    notes, names, rows = run_cli(*cli_xsec_args(case))
    x = nuem.xsec(**case)
    assert_same_table(x, names, rows)
    assert x.notes["channel"] == notes["channel"]


def test_xsec_vectorised_equals_one_call_per_point(nuem):
    E = np.array([1.0, 2.0, 5.0])
    T = np.array([0.3, 3.0, 30.0])
    x = nuem.xsec("nu-e", E, T, target="Ge", mu=1e-11)
    for i in range(3):
        _, _, rows = run_cli(*cli_xsec_args(dict(channel="nu-e", E=E[i], T=T[i], target="Ge",
                                                   mu=1e-11)))
        assert [printed(v) for v in x.data[i]] == rows[0]


def test_fit(nuem):
    notes, names, rows = run_cli("fit", DATA / "texono_like.dat", EXAMPLES / "texono2007.ini")
    f = nuem.fit(DATA / "texono_like.dat", EXAMPLES / "texono2007.ini")
    assert_same_table(f, names, rows)
    assert printed(f.hi) == rows[0][2] and f.unit == "muB"


def test_limit_feldman_cousins_with_a_fixed_seed(nuem):
    fc = {"analysis.toys": "200", "analysis.grid": "12", "analysis.seed": "7"}
    notes, names, rows = run_cli("limit", DATA / "texono_like.dat", EXAMPLES / "texono2007.ini",
                                 *sets(fc))
    lim = nuem.limit(DATA / "texono_like.dat", nuem.Config(EXAMPLES / "texono2007.ini", fc))
    assert_same_table(lim, names, rows)
    for key in ("interval", "best_fit", "coverage", "method"):
        assert lim.notes[key] == notes[key]
    assert notes["interval"] == f"[{lim.lo:.6g}, {lim.hi:.6g}] muB (an upper limit)"
    assert lim.upper_limit


@pytest.mark.parametrize("method", ["bayes", "cls-asymptotic"])
def test_upper_limit_methods(nuem, method):
    """CLs and Bayesian limits: the same table and limit as the command."""
    notes, names, rows = run_cli("limit", DATA / "texono_like.dat", EXAMPLES / "texono2007.ini",
                                 "--set", f"analysis.method={method}")
    lim = nuem.limit(DATA / "texono_like.dat",
                     nuem.Config(EXAMPLES / "texono2007.ini", {"analysis.method": method}))
    assert_same_table(lim, names, rows)
    for key in ("limit", "best_fit", "method"):
        assert lim.notes[key] == notes[key]
    assert notes["limit"] == f"mu < {lim.hi:.6g} muB" and lim.upper_limit


def test_sensitivity_scan(nuem):
    scan = "detector.exposure=300kg*day:1200kg*day:3"
    notes, names, rows = run_cli("sensitivity", EXAMPLES / "gemma.ini", "--set",
                                 "analysis.toys=100", "--scan", scan)
    s = nuem.sensitivity(nuem.Config(EXAMPLES / "gemma.ini", {"analysis.toys": "100"}), scan=scan)
    assert_same_table(s, names, rows)
    assert s.scan_key == notes["scan"] and s.unit == "muB"


def test_scan_equals_plan_spectrum(nuem):
    """plan.scan sums the coefficient arrays of the quadratic form in the
    properties (include/nuem/spectrum.h): equal to plan.spectrum at every
    value to rounding, 1e-9 of each column's largest magnitude."""
    T = np.geomspace(0.1, 50, 40)
    plan = nuem.Plan(nuem.Config({"atomic.model": "stepping", "source.add": "solar"}))
    mus, qs = np.array([0, 1e-11, 7e-11]), np.array([-2e-12, 0, 3e-13])
    for scanned, mu, q in zip(plan.scan(T=T, mu=mus, q=qs, r2=1e-32), mus, qs):
        direct = plan.spectrum(T=T, mu=mu, q=q, r2=1e-32)
        assert scanned.names == direct.names
        scale = np.max(np.abs(direct.data), axis=0)
        assert np.all(np.abs(scanned.data - direct.data) <= 1e-9 * scale)
    with pytest.raises(ValueError, match="differ in length"):
        plan.scan(T=T, mu=mus, q=qs[:2])
    with pytest.raises(ValueError, match="needs an array"):
        plan.scan(T=T, mu=1e-11)

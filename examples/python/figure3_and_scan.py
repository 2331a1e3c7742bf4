#!/usr/bin/env python3
"""Figure 3 and a mu_nu sensitivity scan from Python (docs/python.md).

Writes, into the directory given (default: the current one):
  figure3.png            the Figure-3 spectra of the default experiment
                         (Kuo-Sheng-like reactor, 1 kg Ge, threshold 300 eV)
  mu_scan.png            the mu_nu excess at 1 keV for 100 values of mu_nu,
                         one Plan scanned over them (plan.scan: the chain is built once)
  mu_sensitivity.png     the expected 90 % CL upper limit on mu_nu of the
                         GEMMA-like experiment (examples/gemma.ini) against
                         its exposure, with the +-1 and +-2 sigma toy bands
  limit.png              the Wilks limit on mu_nu from the TEXONO-like data
                         (tests/data/texono_like.dat)

usage: figure3_and_scan.py [OUTDIR]
"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nuem  # noqa: E402
from nuem import plot  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)

    # Figure 3: the default experiment at the Figure-3 property values
    cfg = nuem.Config({"detector.threshold": "300 eV", "output.points": "400"})
    spectrum = nuem.spectrum(cfg)
    plot.figure3(spectrum).savefig(out / "figure3.png", dpi=100)

    # A scan of mu_nu on one plan: the flux moments and the atomic model are
    # built once, each value costs one evaluation
    plan = nuem.Plan(cfg)
    mus = np.geomspace(1e-12, 1e-9, 100)
    excess = [s["elec_mu"][0] for s in plan.scan(T=[1.0], mu=mus)]
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.loglog(mus, excess, color="red", lw=2)
    ax.axhline(plan.spectrum(T=[1.0])["elec_sm"][0], color="black", ls="--", label=r"SM $\nu$-e")
    ax.set_xlabel(r"$\mu_\nu$ [$\mu_B$]")
    ax.set_ylabel(r"$\mu_\nu$ excess at T = 1 keV [kg$^{-1}$ keV$^{-1}$ day$^{-1}$]")
    ax.grid(True, which="both", color="#dddddd")
    ax.legend()
    fig.savefig(out / "mu_scan.png", dpi=100)

    # expected limits on mu_nu against exposure (toys: analysis.toys)
    gemma = nuem.Config(REPO / "examples" / "gemma.ini", {"analysis.toys": "200"})
    sens = nuem.sensitivity(gemma, scan="detector.exposure=100kg*day:3000kg*day:6")
    plot.sensitivity(sens, xlabel="exposure [kg day]").savefig(out / "mu_sensitivity.png",
                                                               dpi=100)

    texono = nuem.Config(REPO / "examples" / "texono2007.ini", {"analysis.method": "wilks"})
    lim = nuem.limit(REPO / "tests" / "data" / "texono_like.dat", texono)
    plot.limit(lim).savefig(out / "limit.png", dpi=100)

    print(f"nuem {nuem.__version__}: wrote figure3.png, mu_scan.png, mu_sensitivity.png, "
          f"limit.png in {out}")
    print(f"expected 90 % CL limit on mu_nu at {sens['scan'][-1]:g} kg day: "
          f"{sens['median'][-1]:.3g} muB (median of toys); TEXONO-like data: "
          f"mu_nu < {lim.hi:.3g} muB")


if __name__ == "__main__":
    main()

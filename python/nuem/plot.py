"""Figures with matplotlib: the same content as the gnuplot pictures of
`nuem spectrum --plot`, `nuem limit --plot` and `nuem sensitivity --plot`
(docs/python.md). Each function draws into `ax` (a new figure if None) and
returns the matplotlib Figure; save it with fig.savefig("name.png")."""
import numpy as np


def _axes(ax, size=(11, 7.5)):
    import matplotlib
    if ax is not None:
        return ax.figure, ax
    if not matplotlib.get_backend().lower().startswith(("module://", "qt", "tk", "gtk", "wx",
                                                        "macosx", "nbagg", "webagg")):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=size)
    return fig, ax


def _positive(y):
    return np.where(y > 0, y, np.nan)


# (column suffix, colour, label of the property)
_PROPERTIES = (("mu", "red", r"$\mu_\nu$ = {mu:g} $\mu_B$"),
               ("q", "magenta", r"$q_\nu$ = {q:g} e"),
               ("r2", "#00a000", r"$\langle r^2_\nu\rangle$ = {r2:g} cm$^2$"))


def figure3(result, ax=None, title=None):
    """Figure 3: dR/dT of a nuem.Spectrum (true spectrum) on log-log axes.
    SM nu-e black, CEvNS blue; the excess from mu (red), q (magenta) and
    <r2> (green), electron channel solid and nuclear channel dashed; dotted:
    |excess| where interference makes it negative; the detector threshold
    marked. Returns the Figure."""
    if getattr(result, "measured", False):
        raise ValueError("nuem.plot.figure3 draws a true spectrum; this one is measured (binned)")
    fig, ax = _axes(ax)
    T = result["T"]
    ax.plot(T, _positive(result["elec_sm"]), color="black", lw=3, label=r"SM $\nu$-e")
    ax.plot(T, _positive(result["nucl_sm"]), color="blue", lw=3, label=r"SM $\nu$-N (CEvNS)")
    props = getattr(result, "properties", {"mu": 0, "q": 0, "r2": 0})
    for name, colour, label in _PROPERTIES:
        for channel, style, what in (("elec", "-", r"$\nu$-e"), ("nucl", "--", r"$\nu$-N")):
            y = result[f"{channel}_{name}"]
            if not np.any(y != 0):
                continue
            ax.plot(T, _positive(y), color=colour, lw=2, ls=style,
                    label=label.format(**props) + ", " + what)
            ax.plot(T, _positive(-y), color=colour, lw=2, ls=":")
    ax.plot([], [], color="#555555", lw=2, ls=":", label="dotted: |excess| where negative")
    thr = getattr(result, "threshold_keV", None)
    if thr:
        ax.axvline(thr, color="#777777", ls=(0, (1, 3)), lw=2)
        ax.text(thr, 0.04, f" threshold {thr * 1e3:g} eV", transform=ax.get_xaxis_transform(),
                color="#555555")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(bottom=1e-6)
    ax.set_xlabel("Measurable energy T [keV] (nuclear recoils: electron-equivalent)")
    ax.set_ylabel(r"dR/dT [kg$^{-1}$ keV$^{-1}$ day$^{-1}$]")
    ax.grid(True, which="both", color="#dddddd")
    ax.legend(loc="upper right", fontsize=9, framealpha=1)
    target = result.notes.get("target", "").split(" ")[0]
    model = result.notes.get("atomic_model", "").split(" ")[0]
    ax.set_title(title or f"nuem: dR/dT on {target}" + (f" (atomic model: {model})" if model else ""))
    return fig


def limit(result, ax=None):
    """-2 Delta ln L of a nuem.LimitResult against the scanned parameter
    (mu^2 for mu) with the critical value, the interval's ends marked (as
    `nuem limit --plot`). Returns the Figure."""
    fig, ax = _axes(ax, (8, 5.5))
    theta = result["theta"]
    ax.plot(theta, result["t"], color="black", lw=2, label="data")
    ax.plot(theta, result["critical"], color="red", lw=2, ls="--", label="critical value")
    squared = result.units["theta"] == "muB2"
    ends = [] if np.isnan(result.hi) else ([result.hi] if result.upper_limit
                                           else [result.lo, result.hi])
    for end in ends:
        x = end * end if squared else end
        ax.axvline(x, color="blue", lw=2)
        ax.text(x, 0.6, f" {'limit' if result.upper_limit else 'end'} {end:.3g} {result.unit}",
                transform=ax.get_xaxis_transform(), color="blue")
    ax.set_xlabel(f"parameter [{result.units['theta']}]")
    ax.set_ylabel(r"$-2\,\Delta\ln L$")
    ax.grid(True)
    ax.legend(loc="upper left")
    ax.set_title(result.method)
    return fig


def sensitivity(result, ax=None, xlabel=None):
    """Expected limits of a nuem.SensitivityResult against the scanned key:
    the +-1 and +-2 sigma bands of the toys (green, yellow), their median
    (dashed) and the Asimov limit (blue), as `nuem sensitivity --plot`.
    Returns the Figure."""
    fig, ax = _axes(ax, (8, 5.5))
    x = result["scan"]
    ax.fill_between(x, result["minus2sigma"], result["plus2sigma"], color="#fff3a0",
                    label=r"$\pm2\sigma$")
    ax.fill_between(x, result["minus1sigma"], result["plus1sigma"], color="#90ee90",
                    label=r"$\pm1\sigma$")
    ax.plot(x, result["median"], color="black", lw=2, ls="--", label="median (toys)")
    ax.plot(x, result["asimov"], color="blue", lw=2, marker="o", label="Asimov")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel or f"{result.scan_key or 'point'} [{result.scan_unit}]")
    ax.set_ylabel(f"expected limit [{result.unit}]")
    ax.grid(True)
    ax.legend()
    return fig

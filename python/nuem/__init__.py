"""nuem from Python: a thin binding over libnuem (docs/python.md).

Nothing is computed in Python: every number comes from the C library, by the
same entry points the `nuem` command uses, so the binding prints what the
command prints. Units are nuem's display units: energies T in keV, neutrino
energies E in MeV, rates in events /kg/keV/day, cross sections in cm2/keV,
fluxes in /cm2/s/MeV, mu in muB, q in e, <r2> in cm2.
"""
import os
import threading
import warnings

import numpy as np

from ._lib import ffi, lib, library_path

__all__ = ["Config", "Table", "Spectrum", "Plan", "FitResult", "LimitResult",
           "SensitivityResult", "JointResult", "NuemError", "NuemWarning", "spectrum", "flux",
           "xsec", "fit", "limit", "joint_limit", "sensitivity", "library_path", "__version__"]

__version__ = ffi.string(lib.nuem_version()).decode()

# ---- errors ----------------------------------------------------------------


class NuemError(Exception):
    """A failure reported by libnuem; str(e) is nuem's own message (it names the
    key, unit, file or line), e.status the kind ("unit error", ...)."""

    def __init__(self, message, status=""):
        super().__init__(message)
        self.status = status


class _Context:
    """One nuem_context per call: it holds the last error, and two threads
    never share one (core.h: one context per thread)."""

    def __enter__(self):
        p = ffi.new("nuem_context **")
        if lib.nuem_context_new(p):
            raise MemoryError("nuem: out of memory")
        self.ptr = p[0]
        return self

    def __exit__(self, *exc):
        lib.nuem_context_free(self.ptr)

    def check(self, status):
        """Raise NuemError with the context's message unless status is 0."""
        if status:
            kind = ffi.string(lib.nuem_status_string(status)).decode()
            msg = ffi.string(lib.nuem_context_error(self.ptr)).decode() or kind
            raise NuemError(msg, kind)


class NuemWarning(UserWarning):
    """nuem's warnings, e.g. a config key given but not used by the job."""


def _warn_unused(ctx, cfg, used=()):
    """Warn (NuemWarning) about every key the job was given but never read,
    as the command does on stderr; `used`: keys the binding itself reads
    (detector.threshold: the spectrum carries it for figures)."""
    lib.nuem_config_report_unused(ctx.ptr, cfg)
    for i in range(lib.nuem_context_warning_count(ctx.ptr)):
        message = ffi.string(lib.nuem_context_warning(ctx.ptr, i)).decode()
        if not any(message.startswith(key + " ") for key in used):
            warnings.warn(message, NuemWarning, stacklevel=3)


def _text(s):
    return str(s).encode()


# ---- configuration ---------------------------------------------------------


class Config:
    """A nuem configuration: the defaults, an INI file, a dict, or both.

    Config()                               the defaults (docs/config.md)
    Config("examples/texono2007.ini")      an INI file (str or path)
    Config({"source.distance": "20 m"})    keys "section.key" -> values
    Config("file.ini", {"detector.threshold": "300 eV"})

    Every value is validated by nuem when it is given: an unknown key, a
    wrong unit or a value out of range raises NuemError with nuem's message.
    Values are text as in an INI file ("20 m", "1e-11 muB"); a plain number
    is accepted for dimensionless keys.
    """

    def __init__(self, source=None, values=None):
        if isinstance(source, dict) and values is None:
            source, values = None, source
        self._file = None if source is None else os.fspath(source)
        self._assignments = []
        self._check()  # the file alone
        for key, value in (values or {}).items():
            self.set(key, value)

    def _build(self, ctx):
        """A fresh C config from the file and the assignments (each
        computation gets its own, so a Config may be shared by threads and
        changed after a Plan was made from it). Caller frees."""
        p = ffi.new("nuem_config **")
        ctx.check(lib.nuem_config_new(ctx.ptr, p))
        cfg = p[0]
        try:
            if self._file is not None:
                ctx.check(lib.nuem_config_load_file(ctx.ptr, cfg, _text(self._file)))
            for section, name, value in self._assignments:
                ctx.check(lib.nuem_config_set(ctx.ptr, cfg, section, name, value,
                                              b"nuem.Config"))
        except BaseException:
            lib.nuem_config_free(cfg)
            raise
        return cfg

    def _check(self):
        with _Context() as ctx:
            lib.nuem_config_free(self._build(ctx))

    def set(self, key, value):
        """Set key "section.key" to value (text with its unit, e.g. "20 m");
        raises NuemError (nuem's message) and leaves the config unchanged if
        nuem rejects it. Returns self."""
        if not isinstance(key, str) or "." not in key:
            raise NuemError(f"config key '{key}': write it as section.key, e.g. source.distance",
                            "configuration error")
        section, _, name = key.partition(".")
        self._assignments.append((_text(section), _text(name), _text(value)))
        try:
            self._check()
        except NuemError:
            self._assignments.pop()
            raise
        return self

    def get(self, key):
        """The resolved value of "section.key" as text in its display unit
        (e.g. "2.9 GW"), as `nuem config` prints it."""
        section, _, name = key.partition(".")
        pid = lib.nuem_param_find(_text(section), _text(name))
        with _Context() as ctx:
            cfg = self._build(ctx)
            try:
                buf = ffi.new("char[]", 512)
                if pid == _UNKNOWN_PARAM:
                    raise NuemError(f"unknown config key '{key}' (see `nuem config`)",
                                    "configuration error")
                lib.nuem_config_format(cfg, pid, buf, 512)
            finally:
                lib.nuem_config_free(cfg)
        return ffi.string(buf).decode()

    def copy(self):
        """An independent copy."""
        c = Config.__new__(Config)
        c._file, c._assignments = self._file, list(self._assignments)
        return c

    def __repr__(self):
        sets = ", ".join(f"{s.decode()}.{k.decode()}={v.decode()}"
                         for s, k, v in self._assignments)
        return f"nuem.Config({self._file!r}{', ' if sets else ''}{sets})"


# nuem_param_find's answer for a key that does not exist (NUEM_P_COUNT)
_UNKNOWN_PARAM = lib.nuem_param_find(b"", b"")


def _config(cfg):
    if cfg is None:
        return Config()
    if isinstance(cfg, Config):
        return cfg
    if isinstance(cfg, dict):
        return Config(cfg)
    return Config(cfg)  # a file name


# ---- arrays ----------------------------------------------------------------


def _array(x, name):
    """A 1-D float64 array of finite numbers, or ValueError naming `name`."""
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim != 1:
        raise ValueError(f"nuem: {name} must be a number or a 1-D array; got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"nuem: {name} is empty")
    bad = ~np.isfinite(a)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"nuem: {name}[{i}] is {a[i]}: every value must be finite")
    return a


def _buffer(a):
    return ffi.cast("const double *", ffi.from_buffer(a))


# ---- result tables ---------------------------------------------------------


class Table:
    """A result table: every column a numpy array, with its unit.

    t.names            the column names in order
    t["elec_mu"]       a column (also t.column("elec_mu"))
    t.units["T"]       its unit, e.g. "keV"
    t.notes            the summary lines nuem prints in the header
    t.data             the whole table, rows x columns
    t.to_pandas()      a pandas DataFrame (if pandas is installed)
    """

    def __init__(self, names, units, data, notes):
        self.names = list(names)
        self.units = dict(zip(names, units))
        self.data = data
        self.notes = dict(notes)

    @classmethod
    def _take(cls, r, **extra):
        """Copy a nuem_result into Python and free it."""
        try:
            names = [ffi.string(r.names[i]).decode() for i in range(r.ncols)]
            units = [ffi.string(r.units[i]).decode() for i in range(r.ncols)]
            n = r.nrows * r.ncols
            data = np.frombuffer(ffi.buffer(r.data, 8 * n), dtype=np.float64).copy()
            data = data.reshape(r.nrows, r.ncols)
            notes = [(ffi.string(r.note_keys[i]).decode(), ffi.string(r.note_values[i]).decode())
                     for i in range(r.nnotes)]
        finally:
            lib.nuem_result_free(r)
        t = cls.__new__(cls)
        Table.__init__(t, names, units, data, [])
        t.notes = {}
        for k, v in notes:  # a repeated key (warning) keeps every value
            t.notes[k] = v if k not in t.notes else t.notes[k] + "; " + v
        t.__dict__.update(extra)
        return t

    def column(self, name):
        """The column `name` as a numpy array (KeyError names the columns)."""
        if name not in self.names:
            raise KeyError(f"nuem: no column '{name}'; columns: {' '.join(self.names)}")
        return self.data[:, self.names.index(name)]

    __getitem__ = column

    def __getattr__(self, name):
        if name.startswith("_") or "names" not in self.__dict__ or name not in self.names:
            raise AttributeError(name)
        return self.column(name)

    def __len__(self):
        return self.data.shape[0]

    def to_pandas(self):
        """The table as a pandas DataFrame, units in df.attrs["units"]."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("nuem: to_pandas needs pandas (apt-get install python3-pandas)") from e
        df = pd.DataFrame(self.data, columns=self.names)
        df.attrs["units"] = dict(self.units)
        df.attrs["notes"] = dict(self.notes)
        return df

    def __repr__(self):
        return f"<nuem.{type(self).__name__}: {len(self)} rows, columns {' '.join(self.names)}>"


class Spectrum(Table):
    """dR/dT: `energies` (= column T, keV) and the rate columns elec_sm,
    elec_mu, elec_q, elec_r2, nucl_sm, nucl_mu, nucl_q, nucl_r2, total in
    events /kg/keV/day (excesses over the SM for each property alone);
    `properties` the (mu [muB], q [e], r2 [cm2]) it was evaluated at;
    `threshold_keV` the detector threshold (for figures), `measured` True for
    a binned measured spectrum (columns E_lo, E_hi, ...)."""

    @property
    def energies(self):
        """The energies of the rows: T [keV] (a measured spectrum: E_lo)."""
        return self.column("E_lo" if self.measured else "T")


# ---- spectra and the plan --------------------------------------------------


def _threshold_keV(cfg):
    text = cfg.get("detector.threshold")
    try:
        value, unit = text.split()
        return float(value) * {"eV": 1e-3, "keV": 1.0, "MeV": 1e3}[unit]
    except (ValueError, KeyError):
        return None


class Plan:
    """The built chain of a config (source, target, the flux-moment plan,
    atomic model, detector), evaluated at any property values: a scan over
    mu, q or <r2> reuses it and costs one fold per point.

    plan = nuem.Plan(cfg)
    s = plan.spectrum(T=np.geomspace(0.1, 10, 1000), mu=1e-11, q=0, r2=0)

    The plan keeps its own copy of the config: changing cfg later does not
    change the plan. Thread-safe: several threads may evaluate one plan.
    """

    def __init__(self, cfg=None):
        self.config = _config(cfg).copy()
        self._lock = threading.Lock()
        with _Context() as ctx:
            self._cfg = self.config._build(ctx)
            p = ffi.new("nuem_spectrum **")
            try:
                ctx.check(lib.nuem_spectrum_new(ctx.ptr, self._cfg, p))
            except BaseException:
                lib.nuem_config_free(self._cfg)
                raise
        self._sp = p[0]
        c = lib.nuem_spectrum_configured(self._sp)
        self.configured = {"mu": c.mu, "q": c.q, "r2": c.r2}
        self._threshold = _threshold_keV(self.config)

    def close(self):
        """Free the C objects now (otherwise when the plan is collected)."""
        if getattr(self, "_sp", None) is not None and lib is not None:
            lib.nuem_spectrum_free(self._sp)
            lib.nuem_config_free(self._cfg)
            self._sp = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def spectrum(self, T=None, mu=None, q=None, r2=None, errors=False):
        """The true spectrum dR/dT [/kg/keV/day] at measurable energies T
        [keV] (array; None: the config's [output] grid, exactly as `nuem
        spectrum`), at mu [muB], q [e], r2 [cm2] (None: the config's value).
        errors=True adds the quadrature error columns (*_err)."""
        if self._sp is None:
            raise NuemError("this plan was closed", "usage error")
        props = ffi.new("nuem_properties *")
        props.mu = self.configured["mu"] if mu is None else _number(mu, "mu")
        props.q = self.configured["q"] if q is None else _number(q, "q")
        props.r2 = self.configured["r2"] if r2 is None else _number(r2, "r2")
        r = ffi.new("nuem_result *")
        with _Context() as ctx:
            if T is None:
                _no_property_override(mu, q, r2)
                ctx.check(lib.nuem_spectrum_config_table(ctx.ptr, self._sp, self._cfg, 0, r))
                _warn_unused(ctx, self._cfg, used=("detector.threshold",))
                used = dict(self.configured)
                return Spectrum._take(r, properties=used, measured=False,
                                      threshold_keV=self._threshold)
            Tk = _array(T, "T")
            if (Tk <= 0).any():
                raise ValueError("nuem: T must be positive (keV)")
            order = np.argsort(Tk, kind="stable")
            T_MeV = np.ascontiguousarray(Tk[order] * 1e-3)
            ctx.check(lib.nuem_spectrum_table(ctx.ptr, self._sp, props, _buffer(T_MeV),
                                              T_MeV.size, int(bool(errors)), r))
        s = Spectrum._take(r, properties={"mu": props.mu, "q": props.q, "r2": props.r2},
                           measured=False, threshold_keV=self._threshold)
        s.data = s.data[np.argsort(order, kind="stable")]  # back to the caller's order
        s.data[:, 0] = Tk  # the caller's values exactly (not T * 1e-3 * 1e3)
        return s

    def scan(self, T, mu=None, q=None, r2=None):
        """The true spectrum at T [keV] for many property values: a list of
        Spectrum, one per value. mu [muB], q [e], r2 [cm2]: a number (held)
        or an array (scanned; several arrays must have the same length and
        are scanned together). Every rate column is a quadratic form in the
        properties, so the plan evaluates 2 (mu alone) to 7 (all three)
        tables and each value is then a sum of arrays (C: nuem_spectrum_basis;
        equal to plan.spectrum to rounding, tested to 1e-9 of each column).
        No error columns."""
        if self._sp is None:
            raise NuemError("this plan was closed", "usage error")
        values, vary, length = {}, 0, None
        for bit, (name, x) in enumerate((("mu", mu), ("q", q), ("r2", r2))):
            if x is None:
                values[name] = self.configured[name]
            elif np.ndim(x) == 0:
                values[name] = _number(x, name)
            else:
                arr = _array(x, name)
                if length is not None and arr.size != length:
                    raise ValueError(f"nuem: the scanned arrays differ in length "
                                     f"({length} and {arr.size} values of {name})")
                length = arr.size
                values[name] = arr
                vary |= 1 << bit
        if not vary:
            raise ValueError("nuem: scan needs an array of mu, q or r2 values")
        Tk = _array(T, "T")
        if (Tk <= 0).any():
            raise ValueError("nuem: T must be positive (keV)")
        order = np.argsort(Tk, kind="stable")
        T_MeV = np.ascontiguousarray(Tk[order] * 1e-3)
        base = ffi.new("nuem_properties *")
        for name in ("mu", "q", "r2"):
            v = values[name]
            setattr(base, name, float(v[0]) if np.ndim(v) else v)
        b = ffi.new("nuem_spectrum_basis **")
        out = []
        with _Context() as ctx:
            ctx.check(lib.nuem_spectrum_basis_new(ctx.ptr, self._sp, base, vary,
                                                  _buffer(T_MeV), T_MeV.size, b))
            try:
                props = ffi.new("nuem_properties *")
                for i in range(length):
                    for name in ("mu", "q", "r2"):
                        v = values[name]
                        setattr(props, name, float(v[i]) if np.ndim(v) else v)
                    r = ffi.new("nuem_result *")
                    ctx.check(lib.nuem_spectrum_basis_table(ctx.ptr, b[0], props, r))
                    s = Spectrum._take(r, properties={"mu": props.mu, "q": props.q,
                                                      "r2": props.r2},
                                       measured=False, threshold_keV=self._threshold)
                    s.data = s.data[np.argsort(order, kind="stable")]
                    s.data[:, 0] = Tk
                    out.append(s)
            finally:
                lib.nuem_spectrum_basis_free(b[0])
        return out

    def measured(self):
        """The measured (binned) spectrum of the config's detector, as
        `nuem spectrum` prints it when detector.bins are given."""
        r = ffi.new("nuem_result *")
        with _Context() as ctx:
            ctx.check(lib.nuem_measured_config_table(ctx.ptr, self._sp, r))
        return Spectrum._take(r, properties=dict(self.configured), measured=True,
                              threshold_keV=self._threshold)


def _no_property_override(mu, q, r2):
    if mu is not None or q is not None or r2 is not None:
        raise ValueError("nuem: property values need T: on the config's grid the config's "
                         "values are used (set physics.mu_nu etc. instead)")


def _number(x, name):
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"nuem: {name} must be a number (mu in muB, q in e, r2 in cm2); "
                         f"got {x!r}") from None
    if not np.isfinite(v):
        raise ValueError(f"nuem: {name} is {v}: it must be finite")
    return v


def spectrum(cfg=None, T=None, mu=None, q=None, r2=None, errors=False, measured=None):
    """The spectrum of a config (Config, dict, INI file name or None for the
    defaults), as `nuem spectrum` computes it.

    T: measurable energies [keV] (array), or None for the [output] grid.
    mu [muB], q [e], r2 [cm2]: property values (None: the config's).
    measured: True for the binned measured spectrum (needs detector.bins),
    None: as the command decides (output.kind).
    Returns a Spectrum; for many property values build a Plan once."""
    cfg = _config(cfg)
    with Plan(cfg) as plan:
        if measured is None and T is None:
            with _Context() as ctx:
                c = cfg._build(ctx)
                measured = bool(lib.nuem_spectrum_is_measured(c))
                lib.nuem_config_free(c)
        if measured:
            return plan.measured()
        return plan.spectrum(T=T, mu=mu, q=q, r2=r2, errors=errors)


# ---- flux and cross sections -----------------------------------------------


def flux(cfg=None, E=None):
    """dPhi/dE at the detector [/cm2/s/MeV] of the config's source at
    neutrino energies E [MeV] (array; None: the [output] grid of `nuem
    flux`). Columns E, flux, and per source type the fission components
    with the one-sigma band (reactor: U235 U238 Pu239 Pu241 capture flux_lo
    flux_hi band) or the flavours; notes total_flux, fission_rate, ..."""
    cfg = _config(cfg)
    r = ffi.new("nuem_result *")
    with _Context() as ctx:
        c = cfg._build(ctx)
        src = ffi.new("nuem_source **")
        try:
            ctx.check(lib.nuem_source_init(ctx.ptr, c, src))
            if E is None:
                ctx.check(lib.nuem_flux_table(ctx.ptr, src[0], c, ffi.NULL, 0, r))
            else:
                e = _array(E, "E")
                ctx.check(lib.nuem_flux_table(ctx.ptr, src[0], c, _buffer(e), e.size, r))
            _warn_unused(ctx, c)
        finally:
            lib.nuem_source_free(src[0])
            lib.nuem_config_free(c)
    return Table._take(r)


_PROPERTY_KEYS = {"mu": ("physics.mu_nu", "muB"), "q": ("physics.q_nu", "e"),
                  "r2": ("physics.r2_nu", "cm2")}


def xsec(channel, E, T, target=None, flavour=None, mu=None, q=None, r2=None, atomic=None,
         cfg=None):
    """dsigma/dT [cm2/keV] term by term, as `nuem xsec`, vectorised: E [MeV]
    and T [keV] are numbers or 1-D arrays (broadcast against each other).

    channel "nu-e" (per free electron, or per atom of `target` under the
    atomic model `atomic`) or "cevns" (per nucleus of `target`: "Ge74", or
    "Ge" for the natural mixture). mu [muB], q [e], r2 [cm2] as numbers or
    text with a unit; properties not given are 0, as for the command (the
    Figure-3 defaults of [physics] are for spectra). Columns E_nu, T, sm,
    mu, q, r2, total, T_max; notes['channel'] says what they are per."""
    cfg = _config(cfg).copy()
    e, t = _array(E, "E"), _array(T, "T")
    if e.size != t.size and e.size != 1 and t.size != 1:
        raise ValueError(f"nuem: E ({e.size} values) and T ({t.size} values) must have the "
                         "same length, or one of them a single value")
    e, t = np.broadcast_arrays(e, t)
    e, t = np.ascontiguousarray(e), np.ascontiguousarray(t * 1e-3)
    if flavour is not None:
        cfg.set("physics.flavour", flavour)
    if atomic is not None:
        if target is None:
            raise ValueError("nuem: atomic applies to atoms: give target (e.g. 'Ge')")
        cfg.set("atomic.model", atomic)
    given = {"mu": mu, "q": q, "r2": r2}
    for name, (key, unit) in _PROPERTY_KEYS.items():
        value = given[name]
        if value is not None:
            cfg.set(key, value if isinstance(value, str) else f"{_number(value, name)!r} {unit}")
        elif not cfg._given(key):
            cfg.set(key, f"0 {unit}")
    r = ffi.new("nuem_result *")
    with _Context() as ctx:
        c = cfg._build(ctx)
        try:
            ctx.check(lib.nuem_xsec_table(ctx.ptr, c, _text(channel),
                                          ffi.NULL if target is None else _text(target),
                                          _buffer(e), _buffer(t), e.size, r, ffi.NULL))
            _warn_unused(ctx, c)
        finally:
            lib.nuem_config_free(c)
    return Table._take(r)


def _given(self, key):
    """1 if key was given (file or set) rather than left at its default."""
    section, _, name = key.partition(".")
    if any((s, k) == (_text(section), _text(name)) for s, k, _ in self._assignments):
        return True
    if self._file is None:
        return False
    with _Context() as ctx:
        c = self._build(ctx)
        try:
            return bool(lib.nuem_config_given(c, lib.nuem_param_find(_text(section), _text(name))))
        finally:
            lib.nuem_config_free(c)


Config._given = _given

# ---- statistics --------------------------------------------------------------


class FitResult(Table):
    """The best fit (`nuem fit`): best, lo, hi (the 68 % profile-likelihood
    interval) in `unit`, minus2lnL, ndf, nuisances (dict, in sigma of their
    constraints), notes, and the table itself."""


class LimitResult(Table):
    """A confidence interval (`nuem limit`): columns theta (muB2 for mu),
    t (-2 Delta ln L), critical, accepted per grid point; lo, hi, best in
    `unit` (muB for mu), upper_limit (True when the interval starts at the
    physical boundary), coverage (Feldman-Cousins check, or None), method."""


class SensitivityResult(Table):
    """Expected limits (`nuem sensitivity`): columns scan, asimov,
    minus2sigma, minus1sigma, median, plus1sigma, plus2sigma in `unit`;
    scan_unit and scan_key name the scanned key."""


def _data_path(data):
    path = os.fspath(data)
    return _text(path)


def _analysis(ctx, c, data):
    a = ffi.new("nuem_analysis **")
    ctx.check(lib.nuem_analysis_new(ctx.ptr, c, _data_path(data), a))
    return a[0]


def _analysis_table(cfg, data, table):
    """The result of table(ctx, c_config, analysis, result) for a fit or
    limit job on data under cfg, with the C objects freed either way."""
    cfg = _config(cfg)
    r = ffi.new("nuem_result *")
    with _Context() as ctx:
        c = cfg._build(ctx)
        a = ffi.NULL
        try:
            a = _analysis(ctx, c, data)
            ctx.check(table(ctx.ptr, c, a, r))
            _warn_unused(ctx, c)
        finally:
            lib.nuem_analysis_free(a)
            lib.nuem_config_free(c)
    return r


def fit(data, cfg=None):
    """Fit analysis.poi to a measured spectrum (file name; format
    docs/statistics.md) under the config. Returns a FitResult."""
    r = _analysis_table(cfg, data, lambda ctx, c, a, r: lib.nuem_fit_table(ctx, c, a, r))
    t = FitResult._take(r)
    row = t.data[0]
    t.best, t.lo, t.hi, t.minus2lnL, t.ndf = row[:5]
    t.unit = t.units["best"]
    t.nuisances = dict(zip(t.names[5:], row[5:]))
    return t


def limit(data, cfg=None):
    """The interval on analysis.poi at analysis.cl by analysis.method
    (feldman-cousins: analysis.toys toys per point from analysis.seed, so a
    fixed seed gives the same limit every time) for a measured spectrum.
    Returns a LimitResult."""
    iv = ffi.new("nuem_interval *")
    r = _analysis_table(cfg, data,
                        lambda ctx, c, a, r: lib.nuem_limit_table(ctx, c, a, iv, r))
    t = LimitResult._take(r)
    t.lo, t.hi, t.best = iv.lo, iv.hi, iv.best_report
    t.upper_limit = bool(iv.lo_at_boundary)
    t.at_range_end = bool(iv.hi_at_boundary)
    t.coverage = iv.coverage if iv.coverage >= 0 else None
    lib.nuem_interval_free(iv)
    t.unit = "muB" if t.units["theta"] == "muB2" else t.units["theta"]
    t.method = t.notes.get("method", "")
    return t


def sensitivity(cfg=None, scan=None):
    """Expected upper limits without signal (Asimov and the toy quantiles)
    for the config's exposure; scan "KEY=FROM:TO:N" (as `nuem sensitivity
    --scan`, e.g. "detector.exposure=1kg*day:100kg*day:5") gives them at
    every scan point. Returns a SensitivityResult."""
    cfg = _config(cfg)
    r = ffi.new("nuem_result *")
    with _Context() as ctx:
        c = cfg._build(ctx)
        try:
            ctx.check(lib.nuem_sensitivity_table(ctx.ptr, c,
                                                 ffi.NULL if scan is None else _text(scan), r))
            _warn_unused(ctx, c)
        finally:
            lib.nuem_config_free(c)
    t = SensitivityResult._take(r)
    t.unit = t.units["asimov"]
    t.scan_unit = t.units["scan"]
    t.scan_key = t.notes.get("scan", "")
    return t


class JointResult(Table):
    """A joint fit (`nuem limit --combine`): rows experiment 0 (the
    combination) and 1..n (each alone), columns experiment, best, lo, hi,
    upper_limit, expected in `unit`; `combined` and `experiments` (a dict
    by name, in order) hold each row as a dict of best, lo, hi, upper_limit,
    expected; `correlated` the shared nuisances (docs/statistics.md, "Joint
    fits")."""


def _assignments(set):
    """--set assignments "section.key=value" from a dict or a list of them."""
    if set is None:
        return []
    if isinstance(set, dict):
        return [f"{k}={v}" for k, v in set.items()]
    return [str(a) for a in set]


def joint_limit(pairs, correlated=None, set=None):
    """The joint interval of several experiments with one analysis.poi (Wilks,
    or Feldman-Cousins with analysis.method = feldman-cousins set), beside
    each experiment's alone, as `nuem limit --combine`.

    pairs: a combination file (path; its [combination] correlated applies),
    or a list of (data, config) or (name, data, config) paths (names default
    to 1, 2, ...). correlated: nuisances shared by all experiments, e.g.
    "flux" or ["flux", "quenching_k"] (pairs only). set: assignments applied
    to every experiment's config, {"analysis.poi": "q"} or ["analysis.poi=q"].
    Returns a JointResult."""
    sets = [_text(a) for a in _assignments(set)]
    c_sets = [ffi.new("char[]", a) for a in sets]
    c_set_array = ffi.new("const char *[]", c_sets) if c_sets else ffi.NULL
    j = ffi.new("nuem_joint **")
    r = ffi.new("nuem_result *")
    keep = []
    with _Context() as ctx:
        if isinstance(pairs, (str, os.PathLike)):
            if correlated is not None:
                raise ValueError("nuem: a combination file declares its own correlated "
                                 "nuisances ([combination] correlated)")
            ctx.check(lib.nuem_joint_from_file(ctx.ptr, _data_path(pairs), c_set_array,
                                               len(sets), j))
        else:
            pairs = list(pairs)
            inputs = ffi.new("nuem_joint_input[]", len(pairs))
            for i, p in enumerate(pairs):
                if len(p) not in (2, 3):
                    raise ValueError(f"nuem: experiment {i + 1}: give (data, config) or "
                                     "(name, data, config)")
                name, data, config = p if len(p) == 3 else (str(i + 1), *p)
                fields = [ffi.new("char[]", _text(name)), ffi.new("char[]", _data_path(data)),
                          ffi.new("char[]", _data_path(config))]
                keep += fields
                inputs[i].name, inputs[i].data, inputs[i].config = fields
            if correlated is not None and not isinstance(correlated, str):
                correlated = ",".join(correlated)
            ctx.check(lib.nuem_joint_new(ctx.ptr, inputs, len(pairs),
                                         ffi.NULL if correlated is None else _text(correlated),
                                         c_set_array, len(sets), j))
        try:
            ctx.check(lib.nuem_joint_limit_table(ctx.ptr, j[0], r))
            names = [ffi.string(lib.nuem_joint_name(j[0], e)).decode()
                     for e in range(lib.nuem_joint_size(j[0]))]
            for e in range(len(names)):
                _warn_unused(ctx, lib.nuem_joint_config(j[0], e))
        finally:
            lib.nuem_joint_free(j[0])
    t = JointResult._take(r)
    rows = [dict(zip(t.names[1:], row[1:])) for row in t.data]
    for row in rows:
        row["upper_limit"] = bool(row["upper_limit"])
    t.combined = rows[0]
    t.experiments = dict(zip(names, rows[1:]))
    t.unit = t.units["best"]
    t.correlated = t.notes.get("correlated", "")
    return t

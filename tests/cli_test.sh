#!/bin/sh
# Command-line tests: every command, format and documented error.
# Usage: cli_test.sh NUEM DATA_DIR. Prints "N passed, M failed".
NUEM=$1
DATA=$2
EXAMPLES=$(cd "$DATA/../../examples" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS NEEDLE -- ARGS: exit status and a string in stdout+stderr
expect() {
  want=$1 needle=$2  # (function-local by convention: do not reuse these names)
  shift 3
  "$NUEM" "$@" >"$TMP/out" 2>"$TMP/err"
  got=$?
  if [ "$got" -ne "$want" ]; then bad "nuem $* exited $got, expected $want: $(cat "$TMP/err")"; return; fi
  if [ -n "$needle" ] && ! cat "$TMP/out" "$TMP/err" | grep -qF -- "$needle"; then
    bad "nuem $*: output lacks '$needle': $(head -c 300 "$TMP/err")"; return
  fi
  if grep -qiE '(^|[^a-z])(nan|inf)([^a-z]|$)' "$TMP/out"; then bad "nuem $*: NaN or inf in output"; return; fi
  ok
}

# close VALUE EXPECTED TOL LABEL: relative agreement
close() {
  if awk -v a="$1" -v e="$2" -v t="$3" 'BEGIN { r = a / e - 1; if (r < 0) r = -r; exit !(r <= t) }'; then ok
  else bad "$4: got $1, expected $2 (tolerance $3)"; fi
}

# value of data column COL (1-based) in the first data row of a TSV in $TMP/out
first_value() { grep -v '^#' "$TMP/out" | head -n 1 | cut -f "$1"; }

# --- the main job and the provenance header --------------------------------
expect 0 "# columns: T elec_sm elec_mu elec_q elec_r2 nucl_sm nucl_mu nucl_q nucl_r2 total" --
expect 0 "#     power = 2.9 GW" --
rows=$(grep -vc '^#' "$TMP/out")
[ "$rows" -eq 41 ] && ok || bad "default spectrum has $rows rows, expected 41"
expect 0 "nuem 0.1.0" -- --version
expect 0 "commands:" -- --help
for c in spectrum flux xsec config; do expect 0 "usage: nuem $c" -- "$c" --help; done

# --- xsec: docs/validation.md, V4/V5 through the command line (cm2/keV = cm2/MeV/1e3)
expect 0 "# columns: E_nu T sm mu q r2 total T_max" -- xsec --channel nu-e --flavour antinue --enu 1MeV --t 10keV --set physics.sin2w=0.23857
close "$(first_value 3)" 1.0178e-47 1e-3 "V4 antinue"
for pair in "nue 1.0346e-47" "numu 2.1446e-48" "antinumu 2.1406e-48"; do
  set -- $pair
  expect 0 "cm2/keV" -- xsec --channel nu-e --flavour "$1" --enu 1MeV --t 10keV
  close "$(first_value 3)" "$2" 1e-3 "V4 $1"
done
expect 0 "cm2/keV" -- xsec --channel nu-e --enu "3 MeV" --t "1 keV"
close "$(first_value 3)" 1.0375e-47 1e-3 "V5 3 MeV, 1 keV"
close "$(first_value 8)" 2764.55 1e-5 "V3 T_max(3 MeV) in keV"
close "$(first_value 7)" 1.0375e-47 1e-3 "total = SM when no property is given"
# per Ge atom: 32 free electrons; stepping at 10 keV: 30 (docs/validation.md, V21)
expect 0 "per atom" -- xsec --channel nu-e --enu 1MeV --t 10keV --target Ge --atomic free
close "$(first_value 3)" 3.25696e-46 1e-3 "32 x V4 per Ge atom"
expect 0 "per atom" -- xsec --channel nu-e --enu 1MeV --t 10keV --target Ge --atomic stepping
close "$(first_value 3)" 3.05340e-46 1e-3 "30 x V4 per Ge atom (stepping)"
# CEvNS on 74Ge without form factor, E = 8 MeV, T = 0.1 keV: docs/physics.md, "Interaction: CEvNS",
# G_F^2 M Q_W^2/(4 pi) [1 - MT/2E^2 - T/E + T^2/2E^2] with M = 73.92117776 u
# (AME2020) - 32 m_e and Q_W = 40.537 (docs/physics.md, "Targets"), in cm2/keV.
expect 0 "per nucleus" -- xsec --channel cevns --target Ge74 --enu 8MeV --t 0.1keV --set physics.form_factor=none
want=$(awk 'BEGIN { M = 73.92117776 * 931.49410242 - 32 * 0.51099895; T = 1e-4; E = 8;
  G = 1.1663787e-11; hc2 = 1.973269804e-11 ^ 2; q = 40.537;
  b = 1 - M * T / (2 * E * E) - T / E + T * T / (2 * E * E);
  printf "%.8e", G * G * M / (4 * 3.14159265358979) * q * q * b * hc2 * 1e-3 }')
close "$(first_value 3)" "$want" 1e-4 "CEvNS 74Ge dsigma/dT"
expect 0 '"unit": "cm2/keV"' -- xsec --channel nu-e --enu 1MeV --t 10keV --format json
expect 0 '"value": 1.0178' -- xsec --channel nu-e --enu 1MeV --t 10keV --format json

# --- electromagnetic properties (docs/validation.md, V6-V9, V21, V22) --------
# V6: mu = 1e-11 mu_B, E = 1 MeV, T = 1 keV: 2.4922e-44 cm2/MeV per electron
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 1keV --mu 1e-11muB
close "$(first_value 4)" 2.4922e-47 1e-3 "V6 magnetic moment"
# V7: the pure q^2 term, interference cancelled by averaging +q and -q
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 1keV --q 1e-12e
qp=$(first_value 5)
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 1keV --q -1e-12e
qm=$(first_value 5)
close "$(awk -v a="$qp" -v b="$qm" 'BEGIN { printf "%.8e", (a + b) / 2 }')" 2.5464e-46 1e-3 "V7 millicharge"
# V9: <r2> = 1e-32 cm2 is g_V -> g_V + 0.02380; the excess is the SM formula
# (docs/physics.md, "Interaction: ν–e elastic scattering") with shifted g_V minus the SM, at E = 1 MeV, T = 10 keV
r2_want=$(awk 'BEGIN { s = 0.23857; gv = 0.5 + 2 * s; ga = -0.5; m = 0.51099895; E = 1; T = 0.01;
  y = 1 - T / E; A = 4.3082e-45 / 1e3;
  f0 = (gv + ga) ^ 2 + (gv - ga) ^ 2 * y * y - (gv * gv - ga * ga) * m * T / E / E; gv += 0.02380;
  f1 = (gv + ga) ^ 2 + (gv - ga) ^ 2 * y * y - (gv * gv - ga * ga) * m * T / E / E;
  printf "%.8e", A * (f1 - f0) }')
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 10keV --r2 1e-32cm2
close "$(first_value 6)" "$r2_want" 2e-3 "V9 charge radius (Giunti-Studenikin)"
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 10keV --r2 1e-34cm2 --set physics.r2_convention=vogel-engel
ve=$(first_value 6)
expect 0 "cm2/keV" -- xsec --channel nu-e --enu 1MeV --t 10keV --r2 1e-34cm2
close "$ve" "$(awk -v a="$(first_value 6)" 'BEGIN { printf "%.8e", 2 * a }')" 1e-3 "Vogel-Engel doubles the r2 excess"
# V21: stepping Z_eff(T) of Ge, as sm per atom / sm per free electron
for pair in "0.03 14" "0.125 20" "0.3 22" "1 22" "1.23 26" "1.3 28" "1.5 30" "12 32"; do
  set -- $pair
  expect 0 "per atom" -- xsec --channel nu-e --enu 1MeV --t "$1 keV" --target Ge --atomic stepping
  atom=$(first_value 3)
  expect 0 "free electron" -- xsec --channel nu-e --enu 1MeV --t "$1 keV"
  close "$(awk -v a="$atom" -v b="$(first_value 3)" 'BEGIN { printf "%.8e", a / b }')" "$2" 1e-5 "V21 Z_eff($1 keV)"
done
# V22: sigma_gamma(10 keV) = 4.35e-21 cm2 (Henke), from the EPA term
# (2 alpha q^2/pi)(sigma/T) ln(q_max/q_min) (1 - T/E + T^2/2E^2), E = 8 MeV
expect 0 "per atom" -- xsec --channel nu-e --enu 8MeV --t 10keV --target Ge --atomic epa --q 1e-12e --set atomic.q_min=1eV --set atomic.q_max=1000eV
sigma=$(awk -v v="$(first_value 5)" 'BEGIN { T = 0.01; E = 8; a = 1 / 137.035999084; L = log(1000);
  b = 1 - T / E + T * T / (2 * E * E); printf "%.6e", v * 1e3 * T * 3.14159265358979 / (2 * a * 1e-24 * L * b) }')
close "$sigma" 4.35e-21 2e-2 "V22 sigma_gamma(10 keV) through EPA"
# scalings in the spectrum: the mu excess ∝ mu^2 in both channels
expect 0 "elec_mu" -- spectrum --set output.points=3 --set physics.mu_nu=2e-11muB
grep -v '^#' "$TMP/out" | cut -f 3,7 > "$TMP/mu2"
expect 0 "elec_mu" -- spectrum --set output.points=3
grep -v '^#' "$TMP/out" | cut -f 3,7 | paste - "$TMP/mu2" |
  awk '{ if ($1 > 0 && ($3 / $1 < 3.99999 || $3 / $1 > 4.00001)) bad = 1; if ($2 > 0 && ($4 / $2 < 3.99999 || $4 / $2 > 4.00001)) bad = 1 } END { exit bad }' &&
  ok || bad "mu excess does not scale as mu^2"
expect 2 "cannot describe the magnetic moment" -- xsec --channel nu-e --enu 1MeV --t 1keV --target Ge --atomic epa --mu 1e-11muB
expect 2 "cannot describe the magnetic moment" -- spectrum --set atomic.model=epa
expect 2 "has no unit" -- xsec --channel nu-e --enu 1MeV --t 1keV --mu 1e-11
expect 2 "has no unit" -- spectrum --set physics.q_nu=1e-12
expect 2 "must be zero or positive" -- spectrum --set physics.mu_nu=-1e-11muB
expect 2 "must increase strictly" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios_nonmonotonic.dat"
expect 2 "negative" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios_negative.dat"
expect 2 "no column 'q'" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios_missing.dat"
expect 2 "needs atomic.table" -- spectrum --set atomic.model=table
expect 0 "elec_q" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios.dat"
expect 2 "covers T" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios.dat" --set output.t_min=1eV
expect 0 "elec_q" -- spectrum --set atomic.model=table --set "atomic.table=$DATA/ratios.dat" --set output.t_min=1eV --set atomic.extrapolation=clamp
expect 0 "elec_q" -- spectrum --set atomic.model=epa --set physics.mu_nu=0muB
# ab-initio: response tables (docs/data-formats.md, "Atomic response tables")
# Ge ships its table (data/atomic/Ge_response.dat); Si has none, CsI is a compound
expect 0 "elec_q" -- spectrum --set atomic.model=ab-initio --set output.points=5
expect 2 "no built-in response table for Si" -- spectrum --set atomic.model=ab-initio --set target.material=Si
expect 2 "compound" -- spectrum --set atomic.model=ab-initio --set target.material=CsI
expect 0 "per atom" -- xsec --channel nu-e --enu 1MeV --t 3keV --target Ge --atomic ab-initio --q 1e-12e --set "atomic.response_table=$DATA/ge_response_gaussian.dat"
expect 0 "elec_q" -- spectrum --set atomic.model=ab-initio --set "atomic.response_table=$DATA/ge_response_gaussian.dat" --set output.t_max=100keV
expect 2 "covers T" -- spectrum --set atomic.model=ab-initio --set "atomic.response_table=$DATA/ge_response_gaussian.dat" --set output.t_min=1eV
expect 2 "flux-moment fold" -- spectrum --set atomic.model=ab-initio --set "atomic.response_table=$DATA/ge_response_gaussian.dat" --set atomic.pole_regulator=neutrino-mass
expect 0 "per atom" -- xsec --channel nu-e --enu 1MeV --t 3keV --target Ge --atomic ab-initio --q 1e-12e --set "atomic.response_table=$DATA/ge_response_gaussian.dat" --set atomic.pole_regulator=neutrino-mass
expect 2 "response table of Ge" -- xsec --channel nu-e --enu 1MeV --t 3keV --target Si --atomic ab-initio --set "atomic.response_table=$DATA/ge_response_gaussian.dat"

# --- flux: Kuo-Sheng fission rate 8.78e19 /s (docs/validation.md, V12) -----
expect 0 "# fission_rate: 8.78" -- flux
expect 0 "# total_flux: 6.4e+12 /cm2/s" -- flux --set source.total_flux=6.4e12/cm2/s
expect 0 "# columns: E flux U235 U238 Pu239 Pu241 capture flux_lo flux_hi band" -- flux --set output.points=5
expect 0 "# total_flux: 2e+12" -- flux --set source.type=table --set "source.file=$DATA/flux_box.dat" --set output.e_min=1MeV

# --- spectrum: with 6.4e12 /cm2/s the free-electron SM rate at 1-3 keV is
# 1.523e-3 /kg/keV/day (docs/physics.md, "Interaction: ν–e elastic scattering", low-T limit × 2.6533e26 e/kg × flux)
# (the Vogel-Engel spectrum below 2 MeV, for which T/E leaves < 2 % at 3 keV)
expect 0 "elec_sm" -- spectrum --set source.total_flux=6.4e12/cm2/s --set output.t_min=1keV --set output.t_max=3keV --set output.points=3 --set atomic.model=free --set source.low_energy=vogel-engel
for r in $(grep -v '^#' "$TMP/out" | cut -f 2); do close "$r" 1.523e-3 2e-2 "SM nu-e rate at 1-3 keV"; done
expect 0 "T [keV],elec_sm [/kg/keV/day]" -- spectrum --format csv
expect 0 "# columns: T elec_sm elec_mu elec_q elec_r2 nucl_sm nucl_mu nucl_q nucl_r2 total elec_sm_err" -- spectrum --set output.errors=on
# every error estimate below 1e-6 (electrons) / 1e-5 (nuclei) of its rate
# (docs/performance.md: worst actual difference 2e-7)
grep -v '^#' "$TMP/out" | awk '$11 > 1e-6 * $2 || ($6 > 0 && $15 > 1e-5 * $6) { bad = 1 } END { exit bad }' && ok || bad "error estimates too large"
expect 0 '"columns": [{"name": "T", "unit": "keV"}' -- spectrum --format json
expect 0 '"power": "2.9 GW"' -- spectrum --format json
if command -v python3 >/dev/null 2>&1; then
  python3 -m json.tool "$TMP/out" >/dev/null && ok || bad "spectrum --format json is not valid JSON"
fi
expect 0 "#     distance = 13.9 m" -- spectrum "$DATA/gemma.ini"
expect 0 "" -- spectrum "$DATA/gemma.ini" --out "$TMP/spectrum.tsv"
[ ! -s "$TMP/out" ] && grep -q "elec_sm" "$TMP/spectrum.tsv" && ok || bad "--out did not write the file"
sum_before=$(cksum < "$DATA/gemma.ini")
expect 2 "never overwrites" -- spectrum "$DATA/gemma.ini" --out "$DATA/gemma.ini"
[ "$(cksum < "$DATA/gemma.ini")" = "$sum_before" ] && ok || bad "the input file was modified"
expect 0 "source.file was given" -- spectrum --set source.file=unused.dat

# --- detector response, experiments, plots (docs/physics.md, "Detector response") --
for f in texono2007 texono_pcge gemma conus dresden2; do
  expect 0 "# columns: E_lo E_hi elec_sm" -- spectrum "$EXAMPLES/$f.ini"
done
expect 0 "counts_on" -- spectrum --set detector.bins=0.2keV:2.2keV:10 --set detector.exposure=10kg*day
# exposure scales counts linearly
on10=$(grep -v '^#' "$TMP/out" | awk '{ s += $14 } END { printf "%.10g", s }')
expect 0 "counts_on" -- spectrum --set detector.bins=0.2keV:2.2keV:10 --set detector.exposure=30kg*day
close "$(grep -v '^#' "$TMP/out" | awk '{ s += $14 } END { printf "%.10g", s }')" "$(awk -v a="$on10" 'BEGIN { printf "%.10g", 3 * a }')" 1e-6 "counts scale with exposure"
# the response matrix: export, import, the same measured spectrum
expect 0 "" -- response --set detector.bins=0.2keV:2.2keV:10 --out "$TMP/matrix.dat"
grep -q "^# true_edges:" "$TMP/matrix.dat" && ok || bad "nuem response wrote no true_edges"
expect 0 "counts_on" -- spectrum --set detector.bins=0.2keV:2.2keV:10
grep -v '^#' "$TMP/out" > "$TMP/direct"
expect 0 "counts_on" -- spectrum --set "detector.response_matrix=$TMP/matrix.dat"
grep -v '^#' "$TMP/out" | paste - "$TMP/direct" | awk '{ for (i = 1; i <= 15; i++) { d = $i - $(i + 15); if (d < 0) d = -d; if (d > 1e-6 * ($i < 0 ? -$i : $i) + 1e-30) bad = 1 } } END { exit bad }' &&
  ok || bad "imported matrix gives a different measured spectrum"
expect 2 "shape must match" -- spectrum --set "detector.response_matrix=$DATA/matrix_bad_shape.dat"
expect 2 "brings its own bins" -- spectrum --set "detector.response_matrix=$TMP/matrix.dat" --set detector.bins=0.2keV:2.2keV:10
expect 2 "outside [0, 1]" -- spectrum --set detector.bins=0.2keV:2.2keV:10 --set detector.efficiency=table --set "detector.efficiency_table=$DATA/eff_bad.dat"
expect 2 "increase strictly" -- spectrum --set "detector.bin_edges=0.2 0.5 0.4 keV"
expect 2 "must be zero or positive" -- spectrum --set detector.sigma0=-10eV
expect 2 "needs bins" -- spectrum --set output.kind=measured
# plots: the picture, its data and script; gnuplot missing is a clear error
expect 0 "wrote $TMP/fig.png" -- spectrum --set output.points=60 --set detector.threshold=300eV --plot "$TMP/fig.png"
[ -s "$TMP/fig.png" ] && [ -s "$TMP/fig.gp" ] && [ -s "$TMP/fig.true.tsv" ] && ok || bad "--plot did not write picture, script and data"
head -c 8 "$TMP/fig.png" | od -An -c | grep -q "P   N   G" && ok || bad "--plot did not write a PNG"
expect 0 "wrote $TMP/fig2.svg" -- spectrum "$EXAMPLES/conus.ini" --plot "$TMP/fig2.svg"
[ -s "$TMP/fig2.measured.tsv" ] && grep -q "<svg" "$TMP/fig2.svg" && ok || bad "--plot svg with the measured panel"
expect 2 "must be NAME.png, NAME.svg or NAME.pdf" -- spectrum --plot "$TMP/fig.gif"
PATH=/nonexistent "$NUEM" spectrum --plot "$TMP/x.png" >/dev/null 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "apt-get install gnuplot" "$TMP/err" && ok || bad "missing gnuplot is not a clear error"
# no progress bar when stderr is not a terminal
"$NUEM" spectrum --set output.points=2000 >/dev/null 2>"$TMP/err"
[ ! -s "$TMP/err" ] && ok || bad "something was printed on a non-terminal stderr: $(head -c 100 "$TMP/err")"

# --- statistics (docs/statistics.md) --------------------------------------------
expect 0 "# columns: best lo_68 hi_68 minus2lnL ndf" -- fit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini"
expect 0 "an upper limit" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks
# Wilks 90 % limit for these rounded expectations: the mu excess over
# 12-60 keV (184 counts at 7.4e-11, docs/examples.md) against the ON-OFF error
# sqrt(29035 + 6504 (604.9/135.5)^2) = 398 gives (1.645 x 398/184)^0.5 x 7.4e-11
# ~ 1.4e-10 for a single-bin count; the spectral fit must land within 30 %.
lim=$(grep "^# interval" "$TMP/out" | sed 's/.*, \([0-9.e+-]*\)\].*/\1/')
close "$lim" 1.4e-10 0.3 "TEXONO-like Wilks limit"
expect 0 "coverage:" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.toys=400 --set analysis.grid=12
# the joint fit of the example combination (docs/statistics.md, "Joint
# fits"): relative paths from any directory; the combination's limit lies
# below each experiment's alone, and each alone is the plain limit's
expect 0 "# limit_combined:" -- limit --combine "$EXAMPLES/combination.ini"
combined=$(grep -v '^#' "$TMP/out" | sed -n 1p | cut -f 4)
texono_alone=$(grep -v '^#' "$TMP/out" | sed -n 2p | cut -f 4)
gemma_alone=$(grep -v '^#' "$TMP/out" | sed -n 3p | cut -f 4)
if awk -v c="$combined" -v t="$texono_alone" -v g="$gemma_alone" 'BEGIN { exit !(c < t && c < g) }'; then ok
else bad "joint limit $combined is not below TEXONO's $texono_alone and GEMMA's $gemma_alone"; fi
expect 0 "# interval:" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks
close "$texono_alone" "$(grep '^# interval:' "$TMP/out" | sed 's/.*, \([0-9.e+-]*\)\].*/\1/')" 1e-5 "TEXONO alone in the joint table (the header prints 6 digits)"
# analysis.flux_model = spectrum: the header names the derived width. A
# correlated band's relative width on the flux is the flux-weighted mean of
# its per-bin relative errors: Perisse's 2.9-9.8 % (docs/physics.md) over
# the 78 % of the flux below 2 MeV give 2.3-7.6 %; Huber's part adds little.
expect 0 "flux_uncertainty: 0.0" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks --set analysis.flux_model=spectrum
w=$(grep "^# flux_uncertainty:" "$TMP/out" | sed 's/.*: \([0-9.e+-]*\) .*/\1/')
awk -v w="$w" 'BEGIN { exit !(w > 0.022 && w < 0.08) }' && ok || bad "flux width from the spectrum $w outside (0.022, 0.08)"
expect 0 '"name": "theta"' -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks --format json
expect 0 "interval" -- limit "$DATA/residual.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks --set analysis.poi=q --set detector.bins=12keV:60keV:2
expect 0 "# columns: scan asimov minus2sigma minus1sigma median plus1sigma plus2sigma" -- sensitivity "$EXAMPLES/gemma.ini" --set analysis.toys=200 --scan detector.exposure=300kg*day:1200kg*day:3
# more exposure, a better (smaller) expected limit
grep -v '^#' "$TMP/out" | awk 'NR == 1 { a = $2 } END { exit !($2 < a) }' && ok || bad "sensitivity does not improve with exposure"
expect 0 "wrote" -- sensitivity "$EXAMPLES/gemma.ini" --set analysis.toys=100 --scan detector.exposure=300kg*day:1200kg*day:2 --plot "$TMP/sens.png"
[ -s "$TMP/sens.png" ] && ok || bad "sensitivity --plot wrote no picture"
# 2-D contour: the chi2 quantile for 2 dof at 90 % is -2 ln(0.1) = 4.605 (analytic)
expect 0 "Delta -2 ln L <= 4.605" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.poi2=q --set analysis.grid=20 --set analysis.method=wilks
rows=$(grep -vc '^#' "$TMP/out")
[ "$rows" -eq 400 ] && ok || bad "contour has $rows grid rows, expected 400"
grep -v '^#' "$TMP/out" | awk '$3 < 1e-12 && $4 != 1 { bad = 1 } END { exit bad }' && ok || bad "the best fit is not accepted"
# 2-D Feldman-Cousins beside Wilks (docs/statistics.md): the region holds the
# best fit; the same seed gives the same table on 1 and 2 threads; --plot
# draws both contours
FC2="--set analysis.poi2=q --set analysis.grid=6 --set analysis.toys=100"
expect 0 "contains_best_fit: yes" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" $FC2 --set analysis.threads=1
grep -v '^#' "$TMP/out" >"$TMP/fc2_1"
grep -q "^# columns: theta1 theta2 t critical accepted accepted_wilks" "$TMP/out" && ok || bad "2-D FC table lacks its columns"
expect 0 "Feldman-Cousins 2-D" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" $FC2 --set analysis.threads=2 --plot "$TMP/fc2.png"
grep -v '^#' "$TMP/out" | cmp -s - "$TMP/fc2_1" && ok || bad "2-D FC differs between 1 and 2 threads"
[ -s "$TMP/fc2.png" ] && grep -q "Feldman-Cousins" "$TMP/fc2.gp" && ok || bad "2-D FC --plot drew no FC contour"
# CLs and Bayesian upper limits (docs/statistics.md; closed-form checks in
# tests/test_intervals.c): each prints its scan and the limit; with the best
# fit at the boundary all three agree with Wilks to ~5 % (for Gaussian data
# all are 1.645 sigma in mu^2, the derivation in docs/statistics.md)
for method in cls-asymptotic bayes; do
  expect 0 "# limit: mu < " -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=$method
  grep '^# limit' "$TMP/out" | awk '{ exit !($5 > 1.18e-10 && $5 < 1.38e-10) }' && ok || bad "$method limit $(grep '^# limit' "$TMP/out") not within 5 % of Wilks' 1.246e-10"
done
expect 0 "prior flat in |mu|" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=bayes --set analysis.prior=flat-mu
expect 0 "# limit: |q| < " -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=bayes --set analysis.poi=q
expect 0 "# columns: theta q clsb clb cls" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=cls --set analysis.toys=100 --set analysis.grid=10 --plot "$TMP/cls.png"
[ -s "$TMP/cls.png" ] && ok || bad "CLs --plot wrote no picture"
expect 0 "Bayesian upper limit, 90 % CL, at each" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=bayes --scan analysis.flux_uncertainty=0.05:0.1:2
expect 2 "must differ" -- limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.poi2=mu
expect 2 "needs a measured spectrum" -- fit
expect 2 "whole numbers >= 0" -- fit "$DATA/data_negative.dat"
expect 2 "zero exposure" -- limit "$DATA/data_zero_exposure.dat"
expect 2 "do not match the config" -- fit "$DATA/texono_like.dat" "$EXAMPLES/gemma.ini"
expect 2 "unknown key 'detector.thresh'" -- sensitivity "$EXAMPLES/gemma.ini" --scan detector.thresh=1keV:2keV:2
expect 2 "FROM:TO:N" -- sensitivity "$EXAMPLES/gemma.ini" --scan detector.threshold=1keV
expect 2 "cannot be scanned" -- sensitivity "$EXAMPLES/gemma.ini" --scan physics.flavour=1:2:2
expect 2 "needs residual data" -- fit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.statistic=chi2

# --- config -------------------------------------------------------------------
expect 0 "source.power	2.9 GW" -- config
expect 0 "| \`power\` | \`2.9 GW\` | GW |" -- config --format markdown

# --- one chain per job (NUEM_STATS=1 prints what a job built) ---------------
stats_of() { NUEM_STATS=1 "$NUEM" "$@" 2>&1 >/dev/null | grep -o 'rate plans [0-9]*'; }
got=$(stats_of limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.poi=q \
  --set analysis.method=wilks --set analysis.energy_scale_uncertainty=0.01 \
  --set analysis.quenching_k_uncertainty=0.005 --set analysis.grid=11)
[ "$got" = "rate plans 1" ] && ok || bad "limit with nuisances built '$got', expected one plan"
got=$(stats_of sensitivity "$EXAMPLES/gemma.ini" --set analysis.toys=100 \
  --scan 'detector.threshold=2keV:4keV:3')
[ "$got" = "rate plans 1" ] && ok || bad "a detector scan built '$got', expected one plan"
# several keys with one factor: ON and OFF exposure together
expect 0 "# scan: detector.exposure,detector.exposure_off" -- sensitivity "$EXAMPLES/gemma.ini" \
  --set analysis.toys=100 --scan 'detector.exposure,detector.exposure_off*=1:4:2'
expect 2 "different units" -- sensitivity --scan 'detector.exposure,detector.threshold=1:2:2'
expect 2 "named twice" -- sensitivity --scan 'detector.exposure,detector.exposure*=1:2:2'

# --- statistics that fail loudly ---------------------------------------------
# Zero counts: the FC limit stays near Wilks. With the background free and
# at zero, half the toys fluctuate upwards into a one-sided chi2 whose 90 %
# quantile is 1.64 (against Wilks' 2.71), so for mu ~ sqrt(counts) the ratio
# is near sqrt(1.64/2.71) = 0.78; the issue asks for a factor 1.5 at most.
expect 0 "interval" -- limit "$DATA/zero_on.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks
wilks=$(grep '^# interval' "$TMP/out" | sed 's/.*, \([0-9.e+-]*\)\].*/\1/')
expect 0 "interval" -- limit "$DATA/zero_on.dat" "$EXAMPLES/texono2007.ini" --set analysis.toys=1000
fc=$(grep '^# interval' "$TMP/out" | sed 's/.*, \([0-9.e+-]*\)\].*/\1/')
if awk -v a="$fc" -v b="$wilks" 'BEGIN { r = a / b; exit !(r > 1 / 1.5 && r < 1.5) }'; then ok
else bad "zero counts: FC limit $fc vs Wilks $wilks, not within a factor 1.5"; fi
expect 0 "sits at its bound" -- limit "$DATA/zero_on.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=wilks
expect 0 "shrinks to the boundary" -- limit "$DATA/zero_onoff.dat" "$EXAMPLES/texono2007.ini" --set analysis.toys=300
expect 1 "too coarse for intervals" -- fit "$DATA/huge_counts.dat" "$EXAMPLES/texono2007.ini" \
  --set detector.bins=12keV:15keV:3

# --- what a newcomer tripped over --------------------------------------------
expect 0 "# columns: E flux" -- flux --set source.type=table --set "source.file=$DATA/flux_box.dat"
grep '^# columns' "$TMP/out" | grep -q "U235" && bad "a flux table's column is labelled U235" || ok
expect 0 "quadrature error" -- flux
grep -q "quadrature error [0-9.e+-]* /cm2/s" "$TMP/out" && ok || bad "flux error without a unit"
expect 0 "mu_nu = 0 muB" -- xsec --channel nu-e --enu 1MeV --t 10keV
expect 0 "" -- response "$EXAMPLES/conus.ini"
# an experiment file describes more than the detector: no warnings outside [detector]
grep "not used" "$TMP/err" | grep -qv "warning: detector\." && bad "nuem response warns about keys it never needs: $(head -c 200 "$TMP/err")" || ok
expect 2 "add --scan" -- sensitivity --plot "$TMP/s.png"
[ -e "$TMP/s.png" ] && bad "sensitivity --plot without --scan left a picture" || ok

# --- atomic models side by side ------------------------------------------------
# stepping at 1 keV on Ge: 22 of 32 electrons (docs/physics.md, "Stepping")
expect 0 "# columns: T sm_stepping mu_stepping q2_stepping qweak_stepping sm_epa q2_epa qweak_epa" -- \
  ratios --set output.t_min=1keV --set output.t_max=1keV --set output.points=1
close "$(first_value 2)" 0.6875 1e-12 "stepping/free at 1 keV"
close "$(first_value 4)" 0.6875 1e-12 "stepping/free for q^2 at 1 keV"
expect 2 "cannot be compared" -- ratios --models stepping,magic
# ab-initio on a free-electron ridge table (32 electrons, no binding but 7.9 eV):
# its weak ratio to free electrons at 3 keV is 1 to the table's Gaussian
# smearing (sigma = 0.3 T); the test table is not Ge physics
expect 0 "sm_ab-initio" -- ratios --models ab-initio --set "atomic.response_table=$DATA/ge_response_gaussian.dat" \
  --set output.t_min=3keV --set output.t_max=3keV --set output.points=1
close "$(first_value 2)" 1.0 0.05 "free-electron table / free electrons at 3 keV"
expect 0 "wrote" -- ratios --set output.points=50 --plot "$TMP/ratios.png"

# --- bad input: documented error, exit status 2, never a crash ----------------
expect 2 "cannot open '/nonexistent.ini'" -- spectrum /nonexistent.ini
expect 2 "malformed.ini:3" -- spectrum "$DATA/malformed.ini"
expect 2 "unknown key 'powr'" -- spectrum "$DATA/unknown_key.ini"
expect 2 "must be positive" -- spectrum "$DATA/negative_power.ini"
expect 2 "sum to 0.95" -- spectrum "$DATA/fractions_sum.ini"
expect 2 "has dimension energy time^-1 but length is expected" -- spectrum "$DATA/unit_mismatch.ini"
expect 2 "unknown isotope 'Th232'" -- spectrum --set "source.fractions=U235:0.9 Th232:0.1"
expect 2 "unknown isotope Ge75" -- xsec --channel cevns --target Ge75 --enu 1MeV --t 1keV
expect 2 "unknown target 'Kr'" -- spectrum --set target.material=Kr
expect 2 "has no unit" -- xsec --channel nu-e --enu 1 --t 10keV
expect 2 "dimension" -- xsec --channel nu-e --enu 1m --t 10keV
expect 2 "no data rows" -- flux --set source.type=table --set "source.file=$DATA/flux_empty.dat"
expect 2 "must increase strictly" -- flux --set source.type=table --set "source.file=$DATA/flux_nonmonotonic.dat"
expect 2 "negative" -- flux --set source.type=table --set "source.file=$DATA/flux_negative.dat"
expect 2 "units" -- flux --set source.type=table --set "source.file=$DATA/flux_nounits.dat"
expect 2 "needs source.file" -- flux --set source.type=table
expect 2 "unknown command 'spectra'" -- spectra
expect 2 "unknown option '--plto'" -- spectrum --plto x.png
expect 2 "needs a value" -- xsec --channel nu-e --t 1keV --enu
expect 2 "choose nu-e or cevns" -- xsec --channel nu-mu --enu 1MeV --t 1keV
expect 2 "needs a nucleus" -- xsec --channel cevns --enu 1MeV --t 1keV
expect 2 "choose tsv, csv or json" -- spectrum --format xml
expect 2 "only for \`nuem config\`" -- spectrum --format markdown
expect 2 "SECTION.KEY=VALUE" -- spectrum --set power=3GW
expect 2 "must exceed" -- spectrum --set output.t_min=10keV --set output.t_max=1keV
expect 2 "e_max" -- spectrum --set source.e_max=20MeV

# --- nuem atomic: first-principles responses (docs/physics.md) -------------
expect 0 "# shells: 0=1s 1=2s 2=2p1/2" -- atomic --element Ge --t 1keV --q 30keV
expect 0 "Henke 2.265e-19 cm2" -- atomic --element Ge --t 1keV --q 30keV
# N_eff summed over shells at 1 keV: the stepping count 22 (docs/physics.md) within 1 %
close "$(grep -v '^#' "$TMP/out" | tail -n 1 | cut -f 6)" 22 0.01 "atomic N_eff(1 keV)"
expect 0 "edges koopmans" -- atomic --element Ge --t 20keV --q 100keV --edges koopmans
# Xe (Bunge et al. 1993) and Si (Koga et al. 1999) orbitals: 17 and 6 subshells; at 1 keV Si has its
# 12 L and M electrons free (stepping count) within 1 %
expect 0 "16=5p3/2 17=all" -- atomic --element Xe --t 1keV --q 1keV
expect 0 "# shells: 0=1s 1=2s 2=2p1/2 3=2p3/2 4=3s 5=3p 6=all" -- atomic --element Si --t 1keV --q 30keV
close "$(grep -v '^#' "$TMP/out" | tail -n 1 | cut -f 6)" 12 0.01 "atomic Si N_eff(1 keV)"
expect 2 "no atomic orbital data for element 'Na' (compiled in: Ar Ge Si Xe" -- atomic --element Na --t 1keV --q 1keV
expect 2 "needs --element" -- atomic --t 1keV --q 1keV
expect 2 "needs --t and --q" -- atomic --element Ge
expect 2 "choose experimental or koopmans" -- atomic --element Ge --t 1keV --q 1keV --edges dft
# multipoles of exp(iq.r) up to L = 6 only, as in Roberts et al.'s Xe tables (docs/validation.md)
expect 0 "multipoles of exp(iq.r) L <= 6" -- atomic --element Xe --t 1007.4eV --q 37.35keV --max-multipole 6 --edges koopmans
expect 2 "--max-multipole 'six': a whole number 0..396" -- atomic --element Xe --t 1keV --q 1keV --max-multipole six
expect 2 "--max-multipole '-1': a whole number 0..396" -- atomic --element Xe --t 1keV --q 1keV --max-multipole=-1
expect 2 "unknown option '--enu'" -- atomic --element Ge --enu 1MeV

# --- sterile-neutrino dark matter (docs/physics.md, docs/validation.md A19) --
SDM="--set source.type=sterile-dm --set source.mass=10keV --set physics.mu_sa=1e-12muB --set atomic.model=stepping"
note() { grep "^# $1:" "$TMP/out" | head -n 1 | sed "s/^# $1: *//" | cut -d' ' -f1; }
expect 0 "# columns: T line continuum_none total" -- spectrum $SDM
# Gamma = alpha (mu/mu_B)^2 m^3/(8 m_e^2 hbar) = 5.307250e-12 /s (A19: 5.31e-12, 1e-3)
close "$(note decay_width)" 5.31e-12 1e-3 "sterile width (A19)"
# n_s Gamma/rho_Ge = 3e4/cm3 x 5.307250e-12/s x 86400 s / 5.323e-3 kg/cm3 = 2.584331 /kg/day
# (A19 prints 2.58: the same to its three digits)
close "$(note line)" 2.584331 1e-5 "sterile line rate (A19)"
close "$(note line)" 2.58 2e-3 "sterile line rate vs the printed A19 value"
grep -q "^# line: .* at T = 5 keV" "$TMP/out" && ok || bad "the line is not at T = 5 keV"
grep -q "m_s v0/2 = 3.66921 eV" "$TMP/out" && ok || bad "the line's half width m_s v0/2 is not 3.669 eV"
# mu^2 m^2 rho: x 4 x 4 x 4/3 at 2 mu, 2 m, 0.4 GeV/cm3
expect 0 "" -- spectrum $SDM --set source.mass=20keV --set physics.mu_sa=2e-12muB --set source.dm_density=0.4GeV/cm3
close "$(note line)" "$(awk 'BEGIN { print 2.584331 * 64 / 3 }')" 1e-5 "sterile line scaling"
# sin^2 2theta = 7e-11 at 7.1 keV: mu_sa = 3 G_F m_e m_s sqrt(7e-11)/(8 sqrt2 pi^2) = 9.512e-21 muB
expect 0 "# sin2_2theta: 7e-11" -- spectrum $SDM --set physics.mu_sa=none --set physics.sin2_2theta=7e-11 --set source.mass=7.1keV
close "$(note mu_sa)" 9.51225e-21 1e-4 "mu_sa from sin2_2theta"
# after the resolution, the counts: 2.584331/kg/day x 100 kg day in 4-6 keV
expect 0 "counts_signal" -- spectrum $SDM --set detector.bins=4keV:6keV:40 --set detector.exposure=100kg*day
close "$(grep -v '^#' "$TMP/out" | awk '{ s += $13 } END { printf "%.9g", s }')" 258.4331 1e-4 "sterile counts after smearing"
# the continuum from the ab-initio and the photoabsorption-dipole responses agree within 10 % at 3.5 keV
expect 0 "continuum_ab-initio" -- spectrum $SDM --set atomic.model=ab-initio --set output.t_min=3.5keV --set output.t_max=3.5keV --set output.points=1
abinitio=$(first_value 3)
expect 0 "continuum_epa-dipole" -- spectrum $SDM --set atomic.model=epa --set output.t_min=3.5keV --set output.t_max=3.5keV --set output.points=1
close "$(first_value 3)" "$abinitio" 0.1 "sterile continuum: ab-initio vs photoabsorption dipole"
# limits versus mass: 59 masses with Wilks in under 10 s (2 cores), no NaN, the look-elsewhere note
start=$(date +%s%N)
expect 0 "# look_elsewhere: global p" -- limit "$DATA/sterile_background_only.dat" "$EXAMPLES/sterile_ge.ini" --scan source.mass=2keV:60keV:59
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "${NUEM_SANITIZED:-0}" = 1 ]; then echo "note: sanitizer build, the 59-mass scan's $ms ms are not timed"
else [ "$ms" -lt 10000 ] && ok || bad "59-mass Wilks scan took $ms ms (limit 10 s)"; fi
[ "$(grep -vc '^#' "$TMP/out")" -eq 59 ] && ok || bad "the mass scan has not 59 rows"
# Feldman-Cousins along the scan: the same numbers on 1 and 2 threads
FC="--scan source.mass=9keV:11keV:3 --set analysis.method=feldman-cousins --set analysis.toys=100 --set analysis.grid=15"
expect 0 "Feldman-Cousins" -- limit "$DATA/sterile_background_only.dat" "$EXAMPLES/sterile_ge.ini" $FC --set analysis.threads=1
grep -v '^#' "$TMP/out" >"$TMP/fc1"
expect 0 "Feldman-Cousins" -- limit "$DATA/sterile_background_only.dat" "$EXAMPLES/sterile_ge.ini" $FC --set analysis.threads=2
grep -v '^#' "$TMP/out" | cmp -s - "$TMP/fc1" && ok || bad "FC mass scan differs between 1 and 2 threads"
if command -v gnuplot >/dev/null 2>&1; then
  expect 0 "wrote $TMP/excl.png" -- limit "$DATA/sterile_background_only.dat" "$EXAMPLES/sterile_ge.ini" --scan source.mass=2keV:60keV:10 --plot "$TMP/excl.png"
  grep -q "lifetime > age of the Universe" "$TMP/excl.gp" && ok || bad "the exclusion plot lacks the lifetime bound"
fi

# COHERENT CsI[Na] 2017 (examples/coherent-csi-2017.ini, its tables relative
# to the repository root): the collaboration predicted 173 +- 48 CEvNS events
# (Akimov et al., Science 357, 1123 (2017)); issue 11 asks for 20 %.
if (cd "$EXAMPLES/.." && "$NUEM" spectrum examples/coherent-csi-2017.ini) >"$TMP/out" 2>"$TMP/err"; then
  counts=$(sed -n 's/^# expected_counts: \([0-9.e+]*\) signal.*/\1/p' "$TMP/out")
  close "${counts:-0}" 173 0.20 "COHERENT CsI 2017 CEvNS count"
else bad "the COHERENT example failed: $(head -c 300 "$TMP/err")"; fi

# --- XENONnT 2022: mu_nu from the public SR0 data (docs/validation.md, "XENONnT 2022") ---
XE="$EXAMPLES/xenonnt2022"
# the release's numbers, copied unchanged: only nuem headers were added
for pair in events.dat:data_unbinned_1to30kev.txt b0.dat:bkg_model.txt efficiency.dat:efficiency.txt; do
  if grep -v '^#' "$XE/${pair%%:*}" | cmp -s - "$XE/${pair#*:}"; then ok
  else bad "$XE/${pair%%:*}: rows differ from the release's ${pair#*:}"; fi
done
# the documented command, from the repository root (the example's table paths are relative to it)
(cd "$EXAMPLES/.." && "$NUEM" limit examples/xenonnt2022/events.dat examples/xenonnt2022.ini >"$TMP/xe" 2>"$TMP/xe_err")
xe_limit=$(sed -n 's/^# interval: \[0, \([0-9.e+-]*\)\] muB.*/\1/p' "$TMP/xe")
# E. Aprile et al. (XENON), PRL 129, 161805 (2022), arXiv:2207.11330: mu_nu < 6.3e-12 muB at 90 % CL;
# the issue-11 criterion is agreement within 30 %
close "${xe_limit:-0}" 6.3e-12 0.3 "XENONnT 2022 mu_nu limit (published 6.3e-12 muB): $(head -c 300 "$TMP/xe_err")"
# the unbinned likelihood against the binned one on the same events in the model's 0.1 keV bins: the
# densities differ only by the interpolation inside a bin, far below the resolution (0.3 keV at 1 keV)
awk 'BEGIN { print "# exposure_on: 1.16 t*yr"; print "# columns: E_lo E_hi on"; print "# units: keV keV 1" }
     !/^#/ { b = int(($1 - 1) * 10); if (b > 289) b = 289; n[b]++ }
     END { for (i = 0; i < 290; i++) printf "%.1f %.1f %d\n", 1 + i / 10, 1 + (i + 1) / 10, n[i] + 0 }' \
  "$XE/events.dat" >"$TMP/xe_binned.dat"
XS="--set detector.efficiency_table=$XE/efficiency.dat --set background.table=$XE/b0.dat"
expect 0 "# interval: [0," -- limit "$TMP/xe_binned.dat" "$EXAMPLES/xenonnt2022.ini" $XS --set analysis.statistic=auto
binned_limit=$(sed -n 's/^# interval: \[0, \([0-9.e+-]*\)\] muB.*/\1/p' "$TMP/out")
close "${binned_limit:-0}" "${xe_limit:-1}" 0.01 "XENONnT binned vs unbinned limit"
expect 0 "433 events in 1-30 keV" -- fit "$XE/events.dat" "$EXAMPLES/xenonnt2022.ini" $XS

# --- Borexino-like and tritium-source examples (docs/validation.md) ---
# a projection without Borexino's radioactive backgrounds must be at least as strong as the published
# mu_nu < 2.8e-11 muB (Agostini et al., PRD 96, 091103 (2017)), and not absurdly stronger (factor 5)
expect 0 "# columns: scan asimov" -- sensitivity "$EXAMPLES/borexino-like.ini" --set analysis.toys=100
bx=$(first_value 2)
if awk -v x="${bx:-0}" 'BEGIN { exit !(x > 2.8e-11 / 5 && x <= 2.8e-11) }'; then ok
else bad "Borexino-like Asimov limit $bx outside (2.8e-11/5, 2.8e-11]"; fi
# the 40 MCi tritium proposal (hep-ex/0105083) claims mu_nu < 3e-12 muB for 1-2 years: agree within 2x
expect 0 "# columns: scan asimov" -- sensitivity "$EXAMPLES/tritium-40mci.ini" --set analysis.toys=100
tr=$(first_value 2)
if awk -v x="${tr:-0}" 'BEGIN { exit !(x > 3e-12 / 2 && x < 3e-12 * 2) }'; then ok
else bad "tritium Asimov limit $tr not within 2x of the proposal's 3e-12 muB"; fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

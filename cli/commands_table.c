/* The list of subcommands with their help texts. */
#include "cli.h"

#define COMMON_OPTIONS                                                         \
  "  FILE.ini                 an experiment config (INI); see `nuem config`\n" \
  "  --set SECTION.KEY=VALUE  override one key (repeatable), e.g.\n"           \
  "                           --set source.power=3GW\n"                        \
  "  --format tsv|csv|json    output format (default tsv)\n"                   \
  "  --out FILE               write to FILE instead of standard output\n"      \
  "  --help                   this text\n"

const cli_command cli_commands[] = {
    {"spectrum", "spectrum [FILE.ini] [--set S.K=V]... [--format F] [--out FILE] [--plot FILE.png|.svg|.pdf]",
     "The differential rates dR/dT versus measurable energy T (keV), in\n"
     "events per kg per keV per day. Electron channel (elec_*: nu + A -> nu +\n"
     "A+ + e-, atomic.model) and nuclear channel (nucl_*: CEvNS in\n"
     "electron-equivalent energy, Lindhard quenching): the SM rate and the\n"
     "excess over it from the magnetic moment (mu), millicharge (q) and charge\n"
     "radius (r2) of [physics]; then the total. The output begins with the nuem\n"
     "version and the fully resolved config.\n\n"
     "With detector.bins (or bin_edges, or a response_matrix) it prints the\n"
     "measured spectrum instead: per bin the rate of each component after\n"
     "resolution, efficiency and threshold, the background, and the expected\n"
     "counts for detector.exposure (reactor on) and exposure_off\n"
     "(output.kind = true|measured chooses explicitly).\n\noptions:\n" COMMON_OPTIONS
     "  --plot FILE.png|.svg|.pdf  draw the Figure-3 picture (and the measured\n"
     "                           spectrum when bins are given) with gnuplot;\n"
     "                           the data and the script are written beside it\n",
     cli_spectrum, 0, 0},
    {"flux", "flux [FILE.ini] [--set S.K=V]... [--format F] [--out FILE] [--plot F]",
     "The neutrino flux dPhi/dE at the detector (per cm2 per s per MeV) from\n"
     "output.e_min to the source's upper end (output.points log-spaced values),\n"
     "split into the fission isotopes and neutron capture, with the total flux,\n"
     "fission rate and antineutrinos per fission in the header. A reactor adds\n"
     "flux_lo and flux_hi, the one-sigma band of the published spectrum\n"
     "uncertainties where nuem carries them (column band = 1; 0 where not, docs/physics.md,\n"
     "\"Reactor spectrum uncertainties\").\n\noptions:\n" COMMON_OPTIONS
     "  --plot FILE.png|.svg|.pdf  draw the flux and its band with gnuplot\n",
     cli_flux, 0, 0},
    {"xsec", "xsec --channel nu-e|cevns --enu E --t T [--flavour FLAV] [--target T] [--mu M] [--q Q] [--r2 R] [--atomic MODEL] [--set S.K=V]...",
     "One differential cross section dsigma/dT in cm2/keV, term by term: the SM,\n"
     "the excess over it from each electromagnetic property (interference\n"
     "included), and the total. Properties are off unless given here or in the\n"
     "config (the Figure-3 defaults of [physics] are for spectra).\n\n"
     "  --channel nu-e|cevns     neutrino-electron or neutrino-nucleus scattering\n"
     "  --enu E                  neutrino energy with its unit, e.g. 1MeV\n"
     "  --t T                    recoil energy with its unit, e.g. 10keV\n"
     "  --flavour FLAV           nue antinue numu antinumu nutau antinutau\n"
     "                           (default: physics.flavour)\n"
     "  --target NAME            nu-e: per atom of NAME (default: per free\n"
     "                           electron); cevns (required): Ge74 for one\n"
     "                           isotope, Ge for the natural mixture\n"
     "  --mu M                   magnetic moment with unit, e.g. 1e-11muB\n"
     "  --q Q                    millicharge with unit, e.g. 1e-12e (signed)\n"
     "  --r2 R                   charge radius with unit, e.g. 1e-32cm2 (signed)\n"
     "  --atomic MODEL           auto|free|stepping|epa|table|ab-initio for nu-e on\n"
     "                           an atom (default atomic.model)\n"
     "physics.sin2w, physics.couplings and physics.form_factor apply.\n\noptions:\n" COMMON_OPTIONS,
     cli_xsec, 1, 0},
    {"response", "response [FILE.ini] [--set S.K=V]... [--out FILE]",
     "The detector response matrix of the config: row i is a true\n"
     "(electron-equivalent) energy bin, column j a measured bin, each entry the\n"
     "probability that an event in bin i is recorded in bin j (resolution,\n"
     "efficiency, threshold). Fold your own spectra with it, or give it back to\n"
     "nuem with detector.response_matrix = FILE.\n\noptions:\n" COMMON_OPTIONS,
     cli_response, 0, 0},
    {"config", "config [FILE.ini] [--set S.K=V]... [--format tsv|csv|json|markdown]",
     "Every configuration key with its resolved value, default, unit (or\n"
     "choices) and meaning. --format markdown writes docs/config.md.\n\noptions:\n" COMMON_OPTIONS,
     cli_config, 0, 0},
    {"fit", "fit DATA [FILE.ini] [--set S.K=V]... [--format F] [--out FILE]",
     "Best fit of the parameter of interest (analysis.poi) to a measured\n"
     "spectrum, with its 68 % profile-likelihood interval and the nuisance\n"
     "parameters. DATA: columns E_lo E_hi on [off] with '# exposure_on:' (and\n"
     "'# exposure_off:') lines, or E_lo E_hi residual sigma (docs/statistics.md).\n"
     "\noptions:\n" COMMON_OPTIONS,
     cli_fit, 0, 1},
    {"limit", "limit DATA [FILE.ini] [--scan SECTION.KEY=FROM:TO:N] [--set S.K=V]... [--format F] [--out FILE] [--plot F] | limit --combine FILE [--set S.K=V]...",
     "The confidence interval (an upper limit for mu) at analysis.cl, by\n"
     "Feldman-Cousins with analysis.toys toys per grid point (OpenMP,\n"
     "reproducible with analysis.seed) or Wilks (analysis.method). Prints the\n"
     "scan (statistic and critical value per grid point) with the interval,\n"
     "best fit and the achieved coverage in the header. analysis.method = cls,\n"
     "cls-asymptotic or bayes (analysis.prior) gives an upper limit instead;\n"
     "with analysis.poi2 a 2-D contour (Wilks, and 2-D Feldman-Cousins beside\n"
     "it). --scan repeats it over\n"
     "a key, e.g. --scan source.mass=2keV:60keV:59 for a sterile-dm source:\n"
     "limits on mu_sa and sin2_2theta per mass, the look-elsewhere effect, and\n"
     "with --plot the exclusion versus mass.\n\n"
     "--combine FILE fits several experiments jointly: FILE has one\n"
     "[experiment.NAME] section per experiment (data = DATA, config = FILE.ini,\n"
     "relative to FILE's folder) and [combination] correlated = flux,... (one\n"
     "nuisance shared by all, its constraint counted once). Prints the interval\n"
     "combined and of each experiment alone (Wilks; Feldman-Cousins if\n"
     "analysis.method = feldman-cousins is given), with the expected limits;\n"
     "--set applies to every experiment (docs/statistics.md, \"Joint fits\").\n"
     "\noptions:\n" COMMON_OPTIONS
     "  --combine FILE           a combination file (no DATA or FILE.ini then)\n",
     cli_limit, 0, 1},
    {"sensitivity", "sensitivity [FILE.ini] [--scan SECTION.KEY=FROM:TO:N] [--set S.K=V]... [--plot F]",
     "Expected upper limit without signal for the config's detector (bins,\n"
     "exposures, backgrounds): the Asimov value and the median with 1 and 2\n"
     "sigma bands from toys; --scan repeats it over a key, e.g.\n"
     "--scan detector.threshold=100eV:500eV:5.\n\noptions:\n" COMMON_OPTIONS,
     cli_sensitivity, 0, 0},
    {"ratios", "ratios [FILE.ini] [--models stepping,epa] [--set S.K=V]... [--format F] [--out FILE] [--plot F]",
     "What each atomic model does to the electron channel: the flux-averaged\n"
     "rate of each term as a ratio to free electrons versus T (the config's\n"
     "[output] grid), all on one flux plan: sm (weak), mu (moment squared), q2\n"
     "(millicharge squared), qweak (millicharge-weak interference). EPA\n"
     "describes the millicharge only.\n\noptions:\n" COMMON_OPTIONS
     "  --models LIST            comma-separated atomic models (default\n"
     "                           stepping,epa)\n"
     "  --plot FILE.png|.svg|.pdf  draw the ratios with gnuplot\n",
     cli_ratios, 0, 0},
    {"atomic", "atomic --element EL --t T --q Q [--edges experimental|koopmans] [--max-multipole L] | atomic build --element EL [--out FILE]",
     "First-principles atomic ionization responses of an element from its\n"
     "Roothaan-Hartree-Fock orbitals (docs/physics.md, \"Ab-initio atomic\n"
     "response\"): per subshell, the longitudinal R_L(T,q) and transverse R_T(T,q)\n"
     "responses (1/keV) and N_eff(T) = int dq^2 R_L / 2m_e; in the header the\n"
     "photoabsorption cross section from R_T at q = T (and the length form) next\n"
     "to Henke's. `nuem atomic build` computes the whole table (T 10 eV - 100\n"
     "keV, q 10 eV - 4 MeV, OpenMP) and writes it as text.\n\n"
     "  --element EL             element with compiled-in orbitals (Ge, Si, Ar, Xe)\n"
     "  --t T, --q Q             energy and momentum transfer with units\n"
     "  --edges RULE             experimental (default, X-ray Data Booklet edges)\n"
     "                           or koopmans (Hartree-Fock orbital energies)\n"
     "  --max-multipole L        keep multipoles of exp(iq.r) up to L only (default\n"
     "                           all), to compare with tables truncated at some L\n"
     "                           (Roberts et al.: L <= 6)\n"
     "\noptions:\n" COMMON_OPTIONS,
     cli_atomic, 0, 0},
    {0, 0, 0, 0, 0, 0},
};

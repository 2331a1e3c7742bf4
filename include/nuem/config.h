/* nuem configuration: every key is declared once in NUEM_PARAM_LIST, which
 * expands into the parameter ids, the parser, the defaults and the docs
 * (`nuem config`, docs/config.md), so they cannot drift apart. */
#ifndef NUEM_CONFIG_H
#define NUEM_CONFIG_H

#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  NUEM_KIND_NUMBER,    /* number with a unit (or dimensionless, unit "1") */
  NUEM_KIND_OPTNUMBER, /* like NUMBER, or "none" */
  NUEM_KIND_INTEGER,   /* whole number */
  NUEM_KIND_CHOICE,    /* one of the words in `spec`, separated by '|' */
  NUEM_KIND_TEXT,      /* free text (file names) */
  NUEM_KIND_FRACTIONS, /* NAME:x pairs, names from `spec`, summing to 1 */
  NUEM_KIND_FLAVOURED  /* like NUMBER, or one per lepton flavour:
                          "nue:1e-11 muB, numu:2e-11 muB" */
} nuem_param_kind;

typedef enum {
  NUEM_RANGE_ANY,
  NUEM_RANGE_POSITIVE, /* > 0 */
  NUEM_RANGE_NONNEG,   /* >= 0 */
  NUEM_RANGE_OPEN_UNIT, /* 0 < x < 1 */
  NUEM_RANGE_UNIT       /* 0 <= x <= 1 */
} nuem_param_range;

/* Input limits, stated in the key docs below and in docs/data-formats.md. */
#define NUEM_CONFIG_MAX_LINE 198 /* characters per config line (inih's buffer) */
#define NUEM_THREADS_MAX 1024    /* analysis.threads */
#define NUEM_GRID_MAX 100000     /* analysis.grid */

/* X(ID, section, key, kind, default, spec, range, doc)
 * spec: the display unit for numbers, the choices for CHOICE, the allowed
 * names for FRACTIONS. */
#define NUEM_PARAM_LIST(X)                                                     \
  X(SOURCE_TYPE, "source", "type", CHOICE, "reactor",                          \
    "reactor|table|solar|radioactive|pidar|sterile-dm", ANY,                   \
    "Neutrino source: a reactor model, a user flux table (source.file), the "  \
    "Sun, a radioactive source (source.nuclide), pion decay at rest, or "      \
    "galactic sterile-neutrino dark matter (docs/physics.md, \"Source: ...\" " \
    "and \"Sterile-neutrino dark matter\")")                                   \
  X(SOURCE_ADD, "source", "add", CHOICE, "none", "none|solar", ANY,           \
    "A second source beside source.type, in its own output column: solar "    \
    "(the Sun as a background of a reactor or radioactive source)")           \
  X(SOURCE_POWER, "source", "power", NUMBER, "2.9 GW", "GW", POSITIVE,        \
    "Reactor thermal power (default: Kuo-Sheng, hep-ex/0212003)")             \
  X(SOURCE_DISTANCE, "source", "distance", NUMBER, "28 m", "m", POSITIVE,     \
    "Distance from the source to the detector (reactor default: TEXONO, "    \
    "hep-ex/0212003; radioactive and pidar sources need it given, or "        \
    "source.mean_inverse_r2)")                                                 \
  X(SOURCE_CORES, "source", "cores", TEXT, "", "", ANY,                        \
    "Several reactor cores instead of source.power and source.distance: "     \
    "'POWER @ DISTANCE [FUEL]' entries separated by commas, e.g. '2.9 GW @ "  \
    "28 m U235:0.6 U238:0.07 Pu239:0.27 Pu241:0.06, 2.9 GW @ 102 m cycle:"    \
    "c2.dat'; FUEL is the core's own fission fractions or cycle table, "      \
    "else source.cycle or source.fractions; the spectra add (docs/physics.md, " \
    "\"Several cores\" and \"Fuel evolution\")")                                 \
  X(SOURCE_CYCLE, "source", "cycle", TEXT, "", "", ANY,                        \
    "Fuel evolution: a table of fission fractions over the run (columns day " \
    "or burnup, optional power relative to nominal with 0 = reactor OFF, "    \
    "U235 U238 Pu239 Pu241); the flux is its fission-rate weighted average "  \
    "(docs/physics.md, \"Fuel evolution\"); replaces source.fractions")        \
  X(SOURCE_FRACTIONS, "source", "fractions", FRACTIONS,                        \
    "U235:0.55 U238:0.07 Pu239:0.32 Pu241:0.06", "U235|U238|Pu239|Pu241", ANY, \
    "Fission fractions (must sum to 1; Kuo-Sheng values, arXiv:2402.06416)")  \
  X(SOURCE_BAND_COVARIANCE, "source", "band_covariance", TEXT, "", "", ANY,    \
    "A relative covariance matrix of the reactor spectrum in energy bins "    \
    "(columns E_lo E_hi and one per bin; symmetric, positive semi-definite) " \
    "replacing the published band in nuem flux and analysis.flux_model = "    \
    "spectrum (docs/physics.md, \"Reactor spectrum uncertainties\")")          \
  X(SOURCE_ENERGY_PER_FISSION, "source", "energy_per_fission", CHOICE,         \
    "ma2013", "ma2013|kopeikin2004", ANY,                                       \
    "Energy released per fission: Ma et al. PRC 88 014605 (2013) or "          \
    "Kopeikin et al. hep-ph/0410100")                                          \
  X(SOURCE_HIGH_ENERGY, "source", "high_energy", CHOICE, "huber-mueller",      \
    "huber-mueller|mueller|vogel-engel", ANY,                                  \
    "Spectrum per fission above 2 MeV: Huber (U235, Pu239, Pu241) + Mueller "  \
    "(U238), Mueller for all four, or Vogel-Engel 1989")                       \
  X(SOURCE_LOW_ENERGY, "source", "low_energy", CHOICE, "perisse-2023",         \
    "vogel-engel|perisse-2023|flat", ANY,                                      \
    "Spectrum per fission below 2 MeV: Vogel-Engel 1989 Table II, the CEA "   \
    "summation model of Perisse et al., PRC 108, 055501 (2023), or flat "     \
    "(held at the high-energy model's 2 MeV value)")                           \
  X(SOURCE_CAPTURE, "source", "capture", CHOICE, "on", "on|off", ANY,          \
    "Add the antineutrinos of 238U(n,g)239U -> 239Np -> 239Pu")                \
  X(SOURCE_CAPTURES_PER_FISSION, "source", "captures_per_fission", NUMBER,     \
    "0.6", "1", NONNEG, "238U neutron captures per fission (capture = on)")    \
  X(SOURCE_E_MAX, "source", "e_max", NUMBER, "8 MeV", "MeV", POSITIVE,         \
    "Upper end of the reactor spectrum (the fits are valid to 8 MeV)")         \
  X(SOURCE_TOTAL_FLUX, "source", "total_flux", OPTNUMBER, "none", "/cm2/s",    \
    POSITIVE, "If set, scale the spectrum to this total flux")                \
  X(SOURCE_FILE, "source", "file", TEXT, "", "", ANY,                          \
    "Flux table for type = table: columns E, dPhi/dE with a units: line")     \
  X(SOURCE_SOLAR_MODEL, "source", "solar_model", CHOICE, "b16-gs98",            \
    "b16-gs98|b16-agss09met", ANY,                                             \
    "Solar fluxes and production regions (type = solar): the B16 standard "  \
    "solar model with GS98 or AGSS09met composition (Vinyoles et al., ApJ "   \
    "835, 202 (2017))")                                                        \
  X(SOURCE_COMPONENTS, "source", "components", TEXT, "all", "", ANY,          \
    "Solar components (type = solar): all, or a list of pp pep hep 7Be 8B "   \
    "13N 15O 17F")                                                             \
  X(SOURCE_OSCILLATIONS, "source", "oscillations", CHOICE, "nufit-5.0",        \
    "nufit-5.0|none", ANY,                                                     \
    "Solar flavour conversion (type = solar): adiabatic MSW-LMA with the "    \
    "NuFIT 5.0 normal-ordering best fit (arXiv:2007.14792), or none (all "    \
    "nu_e)")                                                                   \
  X(SOURCE_DAY_OF_YEAR, "source", "day_of_year", OPTNUMBER, "none", "1",       \
    NONNEG, "Solar flux on this day (0-366; perihelion on day 3; type = "     \
    "solar); none: the annual average")                                       \
  X(SOURCE_MASS, "source", "mass", OPTNUMBER, "none", "keV", POSITIVE,         \
    "Sterile-neutrino mass m_s (type = sterile-dm; required there)")          \
  X(SOURCE_DM_DENSITY, "source", "dm_density", NUMBER, "0.3 GeV/cm3",          \
    "GeV/cm3", POSITIVE,                                                       \
    "Local dark-matter density, all of it sterile neutrinos (0.3: the usual "  \
    "direct-detection convention, e.g. Lewin & Smith 1996; 0.4 is the common "\
    "alternative)")                                                            \
  X(SOURCE_HALO_V0, "source", "halo_v0", NUMBER, "220 km/s", "km/s", POSITIVE, \
    "Standard Halo Model most probable speed v0 (Lewin & Smith, Astropart. "  \
    "Phys. 6, 87 (1996))")                                                     \
  X(SOURCE_HALO_V_ESC, "source", "halo_v_esc", NUMBER, "544 km/s", "km/s",     \
    POSITIVE, "Galactic escape speed (RAVE: Smith et al., MNRAS 379, 755 "     \
    "(2007))")                                                                 \
  X(SOURCE_HALO_V_EARTH, "source", "halo_v_earth", NUMBER, "232 km/s", "km/s", \
    NONNEG, "Earth's speed in the galactic rest frame, annual mean (Lewin & "   \
    "Smith 1996, eq. 3.6: 232 + 15 cos(...) km/s)")                                                                 \
  X(SOURCE_VELOCITY, "source", "velocity", CHOICE, "halo", "halo|fixed", ANY,  \
    "Sterile-neutrino velocities: the Standard Halo Model, or one fixed "      \
    "speed (a non-halo, possibly relativistic population: source.speed)")     \
  X(SOURCE_SPEED, "source", "speed", OPTNUMBER, "none", "1", OPEN_UNIT,       \
    "Speed v/c of the nu_s for velocity = fixed (required there); "           \
    "dm_density is then their energy density")                                 \
  X(SOURCE_NUCLIDE, "source", "nuclide", CHOICE, "none",                       \
    "none|51Cr|37Ar|3H|144Ce|user", ANY,                                       \
    "Radioactive source (type = radioactive): 51Cr or 37Ar (EC, nu_e lines), " \
    "3H or the 144Ce-144Pr chain (beta-, antinu_e), or user (source.lines "   \
    "or source.beta_q/beta_z/beta_a); docs/physics.md, \"Source: "            \
    "radioactive\"")                                                           \
  X(SOURCE_LINES, "source", "lines", TEXT, "", "", ANY,                        \
    "nuclide = user, EC: nu_e lines per decay, 'E:branching' pairs, e.g. "    \
    "'746.9 keV:0.8163, 426.8 keV:0.0895' (branchings sum to <= 1)")          \
  X(SOURCE_BETA_Q, "source", "beta_q", OPTNUMBER, "none", "keV", POSITIVE,     \
    "nuclide = user, beta-: end point (Q value to the daughter's ground "     \
    "state) of one allowed branch per decay")                                  \
  X(SOURCE_BETA_Z, "source", "beta_z", OPTNUMBER, "none", "1", POSITIVE,       \
    "nuclide = user, beta-: atomic number of the daughter (Fermi function)")   \
  X(SOURCE_BETA_A, "source", "beta_a", OPTNUMBER, "none", "1", POSITIVE,       \
    "nuclide = user, beta-: mass number (nuclear radius 1.2 fm A^(1/3))")      \
  X(SOURCE_ACTIVITY, "source", "activity", OPTNUMBER, "none", "Bq", POSITIVE,  \
    "Activity at the start of the run (type = radioactive; Bq or Ci, e.g. "   \
    "'3.414 MCi')")                                                            \
  X(SOURCE_HALF_LIFE, "source", "half_life", OPTNUMBER, "none", "day",         \
    POSITIVE, "Half-life (nuclide = user only; the built-in nuclides carry "  \
    "their evaluated values)")                                                 \
  X(SOURCE_DURATION, "source", "duration", OPTNUMBER, "none", "day", POSITIVE, \
    "Run duration: the radioactive source's activity is averaged over it; "   \
    "pidar: the time over which source.protons arrive")                       \
  X(SOURCE_MEAN_INVERSE_R2, "source", "mean_inverse_r2", OPTNUMBER, "none",    \
    "/cm2", POSITIVE,                                                          \
    "Extended radioactive or pidar source: <1/r^2> averaged over the source " \
    "and detector volumes, instead of source.distance")                       \
  X(SOURCE_NU_PER_PROTON, "source", "nu_per_proton", OPTNUMBER, "none", "1",   \
    POSITIVE, "pidar: neutrinos per flavour per proton on target (COHERENT "  \
    "2017: 0.08, Akimov et al. Science 357, 1123)")                           \
  X(SOURCE_PROTONS, "source", "protons", OPTNUMBER, "none", "1", POSITIVE,     \
    "pidar: protons on target delivered over source.duration")                \
  X(SOURCE_PROTON_RATE, "source", "proton_rate", OPTNUMBER, "none", "/s",      \
    POSITIVE, "pidar: protons on target per second (instead of "             \
    "source.protons and source.duration)")                                    \
  X(TARGET_MATERIAL, "target", "material", TEXT, "Ge", "", ANY,                \
    "Detector material (Ge, Si, Ar, Xe, CsI, NaI, pseudocumene C9H12, ...; see `nuem config`)")   \
  X(PHYSICS_FLAVOUR, "physics", "flavour", CHOICE, "antinue",                  \
    "nue|antinue|numu|antinumu|nutau|antinutau", ANY,                          \
    "Flavour of the source neutrinos")                                         \
  X(PHYSICS_SIN2W, "physics", "sin2w", NUMBER, "0.23857", "1", OPEN_UNIT,      \
    "Weak mixing angle sin^2(theta_W) at Q^2 -> 0, MS-bar (PDG 2020-22)")      \
  X(PHYSICS_COUPLINGS, "physics", "couplings", CHOICE, "tree",                 \
    "tree|effective", ANY,                                                     \
    "Couplings of both channels: tree level in sin2w, or radiatively "        \
    "corrected values quoted at sin2w = 0.23857, which replace the nu-e g_V, " \
    "g_A (arXiv:2207.05036) AND the CEvNS nucleon g_V^p, g_V^n "               \
    "(docs/physics.md, \"Interaction: CEvNS\"); sin2w is then not used")     \
  X(PHYSICS_FORM_FACTOR, "physics", "form_factor", CHOICE, "helm",             \
    "helm|klein-nystrand|none", ANY, "Nuclear form factor for CEvNS")          \
  X(PHYSICS_MU_NU, "physics", "mu_nu", FLAVOURED, "1e-11 muB", "muB", NONNEG,  \
    "Effective neutrino magnetic moment (0 switches it off); one value for "  \
    "every flavour, or per flavour 'nue:1e-11 muB, numu:2e-11 muB' (flavours " \
    "not listed: 0; docs/physics.md, \"Flavour mixtures\")")                   \
  X(PHYSICS_Q_NU, "physics", "q_nu", FLAVOURED, "1e-12 e", "e", ANY,           \
    "Neutrino millicharge, signed (0: off); one value, or per flavour "       \
    "'nue:1e-12 e, numu:-1e-12 e'")                                           \
  X(PHYSICS_R2_NU, "physics", "r2_nu", FLAVOURED, "1e-32 cm2", "cm2", ANY,     \
    "Neutrino charge radius <r^2>, signed (0: off); one value, or per "       \
    "flavour 'nue:1e-32 cm2, numu:...'")                                      \
  X(PHYSICS_MU_SA, "physics", "mu_sa", OPTNUMBER, "none", "muB", POSITIVE,     \
    "Sterile-to-active transition magnetic moment (source.type = sterile-dm; "\
    "give it or sin2_2theta, not both)")                                       \
  X(PHYSICS_SIN2_2THETA, "physics", "sin2_2theta", OPTNUMBER, "none", "1",     \
    OPEN_UNIT, "Active-sterile mixing sin^2(2 theta), converted to mu_sa "    \
    "through the radiative width (Pal & Wolfenstein 1982; docs/physics.md)")  \
  X(PHYSICS_R2_CONVENTION, "physics", "r2_convention", CHOICE,                 \
    "giunti-studenikin", "giunti-studenikin|vogel-engel", ANY,                 \
    "Charge-radius convention: g_V shift sqrt2 pi alpha <r2>/(3 G_F) "        \
    "(Bernabeu, Giunti-Studenikin), or twice that (Vogel-Engel, TEXONO)")      \
  X(ATOMIC_MODEL, "atomic", "model", CHOICE, "auto",                           \
    "auto|free|stepping|epa|table|ab-initio", ANY,                             \
    "Electron channel: free electrons, stepping (shells open at their "       \
    "binding energy), equivalent photons for the millicharge, a ratio "       \
    "table, cross sections from atomic response functions, or auto "          \
    "(ab-initio where nuem ships the element's responses, e.g. Ge; "          \
    "stepping otherwise)")                                                     \
  X(ATOMIC_TABLE, "atomic", "table", TEXT, "", "", ANY,                        \
    "Ratio table sigma_atomic/sigma_free versus T (model = table)")            \
  X(ATOMIC_EXTRAPOLATION, "atomic", "extrapolation", CHOICE, "error",          \
    "error|clamp|free", ANY,                                                   \
    "Outside a table's T range: an error, the nearest value, or free "        \
    "electrons")                                                               \
  X(ATOMIC_PHOTOABSORPTION, "atomic", "photoabsorption", TEXT, "", "", ANY,    \
    "Photoabsorption table (E, sigma) for EPA instead of the built-in one")    \
  X(ATOMIC_Q_MIN, "atomic", "q_min", NUMBER, "16 eV", "eV", POSITIVE,          \
    "EPA log regulator: the smallest momentum transfer (times c); default "   \
    "the Ge valence plasmon energy (medium screening)")                        \
  X(ATOMIC_Q_MAX, "atomic", "q_max", OPTNUMBER, "none", "keV", POSITIVE,       \
    "EPA upper momentum (times c); none: sqrt(2 m_e T), where distant "       \
    "collisions end")                                                          \
  X(ATOMIC_RESPONSE_TABLE, "atomic", "response_table", TEXT, "", "", ANY,     \
    "Atomic response table R_L, R_T per shell (model = ab-initio); empty: "   \
    "the built-in table of the target element")                               \
  X(ATOMIC_FREE_ABOVE, "atomic", "free_above", OPTNUMBER, "30 keV", "keV",     \
    POSITIVE,                                                                  \
    "ab-initio: free electrons (relativistic kinematics) above this T, where " \
    "the non-relativistic responses err by O(T/m_e); none: the table to its " \
    "end")                                                                     \
  X(ATOMIC_POLE_REGULATOR, "atomic", "pole_regulator", CHOICE, "plasma",       \
    "plasma|neutrino-mass", ANY,                                               \
    "Cut of the millicharge's transverse photon pole (ab-initio): medium "    \
    "plasma screening, or the vacuum kinematics of a massive neutrino")       \
  X(ATOMIC_PLASMA_ENERGY, "atomic", "plasma_energy", NUMBER, "44.13 eV", "eV", \
    POSITIVE,                                                                  \
    "Plasma energy with all Z electrons free (Ge at 5.323 g/cm3: 44.13 eV); " \
    "scaled by sqrt(electrons bound below T / Z)")                            \
  X(ATOMIC_NEUTRINO_MASS, "atomic", "neutrino_mass", NUMBER, "0.05 eV", "eV",  \
    POSITIVE, "Neutrino mass of the neutrino-mass pole regulator")            \
  X(DETECTOR_QUENCHING, "detector", "quenching", CHOICE, "lindhard",           \
    "lindhard|table", ANY, "Quenching model for nuclear recoils")              \
  X(DETECTOR_QUENCHING_K, "detector", "quenching_k", NUMBER, "0.162", "1",     \
    POSITIVE, "Lindhard k (0.162: CONUS, Bonhomme et al. EPJC 82 815)")        \
  X(DETECTOR_QUENCHING_TABLE, "detector", "quenching_table", TEXT, "", "",     \
    ANY, "Quenching table: columns E_R and Q (quenching = table)")             \
  X(DETECTOR_QUENCHING_CUTOFF, "detector", "quenching_cutoff", NUMBER, "0 eV", \
    "eV", NONNEG, "Nuclear recoils below this energy give no signal")          \
  X(DETECTOR_RESOLUTION, "detector", "resolution", CHOICE, "formula",          \
    "formula|table|sqrt-linear", ANY,                                          \
    "Energy resolution: sigma^2 = sigma0^2 + fano pair_energy E, a table, or " \
    "sigma = a sqrt(E) + b E (liquid xenon; resolution_a, resolution_b)")      \
  X(DETECTOR_RESOLUTION_A, "detector", "resolution_a", OPTNUMBER, "none", "1", \
    NONNEG, "sqrt-linear resolution: a in sqrt(keV), a plain number (XENON1T " \
    "ER: 0.310, arXiv:2006.09721); must be set for that form")                 \
  X(DETECTOR_RESOLUTION_B, "detector", "resolution_b", OPTNUMBER, "none", "1", \
    NONNEG, "sqrt-linear resolution: b, dimensionless (XENON1T ER: 0.0037); "  \
    "must be set for that form")                                               \
  X(DETECTOR_SIGMA0, "detector", "sigma0", NUMBER, "50 eV", "eV", NONNEG,      \
    "Pedestal noise sigma0 (assumed typical sub-keV PPC Ge value; fit it)")    \
  X(DETECTOR_FANO, "detector", "fano", NUMBER, "0.11", "1", NONNEG,            \
    "Fano factor (Ge: about 0.11; docs/physics.md, Detector response)")       \
  X(DETECTOR_PAIR_ENERGY, "detector", "pair_energy", NUMBER, "2.96 eV", "eV",  \
    POSITIVE, "Energy per electron-hole pair (Ge at 77 K: 2.96 eV, Papp 2005)")\
  X(DETECTOR_RESOLUTION_TABLE, "detector", "resolution_table", TEXT, "", "",   \
    ANY, "Resolution table: columns E and sigma (resolution = table)")         \
  X(DETECTOR_ENERGY_SCALE, "detector", "energy_scale", NUMBER, "1", "1",       \
    POSITIVE, "Measured energy = energy_scale x deposited energy")            \
  X(DETECTOR_EFFICIENCY, "detector", "efficiency", CHOICE, "none",             \
    "none|erf|table", ANY,                                                     \
    "Trigger/selection efficiency versus measured energy")                     \
  X(DETECTOR_EFFICIENCY_THRESHOLD, "detector", "efficiency_threshold", NUMBER, \
    "0 eV", "eV", NONNEG, "erf efficiency: energy of half the plateau")        \
  X(DETECTOR_EFFICIENCY_WIDTH, "detector", "efficiency_width", NUMBER,         \
    "50 eV", "eV", POSITIVE, "erf efficiency: width (sigma)")                  \
  X(DETECTOR_EFFICIENCY_PLATEAU, "detector", "efficiency_plateau", NUMBER,     \
    "1", "1", UNIT, "erf efficiency: plateau (0 to 1)")                        \
  X(DETECTOR_EFFICIENCY_TABLE, "detector", "efficiency_table", TEXT, "", "",   \
    ANY, "Efficiency table: columns E and efficiency in [0, 1]")               \
  X(DETECTOR_TABLE_EXTRAPOLATION, "detector", "table_extrapolation", CHOICE,   \
    "error", "error|clamp", ANY,                                               \
    "Bins beyond the ends of the efficiency table: an error, or the end "      \
    "value (a table that stops just short of the last edge)")                  \
  X(DETECTOR_THRESHOLD, "detector", "threshold", OPTNUMBER, "none", "eV",      \
    NONNEG, "Analysis threshold on the measured energy (none: keep every "    \
    "event, even those smeared below 0)")                                      \
  X(DETECTOR_BINS, "detector", "bins", TEXT, "", "", ANY,                      \
    "Measured-energy bins LO:HI:N, e.g. 0.2keV:2.2keV:20 (empty: none)")      \
  X(DETECTOR_BIN_EDGES, "detector", "bin_edges", TEXT, "", "", ANY,            \
    "Explicit bin edges, increasing, one unit at the end: 0.2 0.5 1 2 keV")   \
  X(DETECTOR_EXPOSURE, "detector", "exposure", NUMBER, "1 kg*day", "kg*day",   \
    POSITIVE, "Reactor-ON exposure (mass times live time)")                    \
  X(DETECTOR_EXPOSURE_OFF, "detector", "exposure_off", NUMBER, "0 kg*day",     \
    "kg*day", NONNEG, "Reactor-OFF exposure (0: no OFF period)")              \
  X(DETECTOR_RESPONSE_MATRIX, "detector", "response_matrix", TEXT, "", "",     \
    ANY, "Use this response matrix (from `nuem response`) instead of the "    \
    "resolution/efficiency/bins keys")                                         \
  X(BACKGROUND_FLAT, "background", "flat", NUMBER, "0 /kg/keV/day",            \
    "/kg/keV/day", NONNEG, "Flat background in measured energy")              \
  X(BACKGROUND_TABLE, "background", "table", TEXT, "", "", ANY,                \
    "Background table: columns E and rate (/kg/keV/day), measured energy")     \
  X(BACKGROUND_TABLE_EXTRAPOLATION, "background", "table_extrapolation",       \
    CHOICE, "error", "error|clamp", ANY,                                       \
    "Bins beyond the ends of the background table: an error, or the end "      \
    "value (a histogram given at bin centres lacks the outer half-bins)")      \
  X(BACKGROUND_EFFICIENCY, "background", "efficiency", CHOICE, "apply",        \
    "apply|included", ANY,                                                     \
    "Continuum background (flat + table): a rate before selection, times the " \
    "detector efficiency (apply), or of selected events already, e.g. a "      \
    "fitted background model such as XENONnT's B0 (included)")                \
  X(BACKGROUND_K_LINE, "background", "k_line", NUMBER, "0 /kg/day",            \
    "/kg/day", NONNEG, "Cosmogenic K-shell X-ray line at 10.37 keV (Ga)")      \
  X(BACKGROUND_L_TO_K, "background", "l_to_k", NUMBER, "0.114", "1", NONNEG,  \
    "L/K intensity ratio, L line at 1.30 keV (68Ge: 0.114, CoGeNT table)")     \
  X(BACKGROUND_M_TO_L, "background", "m_to_l", NUMBER, "0", "1", NONNEG,       \
    "M/L intensity ratio, M line at 0.16 keV (no sourced default: set it)")    \
  X(ANALYSIS_POI, "analysis", "poi", CHOICE, "mu", "mu|q|r2|cevns", ANY,       \
    "Parameter of interest: magnetic moment (fitted as mu^2 >= 0), "          \
    "millicharge, charge radius (signed), or the CEvNS normalisation")         \
  X(ANALYSIS_POI2, "analysis", "poi2", CHOICE, "none", "none|mu|q|r2|cevns",   \
    ANY, "Second parameter for a 2-D contour with `nuem limit` (none: 1-D)")   \
  X(ANALYSIS_STATISTIC, "analysis", "statistic", CHOICE, "auto",               \
    "auto|poisson|chi2|unbinned", ANY,                                         \
    "Test statistic: Poisson likelihood ratio (counts), chi2 (residuals) or "  \
    "the unbinned extended likelihood (event lists); auto picks by the data")  \
  X(ANALYSIS_STANDARD_MODEL, "analysis", "standard_model", CHOICE, "signal",   \
    "signal|background", ANY,                                                  \
    "The source's Standard-Model rate: part of the fitted model (signal), or " \
    "already inside the background model, so only the POI's excess is added " \
    "(background; docs/statistics.md, Model)")                                 \
  X(ANALYSIS_CL, "analysis", "cl", NUMBER, "0.9", "1", OPEN_UNIT,              \
    "Confidence level")                                                        \
  X(ANALYSIS_METHOD, "analysis", "method", CHOICE, "feldman-cousins",          \
    "wilks|feldman-cousins|cls|cls-asymptotic|bayes", ANY,                     \
    "Interval construction: Wilks (Delta chi2), Feldman-Cousins with toys "    \
    "(1-D, or 2-D with poi2), CLs upper limit from toys or asymptotic "        \
    "formulae, or Bayesian upper limit (analysis.prior); docs/statistics.md")  \
  X(ANALYSIS_PRIOR, "analysis", "prior", CHOICE, "auto", "auto|flat|flat-mu",  \
    ANY, "Prior of analysis.method = bayes: flat in the fitted parameter "     \
    "(mu^2, q, <r2>, CEvNS normalisation; a limit on |q| for signed ones) or " \
    "flat in |mu| (flat-mu); auto: flat. Only with bayes")                     \
  X(ANALYSIS_SENSITIVITY_TOYS, "analysis", "sensitivity_toys", CHOICE, "nominal",   \
    "nominal|profiled", ANY, "Limits of the sensitivity bands' toys: with the "  \
    "nuisances at their nominal values (statistical only, fast) or profiled "   \
    "per toy (the Wilks limit each toy would report; ~100x slower). The "      \
    "Asimov value is always profiled (docs/statistics.md, \"Sensitivity\")")   \
  X(ANALYSIS_GRID, "analysis", "grid", INTEGER, "50", "", POSITIVE,            \
    "Grid points of the parameter of interest (at most 100000)")               \
  X(ANALYSIS_POI_MAX, "analysis", "poi_max", TEXT, "", "", ANY,                \
    "Largest |parameter| scanned, with its unit (e.g. 1e-10 muB); empty: "    \
    "where the Asimov Delta chi2 reaches 100")                                 \
  X(ANALYSIS_TOYS, "analysis", "toys", INTEGER, "10000", "", POSITIVE,         \
    "Toy experiments per grid point (Feldman-Cousins, CLs; 2-D: per node) "   \
    "or per sensitivity point (bands); at least 10/(1 - cl), e.g. 100 for "    \
    "cl = 0.9")                                                                \
  X(ANALYSIS_SEED, "analysis", "seed", INTEGER, "12345", "", POSITIVE,         \
    "Random seed: the same seed gives the same toys on any thread count")      \
  X(ANALYSIS_THREADS, "analysis", "threads", INTEGER, "0", "", NONNEG,         \
    "OpenMP threads for toys (0: all cores; at most 1024)")                    \
  X(ANALYSIS_FLUX_UNCERTAINTY, "analysis", "flux_uncertainty", NUMBER, "0.05", \
    "1", NONNEG, "Gaussian constraint on the flux normalisation (relative; "  \
    "analysis.flux_model = flat)")                                            \
  X(ANALYSIS_FLUX_MODEL, "analysis", "flux_model", CHOICE, "flat",             \
    "flat|spectrum", ANY,                                                      \
    "Where the flux normalisation's width comes from: flat "                  \
    "(analysis.flux_uncertainty) or spectrum (the published reactor spectrum " \
    "band in the detection channel; docs/statistics.md, \"Flux uncertainty "  \
    "from the spectrum\")")                                                    \
  X(ANALYSIS_EFFICIENCY_UNCERTAINTY, "analysis", "efficiency_uncertainty",     \
    NUMBER, "0", "1", NONNEG, "Gaussian constraint on the signal efficiency")  \
  X(ANALYSIS_BACKGROUND_UNCERTAINTY, "analysis", "background_uncertainty",     \
    OPTNUMBER, "none", "1", NONNEG,                                            \
    "Gaussian constraint on the background normalisation without OFF data "   \
    "(none: free)")                                                            \
  X(ANALYSIS_QUENCHING_K_UNCERTAINTY, "analysis", "quenching_k_uncertainty",   \
    NUMBER, "0", "1", NONNEG,                                                  \
    "Gaussian constraint on the Lindhard k (absolute, e.g. 0.004)")            \
  X(ANALYSIS_ENERGY_SCALE_UNCERTAINTY, "analysis", "energy_scale_uncertainty", \
    NUMBER, "0", "1", NONNEG, "Gaussian constraint on the energy scale")       \
  X(OUTPUT_T_MIN, "output", "t_min", NUMBER, "10 eV", "keV", POSITIVE,         \
    "Lowest measurable energy T in the spectrum")                              \
  X(OUTPUT_T_MAX, "output", "t_max", NUMBER, "100 keV", "keV", POSITIVE,       \
    "Highest measurable energy T in the spectrum")                             \
  X(OUTPUT_POINTS, "output", "points", INTEGER, "41", "", POSITIVE,            \
    "Number of T values in the spectrum (and of E values in `nuem flux`)")     \
  X(OUTPUT_E_MIN, "output", "e_min", NUMBER, "10 keV", "MeV", POSITIVE,        \
    "Lowest neutrino energy in the `nuem flux` table (it ends at the source's "\
    "upper end)")                                                              \
  X(OUTPUT_SPACING, "output", "spacing", CHOICE, "log", "log|linear", ANY,     \
    "Spacing of the T values")                                                 \
  X(OUTPUT_KIND, "output", "kind", CHOICE, "auto", "auto|true|measured", ANY,  \
    "Spectrum to print: true dR/dT, measured counts per bin, or auto "        \
    "(measured when bins are given)")                                          \
  X(OUTPUT_ERRORS, "output", "errors", CHOICE, "off", "off|on", ANY,           \
    "Add columns with each rate's numerical error estimate")                   \
  X(NUMERICS_REL_TOL, "numerics", "rel_tol", NUMBER, "1e-9", "1", POSITIVE,    \
    "Relative tolerance of the adaptive integrals (total flux, direct "        \
    "quadrature); the rate plan reports its own error with every value")

typedef enum {
#define NUEM_X_ID(id, sec, key, kind, def, spec, range, doc) NUEM_P_##id,
  NUEM_PARAM_LIST(NUEM_X_ID)
#undef NUEM_X_ID
  NUEM_P_COUNT
} nuem_param;

typedef struct {
  const char *section, *key;
  nuem_param_kind kind;
  const char *default_value, *spec;
  nuem_param_range range;
  const char *doc;
} nuem_param_info;

const nuem_param_info *nuem_param_info_get(nuem_param id);
/* Find "section.key"; returns NUEM_P_COUNT if unknown. */
nuem_param nuem_param_find(const char *section, const char *key);

/* The fewest toys per point (analysis.toys) for confidence level cl:
 * ceil(10 / (1 - cl)), so that about 10 toys lie beyond the critical value
 * and no single toy sets it (100 for cl = 0.9, 1000 for 0.99). */
size_t nuem_toys_min(double cl);

/* Fraction-style values: values[i] belongs to the i-th name of the key's
 * spec (for source.fractions: U235, U238, Pu239, Pu241); absent names are 0. */
enum { NUEM_FRACTIONS_MAX = 8 };
typedef struct {
  size_t n;
  double values[NUEM_FRACTIONS_MAX];
} nuem_fractions;

typedef struct nuem_config nuem_config;

nuem_status nuem_config_new(nuem_context *ctx, nuem_config **cfg);
void nuem_config_free(nuem_config *cfg);
/* An independent copy (for variations such as templates); keys read through
 * the copy count as used in the original, which must outlive it. */
nuem_status nuem_config_copy(nuem_context *ctx, const nuem_config *cfg,
                             nuem_config **out);
/* Read an INI file; unknown sections or keys, keys given twice and values
 * that do not parse are errors naming file, line and key. */
nuem_status nuem_config_load_file(nuem_context *ctx, nuem_config *cfg,
                                  const char *path);
nuem_status nuem_config_load_string(nuem_context *ctx, nuem_config *cfg,
                                    const char *text, const char *origin);
/* "section.key=value", as given to --set. */
nuem_status nuem_config_set_assignment(nuem_context *ctx, nuem_config *cfg,
                                       const char *assignment);
nuem_status nuem_config_set(nuem_context *ctx, nuem_config *cfg,
                            const char *section, const char *key,
                            const char *value, const char *origin);

/* Set a numeric key to `value` in internal units, range-checked (scans). */
nuem_status nuem_config_set_number(nuem_context *ctx, nuem_config *cfg, nuem_param id,
                                   double value, const char *origin);

/* Typed access. Reading a value marks it used; see nuem_config_report_unused. */
double nuem_config_number(const nuem_config *cfg, nuem_param id);
int nuem_config_is_set(const nuem_config *cfg, nuem_param id); /* OPTNUMBER */
long nuem_config_integer(const nuem_config *cfg, nuem_param id);
/* The index of the chosen word in the key's spec. Prefer the two by-name
 * functions below: an index silently depends on the order of the words. */
int nuem_config_choice(const nuem_config *cfg, nuem_param id);
const char *nuem_config_choice_name(const nuem_config *cfg, nuem_param id);
/* 1 if the key's chosen word is `name`. A name that is not one of the key's
 * choices is a programming error: 0 (test_config checks every literal name
 * passed to this function in src/, cli/ and bench/). */
int nuem_config_choice_is(const nuem_config *cfg, nuem_param id, const char *name);

/* A module's own value for each word of a choice key. */
typedef struct {
  const char *name;
  int value;
} nuem_choice;
/* *value = the value that `map` (n entries) gives the chosen word. The map
 * must name every choice of the key exactly once and nothing else; if not,
 * NUEM_EINTERNAL names the mismatch, whatever word was chosen. */
nuem_status nuem_config_choice_map(nuem_context *ctx, const nuem_config *cfg, nuem_param id,
                                   const nuem_choice *map, size_t n, int *value);
#define NUEM_CONFIG_CHOICE_MAP(ctx, cfg, id, map, value) \
  nuem_config_choice_map((ctx), (cfg), (id), (map), sizeof(map) / sizeof((map)[0]), (value))
/* 1 if `name` is one of the choices of key `id` (0 for keys of other kinds). */
int nuem_param_has_choice(nuem_param id, const char *name);
const char *nuem_config_text(const nuem_config *cfg, nuem_param id);
const nuem_fractions *nuem_config_fractions(const nuem_config *cfg,
                                            nuem_param id);
/* The fraction given to `name` (0 if not given); NaN if `name` is not one of
 * the key's names, a programming error. */
double nuem_config_fraction(const nuem_config *cfg, nuem_param id, const char *name);
/* Parse `text` as a value of the fractions key `id` (the same names, range
 * and sum rule), e.g. the per-core fractions of source.cores; `what` names
 * it in messages. */
nuem_status nuem_config_parse_fractions(nuem_context *ctx, nuem_param id, const char *text,
                                        const char *what, nuem_fractions *out);
/* Fission fractions must sum to 1 within 1e-3 (they are quoted to 2-3
 * digits): an ERANGE error naming `what` otherwise. */
nuem_status nuem_fractions_check_sum(nuem_context *ctx, const char *what, double sum);

/* A FLAVOURED key: 1 if it was given per flavour, with values[NUEM_NUE/2 …]
 * (lepton flavours e, mu, tau; unlisted ones 0); otherwise 0 with every
 * value the single one. nuem_config_number gives the single value, or for a
 * list the listed value of largest magnitude. */
int nuem_config_per_flavour(const nuem_config *cfg, nuem_param id,
                            double values[NUEM_NLEPTONS]);

/* The resolved value as text in its display unit, e.g. "2.9 GW". */
void nuem_config_format(const nuem_config *cfg, nuem_param id, char *buf,
                        size_t size);
/* 1 if the value came from a file or --set rather than the default. */
int nuem_config_given(const nuem_config *cfg, nuem_param id);
/* Add a warning to ctx for every key that was given but never read. */
nuem_status nuem_config_report_unused(nuem_context *ctx,
                                      const nuem_config *cfg);

#ifdef __cplusplus
}
#endif
#endif

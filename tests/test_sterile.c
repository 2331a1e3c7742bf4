/* Sterile-neutrino dark matter (docs/physics.md, "Sterile-neutrino dark
 * matter"; validation numbers: docs/validation.md, "Sterile-neutrino dark
 * matter"). Every expected number is derived in its comment. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

#define KEV 1e-3 /* MeV */
#define C_KM_S 299792.458

/* Configs must outlive their spectra: kept here, freed at the end. */
static nuem_config *configs[16];
static size_t nconfigs;
static int teardown_all(void **state) {
  for (size_t i = 0; i < nconfigs; i++) nuem_config_free(configs[i]);
  return teardown(state);
}

static nuem_spectrum *sterile_spectrum(const char *const *extra) {
  const char *sets[16] = {"source.type=sterile-dm", "source.mass=10keV", "physics.mu_sa=1e-12muB"};
  size_t n = 3;
  for (size_t i = 0; extra && extra[i]; i++) sets[n++] = extra[i];
  sets[n] = NULL;
  nuem_config *cfg = test_config(ctx, sets);
  configs[nconfigs++] = cfg;
  nuem_spectrum *sp = NULL;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
  return sp;
}

/* Gamma = alpha (mu/mu_B)^2 m^3/(8 m_e^2)/hbar: 1/137.035999084 x 1e-24 x
 * (1e4 eV)^3 / (8 x (510998.95 eV)^2) / 6.582119569e-16 eV s =
 * 5.307250e-12 /s (docs/validation.md A19: 5.31e-12). The Pal-Wolfenstein
 * width 9 alpha G_F^2 m^5 sin^2 2theta/(1024 pi^4) at sin^2 2theta = 1e-7,
 * m = 1 keV: 9/137.036 x (1.1663787e-23 eV^-2)^2 x 1e15 eV^5 x 1e-7 /
 * (1024 pi^4)/hbar = 1.360886e-29 /s. */
static void width_and_mixing(void **state) {
  assert_rel(nuem_sterile_width(1e-12, 10 * KEV), 5.307250e-12, 1e-6);
  assert_rel(nuem_sterile_width(1e-12, 10 * KEV), 5.31e-12, 1e-3);
  double mu = nuem_sterile_mu_from_sin2(1e-7, 1 * KEV);
  assert_rel(nuem_sterile_width(mu, 1 * KEV), 1.360886e-29, 1e-6);
  assert_rel(nuem_sterile_sin2_from_mu(mu, 1 * KEV), 1e-7, 1e-12);
}

/* The line: n_s Gamma/rho_Ge = (0.3e9 eV/cm3 / 1e4 eV) x 5.307250e-12 /s /
 * 5.323e-3 kg/cm3 x 86400 s = 2.584331 /kg/day (A19: 2.58), at 5 keV, and
 * it scales as mu^2 m^2 rho. */
static void line_rate_and_scaling(void **state) {
  nuem_sterile_line line;
  nuem_spectrum *sp = sterile_spectrum(NULL);
  nuem_spectrum_sterile_line(sp, 1e-12, &line);
  assert_rel(line.rate, 2.584331, 1e-6);
  assert_rel(line.rate, 2.58, 2e-3);
  assert_rel(line.energy, 5 * KEV, 1e-15);
  assert_rel(line.number_density, 3.0e4, 1e-12);
  nuem_spectrum *sp2 = sterile_spectrum((const char *[]){"source.mass=20keV",
                                                         "source.dm_density=0.4GeV/cm3", NULL});
  nuem_sterile_line line2;
  nuem_spectrum_sterile_line(sp2, 3e-12, &line2);
  assert_rel(line2.rate / line.rate, 9.0 * 4.0 * (0.4 / 0.3), 1e-12);
  nuem_spectrum_free(sp2);
  nuem_spectrum_free(sp);
}

/* The speed distribution is normalised (midpoint rule, 2e5 points), and
 * for a plain Maxwellian (v_E = 0, v_esc >> v0) the line is a Gaussian in
 * x: G(u) = <1/v; v > u> = (2/(sqrt(pi) v0)) exp(-u^2/v0^2), half of G(0)
 * at u = v0 sqrt(ln 2), so HWHM = m v0 sqrt(ln 2)/2 = 10 keV x
 * (220/299792.458) x 0.832555/2 = 3.054814 eV. With the defaults
 * m v0/2 = 3.669205 eV (the 3.7 eV of A19). */
static void speed_distribution_and_width(void **state) {
  nuem_halo h = {.mass = 10 * KEV, .density = 300, .v0 = 220 / C_KM_S, .v_esc = 544 / C_KM_S,
                 .v_earth = 232 / C_KM_S};
  double sum = 0, vmax = h.v_esc + h.v_earth, dv = vmax / 200000;
  for (int i = 0; i < 200000; i++) sum += nuem_halo_speed_pdf(&h, (i + 0.5) * dv) * dv;
  assert_rel(sum, 1.0, 1e-6);
  nuem_line_shape s;
  nuem_halo maxwell = {.mass = 10 * KEV, .density = 300, .v0 = 220 / C_KM_S, .v_esc = 0.05};
  assert_int_equal(nuem_halo_line_shape(ctx, &maxwell, &s), NUEM_OK);
  assert_rel(s.hwhm, 3.054814e-6, 2e-3);
  double total = 0;
  for (int k = 0; k < NUEM_LINE_CELLS; k++) total += s.weight[k];
  assert_rel(total, 1.0, 1e-12);
  nuem_sterile_line line;
  nuem_spectrum *sp = sterile_spectrum(NULL);
  nuem_spectrum_sterile_line(sp, 1e-12, &line);
  assert_rel(line.half_width_v0, 3.669205e-6, 1e-6);
  nuem_spectrum_free(sp);
}

/* Folded through a resolution of ~64 eV, the line keeps its counts: bins
 * from 4 to 6 keV hold 2.584331 x exposure to 1e-4 (the Gaussian tails
 * beyond 15 sigma are < 1e-40). */
static void smearing_conserves_counts(void **state) {
  nuem_spectrum *sp = sterile_spectrum((const char *[]){"detector.bins=4keV:6keV:40",
                                                        "detector.exposure=100kg*day",
                                                        "atomic.model=stepping", NULL}); /* line only */
  nuem_properties p = nuem_spectrum_configured(sp);
  nuem_measured m;
  assert_int_equal(nuem_spectrum_measure(ctx, sp, &p, &m), NUEM_OK);
  double sum = 0;
  for (size_t j = 0; j < m.nbins; j++) sum += m.events[NUEM_COL_TOTAL - 1][j];
  assert_rel(sum, 2.584331, 1e-4);
  nuem_measured_free(&m);
  nuem_spectrum_free(sp);
}

/* A population at one speed v = 0.6 (gamma = 1.25): n_s = rho/(gamma m_s),
 * decays slowed by gamma, so the line has 2.584331/1.25^2 = 1.653972
 * /kg/day, spread flat over (gamma m_s/2)(1 -+ v) = 2.5 to 10 keV; in 1-11
 * keV bins its counts are conserved. */
static void fixed_speed_box(void **state) {
  nuem_spectrum *sp = sterile_spectrum((const char *[]){"source.velocity=fixed", "source.speed=0.6",
                                                        "detector.bins=1keV:11keV:50", NULL});
  nuem_sterile_line line;
  nuem_spectrum_sterile_line(sp, 1e-12, &line);
  assert_rel(line.rate, 1.653972, 1e-6);
  assert_rel(line.energy, 6.25 * KEV, 1e-12);
  nuem_properties p = nuem_spectrum_configured(sp);
  nuem_measured m;
  assert_int_equal(nuem_spectrum_measure(ctx, sp, &p, &m), NUEM_OK);
  double sum = 0, inside = 0;
  for (size_t j = 0; j < m.nbins; j++) {
    double e = m.events[NUEM_COL_TOTAL - 1][j];
    sum += e;
    if (m.edges[j] > 2.9 * KEV && m.edges[j + 1] < 9.5 * KEV) inside += e; /* 3.0 to 9.4 keV */
  }
  assert_rel(sum, 1.653972, 1e-4);
  /* the flat part: 6.5 keV of the 7.5 keV box (bins 0.2 keV wide, away from the edges) */
  assert_rel(inside, 1.653972 * 6.4 / 7.5, 1e-3);
  nuem_measured_free(&m);
  nuem_spectrum_free(sp);
}

/* Off the pole, eq. (4.4): 1/keV of R_L at m = 10 keV, mu = 1e-12 muB,
 * rho = 0.3 GeV/cm3 in Ge is (2 pi alpha^2/m_e^2) mu^2 (hbar c)^2 x 1e3/MeV
 * x n_s c x N_Ge/kg = 3.214652e-4 /kg/keV/day (the 3.2e-4 of docs/validation.md,
 * "Sterile-neutrino dark matter", recomputed: 1.0e-3 kg/g / 72.630 g/mol x N_A atoms). */
static void continuum_normalisation(void **state) {
  double per_atom = nuem_sterile_v_dsigma_dt(1e-12, 10 * KEV, 2 * KEV, 1e3, 0); /* cm2/MeV */
  double atoms_per_kg = 1000.0 / 72.630 * 6.02214076e23;
  double rate = per_atom * 3.0e4 * 2.99792458e10 * atoms_per_kg * 86400 / 1e3;
  assert_rel(rate, 3.214652e-4, 1e-5);
}

/* The photon pole in the medium (eq. 4.5): the transverse term with
 * 1/(m - 2T)^2 -> m^2/|m(m - 2T) + i Im Pi|^2, Im Pi = T n_A sigma_g and the
 * photon-point R_T = T sigma_g/(2 pi^2 alpha), integrated over T, is
 * Gamma/n_A whatever sigma_g is (here 1e-20 cm2, n_A = 4.4136e22 /cm3;
 * Im Pi ~ 1e-10 MeV^2 << m^2 leaves O(1e-6) corrections). Numerically:
 * the Lorentzian in y = m(m - 2T) by its arctangent substitution. */
static void pole_integrates_to_the_decay_rate(void **state) {
  const double m = 10 * KEV, mu = 1e-12, c = 2.99792458e10, nA_cm3 = 4.4136e22;
  const double sigma = 1e-20 / NUEM_HBARC2;                                  /* 1/MeV^2 */
  const double nA = nA_cm3 * NUEM_HBARC_MEV_CM * NUEM_HBARC_MEV_CM * NUEM_HBARC_MEV_CM; /* MeV^3 */
  const double K = nuem_sterile_v_dsigma_dt(mu, m, 0, 1, 0); /* cm2/MeV per 1/MeV of R_L */
  const double I = 0.5 * m * nA * sigma;                     /* Im Pi at the pole [MeV^2] */
  const int n = 200000;
  double sum = 0;
  for (int i = 0; i < n; i++) { /* y = m(m - 2T) = I tan(phi) */
    double phi = -NUEM_PI / 2 + (i + 0.5) * NUEM_PI / n, y = I * tan(phi);
    double T = 0.5 * (m - y / m), q0 = m - T, Im = T * nA * sigma;
    double RT = T * sigma / (2 * NUEM_PI * NUEM_PI * NUEM_ALPHA);
    double dT = I / (cos(phi) * cos(phi)) / (2 * m) * (NUEM_PI / n);
    sum += K * q0 * q0 * RT * m * m / (y * y + Im * Im) * dT;
  }
  assert_rel(sum, nuem_sterile_width(mu, m) / (nA_cm3 * c), 1e-5);
}

/* A line injected at mu_sa = 5e-13 muB over a flat background: in 200 toys
 * the injected value lies in the 68.3 % Wilks interval in >= 60 % of them
 * (nominal 68.3 %; the binomial sd of 200 toys is 3.3 %). */
static void injected_signal_is_recovered(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *[]){"source.type=sterile-dm",
      "source.mass=10keV", "physics.mu_sa=5e-13muB", "detector.bins=4keV:6keV:40",
      "detector.exposure=100kg*day", "background.flat=1/kg/keV/day", NULL});
  nuem_spectrum *sp;
  nuem_model_options opt;
  nuem_model *model;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
  assert_int_equal(nuem_model_options_from_config(ctx, cfg, &opt), NUEM_OK);
  assert_int_equal(nuem_model_new(ctx, sp, &opt, NULL, &model), NUEM_OK);
  const double mu_true = 5e-13;
  nuem_data mean, toy;
  assert_int_equal(nuem_model_asimov(ctx, model, NULL, mu_true * mu_true, &mean), NUEM_OK);
  assert_int_equal(nuem_model_asimov(ctx, model, NULL, mu_true * mu_true, &toy), NUEM_OK);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20261129);
  int inside = 0;
  const int toys = 200;
  for (int t = 0; t < toys; t++) {
    for (size_t j = 0; j < toy.nbins; j++) toy.on[j] = gsl_ran_poisson(r, mean.on[j]);
    nuem_interval iv;
    assert_int_equal(nuem_interval_wilks(ctx, model, &toy, 0.682689492137086, 50, &iv), NUEM_OK);
    inside += iv.lo <= mu_true && mu_true <= iv.hi;
    nuem_interval_free(&iv);
  }
  gsl_rng_free(r);
  print_message("injected mu_sa inside the 68.3 %% interval in %d of %d toys\n", inside, toys);
  assert_true(inside >= 0.6 * toys);
  nuem_data_free(&mean);
  nuem_data_free(&toy);
  nuem_model_free(model);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(width_and_mixing),
      cmocka_unit_test(line_rate_and_scaling),
      cmocka_unit_test(speed_distribution_and_width),
      cmocka_unit_test(smearing_conserves_counts),
      cmocka_unit_test(fixed_speed_box),
      cmocka_unit_test(continuum_normalisation),
      cmocka_unit_test(pole_integrates_to_the_decay_rate),
      cmocka_unit_test(injected_signal_is_recovered),
  };
  return cmocka_run_group_tests(tests, setup, teardown_all);
}

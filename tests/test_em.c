/* Electromagnetic properties and atomic models (docs/physics.md, "Electromagnetic properties"
 * and "Atomic ionization"; targets from docs/validation.md). */
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static nuem_interaction props(double mu, double q, double r2, int conv) {
  nuem_interaction in;
  assert_int_equal(nuem_interaction_setup(ctx, NUEM_ANTINUE, 0.23857, NUEM_COUPLINGS_TREE,
                                          NUEM_FF_HELM, &in), NUEM_OK);
  in.mu = mu;
  in.q = q;
  in.r2 = r2;
  in.r2_convention = conv;
  return in;
}

static void magnetic_moment(void **state) {
  /* docs/validation.md, V6: mu = 1e-11 mu_B, E = 1 MeV, T = 1 keV: 2.4922e-44 cm2/MeV */
  nuem_interaction in = props(1e-11, 0, 0, 0);
  assert_rel(nuem_xsec_electron(&in, NUEM_PROC_MU, 1.0, 1e-3), 2.4922e-44, 1e-3);
  /* excess ∝ mu^2, and no interference: total = SM + mu term */
  nuem_interaction in3 = props(3e-11, 0, 0, 0);
  assert_rel(nuem_xsec_electron(&in3, NUEM_PROC_MU, 1.0, 1e-3),
             9 * nuem_xsec_electron(&in, NUEM_PROC_MU, 1.0, 1e-3), 1e-12);
  assert_rel(nuem_xsec_electron(&in, NUEM_PROC_TOTAL, 1.0, 1e-3),
             nuem_xsec_electron(&in, NUEM_PROC_SM, 1.0, 1e-3) +
             nuem_xsec_electron(&in, NUEM_PROC_MU, 1.0, 1e-3), 1e-12);
}

/* The pure charge term: interference cancels in R(+q) + R(-q) - 2 R_SM. */
static double pure_charge(double q, double E, double T) {
  nuem_interaction plus = props(0, q, 0, 0), minus = props(0, -q, 0, 0);
  return 0.5 * (nuem_xsec_electron(&plus, NUEM_PROC_Q, E, T) +
                nuem_xsec_electron(&minus, NUEM_PROC_Q, E, T));
}

static void millicharge(void **state) {
  /* docs/validation.md, V7: delta = 1e-12, E = 1 MeV, T = 1 keV, free electron:
   * 2.5464e-43 cm2/MeV exact (the alpha^2 prefactor, not alpha) */
  assert_rel(pure_charge(1e-12, 1.0, 1e-3), 2.5464e-43, 1e-3);
  /* ∝ q^2 */
  assert_rel(pure_charge(2e-12, 1.0, 1e-3), 4 * pure_charge(1e-12, 1.0, 1e-3), 1e-9);
  /* Interference: 36 % of the q^2 term at 1 keV for
   * anti-nu_e (|X| = 5.4), and 2 g_V/X for T << E. With nuem's convention
   * (docs/physics.md) q > 0 gives g_V - |X|, so the interference is
   * negative; tables that take g_V + X show +36 % (docs/physics.md,
   * "Sign of the millicharge"). */
  nuem_interaction in = props(0, 1e-12, 0, 0);
  double interference = nuem_xsec_electron(&in, NUEM_PROC_Q, 8.0, 1e-3) - pure_charge(1e-12, 8.0, 1e-3);
  double X = nuem_gv_shift_charge(&in, 1e-3);
  assert_rel(X, NUEM_MILLICHARGE_SIGN * 5.4, 1e-2);
  assert_rel(interference / pure_charge(1e-12, 8.0, 1e-3), 2 * in.gv / X, 2e-3);
  assert_rel(interference / pure_charge(1e-12, 1.0, 1e-3), NUEM_MILLICHARGE_SIGN * 0.36, 3e-2);
  /* charge and radius shifts oppose for q, <r2> > 0 (F = q + q^2 <r2>/6) */
  nuem_interaction both = props(0, 1e-12, 1e-32, 0);
  assert_true(nuem_gv_shift_charge(&both, 1e-3) * nuem_gv_shift_radius(&both) < 0);
}

static void millicharge_from_moment_bound(void **state) {
  /* docs/validation.md, V8 / Studenikin, EPL 107, 21001 (2014), arXiv:1302.1168: equating the charge and
   * moment terms at GEMMA's 2.8 keV threshold, mu = 2.9e-11 mu_B bounds
   * |q| < 1.5e-12 e (derived: delta = mu sqrt(T/2m_e) = 1.52e-12). */
  nuem_interaction in = props(2.9e-11, 0, 0, 0);
  double E = 8.0, T = 2.8e-3, q0 = 1e-12;
  double moment = nuem_xsec_electron(&in, NUEM_PROC_MU, E, T);
  double q_eq = q0 * sqrt(moment / pure_charge(q0, E, T));
  assert_rel(q_eq, 1.5e-12, 0.05);
  assert_rel(q_eq, 2.9e-11 * sqrt(T / (2 * NUEM_ME)), 2e-3);
}

static void charge_radius(void **state) {
  /* docs/validation.md, V9: <r2> = 1e-32 cm2 gives Delta g_V = 0.02380 (Giunti-
   * Studenikin), twice that with Vogel-Engel (Delta s^2 = 0.0238). */
  nuem_interaction gs = props(0, 0, 1e-32, NUEM_R2_GIUNTI_STUDENIKIN);
  nuem_interaction ve = props(0, 0, 1e-32, NUEM_R2_VOGEL_ENGEL);
  assert_rel(nuem_gv_shift_radius(&gs), 0.02380, 1e-3);
  assert_rel(nuem_gv_shift_radius(&ve), 2 * 0.0238, 1e-3);
  /* the excess is the SM formula with g_V shifted, minus the SM */
  nuem_interaction shifted = props(0, 0, 0, 0);
  shifted.gv += 0.023800;
  double want = nuem_xsec_electron_sm(&shifted, 1.0, 0.01) - nuem_xsec_electron_sm(&gs, 1.0, 0.01);
  assert_rel(nuem_xsec_electron(&gs, NUEM_PROC_R2, 1.0, 0.01), want, 2e-3);
  /* sign flips with <r2>, and Vogel-Engel doubles the excess for small <r2> */
  nuem_interaction neg = props(0, 0, -1e-35, 0), pos = props(0, 0, 1e-35, 0);
  nuem_interaction pos_ve = props(0, 0, 1e-35, NUEM_R2_VOGEL_ENGEL);
  double p = nuem_xsec_electron(&pos, NUEM_PROC_R2, 1.0, 0.01);
  assert_rel(nuem_xsec_electron(&neg, NUEM_PROC_R2, 1.0, 0.01), -p, 1e-4);
  assert_rel(nuem_xsec_electron(&pos_ve, NUEM_PROC_R2, 1.0, 0.01), 2 * p, 1e-4);
}

static void nuclear_channel(void **state) {
  nuem_target *t;
  assert_int_equal(nuem_target_new(ctx, "Ge74", &t), NUEM_OK);
  const nuem_isotope *iso = &t->elements[0].isotopes[0];
  /* moment on the nucleus: pi alpha^2 mu^2 Z^2 F^2/m_e^2 (1/T - 1/E + T/4E^2);
   * per Ge nucleus pi alpha^2 Z^2/m_e^2 = 2.55e-22 cm2 (docs/physics.md,
   * "Electromagnetic properties") */
  nuem_interaction in = props(1e-11, 0, 0, 0);
  in.form_factor = NUEM_FF_NONE;
  double T = 1e-4, E = 3.0;
  assert_rel(nuem_xsec_nuclear(&in, iso, NUEM_PROC_MU, E, T),
             2.55e-22 * 1e-22 * (1 / T - 1 / E + T / (4 * E * E)), 3e-3);
  /* millicharge: g_V^p shifts by sqrt2 pi alpha q/(G_F M T), about 4e-4 per
   * proton at T = 0.1 keVnr, q = 1e-12 (docs/physics.md, "Electromagnetic properties"); the excess is
   * sm × (Q_W'^2/Q_W^2 - 1) with Q_W' = Q_W + 2 Z × shift. */
  in = props(0, 1e-12, 0, 0);
  in.form_factor = NUEM_FF_NONE;
  double sm = nuem_xsec_nuclear(&in, iso, NUEM_PROC_SM, E, T);
  double dp = sqrt(2.0) * NUEM_PI * NUEM_ALPHA * 1e-12 / (NUEM_GF * iso->mass * T);
  assert_rel(dp, 4e-4, 0.02);
  double qw = 40.537, qw2 = qw + 2 * 32 * dp * NUEM_MILLICHARGE_SIGN; /* g_V^p -> g_V^p - sign dp */
  assert_rel(nuem_xsec_nuclear(&in, iso, NUEM_PROC_Q, E, T), sm * (qw2 * qw2 / (qw * qw) - 1), 1e-3);
  /* charge radius: g_V^p -> g_V^p - 0.0238 at 1e-32 cm2: Q_W + 2 Z 0.0238 */
  in = props(0, 0, 1e-32, 0);
  in.form_factor = NUEM_FF_NONE;
  double qw3 = qw + 2 * 32 * 0.02380;
  assert_rel(nuem_xsec_nuclear(&in, iso, NUEM_PROC_R2, E, T), sm * (qw3 * qw3 / (qw * qw) - 1), 2e-3);
  nuem_target_free(t);
}

static void stepping(void **state) {
  /* docs/validation.md, V21 (X-ray Data Booklet energies) */
  static const double T_eV[] = {30, 100, 125, 150, 300, 1000, 1230, 1300, 1500, 5000, 12000};
  static const double z[] = {14, 14, 20, 20, 22, 22, 26, 28, 30, 30, 32};
  nuem_target *ge;
  assert_int_equal(nuem_target_new(ctx, "Ge", &ge), NUEM_OK);
  for (int i = 0; i < 11; i++) assert_rel(nuem_atomic_z_eff(ge, T_eV[i] * 1e-6), z[i], 0);
  /* below the M5 edge only the 4 valence electrons (docs/physics.md, "Atomic ionization") */
  assert_rel(nuem_atomic_z_eff(ge, 20e-6), 4, 0);
  /* a drop at each shell edge by its occupancy: K 2, L1 2, L2 2, L3 4 */
  static const double edge[] = {11103, 1414.6, 1248.1, 1217.0}, occ[] = {2, 2, 2, 4};
  for (int i = 0; i < 4; i++)
    assert_rel(nuem_atomic_z_eff(ge, edge[i] * 1e-6) - nuem_atomic_z_eff(ge, edge[i] * 0.999e-6),
               occ[i], 0);
  nuem_target_free(ge);
  /* every shipped target has shells: all electrons above the highest K edge
   * (Cs 36.0 keV), only the valence ones at 1 eV */
  static const char *const names[] = {"Si", "Ar", "Xe", "CsI", "NaI"};
  static const double ztot[] = {14, 18, 54, 108, 64};
  for (int i = 0; i < 5; i++) {
    nuem_target *t;
    assert_int_equal(nuem_target_new(ctx, names[i], &t), NUEM_OK);
    assert_rel(nuem_atomic_z_eff(t, 0.2), ztot[i], 0);
    double low = nuem_atomic_z_eff(t, 1e-6);
    assert_true(low > 0 && low < ztot[i]);
    nuem_target_free(t);
  }
}

static nuem_atomic *make_atomic(int model, const char *table, nuem_target *tgt,
                                const nuem_interaction *in, nuem_status want) {
  nuem_atomic_options opt = {model, table, "", NUEM_EXTRAP_ERROR, 1e-9, 3.7e-3, "",
                             {NUEM_POLE_PLASMA, 44.13e-6, 0.05e-6}, 0};
  if (model == NUEM_ATOMIC_EPA && !*table) opt.q_max = 3.7e-3; /* fixed log */
  nuem_atomic *a = NULL;
  nuem_status s = nuem_atomic_new(ctx, &opt, tgt, in, &a);
  if (s != want) fail_msg("atomic model %d: status %d (%s)", model, s, nuem_context_error(ctx));
  return a;
}

static void factors(void **state) {
  nuem_target *ge;
  assert_int_equal(nuem_target_new(ctx, "Ge", &ge), NUEM_OK);
  nuem_interaction in = props(1e-11, 1e-12, 1e-32, 0);
  double f[NUEM_NPROC];
  nuem_atomic *a = make_atomic(NUEM_ATOMIC_STEPPING, "", ge, &in, NUEM_OK);
  nuem_atomic_factors(a, 1e-3, f);
  assert_rel(f[NUEM_PROC_SM], 22.0 / 32.0, 1e-15); /* 22/32 of free at 1 keV (docs/physics.md, "Atomic ionization") */
  nuem_atomic_factors(a, 0.02, f);
  assert_rel(f[NUEM_PROC_SM], 1.0, 0); /* stepping = free above the K edge */
  nuem_atomic_free(a);
  /* table: flavour-specific column wins; linear between points */
  a = make_atomic(NUEM_ATOMIC_TABLE, NUEM_TEST_DATA "/ratios.dat", ge, &in, NUEM_OK);
  nuem_atomic_factors(a, 1e-3, f);
  assert_rel(f[NUEM_PROC_SM], 0.8, 1e-12);
  assert_rel(f[NUEM_PROC_Q], 3.0, 1e-12); /* q_antinue */
  assert_int_equal(nuem_atomic_check_range(ctx, a, 1e-5, 0.1), NUEM_OK);
  assert_int_equal(nuem_atomic_check_range(ctx, a, 1e-6, 0.1), NUEM_ERANGE);
  nuem_atomic_free(a);
  nuem_target_free(ge);
}

static void bad_tables_and_epa(void **state) {
  nuem_target *ge;
  assert_int_equal(nuem_target_new(ctx, "Ge", &ge), NUEM_OK);
  nuem_interaction in = props(1e-11, 1e-12, 1e-32, 0);
  make_atomic(NUEM_ATOMIC_TABLE, NUEM_TEST_DATA "/ratios_nonmonotonic.dat", ge, &in, NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "increase"));
  make_atomic(NUEM_ATOMIC_TABLE, NUEM_TEST_DATA "/ratios_negative.dat", ge, &in, NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "negative"));
  make_atomic(NUEM_ATOMIC_TABLE, NUEM_TEST_DATA "/ratios_missing.dat", ge, &in, NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "'q'"));
  make_atomic(NUEM_ATOMIC_EPA, "", ge, &in, NUEM_ECONFIG);
  assert_non_null(strstr(nuem_context_error(ctx), "Voloshin"));
  nuem_target_free(ge);
}

static void epa_photoabsorption(void **state) {
  /* docs/validation.md, V22 (Henke sigma_gamma): 10 keV 4.35e-21, 1 keV 2.26e-19,
   * 300 eV 3.24e-18 cm2; recovered from the EPA coefficient
   * c0 = (2 alpha q^2/pi) sigma/T ln(q_max/q_min). */
  nuem_target *ge;
  assert_int_equal(nuem_target_new(ctx, "Ge", &ge), NUEM_OK);
  nuem_interaction in = props(0, 1e-12, 0, 0);
  nuem_atomic *a = make_atomic(NUEM_ATOMIC_EPA, "", ge, &in, NUEM_OK);
  static const double T[] = {1e-2, 1e-3, 3e-4}, sigma[] = {4.35e-21, 2.26e-19, 3.24e-18};
  double L = log(3.7e-3 / 1e-9);
  for (int i = 0; i < 3; i++) {
    double c[3];
    nuem_atomic_epa_coeffs(a, &in, T[i], c);
    assert_rel(c[0] * T[i] * NUEM_PI / (2 * NUEM_ALPHA * 1e-24 * L), sigma[i], 2e-2);
    assert_rel(c[1], -c[0] * T[i], 1e-15);
  }
  /* K-edge jump × 7.6 (V22) */
  double lo[3], hi[3];
  nuem_atomic_epa_coeffs(a, &in, 11.1029e-3, lo);
  nuem_atomic_epa_coeffs(a, &in, 11.1033e-3, hi);
  assert_rel(hi[0] / lo[0], 7.6, 2e-2);
  /* EPA/FEA per atom = sigma m_e T L/(pi^2 alpha Z) = 0.13 L at 1 keV (docs/physics.md,
   * "Atomic ionization") */
  double c[3];
  nuem_atomic_epa_coeffs(a, &in, 1e-3, c);
  assert_rel(c[0] / (32 * pure_charge(1e-12, 1e6, 1e-3)) / L, 0.13, 3e-2);
  nuem_atomic_free(a);
  nuem_target_free(ge);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(magnetic_moment),
      cmocka_unit_test(millicharge),
      cmocka_unit_test(millicharge_from_moment_bound),
      cmocka_unit_test(charge_radius),
      cmocka_unit_test(nuclear_channel),
      cmocka_unit_test(stepping),
      cmocka_unit_test(factors),
      cmocka_unit_test(bad_tables_and_epa),
      cmocka_unit_test(epa_photoabsorption),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

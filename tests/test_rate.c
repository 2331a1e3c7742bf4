/* Rate: the planned fold against direct quadrature and analytic folds. */
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

typedef struct {
  nuem_config *cfg;
  nuem_source *src;
  nuem_target *tgt;
  nuem_interaction in;
  nuem_rate_plan *plan;
  nuem_rate_direct direct;
} chain;

static void chain_new(chain *c, const char *const *sets, const char *target) {
  c->cfg = test_config(ctx, sets);
  if (nuem_source_init(ctx, c->cfg, &c->src) || nuem_target_new(ctx, target, &c->tgt) ||
      nuem_interaction_init(ctx, c->cfg, &c->in) ||
      nuem_rate_plan_new(ctx, c->src, c->tgt, 1e-10, &c->plan) ||
      nuem_rate_direct_init(ctx, c->src, c->tgt, &c->in, 1e-10, &c->direct))
    fail_msg("%s", nuem_context_error(ctx));
}

static void chain_free(chain *c) {
  nuem_rate_direct_free(&c->direct);
  nuem_rate_plan_free(c->plan);
  nuem_target_free(c->tgt);
  nuem_source_free(c->src);
  nuem_config_free(c->cfg);
}

static void plan_agrees_with_direct_quadrature(void **state) {
  /* Two independent paths for every process: interpolated flux moments with
   * the coefficient form vs adaptive quadrature of flux × the closed
   * formulas. Issue 2 asks for 1e-4; the plan does far better. Default
   * properties: the Figure-3 values mu = 1e-11 muB, q = 1e-12 e,
   * <r2> = 1e-32 cm2. */
  chain c;
  chain_new(&c, NULL, "Ge");
  double worst = 0;
  for (double T = 1e-5; T <= 0.1; T *= 1.23) {
    double fast[NUEM_NPROC], ferr[NUEM_NPROC];
    nuem_rate_electron(c.plan, &c.in, T, fast, ferr);
    for (int p = 0; p < NUEM_NPROC; p++) {
      double slow, serr;
      assert_int_equal(nuem_rate_electron_direct(&c.direct, p, T, &slow, &serr), NUEM_OK);
      assert_true(slow != 0);
      worst = fmax(worst, fabs(fast[p] / slow - 1));
      assert_rel(fast[p], slow, 1e-7);
      assert_true(ferr[p] < 1e-7 * fabs(fast[p])); /* the plan's own estimate */
    }
  }
  for (double E_R = 1e-5; E_R < 2e-3; E_R *= 1.11) {
    double fast[NUEM_NPROC], ferr[NUEM_NPROC];
    nuem_rate_nuclear(c.plan, &c.in, 0, E_R, fast, ferr);
    for (int p = 0; p < NUEM_NPROC; p++) {
      double slow, serr, scale;
      assert_int_equal(nuem_rate_nuclear_direct(&c.direct, p, 0, E_R, &slow, &serr), NUEM_OK);
      assert_int_equal(nuem_rate_nuclear_direct(&c.direct, p, 0, 1e-5, &scale, &serr), NUEM_OK);
      if (fabs(slow) < 1e-12 * fabs(scale)) { /* beyond the end point */
        assert_true(fabs(fast[p]) <= 1e-9 * fabs(scale));
        continue;
      }
      assert_rel(fast[p], slow, 1e-6);
    }
  }
  print_message("worst electron-channel relative difference: %.2g\n", worst);
  chain_free(&c);
}

static void electron_rate_in_the_low_t_limit(void **state) {
  /* For T << E the anti-nu_e e cross section is 1.038e-44 cm2/MeV per electron
   * (docs/physics.md, "Interaction: ν–e elastic scattering"), so with a total flux of 6.4e12 /cm2/s and 2.6533e26
   * electrons/kg: 1.038e-44 × 2.6533e26 × 6.4e12 × 86400 × 1e-3 = 1.523e-3
   * /kg/keV/day, the "about 1.5e-3 between 1 and 3 keV" of docs/validation.md,
   * "Neutrino–electron rate". */
  /* The 1-2 % left by T/E at 3 keV is that of the Vogel-Engel spectrum below
   * 2 MeV (the check's documented setting); the summation spectrum puts more
   * flux at 0.1-0.5 MeV, where T/E is larger. */
  chain c;
  chain_new(&c, (const char *[]){"source.total_flux=6.4e12/cm2/s",
                                 "source.low_energy=vogel-engel", NULL}, "Ge");
  double r[NUEM_NPROC], e[NUEM_NPROC];
  nuem_rate_electron(c.plan, &c.in, 1e-3, r, e);
  assert_rel(r[NUEM_PROC_SM] * NUEM_PER_KEV_DAY, 1.523e-3, 1e-2);
  nuem_rate_electron(c.plan, &c.in, 3e-3, r, e);
  assert_rel(r[NUEM_PROC_SM] * NUEM_PER_KEV_DAY, 1.523e-3, 2e-2);
  chain_free(&c);
}

static void box_spectrum_folds_analytically(void **state) {
  /* Flux phi0 = 1e12 /cm2/s/MeV on [1, 3] MeV. With c(E) = c0 + c1/E + c2/E^2,
   * the fold is phi0 [c0 E + c1 ln E - c2/E] between max(1, E_min) and 3:
   * an independent, closed-form check of the plan (form factor off). */
  chain c;
  chain_new(&c, (const char *[]){"source.type=table", "physics.form_factor=none",
      "source.file=" NUEM_TEST_DATA "/flux_box.dat", NULL}, "Ge74");
  const double phi0 = 1e12, sw = 0.23857;
  double gv = 0.5 + 2 * sw, ga = -0.5; /* anti-nu_e tree couplings, docs/physics.md */
  double A = NUEM_GF * NUEM_GF * NUEM_ME / (2 * NUEM_PI) * NUEM_HBARC2;
  for (double T = 1e-4; T < 2.5; T *= 3.1) {
    double lo = fmax(1.0, nuem_kin_e_min(T, NUEM_ME)), hi = 3.0;
    if (lo >= hi) continue;
    double gp = gv + ga, gm = gv - ga;
    /* ∫ [gp^2 + gm^2 (1 - T/E)^2 - (gv^2 - ga^2) m T/E^2] dE */
    double F_hi = gp * gp * hi + gm * gm * (hi - 2 * T * log(hi) - T * T / hi) +
                  (gv * gv - ga * ga) * NUEM_ME * T / hi;
    double F_lo = gp * gp * lo + gm * gm * (lo - 2 * T * log(lo) - T * T / lo) +
                  (gv * gv - ga * ga) * NUEM_ME * T / lo;
    double expected = c.tgt->electrons_per_kg * phi0 * A * (F_hi - F_lo);
    double r[NUEM_NPROC], e[NUEM_NPROC];
    nuem_rate_electron(c.plan, &c.in, T, r, e);
    assert_rel(r[NUEM_PROC_SM], expected, 1e-8);
  }
  const nuem_isotope *iso = &c.tgt->elements[0].isotopes[0];
  double qw = 42 - (1 - 4 * sw) * 32; /* 74Ge, docs/physics.md, "Targets" */
  double B = NUEM_GF * NUEM_GF * iso->mass / (4 * NUEM_PI) * qw * qw * NUEM_HBARC2;
  for (double T = 1e-6; T < 2.5e-4; T *= 2.3) {
    double lo = fmax(1.0, nuem_kin_e_min(T, iso->mass)), hi = 3.0, M = iso->mass;
    /* ∫ [1 - T/E + (T^2 - M T)/(2 E^2)] dE */
    double F_hi = hi - T * log(hi) - (T * T - M * T) / (2 * hi);
    double F_lo = lo - T * log(lo) - (T * T - M * T) / (2 * lo);
    double expected = c.tgt->formulas_per_kg * phi0 * B * (F_hi - F_lo);
    double r[NUEM_NPROC], e[NUEM_NPROC];
    nuem_rate_nuclear(c.plan, &c.in, 0, T, r, e);
    assert_rel(r[NUEM_PROC_SM], expected, 1e-8);
  }
  chain_free(&c);
}

static void spectrum_rows(void **state) {
  /* Without a charge radius there is no q-<r2> cross term, so the total is
   * exactly the sum of the columns (the cross term itself is checked against
   * direct quadrature of the total cross section above). */
  nuem_config *cfg = test_config(ctx, (const char *[]){"physics.r2_nu=0cm2", NULL});
  nuem_result r;
  assert_int_equal(nuem_spectrum_compute(ctx, cfg, &r), NUEM_OK);
  assert_int_equal(r.ncols, NUEM_SPECTRUM_NCOLS);
  assert_int_equal(r.nrows, 41);
  assert_rel(r.data[0], 0.01, 1e-12);                    /* 10 eV in keV */
  assert_rel(r.data[40 * r.ncols], 100.0, 1e-12);        /* 100 keV */
  for (size_t i = 0; i < r.nrows; i++) {
    double *row = &r.data[i * r.ncols];
    assert_true(isfinite(row[NUEM_COL_TOTAL]) && row[NUEM_COL_ELEC_SM] > 0);
    double sum = 0;
    for (int k = NUEM_COL_ELEC_SM; k < NUEM_COL_TOTAL; k++) sum += row[k];
    assert_rel(row[NUEM_COL_TOTAL], sum, 1e-12);
    /* CEvNS ends where quenched T_max(e_max = 8 MeV) = Q × 1.89 keVnr ≈ 0.38 keVee */
    if (row[NUEM_COL_T] > 0.4) assert_true(row[NUEM_COL_NUCL_SM] == 0);
    if (row[NUEM_COL_T] < 0.3) assert_true(row[NUEM_COL_NUCL_SM] > 0);
  }
  nuem_result_free(&r);
  nuem_config_free(cfg);
}

static void finite_everywhere(void **state) {
  /* Regression: E_min(95 keV) = 0.2104 MeV lies just below the 239Np branch
   * end point at 0.2107 MeV, where the Fermi function alone diverges; every
   * rate on a dense grid must be finite. */
  nuem_config *cfg = test_config(ctx, (const char *[]){"output.points=20000", NULL});
  nuem_result r;
  assert_int_equal(nuem_spectrum_compute(ctx, cfg, &r), NUEM_OK);
  for (size_t i = 0; i < r.nrows * r.ncols; i++) assert_true(isfinite(r.data[i]));
  nuem_result_free(&r);
  nuem_config_free(cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plan_agrees_with_direct_quadrature),
      cmocka_unit_test(electron_rate_in_the_low_t_limit),
      cmocka_unit_test(box_spectrum_folds_analytically),
      cmocka_unit_test(spectrum_rows),
      cmocka_unit_test(finite_everywhere),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

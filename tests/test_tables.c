/* The library's whole-command tables that the CLI and the Python binding
 * share: nuem_flux_table, nuem_xsec_table and the analysis jobs
 * (nuem_analysis_new, nuem_fit_table, nuem_limit_table). */
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

#define EXAMPLES NUEM_SOURCE_DATA "/../examples"

/* At given energies the table is the source's own flux, and the fission
 * components with neutron capture add up to it (the reactor flux is their
 * sum, docs/physics.md "Source: reactor"). */
static void flux_table_at_energies(void **state) {
  nuem_context *ctx;
  assert_int_equal(nuem_context_new(&ctx), NUEM_OK);
  nuem_config *cfg = test_config(ctx, NULL);
  nuem_source *src;
  assert_int_equal(nuem_source_init(ctx, cfg, &src), NUEM_OK);
  const double E[] = {1.0, 2.5, 6.0};
  nuem_result r;
  assert_int_equal(nuem_flux_table(ctx, src, cfg, E, 3, &r), NUEM_OK);
  assert_int_equal(r.nrows, 3);
  assert_string_equal(r.names[1], "flux");
  for (size_t i = 0; i < 3; i++) {
    const double *row = &r.data[i * r.ncols];
    assert_true(row[0] == E[i]);
    assert_rel(row[1], nuem_source_flux(src, E[i]), 1e-12);
    assert_rel(row[2] + row[3] + row[4] + row[5] + row[6], row[1], 1e-12);
  }
  assert_non_null(nuem_result_note_value(&r, "total_flux"));
  nuem_result_free(&r);
  /* the [output] grid: output.points values from output.e_min to the end */
  assert_int_equal(nuem_flux_table(ctx, src, cfg, NULL, 0, &r), NUEM_OK);
  assert_int_equal((long)r.nrows, nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS));
  assert_rel(r.data[0], nuem_config_number(cfg, NUEM_P_OUTPUT_E_MIN), 1e-15);
  assert_rel(r.data[(r.nrows - 1) * r.ncols], nuem_source_e_max(src), 1e-12);
  nuem_result_free(&r);
  const double bad[] = {1.0, NAN};
  assert_int_equal(nuem_flux_table(ctx, src, cfg, bad, 2, &r), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "energy 1"));
  nuem_source_free(src);
  nuem_config_free(cfg);
  nuem_context_free(ctx);
}

/* The magnetic-moment term per free electron, Vogel & Engel, PRD 39, 3378
 * (1989), eq. 2: dsigma/dT = pi alpha^2 / m_e^2 mu^2 (1/T - 1/E), i.e.
 * pi r_e^2 mu^2 (1/T - 1/E) with mu in mu_B; r_e = 2.8179403262e-13 cm
 * (CODATA 2018). At E = 1 MeV, T = 1 keV, mu = 1e-11 mu_B. */
static void xsec_table_magnetic_term(void **state) {
  nuem_context *ctx;
  assert_int_equal(nuem_context_new(&ctx), NUEM_OK);
  const char *sets[] = {"physics.mu_nu=1e-11 muB", "physics.q_nu=0 e", "physics.r2_nu=0 cm2",
                        NULL};
  nuem_config *cfg = test_config(ctx, sets);
  const double E[] = {1.0, 1.0}, T[] = {1e-3, 2e-3};
  nuem_result r;
  const char *per = NULL;
  assert_int_equal(nuem_xsec_table(ctx, cfg, "nu-e", NULL, E, T, 2, &r, &per), NUEM_OK);
  assert_string_equal(per, "free electron");
  const double re = 2.8179403262e-13;
  for (size_t i = 0; i < 2; i++) {
    double expected = M_PI * re * re * 1e-22 * (1 / T[i] - 1 / E[i]) / 1e3; /* per keV */
    assert_rel(r.data[i * 8 + 3], expected, 1e-6);
    assert_rel(r.data[i * 8 + 1], T[i] * 1e3, 1e-15); /* printed in keV */
  }
  nuem_result_free(&r);
  assert_int_equal(nuem_xsec_table(ctx, cfg, "cevns", NULL, E, T, 2, &r, NULL), NUEM_EUSAGE);
  assert_non_null(strstr(nuem_context_error(ctx), "needs a nucleus"));
  assert_int_equal(nuem_xsec_table(ctx, cfg, "nu-x", NULL, E, T, 2, &r, NULL), NUEM_EUSAGE);
  const double Tneg[] = {1e-3, -1e-3};
  assert_int_equal(nuem_xsec_table(ctx, cfg, "nu-e", NULL, E, Tneg, 2, &r, NULL), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "recoil energy 1"));
  nuem_config_free(cfg);
  nuem_context_free(ctx);
}

/* A fit's interval holds its best fit, and a limit's grid points are
 * accepted exactly when t <= critical (the definitions, docs/statistics.md). */
static void analysis_jobs(void **state) {
  nuem_context *ctx;
  assert_int_equal(nuem_context_new(&ctx), NUEM_OK);
  nuem_config *cfg;
  assert_int_equal(nuem_config_new(ctx, &cfg), NUEM_OK);
  assert_int_equal(nuem_config_load_file(ctx, cfg, EXAMPLES "/texono2007.ini"), NUEM_OK);
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "analysis.method=wilks"), NUEM_OK);
  nuem_analysis *a;
  assert_int_equal(nuem_analysis_new(ctx, cfg, NUEM_TEST_DATA "/nope.dat", &a), NUEM_EFILE);
  assert_null(a);
  assert_int_equal(nuem_analysis_new(ctx, cfg, NUEM_TEST_DATA "/texono_like.dat", &a), NUEM_OK);
  nuem_result r;
  assert_int_equal(nuem_fit_table(ctx, cfg, a, &r), NUEM_OK);
  assert_true(r.data[1] <= r.data[0] && r.data[0] <= r.data[2]);
  nuem_result_free(&r);
  nuem_interval iv;
  assert_int_equal(nuem_limit_table(ctx, cfg, a, &iv, &r), NUEM_OK);
  assert_int_equal(r.nrows, iv.n);
  for (size_t i = 0; i < r.nrows; i++)
    assert_true(r.data[i * 4 + 3] == (r.data[i * 4 + 1] <= r.data[i * 4 + 2]));
  assert_true(iv.lo_at_boundary && iv.hi > 0);
  nuem_interval_free(&iv);
  nuem_result_free(&r);
  nuem_analysis_free(a);
  nuem_config_free(cfg);
  nuem_context_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(flux_table_at_energies),
      cmocka_unit_test(xsec_table_magnetic_term),
      cmocka_unit_test(analysis_jobs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

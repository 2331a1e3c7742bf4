/* nuem_interp: each scheme is exact for the functions it is built on, each
 * rule outside the table does what it says, bad points are rejected. */
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static nuem_interp *make(const double *x, const double *y, size_t n,
                         nuem_interp_scheme scheme, nuem_interp_outside outside) {
  nuem_interp *f = NULL;
  if (nuem_interp_new(ctx, x, y, n, scheme, outside, "test table", &f))
    fail_msg("%s", nuem_context_error(ctx));
  return f;
}

static double line(double x) { return 3.0 * x - 2.0; }
static double power_law(double x) { return 5.0 * pow(x, -1.5); }

static void linear_is_exact_on_a_line(void **state) {
  const double x[] = {0, 1, 2.5, 4};
  double y[4];
  for (int i = 0; i < 4; i++) y[i] = line(x[i]);
  nuem_interp *f = make(x, y, 4, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_EXTRAPOLATE);
  const double probes[] = {0, 0.3, 1, 1.7, 3.9, 4, -1, 6}; /* last two: continued */
  for (int i = 0; i < 8; i++) {
    assert_rel(nuem_interp_eval(f, probes[i]), line(probes[i]), 1e-14);
    assert_rel(nuem_interp_deriv(f, probes[i]), 3.0, 1e-14);
  }
  nuem_interp_free(f);
}

static void loglog_is_exact_on_a_power_law(void **state) {
  const double x[] = {0.5, 1, 3, 10};
  double y[4];
  for (int i = 0; i < 4; i++) y[i] = power_law(x[i]);
  nuem_interp *f = make(x, y, 4, NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_EXTRAPOLATE);
  const double probes[] = {0.5, 0.7, 2, 7, 10, 0.1, 20}; /* last two: continued */
  for (int i = 0; i < 7; i++) {
    double p = probes[i];
    assert_rel(nuem_interp_eval(f, p), power_law(p), 1e-13);
    /* d/dx 5 x^-1.5 = -1.5 y / x */
    assert_rel(nuem_interp_deriv(f, p), -1.5 * power_law(p) / p, 1e-13);
  }
  /* A line is not a power law: log-log must differ from it mid-segment
   * (y = 1 + x between (1, 2) and (3, 4): 2 * 2^(ln 2 / ln 3) at x = 2). */
  nuem_interp *g = make((const double[]){1, 3}, (const double[]){2, 4}, 2,
                        NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_ERROR);
  assert_rel(nuem_interp_eval(g, 2), 2.0 * pow(2.0, log(2.0) / log(3.0)), 1e-14);
  nuem_interp_free(g);
  nuem_interp_free(f);
}

static void steffen_is_exact_on_a_line_and_does_not_overshoot(void **state) {
  /* On collinear points every Steffen slope equals the secant slope, so the
   * cubic is the line (Steffen, A&A 239, 443 (1990)). */
  const double x[] = {0, 1, 2, 3}, y[] = {1, 3, 5, 7};
  nuem_interp *f = make(x, y, 4, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_ERROR);
  assert_rel(nuem_interp_eval(f, 1.5), 4.0, 1e-14);
  assert_rel(nuem_interp_deriv(f, 2.25), 2.0, 1e-14);
  nuem_interp_free(f);
  /* A step: monotone data give a monotone curve within each segment's ends. */
  const double sx[] = {0, 1, 2, 3, 4}, sy[] = {0, 0, 1, 1, 1};
  nuem_interp *g = make(sx, sy, 5, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_ERROR);
  double last = -1;
  for (double t = 0; t <= 4; t += 0.05) {
    double v = nuem_interp_eval(g, t);
    if (v < 0 || v > 1 || v < last) fail_msg("Steffen at %g: %g overshoots", t, v);
    last = v;
  }
  nuem_interp_free(g);
}

/* The table (1, 10), (2, 20), (3, 40) under each rule. */
static nuem_interp *three_points(nuem_interp_outside outside) {
  return make((const double[]){1, 2, 3}, (const double[]){10, 20, 40}, 3,
              NUEM_INTERP_LINEAR, outside);
}

static void error_policy_gives_nan_and_a_status(void **state) {
  nuem_interp *f = three_points(NUEM_OUTSIDE_ERROR);
  assert_true(isnan(nuem_interp_eval(f, 0.5)));
  assert_true(isnan(nuem_interp_eval(f, 3.5)));
  assert_true(isnan(nuem_interp_deriv(f, 3.5)));
  assert_false(nuem_interp_covers(f, 0.999));
  assert_true(nuem_interp_covers(f, 1) && nuem_interp_covers(f, 3));
  assert_rel(nuem_interp_eval(f, 3), 40, 0); /* the ends belong to the table */
  assert_rel(nuem_interp_eval(f, 1.5), 15, 1e-15);
  assert_int_equal(nuem_interp_check_range(ctx, f, 1, 3), NUEM_OK);
  assert_int_equal(nuem_interp_check_range(ctx, f, 1, 3.5), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "test table"));
  nuem_interp_free(f);
}

static void clamp_zero_and_extrapolate_policies(void **state) {
  nuem_interp *clamp = three_points(NUEM_OUTSIDE_CLAMP);
  assert_rel(nuem_interp_eval(clamp, 0.5), 10, 0);
  assert_rel(nuem_interp_eval(clamp, 4), 40, 0);
  assert_rel(nuem_interp_deriv(clamp, 4), 0, 0);
  nuem_interp_free(clamp);

  nuem_interp *zero = three_points(NUEM_OUTSIDE_ZERO);
  assert_rel(nuem_interp_eval(zero, 0.5), 0, 0);
  assert_rel(nuem_interp_eval(zero, 3.0001), 0, 0);
  assert_rel(nuem_interp_eval(zero, 3), 40, 0);
  nuem_interp_free(zero);

  /* the end segments continued: 40 + 20 (4 - 3) = 60 and 10 - 10 (1 - 0) = 0 */
  nuem_interp *extra = three_points(NUEM_OUTSIDE_EXTRAPOLATE);
  assert_rel(nuem_interp_eval(extra, 4), 60, 1e-15);
  assert_rel(nuem_interp_eval(extra, 0), 0, 1e-15);
  assert_rel(nuem_interp_deriv(extra, 4), 20, 1e-15);
  assert_rel(nuem_interp_deriv(extra, 0), 10, 1e-15);
  nuem_interp_free(extra);
}

static void expect_rejected(const double *x, const double *y, size_t n,
                            nuem_interp_scheme scheme, nuem_interp_outside outside,
                            nuem_status want, const char *needle) {
  nuem_interp *f = NULL;
  assert_int_equal(nuem_interp_new(ctx, x, y, n, scheme, outside, "bad.dat", &f), want);
  assert_null(f);
  if (!strstr(nuem_context_error(ctx), needle))
    fail_msg("message '%s' lacks '%s'", nuem_context_error(ctx), needle);
}

static void rejects_bad_points(void **state) {
  const double y3[] = {1, 2, 3};
  expect_rejected((const double[]){1, 2, 2}, y3, 3, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                  NUEM_EPARSE, "increase strictly");
  expect_rejected((const double[]){3, 2, 1}, y3, 3, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_CLAMP,
                  NUEM_EPARSE, "increase strictly");
  expect_rejected((const double[]){1}, y3, 1, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                  NUEM_EPARSE, "at least 2");
  expect_rejected((const double[]){1, 2}, y3, 2, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_CLAMP,
                  NUEM_EPARSE, "at least 3");
  expect_rejected((const double[]){1, 2, 3}, (const double[]){1, 0, 3}, 3,
                  NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_CLAMP, NUEM_ERANGE, "y > 0");
  expect_rejected((const double[]){0, 2, 3}, y3, 3, NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_CLAMP,
                  NUEM_ERANGE, "x > 0");
  expect_rejected((const double[]){1, 2, 3}, y3, 3, NUEM_INTERP_STEFFEN,
                  NUEM_OUTSIDE_EXTRAPOLATE, NUEM_EINTERNAL, "extrapolation");
  expect_rejected((const double[]){1, NAN, 3}, y3, 3, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                  NUEM_EPARSE, "not finite");
}

static void builds_from_table_columns(void **state) {
  const char *text = "# columns: E a b\n# units: keV 1 1\n1 5 2\n3 9 8\n";
  nuem_table t;
  assert_int_equal(nuem_table_parse(ctx, text, strlen(text), "cols.dat", &t), NUEM_OK);
  nuem_interp *f = NULL;
  assert_int_equal(nuem_interp_from_table(ctx, &t, 0, 2, NUEM_INTERP_LINEAR,
                                          NUEM_OUTSIDE_ERROR, &f), NUEM_OK);
  /* column b between 1 keV (2) and 3 keV (8): 5 at 2 keV = 0.002 MeV */
  assert_rel(nuem_interp_eval(f, 0.002), 5.0, 1e-13);
  assert_rel(nuem_interp_x_max(f), 0.003, 1e-15);
  assert_int_equal(nuem_interp_check_range(ctx, f, 0, 0.002), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "cols.dat"));
  nuem_interp_free(f);
  nuem_table_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(linear_is_exact_on_a_line),
      cmocka_unit_test(loglog_is_exact_on_a_power_law),
      cmocka_unit_test(steffen_is_exact_on_a_line_and_does_not_overshoot),
      cmocka_unit_test(error_policy_gives_nan_and_a_status),
      cmocka_unit_test(clamp_zero_and_extrapolate_policies),
      cmocka_unit_test(rejects_bad_points),
      cmocka_unit_test(builds_from_table_columns),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

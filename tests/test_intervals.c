/* Interval methods beyond the 1-D belt: 2-D Feldman-Cousins (coverage, the
 * best fit inside the region, thread independence), CLs and Bayesian upper
 * limits against closed forms derived here (docs/statistics.md). Small
 * hand-built models isolate the statistics from the physics templates. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_erf.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

/* A model of nbins bins whose signal is theta * B[j], no nuisances, with
 * background bkg[j] (counts mode) and theta in [lo, hi]. */
static nuem_model *linear_model(int poi, int mode, size_t nbins, const double *B,
                                const double *bkg, double lo, double hi) {
  nuem_model *m = calloc(1, sizeof *m);
  m->poi = poi;
  m->mode = mode;
  m->n = nbins;
  m->edges = calloc(nbins + 1, sizeof(double));
  m->width = calloc(nbins, sizeof(double));
  m->A[0] = calloc(nbins, sizeof(double));
  m->B[0] = calloc(nbins, sizeof(double));
  m->C[0] = calloc(nbins, sizeof(double));
  m->bkg = calloc(nbins, sizeof(double));
  for (size_t j = 0; j < nbins; j++) {
    m->edges[j + 1] = (double)(j + 1) * 1e-3;
    m->width[j] = 1.0;
    m->B[0][j] = B[j];
    m->bkg[j] = bkg ? bkg[j] : 0.0;
  }
  m->exposure_on = 1.0;
  m->lo = lo;
  m->hi = hi;
  return m;
}

static nuem_data gauss_data(size_t n, const double *x) {
  nuem_data d = {.mode = NUEM_DATA_RESIDUAL, .nbins = n};
  d.residual = malloc(n * sizeof(double));
  d.sigma = malloc(n * sizeof(double));
  for (size_t j = 0; j < n; j++) d.residual[j] = x[j], d.sigma[j] = 1.0;
  return d;
}

/* ---- 2-D Feldman-Cousins -------------------------------------------------- */

/* The Gaussian plane: bin 1 measures theta1 in [0, 6] (a physical boundary
 * at 0, like mu^2), bin 2 measures theta2 in [-4, 4], sigma = 1. For data
 * (x1, x2) the FC statistic at (t1, t2), derived here independently of the
 * library, is (x1 - t1)^2 - (x1 - clamp(x1, 0, 6))^2 plus the same in 2. */
#define PLANE_LO1 0.0
#define PLANE_HI1 6.0
#define PLANE_LO2 (-4.0)
#define PLANE_HI2 4.0

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static double plane_statistic(double x1, double x2, double t1, double t2) {
  double b1 = clampd(x1, PLANE_LO1, PLANE_HI1), b2 = clampd(x2, PLANE_LO2, PLANE_HI2);
  return (x1 - t1) * (x1 - t1) - (x1 - b1) * (x1 - b1) + (x2 - t2) * (x2 - t2) -
         (x2 - b2) * (x2 - b2);
}

static void gauss_plane(nuem_model **m1, nuem_model **m2) {
  const double e1[2] = {1, 0}, e2[2] = {0, 1};
  *m1 = linear_model(NUEM_POI_CEVNS, NUEM_DATA_RESIDUAL, 2, e1, NULL, PLANE_LO1, PLANE_HI1);
  *m2 = linear_model(NUEM_POI_Q, NUEM_DATA_RESIDUAL, 2, e2, NULL, PLANE_LO2, PLANE_HI2);
}

/* At (0, 0) half the outcomes have x1 < 0, where t = x2^2 (chi2 with one
 * degree of freedom), the other half t = x1^2 + x2^2 (two): the 90 %
 * critical value solves F1(c)/2 + F2(c)/2 = 0.9 (bisection here). */
static double boundary_critical(void) {
  double lo = 0, hi = 20;
  for (int it = 0; it < 100; it++) {
    double c = 0.5 * (lo + hi);
    double p = 0.5 * gsl_cdf_chisq_P(c, 1) + 0.5 * gsl_cdf_chisq_P(c, 2);
    if (p < 0.9) lo = c; else hi = c;
  }
  return 0.5 * (lo + hi);
}

static void fc2d_gauss_coverage(void **state) {
  /* Coverage at three points of the test plane: the library's critical value
   * from 10^4 toys, checked with 2 10^4 fresh toys drawn here (another
   * generator, Box-Muller rather than ziggurat) and the statistic derived
   * above. Statistical error of the coverage estimate: sqrt(0.9 0.1 / 2e4) =
   * 0.0021 from the check toys, and the critical value's own toy error moves
   * the coverage by about sqrt(0.9 0.1 / 1e4) = 0.003: 0.0037 in all,
   * against the +-0.02 required (5 sigma). A Wilks critical value (4.605)
   * at (0, 0) would cover F1(4.605)/2 + F2(4.605)/2 = 0.934: outside. */
  nuem_model *m1, *m2;
  gauss_plane(&m1, &m2);
  const double x[2] = {0, 0};
  nuem_data d = gauss_data(2, x);
  double nu[NUEM_NNU] = {0};
  nuem_plane plane;
  assert_int_equal(nuem_plane_init(m1, m2, NULL, &d, nu, &plane), NUEM_OK);
  static const double points[3][2] = {{0, 0}, {0.5, 1.0}, {3.0, -1.0}};
  /* the exact critical values where they are known: the boundary mixture,
   * and chi2_2(0.9) = 4.605 three sigma from every edge */
  const double exact[3] = {boundary_critical(), NAN, gsl_cdf_chisq_Pinv(0.9, 2)};
  enum { BELT_TOYS = 10000, CHECK_TOYS = 20000 };
  gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
  gsl_rng_set(r, 20261129);
  for (int p = 0; p < 3; p++) {
    nuem_fc2d_job job = {&plane, &d, &points[p][0], &points[p][1], 1, 1, 0.9, BELT_TOYS, 17};
    double critical;
    assert_int_equal(nuem_fc2d_node(&job, 0, &critical), NUEM_OK);
    if (!isnan(exact[p])) assert_rel(critical, exact[p], 0.03);
    size_t covered = 0;
    for (int k = 0; k < CHECK_TOYS; k++) {
      double x1 = points[p][0] + gsl_ran_gaussian(r, 1.0);
      double x2 = points[p][1] + gsl_ran_gaussian(r, 1.0);
      covered += plane_statistic(x1, x2, points[p][0], points[p][1]) <= critical;
    }
    double coverage = (double)covered / CHECK_TOYS;
    if (fabs(coverage - 0.9) > 0.02)
      fail_msg("point (%g, %g): coverage %.4f, critical %.4f", points[p][0], points[p][1],
               coverage, critical);
    print_message("Gaussian plane (%g, %g): critical %.4f (exact %.4f), coverage %.4f\n",
                  points[p][0], points[p][1], critical, exact[p], coverage);
    /* the library's own coverage check agrees */
    double own;
    assert_int_equal(nuem_fc2d_coverage(&job, 0, critical, CHECK_TOYS, &own), NUEM_OK);
    assert_true(fabs(own - coverage) < 0.015);
  }
  gsl_rng_free(r);
  nuem_plane_free(&plane);
  nuem_data_free(&d);
  nuem_model_free(m1);
  nuem_model_free(m2);
}

static void fc2d_poisson_coverage(void **state) {
  /* The generic path: Poisson ON/OFF counts in three bins, an interference
   * term theta1 theta2 (like q with <r2>), coverage measured by the
   * library's check at three points (no closed form here; the Gaussian test
   * above checks the check). Counts of 30-100 per bin keep the
   * discreteness small against the +-0.02 required; errors as above. */
  const double b1[3] = {20, 10, 5}, b2[3] = {5, 10, 20}, bkg[3] = {0, 0, 0};
  nuem_model *m1 = linear_model(NUEM_POI_CEVNS, NUEM_DATA_COUNTS, 3, b1, bkg, 0, 6);
  nuem_model *m2 = linear_model(NUEM_POI_R2, NUEM_DATA_COUNTS, 3, b2, bkg, -3, 3);
  const double cross[3] = {2, 1, 2};
  nuem_data d = {.mode = NUEM_DATA_COUNTS, .nbins = 3, .exposure_on = 1, .exposure_off = 2};
  d.on = malloc(3 * sizeof(double));
  d.off = malloc(3 * sizeof(double));
  for (int j = 0; j < 3; j++) d.on[j] = 60, d.off[j] = 100; /* OFF background 50 per bin */
  double nu[NUEM_NNU] = {0};
  nuem_plane plane;
  assert_int_equal(nuem_plane_init(m1, m2, cross, &d, nu, &plane), NUEM_OK);
  static const double points[3][2] = {{0, 0}, {1.0, 1.0}, {2.0, -1.0}};
  for (int p = 0; p < 3; p++) {
    nuem_fc2d_job job = {&plane, &d, &points[p][0], &points[p][1], 1, 1, 0.9, 10000, 5};
    double critical, coverage;
    assert_int_equal(nuem_fc2d_node(&job, 0, &critical), NUEM_OK);
    assert_int_equal(nuem_fc2d_coverage(&job, 0, critical, 20000, &coverage), NUEM_OK);
    print_message("Poisson plane (%g, %g): critical %.4f, coverage %.4f\n", points[p][0],
                  points[p][1], critical, coverage);
    if (fabs(coverage - 0.9) > 0.02)
      fail_msg("point (%g, %g): coverage %.4f, critical %.4f", points[p][0], points[p][1],
               coverage, critical);
  }
  nuem_plane_free(&plane);
  nuem_data_free(&d);
  nuem_model_free(m1);
  nuem_model_free(m2);
}

static void fc2d_contour(void **state) {
  /* Data (1.2, 0.7) on the Gaussian plane: the best fit over the plane is
   * the data point itself (inside both ranges); the FC region holds it;
   * away from the edges the FC critical values approach chi2_2(0.9) = 4.605
   * (1000 toys: the quantile to ~10 %); the same seed gives the same belt
   * on 1 and 2 threads. */
  nuem_model *m1, *m2;
  gauss_plane(&m1, &m2);
  const double x[2] = {1.2, 0.7};
  nuem_data d = gauss_data(2, x);
  nuem_contour_fc fc, one;
  assert_int_equal(nuem_contour_feldman_cousins(ctx, m1, m2, NULL, &d, 0.9, 9, 1000, 3, 2,
                                                2000, &fc), NUEM_OK);
  assert_true(fabs(fc.wilks.best1 - 1.2) < 1e-4);
  assert_true(fabs(fc.wilks.best2 - 0.7) < 1e-4);
  assert_true(fc.contains_best);
  assert_true(fabs(fc.coverage - 0.9) < 0.03); /* 2000 toys: sigma 0.007 + belt 0.01 */
  /* node (i1, i2) = (4, 4) is (3, 0): three sigma from every edge */
  assert_rel(fc.critical[4 * 9 + 4], gsl_cdf_chisq_Pinv(0.9, 2), 0.1);
  /* the observed statistic is the Wilks one, relative to the best fit */
  assert_rel(fc.wilks.t[4 * 9 + 4], plane_statistic(1.2, 0.7, 3.0, 0.0), 1e-6);
  assert_int_equal(nuem_contour_feldman_cousins(ctx, m1, m2, NULL, &d, 0.9, 9, 1000, 3, 1, 0,
                                                &one), NUEM_OK);
  assert_int_equal(memcmp(one.critical, fc.critical, 81 * sizeof(double)), 0);
  nuem_contour_fc_free(&one);
  nuem_contour_fc_free(&fc);
  nuem_data_free(&d);
  nuem_model_free(m1);
  nuem_model_free(m2);
}

/* ---- CLs and Bayesian upper limits ----------------------------------------- */

/* One Poisson bin, known background b, signal s >= 0, n observed. Bayes with
 * a flat prior in s: the posterior is (s+b)^n e^-(s+b) / n! normalised over
 * s >= 0, and integrating by parts n times gives the Helene formula
 * (Helene, NIM 212, 319 (1983)):
 *   1 - cl = sum_{k<=n} P(k; s_up + b) / sum_{k<=n} P(k; b).
 * CLs with q~ orders outcomes like n (q~ falls as n rises towards s + b, and
 * is 0 above), so CL_s+b = P(k <= n; s + b), CL_b = P(k <= n; b): the same
 * equation (Read 2002, sec. 3). For n = 0: e^-s_up = 1 - cl, s_up = ln 10 =
 * 2.302585 at 90 %, whatever b. Solved here by bisection. */
static double helene(double n, double b, double cl) {
  double lo = 0, hi = 50;
  for (int it = 0; it < 200; it++) {
    double s = 0.5 * (lo + hi), num = 0, den = 0;
    for (int k = 0; k <= (int)n; k++) {
      num += gsl_ran_poisson_pdf((unsigned)k, s + b);
      den += gsl_ran_poisson_pdf((unsigned)k, b);
    }
    if (num / den > 1 - cl) lo = s; else hi = s;
  }
  return 0.5 * (lo + hi);
}

static nuem_data count_data(double n) {
  nuem_data d = {.mode = NUEM_DATA_COUNTS, .nbins = 1, .exposure_on = 1};
  d.on = malloc(sizeof(double));
  d.on[0] = n;
  return d;
}

static void counting_limits(void **state) {
  const double one = 1, b = 3;
  nuem_model *m = linear_model(NUEM_POI_CEVNS, NUEM_DATA_COUNTS, 1, &one, &b, 0, 20);
  assert_rel(helene(0, b, 0.9), log(10.0), 1e-6); /* the derivation's n = 0 case */
  for (int n = 0; n <= 6; n += 2) {
    nuem_data d = count_data(n);
    double want = helene(n, b, 0.9);
    nuem_upper_limit u;
    /* enumerated exactly (one bin without OFF data): grid and bisection
     * leave 1e-4 of a cell */
    assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 41, 1000, 1, 1, &u), NUEM_OK);
    print_message("n = %d, b = 3: CLs %.4f, Helene %.4f\n", n, u.limit, want);
    assert_rel(u.limit, want, 2e-3);
    nuem_upper_limit_free(&u);
    assert_int_equal(nuem_limit_bayes(ctx, m, &d, 0.9, 50, NUEM_PRIOR_FLAT, &u), NUEM_OK);
    print_message("n = %d, b = 3: Bayes %.4f, Helene %.4f\n", n, u.limit, want);
    assert_rel(u.limit, want, 1e-3);
    nuem_upper_limit_free(&u);
    nuem_data_free(&d);
  }
  /* flat in sqrt(s) (a prior flat in |mu| with s = mu^2): for n = 0 the
   * posterior of u = sqrt(s) is e^-u^2 on u >= 0, so erf(u_up) = 0.9
   * (bisection on erf here): u_up = 1.16309 */
  m->poi = NUEM_POI_MU;
  double lo = 0, hi = 5;
  for (int it = 0; it < 100; it++) {
    double mid = 0.5 * (lo + hi);
    if (gsl_sf_erf(mid) < 0.9) lo = mid; else hi = mid;
  }
  nuem_data d = count_data(0);
  nuem_upper_limit u;
  assert_int_equal(nuem_limit_bayes(ctx, m, &d, 0.9, 50, NUEM_PRIOR_FLAT_ROOT, &u), NUEM_OK);
  assert_rel(u.limit, 0.5 * (lo + hi), 1e-3);
  assert_rel(u.theta_limit, u.limit * u.limit, 1e-12);
  nuem_upper_limit_free(&u);
  nuem_data_free(&d);
  nuem_model_free(m);
}

/* One Gaussian bin x ~ N(theta, 1), theta >= 0. q~ falls as x rises, so
 * CL_s+b = P(X <= x; theta) = Phi(x - theta) and CL_b = Phi(x): the limit
 * solves Phi(x - theta) = (1 - cl) Phi(x) (bisection here). The asymptotic
 * formulae of Cowan et al. (2011, eq. 65) are exact for a Gaussian, so
 * cls-asymptotic must match to the bisection's precision; toys within their
 * error (2 10^4 toys: CL_s+b ~ 0.07 to 0.0018, the limit to ~1 %). */
static double gauss_cls(double x, double cl) {
  double lo = 0, hi = 20;
  for (int it = 0; it < 200; it++) {
    double th = 0.5 * (lo + hi);
    if (gsl_cdf_ugaussian_P(x - th) > (1 - cl) * gsl_cdf_ugaussian_P(x)) lo = th; else hi = th;
  }
  return 0.5 * (lo + hi);
}

static void gaussian_cls(void **state) {
  const double one = 1;
  nuem_model *m = linear_model(NUEM_POI_CEVNS, NUEM_DATA_RESIDUAL, 1, &one, NULL, 0, 8);
  const double xs[3] = {-1.0, 0.5, 2.0};
  for (int i = 0; i < 3; i++) {
    nuem_data d = gauss_data(1, &xs[i]);
    double want = gauss_cls(xs[i], 0.9);
    nuem_upper_limit u;
    assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 33, 0, 1, 1, &u), NUEM_OK);
    assert_rel(u.limit, want, 1e-4);
    nuem_upper_limit_free(&u);
    assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 33, 20000, 9, 2, &u), NUEM_OK);
    print_message("x = %g: CLs toys %.4f, exact %.4f\n", xs[i], u.limit, want);
    assert_rel(u.limit, want, 0.04);
    nuem_upper_limit_free(&u);
    nuem_data_free(&d);
  }
  /* the same seed gives the same CLs scan and limit on 1 and 2 threads */
  nuem_data d = gauss_data(1, &xs[1]);
  nuem_upper_limit serial, parallel;
  assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 9, 1000, 4, 1, &serial), NUEM_OK);
  assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 9, 1000, 4, 2, &parallel), NUEM_OK);
  assert_int_equal(memcmp(serial.cls, parallel.cls, 9 * sizeof(double)), 0);
  assert_true(serial.limit == parallel.limit);
  nuem_upper_limit_free(&serial);
  nuem_upper_limit_free(&parallel);
  nuem_data_free(&d);
  nuem_model_free(m);
}

static void signed_bayes(void **state) {
  /* A signed parameter (like q) with a prior flat in q on [-6, 6]: for x =
   * 0.3 the posterior is N(0.3, 1) truncated far out, and the limit on |q|
   * solves Phi(Q - 0.3) - Phi(-Q - 0.3) = 0.9 (bisection here). CLs refuses
   * the signed parameter with an error that says what to use. */
  const double one = 1, x = 0.3;
  nuem_model *m = linear_model(NUEM_POI_Q, NUEM_DATA_RESIDUAL, 1, &one, NULL, -6, 6);
  nuem_data d = gauss_data(1, &x);
  double lo = 0, hi = 6;
  for (int it = 0; it < 100; it++) {
    double q = 0.5 * (lo + hi);
    if (gsl_cdf_ugaussian_P(q - x) - gsl_cdf_ugaussian_P(-q - x) < 0.9) lo = q; else hi = q;
  }
  nuem_upper_limit u;
  assert_int_equal(nuem_limit_bayes(ctx, m, &d, 0.9, 50, NUEM_PRIOR_FLAT, &u), NUEM_OK);
  assert_rel(u.limit, 0.5 * (lo + hi), 1e-3);
  nuem_upper_limit_free(&u);
  assert_int_equal(nuem_limit_cls(ctx, m, &d, 0.9, 33, 0, 1, 1, &u), NUEM_ECONFIG);
  assert_non_null(strstr(nuem_context_error(ctx), "analysis.method = bayes"));
  assert_int_equal(nuem_limit_bayes(ctx, m, &d, 0.9, 50, NUEM_PRIOR_FLAT_ROOT, &u), NUEM_ECONFIG);
  nuem_data_free(&d);
  nuem_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fc2d_gauss_coverage),
      cmocka_unit_test(fc2d_poisson_coverage),
      cmocka_unit_test(fc2d_contour),
      cmocka_unit_test(counting_limits),
      cmocka_unit_test(gaussian_cls),
      cmocka_unit_test(signed_bayes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

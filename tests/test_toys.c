/* The toys' fast paths against the general ones (docs/statistics.md,
 * "Speed of the toys"): the Newton fit of a model linear in theta against
 * the scan + Brent minimiser on random toys, its slope against finite
 * differences of -2 ln L, and the Poisson table against the Poisson law. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "test_common.h"

enum { NBINS = 40, NTOYS = 300 };

/* A fixed model of NBINS bins: signal a + b theta (+ c theta^2), background
 * bkg (ON counts), OFF exposure ratio r, or residuals with errors sigma. */
typedef struct {
  nuem_fixed f;
  nuem_data d;
  double a[NBINS], b[NBINS], c[NBINS], bkg[NBINS], sigma[NBINS];
  double mean_on[NBINS], mean_off[NBINS], on[NBINS], off[NBINS];
} toy_model;

static void model_init(toy_model *t, int mode, int has_off, double curvature, gsl_rng *r) {
  memset(t, 0, sizeof *t);
  for (size_t j = 0; j < NBINS; j++) {
    t->a[j] = 20 + 30 * gsl_rng_uniform(r);   /* SM-like counts */
    t->b[j] = 5 * gsl_rng_uniform(r);         /* per unit theta */
    t->c[j] = curvature * gsl_rng_uniform(r);
    t->bkg[j] = 100 + 200 * gsl_rng_uniform(r);
    t->sigma[j] = 3 + gsl_rng_uniform(r);
  }
  t->f = (nuem_fixed){.n = NBINS, .mode = mode, .has_off = has_off, .ratio = 4.5,
                      .a = t->a, .b = t->b, .c = t->c, .bkg = t->bkg};
  t->d = (nuem_data){.mode = mode, .nbins = NBINS, .sigma = t->sigma};
}

/* A toy drawn at theta with GSL's own Poisson and Gaussian samplers. */
static void toy(toy_model *t, double theta, gsl_rng *r) {
  for (size_t j = 0; j < NBINS; j++) {
    double s = t->a[j] + theta * (t->b[j] + theta * t->c[j]);
    if (t->f.mode == NUEM_DATA_RESIDUAL) {
      t->on[j] = s + gsl_ran_gaussian(r, t->sigma[j]);
    } else if (t->f.has_off) {
      double b_off = t->bkg[j] / t->f.ratio;
      t->on[j] = (double)gsl_ran_poisson(r, s + t->f.ratio * b_off);
      t->off[j] = (double)gsl_ran_poisson(r, b_off);
    } else {
      t->on[j] = (double)gsl_ran_poisson(r, s + t->bkg[j]);
    }
  }
}

/* Stated tolerance: the fast minimum of -2 ln L agrees with the general
 * minimiser to 1e-9 absolute (the acceptance tolerance of intervals,
 * ACCEPT_TOL in interval.c), and is never worse than it by more. */
#define MIN_AGREE 1e-9

static void check_fast_min(int mode, int has_off) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 42 + (unsigned long)(3 * mode + has_off));
  toy_model t;
  model_init(&t, mode, has_off, 0.0, r);
  const double lo = 0, hi = 10;
  size_t interior = 0;
  for (int k = 0; k < NTOYS; k++) {
    double truth = hi * gsl_rng_uniform(r) * gsl_rng_uniform(r); /* many near 0 */
    toy(&t, truth, r);
    double th_fast, th_scan;
    double t_fast = nuem_fixed_min_from(&t.f, &t.d, t.on, t.off, lo, hi, truth, &th_fast);
    double t_scan = nuem_fixed_min_scan(&t.f, &t.d, t.on, t.off, lo, hi, &th_scan);
    if (fabs(t_fast - t_scan) > MIN_AGREE || t_fast > t_scan + MIN_AGREE)
      fail_msg("mode %d off %d toy %d: fast %.15g at %.10g, scan %.15g at %.10g", mode,
               has_off, k, t_fast, th_fast, t_scan, th_scan);
    /* the slope vanishes at an interior minimum and is >= 0 at theta = lo */
    double g1, g2;
    assert_int_equal(nuem_fixed_slope(&t.f, &t.d, t.on, t.off, th_fast, &g1, &g2), 0);
    if (th_fast == hi) {
      assert_true(g1 <= 0);
    } else if (th_fast > lo) {
      interior++;
      if (!(fabs(g1) < 1e-6 * (1 + g2))) fail_msg("toy %d: slope %g curvature %g at %.12g (lo %g hi %g)", k, g1, g2, th_fast, lo, hi);
    } else {
      assert_true(g1 >= 0);
    }
  }
  assert_true(interior > NTOYS / 4); /* both branches exercised */
  assert_true(interior < NTOYS);
  gsl_rng_free(r);
}

static void fast_min_on_off(void **state) { check_fast_min(NUEM_DATA_COUNTS, 1); }
static void fast_min_on_only(void **state) { check_fast_min(NUEM_DATA_COUNTS, 0); }
static void fast_min_residual(void **state) { check_fast_min(NUEM_DATA_RESIDUAL, 0); }

/* The analytic slope and curvature against central differences of
 * nuem_fixed_t, with c != 0 (the chain rule's 2 c term). */
static void slope_matches_differences(void **state) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  const int modes[3][2] = {{NUEM_DATA_COUNTS, 1}, {NUEM_DATA_COUNTS, 0}, {NUEM_DATA_RESIDUAL, 0}};
  for (int m = 0; m < 3; m++) {
    toy_model t;
    model_init(&t, modes[m][0], modes[m][1], 0.5, r);
    toy(&t, 2.0, r);
    for (double th = 0.5; th < 5; th += 1.1) {
      const double h = 1e-4;
      double g1, g2;
      assert_int_equal(nuem_fixed_slope(&t.f, &t.d, t.on, t.off, th, &g1, &g2), 0);
      double tp = nuem_fixed_t(&t.f, &t.d, t.on, t.off, th + h);
      double t0 = nuem_fixed_t(&t.f, &t.d, t.on, t.off, th);
      double tm = nuem_fixed_t(&t.f, &t.d, t.on, t.off, th - h);
      double d1 = (tp - tm) / (2 * h), d2 = (tp - 2 * t0 + tm) / (h * h);
      /* O(h^2) truncation and rounding of t ~ 1e3 over h^2: ~1e-5 relative */
      assert_true(fabs(g1 - d1) <= 1e-5 * (1 + fabs(d1)));
      if (modes[m][1]) continue; /* ON/OFF: the curvature is exact only off the floors */
      assert_true(fabs(g2 - d2) <= 1e-3 * (1 + fabs(d2)));
    }
  }
  gsl_rng_free(r);
}

/* A quadratic model (c != 0) is left to the general minimiser. */
static void quadratic_uses_scan(void **state) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  toy_model t;
  model_init(&t, NUEM_DATA_COUNTS, 1, 0.3, r);
  toy(&t, 1.0, r);
  double a, b;
  double x = nuem_fixed_min_from(&t.f, &t.d, t.on, t.off, -5, 5, 1.0, &a);
  double y = nuem_fixed_min_scan(&t.f, &t.d, t.on, t.off, -5, 5, &b);
  assert_true(x == y && a == b);
  gsl_rng_free(r);
}

/* Table draws follow the Poisson law: Pearson's chi2 of the histogram
 * against gsl_ran_poisson_pdf (cells with >= 5 expected merged into the
 * tails) below its 1e-4 upper quantile, at small, medium and large means
 * and at zero. */
static void poisson_table_law(void **state) {
  static const double means[] = {0.0, 0.3, 5.0, 290.0, 4000.0};
  enum { NM = sizeof means / sizeof *means, NDRAW = 200000 };
  nuem_poisson_table pt;
  assert_int_equal(nuem_poisson_table_init(&pt, means, NM), NUEM_OK);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  for (size_t j = 0; j < NM; j++) {
    size_t kmax = (size_t)(means[j] + 12 * sqrt(means[j]) + 30);
    double *hist = calloc(kmax + 1, sizeof(double));
    for (int i = 0; i < NDRAW; i++) {
      double k = nuem_poisson_draw(&pt, r, j);
      assert_true(k >= 0 && k <= (double)kmax && k == floor(k));
      hist[(size_t)k]++;
    }
    if (means[j] == 0) {
      assert_true(hist[0] == NDRAW);
      free(hist);
      continue;
    }
    double chi2 = 0, obs = 0, exp = 0;
    int cells = 0;
    for (size_t k = 0; k <= kmax; k++) {
      obs += hist[k];
      exp += NDRAW * gsl_ran_poisson_pdf((unsigned)k, means[j]);
      if (exp >= 5 || k == kmax) {
        chi2 += (obs - exp) * (obs - exp) / exp;
        cells++;
        obs = exp = 0;
      }
    }
    if (chi2 > gsl_cdf_chisq_Qinv(1e-4, cells - 1))
      fail_msg("mean %g: chi2 %g over %d cells", means[j], chi2, cells);
    free(hist);
  }
  gsl_rng_free(r);
  nuem_poisson_table_free(&pt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fast_min_on_off),
      cmocka_unit_test(fast_min_on_only),
      cmocka_unit_test(fast_min_residual),
      cmocka_unit_test(slope_matches_differences),
      cmocka_unit_test(quadratic_uses_scan),
      cmocka_unit_test(poisson_table_law),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

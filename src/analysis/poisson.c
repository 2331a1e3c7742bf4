/* Poisson draws for toys by inversion with a guide table.
 *
 * Every toy of one grid point draws each bin from the same mean, so the
 * distribution is tabulated once per grid point: the cumulative
 * probabilities over mean -+ (nuem_poisson_tail(mean) - mean), and
 * a guide table that maps a uniform u to the first candidate (Chen & Asau,
 * "On generating random variates from an empirical distribution", AIIE
 * Trans. 6 (1974) 163; Devroye, "Non-Uniform Random Variate Generation"
 * (1986) sec. III.2.4). A draw costs one uniform and on average about
 * two comparisons, against a gamma and a binomial variate (a tangent, an
 * exponential and several uniforms) for gsl_ran_poisson at large means.
 * The probability outside the table is below 1e-30. docs/statistics.md,
 * "Speed of the toys". */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

#include "analysis_internal.h"

/* Longer tables (means above ~1e7) fall back to gsl_ran_poisson. */
#define POISSON_TABLE_MAX 100000

void nuem_poisson_table_free(nuem_poisson_table *t) {
  free(t->lo);
  free(t->cdf);
  free(t->guide);
  t->lo = t->offset = t->len = NULL, t->cdf = NULL, t->guide = NULL;
}

/* The first and one-past-last counts tabulated for `mean`. */
static void span(double mean, size_t *lo, size_t *hi) {
  double w = nuem_poisson_tail(mean) - mean;
  *lo = mean > w ? (size_t)(mean - w) : 0;
  *hi = (size_t)(mean + w) + 1;
}

/* P(K = k) for lo <= k < hi into p, from the mode outwards (recurrences
 * p(k+1) = p(k) mean/(k+1), no cancellation). */
static void pmf(double mean, size_t lo, size_t hi, double *p) {
  size_t mode = (size_t)floor(mean);
  if (mode < lo) mode = lo;
  if (mode >= hi) mode = hi - 1;
  p[mode - lo] = mean > 0 ? exp(-mean + (double)mode * log(mean) - gsl_sf_lnfact((unsigned)mode))
                          : (mode == 0);
  for (size_t k = mode; k > lo; k--) p[k - 1 - lo] = p[k - lo] * (double)k / mean;
  for (size_t k = mode + 1; k < hi; k++) p[k - lo] = p[k - 1 - lo] * mean / (double)k;
}

nuem_status nuem_poisson_table_init(nuem_poisson_table *t, const double *mean, size_t n) {
  t->n = n;
  t->mean = mean;
  t->cdf = NULL, t->guide = NULL;
  t->lo = calloc(3 * n + 1, sizeof(size_t));
  if (!t->lo) return NUEM_ENOMEM;
  t->offset = t->lo + n, t->len = t->offset + n;
  size_t total = 0;
  for (size_t j = 0; j < n; j++) {
    size_t lo, hi;
    span(fmax(mean[j], 0.0), &lo, &hi);
    if (hi - lo > POISSON_TABLE_MAX) lo = hi = 0; /* gsl_ran_poisson */
    t->lo[j] = lo, t->offset[j] = total, t->len[j] = hi - lo;
    total += hi - lo;
  }
  t->cdf = malloc((total + 1) * sizeof(double));
  t->guide = malloc((total + 1) * sizeof(unsigned));
  if (!t->cdf || !t->guide) {
    nuem_poisson_table_free(t);
    return NUEM_ENOMEM;
  }
  for (size_t j = 0; j < n; j++) {
    size_t len = t->len[j], off = t->offset[j];
    if (!len) continue;
    double *c = t->cdf + off, sum = 0;
    pmf(fmax(mean[j], 0.0), t->lo[j], t->lo[j] + len, c);
    for (size_t k = 0; k < len; k++) sum += c[k], c[k] = sum;
    for (size_t k = 0; k < len; k++) c[k] /= sum; /* the tails beyond: < 1e-30 */
    c[len - 1] = 1.0; /* u < 1 always finds its count */
    unsigned *g = t->guide + off, k = 0;
    for (size_t i = 0; i < len; i++) { /* g[i]: the first k with cdf >= i/len */
      while (c[k] < (double)i / (double)len) k++;
      g[i] = k;
    }
  }
  return NUEM_OK;
}

double nuem_poisson_draw(const nuem_poisson_table *t, gsl_rng *r, size_t j) {
  size_t len = t->len[j];
  if (!len) return (double)gsl_ran_poisson(r, t->mean[j]);
  const double *c = t->cdf + t->offset[j];
  double u = gsl_rng_uniform(r);
  size_t i = (size_t)(u * (double)len);
  size_t k = t->guide[t->offset[j] + (i < len ? i : len - 1)];
  while (c[k] < u) k++;
  return (double)(t->lo[j] + k);
}

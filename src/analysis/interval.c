/* Intervals: Wilks from the profile likelihood, Feldman-Cousins with toys. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "analysis_internal.h"
#include "core_internal.h"
#include "nuem/config.h"

void nuem_interval_free(nuem_interval *iv) {
  free(iv->theta);
  free(iv->t);
  free(iv->critical);
  memset(iv, 0, sizeof *iv);
}

static nuem_status interval_alloc(nuem_context *ctx, const nuem_model *m, size_t grid,
                                  nuem_interval *iv) {
  memset(iv, 0, sizeof *iv);
  if (grid < 2) return nuem_error(ctx, NUEM_ERANGE, "analysis.grid must be at least 2");
  iv->n = grid;
  iv->theta = malloc(grid * sizeof(double));
  iv->t = malloc(grid * sizeof(double));
  iv->critical = malloc(grid * sizeof(double));
  if (!iv->theta || !iv->t || !iv->critical) {
    nuem_interval_free(iv);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  }
  double lo, hi;
  nuem_model_range(m, &lo, &hi);
  for (size_t i = 0; i < grid; i++) iv->theta[i] = lo + (hi - lo) * (double)i / (double)(grid - 1);
  iv->coverage = -1;
  return NUEM_OK;
}

/* The accepted region {t <= critical}, its ends refined by linear
 * interpolation of t - critical between neighbouring grid points. */
static void accepted_range(const nuem_model *m, nuem_interval *iv) {
  size_t first = iv->n, last = 0;
  for (size_t i = 0; i < iv->n; i++)
    if (iv->t[i] <= iv->critical[i]) {
      if (first == iv->n) first = i;
      last = i;
    }
  if (first == iv->n) { /* nothing accepted: the model cannot describe the data */
    iv->lo = iv->hi = NAN;
    return;
  }
  double lo = iv->theta[first], hi = iv->theta[last];
  iv->lo_at_boundary = first == 0;
  iv->hi_at_boundary = last == iv->n - 1;
  if (first > 0) {
    double d0 = iv->t[first - 1] - iv->critical[first - 1], d1 = iv->t[first] - iv->critical[first];
    lo = iv->theta[first - 1] + (iv->theta[first] - iv->theta[first - 1]) * d0 / (d0 - d1);
  }
  if (last + 1 < iv->n) {
    double d0 = iv->t[last] - iv->critical[last], d1 = iv->t[last + 1] - iv->critical[last + 1];
    hi = iv->theta[last] + (iv->theta[last + 1] - iv->theta[last]) * d0 / (d0 - d1);
  }
  iv->lo = nuem_model_report(m, lo);
  iv->hi = nuem_model_report(m, hi);
}

nuem_status nuem_interval_wilks(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                                double cl, size_t grid, nuem_interval *iv) {
  NUEM_TRY(interval_alloc(ctx, m, grid, iv));
  double t_min, crit = gsl_cdf_chisq_Pinv(cl, 1.0);
  nuem_status s = nuem_model_fit(ctx, m, d, &iv->theta_hat, &t_min, NULL);
  for (size_t i = 0; !s && i < grid; i++) {
    s = nuem_model_profile(ctx, m, d, iv->theta[i], &iv->t[i], NULL);
    iv->t[i] -= t_min;
    iv->critical[i] = crit;
    nuem_progress(ctx, (double)(i + 1) / (double)grid, "profile scan");
  }
  if (s) {
    nuem_interval_free(iv);
    return s;
  }
  iv->best_report = nuem_model_report(m, iv->theta_hat);
  accepted_range(m, iv);
  return NUEM_OK;
}

/* A reproducible generator for (seed, stream): independent of threads. */
static gsl_rng *stream_rng(unsigned long seed, unsigned long stream) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL + stream + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; /* splitmix64 finaliser */
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  if (r) gsl_rng_set(r, (unsigned long)(z & 0xFFFFFFFFUL) ^ (unsigned long)(z >> 32));
  return r;
}

/* Expected ON (and OFF) counts or residual means of the fixed model at theta,
 * with per-bin OFF backgrounds at their profiled values for the data. */
static void expectation(const nuem_fixed *f, const nuem_data *d, double theta, double *on,
                        double *off) {
  for (size_t j = 0; j < f->n; j++) {
    double s = f->a[j] + theta * (f->b[j] + theta * f->c[j]);
    if (f->mode == NUEM_DATA_RESIDUAL) {
      on[j] = s;
    } else if (f->has_off) {
      double r = f->ratio, n_on = d->on[j], n_off = d->off[j];
      double B = r * (n_on + n_off) - (r + 1) * s;
      double disc = B * B + 4 * r * (r + 1) * n_off * s;
      double b = disc > 0 ? (B + sqrt(disc)) / (2 * r * (r + 1)) : n_off;
      if (!(b > 0)) b = fmax(n_off, 1e-12);
      on[j] = fmax(s + r * b, 0.0);
      off[j] = b;
    } else {
      on[j] = fmax(s + f->bkg[j], 0.0);
    }
  }
}

static void draw(gsl_rng *r, const nuem_fixed *f, const nuem_data *d, const double *mean_on,
                 const double *mean_off, double *on, double *off) {
  for (size_t j = 0; j < f->n; j++) {
    if (f->mode == NUEM_DATA_RESIDUAL) {
      on[j] = mean_on[j] + gsl_ran_gaussian_ziggurat(r, d->sigma[j]);
    } else {
      on[j] = gsl_ran_poisson(r, mean_on[j]);
      if (f->has_off) off[j] = gsl_ran_poisson(r, mean_off[j]);
    }
  }
}

typedef struct {
  const nuem_model *m;
  const nuem_data *d;
  double cl, lo, hi;
  size_t toys;
  unsigned long seed;
} fc_job;

typedef struct {
  double t, p;
} outcome;

static int by_statistic(const void *a, const void *b) {
  double x = ((const outcome *)a)->t, y = ((const outcome *)b)->t;
  return (x > y) - (x < y);
}

/* A single Poisson bin without OFF data (a counting experiment): the
 * outcomes are enumerated exactly, so the critical value follows
 * Feldman & Cousins' rule without toy noise: add outcomes in order of the
 * statistic until their probability reaches cl. */
static double exact_critical(const fc_job *job, const nuem_fixed *f, double theta,
                             double mean) {
  size_t nmax = (size_t)(mean + 12 * sqrt(mean) + 30);
  outcome *o = malloc((nmax + 1) * sizeof *o);
  if (!o) return NAN;
  double logp = -mean, dummy;
  for (size_t n = 0; n <= nmax; n++) {
    double x = (double)n;
    if (n) logp += log(mean) - log(x);
    o[n].p = mean > 0 ? exp(logp) : (double)(n == 0);
    o[n].t = nuem_fixed_t(f, job->d, &x, NULL, theta) -
             nuem_fixed_min(f, job->d, &x, NULL, job->lo, job->hi, &dummy);
  }
  qsort(o, nmax + 1, sizeof *o, by_statistic);
  double sum = 0, critical = o[nmax].t;
  for (size_t k = 0; k <= nmax; k++) {
    sum += o[k].p;
    if (sum >= job->cl - 1e-12) {
      critical = o[k].t;
      break;
    }
  }
  free(o);
  return critical;
}

/* One grid point: conditional nuisances, observed statistic, toy quantile
 * (t_obs may be NULL when only the critical value is wanted). */
static nuem_status fc_point(const fc_job *job, double theta, size_t index, double *t_obs,
                            double *critical) {
  nuem_context *ctx;
  if (nuem_context_new(&ctx)) return NUEM_ENOMEM;
  double nu[NUEM_NNU], tt, dummy;
  nuem_fixed f = {0};
  size_t n = job->m->n;
  double *buf = malloc((4 * n + job->toys) * sizeof(double));
  gsl_rng *rng = stream_rng(job->seed, index);
  nuem_status s = buf && rng ? NUEM_OK : NUEM_ENOMEM;
  /* Nuisances at their conditional fit; where the data cannot be described
   * at all (the likelihood is not finite) they stay nominal, and the point is
   * rejected by its observed statistic. */
  if (!s && nuem_model_profile(ctx, job->m, job->d, theta, &tt, nu))
    for (int k = 0; k < NUEM_NNU; k++) nu[k] = 0;
  if (!s) s = nuem_fixed_init(job->m, job->d, nu, &f);
  if (!s) {
    const nuem_data *d = job->d;
    const double *obs = d->mode == NUEM_DATA_COUNTS ? d->on : d->residual;
    if (t_obs)
      *t_obs = nuem_fixed_t(&f, d, obs, d->off, theta) -
               nuem_fixed_min(&f, d, obs, d->off, job->lo, job->hi, &dummy);
    double *mean_on = buf, *mean_off = buf + n, *on = buf + 2 * n, *off = buf + 3 * n;
    double *stat = buf + 4 * n;
    expectation(&f, d, theta, mean_on, mean_off);
    if (n == 1 && d->mode == NUEM_DATA_COUNTS && !f.has_off) {
      *critical = exact_critical(job, &f, theta, mean_on[0]);
      goto done;
    }
    for (size_t k = 0; k < job->toys; k++) {
      draw(rng, &f, d, mean_on, mean_off, on, off);
      stat[k] = nuem_fixed_t(&f, d, on, off, theta) -
                nuem_fixed_min(&f, d, on, off, job->lo, job->hi, &dummy);
    }
    /* the smallest value with at least cl of the toys at or below it: for
     * discrete (Poisson) statistics this is Feldman-Cousins' rule of adding
     * outcomes until the probability reaches cl */
    gsl_sort(stat, 1, job->toys);
    size_t k = (size_t)ceil(job->cl * (double)job->toys);
    *critical = stat[k ? k - 1 : 0];
  }
done:
  nuem_fixed_free(&f);
  free(buf);
  if (rng) gsl_rng_free(rng);
  nuem_context_free(ctx);
  return s;
}

/* Fraction of fresh toys at theta whose statistic stays within the critical
 * value: the achieved coverage there. */
static nuem_status fc_coverage(const fc_job *job, double theta, double critical,
                               size_t ntoys, double *coverage) {
  nuem_context *ctx;
  if (nuem_context_new(&ctx)) return NUEM_ENOMEM;
  double nu[NUEM_NNU], tt, dummy;
  nuem_fixed f = {0};
  size_t n = job->m->n, covered = 0;
  double *buf = malloc(4 * n * sizeof(double));
  gsl_rng *rng = stream_rng(job->seed ^ 0x5DEECE66DUL, 1000003);
  nuem_status s = buf && rng ? nuem_model_profile(ctx, job->m, job->d, theta, &tt, nu) : NUEM_ENOMEM;
  if (!s) s = nuem_fixed_init(job->m, job->d, nu, &f);
  if (!s) {
    double *mean_on = buf, *mean_off = buf + n, *on = buf + 2 * n, *off = buf + 3 * n;
    expectation(&f, job->d, theta, mean_on, mean_off);
    for (size_t k = 0; k < ntoys; k++) {
      draw(rng, &f, job->d, mean_on, mean_off, on, off);
      double t = nuem_fixed_t(&f, job->d, on, off, theta) -
                 nuem_fixed_min(&f, job->d, on, off, job->lo, job->hi, &dummy);
      covered += t <= critical;
    }
    *coverage = (double)covered / (double)ntoys;
  }
  nuem_fixed_free(&f);
  free(buf);
  if (rng) gsl_rng_free(rng);
  nuem_context_free(ctx);
  return s;
}

/* Enough toys that the critical value at cl does not rest on a handful of
 * them (one toy gave a 90 % limit with "coverage 1.0"), and no more threads
 * than OpenMP can start. */
static nuem_status check_toys(nuem_context *ctx, double cl, size_t toys, int threads) {
  size_t need = nuem_toys_min(cl);
  if (toys < need)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.toys = %zu is too few for a %g %% "
                      "confidence level: set analysis.toys to at least %zu (10 / (1 - "
                      "analysis.cl)) so that about 10 toys lie beyond the critical value",
                      toys, 100 * cl, need);
  if (threads < 0 || threads > NUEM_THREADS_MAX)
    return nuem_error(ctx, NUEM_ERANGE, "analysis.threads = %d: give 0 (all cores) to %d",
                      threads, NUEM_THREADS_MAX);
  return NUEM_OK;
}

nuem_status nuem_interval_fc(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                             double cl, size_t grid, size_t toys, unsigned long seed,
                             int threads, size_t coverage_toys, nuem_interval *iv) {
  NUEM_TRY(check_toys(ctx, cl, toys, threads));
  NUEM_TRY(interval_alloc(ctx, m, grid, iv));
  double t_min;
  nuem_status s = nuem_model_fit(ctx, m, d, &iv->theta_hat, &t_min, NULL);
  if (s) {
    nuem_interval_free(iv);
    return s;
  }
  fc_job job = {m, d, cl, 0, 0, toys, seed};
  nuem_model_range(m, &job.lo, &job.hi);
  nuem_status first_error = NUEM_OK;
  size_t done = 0;
#ifdef _OPENMP
  int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
  for (size_t i = 0; i < grid; i++) {
    nuem_status si = fc_point(&job, iv->theta[i], i, &iv->t[i], &iv->critical[i]);
#ifdef _OPENMP
#pragma omp critical
#endif
    {
      if (si && !first_error) first_error = si;
      done++;
      nuem_progress(ctx, (double)done / (double)grid, "toys");
    }
  }
  (void)threads;
  if (first_error) {
    nuem_interval_free(iv);
    return nuem_error(ctx, first_error, "Feldman-Cousins construction failed (%s)",
                      nuem_status_string(first_error));
  }
  iv->best_report = nuem_model_report(m, iv->theta_hat);
  accepted_range(m, iv);
  if (coverage_toys) {
    size_t near = 0;
    for (size_t i = 1; i < grid; i++)
      if (fabs(iv->theta[i] - iv->theta_hat) < fabs(iv->theta[near] - iv->theta_hat)) near = i;
    s = fc_coverage(&job, iv->theta[near], iv->critical[near], coverage_toys, &iv->coverage);
    if (s) {
      nuem_interval_free(iv);
      return nuem_error(ctx, s, "coverage check failed");
    }
  }
  return NUEM_OK;
}

/* ---- sensitivity ----------------------------------------------------------- */

/* The upper end of the Wilks interval of one data set with the nuisances
 * fixed: bisection of t(theta) - t_min = critical above the best fit. For
 * signed parameters, the half-width of the interval. */
static double toy_limit(const nuem_fixed *f, const nuem_data *d, const double *on,
                        const double *off, double lo, double hi, double crit, int signed_poi) {
  double best, tmin = nuem_fixed_min(f, d, on, off, lo, hi, &best);
  double ends[2];
  for (int side = 0; side < 2; side++) {
    double a = best, b = side ? lo : hi;
    if (nuem_fixed_t(f, d, on, off, b) - tmin < crit) {
      ends[side] = b;
      continue;
    }
    for (int it = 0; it < 60; it++) {
      double mid = 0.5 * (a + b);
      if (nuem_fixed_t(f, d, on, off, mid) - tmin < crit) a = mid;
      else b = mid;
    }
    ends[side] = 0.5 * (a + b);
    if (!signed_poi) break;
  }
  return signed_poi ? 0.5 * (ends[0] - ends[1]) : ends[0];
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

nuem_status nuem_sensitivity_compute(nuem_context *ctx, const nuem_model *m,
                                     const nuem_data *like, double cl, size_t toys,
                                     unsigned long seed, int threads,
                                     nuem_sensitivity *out) {
  NUEM_TRY(check_toys(ctx, cl, toys, threads));
  double lo, hi, crit = gsl_cdf_chisq_Pinv(cl, 1.0);
  nuem_model_range(m, &lo, &hi);
  int signed_poi = m->poi == NUEM_POI_Q || m->poi == NUEM_POI_R2;
  nuem_data asimov;
  NUEM_TRY(nuem_model_asimov(ctx, m, like, 0.0, &asimov));
  double nu[NUEM_NNU] = {0};
  nuem_fixed f;
  double *limits = malloc((toys ? toys : 1) * sizeof(double));
  nuem_status s = limits ? nuem_fixed_init(m, &asimov, nu, &f) : NUEM_ENOMEM;
  if (s) {
    free(limits);
    nuem_data_free(&asimov);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  }
  const double *obs = asimov.mode == NUEM_DATA_COUNTS ? asimov.on : asimov.residual;
  double a = toy_limit(&f, &asimov, obs, asimov.off, lo, hi, crit, signed_poi);
  out->asimov = signed_poi ? a : nuem_model_report(m, a);
  size_t n = m->n, chunk = 64, nchunks = (toys + chunk - 1) / chunk;
#ifdef _OPENMP
  int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
  for (size_t c = 0; c < nchunks; c++) { /* chunk c: its own stream, any thread */
    gsl_rng *rng = stream_rng(seed, 1u << 20 | c);
    double *buf = malloc(4 * n * sizeof(double));
    if (rng && buf) {
      double *mean_on = buf, *mean_off = buf + n, *on = buf + 2 * n, *off = buf + 3 * n;
      expectation(&f, &asimov, 0.0, mean_on, mean_off);
      for (size_t k = c * chunk; k < toys && k < (c + 1) * chunk; k++) {
        draw(rng, &f, &asimov, mean_on, mean_off, on, off);
        double l = toy_limit(&f, &asimov, on, off, lo, hi, crit, signed_poi);
        limits[k] = signed_poi ? l : nuem_model_report(m, l);
      }
    }
    free(buf);
    if (rng) gsl_rng_free(rng);
  }
  (void)threads;
  qsort(limits, toys, sizeof *limits, compare_double);
  static const double q[5] = {0.02275, 0.15866, 0.5, 0.84134, 0.97725};
  for (int i = 0; i < 5; i++)
    out->band[i] = toys ? gsl_stats_quantile_from_sorted_data(limits, 1, toys, q[i]) : out->asimov;
  free(limits);
  nuem_fixed_free(&f);
  nuem_data_free(&asimov);
  return NUEM_OK;
}

nuem_status nuem_fc_critical(const nuem_model *m, const nuem_data *d, const double *theta,
                             size_t n, double cl, size_t toys, unsigned long seed,
                             double *critical) {
  fc_job job = {m, d, cl, 0, 0, toys, seed};
  nuem_model_range(m, &job.lo, &job.hi);
  for (size_t i = 0; i < n; i++) NUEM_TRY(fc_point(&job, theta[i], i, NULL, &critical[i]));
  return NUEM_OK;
}

void nuem_interval_accept(const nuem_model *m, nuem_interval *iv) { accepted_range(m, iv); }

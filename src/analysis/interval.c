/* Intervals: Wilks from the profile likelihood, Feldman-Cousins with toys. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"
#include "nuem/config.h"

/* One parameter of interest: Wilks' chi2 has one degree of freedom. */
#define POI_DOF 1.0
/* Summed probabilities may fall short of cl by rounding. */
#define CL_ROUNDING 1e-12
/* Random-number streams: FC toys use stream = grid index; the coverage check
 * and the sensitivity chunks use disjoint stream numbers (and the coverage a
 * salted seed), so no two uses share a sequence. */
#define COVERAGE_SEED_SALT 0x5DEECE66DUL
#define COVERAGE_STREAM 1000003UL
#define SENSITIVITY_STREAM_BASE (1UL << 20)
#define TOYS_PER_STREAM 64
/* Bisection steps for a toy's limit: 2^-60 of the scanned range, below
 * double precision. */
#define BISECTION_STEPS 60
/* The sensitivity band: the median and the Gaussian +-1 and +-2 sigma
 * quantiles Phi(-2), Phi(-1), 0.5, Phi(1), Phi(2). */
enum { NBAND = 5 };
static const double band_quantiles[NBAND] = {0.02275, 0.15866, 0.5, 0.84134, 0.97725};

void nuem_interval_free(nuem_interval *iv) {
  free(iv->theta);
  free(iv->t);
  free(iv->critical);
  memset(iv, 0, sizeof *iv);
}

static nuem_status interval_alloc(nuem_context *ctx, double lo, double hi, size_t grid,
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
  for (size_t i = 0; i < grid; i++) iv->theta[i] = lo + (hi - lo) * (double)i / (double)(grid - 1);
  iv->coverage = -1;
  return NUEM_OK;
}

/* The POI value as reported (nuem_model_report). */
static double report(int poi, double theta) {
  return poi == NUEM_POI_MU ? sqrt(fmax(theta, 0.0)) : theta;
}

/* t - critical at a point off the grid (accepted where <= 0); `stream`
 * keeps toys reproducible. */
typedef struct {
  nuem_status (*excess)(void *user, double theta, size_t stream, double *d);
  void *user;
} edge_test;

enum { EDGE_STEPS_MAX = 40, FC_REFINE_BELOW = 3 };
/* Bisection narrows the edge to this fraction of its value; linear
 * interpolation of t - critical inside the last bracket does the rest. */
#define EDGE_REL_TOL 1e-2
/* -2 ln L differences below this are rounding (the statistic is a
 * difference of sums over many bins), not evidence. */
#define ACCEPT_TOL 1e-9
static int accepted(double t, double critical) { return t <= critical + ACCEPT_TOL; }

/* Bisection between an accepted theta `in` (excess d_in) and a rejected
 * one `out` (d_out): grids are set by the expected sensitivity, and data
 * far below it (zero counts) put the edge deep inside the first cell. */
static nuem_status refine_edge(const edge_test *e, double in, double d_in, double out,
                               double d_out, size_t stream, double *edge) {
  for (int it = 0; it < EDGE_STEPS_MAX; it++) {
    if (fabs(out - in) <= EDGE_REL_TOL * fmax(fabs(in), fabs(out))) break;
    double mid = 0.5 * (in + out), d;
    NUEM_TRY(e->excess(e->user, mid, stream + (size_t)it, &d));
    if (d <= 0) in = mid, d_in = d;
    else out = mid, d_out = d;
  }
  *edge = d_out > d_in ? in + (out - in) * (0 - d_in) / (d_out - d_in) : 0.5 * (in + out);
  return NUEM_OK;
}

/* The accepted region {t <= critical} of the grid, its ends found by
 * bisection with `e` (or, if e is NULL or the region spans more than
 * `refine_below` grid points, by linear interpolation of t - critical
 * between neighbouring grid points). */
static nuem_status accepted_range(int poi, nuem_interval *iv, const edge_test *e,
                                  size_t refine_below) {
  size_t first = iv->n, last = 0;
  for (size_t i = 0; i < iv->n; i++)
    if (accepted(iv->t[i], iv->critical[i])) {
      if (first == iv->n) first = i;
      last = i;
    }
  if (first == iv->n) { /* nothing accepted: the model cannot describe the data */
    iv->lo = iv->hi = NAN;
    return NUEM_OK;
  }
  double lo = iv->theta[first], hi = iv->theta[last];
  if (last - first + 1 > refine_below) e = NULL;
  iv->lo_at_boundary = first == 0;
  iv->hi_at_boundary = last == iv->n - 1;
  if (first > 0 && e) {
    NUEM_TRY(refine_edge(e, iv->theta[first], iv->t[first] - iv->critical[first] - ACCEPT_TOL,
                         iv->theta[first - 1],
                         iv->t[first - 1] - iv->critical[first - 1] - ACCEPT_TOL, 2 * iv->n, &lo));
  } else if (first > 0) {
    double d0 = iv->t[first - 1] - iv->critical[first - 1], d1 = iv->t[first] - iv->critical[first];
    lo = iv->theta[first - 1] + (iv->theta[first] - iv->theta[first - 1]) * d0 / (d0 - d1);
  }
  if (last + 1 < iv->n && e) {
    NUEM_TRY(refine_edge(e, iv->theta[last], iv->t[last] - iv->critical[last] - ACCEPT_TOL,
                         iv->theta[last + 1],
                         iv->t[last + 1] - iv->critical[last + 1] - ACCEPT_TOL,
                         3 * iv->n + EDGE_STEPS_MAX, &hi));
  } else if (last + 1 < iv->n) {
    double d0 = iv->t[last] - iv->critical[last], d1 = iv->t[last + 1] - iv->critical[last + 1];
    hi = iv->theta[last] + (iv->theta[last + 1] - iv->theta[last]) * d0 / (d0 - d1);
  }
  iv->lo = report(poi, lo);
  iv->hi = report(poi, hi);
  return NUEM_OK;
}

typedef struct {
  nuem_context *ctx;
  nuem_profile_fn profile;
  void *user;
  double t_min, critical;
} wilks_job;

static nuem_status wilks_excess(void *user, double theta, size_t stream, double *d) {
  (void)stream;
  const wilks_job *w = user;
  double t;
  NUEM_TRY(w->profile(w->ctx, w->user, theta, &t));
  *d = t - w->t_min - w->critical - ACCEPT_TOL;
  return NUEM_OK;
}

nuem_status nuem_interval_wilks_profile(nuem_context *ctx, nuem_profile_fn profile, void *user,
                                        int poi, double lo, double hi, double cl, size_t grid,
                                        nuem_interval *iv) {
  NUEM_TRY(interval_alloc(ctx, lo, hi, grid, iv));
  double t_min, crit = gsl_cdf_chisq_Pinv(cl, POI_DOF);
  nuem_status s = nuem_profile_min(ctx, profile, user, lo, hi, &iv->theta_hat, &t_min);
  for (size_t i = 0; !s && i < grid; i++) {
    s = profile(ctx, user, iv->theta[i], &iv->t[i]);
    iv->t[i] -= t_min;
    iv->critical[i] = crit;
    nuem_progress(ctx, (double)(i + 1) / (double)grid, "profile scan");
  }
  wilks_job w = {ctx, profile, user, t_min, crit};
  edge_test e = {wilks_excess, &w};
  if (!s) s = accepted_range(poi, iv, &e, iv->n); /* profiles are cheap: always bisect */
  if (s) {
    nuem_interval_free(iv);
    return s;
  }
  iv->best_report = report(poi, iv->theta_hat);
  return NUEM_OK;
}


nuem_status nuem_interval_wilks(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                                double cl, size_t grid, nuem_interval *iv) {
  NUEM_TRY(nuem_check_precision(ctx, d));
  nuem_model_data j = {m, d};
  return nuem_interval_wilks_profile(ctx, nuem_model_profile_fn, &j, m->poi, m->lo, m->hi, cl, grid, iv);
}

/* A toy at the expectation: Gaussian residuals, or Poisson ON (and OFF)
 * counts from the table of their means (ON bins 0..n-1, OFF n..2n-1). */
static void draw_from_table(gsl_rng *r, const nuem_fixed *f, const nuem_data *d,
                            const nuem_poisson_table *pt, const double *mean_on, double *on, double *off) {
  size_t n = f->n;
  if (f->mode == NUEM_DATA_RESIDUAL) {
    for (size_t j = 0; j < n; j++) on[j] = mean_on[j] + gsl_ran_gaussian_ziggurat(r, d->sigma[j]);
    return;
  }
  for (size_t j = 0; j < n; j++) on[j] = nuem_poisson_draw(pt, r, j);
  if (f->has_off)
    for (size_t j = 0; j < n; j++) off[j] = nuem_poisson_draw(pt, r, n + j);
}

/* The Poisson table of the expectation in `mean` (ON then OFF means, as
 * laid out by the toy buffers); none for residuals. */
static nuem_status toy_table(const nuem_fixed *f, const double *mean, nuem_poisson_table *pt) {
  pt->lo = NULL, pt->cdf = NULL, pt->guide = NULL;
  if (f->mode == NUEM_DATA_RESIDUAL) return NUEM_OK;
  return nuem_poisson_table_init(pt, mean, f->has_off ? 2 * f->n : f->n);
}

typedef struct {
  const nuem_model *m;
  const nuem_data *d;
  double cl, lo, hi;
  size_t toys;
  unsigned long seed;
  double t_min; /* -2 ln L of the data at the best fit, nuisances profiled */
} fc_job;

/* What one grid point's toys share: the expectation, and for event lists
 * the bin probabilities and a buffer for the toy's events. */
typedef struct {
  double *mean_on, *mean_off, *on, *off;
  nuem_poisson_table counts; /* binned counts: the draws' table */
  gsl_ran_discrete_t *bins; /* event lists: which bin an event falls in */
  double *events;
  size_t cap;
} toy_state;

/* A toy event list at the expectation: N ~ Poisson(sum of the bin means),
 * each event in a bin drawn by its mean, uniform inside it (the model's
 * density is linear between centres: a difference of second order in the
 * bin width, 0.1 keV for XENONnT against sigma = 0.3 keV at 1 keV). */
static nuem_status draw_events(gsl_rng *r, const nuem_model *m, toy_state *ts, size_t *n) {
  double total = 0;
  for (size_t j = 0; j < m->n; j++) total += ts->mean_on[j];
  *n = total > 0 ? gsl_ran_poisson(r, total) : 0;
  if (*n > ts->cap) {
    double *g = realloc(ts->events, 2 * *n * sizeof(double));
    if (!g) return NUEM_ENOMEM;
    ts->events = g, ts->cap = 2 * *n;
  }
  for (size_t i = 0; i < *n; i++) {
    size_t j = gsl_ran_discrete(r, ts->bins);
    ts->events[i] = m->edges[j] + gsl_rng_uniform(r) * (m->edges[j + 1] - m->edges[j]);
  }
  return NUEM_OK;
}

/* The FC statistic of one toy drawn at theta with the nuisances of f. */
static nuem_status toy_statistic(gsl_rng *r, const fc_job *job, nuem_fixed *f, toy_state *ts,
                                 double theta, double *t) {
  const nuem_data *d = job->d;
  double dummy;
  if (d->mode == NUEM_DATA_EVENTS) {
    size_t n;
    if (draw_events(r, job->m, ts, &n) || nuem_fixed_events(job->m, ts->events, n, f))
      return NUEM_ENOMEM;
  } else {
    draw_from_table(r, f, d, &ts->counts, ts->mean_on, ts->on, ts->off);
  }
  /* the toys scatter about theta: the fit starts there */
  *t = nuem_fixed_t(f, d, ts->on, ts->off, theta) -
       nuem_fixed_min_from(f, d, ts->on, ts->off, job->lo, job->hi, theta, &dummy);
  return NUEM_OK;
}

/* The expectation at theta in buf (4 n doubles) and, for event lists, the
 * bin table. */
static nuem_status toy_state_init(const fc_job *job, const nuem_fixed *f, double theta,
                                  double *buf, toy_state *ts) {
  size_t n = job->m->n;
  memset(ts, 0, sizeof *ts);
  ts->mean_on = buf, ts->mean_off = buf + n, ts->on = buf + 2 * n, ts->off = buf + 3 * n;
  nuem_toy_expectation(f, job->d, theta, ts->mean_on, ts->mean_off);
  if (job->d->mode != NUEM_DATA_EVENTS) return toy_table(f, ts->mean_on, &ts->counts);
  double total = 0;
  for (size_t j = 0; j < n; j++) total += ts->mean_on[j];
  if (total > 0 && !(ts->bins = gsl_ran_discrete_preproc(n, ts->mean_on))) return NUEM_ENOMEM;
  return NUEM_OK;
}

static void toy_state_free(toy_state *ts) {
  nuem_poisson_table_free(&ts->counts);
  if (ts->bins) gsl_ran_discrete_free(ts->bins);
  free(ts->events);
}

typedef struct {
  nuem_context *ctx;
  const fc_job *job;
} fc_edge;

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
  size_t nmax = (size_t)nuem_poisson_tail(mean);
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
    if (sum >= job->cl - CL_ROUNDING) {
      critical = o[k].t;
      break;
    }
  }
  free(o);
  return critical;
}

/* One grid point: conditional nuisances, observed statistic, toy quantile
 * (t_obs may be NULL when only the critical value is wanted). `ctx` is the
 * calling thread's own. */
static nuem_status fc_point(nuem_context *ctx, const fc_job *job, double theta, size_t index,
                            double *t_obs, double *critical) {
  double nu[NUEM_NNU], tt, dummy;
  nuem_fixed f = {0};
  size_t n = job->m->n;
  double *buf = malloc((4 * n + job->toys) * sizeof(double));
  gsl_rng *rng = nuem_stream_rng(job->seed, index);
  nuem_status s = buf && rng ? NUEM_OK
                             : nuem_error(ctx, NUEM_ENOMEM, "out of memory for %zu toys", job->toys);
  /* Nuisances at their conditional fit; where the data cannot be described
   * at all (the likelihood is not finite) they stay nominal, and the point is
   * rejected by its observed statistic. */
  int profiled = !s && nuem_model_profile(ctx, job->m, job->d, theta, &tt, nu) == NUEM_OK;
  if (!profiled)
    for (int k = 0; k < NUEM_NNU; k++) nu[k] = 0;
  if (!s && nuem_fixed_init(job->m, job->d, nu, &f))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the model at theta = %g", theta);
  if (!s) {
    const nuem_data *d = job->d;
    const double *obs = d->mode == NUEM_DATA_COUNTS ? d->on : d->residual;
    /* The observed statistic is the profile-likelihood ratio against the
     * global best fit. With the nuisances held at their conditional values
     * the denominator would be refitted on them, and where those values
     * switch the signal off (zero counts, large theta: the flux
     * normalisation profiles to zero) the statistic would collapse to 0. */
    if (t_obs)
      *t_obs = profiled ? fmax(tt - job->t_min, 0.0)
                        : nuem_fixed_t(&f, d, obs, d->off, theta) -
                              nuem_fixed_min(&f, d, obs, d->off, job->lo, job->hi, &dummy);
    double *stat = buf + 4 * n;
    toy_state ts;
    if (toy_state_init(job, &f, theta, buf, &ts))
      s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for toys at theta = %g", theta);
    if (!s && n == 1 && d->mode == NUEM_DATA_COUNTS && !f.has_off) {
      *critical = exact_critical(job, &f, theta, ts.mean_on[0]);
      toy_state_free(&ts);
      goto done;
    }
    for (size_t k = 0; !s && k < job->toys; k++)
      if (toy_statistic(rng, job, &f, &ts, theta, &stat[k]))
        s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for toys at theta = %g", theta);
    toy_state_free(&ts);
    /* the smallest value with at least cl of the toys at or below it: for
     * discrete (Poisson) statistics this is Feldman-Cousins' rule of adding
     * outcomes until the probability reaches cl */
    if (!s) {
      gsl_sort(stat, 1, job->toys);
      size_t k = (size_t)ceil(job->cl * (double)job->toys);
      *critical = stat[k ? k - 1 : 0];
    }
  }
done:
  nuem_fixed_free(&f);
  free(buf);
  if (rng) gsl_rng_free(rng);
  return s;
}

/* Grid point i of a belt as a node of nuem_map: result = (t_obs, critical). */
typedef struct {
  const fc_job *job;
  const double *theta;
} fc_grid;

static nuem_status fc_node(nuem_context *worker, void *user, size_t i, double *result) {
  const fc_grid *g = user;
  return fc_point(worker, g->job, g->theta[i], i, &result[0], &result[1]);
}

static nuem_status fc_excess(void *user, double theta, size_t stream, double *d) {
  const fc_edge *e = user;
  double t, critical;
  NUEM_TRY(fc_point(e->ctx, e->job, theta, stream, &t, &critical));
  *d = t - critical - ACCEPT_TOL;
  return NUEM_OK;
}

/* Fraction of fresh toys at theta whose statistic stays within the critical
 * value: the achieved coverage there. */
static nuem_status fc_coverage(nuem_context *ctx, const fc_job *job, double theta,
                               double critical, size_t ntoys, double *coverage) {
  double nu[NUEM_NNU], tt;
  nuem_fixed f = {0};
  size_t n = job->m->n, covered = 0;
  double *buf = malloc(4 * n * sizeof(double));
  gsl_rng *rng = nuem_stream_rng(job->seed ^ COVERAGE_SEED_SALT, COVERAGE_STREAM);
  nuem_status s = buf && rng ? nuem_model_profile(ctx, job->m, job->d, theta, &tt, nu)
                             : nuem_error(ctx, NUEM_ENOMEM, "out of memory for coverage toys");
  if (!s && nuem_fixed_init(job->m, job->d, nu, &f))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for coverage toys");
  toy_state ts = {0};
  if (!s && toy_state_init(job, &f, theta, buf, &ts))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for coverage toys");
  for (size_t k = 0; !s && k < ntoys; k++) {
    double t;
    if (toy_statistic(rng, job, &f, &ts, theta, &t))
      s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for coverage toys");
    covered += !s && accepted(t, critical);
  }
  if (!s) *coverage = (double)covered / (double)ntoys;
  toy_state_free(&ts);
  nuem_fixed_free(&f);
  free(buf);
  if (rng) gsl_rng_free(rng);
  return s;
}

/* Enough toys that the critical value at cl does not rest on a handful of
 * them (one toy gave a 90 % limit with "coverage 1.0"), and no more threads
 * than OpenMP can start. */
nuem_status nuem_check_toys(nuem_context *ctx, double cl, size_t toys, int threads) {
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
  NUEM_TRY(nuem_check_toys(ctx, cl, toys, threads));
  NUEM_TRY(interval_alloc(ctx, m->lo, m->hi, grid, iv));
  double t_min;
  nuem_status s = nuem_model_fit(ctx, m, d, &iv->theta_hat, &t_min, NULL);
  if (s) {
    nuem_interval_free(iv);
    return s;
  }
  fc_job job = {m, d, cl, 0, 0, toys, seed, t_min};
  nuem_model_range(m, &job.lo, &job.hi);
  /* grid points over processes and threads (nuem_map): each point's toys
   * come from (seed, index), so the belt is the same on any number */
  fc_grid grid_job = {&job, iv->theta};
  double *out = malloc(2 * grid * sizeof(double));
  size_t failed = grid;
  s = out ? nuem_map(ctx, grid, 2, threads, fc_node, &grid_job, out, &failed, "toys")
          : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the belt");
  for (size_t i = 0; !s && i < grid; i++) iv->t[i] = out[2 * i], iv->critical[i] = out[2 * i + 1];
  free(out);
  if (s) {
    char where[96];
    snprintf(where, sizeof where, "Feldman-Cousins grid point %zu (theta = %g)", failed,
             failed < grid ? iv->theta[failed] : NAN);
    nuem_interval_free(iv);
    return failed < grid ? nuem_error_trace(ctx, s, where) : s;
  }
  iv->best_report = nuem_model_report(m, iv->theta_hat);
  fc_edge edge = {ctx, &job};
  edge_test e = {fc_excess, &edge};
  /* each bisection step costs a grid point of toys: only where the grid
   * cannot resolve the interval (data far below the expected sensitivity) */
  s = accepted_range(m->poi, iv, &e, FC_REFINE_BELOW);
  if (s) {
    nuem_interval_free(iv);
    return nuem_error_trace(ctx, s, "Feldman-Cousins interval edge");
  }
  if (coverage_toys) {
    size_t near = 0;
    for (size_t i = 1; i < grid; i++)
      if (fabs(iv->theta[i] - iv->theta_hat) < fabs(iv->theta[near] - iv->theta_hat)) near = i;
    s = fc_coverage(ctx, &job, iv->theta[near], iv->critical[near], coverage_toys,
                    &iv->coverage);
    if (s) {
      nuem_interval_free(iv);
      return nuem_error_trace(ctx, s, "coverage check");
    }
  }
  return NUEM_OK;
}

/* ---- sensitivity ----------------------------------------------------------- */

/* Newton's crossing of t(theta) - t_min = crit between the best fit a and
 * b, where t - t_min >= crit, for a model linear in theta: t is convex, so
 * Newton from b approaches the crossing monotonically from b's side. -1
 * where that fails (a slope that is not defined or points the wrong way):
 * the caller bisects. */
#define CROSSING_TOL 1e-14 /* of |b - a|: below what %.6g output can show */
enum { CROSSING_STEPS = 100 };
static int newton_crossing(const nuem_fixed *f, const nuem_data *d, const double *on,
                           const double *off, double a, double b, double tmin, double crit,
                           double *end) {
  double x = b, h = nuem_fixed_t(f, d, on, off, b) - tmin - crit, g1, g2;
  for (int it = 0; it < CROSSING_STEPS && h > 0; it++) {
    if (nuem_fixed_slope(f, d, on, off, x, &g1, &g2)) return -1;
    double next = x - h / g1;
    if (!((next - a) * (x - next) >= 0)) return -1; /* must stay between a and x */
    int converged = fabs(next - x) <= CROSSING_TOL * fabs(b - a);
    x = next;
    if (converged) break;
    h = nuem_fixed_t(f, d, on, off, x) - tmin - crit;
  }
  *end = x;
  return 0;
}

/* The upper end of the Wilks interval of one data set with the nuisances
 * fixed: t(theta) - t_min = critical above the best fit, by Newton for a
 * model linear in theta, else by bisection. For signed parameters, the
 * half-width of the interval. */
static double toy_limit(const nuem_fixed *f, const nuem_data *d, const double *on,
                        const double *off, double lo, double hi, double crit, int signed_poi) {
  double best, tmin = nuem_fixed_min(f, d, on, off, lo, hi, &best);
  double ends[2];
  int linear = nuem_fixed_linear(f);
  for (int side = 0; side < 2; side++) {
    double a = best, b = side ? lo : hi;
    if (nuem_fixed_t(f, d, on, off, b) - tmin < crit) {
      ends[side] = b;
      continue;
    }
    if (!linear || newton_crossing(f, d, on, off, a, b, tmin, crit, &ends[side])) {
      for (int it = 0; it < BISECTION_STEPS; it++) {
        double mid = 0.5 * (a + b);
        if (nuem_fixed_t(f, d, on, off, mid) - tmin < crit) a = mid;
        else b = mid;
      }
      ends[side] = 0.5 * (a + b);
    }
    if (!signed_poi) break;
  }
  return signed_poi ? 0.5 * (ends[0] - ends[1]) : ends[0];
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* What the sensitivity toys share: the background-only model, its
 * expectation and Poisson table. */
typedef struct {
  const nuem_model *m;
  const nuem_fixed *f;
  const nuem_data *asimov;
  const nuem_poisson_table *pt;
  const double *mean;
  double lo, hi, crit, cl;
  int signed_poi, profiled;
  size_t toys;
  unsigned long seed;
} sensitivity_job;

/* The Wilks limit of data d (for signed parameters the interval's
 * half-width), the nuisances profiled. */
enum { PROFILED_GRID = 40 }; /* brackets the crossing; bisection refines it */
static nuem_status profiled_limit(nuem_context *ctx, const sensitivity_job *job,
                                  const nuem_data *d, double *limit) {
  nuem_interval iv;
  NUEM_TRY(nuem_interval_wilks(ctx, job->m, d, job->cl, PROFILED_GRID, &iv));
  *limit = job->signed_poi ? 0.5 * (iv.hi - iv.lo) : iv.hi;
  nuem_interval_free(&iv);
  return NUEM_OK;
}

/* One toy's limit: nuisances nominal (the fast fixed model) or profiled. */
static nuem_status sensitivity_toy(nuem_context *worker, const sensitivity_job *job,
                                   double *on, double *off, double *limit) {
  if (!job->profiled) {
    double l = toy_limit(job->f, job->asimov, on, off, job->lo, job->hi, job->crit,
                         job->signed_poi);
    *limit = job->signed_poi ? l : nuem_model_report(job->m, l);
    return NUEM_OK;
  }
  nuem_data toy = *job->asimov;
  if (toy.mode == NUEM_DATA_COUNTS) {
    toy.on = on;
    toy.off = toy.off ? off : NULL;
  } else {
    toy.residual = on;
  }
  return profiled_limit(worker, job, &toy, limit);
}

/* Chunk c of the toys as a node of nuem_map: TOYS_PER_STREAM limits from
 * stream c (NaN past the last toy). */
static nuem_status sensitivity_node(nuem_context *worker, void *user, size_t c,
                                    double *limits) {
  const sensitivity_job *job = user;
  size_t n = job->m->n;
  gsl_rng *rng = nuem_stream_rng(job->seed, SENSITIVITY_STREAM_BASE | c);
  double *buf = malloc(2 * n * sizeof(double));
  nuem_status s = rng && buf ? NUEM_OK
                             : nuem_error(worker, NUEM_ENOMEM, "out of memory for the "
                                          "sensitivity toys; lower analysis.threads");
  for (size_t k = 0; !s && k < TOYS_PER_STREAM; k++) {
    limits[k] = NAN;
    if (c * TOYS_PER_STREAM + k >= job->toys) continue;
    draw_from_table(rng, job->f, job->asimov, job->pt, job->mean, buf, buf + n);
    s = sensitivity_toy(worker, job, buf, buf + n, &limits[k]);
  }
  free(buf);
  if (rng) gsl_rng_free(rng);
  return s;
}

/* The limit of the Asimov data: always with the nuisances profiled (with
 * none active the fast fixed evaluation is the same). */
static nuem_status asimov_limit(nuem_context *ctx, const sensitivity_job *job,
                                const nuem_data *asimov, double *limit) {
  int any = 0;
  for (int k = 0; k < NUEM_NNU; k++) any |= nuem_model_active(job->m, k);
  if (any) return profiled_limit(ctx, job, asimov, limit);
  const double *obs = asimov->mode == NUEM_DATA_COUNTS ? asimov->on : asimov->residual;
  sensitivity_job fixed = *job;
  fixed.profiled = 0;
  return sensitivity_toy(ctx, &fixed, (double *)obs, asimov->off, limit);
}

nuem_status nuem_sensitivity_compute(nuem_context *ctx, const nuem_model *m,
                                     const nuem_data *like, double cl, size_t toys,
                                     unsigned long seed, int threads, int profiled,
                                     nuem_sensitivity *out) {
  NUEM_TRY(nuem_check_toys(ctx, cl, toys, threads));
  sensitivity_job job = {.m = m, .crit = gsl_cdf_chisq_Pinv(cl, POI_DOF), .cl = cl,
                         .toys = toys, .seed = seed, .profiled = profiled};
  nuem_model_range(m, &job.lo, &job.hi);
  job.signed_poi = m->poi == NUEM_POI_Q || m->poi == NUEM_POI_R2;
  nuem_data asimov;
  NUEM_TRY(nuem_model_asimov(ctx, m, like, 0.0, &asimov));
  double nu[NUEM_NNU] = {0};
  nuem_fixed f = {0};
  size_t n = m->n, nchunks = (toys + TOYS_PER_STREAM - 1) / TOYS_PER_STREAM;
  double *limits = malloc((nchunks ? nchunks : 1) * TOYS_PER_STREAM * sizeof(double));
  double *mean = malloc(2 * n * sizeof(double));
  nuem_poisson_table pt = {0};
  nuem_status s = limits && mean && !nuem_fixed_init(m, &asimov, nu, &f) ? NUEM_OK : NUEM_ENOMEM;
  /* every toy is drawn at the same expectation: one table for all */
  if (!s) nuem_toy_expectation(&f, &asimov, 0.0, mean, mean + n);
  if (!s && toy_table(&f, mean, &pt)) s = NUEM_ENOMEM;
  if (s) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the sensitivity toys");
  job.f = &f, job.asimov = &asimov, job.pt = &pt, job.mean = mean;
  if (!s) s = asimov_limit(ctx, &job, &asimov, &out->asimov);
  if (!s) {
    /* chunks of toys over processes and threads, each from its own stream */
    s = nuem_map(ctx, nchunks, TOYS_PER_STREAM, threads, sensitivity_node, &job, limits, NULL,
                 "sensitivity toys");
  }
  if (!s) {
    qsort(limits, toys, sizeof *limits, compare_double);
    for (int i = 0; i < NBAND; i++)
      out->band[i] = toys ? gsl_stats_quantile_from_sorted_data(limits, 1, toys,
                                                                band_quantiles[i])
                          : out->asimov;
  }
  nuem_poisson_table_free(&pt);
  free(mean);
  free(limits);
  nuem_fixed_free(&f);
  nuem_data_free(&asimov);
  return s;
}

nuem_status nuem_fc_critical(const nuem_model *m, const nuem_data *d, const double *theta,
                             size_t n, double cl, size_t toys, unsigned long seed,
                             double *critical) {
  fc_job job = {m, d, cl, 0, 0, toys, seed, 0}; /* critical values only: no t_obs */
  nuem_model_range(m, &job.lo, &job.hi);
  nuem_context *ctx;
  if (nuem_context_new(&ctx)) return NUEM_ENOMEM;
  nuem_status s = NUEM_OK;
  for (size_t i = 0; !s && i < n; i++) s = fc_point(ctx, &job, theta[i], i, NULL, &critical[i]);
  nuem_context_free(ctx);
  return s;
}

void nuem_interval_accept(const nuem_model *m, nuem_interval *iv) {
  accepted_range(m->poi, iv, NULL, 0);
}

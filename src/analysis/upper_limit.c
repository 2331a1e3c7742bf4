/* Upper limits by CLs (toys or asymptotic) and by Bayes with a flat prior
 * (docs/statistics.md, "CLs and Bayesian upper limits"). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"

/* A toy's q~ counts as "at least the observed" within rounding: equal
 * Poisson outcomes give equal statistics up to the minimisers' tolerance. */
#define TIE_TOL 1e-6
/* Bisection of CLs = 1 - cl between the bracketing grid points: toys give
 * CLs to ~1 %, so 14 halvings (1e-4 of the cell) are plenty; the
 * asymptotic formulae are smooth and go to 1e-7 of the cell. */
enum { CLS_STEPS_TOYS = 14, CLS_STEPS_ASYMPTOTIC = 24 };
/* The posterior's quadrature points (trapezoid on a uniform grid of the
 * prior's variable): at least this many, error ~ (range/points)^2. */
enum { BAYES_POINTS_MIN = 501 };

void nuem_upper_limit_free(nuem_upper_limit *u) {
  free(u->theta);
  free(u->q);
  free(u->clsb);
  free(u->clb);
  free(u->cls);
  free(u->cdf);
  memset(u, 0, sizeof *u);
}

typedef struct {
  const nuem_model *m;
  const nuem_data *d;
  double lo, hi, t_min, theta_hat;
  size_t toys;
  unsigned long seed;
  double nu_b[NUEM_NNU];  /* nuisances of the background-only hypothesis (theta = lo) */
  const nuem_data *asimov; /* asymptotic: background-only Asimov data, and its */
  double t_asimov;         /* -2 ln L at theta = lo */
} cls_job;

/* q~(theta) of counts with the nuisances of f (Cowan et al. 2011, eq. 16):
 * 0 when the bounded best fit lies above theta. */
static double q_tilde(const nuem_fixed *f, const nuem_data *d, const double *on,
                      const double *off, double theta, double lo, double hi) {
  double arg, tmin = nuem_fixed_min(f, d, on, off, lo, hi, &arg);
  if (arg >= theta) return 0.0;
  return fmax(nuem_fixed_t(f, d, on, off, theta) - tmin, 0.0);
}

static int at_least(double q, double q_obs) { return q >= q_obs - TIE_TOL * (1 + q_obs); }

/* One Poisson bin without OFF data: P(q~ >= q_obs) under the s+b and b
 * means by enumerating the outcomes (no toy noise). */
static void tails_exact(const cls_job *job, const nuem_fixed *fs, double theta, double q_obs,
                        double mean_sb, double mean_b, double *clsb, double *clb) {
  double top = fmax(mean_sb, mean_b);
  size_t nmax = (size_t)nuem_poisson_tail(top);
  *clsb = *clb = 0;
  for (size_t n = 0; n <= nmax; n++) {
    double x = (double)n;
    if (!at_least(q_tilde(fs, job->d, &x, NULL, theta, job->lo, job->hi), q_obs)) continue;
    *clsb += gsl_ran_poisson_pdf((unsigned)n, mean_sb);
    *clb += gsl_ran_poisson_pdf((unsigned)n, mean_b);
  }
}

/* P(q~ >= q_obs) from toys drawn with fixed model `gen` at theta_gen; the
 * statistic always uses fs (the nuisances of the tested theta). */
static nuem_status tail_toys(const cls_job *job, const nuem_fixed *fs, const nuem_fixed *gen,
                             double theta, double theta_gen, double q_obs,
                             unsigned long stream, double *p) {
  size_t n = job->m->n, hits = 0;
  double *buf = malloc(4 * n * sizeof(double));
  gsl_rng *rng = nuem_stream_rng(job->seed, stream);
  if (!buf || !rng) {
    free(buf);
    if (rng) gsl_rng_free(rng);
    return NUEM_ENOMEM;
  }
  double *mean_on = buf, *mean_off = buf + n, *on = buf + 2 * n, *off = buf + 3 * n;
  nuem_toy_expectation(gen, job->d, theta_gen, mean_on, mean_off);
  for (size_t k = 0; k < job->toys; k++) {
    nuem_toy_draw(rng, gen, job->d, mean_on, mean_off, on, off);
    hits += (size_t)at_least(q_tilde(fs, job->d, on, off, theta, job->lo, job->hi), q_obs);
  }
  *p = (double)hits / (double)job->toys;
  free(buf);
  gsl_rng_free(rng);
  return NUEM_OK;
}

/* The asymptotic CL_s+b and CL_b of q~ (Cowan et al. 2011, eq. 65 with
 * sigma^2 = (theta - lo)^2 / q_A, q_A from background-only Asimov data). */
static void tails_asymptotic(double q, double q_a, double *clsb, double *clb) {
  if (q <= q_a) {
    *clsb = gsl_cdf_ugaussian_Q(sqrt(q));
    *clb = gsl_cdf_ugaussian_Q(sqrt(q) - sqrt(q_a));
  } else {
    *clsb = gsl_cdf_ugaussian_Q((q + q_a) / (2 * sqrt(q_a)));
    *clb = gsl_cdf_ugaussian_Q((q - q_a) / (2 * sqrt(q_a)));
  }
}

/* CLs at theta; `stream` numbers its toys (two streams: s+b, b). */
static nuem_status cls_point(nuem_context *ctx, const cls_job *job, double theta,
                             unsigned long stream, double *q, double *clsb, double *clb,
                             double *cls) {
  double t, nu[NUEM_NNU];
  NUEM_TRY(nuem_model_profile(ctx, job->m, job->d, theta, &t, nu));
  *q = job->theta_hat >= theta ? 0.0 : fmax(t - job->t_min, 0.0);
  *clsb = *clb = 1;
  if (*q > 0 && job->asimov) {
    double ta;
    NUEM_TRY(nuem_model_profile(ctx, job->m, job->asimov, theta, &ta, NULL));
    double q_a = ta - job->t_asimov;
    if (q_a > 0) tails_asymptotic(*q, q_a, clsb, clb);
  } else if (*q > 0) {
    nuem_fixed fs, fb;
    if (nuem_fixed_init(job->m, job->d, nu, &fs)) return NUEM_ENOMEM;
    nuem_status s = nuem_fixed_init(job->m, job->d, job->nu_b, &fb);
    if (!s && job->m->n == 1 && job->d->mode == NUEM_DATA_COUNTS && !fs.has_off) {
      double mean_sb, mean_b, off;
      nuem_toy_expectation(&fs, job->d, theta, &mean_sb, &off);
      nuem_toy_expectation(&fb, job->d, job->lo, &mean_b, &off);
      tails_exact(job, &fs, theta, *q, mean_sb, mean_b, clsb, clb);
    } else if (!s) {
      s = tail_toys(job, &fs, &fs, theta, theta, *q, 2 * stream, clsb);
      if (!s) s = tail_toys(job, &fs, &fb, theta, job->lo, *q, 2 * stream + 1, clb);
    }
    nuem_fixed_free(&fs);
    nuem_fixed_free(&fb);
    if (s) return nuem_error(ctx, s, "out of memory for CLs toys at theta = %g", theta);
  }
  *cls = *clb > 0 ? fmin(*clsb / *clb, 1.0) : 0.0;
  return NUEM_OK;
}

static nuem_status limit_alloc(nuem_context *ctx, size_t n, int cls, nuem_upper_limit *u) {
  memset(u, 0, sizeof *u);
  u->n = n;
  u->theta = malloc(n * sizeof(double));
  u->q = malloc(n * sizeof(double));
  int ok = u->theta && u->q;
  if (cls) {
    u->clsb = malloc(n * sizeof(double));
    u->clb = malloc(n * sizeof(double));
    u->cls = malloc(n * sizeof(double));
    ok = ok && u->clsb && u->clb && u->cls;
  } else {
    ok = ok && (u->cdf = malloc(n * sizeof(double)));
  }
  if (ok) return NUEM_OK;
  nuem_upper_limit_free(u);
  return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the upper limit");
}

/* Grid point i of the CLs scan as a node of nuem_map: result = (q~, CL_s+b,
 * CL_b, CLs); its toys come from streams 2i and 2i + 1. */
typedef struct {
  const cls_job *job;
  const double *theta;
} cls_grid;

enum { CLS_POINT_WIDTH = 4 };

static nuem_status cls_node(nuem_context *worker, void *user, size_t i, double *r) {
  const cls_grid *g = user;
  return cls_point(worker, g->job, g->theta[i], i, &r[0], &r[1], &r[2], &r[3]);
}

/* CLs at every grid point, spread over processes and threads (nuem_map),
 * so the scan is the same on any number; the lowest failing point's error
 * reaches the caller. */
static nuem_status cls_scan(nuem_context *ctx, const cls_job *job, int threads,
                            nuem_upper_limit *u) {
  cls_grid grid = {job, u->theta};
  double *out = malloc(CLS_POINT_WIDTH * u->n * sizeof(double));
  size_t failed = u->n;
  nuem_status s = out ? nuem_map(ctx, u->n, CLS_POINT_WIDTH, threads, cls_node, &grid, out,
                                 &failed, "CLs")
                      : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the CLs scan");
  for (size_t i = 0; !s && i < u->n; i++) {
    const double *r = out + CLS_POINT_WIDTH * i;
    u->q[i] = r[0], u->clsb[i] = r[1], u->clb[i] = r[2], u->cls[i] = r[3];
  }
  free(out);
  if (s && failed < u->n) {
    char where[96];
    snprintf(where, sizeof where, "CLs grid point %zu (theta = %g)", failed, u->theta[failed]);
    return nuem_error_trace(ctx, s, where);
  }
  return s;
}

/* The limit: CLs = alpha between the first grid point above the best fit
 * where CLs < alpha and its lower neighbour, by bisection with fresh toys
 * (streams above the grid's), then linear interpolation in the last cell. */
static nuem_status cls_limit(nuem_context *ctx, const cls_job *job, double alpha,
                             nuem_upper_limit *u) {
  size_t i = 1;
  while (i < u->n && !(u->theta[i] > job->theta_hat && u->cls[i] < alpha)) i++;
  if (i == u->n) {
    u->theta_limit = u->theta[u->n - 1];
    u->at_boundary = 1;
    return NUEM_OK;
  }
  double a = u->theta[i - 1], ca = u->cls[i - 1], b = u->theta[i], cb = u->cls[i];
  int steps = job->asimov ? CLS_STEPS_ASYMPTOTIC : CLS_STEPS_TOYS;
  for (int it = 0; it < steps; it++) {
    double mid = 0.5 * (a + b), q, clsb, clb, c;
    NUEM_TRY(cls_point(ctx, job, mid, u->n + (unsigned long)it, &q, &clsb, &clb, &c));
    if (c < alpha) b = mid, cb = c;
    else a = mid, ca = c;
  }
  u->theta_limit = ca > cb ? a + (b - a) * (ca - alpha) / (ca - cb) : 0.5 * (a + b);
  return NUEM_OK;
}

/* CLs needs a background-only hypothesis at the lower end of the range. */
static nuem_status check_bounded(nuem_context *ctx, const nuem_model *m) {
  double lo, hi;
  nuem_model_range(m, &lo, &hi);
  if (lo < 0)
    return nuem_error(ctx, NUEM_ECONFIG, "CLs upper limits need a parameter bounded below by "
                      "its background-only value (analysis.poi = mu or cevns); for the signed "
                      "%s use analysis.method = bayes (a limit on |%s|), wilks or "
                      "feldman-cousins", m->poi == NUEM_POI_Q ? "q" : "r2",
                      m->poi == NUEM_POI_Q ? "q" : "r2");
  return NUEM_OK;
}

nuem_status nuem_limit_cls(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                           double cl, size_t grid, size_t toys, unsigned long seed,
                           int threads, nuem_upper_limit *u) {
  memset(u, 0, sizeof *u);
  NUEM_TRY(check_bounded(ctx, m));
  if (grid < 2) return nuem_error(ctx, NUEM_ERANGE, "analysis.grid must be at least 2");
  if (toys) NUEM_TRY(nuem_check_toys(ctx, cl, toys, threads));
  if (toys && d->mode == NUEM_DATA_EVENTS)
    return nuem_error(ctx, NUEM_ECONFIG, "%s is an event list: CLs toys are implemented for "
                      "binned data; use analysis.method = cls-asymptotic", d->origin);
  cls_job job = {.m = m, .d = d, .toys = toys, .seed = seed};
  nuem_model_range(m, &job.lo, &job.hi);
  NUEM_TRY(nuem_model_fit(ctx, m, d, &job.theta_hat, &job.t_min, NULL));
  double t0;
  NUEM_TRY(nuem_model_profile(ctx, m, d, job.lo, &t0, job.nu_b));
  nuem_data asimov = {0};
  if (!toys) {
    NUEM_TRY(nuem_model_asimov(ctx, m, d, job.lo, &asimov));
    job.asimov = &asimov;
  }
  nuem_status s = !toys ? nuem_model_profile(ctx, m, &asimov, job.lo, &job.t_asimov, NULL)
                        : NUEM_OK;
  if (!s) s = limit_alloc(ctx, grid, 1, u);
  for (size_t i = 0; !s && i < grid; i++)
    u->theta[i] = job.lo + (job.hi - job.lo) * (double)i / (double)(grid - 1);
  if (!s) s = cls_scan(ctx, &job, threads, u);
  if (!s) s = cls_limit(ctx, &job, 1 - cl, u);
  if (!toys) nuem_data_free(&asimov);
  if (s) {
    nuem_upper_limit_free(u);
    return nuem_error_trace(ctx, s, "CLs upper limit");
  }
  u->theta_hat = job.theta_hat;
  u->best_report = nuem_model_report(m, job.theta_hat);
  u->limit = nuem_model_report(m, u->theta_limit);
  return NUEM_OK;
}

/* ---- Bayes ------------------------------------------------------------------ */

/* Where the folded cumulative posterior g (of |x|, at the points x >= 0
 * starting at index `first`) reaches cl; NAN if it never does. */
static double crossing(const double *x, const double *g, size_t first, size_t n, double cl) {
  for (size_t i = first + 1; i < n; i++)
    if (g[i] >= cl) return x[i - 1] + (x[i] - x[i - 1]) * (cl - g[i - 1]) / (g[i] - g[i - 1]);
  return NAN;
}

nuem_status nuem_limit_bayes(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                             double cl, size_t grid, int prior, nuem_upper_limit *u) {
  memset(u, 0, sizeof *u);
  double lo, hi, t_min, theta_hat;
  nuem_model_range(m, &lo, &hi);
  int root = prior == NUEM_PRIOR_FLAT_ROOT, symmetric = lo < 0;
  if (root && m->poi != NUEM_POI_MU)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.prior = flat-mu is a prior flat in |mu|: it "
                      "needs analysis.poi = mu (use analysis.prior = flat)");
  NUEM_TRY(nuem_model_fit(ctx, m, d, &theta_hat, &t_min, NULL));
  size_t n = grid > BAYES_POINTS_MIN ? grid : BAYES_POINTS_MIN;
  if (symmetric && n % 2 == 0) n++; /* a point at 0 and mirrored pairs */
  NUEM_TRY(limit_alloc(ctx, n, 0, u));
  double *x = malloc(2 * n * sizeof(double)), *cum = x ? x + n : NULL;
  nuem_status s = x ? NUEM_OK : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the posterior");
  double x_lo = root ? 0 : lo, x_hi = root ? sqrt(hi) : hi;
  for (size_t i = 0; !s && i < n; i++) {
    x[i] = x_lo + (x_hi - x_lo) * (double)i / (double)(n - 1);
    u->theta[i] = root ? x[i] * x[i] : x[i];
    double t;
    s = nuem_model_profile(ctx, m, d, u->theta[i], &t, NULL);
    u->q[i] = t - t_min;
    /* trapezoid: the prior is flat in x, so the weight is the likelihood */
    double w = exp(-0.5 * u->q[i]);
    cum[i] = i ? cum[i - 1] + 0.5 * (x[i] - x[i - 1]) * (w + exp(-0.5 * u->q[i - 1])) : 0.0;
    nuem_progress(ctx, (double)(i + 1) / (double)n, "posterior");
  }
  if (!s && !(cum[n - 1] > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "the posterior vanishes on the whole range: the model "
                   "cannot describe the data");
  if (!s) {
    size_t zero = symmetric ? n / 2 : 0;
    for (size_t i = 0; i < n; i++) { /* P(|x'| <= |x|) */
      size_t k = i < zero ? n - 1 - i : i, mirror = n - 1 - k;
      u->cdf[i] = (cum[k] - (symmetric ? cum[mirror] : 0.0)) / cum[n - 1];
    }
    double x_limit = crossing(x, u->cdf, zero, n, cl);
    u->at_boundary = isnan(x_limit);
    if (u->at_boundary) x_limit = x_hi;
    u->theta_limit = root ? x_limit * x_limit : x_limit;
    u->theta_hat = theta_hat;
    u->best_report = nuem_model_report(m, theta_hat);
    u->limit = nuem_model_report(m, u->theta_limit);
  }
  free(x);
  if (s) nuem_upper_limit_free(u);
  return s;
}

/* ---- configuration ------------------------------------------------------------ */

nuem_status nuem_method_from_config(nuem_context *ctx, const nuem_config *cfg, int *method,
                                    int *prior) {
  static const nuem_choice methods[] = {{"wilks", NUEM_METHOD_WILKS},
      {"feldman-cousins", NUEM_METHOD_FC}, {"cls", NUEM_METHOD_CLS},
      {"cls-asymptotic", NUEM_METHOD_CLS_ASYMPTOTIC}, {"bayes", NUEM_METHOD_BAYES}};
  static const nuem_choice priors[] = {{"auto", NUEM_PRIOR_FLAT}, {"flat", NUEM_PRIOR_FLAT},
      {"flat-mu", NUEM_PRIOR_FLAT_ROOT}};
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_METHOD, methods, method));
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_PRIOR, priors, prior));
  if (*method != NUEM_METHOD_BAYES && !nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_PRIOR, "auto")) {
    char prior_name[64]; /* nuem_config_choice_name reuses one buffer: copy before the next */
    snprintf(prior_name, sizeof prior_name, "%s", nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_PRIOR));
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.prior = %s: only analysis.method = bayes "
                      "takes a prior (analysis.method = %s takes none)", prior_name,
                      nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_METHOD));
  }
  if (*prior == NUEM_PRIOR_FLAT_ROOT && !nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_POI, "mu"))
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.prior = flat-mu is flat in |mu|: it needs "
                      "analysis.poi = mu, not %s (use analysis.prior = flat)",
                      nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI));
  return NUEM_OK;
}

nuem_status nuem_upper_limit_compute(nuem_context *ctx, const nuem_config *cfg,
                                     const nuem_model *m, const nuem_data *d,
                                     nuem_upper_limit *out) {
  int method, prior;
  NUEM_TRY(nuem_method_from_config(ctx, cfg, &method, &prior));
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  size_t grid = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID);
  if (method == NUEM_METHOD_BAYES) return nuem_limit_bayes(ctx, m, d, cl, grid, prior, out);
  if (method != NUEM_METHOD_CLS && method != NUEM_METHOD_CLS_ASYMPTOTIC)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.method = %s is an interval, not an upper "
                      "limit method", nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_METHOD));
  size_t toys = method == NUEM_METHOD_CLS ? (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS) : 0;
  return nuem_limit_cls(ctx, m, d, cl, grid, toys,
                        (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED),
                        (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS), out);
}

nuem_status nuem_upper_limit_interval(nuem_context *ctx, const nuem_config *cfg,
                                      const nuem_model *m, const nuem_data *d,
                                      nuem_interval *iv) {
  nuem_upper_limit u;
  memset(iv, 0, sizeof *iv);
  NUEM_TRY(nuem_upper_limit_compute(ctx, cfg, m, d, &u));
  double lo, hi;
  nuem_model_range(m, &lo, &hi);
  iv->lo = lo < 0 ? -u.limit : nuem_model_report(m, lo); /* signed: |theta| < limit */
  iv->hi = u.limit;
  iv->lo_at_boundary = lo >= 0;
  iv->hi_at_boundary = u.at_boundary;
  iv->theta_hat = u.theta_hat;
  iv->best_report = u.best_report;
  iv->coverage = -1;
  nuem_upper_limit_free(&u);
  return NUEM_OK;
}

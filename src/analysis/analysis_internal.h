/* Shared internals of the analysis stage (not installed). */
#ifndef NUEM_ANALYSIS_INTERNAL_H
#define NUEM_ANALYSIS_INTERNAL_H

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "nuem/analysis.h"

enum { NSETTING = 7 }; /* nominal, quenching k -/+, energy scale -/+, flux shape -/+ */

struct nuem_model {
  nuem_model_options opt;
  const nuem_spectrum *sp;        /* the chain the templates come from */
  nuem_spectrum *varied[NSETTING]; /* its variations per setting (NULL: sp) */
  int poi, mode;
  size_t n;
  double *edges, *width;          /* width in keV */
  double *A[NSETTING], *B[NSETTING], *C[NSETTING]; /* events/kg/day per bin */
  double *bkg;                    /* config background, events/kg/day per bin */
  double sigma[NUEM_NNU];         /* constraint widths (relative / absolute) */
  int active[NUEM_NNU];           /* fitted? */
  int background_free;
  double lo, hi;                  /* POI range (theta) */
  double exposure_on, exposure_off;
  double *data_sigma;             /* residual mode: the data's errors */
  nuem_interp *shape;             /* the flux-shape mode (NUEM_NU_SHAPE), or NULL */
  double shape_share;             /* its share of the band's shape variance */
};

/* The model with the nuisances fixed: per-bin signal coefficients in counts
 * (s = a + b theta + c theta^2) or rates (residual mode), the background in
 * ON counts (no OFF data), and what the likelihood needs. */
typedef struct {
  size_t n;
  int mode, has_off;
  double ratio;             /* exposure_on / exposure_off */
  double *a, *b, *c, *bkg;  /* n each */
  double penalty;           /* constraint term of the fixed nuisances */
  size_t nev;               /* event list: per-event densities (counts/keV) */
  double *ea, *eb, *ec, *ebkg; /* of a, b, c and bkg at each event */
} nuem_fixed;

nuem_status nuem_fixed_init(const nuem_model *m, const nuem_data *d, const double *nu,
                            nuem_fixed *f);
void nuem_fixed_free(nuem_fixed *f);
/* Per-event densities of the fixed model for events (MeV): the data's, or a
 * toy's (replacing those held). */
nuem_status nuem_fixed_events(const nuem_model *m, const double *events, size_t n,
                              nuem_fixed *f);
/* -2 ln L at theta for counts on/off (or residuals) with the nuisances fixed
 * (per-bin OFF backgrounds profiled in closed form). */
double nuem_fixed_t(const nuem_fixed *f, const nuem_data *d, const double *on,
                    const double *off, double theta);
/* d/dtheta (g1) and d2/dtheta2 (g2) of nuem_fixed_t, the per-bin OFF
 * backgrounds profiled (envelope theorem); 0 where the likelihood is smooth
 * there, -1 where a Poisson mean is not positive. */
int nuem_fixed_slope(const nuem_fixed *f, const nuem_data *d, const double *on,
                     const double *off, double theta, double *g1, double *g2);
/* Whether every c is 0: s linear in theta, -2 ln L convex in theta. */
int nuem_fixed_linear(const nuem_fixed *f);
/* min over theta in [lo, hi] of nuem_fixed_t. A model linear in theta (every c = 0)
 * has a convex -2 ln L: safeguarded Newton on its slope from `start` (a
 * warm start, e.g. the theta the toys were drawn at); otherwise, and where
 * the slope is not defined, nuem_fixed_min_scan. docs/statistics.md,
 * "Speed of the toys". */
double nuem_fixed_min_from(const nuem_fixed *f, const nuem_data *d, const double *on,
                           const double *off, double lo, double hi, double start,
                           double *theta_min);
double nuem_fixed_min(const nuem_fixed *f, const nuem_data *d, const double *on,
                      const double *off, double lo, double hi, double *theta_min);
/* The general minimiser: a 13-point scan, then Brent (golden section at
 * an end of the range); any model. */
double nuem_fixed_min_scan(const nuem_fixed *f, const nuem_data *d, const double *on,
                           const double *off, double lo, double hi, double *theta_min);

/* -2 ln L of model m for data d at theta with the nuisances at nu (their
 * constraints included); a huge value outside the physical region. The
 * joint likelihood (src/analysis/joint.c) sums these. */
double nuem_model_t(const nuem_model *m, const nuem_data *d, double theta, const double *nu);
/* Whether nuisance k is fitted in m. */
int nuem_model_active(const nuem_model *m, int k);
/* Nelder-Mead (nmsimplex2) of fn over dim parameters from 0 with the
 * profile's step, tolerance and restarts; a fit that does not converge or
 * ends at an impossible value is an error (theta names the point). */
nuem_status nuem_simplex_min(nuem_context *ctx, double (*fn)(const gsl_vector *, void *),
                             void *params, size_t dim, double theta, double *x, double *t);
/* Data whose Poisson -2 ln L double precision cannot resolve: an error. */
nuem_status nuem_check_precision(nuem_context *ctx, const nuem_data *d);

/* A profile likelihood as a function of theta alone (one model's, or a
 * joint one's): the best fit and the Wilks interval work on any. */
typedef nuem_status (*nuem_profile_fn)(nuem_context *ctx, void *user, double theta, double *t);
/* The profile of one model on its data as a nuem_profile_fn (user: a
 * nuem_model_data). */
typedef struct {
  const nuem_model *m;
  const nuem_data *d;
} nuem_model_data;
nuem_status nuem_model_profile_fn(nuem_context *ctx, void *user, double theta, double *t);
/* The minimum over [lo, hi]: 40 cells, then golden section. */
nuem_status nuem_profile_min(nuem_context *ctx, nuem_profile_fn profile, void *user,
                             double lo, double hi, double *theta_hat, double *t_min);
/* The Wilks interval of a profile likelihood of parameter poi on [lo, hi]. */
nuem_status nuem_interval_wilks_profile(nuem_context *ctx, nuem_profile_fn profile, void *user,
                                        int poi, double lo, double hi, double cl, size_t grid,
                                        nuem_interval *iv);

/* Poisson draws by table inversion for n bins of fixed means (toys of one
 * grid point): build once, draw many times without allocation; the table
 * keeps `mean` by pointer. src/analysis/poisson.c. */
typedef struct {
  size_t n;
  const double *mean;
  size_t *lo, *offset, *len; /* per bin: first count, position and length of its table */
  double *cdf;               /* P(K <= lo + k), per bin */
  unsigned *guide;           /* per bin: first k with cdf >= i/len */
} nuem_poisson_table;
nuem_status nuem_poisson_table_init(nuem_poisson_table *t, const double *mean, size_t n);
/* The last count worth tabulating or enumerating for a Poisson mean:
 * mean + 12 sqrt(mean) + 30, beyond which the probability left is far below
 * 1e-20, negligible against 1 - cl (the toy tables, exact Feldman-Cousins
 * and CLs of one bin). */
static inline double nuem_poisson_tail(double mean) { return mean + 12 * sqrt(mean) + 30; }
void nuem_poisson_table_free(nuem_poisson_table *t);
/* A Poisson variate of bin j's mean. */
double nuem_poisson_draw(const nuem_poisson_table *t, gsl_rng *r, size_t j);

/* Feldman-Cousins critical values at the given grid (no nuisances needed
 * from the data if none are active), and the accepted range of a filled
 * interval: for tests and tools that reuse one belt for many data sets. */
nuem_status nuem_fc_critical(const nuem_model *m, const nuem_data *d, const double *theta,
                             size_t n, double cl, size_t toys, unsigned long seed,
                             double *critical);
void nuem_interval_accept(const nuem_model *m, nuem_interval *iv);

/* Enough toys for cl (nuem_toys_min) and a thread count OpenMP can start:
 * the same errors for every toy-based method. */
nuem_status nuem_check_toys(nuem_context *ctx, double cl, size_t toys, int threads);
/* The minimum over [lo, hi] of a convex function of theta given its slope
 * and curvature (slope returns nonzero if it cannot evaluate them): at lo if
 * the slope there is >= 0, else where the slope changes sign, by Newton
 * from `start` inside the bracket the slope's sign keeps, bisecting where
 * Newton would leave it. Nonzero if the slope failed. */
typedef int (*nuem_slope_fn)(const void *user, double theta, double *g1, double *g2);
int nuem_convex_min(nuem_slope_fn slope, const void *user, double lo, double hi, double start,
                    double *x_min);


/* A CLs or Bayesian upper limit as an interval [lower end of the range
 * (signed parameters: -limit), limit], no grid: for limits along a scan. */
nuem_status nuem_upper_limit_interval(nuem_context *ctx, const nuem_config *cfg,
                                      const nuem_model *m, const nuem_data *d,
                                      nuem_interval *iv);

/* ---- the plane of two parameters of interest ------------------------------
 * s_j = a_j + b1_j t1 + c1_j t1^2 + b2_j t2 + c2_j t2^2 + d_j t1 t2 with the
 * nuisances fixed: at fixed t2 this is a nuem_fixed in t1 again (a `row`),
 * so the 1-D likelihood code serves the plane. */
typedef struct {
  nuem_fixed base;          /* the first parameter's model (a, b1, c1, background) */
  nuem_fixed second;        /* the second's (b2, c2; its a is the same SM rate) */
  double *cross;            /* d_j in the units of base (NULL: no interference) */
  double lo1, hi1, lo2, hi2; /* the physical plane */
} nuem_plane;

nuem_status nuem_plane_init(const nuem_model *m1, const nuem_model *m2, const double *cross,
                            const nuem_data *d, const double *nu, nuem_plane *p);
void nuem_plane_free(nuem_plane *p);
/* Scratch for nuem_plane_row: a copy of p's base model (free with
 * nuem_fixed_free). */
nuem_status nuem_plane_row_new(const nuem_plane *p, nuem_fixed *row);
/* Fill `row` (from nuem_plane_row_new) with the model in t1 at fixed t2. */
void nuem_plane_row(const nuem_plane *p, double t2, nuem_fixed *row);
/* -2 ln L at (t1, t2); `row` is scratch. */
double nuem_plane_t(const nuem_plane *p, nuem_fixed *row, const nuem_data *d, const double *on,
                    const double *off, double t1, double t2);
/* The simplex minimiser of nuem_plane_min, allocated once and reused by
 * every toy of a node (NULL on out of memory). */
typedef struct nuem_plane_simplex nuem_plane_simplex;
nuem_plane_simplex *nuem_plane_simplex_new(void);
void nuem_plane_simplex_free(nuem_plane_simplex *sx);
/* The minimum of -2 ln L over the physical plane (a lattice, then a simplex
 * from its best point), and where it lies; `sx` is scratch (NULL: one of
 * its own for this call). */
double nuem_plane_min(const nuem_plane *p, nuem_fixed *row, const nuem_data *d,
                      const double *on, const double *off, nuem_plane_simplex *sx, double *t1,
                      double *t2);

/* ---- 2-D Feldman-Cousins: the work of one grid node ------------------------
 * A function of (node, seed) only, whatever thread or process runs it, so
 * nodes can be spread over threads or ranks with bit-identical results. */
typedef struct {
  const nuem_plane *plane;
  const nuem_data *d;
  const double *theta1, *theta2; /* node k = i2 * n1 + i1 */
  size_t n1, n2;
  double cl;
  size_t toys;
  unsigned long seed;
} nuem_fc2d_job;

/* The critical value of node k from job->toys toys drawn there. */
nuem_status nuem_fc2d_node(const nuem_fc2d_job *job, size_t node, double *critical);
/* The statistic t(node) - min over the plane of `ntoys` fresh toys drawn at
 * node k (stream salted apart from the belt's) compared with `critical`:
 * the fraction accepted, the achieved coverage. */
nuem_status nuem_fc2d_coverage(const nuem_fc2d_job *job, size_t node, double critical,
                               size_t ntoys, double *coverage);

/* ---- toys shared by the interval methods (Feldman-Cousins 1-D and 2-D,
 * CLs): one generator per (seed, stream), the expectation of a fixed model
 * and one draw from it. static inline so each user keeps its inner loop. */

/* A profiled OFF background is kept above this (counts) so that the
 * Poisson mean stays positive. */
#define NUEM_TOY_BKG_FLOOR 1e-12

/* A reproducible generator for (seed, stream): independent of threads. */
static inline gsl_rng *nuem_stream_rng(unsigned long seed, unsigned long stream) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL + stream + 1;
  /* splitmix64 finaliser (Steele, Lea & Flood, OOPSLA 2014): decorrelates
   * nearby (seed, stream) pairs */
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  if (r) gsl_rng_set(r, (unsigned long)(z & 0xFFFFFFFFUL) ^ (unsigned long)(z >> 32));
  return r;
}

/* Expected ON (and OFF) counts or residual means of the fixed model at theta,
 * with per-bin OFF backgrounds at their profiled values for the data. */
static inline void nuem_toy_expectation(const nuem_fixed *f, const nuem_data *d, double theta,
                                        double *on, double *off) {
  for (size_t j = 0; j < f->n; j++) {
    double s = f->a[j] + theta * (f->b[j] + theta * f->c[j]);
    if (f->mode == NUEM_DATA_RESIDUAL) {
      on[j] = s;
    } else if (f->has_off) {
      double r = f->ratio, n_on = d->on[j], n_off = d->off[j];
      double B = r * (n_on + n_off) - (r + 1) * s;
      double disc = B * B + 4 * r * (r + 1) * n_off * s;
      double b = disc > 0 ? (B + sqrt(disc)) / (2 * r * (r + 1)) : n_off;
      if (!(b > 0)) b = fmax(n_off, NUEM_TOY_BKG_FLOOR);
      on[j] = fmax(s + r * b, 0.0);
      off[j] = b;
    } else {
      on[j] = fmax(s + f->bkg[j], 0.0);
    }
  }
}

/* One toy: Poisson ON (and OFF) counts, or Gaussian residuals. */
static inline void nuem_toy_draw(gsl_rng *r, const nuem_fixed *f, const nuem_data *d,
                                 const double *mean_on, const double *mean_off, double *on,
                                 double *off) {
  for (size_t j = 0; j < f->n; j++) {
    if (f->mode == NUEM_DATA_RESIDUAL) {
      on[j] = mean_on[j] + gsl_ran_gaussian_ziggurat(r, d->sigma[j]);
    } else {
      on[j] = gsl_ran_poisson(r, mean_on[j]);
      if (f->has_off) off[j] = gsl_ran_poisson(r, mean_off[j]);
    }
  }
}

#endif

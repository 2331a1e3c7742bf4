/* Shared internals of the analysis stage (not installed). */
#ifndef NUEM_ANALYSIS_INTERNAL_H
#define NUEM_ANALYSIS_INTERNAL_H

#include <gsl/gsl_rng.h>

#include "nuem/analysis.h"

enum { NSETTING = 5 }; /* nominal, quenching k -/+, energy scale -/+ */

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

#endif

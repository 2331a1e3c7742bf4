/* The analysis model: templates through the chain, nuisances, likelihood. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"
#include "nuem/constants.h"

/* Reference property values for the templates: the excesses are exactly
 * quadratic, so these only set the numerical scale. */
#define MU_REF 1e-11 /* mu_B */
#define Q_REF 1e-12  /* e */
#define R2_REF 1e-32 /* cm2 */

const char *nuem_nuisance_name(int k) {
  static const char *const names[NUEM_NNU] = {"flux", "efficiency", "background",
                                              "quenching_k", "energy_scale"};
  return k >= 0 && k < NUEM_NNU ? names[k] : "?";
}

int nuem_model_poi(const nuem_model *m) { return m->poi; }

void nuem_model_range(const nuem_model *m, double *lo, double *hi) {
  *lo = m->lo;
  *hi = m->hi;
}

double nuem_model_report(const nuem_model *m, double theta) {
  return m->poi == NUEM_POI_MU ? sqrt(fmax(theta, 0.0)) : theta;
}

const char *nuem_model_unit(const nuem_model *m) {
  static const char *const units[] = {"muB", "e", "cm2", "1"};
  return units[m->poi];
}

void nuem_model_free(nuem_model *m) {
  if (!m) return;
  for (int k = 0; k < NSETTING; k++) {
    free(m->A[k]);
    free(m->B[k]);
    free(m->C[k]);
  }
  free(m->bkg);
  free(m->data_sigma);
  free(m->edges);
  free(m->width);
  free(m);
}

/* The measured spectrum of a copy of cfg with some keys changed. */
static nuem_status measure(nuem_context *ctx, const nuem_config *cfg, const char *const *sets,
                           nuem_result *out) {
  nuem_config *c;
  NUEM_TRY(nuem_config_copy(ctx, cfg, &c));
  nuem_status s = NUEM_OK;
  for (; *sets && !s; sets++) s = nuem_config_set_assignment(ctx, c, *sets);
  if (!s) s = nuem_measured_compute(ctx, c, out);
  nuem_config_free(c);
  return s;
}

static double column_events(const nuem_result *r, size_t j, int col, double width) {
  return r->data[j * r->ncols + col] * width;
}

/* Templates A, B, C (events/kg/day) of one nuisance setting. */
static nuem_status templates(nuem_context *ctx, const nuem_config *cfg, const char *setting,
                             nuem_model *m, int k) {
  static const char *const props[][3] = {
      {"physics.mu_nu=1e-11muB", "physics.q_nu=0e", "physics.r2_nu=0cm2"},
      {"physics.mu_nu=0muB", "physics.q_nu=1e-12e", "physics.r2_nu=0cm2"},
      {"physics.mu_nu=0muB", "physics.q_nu=0e", "physics.r2_nu=1e-32cm2"},
      {"physics.mu_nu=0muB", "physics.q_nu=0e", "physics.r2_nu=0cm2"}};
  const char *plus[] = {props[m->poi][0], props[m->poi][1], props[m->poi][2], setting, NULL};
  nuem_result rp, rm = {0};
  NUEM_TRY(measure(ctx, cfg, plus, &rp));
  nuem_status s = NUEM_OK;
  if (m->poi == NUEM_POI_Q || m->poi == NUEM_POI_R2) {
    const char *minus[] = {"physics.mu_nu=0muB",
                           m->poi == NUEM_POI_Q ? "physics.q_nu=-1e-12e" : "physics.q_nu=0e",
                           m->poi == NUEM_POI_R2 ? "physics.r2_nu=-1e-32cm2" : "physics.r2_nu=0cm2",
                           setting, NULL};
    s = measure(ctx, cfg, minus, &rm);
  }
  m->A[k] = calloc(m->n, sizeof(double));
  m->B[k] = calloc(m->n, sizeof(double));
  m->C[k] = calloc(m->n, sizeof(double));
  if (!s && (!m->A[k] || !m->B[k] || !m->C[k])) s = NUEM_ENOMEM;
  for (size_t j = 0; !s && j < m->n; j++) {
    double w = m->width[j];
    double elec = column_events(&rp, j, NUEM_MCOL_ELEC_SM, w);
    double nucl = column_events(&rp, j, NUEM_MCOL_ELEC_SM + 4, w);
    m->A[k][j] = elec + nucl;
    switch (m->poi) {
    case NUEM_POI_MU: /* theta = mu^2 in mu_B^2 */
      m->B[k][j] = (column_events(&rp, j, NUEM_MCOL_ELEC_SM + 1, w) +
                    column_events(&rp, j, NUEM_MCOL_ELEC_SM + 5, w)) / (MU_REF * MU_REF);
      break;
    case NUEM_POI_Q:
    case NUEM_POI_R2: {
      int col = m->poi == NUEM_POI_Q ? 2 : 3;
      double ref = m->poi == NUEM_POI_Q ? Q_REF : R2_REF;
      double ep = column_events(&rp, j, NUEM_MCOL_ELEC_SM + col, w) +
                  column_events(&rp, j, NUEM_MCOL_ELEC_SM + col + 4, w);
      double em = column_events(&rm, j, NUEM_MCOL_ELEC_SM + col, w) +
                  column_events(&rm, j, NUEM_MCOL_ELEC_SM + col + 4, w);
      m->B[k][j] = (ep - em) / (2 * ref);
      m->C[k][j] = (ep + em) / (2 * ref * ref);
      break;
    }
    default: /* CEvNS normalisation */
      m->A[k][j] = elec;
      m->B[k][j] = nucl;
    }
  }
  if (!s && k == 0) {
    m->bkg = malloc(m->n * sizeof(double));
    if (!m->bkg) s = NUEM_ENOMEM;
    for (size_t j = 0; !s && j < m->n; j++)
      m->bkg[j] = column_events(&rp, j, NUEM_MCOL_BACKGROUND, m->width[j]);
  }
  nuem_result_free(&rp);
  nuem_result_free(&rm);
  return s;
}

/* The data's bins as detector.bin_edges, checked against the config's. */
static nuem_status bins_from_data(nuem_context *ctx, nuem_config *cfg, const nuem_data *d) {
  nuem_detector *det;
  NUEM_TRY(nuem_detector_init(ctx, cfg, &det));
  const double *edges;
  size_t n = nuem_detector_bins(det, &edges);
  nuem_status s = NUEM_OK;
  if (n) {
    int same = n == d->nbins;
    for (size_t j = 0; same && j <= n; j++)
      same = fabs(edges[j] - d->edges[j]) <= 1e-9 * fabs(edges[j]) + 1e-12;
    if (!same)
      s = nuem_error(ctx, NUEM_ECONFIG, "%s: its %zu bins (%g to %g keV) do not match the "
                     "config's %zu bins (%g to %g keV); remove detector.bins from the config "
                     "or make them agree", d->origin, d->nbins, d->edges[0] * 1e3,
                     d->edges[d->nbins] * 1e3, n, edges[0] * 1e3, edges[n] * 1e3);
  }
  nuem_detector_free(det);
  if (s || n) return s;
  size_t cap = 32 * (d->nbins + 1) + 16;
  char *text = malloc(cap), *p = text;
  if (!text) return NUEM_ENOMEM;
  for (size_t j = 0; j <= d->nbins; j++) p += snprintf(p, 32, "%.15g ", d->edges[j] * 1e3);
  strcpy(p, "keV");
  s = nuem_config_set(ctx, cfg, "detector", "bin_edges", text, d->origin);
  free(text);
  return s;
}

static nuem_status constraints(nuem_context *ctx, const nuem_config *cfg, const nuem_data *d,
                               nuem_model *m) {
  m->sigma[NUEM_NU_FLUX] = nuem_config_number(cfg, NUEM_P_ANALYSIS_FLUX_UNCERTAINTY);
  m->sigma[NUEM_NU_EFFICIENCY] = nuem_config_number(cfg, NUEM_P_ANALYSIS_EFFICIENCY_UNCERTAINTY);
  m->sigma[NUEM_NU_QUENCHING] = nuem_config_number(cfg, NUEM_P_ANALYSIS_QUENCHING_K_UNCERTAINTY);
  m->sigma[NUEM_NU_SCALE] = nuem_config_number(cfg, NUEM_P_ANALYSIS_ENERGY_SCALE_UNCERTAINTY);
  int has_off = d && d->mode == NUEM_DATA_COUNTS && d->off;
  int counts = !d || d->mode == NUEM_DATA_COUNTS;
  if (counts && !has_off) {
    if (nuem_config_is_set(cfg, NUEM_P_ANALYSIS_BACKGROUND_UNCERTAINTY))
      m->sigma[NUEM_NU_BACKGROUND] = nuem_config_number(cfg, NUEM_P_ANALYSIS_BACKGROUND_UNCERTAINTY);
    else
      m->background_free = 1;
  }
  for (int k = 0; k < NUEM_NNU; k++) m->active[k] = m->sigma[k] > 0;
  m->active[NUEM_NU_BACKGROUND] |= m->background_free;
  if (m->active[NUEM_NU_QUENCHING] &&
      nuem_config_choice(cfg, NUEM_P_DETECTOR_QUENCHING) != 0)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.quenching_k_uncertainty needs "
                      "detector.quenching = lindhard");
  return NUEM_OK;
}

static nuem_status nuem_model_set_range(nuem_context *ctx, const nuem_config *cfg,
                                        nuem_model *m);

nuem_status nuem_model_new(nuem_context *ctx, const nuem_config *cfg, const nuem_data *d,
                           nuem_model **out) {
  nuem_model *m = calloc(1, sizeof *m);
  nuem_config *c = NULL;
  if (!m) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  m->poi = nuem_config_choice(cfg, NUEM_P_ANALYSIS_POI);
  m->mode = d ? d->mode : NUEM_DATA_COUNTS;
  nuem_status s = nuem_config_copy(ctx, cfg, &c);
  if (!s && d) s = bins_from_data(ctx, c, d);
  if (!s) s = constraints(ctx, c, d, m);
  if (!s) {
    nuem_detector *det;
    s = nuem_detector_init(ctx, c, &det);
    const double *edges;
    if (!s) {
      m->n = nuem_detector_bins(det, &edges);
      if (!m->n)
        s = nuem_error(ctx, NUEM_ECONFIG, "the analysis needs bins: give data or "
                       "detector.bins");
      m->edges = malloc((m->n + 1) * sizeof(double));
      m->width = malloc((m->n + 1) * sizeof(double));
      if (!s && (!m->edges || !m->width)) s = NUEM_ENOMEM;
      for (size_t j = 0; !s && j <= m->n; j++) m->edges[j] = edges[j];
      for (size_t j = 0; !s && j < m->n; j++) m->width[j] = (edges[j + 1] - edges[j]) * 1e3;
      m->exposure_on = nuem_detector_exposure(det) / NUEM_SECONDS_PER_DAY;
      m->exposure_off = nuem_detector_exposure_off(det) / NUEM_SECONDS_PER_DAY;
      nuem_detector_free(det);
    }
  }
  if (d && d->mode == NUEM_DATA_COUNTS) {
    m->exposure_on = d->exposure_on;
    m->exposure_off = d->off ? d->exposure_off : 0;
  }
  if (!s && d && d->mode == NUEM_DATA_RESIDUAL) {
    if (!(m->data_sigma = malloc(d->nbins * sizeof(double)))) s = NUEM_ENOMEM;
    else memcpy(m->data_sigma, d->sigma, d->nbins * sizeof(double));
  }
  if (!s) s = templates(ctx, c, "output.kind=measured", m, 0);
  double k = nuem_config_number(cfg, NUEM_P_DETECTOR_QUENCHING_K);
  double scale = nuem_config_number(cfg, NUEM_P_DETECTOR_ENERGY_SCALE);
  for (int i = 1; !s && i < NSETTING; i++) {
    char set[64];
    int sign = i % 2 ? -1 : 1;
    if (i <= 2 && m->active[NUEM_NU_QUENCHING])
      snprintf(set, sizeof set, "detector.quenching_k=%.10g", k + sign * m->sigma[NUEM_NU_QUENCHING]);
    else if (i > 2 && m->active[NUEM_NU_SCALE])
      snprintf(set, sizeof set, "detector.energy_scale=%.10g",
               scale * (1 + sign * m->sigma[NUEM_NU_SCALE]));
    else
      continue;
    s = templates(ctx, c, set, m, i);
  }
  nuem_config_free(c);
  if (!s) s = nuem_model_set_range(ctx, cfg, m);
  if (s) {
    nuem_model_free(m);
    return s;
  }
  *out = m;
  return NUEM_OK;
}

nuem_status nuem_model_cross(nuem_context *ctx, const nuem_config *cfg, const nuem_data *d,
                             int poi1, int poi2, double **cross) {
  *cross = NULL;
  int qr = (poi1 == NUEM_POI_Q && poi2 == NUEM_POI_R2) || (poi1 == NUEM_POI_R2 && poi2 == NUEM_POI_Q);
  if (!qr) return NUEM_OK;
  nuem_config *c;
  NUEM_TRY(nuem_config_copy(ctx, cfg, &c));
  nuem_status s = d ? bins_from_data(ctx, c, d) : NUEM_OK;
  const char *both[] = {"physics.mu_nu=0muB", "physics.q_nu=1e-12e", "physics.r2_nu=1e-32cm2",
                        "output.kind=measured", NULL};
  nuem_result r = {0};
  if (!s) s = measure(ctx, c, both, &r);
  if (!s && !(*cross = malloc(r.nrows * sizeof(double)))) s = NUEM_ENOMEM;
  for (size_t j = 0; !s && j < r.nrows; j++) {
    /* signal = SM + excess(q) + excess(r2) + cross: what is left is the cross term */
    const double *row = &r.data[j * r.ncols];
    double w = row[NUEM_MCOL_E_HI] - row[NUEM_MCOL_E_LO], rest = row[NUEM_MCOL_SIGNAL];
    for (int k = 0; k < 8; k++) rest -= row[NUEM_MCOL_ELEC_SM + k];
    (*cross)[j] = rest * w / (Q_REF * R2_REF);
  }
  nuem_result_free(&r);
  nuem_config_free(c);
  return s;
}

/* ---- templates under nuisances --------------------------------------------- */

/* x0 + the quadratic interpolation through the -1, 0, +1 sigma settings. */
static double morph(double x0, const double *minus, const double *plus, size_t j, double nu) {
  if (!minus) return 0.0;
  return nu * (plus[j] - minus[j]) / 2 + nu * nu * (plus[j] + minus[j] - 2 * x0) / 2;
}

static void coefficients(const nuem_model *m, const double *nu, size_t j, double *a,
                         double *b, double *c) {
  double *const *T[3] = {m->A, m->B, m->C};
  double out[3];
  for (int q = 0; q < 3; q++) {
    double *const *X = T[q];
    double x = X[0][j];
    x += morph(X[0][j], X[1], X[2], j, m->active[NUEM_NU_QUENCHING] ? nu[NUEM_NU_QUENCHING] : 0);
    x += morph(X[0][j], X[3], X[4], j, m->active[NUEM_NU_SCALE] ? nu[NUEM_NU_SCALE] : 0);
    out[q] = x;
  }
  double norm = (1 + m->sigma[NUEM_NU_FLUX] * nu[NUEM_NU_FLUX]) *
                (1 + m->sigma[NUEM_NU_EFFICIENCY] * nu[NUEM_NU_EFFICIENCY]);
  *a = norm * fmax(out[0], 0.0); /* the SM part of a template is a rate >= 0 */
  *b = norm * out[1];
  *c = norm * out[2];
}

static double background_scale(const nuem_model *m, const double *nu) {
  return m->background_free ? 1 + nu[NUEM_NU_BACKGROUND]
                            : 1 + m->sigma[NUEM_NU_BACKGROUND] * nu[NUEM_NU_BACKGROUND];
}

static double penalty(const nuem_model *m, const double *nu) {
  double p = 0;
  for (int k = 0; k < NUEM_NNU; k++)
    if (m->active[k] && !(k == NUEM_NU_BACKGROUND && m->background_free)) p += nu[k] * nu[k];
  return p;
}

nuem_status nuem_fixed_init(const nuem_model *m, const nuem_data *d, const double *nu,
                            nuem_fixed *f) {
  memset(f, 0, sizeof *f);
  f->n = m->n;
  f->mode = m->mode;
  f->has_off = d && d->mode == NUEM_DATA_COUNTS && d->off;
  f->ratio = f->has_off ? d->exposure_on / d->exposure_off : 0;
  f->a = malloc(4 * m->n * sizeof(double));
  if (!f->a) return NUEM_ENOMEM;
  f->b = f->a + m->n;
  f->c = f->b + m->n;
  f->bkg = f->c + m->n;
  double on = m->exposure_on, bs = background_scale(m, nu);
  for (size_t j = 0; j < m->n; j++) {
    double a, b, c;
    coefficients(m, nu, j, &a, &b, &c);
    double scale = m->mode == NUEM_DATA_COUNTS ? on : 1.0 / m->width[j]; /* counts or rate */
    f->a[j] = a * scale;
    f->b[j] = b * scale;
    f->c[j] = c * scale;
    f->bkg[j] = on * bs * m->bkg[j];
  }
  f->penalty = penalty(m, nu);
  return NUEM_OK;
}

void nuem_fixed_free(nuem_fixed *f) {
  free(f->a);
  memset(f, 0, sizeof *f);
}

/* Poisson deviance 2 [mu - n + n ln(n/mu)]. */
static double deviance(double n, double mu) {
  if (!(mu > 0)) return n > 0 || mu < 0 ? 1e30 : 0.0;
  return 2 * (mu - n + (n > 0 ? n * log(n / mu) : 0.0));
}

/* ON/OFF bin with the OFF background b (expected OFF counts) profiled:
 * d/db of the log-likelihood vanishes at the positive root of
 * r(r+1) b^2 - [r (n_on + n_off) - (r+1) s] b - n_off s = 0, r = X_on/X_off. */
static double on_off(double s, double n_on, double n_off, double r) {
  double B = r * (n_on + n_off) - (r + 1) * s;
  double disc = B * B + 4 * r * (r + 1) * n_off * s;
  double b = disc > 0 ? (B + sqrt(disc)) / (2 * r * (r + 1)) : 0.0;
  if (!(b > 0)) b = n_off > 0 ? n_off : 1e-12; /* s < 0 or n = 0: keep the mean positive */
  return deviance(n_on, s + r * b) + deviance(n_off, b);
}

double nuem_fixed_t(const nuem_fixed *f, const nuem_data *d, const double *on,
                    const double *off, double theta) {
  double t = f->penalty;
  for (size_t j = 0; j < f->n; j++) {
    double s = f->a[j] + theta * (f->b[j] + theta * f->c[j]);
    if (f->mode == NUEM_DATA_RESIDUAL) {
      double z = (on[j] - s) / d->sigma[j];
      t += z * z;
    } else if (f->has_off) {
      t += on_off(s, on[j], off[j], f->ratio);
    } else {
      t += deviance(on[j], s + f->bkg[j]);
    }
  }
  return t;
}

typedef struct {
  const nuem_fixed *f;
  const nuem_data *d;
  const double *on, *off;
} fixed_params;

static double fixed_gsl(double theta, void *params) {
  const fixed_params *p = params;
  return nuem_fixed_t(p->f, p->d, p->on, p->off, theta);
}

/* A coarse scan, then Brent's method inside a bracket (or golden section
 * when the minimum sits at an end of the range, e.g. mu^2 = 0). */
double nuem_fixed_min(const nuem_fixed *f, const nuem_data *d, const double *on,
                      const double *off, double lo, double hi, double *theta_min) {
  enum { COARSE = 12 };
  fixed_params p = {f, d, on, off};
  double tv[COARSE + 1], best = INFINITY;
  int k = 0;
  for (int i = 0; i <= COARSE; i++) {
    tv[i] = nuem_fixed_t(f, d, on, off, lo + (hi - lo) * i / COARSE);
    if (tv[i] < best) best = tv[i], k = i;
  }
  double step = (hi - lo) / COARSE, arg = lo + k * step;
  if (k > 0 && k < COARSE && tv[k - 1] > tv[k] && tv[k + 1] > tv[k]) {
    gsl_function fn = {fixed_gsl, &p};
    gsl_min_fminimizer *mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (mz && !gsl_min_fminimizer_set_with_values(mz, &fn, arg, tv[k], arg - step, tv[k - 1],
                                                   arg + step, tv[k + 1])) {
      for (int it = 0; it < 40; it++) {
        if (gsl_min_fminimizer_iterate(mz)) break;
        if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(mz), gsl_min_fminimizer_x_upper(mz),
                                  1e-7 * (hi - lo), 0.0) == GSL_SUCCESS)
          break;
      }
      if (gsl_min_fminimizer_f_minimum(mz) < best) {
        best = gsl_min_fminimizer_f_minimum(mz);
        arg = gsl_min_fminimizer_x_minimum(mz);
      }
    }
    if (mz) gsl_min_fminimizer_free(mz);
  } else { /* golden section on the cells next to the best coarse point */
    double a = fmax(lo, arg - step), b = fmin(hi, arg + step);
    const double g = 0.6180339887498949;
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = nuem_fixed_t(f, d, on, off, x1), f2 = nuem_fixed_t(f, d, on, off, x2);
    for (int it = 0; it < 40 && b - a > 1e-7 * (hi - lo); it++) {
      if (f1 < f2) {
        b = x2, x2 = x1, f2 = f1;
        x1 = b - g * (b - a);
        f1 = nuem_fixed_t(f, d, on, off, x1);
      } else {
        a = x1, x1 = x2, f1 = f2;
        x2 = a + g * (b - a);
        f2 = nuem_fixed_t(f, d, on, off, x2);
      }
    }
    if (fmin(f1, f2) < best) best = fmin(f1, f2), arg = f1 < f2 ? x1 : x2;
  }
  if (theta_min) *theta_min = arg;
  return best;
}

/* ---- profiling over the nuisances ---------------------------------------- */

typedef struct {
  const nuem_model *m;
  const nuem_data *d;
  double theta;
  int index[NUEM_NNU], nactive;
} profile_params;

static double objective(const gsl_vector *x, void *params) {
  profile_params *pp = params;
  double nu[NUEM_NNU] = {0};
  for (int i = 0; i < pp->nactive; i++) nu[pp->index[i]] = gsl_vector_get(x, (size_t)i);
  if (pp->m->background_free && nu[NUEM_NU_BACKGROUND] < -1) return 1e30;
  nuem_fixed f;
  if (nuem_fixed_init(pp->m, pp->d, nu, &f)) return 1e30;
  const double *on = pp->d->mode == NUEM_DATA_COUNTS ? pp->d->on : pp->d->residual;
  double t = nuem_fixed_t(&f, pp->d, on, pp->d->off, pp->theta);
  nuem_fixed_free(&f);
  return t;
}

nuem_status nuem_model_profile(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                               double theta, double *t, double *nu_out) {
  profile_params pp = {m, d, theta, {0}, 0};
  for (int k = 0; k < NUEM_NNU; k++)
    if (m->active[k]) pp.index[pp.nactive++] = k;
  double nu[NUEM_NNU] = {0};
  if (!pp.nactive) {
    gsl_vector *x = NULL;
    *t = objective(x, &pp);
  } else {
    gsl_multimin_fminimizer *mz =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)pp.nactive);
    gsl_vector *x = gsl_vector_calloc((size_t)pp.nactive), *step = gsl_vector_alloc((size_t)pp.nactive);
    if (!mz || !x || !step) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
    gsl_vector_set_all(step, 0.5);
    gsl_multimin_function fn = {objective, (size_t)pp.nactive, &pp};
    gsl_multimin_fminimizer_set(mz, &fn, x, step);
    int status = GSL_CONTINUE;
    for (int it = 0; it < 2000 && status == GSL_CONTINUE; it++) {
      if (gsl_multimin_fminimizer_iterate(mz)) break;
      status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(mz), 1e-6);
    }
    *t = gsl_multimin_fminimizer_minimum(mz);
    for (int i = 0; i < pp.nactive; i++) nu[pp.index[i]] = gsl_vector_get(mz->x, (size_t)i);
    gsl_multimin_fminimizer_free(mz);
    gsl_vector_free(x);
    gsl_vector_free(step);
  }
  if (!isfinite(*t) || *t >= 1e29)
    return nuem_error(ctx, NUEM_ENUMERIC, "the likelihood is not finite at theta = %g; "
                      "are the data compatible with the model at all?", theta);
  if (nu_out) memcpy(nu_out, nu, sizeof nu);
  return NUEM_OK;
}

nuem_status nuem_model_fit(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                           double *theta_hat, double *t_min, double *nu) {
  enum { GRID = 40 };
  double best = INFINITY, arg = m->lo;
  for (int i = 0; i <= GRID; i++) {
    double th = m->lo + (m->hi - m->lo) * i / GRID, t;
    NUEM_TRY(nuem_model_profile(ctx, m, d, th, &t, NULL));
    if (t < best) best = t, arg = th;
  }
  double a = fmax(m->lo, arg - (m->hi - m->lo) / GRID), b = fmin(m->hi, arg + (m->hi - m->lo) / GRID);
  const double g = 0.6180339887498949;
  double x1 = b - g * (b - a), x2 = a + g * (b - a), f1, f2;
  NUEM_TRY(nuem_model_profile(ctx, m, d, x1, &f1, NULL));
  NUEM_TRY(nuem_model_profile(ctx, m, d, x2, &f2, NULL));
  for (int it = 0; it < 50 && b - a > 1e-9 * (m->hi - m->lo); it++) {
    if (f1 < f2) {
      b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a);
      NUEM_TRY(nuem_model_profile(ctx, m, d, x1, &f1, NULL));
    } else {
      a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a);
      NUEM_TRY(nuem_model_profile(ctx, m, d, x2, &f2, NULL));
    }
  }
  if (fmin(f1, f2) < best) best = fmin(f1, f2), arg = f1 < f2 ? x1 : x2;
  *theta_hat = arg;
  *t_min = best;
  return nu ? nuem_model_profile(ctx, m, d, arg, &best, nu) : NUEM_OK;
}

/* ---- Asimov data and the scanned range ------------------------------------ */

nuem_status nuem_model_asimov(nuem_context *ctx, const nuem_model *m, const nuem_data *like,
                              double theta, nuem_data *out) {
  memset(out, 0, sizeof *out);
  out->mode = m->mode;
  out->nbins = m->n;
  out->edges = malloc((m->n + 1) * sizeof(double));
  if (!out->edges) return NUEM_ENOMEM;
  memcpy(out->edges, m->edges, (m->n + 1) * sizeof(double));
  double nu[NUEM_NNU] = {0};
  nuem_fixed f;
  nuem_status s = NUEM_OK;
  if (m->mode == NUEM_DATA_RESIDUAL) {
    out->residual = malloc(m->n * sizeof(double));
    out->sigma = malloc(m->n * sizeof(double));
    if (!out->residual || !out->sigma || nuem_fixed_init(m, NULL, nu, &f)) s = NUEM_ENOMEM;
    for (size_t j = 0; !s && j < m->n; j++) {
      out->residual[j] = f.a[j] + theta * (f.b[j] + theta * f.c[j]);
      out->sigma[j] = like->sigma[j];
    }
  } else {
    int has_off = m->exposure_off > 0;
    out->exposure_on = m->exposure_on;
    out->exposure_off = m->exposure_off;
    out->on = malloc(m->n * sizeof(double));
    out->off = has_off ? malloc(m->n * sizeof(double)) : NULL;
    if (!out->on || (has_off && !out->off) || nuem_fixed_init(m, NULL, nu, &f)) s = NUEM_ENOMEM;
    for (size_t j = 0; !s && j < m->n; j++) {
      out->on[j] = f.a[j] + theta * (f.b[j] + theta * f.c[j]) + f.bkg[j];
      if (has_off) out->off[j] = f.bkg[j] * m->exposure_off / m->exposure_on;
    }
  }
  if (!s) nuem_fixed_free(&f);
  if (s) {
    nuem_data_free(out);
    return nuem_error(ctx, s, "out of memory for Asimov data");
  }
  return NUEM_OK;
}

/* The POI range: analysis.poi_max, or where the Asimov Delta(-2 ln L) of the
 * nominal model reaches 100 (10 sigma: room for upward fluctuations of toy
 * limits), by doubling from the reference value. */
static nuem_status nuem_model_set_range(nuem_context *ctx, const nuem_config *cfg,
                                        nuem_model *m) {
  static const double ref[] = {MU_REF * MU_REF, Q_REF, R2_REF, 1.0};
  static const char *const units[] = {"muB", "e", "cm2", "1"};
  const char *text = nuem_config_text(cfg, NUEM_P_ANALYSIS_POI_MAX);
  double max = 0;
  if (*text) {
    NUEM_TRY(nuem_quantity_parse(ctx, text, units[m->poi], "analysis.poi_max", &max));
    if (!(max > 0)) return nuem_error(ctx, NUEM_ERANGE, "analysis.poi_max must be positive");
    if (m->poi == NUEM_POI_MU) max *= max;
  } else {
    nuem_fixed f;
    double nu[NUEM_NNU] = {0};
    if (nuem_fixed_init(m, NULL, nu, &f)) return NUEM_ENOMEM;
    double *asimov = malloc(m->n * sizeof(double)), *sig = malloc(m->n * sizeof(double));
    nuem_data like = {.mode = m->mode, .sigma = sig};
    for (size_t j = 0; asimov && sig && j < m->n; j++) {
      asimov[j] = f.a[j] + (m->mode == NUEM_DATA_COUNTS && !f.has_off ? f.bkg[j] : 0);
      sig[j] = m->data_sigma ? m->data_sigma[j] : 1.0;
    }
    f.has_off = 0;
    double t0 = asimov ? nuem_fixed_t(&f, &like, asimov, NULL, 0.0) : 0;
    for (int sign = 1; asimov && sign >= -1; sign -= 2) {
      if (sign < 0 && (m->poi == NUEM_POI_MU || m->poi == NUEM_POI_CEVNS)) break;
      double th = ref[m->poi];
      for (int i = 0; i < 200 && nuem_fixed_t(&f, &like, asimov, NULL, sign * th) - t0 < 100; i++)
        th *= 2;
      max = fmax(max, th);
    }
    free(asimov);
    free(sig);
    nuem_fixed_free(&f);
    if (m->poi == NUEM_POI_CEVNS) max = fmax(max, 3.0);
  }
  m->hi = max;
  m->lo = m->poi == NUEM_POI_MU || m->poi == NUEM_POI_CEVNS ? 0.0 : -max;
  return NUEM_OK;
}

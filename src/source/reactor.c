/* Reactor antineutrino source: fission spectra, fission rate, neutron capture.
 * Formulas and sources: docs/physics.md, "Source: reactor antineutrino flux". */
#include <gsl/gsl_eigen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "integrate.h"
#include "nuem/constants.h"
#include "source_internal.h"

static const int fission_za[NUEM_NFISSION] = {
    [NUEM_U235] = 92235, [NUEM_U238] = 92238, [NUEM_PU239] = 94239, [NUEM_PU241] = 94241};
/* Names in source.fractions and in the low-energy table's columns. */
static const char *const fission_names[NUEM_NFISSION] = {
    [NUEM_U235] = "U235", [NUEM_U238] = "U238", [NUEM_PU239] = "Pu239", [NUEM_PU241] = "Pu241"};
#define LOW_HIGH_BOUNDARY 2.0 /* MeV: the fits of Huber/Mueller start here */
#define E_MAX_LIMIT 12.0 /* MeV: largest source.e_max, an extrapolation of the fits */
/* 239U and 239Np: the mass number in the Fermi function's nuclear radius
 * (docs/physics.md, "Source: reactor antineutrino flux"). */
#define CAPTURE_A 239.0
#define ZA_NP239 93239

/* Load a compiled-in table by its name under data/. */
static nuem_status load_data(nuem_context *ctx, const char *name, nuem_table *t) {
  size_t len;
  const char *text = nuem_data_find(name, &len);
  if (!text)
    return nuem_error(ctx, NUEM_EINTERNAL, "compiled-in data file '%s' is missing",
                      name);
  return nuem_table_parse(ctx, text, len, name, t);
}

static long find_row(const nuem_table *t, int za) {
  for (size_t r = 0; r < t->nrows; r++)
    if ((int)nuem_table_get(t, r, 0) == za) return (long)r;
  return -1;
}

/* The data file of each source.high_energy model. */
enum { HIGH_HUBER_MUELLER, HIGH_MUELLER, HIGH_VOGEL_ENGEL };
static const nuem_choice high_energy_models[] = {{"huber-mueller", HIGH_HUBER_MUELLER},
                                                 {"mueller", HIGH_MUELLER},
                                                 {"vogel-engel", HIGH_VOGEL_ENGEL}};
static const char *const high_energy_files[] = {
    [HIGH_HUBER_MUELLER] = "reactor/huber_2011.dat",
    [HIGH_MUELLER] = "reactor/mueller_2011.dat",
    [HIGH_VOGEL_ENGEL] = "reactor/vogel_engel_1989_fit.dat"};

/* Fill the exp-polynomial coefficients of the high-energy model. */
static nuem_status load_high_energy(nuem_context *ctx, int model,
                                    nuem_source *src) {
  const char *const *files = high_energy_files;
  nuem_table main_t, mueller_t;
  NUEM_TRY(load_data(ctx, files[model], &main_t));
  nuem_status s = load_data(ctx, files[HIGH_MUELLER], &mueller_t);
  if (s) { nuem_table_free(&main_t); return s; }
  for (int i = 0; i < NUEM_NFISSION && !s; i++) {
    /* Huber has no 238U: nuem's "huber-mueller" takes it from Mueller. */
    const nuem_table *t = &main_t;
    long r = find_row(t, fission_za[i]);
    if (r < 0) { t = &mueller_t; r = find_row(t, fission_za[i]); }
    if (r < 0) {
      s = nuem_error(ctx, NUEM_EINTERNAL, "no spectrum for ZA %d in %s",
                     fission_za[i], files[model]);
      break;
    }
    memset(src->poly[i], 0, sizeof src->poly[i]);
    for (size_t c = 1; c < t->ncols && c <= NUEM_POLY_TERMS; c++)
      src->poly[i][c - 1] = nuem_table_get(t, (size_t)r, c);
  }
  nuem_table_free(&main_t);
  nuem_table_free(&mueller_t);
  return s;
}

static double high_energy_spectrum(const nuem_source *src, int i, double E) {
  const double *a = src->poly[i];
  double p = 0;
  for (int k = NUEM_POLY_TERMS - 1; k >= 0; k--) p = p * E + a[k];
  return exp(p);
}

/* Low-energy table: log-log between the points, S ∝ E^2 (the phase-space
 * limit of a beta spectrum) below the first point. */
static double low_energy_spectrum(const nuem_source *src, int i, double E) {
  if (src->low_model == NUEM_LOW_FLAT)
    return high_energy_spectrum(src, i, LOW_HIGH_BOUNDARY);
  const nuem_interp *table = src->low_s[i];
  double e0 = nuem_interp_x_min(table);
  if (E <= e0) return nuem_interp_eval(table, e0) * (E / e0) * (E / e0);
  return nuem_interp_eval(table, E);
}

double nuem_source_per_fission_spectrum(const nuem_source *src, int i, double E) {
  if (src->type != NUEM_SOURCE_REACTOR || i < 0 || i >= NUEM_NFISSION || E <= 0)
    return 0.0;
  return E < LOW_HIGH_BOUNDARY ? low_energy_spectrum(src, i, E)
                               : high_energy_spectrum(src, i, E);
}

/* The data file of each tabulated source.low_energy model (docs/physics.md,
 * "Source: reactor antineutrino flux"). */
static const char *const low_energy_files[] = {
    [NUEM_LOW_VOGEL_ENGEL] = "reactor/low_energy_vogel_engel_1989.dat",
    [NUEM_LOW_PERISSE_2023] = "reactor/low_energy_perisse_2023.dat"};

/* The table's rows up to LOW_HIGH_BOUNDARY, one function per nuclide. */
static nuem_status load_low_energy(nuem_context *ctx, nuem_source *src) {
  nuem_table t;
  NUEM_TRY(load_data(ctx, low_energy_files[src->low_model], &t));
  size_t n = 0;
  for (size_t r = 0; r < t.nrows; r++) n += nuem_table_get(&t, r, 0) <= LOW_HIGH_BOUNDARY;
  src->nlow = n;
  src->low_e = malloc((n ? n : 1) * sizeof *src->low_e);
  double *column = malloc((n ? n : 1) * sizeof *column);
  nuem_status s = src->low_e && column ? NUEM_OK : NUEM_ENOMEM;
  for (size_t r = 0; !s && r < n; r++) src->low_e[r] = nuem_table_get(&t, r, 0);
  for (int i = 0; i < NUEM_NFISSION && !s; i++) {
    long c = nuem_table_column(&t, fission_names[i]);
    if (c < 0) {
      s = nuem_error(ctx, NUEM_EINTERNAL, "%s has no column %s", t.origin, fission_names[i]);
      break;
    }
    for (size_t r = 0; r < n; r++) column[r] = nuem_table_get(&t, r, (size_t)c);
    /* Below the first point low_energy_spectrum applies E^2 itself; above the
     * last (at the 2 MeV boundary) hold the end value. */
    s = nuem_interp_new(ctx, src->low_e, column, n, NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_CLAMP,
                        t.origin, &src->low_s[i]);
  }
  free(column);
  nuem_table_free(&t);
  return s;
}

/* The relative one-sigma uncertainty per bin of the perisse-2023 table
 * (Perisse et al., PRC 108, 055501 (2023), supplementary material), one
 * function per nuclide, linear between the bin centres and held outside
 * (docs/physics.md, "Reactor spectrum uncertainties"). */
static nuem_status load_low_energy_uncertainty(nuem_context *ctx, nuem_source *src) {
  nuem_table t;
  NUEM_TRY(load_data(ctx, "reactor/low_energy_perisse_2023_uncertainty.dat", &t));
  nuem_status s = NUEM_OK;
  size_t n = src->nlow;
  double *rel = malloc((n ? n : 1) * sizeof *rel);
  if (!rel) s = NUEM_ENOMEM;
  if (!s && t.nrows < n)
    s = nuem_error(ctx, NUEM_EINTERNAL, "%s has %zu rows below 2 MeV, the spectrum %zu",
                   t.origin, t.nrows, n);
  for (size_t r = 0; !s && r < n; r++)
    if (fabs(nuem_table_get(&t, r, 0) - src->low_e[r]) > 1e-9)
      s = nuem_error(ctx, NUEM_EINTERNAL, "%s row %zu: E = %g MeV, the spectrum's %g MeV",
                     t.origin, r + 1, nuem_table_get(&t, r, 0), src->low_e[r]);
  for (int i = 0; i < NUEM_NFISSION && !s; i++) {
    long c = nuem_table_column(&t, fission_names[i]);
    if (c < 0) {
      s = nuem_error(ctx, NUEM_EINTERNAL, "%s has no column %s", t.origin, fission_names[i]);
      break;
    }
    for (size_t r = 0; r < n; r++)
      rel[r] = nuem_table_get(&t, r, (size_t)c) / nuem_interp_eval(src->low_s[i], src->low_e[r]);
    s = nuem_interp_new(ctx, src->low_e, rel, n, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                        t.origin, &src->low_rel[i]);
  }
  free(rel);
  nuem_table_free(&t);
  return s;
}

/* One isotope's relative error of column `name` of a band table: the
 * column itself (symmetric) or the larger of name_neg and name_pos; into
 * rel[] scaled to a fraction. 0 if the table has no such column or only
 * zeros (no such source of error for this isotope). */
static int band_column(const nuem_table *t, const char *name, size_t first, size_t n,
                       double scale, double *rel) {
  char neg[24], pos[24];
  snprintf(neg, sizeof neg, "%s_neg", name);
  snprintf(pos, sizeof pos, "%s_pos", name);
  long c = nuem_table_column(t, name), cn = nuem_table_column(t, neg),
       cp = nuem_table_column(t, pos);
  if (c < 0 && (cn < 0 || cp < 0)) return 0;
  int any = 0;
  for (size_t r = 0; r < n; r++) {
    double v = c >= 0 ? fabs(nuem_table_get(t, first + r, (size_t)c))
                      : fmax(fabs(nuem_table_get(t, first + r, (size_t)cn)),
                             fabs(nuem_table_get(t, first + r, (size_t)cp)));
    rel[r] = scale * v;
    any |= v != 0;
  }
  return any;
}

/* The error budget above 2 MeV of the isotopes in `use` from one table
 * (data/reactor/huber_2011_uncertainty.dat, fractions; mueller_2011_uncertainty.dat,
 * percent): per isotope and source of error, relative, linear between the
 * 250 keV bin centres and held outside (docs/physics.md, "Reactor spectrum
 * uncertainties"). Every table shares the bin centres. */
static nuem_status load_band_table(nuem_context *ctx, nuem_source *src, const char *name,
                                   double scale, const int use[NUEM_NFISSION]) {
  static const char *const comp_names[NUEM_BAND_NCOMP] = {
      [NUEM_BAND_STAT] = "stat", [NUEM_BAND_BIAS] = "bias", [NUEM_BAND_Z] = "Z",
      [NUEM_BAND_WM] = "WM", [NUEM_BAND_NORM] = "norm", [NUEM_BAND_CONV] = "conv",
      [NUEM_BAND_CORR] = "corr", [NUEM_BAND_DATABASES] = "databases",
      [NUEM_BAND_FORBIDDEN] = "forbidden", [NUEM_BAND_MISSING] = "missing"};
  enum { MAX_BINS = sizeof src->high_bins / sizeof *src->high_bins };
  nuem_table t;
  NUEM_TRY(load_data(ctx, name, &t));
  nuem_status s = NUEM_OK;
  double rel[MAX_BINS];
  for (int i = 0; i < NUEM_NFISSION && !s; i++) {
    if (!use[i]) continue;
    size_t n = 0, first = 0;
    for (size_t r = 0; r < t.nrows; r++)
      if ((int)nuem_table_get(&t, r, 0) == fission_za[i]) { if (!n) first = r; n++; }
    if (!n) continue;
    int same = n <= MAX_BINS && (!src->nhigh || n == src->nhigh);
    for (size_t r = 0; same && src->nhigh && r < n; r++)
      same = src->high_bins[r] == nuem_table_get(&t, first + r, 1);
    if (!same) {
      s = nuem_error(ctx, NUEM_EINTERNAL, "%s: the bins of ZA %d differ from the other "
                     "band tables'", t.origin, fission_za[i]);
      break;
    }
    src->nhigh = n;
    for (size_t r = 0; r < n; r++) src->high_bins[r] = nuem_table_get(&t, first + r, 1);
    for (int c = 0; c < NUEM_BAND_NCOMP && !s; c++)
      if (band_column(&t, comp_names[c], first, n, scale, rel))
        s = nuem_interp_new(ctx, src->high_bins, rel, n, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                            t.origin, &src->high_rel[i][c]);
  }
  nuem_table_free(&t);
  return s;
}

/* The published band above 2 MeV of each high-energy model: Huber's
 * tables for 235U, 239Pu, 241Pu and Mueller's for 238U (huber-mueller),
 * Mueller's for all four (mueller); none for vogel-engel. */
static nuem_status load_high_energy_uncertainty(nuem_context *ctx, int model, nuem_source *src) {
  static const int huber[NUEM_NFISSION] = {[NUEM_U235] = 1, [NUEM_PU239] = 1, [NUEM_PU241] = 1};
  static const int mueller_238[NUEM_NFISSION] = {[NUEM_U238] = 1};
  static const int all[NUEM_NFISSION] = {1, 1, 1, 1};
  if (model == HIGH_HUBER_MUELLER) {
    NUEM_TRY(load_band_table(ctx, src, "reactor/huber_2011_uncertainty.dat", 1.0, huber));
    return load_band_table(ctx, src, "reactor/mueller_2011_uncertainty.dat", 0.01, mueller_238);
  }
  if (model == HIGH_MUELLER)
    return load_band_table(ctx, src, "reactor/mueller_2011_uncertainty.dat", 0.01, all);
  return NUEM_OK;
}

/* source.band_covariance: a user's relative covariance of the spectrum in
 * energy bins. Checked: contiguous increasing bins, a square matrix,
 * symmetric to 1e-9 of its largest element, and positive semi-definite
 * (smallest eigenvalue >= -1e-12 of the largest: rounding), as a covariance
 * must be (docs/physics.md, "Reactor spectrum uncertainties"). */
static nuem_status load_band_covariance(nuem_context *ctx, const char *path, nuem_source *src) {
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  size_t n = t.nrows;
  nuem_status s = NUEM_OK;
  if (n == 0 || t.ncols != n + 2)
    s = nuem_error(ctx, NUEM_EPARSE, "%s: a covariance table needs columns E_lo E_hi and one "
                   "per bin (%zu rows, so %zu columns; found %zu)", t.origin, n, n + 2, t.ncols);
  src->cov_edges = malloc((n + 1) * sizeof *src->cov_edges);
  src->cov = malloc((n ? n * n : 1) * sizeof *src->cov);
  if (!s && (!src->cov_edges || !src->cov)) s = NUEM_ENOMEM;
  double largest = 0;
  for (size_t a = 0; !s && a < n; a++) {
    double lo = nuem_table_get(&t, a, 0), hi = nuem_table_get(&t, a, 1);
    if (!(hi > lo) || lo < 0 || (a > 0 && lo != src->cov_edges[a]))
      s = nuem_error(ctx, NUEM_EPARSE, "%s, data row %zu: bins must be contiguous and increasing "
                     "(E_lo %g, E_hi %g)", t.origin, a + 1, lo, hi);
    src->cov_edges[a] = lo;
    src->cov_edges[a + 1] = hi;
    for (size_t b = 0; b < n; b++) {
      src->cov[a * n + b] = nuem_table_get(&t, a, b + 2);
      largest = fmax(largest, fabs(src->cov[a * n + b]));
    }
  }
  for (size_t a = 0; !s && a < n; a++)
    for (size_t b = 0; !s && b < a; b++)
      if (fabs(src->cov[a * n + b] - src->cov[b * n + a]) > 1e-9 * largest)
        s = nuem_error(ctx, NUEM_ERANGE, "%s: the covariance is not symmetric (element %zu,%zu "
                       "= %g, %zu,%zu = %g)", t.origin, a + 1, b + 1, src->cov[a * n + b], b + 1,
                       a + 1, src->cov[b * n + a]);
  if (!s) {
    gsl_matrix *m = gsl_matrix_alloc(n, n);
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_matrix *vec = gsl_matrix_alloc(n, n);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
    src->cov_factor = malloc(n * n * sizeof *src->cov_factor);
    if (!m || !eval || !vec || !w || !src->cov_factor) s = NUEM_ENOMEM;
    for (size_t k = 0; !s && k < n * n; k++) m->data[(k / n) * m->tda + k % n] = src->cov[k];
    if (!s) gsl_eigen_symmv(m, eval, vec, w);
    double min = s ? 0 : gsl_vector_min(eval), max = s ? 0 : gsl_vector_max(eval);
    if (!s && min < -1e-12 * fmax(max, 0.0))
      s = nuem_error(ctx, NUEM_ERANGE, "%s: the covariance is not positive semi-definite "
                     "(eigenvalue %g; the largest %g)", t.origin, min, max);
    /* C = sum_k sqrt(l_k) v_k (sqrt(l_k) v_k)^T: independent factors */
    for (size_t k = 0; !s && k < n * n; k++)
      src->cov_factor[k] = gsl_matrix_get(vec, k / n, k % n) *
                           sqrt(fmax(gsl_vector_get(eval, k % n), 0.0));
    gsl_matrix_free(m);
    gsl_matrix_free(vec);
    gsl_vector_free(eval);
    gsl_eigen_symmv_free(w);
  }
  if (!s) src->ncov = n;
  nuem_table_free(&t);
  return s;
}

/* The covariance bin holding E, or -1. */
static long covariance_bin(const nuem_source *src, double E) {
  if (!src->ncov || E < src->cov_edges[0] || E >= src->cov_edges[src->ncov]) return -1;
  return (long)nuem_search(src->cov_edges, src->ncov + 1, E);
}

/* The one-sigma shift of dPhi/dE at E [1/(cm2 s MeV)] of one correlated
 * component: below 2 MeV the perisse-2023 band (isotopes fully correlated),
 * above it source of error c of the isotopes that carry it (correlated). */
static double band_shift(const nuem_source *src, int c, double E) {
  double s = 0;
  for (int i = 0; i < NUEM_NFISSION; i++) {
    if (src->fractions[i] == 0) continue;
    if (E < LOW_HIGH_BOUNDARY)
      s += src->fractions[i] * low_energy_spectrum(src, i, E) *
           nuem_interp_eval(src->low_rel[i], E);
    else if (src->high_rel[i][c])
      s += src->fractions[i] * high_energy_spectrum(src, i, E) *
           nuem_interp_eval(src->high_rel[i][c], E);
  }
  return src->scale * src->fission_flux * s;
}

/* The statistical one-sigma of isotope i at E (uncorrelated). */
static double stat_shift(const nuem_source *src, int i, double E) {
  if (!src->high_rel[i][NUEM_BAND_STAT] || src->fractions[i] == 0) return 0.0;
  return src->scale * src->fission_flux * src->fractions[i] * high_energy_spectrum(src, i, E) *
         nuem_interp_eval(src->high_rel[i][NUEM_BAND_STAT], E);
}

/* Whether any isotope carries source of error c above 2 MeV. */
static int component_known(const nuem_source *src, int c) {
  for (int i = 0; i < NUEM_NFISSION; i++)
    if (src->high_rel[i][c]) return 1;
  return 0;
}

/* Huber's statistical bin k (250 keV about its centre) within [2 MeV, e_max]. */
static void stat_bin(const nuem_source *src, size_t k, double *lo, double *hi) {
  double half = k + 1 < src->nhigh ? 0.5 * (src->high_bins[k + 1] - src->high_bins[k])
                                   : 0.5 * (src->high_bins[k] - src->high_bins[k - 1]);
  *lo = fmax(src->high_bins[k] - half, LOW_HIGH_BOUNDARY);
  *hi = fmin(src->high_bins[k] + half, src->e_max);
}

static int band_known(const nuem_source *src, double E) {
  if (!src || src->type != NUEM_SOURCE_REACTOR) return 0;
  if (E < LOW_HIGH_BOUNDARY) return src->low_rel[0] != NULL;
  for (int c = 0; c < NUEM_BAND_NCOMP; c++)
    if (component_known(src, c)) return 1;
  return 0;
}

int nuem_source_flux_sigma(const nuem_source *src, double E, double *sigma) {
  *sigma = NAN;
  if (!src || src->type != NUEM_SOURCE_REACTOR) return 0;
  if (src->ncov) { /* the user's covariance replaces the published band */
    long a = covariance_bin(src, E);
    if (a < 0) return 0;
    *sigma = nuem_source_flux(src, E) * sqrt(src->cov[a * (long)src->ncov + a]);
    return 1;
  }
  if (E <= 0 || E > src->e_max) {
    if (!band_known(src, 1.0) && !band_known(src, 3.0)) return 0;
    *sigma = 0.0;
    return 1;
  }
  if (!band_known(src, E)) return 0;
  if (E < LOW_HIGH_BOUNDARY) { *sigma = band_shift(src, 0, E); return 1; }
  double v = 0;
  for (int c = NUEM_BAND_BIAS; c < NUEM_BAND_NCOMP; c++)
    if (component_known(src, c)) v += pow(band_shift(src, c, E), 2);
  for (int i = 0; i < NUEM_NFISSION; i++) v += pow(stat_shift(src, i, E), 2);
  *sigma = sqrt(v);
  return 1;
}

/* ---- the normalisation uncertainty of a rate ------------------------------ */

typedef struct {
  const nuem_source *src;
  int power, comp, isotope; /* comp < 0: the flux itself; isotope >= 0: stat */
} band_integrand;

static double band_gsl(double E, void *p) {
  const band_integrand *b = p;
  double w = pow(E, b->power), v;
  if (b->comp < 0) v = nuem_source_flux(b->src, E);
  else if (b->isotope >= 0) v = stat_shift(b->src, b->isotope, E);
  else v = band_shift(b->src, b->comp, E);
  return w * v;
}

static nuem_status band_integral(nuem_context *ctx, const nuem_source *src, band_integrand *b,
                                 double lo, double hi, gsl_integration_workspace *ws,
                                 double *out) {
  gsl_function f = {band_gsl, b};
  double err;
  *out = 0;
  if (!(hi > lo)) return NUEM_OK;
  return nuem_integrate(ctx, &f, lo, hi, src->knots, src->nknots, 1e-8, ws, out, &err,
                        "the spectrum band");
}

/* sigma_N/N of the user's covariance: w_a = the bin's share of N. */
static nuem_status covariance_relative(nuem_context *ctx, const nuem_source *src, int power,
                                       double *rel) {
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  double *w = malloc(src->ncov * sizeof *w), total = 0, var = 0;
  nuem_status s = ws && w ? NUEM_OK : NUEM_ENOMEM;
  band_integrand b = {src, power, -1, -1};
  if (!s) s = band_integral(ctx, src, &b, 0.0, src->e_max, ws, &total);
  for (size_t a = 0; !s && a < src->ncov; a++)
    s = band_integral(ctx, src, &b, fmin(src->cov_edges[a], src->e_max),
                      fmin(src->cov_edges[a + 1], src->e_max), ws, &w[a]);
  for (size_t a = 0; !s && a < src->ncov; a++)
    for (size_t c = 0; c < src->ncov; c++) var += w[a] * w[c] * src->cov[a * src->ncov + c];
  if (!s && !(total > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "the spectrum band: the flux integral is %g", total);
  if (!s) *rel = sqrt(fmax(var, 0.0)) / total;
  free(w);
  if (ws) gsl_integration_workspace_free(ws);
  return s;
}

nuem_status nuem_band_missing(nuem_context *ctx) {
  return nuem_error(ctx, NUEM_ECONFIG, "the spectrum uncertainty is published for reactor "
                    "sources only, with source.low_energy = perisse-2023 below 2 MeV or "
                    "source.high_energy = huber-mueller or mueller above, or a "
                    "source.band_covariance (docs/physics.md, \"Reactor spectrum "
                    "uncertainties\")");
}

nuem_status nuem_source_flux_band_relative(nuem_context *ctx, const nuem_source *src,
                                           int power, double *rel) {
  *rel = NAN;
  if (src && src->type == NUEM_SOURCE_REACTOR && src->ncov)
    return covariance_relative(ctx, src, power, rel);
  if (!band_known(src, 1.0) && !band_known(src, 3.0)) return nuem_band_missing(ctx);
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  if (!ws) return NUEM_ENOMEM;
  double lo_end = fmin(LOW_HIGH_BOUNDARY, src->e_max), total, shift, var = 0;
  band_integrand b = {src, power, -1, -1};
  nuem_status s = band_integral(ctx, src, &b, 0.0, src->e_max, ws, &total);
  /* below 2 MeV: one correlated shift; above: each correlated component */
  b.comp = 0;
  if (!s && band_known(src, 1.0)) s = band_integral(ctx, src, &b, 0.0, lo_end, ws, &shift);
  if (!s && band_known(src, 1.0)) var += shift * shift;
  for (int c = NUEM_BAND_BIAS; !s && c < NUEM_BAND_NCOMP; c++) {
    if (!component_known(src, c)) continue;
    b.comp = c;
    s = band_integral(ctx, src, &b, LOW_HIGH_BOUNDARY, src->e_max, ws, &shift);
    var += shift * shift;
  }
  /* statistical errors: independent per 250 keV bin and isotope */
  for (int i = 0; !s && band_known(src, 3.0) && i < NUEM_NFISSION; i++) {
    if (!src->high_rel[i][NUEM_BAND_STAT]) continue;
    b.comp = NUEM_BAND_STAT;
    b.isotope = i;
    for (size_t k = 0; !s && k < src->nhigh; k++) {
      double lo, hi;
      stat_bin(src, k, &lo, &hi);
      s = band_integral(ctx, src, &b, lo, hi, ws, &shift);
      var += shift * shift;
    }
  }
  gsl_integration_workspace_free(ws);
  if (!s && !(total > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "the spectrum band: the flux integral is %g", total);
  if (!s) *rel = sqrt(var) / total;
  return s;
}

/* ---- the band as independent factors ------------------------------------- */

/* Isotopes with a statistical error. */
static size_t stat_isotopes(const nuem_source *src, int *isotope) {
  size_t n = 0;
  for (int i = 0; i < NUEM_NFISSION; i++)
    if (src->high_rel[i][NUEM_BAND_STAT]) isotope[n++] = i;
  return n;
}

/* The correlated sources of error above 2 MeV that some isotope carries. */
static size_t correlated_components(const nuem_source *src, int *comp) {
  size_t n = 0;
  for (int c = NUEM_BAND_BIAS; c < NUEM_BAND_NCOMP; c++)
    if (component_known(src, c)) comp[n++] = c;
  return n;
}

size_t nuem_band_nfactors(const nuem_source *src) {
  if (!src || src->type != NUEM_SOURCE_REACTOR) return 0;
  if (src->ncov) return src->ncov;
  int iso[NUEM_NFISSION], comp[NUEM_BAND_NCOMP];
  return (size_t)band_known(src, 1.0) + correlated_components(src, comp) +
         stat_isotopes(src, iso) * src->nhigh;
}

/* Factors: the low-energy shift (if any), the correlated components, then
 * the statistical bins isotope by isotope. */
double nuem_band_factor(const nuem_source *src, size_t k, double E) {
  if (E <= 0 || E > src->e_max) return 0.0;
  if (src->ncov) {
    long a = covariance_bin(src, E);
    return a < 0 ? 0.0 : nuem_source_flux(src, E) * src->cov_factor[a * (long)src->ncov + (long)k];
  }
  int low = band_known(src, 1.0), high = E >= LOW_HIGH_BOUNDARY;
  if (low && k == 0) return high ? 0.0 : band_shift(src, 0, E);
  int comp[NUEM_BAND_NCOMP], iso[NUEM_NFISSION];
  size_t ncorr = correlated_components(src, comp), j = k - (size_t)low;
  if (j < ncorr) return high ? band_shift(src, comp[j], E) : 0.0;
  stat_isotopes(src, iso);
  j -= ncorr;
  double lo, hi;
  stat_bin(src, j % src->nhigh, &lo, &hi);
  return E >= lo && E < hi ? stat_shift(src, iso[j / src->nhigh], E) : 0.0;
}

size_t nuem_band_breaks(const nuem_source *src, double *out, size_t cap) {
  size_t n = 0;
  if (n < cap) out[n++] = LOW_HIGH_BOUNDARY;
  for (size_t a = 0; src->ncov && a <= src->ncov && n < cap; a++) out[n++] = src->cov_edges[a];
  for (size_t k = 0; !src->ncov && src->nhigh > 1 && k < src->nhigh && n + 2 <= cap; k++)
    stat_bin(src, k, &out[n], &out[n + 1]), n += 2;
  return n;
}

/* ---- neutron capture: 238U(n,g)239U -> 239Np -> 239Pu ------------------- */

static double capture_spectrum(const nuem_source *src, double E) {
  double s = 0;
  for (size_t b = 0; b < src->nbranch; b++)
    s += src->branch[b].weight * nuem_beta_shape(&src->branch[b], E);
  return src->captures_per_fission * s;
}

static nuem_status load_capture(nuem_context *ctx, const nuem_config *cfg,
                                nuem_source *src) {
  nuem_table t;
  NUEM_TRY(load_data(ctx, "reactor/capture_u239_np239.dat", &t));
  src->captures_per_fission = nuem_config_number(cfg, NUEM_P_SOURCE_CAPTURES_PER_FISSION);
  src->nbranch = t.nrows;
  src->branch = calloc(t.nrows, sizeof *src->branch);
  if (!src->branch) { nuem_table_free(&t); return NUEM_ENOMEM; }
  nuem_status s = NUEM_OK;
  double sum_by_nuclide[2] = {0, 0};
  for (size_t r = 0; r < t.nrows && !s; r++) {
    nuem_beta_branch *b = &src->branch[r];
    b->nuclide = nuem_table_get(&t, r, 0) == ZA_NP239 ? 1 : 0; /* ZA 92239 / 93239 */
    b->z_daughter = (int)nuem_table_get(&t, r, 1);
    b->mass_number = CAPTURE_A;
    b->endpoint = nuem_table_get(&t, r, 2);
    b->intensity = nuem_table_get(&t, r, 3);
    sum_by_nuclide[b->nuclide] += b->intensity;
    s = nuem_beta_normalise(ctx, b);
  }
  /* Each nuclide emits one antineutrino per decay: intensities sum to 1. */
  for (size_t r = 0; r < t.nrows && !s; r++) {
    nuem_beta_branch *b = &src->branch[r];
    b->weight *= b->intensity / sum_by_nuclide[b->nuclide];
  }
  nuem_table_free(&t);
  return s;
}

/* ---- assembly ------------------------------------------------------------ */

/* A reshaped source's 1 + amplitude shape(E) (nuem_source_reshaped), else 1. */
static double shape_weight(const nuem_source *src, double E) {
  return src->shape ? 1 + src->shape_amplitude * nuem_interp_eval(src->shape, E) : 1.0;
}

double nuem_reactor_flux_components(const nuem_source *src, double E,
                                    double comp[NUEM_NCOMPONENTS]) {
  double total = 0;
  for (int i = 0; i < NUEM_NCOMPONENTS; i++) comp[i] = 0;
  if (E <= 0 || E > src->e_max) return 0.0;
  for (int i = 0; i < NUEM_NFISSION; i++) {
    if (src->fractions[i] == 0) continue;
    comp[i] = src->scale * src->fission_flux * src->fractions[i] *
              nuem_source_per_fission_spectrum(src, i, E);
    total += comp[i];
  }
  if (src->nbranch) {
    comp[NUEM_COMPONENT_CAPTURE] = src->scale * src->fission_flux * capture_spectrum(src, E);
    total += comp[NUEM_COMPONENT_CAPTURE];
  }
  double w = shape_weight(src, E);
  for (int i = 0; w != 1 && i < NUEM_NCOMPONENTS; i++) comp[i] *= w;
  return w * total;
}

double nuem_reactor_flux(const nuem_source *src, double E) {
  if (E <= 0 || E > src->e_max) return 0.0;
  double phi = 0;
  if (E < LOW_HIGH_BOUNDARY) {
    for (int i = 0; i < NUEM_NFISSION; i++)
      if (src->fractions[i] != 0)
        phi += src->fractions[i] * low_energy_spectrum(src, i, E);
    if (src->nbranch) phi += capture_spectrum(src, E);
  } else {
    for (int i = 0; i < NUEM_NFISSION; i++)
      if (src->fractions[i] != 0)
        phi += src->fractions[i] * high_energy_spectrum(src, i, E);
  }
  return shape_weight(src, E) * src->scale * src->fission_flux * phi;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static nuem_status build_knots(nuem_source *src) {
  size_t cap = src->nlow + src->nbranch + 3;
  src->knots = malloc(cap * sizeof *src->knots);
  if (!src->knots) return NUEM_ENOMEM;
  size_t n = 0;
  src->knots[n++] = 0.0;
  if (src->low_model != NUEM_LOW_FLAT)
    for (size_t i = 0; i < src->nlow; i++) src->knots[n++] = src->low_e[i];
  src->knots[n++] = LOW_HIGH_BOUNDARY;
  for (size_t b = 0; b < src->nbranch; b++) src->knots[n++] = src->branch[b].endpoint;
  src->knots[n++] = src->e_max;
  qsort(src->knots, n, sizeof *src->knots, compare_double);
  size_t m = 0; /* unique, within the support */
  for (size_t i = 0; i < n; i++)
    if (src->knots[i] <= src->e_max && (m == 0 || src->knots[i] > src->knots[m - 1]))
      src->knots[m++] = src->knots[i];
  src->nknots = m;
  return NUEM_OK;
}

/* ---- the site: cores, their fuel and its evolution ------------------------
 * The flux is linear in the fractions, so a site of cores, each with its own
 * fuel (fixed fractions or a cycle table), is exactly one spectrum with the
 * fission-flux weighted fractions (docs/physics.md, "Several cores" and
 * "Fuel evolution"): nothing changes in evaluation or planning. */

/* A core's fuel over the run: the fission-rate weighted fractions, and the
 * mean fissions per unit of nominal thermal energy [1/MeV] (1/<energy per
 * fission> at full power; lower when the reactor is OFF part of the time). */
typedef struct {
  double fractions[NUEM_NFISSION];
  double fissions_per_energy;
} core_fuel;

static double energy_per_fission(const double efis[NUEM_NFISSION], const double f[NUEM_NFISSION]) {
  double e = 0;
  for (int i = 0; i < NUEM_NFISSION; i++) e += f[i] * efis[i];
  return e;
}

static void fixed_fuel(const double efis[NUEM_NFISSION], const double f[NUEM_NFISSION],
                       core_fuel *out) {
  for (int i = 0; i < NUEM_NFISSION; i++) out->fractions[i] = f[i];
  out->fissions_per_energy = 1.0 / energy_per_fission(efis, f);
}

/* The fractions and relative power of a cycle table at row r. */
static void cycle_row(const nuem_table *t, size_t r, const long col[NUEM_NFISSION], long power_col,
                      double f[NUEM_NFISSION], double *power) {
  for (int i = 0; i < NUEM_NFISSION; i++) f[i] = nuem_table_get(t, r, (size_t)col[i]);
  *power = power_col < 0 ? 1.0 : nuem_table_get(t, r, (size_t)power_col);
}

/* Check a cycle table: a first column day or burnup increasing strictly, the
 * four fraction columns in [0, 1] summing to 1 in every row, power >= 0 (only
 * with day: burn-up does not advance while the reactor is OFF). */
static nuem_status check_cycle(nuem_context *ctx, const nuem_table *t, long col[NUEM_NFISSION],
                               long *power_col) {
  const char *x = t->ncols ? t->names[0] : "";
  if (strcmp(x, "day") != 0 && strcmp(x, "burnup") != 0)
    return nuem_error(ctx, NUEM_EPARSE, "%s: a cycle table's first column must be day or "
                      "burnup (found '%s'); see docs/physics.md, \"Fuel evolution\"", t->origin, x);
  if (t->nrows < 2)
    return nuem_error(ctx, NUEM_EPARSE, "%s: a cycle table needs at least two rows", t->origin);
  NUEM_TRY(nuem_table_check_column(ctx, t, 0, 1, 0));
  for (int i = 0; i < NUEM_NFISSION; i++) {
    col[i] = nuem_table_column(t, fission_names[i]);
    if (col[i] < 0)
      return nuem_error(ctx, NUEM_EPARSE, "%s: the cycle table has no column %s (it needs "
                        "U235 U238 Pu239 Pu241)", t->origin, fission_names[i]);
    NUEM_TRY(nuem_table_check_column(ctx, t, (size_t)col[i], 0, 1));
  }
  *power_col = nuem_table_column(t, "power");
  if (*power_col >= 0 && strcmp(x, "burnup") == 0)
    return nuem_error(ctx, NUEM_EPARSE, "%s: a power column needs time (day), not burnup: "
                      "burn-up does not advance while the reactor is OFF", t->origin);
  if (*power_col >= 0) NUEM_TRY(nuem_table_check_column(ctx, t, (size_t)*power_col, 0, 1));
  for (size_t r = 0; r < t->nrows; r++) {
    double f[NUEM_NFISSION], power, sum = 0;
    cycle_row(t, r, col, *power_col, f, &power);
    char what[160];
    snprintf(what, sizeof what, "%s, data row %zu", t->origin, r + 1);
    for (int i = 0; i < NUEM_NFISSION; i++) {
      if (f[i] > 1)
        return nuem_error(ctx, NUEM_ERANGE, "%s: the fraction of %s must lie in [0, 1], got %g",
                          what, fission_names[i], f[i]);
      sum += f[i];
    }
    NUEM_TRY(nuem_fractions_check_sum(ctx, what, sum));
  }
  return NUEM_OK;
}

/* The fuel of a cycle table: fractions and power linear between the rows,
 * the fission rate P(t)/<e>(t) averaged over the table's span (OFF time
 * included), the fractions weighted by it. 5-point Gauss-Legendre per
 * segment: the integrands are ratios of linear functions whose denominator
 * varies by ~1 %, so the rule is exact to ~1e-12. */
static nuem_status cycle_fuel(nuem_context *ctx, const char *path,
                              const double efis[NUEM_NFISSION], core_fuel *out) {
  static const double gl_x[5] = {-0.9061798459386640, -0.5384693101056831, 0.0,
                                 0.5384693101056831, 0.9061798459386640};
  static const double gl_w[5] = {0.2369268850561891, 0.4786286704993665, 0.5688888888888889,
                                 0.4786286704993665, 0.2369268850561891};
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  long col[NUEM_NFISSION] = {0}, power_col = -1;
  nuem_status s = check_cycle(ctx, &t, col, &power_col);
  double rate = 0, weighted[NUEM_NFISSION] = {0};
  for (size_t r = 0; !s && r + 1 < t.nrows; r++) {
    double f0[NUEM_NFISSION], f1[NUEM_NFISSION], p0, p1;
    cycle_row(&t, r, col, power_col, f0, &p0);
    cycle_row(&t, r + 1, col, power_col, f1, &p1);
    double half = 0.5 * (nuem_table_get(&t, r + 1, 0) - nuem_table_get(&t, r, 0));
    for (int k = 0; k < 5; k++) {
      double u = 0.5 * (1 + gl_x[k]), f[NUEM_NFISSION];
      for (int i = 0; i < NUEM_NFISSION; i++) f[i] = f0[i] + u * (f1[i] - f0[i]);
      double r_k = half * gl_w[k] * (p0 + u * (p1 - p0)) / energy_per_fission(efis, f);
      rate += r_k;
      for (int i = 0; i < NUEM_NFISSION; i++) weighted[i] += r_k * f[i];
    }
  }
  double span = t.nrows ? nuem_table_get(&t, t.nrows - 1, 0) - nuem_table_get(&t, 0, 0) : 0;
  if (!s && !(rate > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "%s: the reactor is OFF (power 0) over the whole cycle",
                   t.origin);
  for (int i = 0; !s && i < NUEM_NFISSION; i++) out->fractions[i] = weighted[i] / rate;
  if (!s) out->fissions_per_energy = rate / span;
  nuem_table_free(&t);
  return s;
}

/* The fuel of a core without its own: source.cycle, else source.fractions.
 * Both given is an error (the cycle replaces the fractions). */
static nuem_status default_fuel(nuem_context *ctx, const nuem_config *cfg,
                                const double efis[NUEM_NFISSION], core_fuel *out) {
  const char *cycle = nuem_config_text(cfg, NUEM_P_SOURCE_CYCLE);
  if (!cycle || !*cycle) {
    double f[NUEM_NFISSION];
    for (int i = 0; i < NUEM_NFISSION; i++) {
      f[i] = nuem_config_fraction(cfg, NUEM_P_SOURCE_FRACTIONS, fission_names[i]);
      if (isnan(f[i]))
        return nuem_error(ctx, NUEM_EINTERNAL, "internal error: source.fractions has no "
                          "name %s", fission_names[i]);
    }
    fixed_fuel(efis, f, out);
    return NUEM_OK;
  }
  if (nuem_config_given(cfg, NUEM_P_SOURCE_FRACTIONS))
    return nuem_error(ctx, NUEM_ECONFIG, "source.cycle is given: leave out source.fractions "
                      "(the cycle table carries the fractions)");
  return cycle_fuel(ctx, cycle, efis, out);
}

/* A core's own fuel in source.cores: 'cycle:FILE' or NAME:fraction pairs. */
static nuem_status core_own_fuel(nuem_context *ctx, const char *text, size_t index,
                                 const double efis[NUEM_NFISSION], core_fuel *out) {
  text += strspn(text, " \t");
  if (strncmp(text, "cycle:", 6) == 0) {
    char path[NUEM_CONFIG_MAX_LINE + 1];
    const char *p = text + 6 + strspn(text + 6, " \t");
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    memcpy(path, p, n);
    path[n] = '\0';
    return cycle_fuel(ctx, path, efis, out);
  }
  char what[64];
  snprintf(what, sizeof what, "source.cores, core %zu", index);
  nuem_fractions f;
  NUEM_TRY(nuem_config_parse_fractions(ctx, NUEM_P_SOURCE_FRACTIONS, text, what, &f));
  double fr[NUEM_NFISSION];
  for (int i = 0; i < NUEM_NFISSION; i++) fr[i] = f.values[i]; /* the key's name order */
  fixed_fuel(efis, fr, out);
  return NUEM_OK;
}

/* One 'POWER @ DISTANCE [FUEL]' entry of source.cores (n characters of
 * text, the index-th core): FUEL begins at the first word with a ':'. */
static nuem_status parse_core(nuem_context *ctx, const nuem_config *cfg, const char *text,
                              size_t n, size_t index, const double efis[NUEM_NFISSION],
                              double *power, double *distance, core_fuel *fuel) {
  char buf[NUEM_CONFIG_MAX_LINE + 1];
  if (n > NUEM_CONFIG_MAX_LINE) n = NUEM_CONFIG_MAX_LINE;
  memcpy(buf, text, n);
  buf[n] = '\0';
  char *at = strchr(buf, '@');
  if (!at || strchr(at + 1, '@'))
    return nuem_error(ctx, NUEM_ECONFIG, "source.cores: '%s' is not 'POWER @ DISTANCE "
                      "[FUEL]' (e.g. '2.9 GW @ 28 m')", buf);
  *at = '\0';
  char *own = strchr(at + 1, ':');
  if (own) { /* back to the start of the word that holds the ':' */
    while (own > at + 1 && own[-1] != ' ' && own[-1] != '\t') own--;
    if (own == at + 1)
      return nuem_error(ctx, NUEM_ECONFIG, "source.cores, core %zu: no distance before "
                        "'%s'", index, own);
    own[-1] = '\0';
  }
  NUEM_TRY(nuem_quantity_parse(ctx, buf, "GW", "source.cores power", power));
  NUEM_TRY(nuem_quantity_parse(ctx, at + 1, "m", "source.cores distance", distance));
  if (!(*power > 0) || !(*distance > 0))
    return nuem_error(ctx, NUEM_ERANGE, "source.cores, core %zu: '%s@%s' needs a positive "
                      "power and a positive distance", index, buf, at + 1);
  return own ? core_own_fuel(ctx, own, index, efis, fuel) : default_fuel(ctx, cfg, efis, fuel);
}

/* Add a core to the site: its fissions per second, per cm2 at the detector,
 * and its fractions weighted by the latter (normalised in site_fissions). */
static void add_core(nuem_source *src, double power, double distance, const core_fuel *fuel) {
  double rate = power * fuel->fissions_per_energy;
  double flux = rate / (4.0 * NUEM_PI * distance * distance);
  src->fission_rate += rate;
  src->fission_flux += flux;
  for (int i = 0; i < NUEM_NFISSION; i++) src->fractions[i] += flux * fuel->fractions[i];
}

/* Fissions per second and per cm2 at the detector, and the site's fractions,
 * summed over the cores of source.cores, or the one core of source.power and
 * source.distance (docs/physics.md, "Several cores"). efis in MeV. */
static nuem_status site_fissions(nuem_context *ctx, const nuem_config *cfg,
                                 const double efis[NUEM_NFISSION], nuem_source *src) {
  const char *cores = nuem_config_text(cfg, NUEM_P_SOURCE_CORES);
  src->fission_rate = src->fission_flux = 0;
  for (int i = 0; i < NUEM_NFISSION; i++) src->fractions[i] = 0;
  core_fuel fuel;
  if (!cores || !*cores) {
    NUEM_TRY(default_fuel(ctx, cfg, efis, &fuel));
    add_core(src, nuem_config_number(cfg, NUEM_P_SOURCE_POWER),
             nuem_config_number(cfg, NUEM_P_SOURCE_DISTANCE), &fuel);
  } else {
    if (nuem_config_given(cfg, NUEM_P_SOURCE_POWER) ||
        nuem_config_given(cfg, NUEM_P_SOURCE_DISTANCE))
      return nuem_error(ctx, NUEM_ECONFIG, "source.cores is given: leave out source.power "
                        "and source.distance (each core carries its own)");
    size_t index = 1;
    for (const char *p = cores; *p; index++) {
      size_t n = strcspn(p, ",");
      double power, distance;
      NUEM_TRY(parse_core(ctx, cfg, p, n, index, efis, &power, &distance, &fuel));
      add_core(src, power, distance, &fuel);
      p += n;
      if (*p == ',' && !*(p + 1 + strspn(p + 1, " \t")))
        return nuem_error(ctx, NUEM_ECONFIG, "source.cores: '%s' ends with a comma", cores);
      if (*p == ',') p++;
    }
  }
  for (int i = 0; i < NUEM_NFISSION; i++) src->fractions[i] /= src->fission_flux;
  return NUEM_OK;
}

/* The energy released per fission of each isotope [MeV], by the
 * source.energy_per_fission choice (a column of the data file). */
static nuem_status load_energy_per_fission(nuem_context *ctx, const nuem_config *cfg,
                                           double efis[NUEM_NFISSION]) {
  nuem_table t;
  NUEM_TRY(load_data(ctx, "reactor/energy_per_fission.dat", &t));
  const char *name = nuem_config_choice_name(cfg, NUEM_P_SOURCE_ENERGY_PER_FISSION);
  long c = nuem_table_column(&t, name);
  nuem_status s = c < 1 ? nuem_error(ctx, NUEM_EINTERNAL, "reactor/energy_per_fission.dat "
                                     "has no column %s", name) : NUEM_OK;
  for (int i = 0; !s && i < NUEM_NFISSION; i++) {
    long r = find_row(&t, fission_za[i]);
    if (r < 0) s = nuem_error(ctx, NUEM_EINTERNAL, "reactor/energy_per_fission.dat has no "
                              "ZA %d", fission_za[i]);
    else efis[i] = nuem_table_get(&t, (size_t)r, (size_t)c);
  }
  nuem_table_free(&t);
  return s;
}

nuem_status nuem_reactor_init(nuem_context *ctx, const nuem_config *cfg,
                              nuem_source *src) {
  src->type = NUEM_SOURCE_REACTOR;
  src->e_max = nuem_config_number(cfg, NUEM_P_SOURCE_E_MAX);
  if (src->e_max <= LOW_HIGH_BOUNDARY || src->e_max > E_MAX_LIMIT)
    return nuem_error(ctx, NUEM_ERANGE,
                      "source.e_max = %g MeV: must lie in (2, 12] MeV (the "
                      "spectrum fits are valid to about 8 MeV)", src->e_max);
  double efis[NUEM_NFISSION];
  NUEM_TRY(load_energy_per_fission(ctx, cfg, efis));
  NUEM_TRY(site_fissions(ctx, cfg, efis, src));

  int high_model;
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_SOURCE_HIGH_ENERGY, high_energy_models,
                                  &high_model));
  NUEM_TRY(load_high_energy(ctx, high_model, src));
  static const nuem_choice low_energy_models[] = {{"vogel-engel", NUEM_LOW_VOGEL_ENGEL},
                                                  {"perisse-2023", NUEM_LOW_PERISSE_2023},
                                                  {"flat", NUEM_LOW_FLAT}};
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_SOURCE_LOW_ENERGY, low_energy_models,
                                  &src->low_model));
  if (src->low_model != NUEM_LOW_FLAT) NUEM_TRY(load_low_energy(ctx, src));
  if (src->low_model == NUEM_LOW_PERISSE_2023) NUEM_TRY(load_low_energy_uncertainty(ctx, src));
  NUEM_TRY(load_high_energy_uncertainty(ctx, high_model, src));
  const char *covariance = nuem_config_text(cfg, NUEM_P_SOURCE_BAND_COVARIANCE);
  if (covariance && *covariance) NUEM_TRY(load_band_covariance(ctx, covariance, src));
  if (nuem_config_choice_is(cfg, NUEM_P_SOURCE_CAPTURE, "on"))
    NUEM_TRY(load_capture(ctx, cfg, src));
  else
    src->captures_per_fission = 0;
  NUEM_TRY(build_knots(src));
  src->e_min = 0.0;
  return NUEM_OK;
}

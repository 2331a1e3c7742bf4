/* The response matrix: true electron-equivalent energy bins -> measured bins. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/response.h"

#define NSIGMA 8.0 /* Gaussian tails beyond 8 sigma (6e-16) are dropped */
/* True bins: TRUE_BINS_PER_SIGMA per resolution sigma (the matrix then
 * reproduces a Gaussian line's width to < 1e-3), at least MIN_TRUE_BIN_MEV
 * (0.1 eV) wide, at most MAX_TRUE_BINS (memory guard). Edges closer than
 * EDGE_MERGE_REL relative are one edge. Imported probabilities may exceed 1
 * by PROBABILITY_ROUNDING (printed digits). */
#define TRUE_BINS_PER_SIGMA 4.0
#define MIN_TRUE_BIN_MEV 1e-7
#define MAX_TRUE_BINS 5000000
#define EDGE_MERGE_REL 1e-12
#define PROBABILITY_ROUNDING 1e-9

static double normal_cdf(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

/* ∫_a^b eff(x) Gauss(x; E, sigma) dx by Gauss-Legendre on pieces <= sigma
 * (8-point nodes +-x8 and weights w8: Abramowitz & Stegun, Table 25.4). */
static double smeared_efficiency(const nuem_detector *d, double E, double sigma,
                                 double a, double b) {
  static const double x8[4] = {0.1834346424956498, 0.5255324099163290,
                               0.7966664774136267, 0.9602898564975363};
  static const double w8[4] = {0.3626837833783620, 0.3137066458778873,
                               0.2223810344533745, 0.1012285362903763};
  int pieces = (int)ceil((b - a) / sigma);
  if (pieces < 1) pieces = 1;
  double h = (b - a) / pieces, sum = 0;
  for (int k = 0; k < pieces; k++) {
    double mid = a + (k + 0.5) * h, half = 0.5 * h;
    for (int i = 0; i < 4; i++)
      for (int sgn = -1; sgn <= 1; sgn += 2) {
        double x = mid + sgn * half * x8[i], z = (x - E) / sigma;
        sum += w8[i] * half * nuem_detector_efficiency(d, x) * exp(-0.5 * z * z);
      }
  }
  return sum / (sigma * sqrt(2.0 * NUEM_PI));
}

void nuem_response_row(const nuem_detector *d, double E_true, const double *edges,
                       size_t nmeas, double *row) {
  double E = E_true * nuem_detector_energy_scale(d); /* where it is recorded */
  double sigma = nuem_detector_sigma(d, E), thr = nuem_detector_threshold(d);
  int eff = nuem_detector_has_efficiency(d);
  for (size_t j = 0; j < nmeas; j++) {
    double a = fmax(edges[j], thr), b = edges[j + 1];
    row[j] = 0;
    if (b <= a) continue;
    if (sigma <= 0) { /* no smearing: the bin that holds E */
      row[j] = E >= a && E < b ? nuem_detector_efficiency(d, E) : 0.0;
      continue;
    }
    a = fmax(a, E - NSIGMA * sigma);
    b = fmin(b, E + NSIGMA * sigma);
    if (b <= a) continue;
    row[j] = eff ? smeared_efficiency(d, E, sigma, a, b)
                 : normal_cdf((b - E) / sigma) - normal_cdf((a - E) / sigma);
  }
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* True bins from t_lo: width a quarter of the resolution (and of the
 * narrowest measured bin), with every measured edge and the threshold as
 * edges so that an unsmeared response is exact. */
static nuem_status true_edges(nuem_context *ctx, const nuem_detector *d, double t_lo,
                              const double *meas, size_t nmeas, nuem_response *r) {
  double t_hi = meas[nmeas] + NSIGMA * nuem_detector_sigma(d, meas[nmeas]);
  double narrow = INFINITY;
  for (size_t j = 0; j < nmeas; j++) narrow = fmin(narrow, meas[j + 1] - meas[j]);
  size_t cap = 1024, n = 0;
  double *e = malloc(cap * sizeof *e);
  for (double x = t_lo; e && x < t_hi;) {
    if (n + nmeas + 4 >= cap) {
      double *g = realloc(e, 2 * cap * sizeof *g);
      if (!g) { free(e); e = NULL; break; }
      e = g, cap *= 2;
    }
    e[n++] = x;
    double w = fmin(nuem_detector_sigma(d, x), narrow) / TRUE_BINS_PER_SIGMA;
    x += fmax(w, MIN_TRUE_BIN_MEV);
    if (n > MAX_TRUE_BINS) break;
  }
  if (!e) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the response matrix");
  e[n++] = t_hi;
  for (size_t j = 0; j <= nmeas; j++)
    if (meas[j] > t_lo && meas[j] < t_hi) e[n++] = meas[j];
  double thr = nuem_detector_threshold(d);
  if (isfinite(thr) && thr > t_lo && thr < t_hi) e[n++] = thr;
  qsort(e, n, sizeof *e, compare_double);
  size_t m = 1;
  for (size_t i = 1; i < n; i++)
    if (e[i] > e[m - 1] * (1 + EDGE_MERGE_REL)) e[m++] = e[i];
  r->true_edges = e;
  r->ntrue = m - 1;
  return NUEM_OK;
}

nuem_status nuem_response_build(nuem_context *ctx, const nuem_detector *d,
                                double t_lo, nuem_response *r) {
  const double *meas;
  size_t nmeas = nuem_detector_bins(d, &meas);
  memset(r, 0, sizeof *r);
  if (!nmeas)
    return nuem_error(ctx, NUEM_ECONFIG, "a measured spectrum needs bins: set "
                      "detector.bins (e.g. 0.2keV:2.2keV:20) or detector.bin_edges");
  NUEM_TRY(true_edges(ctx, d, t_lo, meas, nmeas, r));
  nuem_context_count(ctx, NUEM_COUNT_RESPONSES);
  r->nmeas = nmeas;
  r->meas_edges = malloc((nmeas + 1) * sizeof(double));
  r->m = calloc(r->ntrue * nmeas, sizeof(double));
  if (!r->meas_edges || !r->m) {
    nuem_response_free(r);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the response matrix");
  }
  memcpy(r->meas_edges, meas, (nmeas + 1) * sizeof(double));
  for (size_t i = 0; i < r->ntrue; i++)
    nuem_response_row(d, 0.5 * (r->true_edges[i] + r->true_edges[i + 1]), meas, nmeas,
                      &r->m[i * nmeas]);
  return NUEM_OK;
}

void nuem_response_free(nuem_response *r) {
  free(r->true_edges);
  free(r->meas_edges);
  free(r->m);
  memset(r, 0, sizeof *r);
}

void nuem_response_fold(const nuem_response *r, const double *content, double *meas) {
  for (size_t j = 0; j < r->nmeas; j++) meas[j] = 0;
  for (size_t i = 0; i < r->ntrue; i++) {
    if (content[i] == 0) continue;
    const double *row = &r->m[i * r->nmeas];
    for (size_t j = 0; j < r->nmeas; j++) meas[j] += content[i] * row[j];
  }
}

static void write_edges(FILE *out, const char *key, const double *e, size_t n) {
  fprintf(out, "# %s:", key);
  for (size_t i = 0; i < n; i++) fprintf(out, " %.12g", e[i] * 1e3);
  fputc('\n', out);
}

nuem_status nuem_response_write(nuem_context *ctx, FILE *out, const nuem_response *r) {
  fprintf(out, "# nuem %s response matrix: row i = true electron-equivalent energy bin,\n"
               "# column j = measured bin; entry = probability that an event in true bin\n"
               "# i is recorded in measured bin j (resolution, efficiency, threshold).\n"
               "# Use it with detector.response_matrix = FILE.\n", nuem_version());
  fprintf(out, "# edge_unit: keV\n");
  write_edges(out, "true_edges", r->true_edges, r->ntrue + 1);
  write_edges(out, "measured_edges", r->meas_edges, r->nmeas + 1);
  for (size_t i = 0; i < r->ntrue; i++) {
    for (size_t j = 0; j < r->nmeas; j++) {
      double v = r->m[i * r->nmeas + j];
      fprintf(out, v == 0 ? "%s0" : "%s%.12g", j ? " " : "", v);
    }
    fputc('\n', out);
  }
  if (fflush(out) || ferror(out))
    return nuem_error(ctx, NUEM_EFILE, "writing the response matrix failed");
  return NUEM_OK;
}

/* Edges from a directive: increasing numbers in keV. */
static nuem_status parse_edge_list(nuem_context *ctx, const nuem_table *t, const char *key,
                                   double **edges, size_t *n) {
  const char *text = nuem_table_directive(t, key);
  if (!text)
    return nuem_error(ctx, NUEM_EPARSE, "%s: no '# %s:' line; export the matrix with "
                      "`nuem response`", t->origin, key);
  nuem_table row;
  nuem_status s = nuem_table_parse(ctx, text, strlen(text), key, &row);
  if (s) return nuem_error(ctx, NUEM_EPARSE, "%s: the %s line is not a list of numbers",
                           t->origin, key);
  *n = row.ncols;
  *edges = malloc(row.ncols * sizeof(double));
  for (size_t i = 0; *edges && i < row.ncols; i++) {
    (*edges)[i] = row.data[i] * 1e-3;
    if (i && !((*edges)[i] > (*edges)[i - 1]))
      s = nuem_error(ctx, NUEM_EPARSE, "%s: the %s must increase strictly", t->origin, key);
    else if ((*edges)[i] < 0 && strcmp(key, "true_edges") == 0) /* noise: measured may */
      s = nuem_error(ctx, NUEM_ERANGE, "%s: the true_edges cannot be negative", t->origin);
  }
  if (!*edges) s = NUEM_ENOMEM;
  nuem_table_free(&row);
  return s;
}

/* An event in a true bin is recorded at most once: its row sums to <= 1. */
static nuem_status check_row_sums(nuem_context *ctx, const nuem_table *t) {
  for (size_t i = 0; i < t->nrows; i++) {
    double sum = 0;
    for (size_t j = 0; j < t->ncols; j++) sum += nuem_table_get(t, i, j);
    if (sum > 1 + 1e-6)
      return nuem_error(ctx, NUEM_ERANGE, "%s: true bin %zu (data row %zu): the "
                        "probabilities sum to %.6g, above 1; an event is recorded at most "
                        "once, so each row must sum to 1 or less", t->origin, i + 1, i + 1,
                        sum);
  }
  return NUEM_OK;
}

nuem_status nuem_response_read(nuem_context *ctx, const char *path, nuem_response *r) {
  memset(r, 0, sizeof *r);
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  size_t nt = 0, nm = 0;
  const char *unit = nuem_table_directive(&t, "edge_unit");
  nuem_status s = unit && strcmp(unit, "keV") == 0
                      ? NUEM_OK
                      : nuem_error(ctx, NUEM_EUNIT, "%s: needs '# edge_unit: keV'", path);
  if (!s) s = parse_edge_list(ctx, &t, "true_edges", &r->true_edges, &nt);
  if (!s) s = parse_edge_list(ctx, &t, "measured_edges", &r->meas_edges, &nm);
  if (!s && (nt < 2 || nm < 2 || t.nrows != nt - 1 || t.ncols != nm - 1))
    s = nuem_error(ctx, NUEM_EPARSE, "%s: the matrix is %zu x %zu but its edges give %zu true "
                   "and %zu measured bins; the shape must match the edges", path, t.nrows,
                   t.ncols, nt ? nt - 1 : 0, nm ? nm - 1 : 0);
  for (size_t i = 0; !s && i < t.nrows * t.ncols; i++)
    if (t.data[i] < 0 || t.data[i] > 1 + PROBABILITY_ROUNDING)
      s = nuem_error(ctx, NUEM_ERANGE, "%s: data row %zu: probability %g outside [0, 1]",
                     path, i / t.ncols + 1, t.data[i]);
  if (!s) s = check_row_sums(ctx, &t);
  if (!s) {
    r->ntrue = nt - 1;
    r->nmeas = nm - 1;
    r->m = t.data;
    t.data = NULL;
  }
  nuem_table_free(&t);
  if (s) nuem_response_free(r);
  return s;
}

/* Resolution, efficiency, threshold, bins and exposure of a detector. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/response.h"

enum { RES_FORMULA, RES_TABLE, RES_SQRT_LINEAR };
enum { EFF_NONE, EFF_ERF, EFF_TABLE };
static const nuem_choice resolution_models[] = {
    {"formula", RES_FORMULA}, {"table", RES_TABLE}, {"sqrt-linear", RES_SQRT_LINEAR}};
static const nuem_choice efficiency_models[] = {
    {"none", EFF_NONE}, {"erf", EFF_ERF}, {"table", EFF_TABLE}};
enum { MAX_BINS = 100000 };

struct nuem_detector {
  int resolution;
  double sigma0, fano, pair_energy;
  double res_a, res_b; /* sqrt-linear: a in sqrt(MeV), b dimensionless */
  nuem_interp *res_table;
  int efficiency;
  double eff_threshold, eff_width, eff_plateau;
  nuem_interp *eff_table;
  double threshold, energy_scale;
  size_t nbins;
  double *edges;
  double exposure, exposure_off;
};

/* A two-column table E, y with an energy first column and y in [lo, hi],
 * linear between the points. Outside the table the end value holds: a
 * resolution or efficiency measured at the ends is the best estimate beyond
 * them (the efficiency table must also cover the bins, checked at init). */
static nuem_status load_lin_table(nuem_context *ctx, const char *key, const char *path,
                                  const char *y_unit, double lo, double hi,
                                  nuem_interp **out) {
  if (!*path)
    return nuem_error(ctx, NUEM_ECONFIG, "detector.%s is needed for this model: a file "
                      "with columns E and the value, '# units: keV %s'", key, y_unit);
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  nuem_unit y;
  nuem_unit_parse(ctx, y_unit, "", &y);
  char what[64];
  snprintf(what, sizeof what, "a detector.%s", key);
  nuem_status s = nuem_table_check_xy(ctx, &t, "keV", y_unit, 1, 2, what);
  for (size_t r = 0; !s && r < t.nrows; r++) {
    double v = nuem_table_get(&t, r, 1);
    if (v < lo || v > hi)
      s = nuem_error(ctx, NUEM_ERANGE, "%s: data row %zu: %g lies outside [%g, %g]",
                     path, r + 1, v / y.factor, lo / y.factor, hi / y.factor);
  }
  if (!s) s = nuem_interp_from_table(ctx, &t, 0, 1, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP, out);
  nuem_table_free(&t);
  return s;
}

static nuem_status bad_bins(nuem_context *ctx, const char *key, const char *text,
                            const char *why) {
  return nuem_error(ctx, NUEM_ECONFIG, "detector.%s = '%s': %s", key, text, why);
}

/* "LO:HI:N" with units on LO and HI. */
static nuem_status parse_bins(nuem_context *ctx, const char *text, nuem_detector *d) {
  char lo_s[64], hi_s[64], n_s[32];
  if (sscanf(text, " %63[^:]:%63[^:]:%31s", lo_s, hi_s, n_s) != 3)
    return bad_bins(ctx, "bins", text, "write LO:HI:N, e.g. 0.2keV:2.2keV:20");
  double lo, hi;
  NUEM_TRY(nuem_quantity_parse(ctx, lo_s, "keV", "detector.bins (lower edge)", &lo));
  NUEM_TRY(nuem_quantity_parse(ctx, hi_s, "keV", "detector.bins (upper edge)", &hi));
  char *end;
  long n = strtol(n_s, &end, 10);
  if (*end || n < 1 || n > MAX_BINS) /* a guard against typos, not a physics limit */
    return bad_bins(ctx, "bins", text, "N must be a whole number from 1 to 100000");
  if (!(hi > lo)) return bad_bins(ctx, "bins", text, "the upper edge must exceed the lower");
  d->nbins = (size_t)n;
  if (!(d->edges = malloc((d->nbins + 1) * sizeof(double)))) return NUEM_ENOMEM;
  for (size_t i = 0; i <= d->nbins; i++) d->edges[i] = lo + (hi - lo) * (double)i / (double)n;
  return NUEM_OK;
}

/* "0.2 0.5 1 2 keV": numbers, then one energy unit. */
static nuem_status parse_edges(nuem_context *ctx, const char *text, nuem_detector *d) {
  size_t cap = 16, n = 0;
  double *e = malloc(cap * sizeof *e);
  const char *p = text;
  while (e) {
    while (isspace((unsigned char)*p)) p++;
    char *end;
    errno = 0;
    double x = strtod(p, &end);
    if (end == p) break;
    if (!isfinite(x) || errno) { free(e); return bad_bins(ctx, "bin_edges", text, "not a finite number"); }
    if (n == cap) {
      double *g = realloc(e, 2 * cap * sizeof *g);
      if (!g) { free(e); return NUEM_ENOMEM; }
      e = g, cap *= 2;
    }
    e[n++] = x;
    p = end;
  }
  if (!e) return NUEM_ENOMEM;
  nuem_unit u;
  nuem_status s = n < 2 ? bad_bins(ctx, "bin_edges", text, "give at least two edges")
                        : nuem_unit_parse(ctx, p, "detector.bin_edges (the unit after the "
                                                  "numbers, e.g. '0.2 0.5 1 keV')", &u);
  nuem_unit kev;
  nuem_unit_parse(ctx, "keV", "", &kev);
  if (!s && !nuem_dim_equal(u.dim, kev.dim))
    s = bad_bins(ctx, "bin_edges", text, "the unit must be an energy");
  for (size_t i = 0; !s && i < n; i++) {
    e[i] *= u.factor;
    if (i && !(e[i] > e[i - 1]))
      s = bad_bins(ctx, "bin_edges", text, "the edges must increase strictly");
  }
  if (s) { free(e); return s; }
  d->edges = e;
  d->nbins = n - 1;
  return NUEM_OK;
}

/* A threshold at or above the last bin edge empties every bin, and a
 * response matrix has its threshold built in: both would mislead silently. */
/* A threshold at or above the last bin edge empties every bin. */
static nuem_status check_threshold_bins(nuem_context *ctx, const nuem_detector *d) {
  if (d->nbins && d->threshold >= d->edges[d->nbins])
    return nuem_error(ctx, NUEM_ERANGE, "detector.threshold = %g keV lies at or above the "
                      "last bin edge (%g keV), so every bin would be empty; lower the "
                      "threshold or extend the bins", d->threshold * 1e3,
                      d->edges[d->nbins] * 1e3);
  return NUEM_OK;
}

static nuem_status check_threshold(nuem_context *ctx, const nuem_config *cfg,
                                   const nuem_detector *d) {
  if (!nuem_config_is_set(cfg, NUEM_P_DETECTOR_THRESHOLD)) return NUEM_OK;
  if (*nuem_config_text(cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX))
    return nuem_error(ctx, NUEM_ECONFIG, "detector.threshold is built into "
                      "detector.response_matrix; remove detector.threshold");
  return check_threshold_bins(ctx, d);
}

/* sigma = a sqrt(E) + b E, the form liquid-xenon TPCs quote (XENON1T,
 * PRD 102, 072004 (2020), arXiv:2006.09721; docs/physics.md, "Detector
 * response"). a is given in sqrt(keV) as a plain number, so a sqrt(E/keV)
 * keV = a sqrt(E keV): stored as a sqrt(1e-3 MeV) for E in MeV. */
static nuem_status sqrt_linear(nuem_context *ctx, const nuem_config *cfg, nuem_detector *d) {
  if (!nuem_config_is_set(cfg, NUEM_P_DETECTOR_RESOLUTION_A) ||
      !nuem_config_is_set(cfg, NUEM_P_DETECTOR_RESOLUTION_B))
    return nuem_error(ctx, NUEM_ECONFIG, "detector.resolution = sqrt-linear needs "
                      "detector.resolution_a (sqrt(keV), e.g. 0.310) and "
                      "detector.resolution_b (e.g. 0.0037); there is no default");
  d->res_a = nuem_config_number(cfg, NUEM_P_DETECTOR_RESOLUTION_A) * sqrt(1e-3);
  d->res_b = nuem_config_number(cfg, NUEM_P_DETECTOR_RESOLUTION_B);
  if (d->res_a == 0 && d->res_b == 0)
    return nuem_error(ctx, NUEM_ERANGE, "detector.resolution_a and resolution_b are both 0: "
                      "use resolution = formula with sigma0 = 0 for no smearing");
  return NUEM_OK;
}

/* The efficiency table must cover the bins unless clamping is asked for. */
static nuem_status check_efficiency_cover(nuem_context *ctx, const nuem_config *cfg,
                                          const nuem_detector *d) {
  if (d->efficiency != EFF_TABLE || !d->nbins ||
      nuem_config_choice_is(cfg, NUEM_P_DETECTOR_TABLE_EXTRAPOLATION, "clamp"))
    return NUEM_OK;
  if (nuem_interp_covers(d->eff_table, d->edges[0]) &&
      nuem_interp_covers(d->eff_table, d->edges[d->nbins]))
    return NUEM_OK;
  return nuem_error(ctx, NUEM_ERANGE, "the efficiency table covers %g to %g keV but the bins "
                    "span %g to %g keV; extend the table, or set detector.table_extrapolation "
                    "= clamp to hold its end values", nuem_interp_x_min(d->eff_table) * 1e3,
                    nuem_interp_x_max(d->eff_table) * 1e3, d->edges[0] * 1e3,
                    d->edges[d->nbins] * 1e3);
}

nuem_status nuem_detector_init(nuem_context *ctx, const nuem_config *cfg,
                               nuem_detector **out) {
  nuem_detector *d = calloc(1, sizeof *d);
  if (!d) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  nuem_status s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_RESOLUTION,
                                         resolution_models, &d->resolution);
  if (!s) s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_EFFICIENCY, efficiency_models,
                                     &d->efficiency);
  if (s) {
    nuem_detector_free(d);
    return s;
  }
  if (d->resolution == RES_FORMULA) {
    d->sigma0 = nuem_config_number(cfg, NUEM_P_DETECTOR_SIGMA0);
    d->fano = nuem_config_number(cfg, NUEM_P_DETECTOR_FANO);
    d->pair_energy = nuem_config_number(cfg, NUEM_P_DETECTOR_PAIR_ENERGY);
  } else if (d->resolution == RES_SQRT_LINEAR) {
    s = sqrt_linear(ctx, cfg, d);
  } else {
    s = load_lin_table(ctx, "resolution_table", nuem_config_text(cfg, NUEM_P_DETECTOR_RESOLUTION_TABLE),
                       "eV", 0, INFINITY, &d->res_table);
  }
  if (!s && d->efficiency == EFF_ERF) {
    d->eff_threshold = nuem_config_number(cfg, NUEM_P_DETECTOR_EFFICIENCY_THRESHOLD);
    d->eff_width = nuem_config_number(cfg, NUEM_P_DETECTOR_EFFICIENCY_WIDTH);
    d->eff_plateau = nuem_config_number(cfg, NUEM_P_DETECTOR_EFFICIENCY_PLATEAU);
    if (d->eff_plateau > 1)
      s = nuem_error(ctx, NUEM_ERANGE, "detector.efficiency_plateau = %g must lie in [0, 1]",
                     d->eff_plateau);
  } else if (!s && d->efficiency == EFF_TABLE) {
    s = load_lin_table(ctx, "efficiency_table", nuem_config_text(cfg, NUEM_P_DETECTOR_EFFICIENCY_TABLE),
                       "1", 0, 1, &d->eff_table);
  }
  d->energy_scale = nuem_config_number(cfg, NUEM_P_DETECTOR_ENERGY_SCALE);
  d->threshold = nuem_config_is_set(cfg, NUEM_P_DETECTOR_THRESHOLD)
                     ? nuem_config_number(cfg, NUEM_P_DETECTOR_THRESHOLD) : -INFINITY;
  const char *bins = nuem_config_text(cfg, NUEM_P_DETECTOR_BINS);
  const char *edges = nuem_config_text(cfg, NUEM_P_DETECTOR_BIN_EDGES);
  if (!s && *bins && *edges)
    s = nuem_error(ctx, NUEM_ECONFIG, "give detector.bins or detector.bin_edges, not both");
  if (!s && *bins) s = parse_bins(ctx, bins, d);
  if (!s && *edges) s = parse_edges(ctx, edges, d);
  if (!s) s = check_threshold(ctx, cfg, d);
  d->exposure = nuem_config_number(cfg, NUEM_P_DETECTOR_EXPOSURE);
  d->exposure_off = nuem_config_number(cfg, NUEM_P_DETECTOR_EXPOSURE_OFF);
  if (!s) s = check_efficiency_cover(ctx, cfg, d);
  if (s) {
    nuem_detector_free(d);
    return s;
  }
  *out = d;
  return NUEM_OK;
}

void nuem_detector_free(nuem_detector *d) {
  if (!d) return;
  nuem_interp_free(d->res_table);
  nuem_interp_free(d->eff_table);
  free(d->edges);
  free(d);
}

double nuem_detector_sigma(const nuem_detector *d, double E) {
  if (d->resolution == RES_TABLE) return nuem_interp_eval(d->res_table, E);
  if (d->resolution == RES_SQRT_LINEAR) return d->res_a * sqrt(E > 0 ? E : 0) + d->res_b * fabs(E);
  double var = d->sigma0 * d->sigma0 + d->fano * d->pair_energy * (E > 0 ? E : 0);
  return sqrt(var);
}

double nuem_detector_efficiency(const nuem_detector *d, double E) {
  if (E < d->threshold) return 0.0;
  switch (d->efficiency) {
  case EFF_ERF:
    return d->eff_plateau * 0.5 * erfc(-(E - d->eff_threshold) / (sqrt(2.0) * d->eff_width));
  case EFF_TABLE:
    return nuem_interp_eval(d->eff_table, E);
  default:
    return 1.0;
  }
}

size_t nuem_detector_bins(const nuem_detector *d, const double **edges) {
  *edges = d->edges;
  return d->nbins;
}

double nuem_detector_exposure(const nuem_detector *d) { return d->exposure; }
double nuem_detector_exposure_off(const nuem_detector *d) { return d->exposure_off; }

int nuem_detector_has_efficiency(const nuem_detector *d) {
  return d->efficiency != EFF_NONE;
}

double nuem_detector_threshold(const nuem_detector *d) { return d->threshold; }

double nuem_detector_energy_scale(const nuem_detector *d) { return d->energy_scale; }

nuem_status nuem_detector_set_energy_scale(nuem_context *ctx, nuem_detector *d, double scale) {
  if (!(scale > 0))
    return nuem_error(ctx, NUEM_ERANGE, "energy scale %g must be positive", scale);
  d->energy_scale = scale;
  return NUEM_OK;
}

nuem_status nuem_detector_set_bins(nuem_context *ctx, nuem_detector *d, const double *edges,
                                   size_t nbins) {
  for (size_t j = 0; j < nbins; j++)
    if (!(edges[j + 1] > edges[j]))
      return nuem_error(ctx, NUEM_ERANGE, "bin edges must increase (edge %zu: %g keV after "
                        "%g keV)", j + 1, edges[j + 1] * 1e3, edges[j] * 1e3);
  double *copy = malloc((nbins + 1) * sizeof *copy);
  if (!copy) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for bin edges");
  memcpy(copy, edges, (nbins + 1) * sizeof *copy);
  free(d->edges);
  d->edges = copy;
  d->nbins = nbins;
  return check_threshold_bins(ctx, d);
}

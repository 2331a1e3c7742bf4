/* Measured spectra: ON/OFF counts with exposures, or residuals with errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/analysis.h"
#include "nuem/constants.h"

/* Adjacent bins must share an edge up to the rounding of printed numbers. */
#define EDGE_MATCH_REL 1e-9
#define EDGE_MATCH_ABS_MEV 1e-15

void nuem_data_free(nuem_data *d) {
  free(d->edges);
  free(d->on);
  free(d->off);
  free(d->residual);
  free(d->sigma);
  free(d->events);
  free(d->origin);
  memset(d, 0, sizeof *d);
}

static double *column_copy(const nuem_table *t, long col) {
  double *v = malloc(t->nrows * sizeof *v);
  for (size_t r = 0; v && r < t->nrows; r++) v[r] = nuem_table_get(t, r, (size_t)col);
  return v;
}

static nuem_status exposure(nuem_context *ctx, const nuem_table *t, const char *key,
                            double *out) {
  const char *text = nuem_table_directive(t, key);
  if (!text)
    return nuem_error(ctx, NUEM_EPARSE, "%s: %s need a '# %s: 242 kg*day' line",
                      t->origin, strcmp(key, "exposure") ? "counts" : "event lists", key);
  char what[256];
  snprintf(what, sizeof what, "%s: %s", t->origin, key);
  double x;
  NUEM_TRY(nuem_quantity_parse(ctx, text, "kg*day", what, &x));
  if (!(x > 0))
    return nuem_error(ctx, NUEM_ERANGE, "%s: %s must be positive (zero exposure holds no "
                      "data)", t->origin, key);
  *out = x / NUEM_SECONDS_PER_DAY; /* kg day */
  return NUEM_OK;
}

/* Bin edges from E_lo/E_hi: contiguous and increasing. */
static nuem_status edges(nuem_context *ctx, const nuem_table *t, long lo, long hi,
                         nuem_data *d) {
  d->nbins = t->nrows;
  if (!(d->edges = malloc((t->nrows + 1) * sizeof(double)))) return NUEM_ENOMEM;
  for (size_t r = 0; r < t->nrows; r++) {
    double a = nuem_table_get(t, r, (size_t)lo), b = nuem_table_get(t, r, (size_t)hi);
    if (!(b > a))
      return nuem_error(ctx, NUEM_EPARSE, "%s: data row %zu: E_hi must exceed E_lo",
                        t->origin, r + 1);
    if (r && fabs(a - d->edges[r]) > EDGE_MATCH_REL * fabs(a) + EDGE_MATCH_ABS_MEV)
      return nuem_error(ctx, NUEM_EPARSE, "%s: data row %zu: bins must be contiguous "
                        "(E_lo = previous E_hi)", t->origin, r + 1);
    d->edges[r] = a;
    d->edges[r + 1] = b;
  }
  return NUEM_OK;
}

static nuem_status check_counts(nuem_context *ctx, const nuem_table *t, const double *c,
                                const char *name) {
  for (size_t r = 0; r < t->nrows; r++)
    if (c[r] < 0 || c[r] != floor(c[r]))
      return nuem_error(ctx, NUEM_ERANGE, "%s: data row %zu: %s counts must be whole "
                        "numbers >= 0, got %g", t->origin, r + 1, name, c[r]);
  return NUEM_OK;
}

/* '# window_lo: 1 keV' and '# window_hi: 30 keV' of an event list. */
static nuem_status window_edge(nuem_context *ctx, const nuem_table *t, const char *key,
                               double *out) {
  const char *text = nuem_table_directive(t, key);
  if (!text)
    return nuem_error(ctx, NUEM_EPARSE, "%s: an event list needs '# window_lo: 1 keV' and "
                      "'# window_hi: 30 keV' lines (the analysis window); '%s' is missing",
                      t->origin, key);
  char what[256];
  snprintf(what, sizeof what, "%s: %s", t->origin, key);
  return nuem_quantity_parse(ctx, text, "keV", what, out);
}

/* An event list (docs/statistics.md, "Data"): one column E of measured
 * energies, the exposure and the analysis window; every event inside it. */
static nuem_status read_events(nuem_context *ctx, const nuem_table *t, long col,
                               nuem_data *d) {
  nuem_unit kev;
  nuem_unit_parse(ctx, "keV", "", &kev);
  if (!nuem_dim_equal(t->units[col].dim, kev.dim))
    return nuem_error(ctx, NUEM_EUNIT, "%s: the event energies E need an energy unit in a "
                      "'# units:' line", t->origin);
  d->mode = NUEM_DATA_EVENTS;
  NUEM_TRY(exposure(ctx, t, "exposure", &d->exposure_on));
  NUEM_TRY(window_edge(ctx, t, "window_lo", &d->window[0]));
  NUEM_TRY(window_edge(ctx, t, "window_hi", &d->window[1]));
  if (!(d->window[1] > d->window[0] && d->window[0] >= 0))
    return nuem_error(ctx, NUEM_ERANGE, "%s: the window [%g, %g] keV must be increasing and "
                      "start at or above 0", t->origin, d->window[0] * 1e3, d->window[1] * 1e3);
  d->nevents = t->nrows;
  if (t->nrows && !(d->events = column_copy(t, col))) return NUEM_ENOMEM;
  for (size_t r = 0; r < t->nrows; r++)
    if (!(d->events[r] >= d->window[0] && d->events[r] <= d->window[1]))
      return nuem_error(ctx, NUEM_ERANGE, "%s: event %zu at %.10g keV lies outside the "
                        "analysis window [%g, %g] keV; select the events in the window "
                        "(or widen it)", t->origin, r + 1, d->events[r] * 1e3,
                        d->window[0] * 1e3, d->window[1] * 1e3);
  return NUEM_OK;
}

nuem_status nuem_data_read(nuem_context *ctx, const char *path, nuem_data *d) {
  memset(d, 0, sizeof *d);
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  long ev = nuem_table_column(&t, "E");
  if (ev >= 0 && t.ncols == 1) {
    nuem_status s = read_events(ctx, &t, ev, d);
    if (!s && !(d->origin = nuem_strdup(path))) s = NUEM_ENOMEM;
    nuem_table_free(&t);
    if (s) nuem_data_free(d);
    return s;
  }
  long lo = nuem_table_column(&t, "E_lo"), hi = nuem_table_column(&t, "E_hi");
  long on = nuem_table_column(&t, "on"), off = nuem_table_column(&t, "off");
  long res = nuem_table_column(&t, "residual"), sig = nuem_table_column(&t, "sigma");
  nuem_unit kev, rate;
  nuem_unit_parse(ctx, "keV", "", &kev);
  nuem_unit_parse(ctx, "/kg/keV/day", "", &rate);
  nuem_status s = NUEM_OK;
  if (lo < 0 || hi < 0 || (on < 0 && (res < 0 || sig < 0)))
    s = nuem_error(ctx, NUEM_EPARSE, "%s: a measured spectrum needs '# columns: E_lo E_hi "
                   "on [off]', '# columns: E_lo E_hi residual sigma' or, for an event "
                   "list, '# columns: E'", path);
  else if (!nuem_dim_equal(t.units[lo].dim, kev.dim) || !nuem_dim_equal(t.units[hi].dim, kev.dim))
    s = nuem_error(ctx, NUEM_EUNIT, "%s: E_lo and E_hi need energy units in a '# units:' "
                   "line", path);
  if (!s) s = edges(ctx, &t, lo, hi, d);
  if (!s && on >= 0) {
    d->mode = NUEM_DATA_COUNTS;
    d->on = column_copy(&t, on);
    s = d->on ? check_counts(ctx, &t, d->on, "on") : NUEM_ENOMEM;
    if (!s) s = exposure(ctx, &t, "exposure_on", &d->exposure_on);
    if (!s && off >= 0) {
      d->off = column_copy(&t, off);
      s = d->off ? check_counts(ctx, &t, d->off, "off") : NUEM_ENOMEM;
      if (!s) s = exposure(ctx, &t, "exposure_off", &d->exposure_off);
    }
  } else if (!s) {
    d->mode = NUEM_DATA_RESIDUAL;
    if (!nuem_dim_equal(t.units[res].dim, rate.dim) || !nuem_dim_equal(t.units[sig].dim, rate.dim))
      s = nuem_error(ctx, NUEM_EUNIT, "%s: residual and sigma need '/kg/keV/day' units",
                     path);
    if (!s) {
      d->residual = column_copy(&t, res);
      d->sigma = column_copy(&t, sig);
      if (!d->residual || !d->sigma) s = NUEM_ENOMEM;
    }
    for (size_t r = 0; !s && r < t.nrows; r++) {
      d->residual[r] /= rate.factor; /* back to /kg/keV/day */
      d->sigma[r] /= rate.factor;
      if (!(d->sigma[r] > 0))
        s = nuem_error(ctx, NUEM_ERANGE, "%s: data row %zu: sigma must be positive", path, r + 1);
    }
  }
  if (!s && !(d->origin = nuem_strdup(path))) s = NUEM_ENOMEM;
  nuem_table_free(&t);
  if (s) nuem_data_free(d);
  return s;
}

/* Scans of config keys, and expected limits along a scan: the chain is
 * built once and varied per point unless the scan changes what the flux
 * plan depends on. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"

enum { SCAN_MAX_POINTS = 1000 };

static nuem_status scan_usage(nuem_context *ctx, const char *text) {
  return nuem_error(ctx, NUEM_EUSAGE, "--scan '%s': write KEY[,KEY...]=FROM:TO:N (values with "
                    "the key's unit) or KEY[,KEY...]*=FROM:TO:N (factors on the configured "
                    "values), 1 <= N <= %d, e.g. --scan detector.threshold=100eV:500eV:5 or "
                    "--scan 'detector.exposure,detector.exposure_off*=0.5:4:8'",
                    text, SCAN_MAX_POINTS);
}

/* One SECTION.KEY of a scan: it must exist and be a number. */
static nuem_status scan_key(nuem_context *ctx, const char *name, nuem_param *id) {
  const char *dot = strchr(name, '.');
  char section[64];
  if (!dot || dot == name || (size_t)(dot - name) >= sizeof section)
    return nuem_error(ctx, NUEM_EUSAGE, "--scan: '%s' is not SECTION.KEY", name);
  snprintf(section, sizeof section, "%.*s", (int)(dot - name), name);
  *id = nuem_param_find(section, dot + 1);
  if (*id == NUEM_P_COUNT)
    return nuem_error(ctx, NUEM_ECONFIG, "--scan: unknown key '%s' (run `nuem config` for "
                      "the list)", name);
  nuem_param_kind kind = nuem_param_info_get(*id)->kind;
  if (kind != NUEM_KIND_NUMBER && kind != NUEM_KIND_OPTNUMBER && kind != NUEM_KIND_FLAVOURED)
    return nuem_error(ctx, NUEM_EUSAGE, "--scan: %s is not a number and cannot be scanned",
                      name);
  return NUEM_OK;
}

static nuem_status scan_keys(nuem_context *ctx, const char *text, size_t len, nuem_scan *out) {
  char keys[256];
  if (len == 0 || len >= sizeof keys) return scan_usage(ctx, text);
  snprintf(keys, sizeof keys, "%.*s", (int)len, text);
  snprintf(out->label, sizeof out->label, "%s", keys);
  for (char *save = NULL, *k = strtok_r(keys, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
    if (out->nkeys == NUEM_SCAN_MAX_KEYS)
      return nuem_error(ctx, NUEM_EUSAGE, "--scan: at most %d keys at once", NUEM_SCAN_MAX_KEYS);
    NUEM_TRY(scan_key(ctx, k, &out->keys[out->nkeys]));
    for (size_t i = 0; i < out->nkeys; i++)
      if (out->keys[i] == out->keys[out->nkeys])
        return nuem_error(ctx, NUEM_EUSAGE, "--scan: %s is named twice", k);
    out->nkeys++;
  }
  if (!out->nkeys) return scan_usage(ctx, text);
  /* set together, the keys must share the first key's dimension */
  const char *unit = nuem_param_info_get(out->keys[0])->spec;
  for (size_t i = 1; !out->relative && i < out->nkeys; i++) {
    nuem_unit a, b;
    nuem_unit_parse(ctx, unit, "", &a);
    nuem_unit_parse(ctx, nuem_param_info_get(out->keys[i])->spec, "", &b);
    if (!nuem_dim_equal(a.dim, b.dim))
      return nuem_error(ctx, NUEM_EUSAGE, "--scan: the keys of '%s' have different units "
                        "(%s, %s); scan them with a factor, KEYS*=FROM:TO:N", keys, unit,
                        nuem_param_info_get(out->keys[i])->spec);
  }
  return NUEM_OK;
}

nuem_status nuem_scan_parse(nuem_context *ctx, const char *text, nuem_scan *out) {
  memset(out, 0, sizeof *out);
  const char *eq = strchr(text, '=');
  if (!eq) return scan_usage(ctx, text);
  size_t len = (size_t)(eq - text);
  out->relative = len > 0 && text[len - 1] == '*';
  NUEM_TRY(scan_keys(ctx, text, len - (size_t)out->relative, out));
  char a[64], b[64], n[32], extra;
  if (sscanf(eq + 1, "%63[^:]:%63[^:]:%31[^:]%c", a, b, n, &extra) != 3)
    return scan_usage(ctx, text);
  char *end;
  long points = strtol(n, &end, 10);
  if (*end || points < 1 || points > SCAN_MAX_POINTS) return scan_usage(ctx, text);
  out->n = (size_t)points;
  const char *unit = out->relative ? "1" : nuem_param_info_get(out->keys[0])->spec;
  NUEM_TRY(nuem_quantity_parse(ctx, a, unit, "--scan FROM", &out->from));
  NUEM_TRY(nuem_quantity_parse(ctx, b, unit, "--scan TO", &out->to));
  if (out->relative && !(out->from >= 0 && out->to >= 0))
    return nuem_error(ctx, NUEM_ERANGE, "--scan: factors must not be negative");
  nuem_unit u;
  NUEM_TRY(nuem_unit_parse(ctx, unit, "--scan", &u));
  out->unit = unit;
  out->unit_factor = u.factor;
  return NUEM_OK;
}

double nuem_scan_value(const nuem_scan *scan, size_t i) {
  if (scan->n < 2) return scan->from;
  return scan->from + (scan->to - scan->from) * (double)i / (double)(scan->n - 1);
}

nuem_status nuem_scan_config(nuem_context *ctx, const nuem_config *cfg, const nuem_scan *scan,
                             size_t i, nuem_config **out) {
  NUEM_TRY(nuem_config_copy(ctx, cfg, out));
  double v = nuem_scan_value(scan, i);
  nuem_status s = NUEM_OK;
  for (size_t k = 0; !s && k < scan->nkeys; k++) {
    double x = scan->relative ? v * nuem_config_number(cfg, scan->keys[k]) : v;
    s = nuem_config_set_number(ctx, *out, scan->keys[k], x, "--scan");
  }
  if (s) {
    nuem_config_free(*out);
    *out = NULL;
  }
  return s;
}

/* Keys of these sections change only the detector part of a spectrum. */
static int detector_only(const nuem_scan *scan) {
  static const char *const sections[] = {"detector", "background", "analysis", "output"};
  for (size_t k = 0; k < scan->nkeys; k++) {
    const char *sec = nuem_param_info_get(scan->keys[k])->section;
    int ok = 0;
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) ok |= !strcmp(sec, sections[i]);
    if (!ok) return 0;
  }
  return 1;
}

void nuem_sensitivity_scan_free(nuem_sensitivity_scan *s) {
  free(s->x);
  free(s->points);
  memset(s, 0, sizeof *s);
}

/* The expected limits of one config, on spectrum sp. */
static nuem_status sensitivity_point(nuem_context *ctx, const nuem_config *cfg,
                                     const nuem_spectrum *sp, nuem_sensitivity *out) {
  nuem_model_options opt;
  nuem_model *m = NULL;
  NUEM_TRY(nuem_model_options_from_config(ctx, cfg, &opt));
  nuem_status s = nuem_model_new(ctx, sp, &opt, NULL, &m);
  if (!s) s = nuem_sensitivity_compute(ctx, m, NULL, nuem_config_number(cfg, NUEM_P_ANALYSIS_CL),
                                       (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS),
                                       (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED),
                                       (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS),
                                       nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_SENSITIVITY_TOYS,
                                                             "profiled"), out);
  nuem_model_free(m);
  return s;
}

/* Keys that a sterile-dm spectrum varies without a new target or atomic
 * model: its halo and coupling, and the detector's. */
static int halo_only(const nuem_scan *scan) {
  nuem_scan rest = *scan;
  rest.nkeys = 0;
  for (size_t k = 0; k < scan->nkeys; k++)
    if (!nuem_param_is_halo(scan->keys[k])) rest.keys[rest.nkeys++] = scan->keys[k];
  return detector_only(&rest);
}

/* What a scan shares between its points: the spectrum of the config (a
 * detector-only scan) or of the first point (a sterile-dm halo scan, whose
 * config may lack the scanned mass), or nothing. */
typedef struct {
  nuem_config *first;  /* the first point's config, for the halo base */
  nuem_spectrum *base;
  int halo;            /* points are halo variations of base */
} scan_base;

static void scan_base_free(scan_base *b) {
  nuem_spectrum_free(b->base);
  nuem_config_free(b->first);
  memset(b, 0, sizeof *b);
}

static nuem_status scan_base_build(nuem_context *ctx, const nuem_config *cfg,
                                   const nuem_scan *scan, scan_base *b) {
  memset(b, 0, sizeof *b);
  if (!scan || detector_only(scan)) return nuem_spectrum_new(ctx, cfg, &b->base);
  if (!nuem_source_is_sterile_dm(cfg) || !halo_only(scan)) return NUEM_OK;
  b->halo = 1;
  NUEM_TRY(nuem_scan_config(ctx, cfg, scan, 0, &b->first));
  return nuem_spectrum_new(ctx, b->first, &b->base);
}

/* The spectrum of scan point config c: a variation of the base, or a chain
 * of its own. */
static nuem_status point_spectrum(nuem_context *ctx, const nuem_config *c, const scan_base *b,
                                  nuem_spectrum **out) {
  if (b->halo) return nuem_spectrum_vary_halo(ctx, b->base, c, out);
  if (b->base) return nuem_spectrum_vary(ctx, b->base, c, NULL, out);
  return nuem_spectrum_new(ctx, c, out);
}

static nuem_status point_error(nuem_context *ctx, nuem_status s, const nuem_scan *scan,
                               size_t i) {
  char where[320];
  snprintf(where, sizeof where, "scan point %s%s = %g %s", scan->label,
           scan->relative ? " (factor)" : "", nuem_scan_value(scan, i) / scan->unit_factor,
           scan->unit);
  return nuem_error_trace(ctx, s, where);
}

/* Point i of a sensitivity scan. */
static nuem_status scan_point(nuem_context *ctx, const nuem_config *cfg, const nuem_scan *scan,
                              size_t i, const scan_base *b, nuem_sensitivity *out) {
  nuem_config *c;
  NUEM_TRY(nuem_scan_config(ctx, cfg, scan, i, &c));
  nuem_spectrum *sp = NULL;
  nuem_status s = point_spectrum(ctx, c, b, &sp);
  if (!s) s = sensitivity_point(ctx, c, sp, out);
  nuem_spectrum_free(sp);
  nuem_config_free(c);
  return s ? point_error(ctx, s, scan, i) : NUEM_OK;
}

/* A scan point as a node of nuem_map. */
typedef struct {
  const nuem_config *cfg;
  const nuem_scan *scan;
  const scan_base *base;
  const nuem_data *data;
} scan_job;

enum { SENSITIVITY_WIDTH = 6 }; /* asimov, band[5] */

static nuem_status sensitivity_node(nuem_context *worker, void *user, size_t i, double *res) {
  const scan_job *job = user;
  nuem_sensitivity p;
  NUEM_TRY(scan_point(worker, job->cfg, job->scan, i, job->base, &p));
  res[0] = p.asimov;
  memcpy(res + 1, p.band, sizeof p.band);
  return NUEM_OK;
}

nuem_status nuem_sensitivity_scan_compute(nuem_context *ctx, const nuem_config *cfg,
                                          const nuem_scan *scan, nuem_sensitivity_scan *out) {
  memset(out, 0, sizeof *out);
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI, nuem_poi_choices, &out->poi));
  out->n = scan ? scan->n : 1;
  out->x = calloc(out->n, sizeof *out->x);
  out->points = calloc(out->n, sizeof *out->points);
  if (!out->x || !out->points) {
    nuem_sensitivity_scan_free(out);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the scan");
  }
  scan_base base;
  nuem_status s = scan_base_build(ctx, cfg, scan, &base);
  if (!s && !scan) s = sensitivity_point(ctx, cfg, base.base, &out->points[0]);
  if (!s && scan) {
    /* the points over processes (nuem_map), in order inside each: the toys
     * of a point run in threads */
    scan_job job = {cfg, scan, &base, NULL};
    double *res = malloc(scan->n * SENSITIVITY_WIDTH * sizeof(double));
    s = res ? nuem_map(ctx, scan->n, SENSITIVITY_WIDTH, 1, sensitivity_node, &job, res, NULL,
                       "sensitivity")
            : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the scan");
    for (size_t i = 0; !s && i < scan->n; i++) {
      out->x[i] = nuem_scan_value(scan, i) / scan->unit_factor;
      out->points[i].asimov = res[i * SENSITIVITY_WIDTH];
      memcpy(out->points[i].band, &res[i * SENSITIVITY_WIDTH + 1], sizeof out->points[i].band);
    }
    free(res);
  }
  scan_base_free(&base);
  if (s) nuem_sensitivity_scan_free(out);
  return s;
}

/* ---- limits along a scan ---------------------------------------------------- */

void nuem_limit_scan_free(nuem_limit_scan *s) {
  free(s->points);
  memset(s, 0, sizeof *s);
}

/* The interval of one point (analysis.method), its local significance and,
 * for a sterile-dm spectrum, the line's energy and resolution. */
static nuem_status limit_point(nuem_context *ctx, const nuem_config *c, const nuem_spectrum *sp,
                               const nuem_data *d, nuem_limit_point *out) {
  nuem_model_options opt;
  nuem_model *m = NULL;
  nuem_interval iv = {0};
  double cl = nuem_config_number(c, NUEM_P_ANALYSIS_CL), t0, nu[NUEM_NNU];
  size_t grid = (size_t)nuem_config_integer(c, NUEM_P_ANALYSIS_GRID);
  size_t toys = (size_t)nuem_config_integer(c, NUEM_P_ANALYSIS_TOYS);
  NUEM_TRY(nuem_model_options_from_config(ctx, c, &opt));
  int method, prior;
  nuem_status s = nuem_method_from_config(ctx, c, &method, &prior);
  if (!s) s = nuem_model_new(ctx, sp, &opt, d, &m);
  if (!s && method >= NUEM_METHOD_CLS) /* CLs, Bayes: upper limits */
    s = nuem_upper_limit_interval(ctx, c, m, d, &iv);
  else if (!s && method == NUEM_METHOD_FC)
    s = nuem_interval_fc(ctx, m, d, cl, grid, toys,
                         (unsigned long)nuem_config_integer(c, NUEM_P_ANALYSIS_SEED),
                         (int)nuem_config_integer(c, NUEM_P_ANALYSIS_THREADS), 0, &iv);
  else if (!s)
    s = nuem_interval_wilks(ctx, m, d, cl, grid, &iv);
  double lo, hi;
  if (!s && isnan(iv.hi))
    s = nuem_error(ctx, NUEM_ERANGE, "no parameter value is accepted: the model cannot "
                   "describe the data here");
  if (!s) {
    nuem_model_range(m, &lo, &hi);
    s = nuem_model_profile(ctx, m, d, lo, &t0, nu);
  }
  if (!s) {
    double t_best;
    s = nuem_model_profile(ctx, m, d, iv.theta_hat, &t_best, nu);
    out->best = iv.best_report;
    out->lo = iv.lo;
    out->hi = iv.hi;
    out->hi_at_boundary = iv.hi_at_boundary;
    out->z_local = iv.theta_hat > lo ? sqrt(fmax(t0 - t_best, 0.0)) : 0.0;
    nuem_sterile_line line;
    nuem_spectrum_sterile_line(sp, 0, &line);
    out->mass = nuem_spectrum_is_sterile(sp) ? line.mass : NAN;
    out->line_energy = nuem_spectrum_is_sterile(sp) ? line.energy : NAN;
    out->line_sigma = nuem_spectrum_is_sterile(sp) ? nuem_spectrum_resolution(sp, line.energy) : NAN;
  }
  nuem_interval_free(&iv);
  nuem_model_free(m);
  return s;
}

enum { LIMIT_WIDTH = 9 }; /* the fields of nuem_limit_point */

static nuem_status limit_node(nuem_context *worker, void *user, size_t i, double *res) {
  const scan_job *job = user;
  nuem_config *c = NULL;
  nuem_spectrum *sp = NULL;
  nuem_limit_point p = {.x = nuem_scan_value(job->scan, i) / job->scan->unit_factor};
  nuem_status s = nuem_scan_config(worker, job->cfg, job->scan, i, &c);
  if (!s) s = point_spectrum(worker, c, job->base, &sp);
  if (!s) s = limit_point(worker, c, sp, job->data, &p);
  if (s) s = point_error(worker, s, job->scan, i);
  nuem_spectrum_free(sp);
  nuem_config_free(c);
  const double packed[LIMIT_WIDTH] = {p.x, p.best, p.lo, p.hi, p.hi_at_boundary, p.z_local,
                                      p.mass, p.line_energy, p.line_sigma};
  memcpy(res, packed, sizeof packed);
  return s;
}

nuem_status nuem_limit_scan_compute(nuem_context *ctx, const nuem_config *cfg,
                                    const nuem_scan *scan, const nuem_data *d,
                                    nuem_limit_scan *out) {
  memset(out, 0, sizeof *out);
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI, nuem_poi_choices, &out->poi));
  out->points = calloc(scan->n, sizeof *out->points);
  if (!out->points) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the scan");
  out->n = scan->n;
  scan_base base;
  nuem_status s = scan_base_build(ctx, cfg, scan, &base);
  scan_job job = {cfg, scan, &base, d};
  double *res = malloc(scan->n * LIMIT_WIDTH * sizeof(double));
  if (!s && !res) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the scan");
  /* the points over processes (nuem_map), in order inside each: a point's
   * Feldman-Cousins grid runs in threads */
  if (!s) s = nuem_map(ctx, scan->n, LIMIT_WIDTH, 1, limit_node, &job, res, NULL, "limit scan");
  for (size_t i = 0; !s && i < scan->n; i++) {
    const double *r = &res[i * LIMIT_WIDTH];
    nuem_limit_point *p = &out->points[i];
    p->x = r[0], p->best = r[1], p->lo = r[2], p->hi = r[3], p->hi_at_boundary = r[4] != 0;
    p->z_local = r[5], p->mass = r[6], p->line_energy = r[7], p->line_sigma = r[8];
  }
  free(res);
  scan_base_free(&base);
  if (s) nuem_limit_scan_free(out);
  return s;
}

/* Independent line positions among the scanned ones: the span of line
 * energies in units of the resolution's FWHM (2 sqrt(2 ln 2) sigma), plus
 * one, at most the number of points. */
double nuem_limit_scan_trials(const nuem_limit_scan *s) {
  const double fwhm_per_sigma = 2.3548200450309493;
  double trials = 1;
  for (size_t i = 0; i + 1 < s->n; i++) {
    const nuem_limit_point *a = &s->points[i], *b = &s->points[i + 1];
    double fwhm = fwhm_per_sigma * 0.5 * (a->line_sigma + b->line_sigma);
    if (!(fwhm > 0)) return (double)s->n; /* no resolution known: every point a trial */
    trials += fabs(b->line_energy - a->line_energy) / fwhm;
  }
  return fmin(trials, (double)s->n);
}

void nuem_limit_scan_significance(const nuem_limit_scan *s, nuem_look_elsewhere *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 1; i < s->n; i++)
    if (s->points[i].z_local > s->points[out->best].z_local) out->best = i;
  out->z_local = s->n ? s->points[out->best].z_local : 0;
  out->p_local = gsl_cdf_ugaussian_Q(out->z_local); /* one-sided: mu_sa^2 >= 0 */
  out->trials = nuem_limit_scan_trials(s);
  /* Sidak: the chance that the most significant of `trials` independent
   * searches is at least this significant; -expm1(trials log1p(-p)) keeps
   * the digits of small p */
  out->p_global = -expm1(out->trials * log1p(-out->p_local));
  out->z_global = out->p_global < 0.5 ? gsl_cdf_ugaussian_Qinv(out->p_global) : 0;
}

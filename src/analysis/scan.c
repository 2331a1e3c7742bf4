/* Scans of config keys, and expected limits along a scan: the chain is
 * built once and varied per point unless the scan changes what the flux
 * plan depends on. */
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
                                       (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS), out);
  nuem_model_free(m);
  return s;
}

/* Point i of a scan: a variation of `base`, or a chain of its own. */
static nuem_status scan_point(nuem_context *ctx, const nuem_config *cfg, const nuem_scan *scan,
                              size_t i, const nuem_spectrum *base, nuem_sensitivity *out) {
  nuem_config *c;
  NUEM_TRY(nuem_scan_config(ctx, cfg, scan, i, &c));
  nuem_spectrum *sp = NULL;
  nuem_status s = detector_only(scan) ? nuem_spectrum_vary(ctx, base, c, NULL, &sp)
                                      : nuem_spectrum_new(ctx, c, &sp);
  if (!s) s = sensitivity_point(ctx, c, sp, out);
  nuem_spectrum_free(sp);
  nuem_config_free(c);
  if (s) {
    char where[320];
    snprintf(where, sizeof where, "scan point %s%s = %g %s", scan->label,
             scan->relative ? " (factor)" : "", nuem_scan_value(scan, i) / scan->unit_factor,
             scan->unit);
    return nuem_error_trace(ctx, s, where);
  }
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
  nuem_spectrum *base = NULL;
  nuem_status s = !scan || detector_only(scan) ? nuem_spectrum_new(ctx, cfg, &base) : NUEM_OK;
  if (!s && !scan) s = sensitivity_point(ctx, cfg, base, &out->points[0]);
  for (size_t i = 0; !s && scan && i < scan->n; i++) {
    out->x[i] = nuem_scan_value(scan, i) / scan->unit_factor;
    s = scan_point(ctx, cfg, scan, i, base, &out->points[i]);
    nuem_progress(ctx, (double)(i + 1) / (double)scan->n, "sensitivity");
  }
  nuem_spectrum_free(base);
  if (s) nuem_sensitivity_scan_free(out);
  return s;
}

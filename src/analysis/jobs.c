/* The tables of `nuem fit`, `nuem limit` and `nuem sensitivity` from a
 * config and a data file: one mechanism for the command line and the
 * Python binding (docs/statistics.md, docs/python.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/analysis.h"

struct nuem_analysis {
  nuem_data data;
  nuem_spectrum *spectrum;
  nuem_model_options options;
  nuem_model *model;
};

void nuem_analysis_free(nuem_analysis *a) {
  if (!a) return;
  nuem_model_free(a->model);
  nuem_spectrum_free(a->spectrum);
  nuem_data_free(&a->data);
  free(a);
}

/* analysis.statistic other than auto must match the data's mode. */
static nuem_status check_statistic(nuem_context *ctx, const nuem_config *cfg,
                                   const nuem_data *d) {
  static const nuem_choice statistic[] = {{"auto", -1}, {"poisson", NUEM_DATA_COUNTS},
      {"chi2", NUEM_DATA_RESIDUAL}, {"unbinned", NUEM_DATA_EVENTS}};
  static const char *const has[] = {"counts", "residuals", "an event list"};
  static const char *const needs[] = {"counts", "residual", "event-list"};
  int need;
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_STATISTIC, statistic, &need));
  if (need >= 0 && d->mode != need)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.statistic = %s needs %s data; %s has %s",
                      nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_STATISTIC),
                      needs[need], d->origin, has[d->mode]);
  return NUEM_OK;
}

nuem_status nuem_analysis_new(nuem_context *ctx, const nuem_config *cfg, const char *data_path,
                              nuem_analysis **out) {
  *out = NULL;
  nuem_analysis *a = calloc(1, sizeof *a);
  if (!a) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  nuem_status s = nuem_data_read(ctx, data_path, &a->data);
  if (s) {
    free(a);
    return s;
  }
  s = check_statistic(ctx, cfg, &a->data);
  if (!s) s = nuem_model_options_from_config(ctx, cfg, &a->options);
  if (!s) s = nuem_spectrum_new(ctx, cfg, &a->spectrum);
  if (!s) s = nuem_model_new(ctx, a->spectrum, &a->options, &a->data, &a->model);
  if (s) nuem_analysis_free(a);
  else *out = a;
  return s;
}

const nuem_data *nuem_analysis_data(const nuem_analysis *a) { return &a->data; }
const nuem_spectrum *nuem_analysis_spectrum(const nuem_analysis *a) { return a->spectrum; }
const nuem_model_options *nuem_analysis_options(const nuem_analysis *a) { return &a->options; }
const nuem_model *nuem_analysis_model(const nuem_analysis *a) { return a->model; }

/* A best fit with a nuisance at the edge of its physical range is said so. */
static void note_bound(nuem_result *r, const nuem_model *m, const double *nu) {
  const char *which = nuem_model_at_bound(m, nu);
  if (which)
    nuem_result_note(r, "warning", "at the best fit the %s normalisation sits at its bound "
                     "(zero): the data ask for less than the model allows", which);
}

/* analysis.flux_model = spectrum: say which flux width the band gave. */
static void note_flux_width(nuem_result *r, const nuem_config *cfg, const nuem_model *m) {
  if (nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_FLUX_MODEL, "spectrum"))
    nuem_result_note(r, "flux_uncertainty", "%.4g (relative, from the published spectrum band; "
                     "docs/statistics.md, \"Flux uncertainty from the spectrum\")",
                     nuem_model_constraint(m, NUEM_NU_FLUX));
  double share = nuem_model_shape_share(m);
  if (!isnan(share))
    nuem_result_note(r, "flux_shape", "the band's leading shape mode, %.3g of its shape "
                     "variance (docs/statistics.md, \"Flux shape\")", share);
}

nuem_status nuem_fit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                           nuem_result *out) {
  enum { NCOL = 5 + NUEM_NNU };
  const char *names[NCOL] = {"best", "lo_68", "hi_68", "minus2lnL", "ndf"};
  /* the 68.3 % profile-likelihood interval: the 1-sigma content erf(1/sqrt 2) */
  const double cl_1sigma = 0.682689492137086;
  const nuem_data *d = &a->data;
  const nuem_model *m = a->model;
  double nu[NUEM_NNU], theta, t_min;
  nuem_interval iv = {0};
  memset(out, 0, sizeof *out);
  nuem_status s = nuem_model_fit(ctx, m, d, &theta, &t_min, nu);
  if (!s) s = nuem_interval_wilks(ctx, m, d, cl_1sigma,
                                  (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID), &iv);
  const char *units[NCOL];
  units[0] = units[1] = units[2] = nuem_model_unit(m);
  for (int i = 3; i < NCOL; i++) units[i] = i < 5 ? "1" : "sigma";
  for (int k = 0; k < NUEM_NNU; k++) names[5 + k] = nuem_nuisance_name(k);
  if (!s) s = nuem_result_init(ctx, out, 1, NCOL, names, units);
  if (s) {
    nuem_interval_free(&iv);
    return s;
  }
  int events = d->mode == NUEM_DATA_EVENTS; /* unbinned: no goodness-of-fit ndf */
  double row[NCOL] = {nuem_model_report(m, theta), iv.lo, iv.hi, t_min,
                      events ? 0.0 : (double)d->nbins - 1};
  memcpy(row + 5, nu, sizeof nu);
  memcpy(out->data, row, sizeof row);
  nuem_interval_free(&iv);
  nuem_result_note(out, "poi", "%s (mu is fitted as mu^2 >= 0)",
                   nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI));
  if (events)
    nuem_result_note(out, "data", "%s, %zu events in %g-%g keV, unbinned extended "
                     "likelihood (minus2lnL up to a constant; ndf 0: none)", d->origin,
                     d->nevents, d->window[0] * 1e3, d->window[1] * 1e3);
  else
    nuem_result_note(out, "data", "%s, %zu bins, %s", d->origin, d->nbins,
                     d->mode == NUEM_DATA_COUNTS ? (d->off ? "ON/OFF counts" : "ON counts")
                                                 : "residuals");
  nuem_result_note(out, "nuisances", "in units of their constraint (background: relative "
                   "shift when free)");
  note_flux_width(out, cfg, m);
  note_bound(out, m, nu);
  return NUEM_OK;
}

/* The interval's notes: method, best fit, the interval, its warnings. */
static void limit_notes(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                        const nuem_interval *iv, int fc, nuem_result *r) {
  const nuem_model *m = a->model;
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  const char *unit = nuem_model_unit(m);
  nuem_result_note(r, "method", "%s, %g %% CL", fc ? "Feldman-Cousins (toys)" : "Wilks", 100 * cl);
  note_flux_width(r, cfg, m);
  nuem_result_note(r, "best_fit", "%.6g %s", iv->best_report, unit);
  if (isnan(iv->lo))
    nuem_result_note(r, "interval", "empty: no parameter value is accepted");
  else
    nuem_result_note(r, "interval", "[%.6g, %.6g] %s%s", iv->lo, iv->hi, unit,
                     iv->lo_at_boundary && nuem_model_poi(m) == NUEM_POI_MU
                         ? " (an upper limit)" : "");
  if (iv->hi_at_boundary)
    nuem_result_note(r, "warning", "the interval reaches the end of the scanned range; "
                     "raise analysis.poi_max");
  double nu[NUEM_NNU], t_best;
  if (nuem_model_profile(ctx, m, &a->data, iv->theta_hat, &t_best, nu) == NUEM_OK)
    note_bound(r, m, nu);
  if (fc && !isnan(iv->hi) && iv->n > 1 && nuem_model_poi(m) == NUEM_POI_MU &&
      iv->hi * iv->hi < iv->theta[1] * 1e-6)
    nuem_result_note(r, "warning", "the data lie below the model's expectation at every "
                     "parameter value: the Feldman-Cousins interval shrinks to the boundary "
                     "(a known property for deficits, Feldman & Cousins 1998 sec. V); "
                     "compare with analysis.method = wilks");
  if (iv->coverage >= 0)
    nuem_result_note(r, "coverage", "%.4f achieved at the grid point nearest the best fit "
                     "(%zu fresh toys; nominal %g)", iv->coverage,
                     (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS), cl);
}

/* The notes of a CLs or Bayesian upper limit. */
static void upper_limit_notes(const nuem_config *cfg, const nuem_model *m,
                              const nuem_upper_limit *u, int method, nuem_result *r) {
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  const char *unit = nuem_model_unit(m);
  int signed_poi = nuem_model_poi(m) == NUEM_POI_Q || nuem_model_poi(m) == NUEM_POI_R2;
  if (method == NUEM_METHOD_BAYES)
    nuem_result_note(r, "method", "Bayesian upper limit, %g %% credibility, prior flat in %s; "
                     "nuisances profiled (docs/statistics.md)", 100 * cl,
                     nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_PRIOR, "flat-mu") ? "|mu|"
                     : nuem_model_poi(m) == NUEM_POI_MU ? "mu^2" : "the parameter");
  else
    nuem_result_note(r, "method", "CLs upper limit, %g %% CL, q~ one-sided profile likelihood "
                     "ratio, %s (docs/statistics.md)", 100 * cl,
                     method == NUEM_METHOD_CLS ? "toys" : "asymptotic formulae");
  note_flux_width(r, cfg, m);
  nuem_result_note(r, "best_fit", "%.6g %s", u->best_report, unit);
  const char *poi = nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI);
  nuem_result_note(r, "limit", "%s%s%s < %.6g %s", signed_poi ? "|" : "", poi,
                   signed_poi ? "|" : "", u->limit, unit);
  if (u->at_boundary)
    nuem_result_note(r, "warning", "the limit reaches the end of the scanned range; raise "
                     "analysis.poi_max");
}

nuem_status nuem_upper_limit_table(nuem_context *ctx, const nuem_config *cfg,
                                   const nuem_analysis *a, nuem_upper_limit *u_out,
                                   nuem_result *out) {
  const nuem_model *m = a->model;
  int method, prior;
  nuem_upper_limit u;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_method_from_config(ctx, cfg, &method, &prior));
  if (method < NUEM_METHOD_CLS)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.method = %s gives an interval, not a CLs or "
                      "Bayesian upper limit", nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_METHOD));
  NUEM_TRY(nuem_upper_limit_compute(ctx, cfg, m, &a->data, &u));
  int bayes = method == NUEM_METHOD_BAYES;
  static const char *cls_names[] = {"theta", "q", "clsb", "clb", "cls"};
  static const char *bayes_names[] = {"theta", "t", "cdf"};
  size_t ncols = bayes ? 3 : 5;
  const char *units[] = {nuem_model_poi(m) == NUEM_POI_MU ? "muB2" : nuem_model_unit(m),
                         "1", "1", "1", "1"};
  nuem_status s = nuem_result_init(ctx, out, u.n, ncols, bayes ? bayes_names : cls_names, units);
  for (size_t i = 0; !s && i < u.n; i++) {
    double *row = &out->data[i * ncols];
    row[0] = u.theta[i], row[1] = u.q[i];
    if (bayes) row[2] = u.cdf[i];
    else row[2] = u.clsb[i], row[3] = u.clb[i], row[4] = u.cls[i];
  }
  if (!s) upper_limit_notes(cfg, m, &u, method, out);
  if (!s && u_out) *u_out = u;
  else nuem_upper_limit_free(&u);
  return s;
}

/* A CLs or Bayesian limit as the limit table of its method, its interval
 * [0, limit] (an upper limit: lo at the boundary; no grid). */
static nuem_status upper_limit_as_interval(nuem_context *ctx, const nuem_config *cfg,
                                           const nuem_analysis *a, nuem_interval *iv_out,
                                           nuem_result *out) {
  nuem_upper_limit u;
  NUEM_TRY(nuem_upper_limit_table(ctx, cfg, a, &u, out));
  if (iv_out)
    *iv_out = (nuem_interval){.lo = 0, .hi = u.limit, .theta_hat = u.theta_hat,
                              .best_report = u.best_report, .lo_at_boundary = 1,
                              .hi_at_boundary = u.at_boundary, .coverage = -1};
  nuem_upper_limit_free(&u);
  return NUEM_OK;
}

nuem_status nuem_limit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                             nuem_interval *iv_out, nuem_result *out) {
  const nuem_data *d = &a->data;
  const nuem_model *m = a->model;
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  size_t grid = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID);
  size_t toys = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS);
  int method, prior;
  nuem_interval iv;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_method_from_config(ctx, cfg, &method, &prior));
  if (method >= NUEM_METHOD_CLS) return upper_limit_as_interval(ctx, cfg, a, iv_out, out);
  int fc = method == NUEM_METHOD_FC;
  NUEM_TRY(fc ? nuem_interval_fc(ctx, m, d, cl, grid, toys,
                                 (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED),
                                 (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS), toys, &iv)
              : nuem_interval_wilks(ctx, m, d, cl, grid, &iv));
  static const char *names[] = {"theta", "t", "critical", "accepted"};
  const char *units[] = {nuem_model_poi(m) == NUEM_POI_MU ? "muB2" : nuem_model_unit(m),
                         "1", "1", "1"};
  nuem_status s = nuem_result_init(ctx, out, iv.n, 4, names, units);
  if (!s) {
    for (size_t i = 0; i < iv.n; i++) {
      double row[4] = {iv.theta[i], iv.t[i], iv.critical[i], iv.t[i] <= iv.critical[i]};
      memcpy(&out->data[i * 4], row, sizeof row);
    }
    limit_notes(ctx, cfg, a, &iv, fc, out);
  }
  if (!s && iv_out) *iv_out = iv;
  else nuem_interval_free(&iv);
  return s;
}

nuem_status nuem_sensitivity_table(nuem_context *ctx, const nuem_config *cfg,
                                   const char *scan_text, nuem_result *out) {
  static const char *names[] = {"scan", "asimov", "minus2sigma", "minus1sigma", "median",
                                "plus1sigma", "plus2sigma"};
  nuem_scan scan;
  nuem_sensitivity_scan ss;
  memset(out, 0, sizeof *out);
  if (scan_text) NUEM_TRY(nuem_scan_parse(ctx, scan_text, &scan));
  NUEM_TRY(nuem_sensitivity_scan_compute(ctx, cfg, scan_text ? &scan : NULL, &ss));
  const char *units[7] = {scan_text ? scan.unit : "1"};
  for (int i = 1; i < 7; i++) units[i] = nuem_poi_unit(ss.poi);
  nuem_status s = nuem_result_init(ctx, out, ss.n, 7, names, units);
  for (size_t i = 0; !s && i < ss.n; i++) {
    const nuem_sensitivity *p = &ss.points[i];
    double row[7] = {ss.x[i], p->asimov, p->band[0], p->band[1], p->band[2], p->band[3],
                     p->band[4]};
    memcpy(&out->data[i * 7], row, sizeof row);
  }
  nuem_sensitivity_scan_free(&ss);
  if (s) return s;
  nuem_result_note(out, "expected", "%g %% CL upper limits without signal (signed parameters: "
                   "half-width of the interval): Asimov, and quantiles of toys",
                   100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL));
  nuem_result_note(out, "nuisances", "profiled in the Asimov limit; in the toys' limits %s "
                   "(analysis.sensitivity_toys)",
                   nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_SENSITIVITY_TOYS, "profiled")
                       ? "profiled" : "held at nominal (statistical bands)");
  if (scan_text) nuem_result_note(out, "scan", "%s", scan.label);
  return NUEM_OK;
}

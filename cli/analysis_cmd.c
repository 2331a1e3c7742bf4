/* nuem fit, limit, sensitivity: the statistics commands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A best fit with a nuisance at the edge of its physical range is said so,
 * in the result and on stderr. */
/* analysis.flux_model = spectrum: say which flux width the band gave. */
static void note_flux_width(nuem_result *r, const nuem_config *cfg, const nuem_model *m) {
  if (nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_FLUX_MODEL, "spectrum"))
    nuem_result_note(r, "flux_uncertainty", "%.4g (relative, from the published spectrum band; "
                     "docs/statistics.md, \"Flux uncertainty from the spectrum\")",
                     nuem_model_constraint(m, NUEM_NU_FLUX));
}

static void note_bound(nuem_result *r, const nuem_model *m, const double *nu) {
  const char *which = nuem_model_at_bound(m, nu);
  if (!which) return;
  nuem_result_note(r, "warning", "at the best fit the %s normalisation sits at its bound "
                   "(zero): the data ask for less than the model allows", which);
  fprintf(stderr, "nuem: warning: at the best fit the %s normalisation sits at its bound "
                  "(zero)\n", which);
}

static int write_and_free(nuem_context *ctx, const cli_options *opt, const nuem_config *cfg,
                          nuem_result *r) {
  cli_report_unused(ctx, cfg);
  int rc = cli_write_result(ctx, opt, cfg, r);
  nuem_result_free(r);
  return rc;
}

/* Data, spectrum and model of a fit or limit. */
typedef struct {
  nuem_data data;
  nuem_spectrum *spectrum;
  nuem_model_options options;
  nuem_model *model;
} analysis_inputs;

static void inputs_free(analysis_inputs *in) {
  nuem_model_free(in->model);
  nuem_spectrum_free(in->spectrum);
  nuem_data_free(&in->data);
}

static nuem_status load(nuem_context *ctx, const nuem_config *cfg, const cli_options *opt,
                        analysis_inputs *in) {
  memset(in, 0, sizeof *in);
  NUEM_CLI_TRY(nuem_data_read(ctx, opt->data_file, &in->data));
  const nuem_data *d = &in->data;
  /* analysis.statistic other than auto must match the data: the data mode
   * each statistic needs */
  static const nuem_choice statistic[] = {{"auto", -1}, {"poisson", NUEM_DATA_COUNTS},
      {"chi2", NUEM_DATA_RESIDUAL}, {"unbinned", NUEM_DATA_EVENTS}};
  static const char *const has[] = {"counts", "residuals", "an event list"};
  static const char *const needs[] = {"counts", "residual", "event-list"};
  int need;
  nuem_status s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_STATISTIC, statistic, &need);
  if (!s && need >= 0 && d->mode != need)
    s = nuem_error(ctx, NUEM_ECONFIG, "analysis.statistic = %s needs %s data; %s has %s",
                   nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_STATISTIC),
                   needs[need], d->origin, has[d->mode]);
  if (!s) s = nuem_model_options_from_config(ctx, cfg, &in->options);
  if (!s) s = nuem_spectrum_new(ctx, cfg, &in->spectrum);
  if (!s) s = nuem_model_new(ctx, in->spectrum, &in->options, d, &in->model);
  if (s) inputs_free(in);
  return s;
}

int cli_fit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  analysis_inputs in;
  nuem_status s = load(ctx, cfg, opt, &in);
  if (s) return cli_fail(ctx, s);
  const nuem_data d = in.data;
  const nuem_model *m = in.model;
  double nu[NUEM_NNU], theta, t_min;
  nuem_interval iv = {0};
  s = nuem_model_fit(ctx, m, &d, &theta, &t_min, nu);
  /* the 68.3 % profile-likelihood interval */
  /* the 1-sigma probability content erf(1/sqrt 2) */
  const double cl_1sigma = 0.682689492137086;
  if (!s) s = nuem_interval_wilks(ctx, m, &d, cl_1sigma, nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID), &iv);
  static const char *names[] = {"best", "lo_68", "hi_68", "minus2lnL", "ndf", "flux",
                                "efficiency", "background", "quenching_k", "energy_scale"};
  const char *units[10];
  units[0] = units[1] = units[2] = nuem_model_unit(m);
  for (int i = 3; i < 10; i++) units[i] = i < 5 ? "1" : "sigma";
  nuem_result r;
  if (!s) s = nuem_result_init(ctx, &r, 1, 10, names, units);
  int rc = 0;
  if (s) {
    rc = cli_fail(ctx, s);
  } else {
    int events = d.mode == NUEM_DATA_EVENTS; /* unbinned: no goodness-of-fit ndf */
    double row[10] = {nuem_model_report(m, theta), iv.lo, iv.hi, t_min,
                      events ? 0.0 : (double)d.nbins - 1, nu[0], nu[1], nu[2], nu[3], nu[4]};
    memcpy(r.data, row, sizeof row);
    nuem_result_note(&r, "poi", "%s (mu is fitted as mu^2 >= 0)",
                     nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI));
    if (events)
      nuem_result_note(&r, "data", "%s, %zu events in %g-%g keV, unbinned extended "
                       "likelihood (minus2lnL up to a constant; ndf 0: none)", d.origin,
                       d.nevents, d.window[0] * 1e3, d.window[1] * 1e3);
    else
      nuem_result_note(&r, "data", "%s, %zu bins, %s", d.origin, d.nbins,
                       d.mode == NUEM_DATA_COUNTS ? (d.off ? "ON/OFF counts" : "ON counts")
                                                  : "residuals");
    nuem_result_note(&r, "nuisances", "in units of their constraint (background: relative "
                     "shift when free)");
    note_flux_width(&r, cfg, m);
    note_bound(&r, m, nu);
    rc = write_and_free(ctx, opt, cfg, &r);
  }
  nuem_interval_free(&iv);
  inputs_free(&in);
  return rc;
}

/* The scan of the statistic against the critical value, with the
 * interval's ends marked (in the scanned parameter: mu^2 for mu). */
static int plot_limit(nuem_context *ctx, const char *picture, const nuem_result *r,
                      const nuem_config *cfg, const char *unit, const nuem_interval *iv,
                      const nuem_model *m, const char *report_unit) {
  char data[4200], script[4200];
  int rc;
  FILE *f = cli_plot_begin(ctx, picture, "limit", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  int squared = nuem_model_poi(m) == NUEM_POI_MU;
  double ends[2] = {iv->lo, iv->hi};
  for (int k = 0; k < 2 && !isnan(iv->hi); k++) {
    if (k == 0 && iv->lo_at_boundary) continue; /* an upper limit: one end */
    double x = squared ? ends[k] * ends[k] : ends[k];
    fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lw 2 lc rgb 'blue'\n"
               "set label '%s %.3g %s' at %.10g, graph 0.6 %s offset %s,0 tc rgb 'blue'\n",
            x, x, k ? (iv->lo_at_boundary ? "limit" : "upper end") : "lower end", ends[k],
            report_unit, x, k ? "right" : "left", k ? "-0.5" : "0.5");
  }
  fprintf(f, "set xlabel 'parameter [%s]'\nset ylabel '-2 {/Symbol D} ln L'\nset grid\n"
             "set key top left box opaque\nplot '%s' using 1:2 with lines lw 2 lc rgb 'black' "
             "title 'data', '' using 1:3 with lines lw 2 dt 2 lc rgb 'red' title 'critical value'\n",
          unit, data);
  return cli_plot_finish(f, script, picture);
}

static const nuem_choice poi2_choices[] = {{"none", -1}, {"mu", NUEM_POI_MU},
    {"q", NUEM_POI_Q}, {"r2", NUEM_POI_R2}, {"cevns", NUEM_POI_CEVNS}};

/* The 2-D contour of analysis.poi and analysis.poi2 (Wilks, 2 dof). */
static int contour(nuem_context *ctx, nuem_config *cfg, const cli_options *opt,
                   const analysis_inputs *in) {
  const nuem_data *d = &in->data;
  const nuem_model *m1 = in->model;
  int poi2;
  nuem_status s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI2, poi2_choices, &poi2);
  if (s) return cli_fail(ctx, s);
  if (poi2 == nuem_model_poi(m1))
    return cli_fail(ctx, nuem_error(ctx, NUEM_ECONFIG, "analysis.poi2 must differ from "
                                    "analysis.poi"));
  nuem_model_options opt2 = in->options;
  opt2.poi = poi2;
  opt2.poi_max = 0; /* analysis.poi_max belongs to analysis.poi */
  nuem_model *m2 = NULL;
  double *cross = NULL;
  nuem_contour ct = {0};
  s = nuem_model_new(ctx, in->spectrum, &opt2, d, &m2);
  if (!s) s = nuem_model_cross(ctx, m1, poi2, &cross);
  if (!s) s = nuem_contour_wilks(ctx, m1, m2, cross, d, nuem_config_number(cfg, NUEM_P_ANALYSIS_CL),
                                 (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID), &ct);
  int rc = 0;
  nuem_result r;
  if (!s) {
    static const char *names[] = {"theta1", "theta2", "t", "accepted"};
    const char *units[] = {nuem_model_poi(m1) == NUEM_POI_MU ? "muB2" : nuem_model_unit(m1),
                           poi2 == NUEM_POI_MU ? "muB2" : nuem_model_unit(m2), "1", "1"};
    s = nuem_result_init(ctx, &r, ct.n1 * ct.n2, 4, names, units);
    for (size_t k = 0; !s && k < ct.n1 * ct.n2; k++) {
      double row[4] = {ct.theta1[k % ct.n1], ct.theta2[k / ct.n1], ct.t[k], ct.t[k] <= ct.critical};
      memcpy(&r.data[k * 4], row, sizeof row);
    }
    if (!s) {
      nuem_result_note(&r, "method", "Wilks 2-D contour, %g %% CL (Delta -2 ln L <= %.4g), "
                       "nuisances fixed at the 1-D best fit",
                       100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL), ct.critical);
      nuem_result_note(&r, "best_fit", "theta1 = %.6g %s, theta2 = %.6g %s", ct.best1, units[0],
                       ct.best2, units[1]);
      if (opt->plot) {
        char data[4200], script[4200];
        FILE *f = cli_plot_begin(ctx, opt->plot, "limit", cfg, &r, data, script, sizeof data, &rc);
        char grid_path[4300];
        snprintf(grid_path, sizeof grid_path, "%s.grid", script);
        FILE *g = f ? fopen(grid_path, "w") : NULL;
        if (g) { /* gnuplot's grid format: one block per theta2, blank-line separated */
          for (size_t i2 = 0; i2 < ct.n2; i2++) {
            for (size_t i1 = 0; i1 < ct.n1; i1++)
              fprintf(g, "%.10g %.10g %.10g\n", ct.theta1[i1], ct.theta2[i2], ct.t[i2 * ct.n1 + i1]);
            fputc('\n', g);
          }
          rc = fclose(g) != 0;
        }
        if (f && !g) rc = 1;
        if (f) {
          fprintf(f, "set xlabel 'theta1 [%s]'\nset ylabel 'theta2 [%s]'\nset grid\n"
                     "set view map\nset contour base\nset cntrparam levels discrete %g\n"
                     "unset surface\nset table '%s.contour'\nsplot '%s' using 1:2:3 with lines\n"
                     "unset table\nset title 'best fit (%.3g, %.3g)'\n"
                     "plot '%s.contour' with lines lw 2 lc rgb 'blue' title '%g %% CL'\n",
                     units[0], units[1], ct.critical, script, grid_path, ct.best1, ct.best2,
                     script, 100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL));
          int prc = cli_plot_finish(f, script, opt->plot);
          if (!rc) rc = prc;
        }
      }
      if (!rc) rc = write_and_free(ctx, opt, cfg, &r);
      else nuem_result_free(&r);
    }
  }
  if (s) rc = cli_fail(ctx, s);
  nuem_contour_free(&ct);
  free(cross);
  nuem_model_free(m2);
  return rc;
}

int cli_limit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  if (opt->plot && !cli_have_gnuplot()) {
    fprintf(stderr, "nuem: --plot needs gnuplot; install it with 'apt-get install gnuplot-nox'\n");
    return 1;
  }
  if (opt->scan) return cli_limit_scan(ctx, cfg, opt);
  analysis_inputs in;
  nuem_status s = load(ctx, cfg, opt, &in);
  if (s) return cli_fail(ctx, s);
  if (!nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_POI2, "none")) {
    int rc2 = contour(ctx, cfg, opt, &in);
    inputs_free(&in);
    return rc2;
  }
  const nuem_data d = in.data;
  const nuem_model *m = in.model;
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  size_t grid = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID);
  int fc = nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_METHOD, "feldman-cousins");
  nuem_interval iv;
  s = fc ? nuem_interval_fc(ctx, m, &d, cl, grid, (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS),
                            (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED),
                            (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS),
                            (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS), &iv)
         : nuem_interval_wilks(ctx, m, &d, cl, grid, &iv);
  int rc;
  if (s) {
    rc = cli_fail(ctx, s);
  } else {
    static const char *names[] = {"theta", "t", "critical", "accepted"};
    const char *units[] = {nuem_model_poi(m) == NUEM_POI_MU ? "muB2" : nuem_model_unit(m), "1", "1", "1"};
    nuem_result r;
    s = nuem_result_init(ctx, &r, iv.n, 4, names, units);
    if (s) {
      rc = cli_fail(ctx, s);
    } else {
      for (size_t i = 0; i < iv.n; i++) {
        double row[4] = {iv.theta[i], iv.t[i], iv.critical[i], iv.t[i] <= iv.critical[i]};
        memcpy(&r.data[i * 4], row, sizeof row);
      }
      const char *unit = nuem_model_unit(m);
      nuem_result_note(&r, "method", "%s, %g %% CL", fc ? "Feldman-Cousins (toys)" : "Wilks", 100 * cl);
      note_flux_width(&r, cfg, m);
      nuem_result_note(&r, "best_fit", "%.6g %s", iv.best_report, unit);
      if (isnan(iv.lo))
        nuem_result_note(&r, "interval", "empty: no parameter value is accepted");
      else
        nuem_result_note(&r, "interval", "[%.6g, %.6g] %s%s", iv.lo, iv.hi, unit,
                         iv.lo_at_boundary && nuem_model_poi(m) == NUEM_POI_MU
                             ? " (an upper limit)" : "");
      if (iv.hi_at_boundary)
        nuem_result_note(&r, "warning", "the interval reaches the end of the scanned range; "
                         "raise analysis.poi_max");
      double nu[NUEM_NNU], t_best;
      if (nuem_model_profile(ctx, m, &d, iv.theta_hat, &t_best, nu) == NUEM_OK)
        note_bound(&r, m, nu);
      if (fc && !isnan(iv.hi) && iv.n > 1 && nuem_model_poi(m) == NUEM_POI_MU &&
          iv.hi * iv.hi < iv.theta[1] * 1e-6)
        nuem_result_note(&r, "warning", "the data lie below the model's expectation at every "
                         "parameter value: the Feldman-Cousins interval shrinks to the boundary "
                         "(a known property for deficits, Feldman & Cousins 1998 sec. V); "
                         "compare with analysis.method = wilks");
      if (iv.coverage >= 0)
        nuem_result_note(&r, "coverage", "%.4f achieved at the grid point nearest the best fit "
                         "(%zu fresh toys; nominal %g)", iv.coverage,
                         (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS), cl);
      rc = 0;
      if (opt->plot) rc = plot_limit(ctx, opt->plot, &r, cfg, units[0], &iv, m, unit);
      if (!rc) rc = write_and_free(ctx, opt, cfg, &r);
      else nuem_result_free(&r);
    }
    nuem_interval_free(&iv);
  }
  inputs_free(&in);
  return rc;
}

/* Published limits of the POI's property (data/limits/published.dat, compiled
 * in) as labelled dotted lines on a limit-versus-scan plot. */
static void published_overlay(nuem_context *ctx, FILE *f, int poi, double ymin, double ymax) {
  static const int code[] = {1, 2, 3, 0};
  size_t len;
  const char *text = nuem_data_find("limits/published.dat", &len);
  nuem_table t;
  if (!text || !code[poi] || nuem_table_parse(ctx, text, len, "published.dat", &t)) return;
  enum { MAX_SHOWN = 64, COLUMNS = 3 };
  struct { double upper; int id; } shown[MAX_SHOWN];
  size_t n = 0;
  for (size_t r = 0; r < t.nrows && n < MAX_SHOWN; r++) {
    double upper = nuem_table_get(&t, r, 3);
    if ((int)nuem_table_get(&t, r, 1) != code[poi] || upper < ymin || upper > ymax) continue;
    shown[n].upper = upper;
    shown[n++].id = (int)nuem_table_get(&t, r, 0);
  }
  for (size_t i = 1; i < n; i++) /* by value, so neighbours on the axis differ in column */
    for (size_t k = i; k > 0 && shown[k].upper < shown[k - 1].upper; k--) {
      double u = shown[k].upper;
      int id = shown[k].id;
      shown[k] = shown[k - 1];
      shown[k - 1].upper = u;
      shown[k - 1].id = id;
    }
  for (size_t i = 0; i < n; i++) {
    char key[32], name[80] = "";
    snprintf(key, sizeof key, "# id %d: ", shown[i].id);
    const char *p = strstr(text, key);
    if (p) snprintf(name, sizeof name, "%.*s", (int)strcspn(p + strlen(key), ",\n"), p + strlen(key));
    double x = 0.01 + 0.33 * (double)(i % COLUMNS);
    fprintf(f, "set arrow from graph 0, first %g to graph 1, first %g nohead dt 3 lc rgb '#888888'\n"
               "set label '%s' at graph %g, first %g offset 0,0.4 font ',8' tc rgb '#555555' front "
               "noenhanced\n", shown[i].upper, shown[i].upper, name, x, shown[i].upper);
  }
  nuem_table_free(&t);
}

/* The scan's expected limits as a table. */
static nuem_status scan_table(nuem_context *ctx, const nuem_sensitivity_scan *ss,
                              const char *scan_unit, nuem_result *r) {
  static const char *names[] = {"scan", "asimov", "minus2sigma", "minus1sigma", "median",
                                "plus1sigma", "plus2sigma"};
  const char *units[7] = {scan_unit};
  for (int i = 1; i < 7; i++) units[i] = nuem_poi_unit(ss->poi);
  NUEM_CLI_TRY(nuem_result_init(ctx, r, ss->n, 7, names, units));
  for (size_t i = 0; i < ss->n; i++) {
    const nuem_sensitivity *p = &ss->points[i];
    double row[7] = {ss->x[i], p->asimov, p->band[0], p->band[1], p->band[2], p->band[3],
                     p->band[4]};
    memcpy(&r->data[i * 7], row, sizeof row);
  }
  return NUEM_OK;
}

int cli_sensitivity(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  if (opt->plot && !opt->scan) {
    fprintf(stderr, "nuem: sensitivity --plot draws the expected limits against a scanned "
                    "key; add --scan KEY=FROM:TO:N (e.g. --scan 'detector.exposure,"
                    "detector.exposure_off*=0.5:4:8')\n");
    return 2;
  }
  nuem_scan scan;
  nuem_sensitivity_scan ss;
  nuem_result r;
  nuem_status s = opt->scan ? nuem_scan_parse(ctx, opt->scan, &scan) : NUEM_OK;
  if (!s) s = nuem_sensitivity_scan_compute(ctx, cfg, opt->scan ? &scan : NULL, &ss);
  if (s) return cli_fail(ctx, s);
  const char *scan_unit = opt->scan ? scan.unit : "1";
  s = scan_table(ctx, &ss, scan_unit, &r);
  int poi = ss.poi;
  nuem_sensitivity_scan_free(&ss);
  if (s) return cli_fail(ctx, s);
  const char *key = opt->scan ? scan.label : "";
  nuem_result_note(&r, "expected", "%g %% CL upper limits without signal (signed parameters: "
                   "half-width of the interval): Asimov, and quantiles of toys",
                   100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL));
  if (opt->scan) nuem_result_note(&r, "scan", "%s", key);
  if (opt->plot) {
    char data[4200], script[4200];
    int rc;
    FILE *f = cli_plot_begin(ctx, opt->plot, "sensitivity", cfg, &r, data, script,
                             sizeof data, &rc);
    if (!f) {
      nuem_result_free(&r);
      return rc;
    }
    double ymin = INFINITY, ymax = 0;
    for (size_t i = 0; i < r.nrows * r.ncols; i++)
      if (i % r.ncols && r.data[i] > 0) ymin = fmin(ymin, r.data[i]), ymax = fmax(ymax, r.data[i]);
    const double pad = 3; /* a factor of room above and below the bands */
    ymin /= pad, ymax *= pad;
    if (!nuem_source_is_sterile_dm(cfg)) /* reactor-neutrino limits only */
      published_overlay(ctx, f, poi, ymin, ymax);
    fprintf(f, "set yrange [%g:%g]\nset logscale y\nset xlabel '%s [%s]' noenhanced\n"
               "set ylabel 'expected limit [%s]'\nset grid\nset key box\n"
               "plot '%s' using 1:3:7 with filledcurves lc rgb '#fff3a0' title '{/Symbol \\261}2{/Symbol s}', \\\n"
               "  '' using 1:4:6 with filledcurves lc rgb '#90ee90' title '{/Symbol \\261}1{/Symbol s}', \\\n"
               "  '' using 1:5 with lines lw 2 dt 2 lc rgb 'black' title 'median (toys)', \\\n"
               "  '' using 1:2 with linespoints lw 2 lc rgb 'blue' title 'Asimov'\n",
            ymin, ymax, *key ? key : "point", scan_unit, nuem_poi_unit(poi), data);
    if ((rc = cli_plot_finish(f, script, opt->plot))) {
      nuem_result_free(&r);
      return rc;
    }
  }
  return write_and_free(ctx, opt, cfg, &r);
}

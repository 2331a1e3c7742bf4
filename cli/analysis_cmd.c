/* nuem fit, limit, sensitivity: the statistics commands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The library's warnings on a result (a nuisance at its bound, a range too
 * short) are repeated on stderr. */
static void warn_notes(const nuem_result *r) {
  for (size_t i = 0; i < r->nnotes; i++)
    if (!strcmp(r->note_keys[i], "warning")) fprintf(stderr, "nuem: warning: %s\n", r->note_values[i]);
}

static int write_and_free(nuem_context *ctx, const cli_options *opt, const nuem_config *cfg,
                          nuem_result *r) {
  warn_notes(r);
  cli_report_unused(ctx, cfg);
  int rc = cli_write_result(ctx, opt, cfg, r);
  nuem_result_free(r);
  return rc;
}

int cli_fit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_analysis *a;
  nuem_result r;
  nuem_status s = nuem_analysis_new(ctx, cfg, opt->data_file, &a);
  if (s) return cli_fail(ctx, s);
  s = nuem_fit_table(ctx, cfg, a, &r);
  nuem_analysis_free(a);
  return s ? cli_fail(ctx, s) : write_and_free(ctx, opt, cfg, &r);
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
                   const nuem_analysis *in) {
  const nuem_data *d = nuem_analysis_data(in);
  const nuem_model *m1 = nuem_analysis_model(in);
  int poi2;
  nuem_status s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI2, poi2_choices, &poi2);
  if (s) return cli_fail(ctx, s);
  if (poi2 == nuem_model_poi(m1))
    return cli_fail(ctx, nuem_error(ctx, NUEM_ECONFIG, "analysis.poi2 must differ from "
                                    "analysis.poi"));
  nuem_model_options opt2 = *nuem_analysis_options(in);
  opt2.poi = poi2;
  opt2.poi_max = 0; /* analysis.poi_max belongs to analysis.poi */
  nuem_model *m2 = NULL;
  double *cross = NULL;
  nuem_contour ct = {0};
  s = nuem_model_new(ctx, nuem_analysis_spectrum(in), &opt2, d, &m2);
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
  nuem_analysis *in;
  nuem_status s = nuem_analysis_new(ctx, cfg, opt->data_file, &in);
  if (s) return cli_fail(ctx, s);
  if (!nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_POI2, "none")) {
    int rc2 = contour(ctx, cfg, opt, in);
    nuem_analysis_free(in);
    return rc2;
  }
  const nuem_model *m = nuem_analysis_model(in);
  nuem_interval iv;
  nuem_result r;
  s = nuem_limit_table(ctx, cfg, in, &iv, &r);
  int rc = s ? cli_fail(ctx, s) : 0;
  if (!s && opt->plot)
    rc = plot_limit(ctx, opt->plot, &r, cfg, r.units[0], &iv, m, nuem_model_unit(m));
  if (!s && !rc) rc = write_and_free(ctx, opt, cfg, &r);
  else if (!s) nuem_result_free(&r);
  if (!s) nuem_interval_free(&iv);
  nuem_analysis_free(in);
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

int cli_sensitivity(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  if (opt->plot && !opt->scan) {
    fprintf(stderr, "nuem: sensitivity --plot draws the expected limits against a scanned "
                    "key; add --scan KEY=FROM:TO:N (e.g. --scan 'detector.exposure,"
                    "detector.exposure_off*=0.5:4:8')\n");
    return 2;
  }
  nuem_result r;
  nuem_status s = nuem_sensitivity_table(ctx, cfg, opt->scan, &r);
  if (s) return cli_fail(ctx, s);
  const char *scan_unit = r.units[0];
  const char *key = opt->scan ? nuem_result_note_value(&r, "scan") : "";
  int poi = 0;
  if ((s = NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI, nuem_poi_choices, &poi))) {
    nuem_result_free(&r);
    return cli_fail(ctx, s);
  }
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

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

/* The grid of a 2-D contour in gnuplot's format (one block per theta2,
 * blank-line separated): t, and t - critical of Feldman-Cousins if any. */
static int write_contour_grid(const char *path, const nuem_contour *ct, const double *fc) {
  FILE *g = fopen(path, "w");
  if (!g) return 1;
  for (size_t i2 = 0; i2 < ct->n2; i2++) {
    for (size_t i1 = 0; i1 < ct->n1; i1++) {
      size_t k = i2 * ct->n1 + i1;
      fprintf(g, "%.10g %.10g %.10g %.10g\n", ct->theta1[i1], ct->theta2[i2], ct->t[k],
              fc ? ct->t[k] - fc[k] : ct->t[k] - ct->critical);
    }
    fputc('\n', g);
  }
  return fclose(g) != 0;
}

/* The Wilks contour (t = chi2_2 quantile) and, with Feldman-Cousins, the
 * FC contour (t - critical = 0) through gnuplot's contouring. */
static int plot_contour(nuem_context *ctx, const char *picture, const nuem_config *cfg,
                        const nuem_result *r, const nuem_contour *ct, const double *fc,
                        const char *const *units) {
  char data[4200], script[4200], grid_path[4300];
  int rc = 0;
  FILE *f = cli_plot_begin(ctx, picture, "limit", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  snprintf(grid_path, sizeof grid_path, "%s.grid", script);
  rc = write_contour_grid(grid_path, ct, fc);
  double cl = 100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  char name1[32]; /* nuem_config_choice_name reuses one buffer: copy before the next */
  snprintf(name1, sizeof name1, "%s", nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI));
  const char *name2 = nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_POI2);
  fprintf(f, "set xlabel '%s%s [%s]' noenhanced\nset ylabel '%s%s [%s]' noenhanced\n"
             "set grid\nset rmargin 6\nset view map\nset contour base\nunset surface\n"
             "set cntrparam levels discrete %g\nset table '%s.contour'\n"
             "splot '%s' using 1:2:3 with lines\nunset table\n",
          name1, strcmp(name1, "mu") ? "" : "^2", units[0], name2,
          strcmp(name2, "mu") ? "" : "^2", units[1], ct->critical, script, grid_path);
  if (fc)
    fprintf(f, "set cntrparam levels discrete 0\nset table '%s.contour.fc'\n"
               "splot '%s' using 1:2:4 with lines\nunset table\n", script, grid_path);
  fprintf(f, "set title 'best fit (%.3g, %.3g)'\nset key box opaque\n"
             "plot '%s.contour' with lines lw 2 dt 2 lc rgb 'blue' title 'Wilks %g %% CL'",
          ct->best1, ct->best2, script, cl);
  if (fc)
    fprintf(f, ", '%s.contour.fc' with lines lw 2 lc rgb 'red' title 'Feldman-Cousins %g %% CL'",
            script, cl);
  fprintf(f, ", '-' with points pt 2 ps 2 lc rgb 'black' title 'best fit'\n%.10g %.10g\ne\n",
          ct->best1, ct->best2);
  int prc = cli_plot_finish(f, script, picture);
  return rc ? rc : prc;
}

/* The contour's grid as a table: theta1 theta2 t accepted (Wilks), and with
 * Feldman-Cousins the node's critical value, its acceptance and Wilks'. */
static nuem_status contour_table(nuem_context *ctx, const nuem_contour *ct,
                                 const nuem_contour_fc *fc, const char *const *units,
                                 nuem_result *r) {
  static const char *wilks_names[] = {"theta1", "theta2", "t", "accepted"};
  static const char *fc_names[] = {"theta1", "theta2", "t", "critical", "accepted",
                                   "accepted_wilks"};
  size_t ncols = fc ? 6 : 4;
  const char *cols_units[6] = {units[0], units[1], "1", "1", "1", "1"};
  NUEM_CLI_TRY(nuem_result_init(ctx, r, ct->n1 * ct->n2, ncols, fc ? fc_names : wilks_names,
                                cols_units));
  for (size_t k = 0; k < ct->n1 * ct->n2; k++) {
    double *row = &r->data[k * ncols];
    row[0] = ct->theta1[k % ct->n1], row[1] = ct->theta2[k / ct->n1], row[2] = ct->t[k];
    double wilks = ct->t[k] <= ct->critical;
    if (fc) row[3] = fc->critical[k], row[4] = nuem_contour_fc_accepted(fc, k), row[5] = wilks;
    else row[3] = wilks;
  }
  return NUEM_OK;
}

static const nuem_choice poi2_choices[] = {{"none", -1}, {"mu", NUEM_POI_MU},
    {"q", NUEM_POI_Q}, {"r2", NUEM_POI_R2}, {"cevns", NUEM_POI_CEVNS}};

/* The 2-D contour of analysis.poi and analysis.poi2: Wilks (2 dof), and with
 * analysis.method = feldman-cousins the 2-D FC region beside it. */
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
  int fc = nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_METHOD, "feldman-cousins");
  if (!fc && !nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_METHOD, "wilks"))
    return cli_fail(ctx, nuem_error(ctx, NUEM_ECONFIG, "analysis.method = %s gives 1-D upper "
                                    "limits; a 2-D contour (analysis.poi2) needs "
                                    "analysis.method = wilks or feldman-cousins",
                                    nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_METHOD)));
  nuem_model_options opt2 = *nuem_analysis_options(in);
  opt2.poi = poi2;
  opt2.poi_max = 0; /* analysis.poi_max belongs to analysis.poi */
  nuem_model *m2 = NULL;
  double *cross = NULL;
  nuem_contour_fc fcr = {0};
  nuem_contour wk = {0};
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  size_t grid = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID);
  size_t toys = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS);
  s = nuem_model_new(ctx, nuem_analysis_spectrum(in), &opt2, d, &m2);
  if (!s) s = nuem_model_cross(ctx, m1, poi2, &cross);
  if (!s && fc)
    s = nuem_contour_feldman_cousins(ctx, m1, m2, cross, d, cl, grid, toys,
                                     (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED),
                                     (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS), toys,
                                     &fcr);
  else if (!s)
    s = nuem_contour_wilks(ctx, m1, m2, cross, d, cl, grid, &wk);
  const nuem_contour *ct = fc ? &fcr.wilks : &wk;
  const char *units[] = {nuem_model_poi(m1) == NUEM_POI_MU ? "muB2" : nuem_model_unit(m1),
                         poi2 == NUEM_POI_MU ? "muB2" : nuem_model_unit(m2)};
  nuem_result r;
  if (!s) s = contour_table(ctx, ct, fc ? &fcr : NULL, units, &r);
  int rc = 0;
  if (s) {
    rc = cli_fail(ctx, s);
  } else {
    if (fc) {
      size_t inside = 0, wilks_inside = 0;
      for (size_t k = 0; k < ct->n1 * ct->n2; k++)
        inside += (size_t)nuem_contour_fc_accepted(&fcr, k), wilks_inside += ct->t[k] <= ct->critical;
      nuem_result_note(&r, "method", "Feldman-Cousins 2-D, %g %% CL (%zu toys per node, each "
                       "fitted over the plane; nuisances fixed at the 1-D best fit), beside Wilks "
                       "(Delta -2 ln L <= %.4g)", 100 * cl, toys, ct->critical);
      nuem_result_note(&r, "region", "%zu of %zu nodes accepted by Feldman-Cousins, %zu by Wilks",
                       inside, ct->n1 * ct->n2, wilks_inside);
      nuem_result_note(&r, "contains_best_fit", "%s (node nearest the best fit: critical %.4g)",
                       fcr.contains_best ? "yes" : "no", fcr.critical[fcr.best_node]);
      nuem_result_note(&r, "coverage", "%.4f achieved at the node nearest the best fit (%zu "
                       "fresh toys; nominal %g)", fcr.coverage, toys, cl);
    } else {
      nuem_result_note(&r, "method", "Wilks 2-D contour, %g %% CL (Delta -2 ln L <= %.4g), "
                       "nuisances fixed at the 1-D best fit", 100 * cl, ct->critical);
    }
    nuem_result_note(&r, "best_fit", "theta1 = %.6g %s, theta2 = %.6g %s", ct->best1, units[0],
                     ct->best2, units[1]);
    if (opt->plot) rc = plot_contour(ctx, opt->plot, cfg, &r, ct, fc ? fcr.critical : NULL, units);
    if (!rc) rc = write_and_free(ctx, opt, cfg, &r);
    else nuem_result_free(&r);
  }
  nuem_contour_fc_free(&fcr);
  nuem_contour_free(&wk);
  free(cross);
  nuem_model_free(m2);
  return rc;
}

/* The scan behind a CLs or Bayesian limit: CLs (or the posterior's
 * cumulative probability) against the parameter, with 1 - cl (cl) and the
 * limit marked. */
static int plot_upper_limit(nuem_context *ctx, const char *picture, const nuem_result *r,
                            const nuem_config *cfg, const char *unit, const nuem_upper_limit *u,
                            int bayes, const char *report_unit) {
  char data[4200], script[4200];
  int rc;
  FILE *f = cli_plot_begin(ctx, picture, "limit", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL), level = bayes ? cl : 1 - cl;
  fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lw 2 lc rgb 'blue'\n"
             "set label 'limit %.3g %s' at %.10g, graph 0.6 right offset -0.5,0 tc rgb 'blue'\n"
             "set xlabel 'parameter [%s]'\nset ylabel '%s'\nset grid\nset key box opaque\n"
             "plot '%s' using 1:%d with lines lw 2 lc rgb 'black' title '%s', "
             "%g with lines lw 2 dt 2 lc rgb 'red' title '%s'\n",
          u->theta_limit, u->theta_limit, u->limit, report_unit, u->theta_limit, unit,
          bayes ? "posterior P(|{/Symbol q}| < x)" : "CL_s", data, bayes ? 3 : 5,
          bayes ? "posterior" : "CL_s", level, bayes ? "cl" : "1 - cl");
  return cli_plot_finish(f, script, picture);
}

/* analysis.method = cls, cls-asymptotic or bayes: an upper limit. */
static int upper_limit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt,
                       const nuem_analysis *in, int method) {
  const nuem_model *m = nuem_analysis_model(in);
  nuem_upper_limit u;
  nuem_result r;
  nuem_status s = nuem_upper_limit_table(ctx, cfg, in, &u, &r);
  if (s) return cli_fail(ctx, s);
  int rc = 0;
  if (opt->plot)
    rc = plot_upper_limit(ctx, opt->plot, &r, cfg, r.units[0], &u, method == NUEM_METHOD_BAYES,
                          nuem_model_unit(m));
  if (!rc) rc = write_and_free(ctx, opt, cfg, &r);
  else nuem_result_free(&r);
  nuem_upper_limit_free(&u);
  return rc;
}

int cli_limit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  if (opt->plot && !cli_have_gnuplot()) {
    fprintf(stderr, "nuem: --plot needs gnuplot; install it with 'apt-get install gnuplot-nox'\n");
    return 1;
  }
  if (opt->scan) return cli_limit_scan(ctx, cfg, opt);
  if (opt->combine) return cli_limit_joint(ctx, cfg, opt);
  nuem_analysis *in;
  nuem_status s = nuem_analysis_new(ctx, cfg, opt->data_file, &in);
  if (s) return cli_fail(ctx, s);
  int method, prior;
  s = nuem_method_from_config(ctx, cfg, &method, &prior);
  if (s) {
    nuem_analysis_free(in);
    return cli_fail(ctx, s);
  }
  if (!nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_POI2, "none") ||
      method >= NUEM_METHOD_CLS) {
    int rc2 = method >= NUEM_METHOD_CLS && nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_POI2, "none")
                  ? upper_limit(ctx, cfg, opt, in, method)
                  : contour(ctx, cfg, opt, in);
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

/* nuem limit --combine FILE: the joint fit of the experiments the
 * combination file names, each with the --set assignments, beside each
 * experiment alone. */
int cli_limit_joint(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_joint *j;
  nuem_status s = nuem_joint_from_file(ctx, opt->combine, opt->sets, opt->nsets, &j);
  if (s) return cli_fail(ctx, s);
  nuem_result r;
  s = nuem_joint_limit_table(ctx, j, &r);
  int rc = s ? cli_fail(ctx, s) : 0;
  if (!s) {
    for (size_t e = 1; e < nuem_joint_size(j); e++) cli_report_unused(ctx, nuem_joint_config(j, e));
    nuem_result_note(&r, "configs", "each experiment's is its own file with the --set "
                     "assignments; the config printed above is experiment 1's (%s)",
                     nuem_joint_name(j, 0));
    rc = write_and_free(ctx, opt, nuem_joint_config(j, 0), &r);
  }
  (void)cfg; /* the --set assignments reach every experiment's config */
  nuem_joint_free(j);
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

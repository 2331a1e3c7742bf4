/* nuem limit DATA CONFIG --scan KEY=FROM:TO:N: the interval at every scan
 * point; for a sterile-dm mass scan, the limits on mu_sa and sin^2 2theta
 * versus m_s, the lifetime bound, the look-elsewhere effect, and the
 * exclusion plot with published X-ray results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The age of the Universe, 13.787 Gyr (Planck 2018 VI, A&A 641, A6, Table
 * 2), in seconds of Julian years: a dark-matter nu_s must live longer. */
#define AGE_OF_UNIVERSE_S (13.787e9 * 365.25 * 86400.0)

/* The moment whose decay lifetime is the age of the Universe [mu_B]. */
static double lifetime_bound(double m_s) {
  return sqrt(1.0 / (AGE_OF_UNIVERSE_S * nuem_sterile_width(1.0, m_s)));
}

enum { COL_SCAN, COL_BEST, COL_LO, COL_LIMIT, COL_Z, COL_SIN2, COL_LIFETIME, COL_LINE,
       NCOLS_STERILE };
enum { NCOLS_GENERIC = COL_Z + 1 };

static nuem_status scan_result(nuem_context *ctx, const nuem_limit_scan *ls, int sterile,
                               const char *scan_unit, nuem_result *r) {
  static const char *names[NCOLS_STERILE] = {"scan", "best", "lo", "limit", "z_local",
                                             "sin2_2theta_limit", "lifetime_bound",
                                             "line_energy"};
  const char *poi_unit = nuem_poi_unit(ls->poi);
  const char *units[NCOLS_STERILE] = {scan_unit, poi_unit, poi_unit, poi_unit, "sigma", "1",
                                      poi_unit, "keV"};
  size_t ncols = sterile ? NCOLS_STERILE : NCOLS_GENERIC;
  NUEM_CLI_TRY(nuem_result_init(ctx, r, ls->n, ncols, names, units));
  for (size_t i = 0; i < ls->n; i++) {
    const nuem_limit_point *p = &ls->points[i];
    double *row = &r->data[i * ncols];
    row[COL_SCAN] = p->x;
    row[COL_BEST] = p->best;
    row[COL_LO] = p->lo;
    row[COL_LIMIT] = p->hi;
    row[COL_Z] = p->z_local;
    if (!sterile) continue;
    double m_s = p->mass;
    row[COL_SIN2] = nuem_sterile_sin2_from_mu(p->hi, m_s);
    row[COL_LIFETIME] = lifetime_bound(m_s);
    row[COL_LINE] = p->line_energy * 1e3;
  }
  return NUEM_OK;
}

static void scan_notes(const nuem_limit_scan *ls, const nuem_config *cfg, const nuem_scan *scan,
                       int sterile, nuem_result *r) {
  static const char *const methods[][2] = {{"wilks", "Wilks"},
      {"feldman-cousins", "Feldman-Cousins (toys)"}, {"cls", "CLs upper limit (toys)"},
      {"cls-asymptotic", "CLs upper limit (asymptotic)"}, {"bayes", "Bayesian upper limit"}};
  const char *method = "", *chosen = nuem_config_choice_name(cfg, NUEM_P_ANALYSIS_METHOD);
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(chosen, methods[i][0]) == 0) method = methods[i][1];
  nuem_result_note(r, "method", "%s, %g %% CL, at each %s", method,
                   100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL), scan->label);
  nuem_result_note(r, "columns", "best fit, interval [lo, limit] and local significance "
                   "(one-sided) per point%s", sterile ? "; sin2_2theta with the same radiative "
                   "width; lifetime_bound: the moment with tau = 13.787 Gyr (Planck 2018)" : "");
  nuem_look_elsewhere lee;
  nuem_limit_scan_significance(ls, &lee);
  nuem_result_note(r, "most_significant", "%s = %g %s: local %.3g sigma (p = %.3g)",
                   scan->label, ls->points[lee.best].x, scan->unit, lee.z_local, lee.p_local);
  nuem_result_note(r, "look_elsewhere", "global p = %.3g (%.3g sigma) for %.3g independent line "
                   "positions (the span of line energies in resolution FWHMs; Sidak, "
                   "docs/statistics.md, \"Look-elsewhere\")", lee.p_global, lee.z_global,
                   lee.trials);
  for (size_t i = 0; i < ls->n; i++)
    if (ls->points[i].hi_at_boundary) {
      nuem_result_note(r, "warning", "at %g %s the interval reaches the end of the scanned "
                       "range; raise analysis.poi_max", ls->points[i].x, scan->unit);
      break;
    }
}

/* Published X-ray points (data/limits/sterile_dm.dat) as labelled markers,
 * converted to mu_sa at their mass; returns the smallest moment shown
 * (infinity if none). */
static double published_points(nuem_context *ctx, FILE *f) {
  size_t len;
  double lowest = INFINITY;
  const char *text = nuem_data_find("limits/sterile_dm.dat", &len);
  nuem_table t;
  if (!text || nuem_table_parse(ctx, text, len, "sterile_dm.dat", &t)) return lowest;
  for (size_t r = 0; r < t.nrows; r++) {
    int id = (int)nuem_table_get(&t, r, 0), kind = (int)nuem_table_get(&t, r, 1);
    double m_s = nuem_table_get(&t, r, 2); /* MeV: the table says keV */
    double mu = nuem_sterile_mu_from_sin2(nuem_table_get(&t, r, 3), m_s);
    lowest = fmin(lowest, mu);
    char key[32], name[48] = "";
    snprintf(key, sizeof key, "# id %d: ", id);
    const char *p = strstr(text, key);
    if (p) snprintf(name, sizeof name, "%.*s", (int)strcspn(p + strlen(key), ",\n"), p + strlen(key));
    static const double label_rows[3] = {1.2, -1.2, 2.4}; /* neighbours apart */
    fprintf(f, "set label '%s%s' at %g, %g point pt %d ps 1.5 lc rgb '#b00000' offset 1,%g "
               "font ',8' tc rgb '#b00000' noenhanced\n", name, kind == 1 ? " (limit)" : " (claim)",
            m_s * 1e3, mu, kind == 1 ? 11 : 7, label_rows[r % 3]);
  }
  nuem_table_free(&t);
  return lowest;
}

static int exclusion_plot(nuem_context *ctx, const char *picture, const nuem_config *cfg,
                          const nuem_result *r) {
  char data[4200], script[4200];
  int rc;
  FILE *f = cli_plot_begin(ctx, picture, "limit", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  double lowest = published_points(ctx, f), highest = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    lowest = fmin(lowest, r->data[i * r->ncols + COL_LIFETIME]);
    highest = fmax(highest, r->data[i * r->ncols + COL_LIMIT]);
  }
  /* two decades of room: below the lowest marker, above the limits */
  fprintf(f, "set yrange [%g:%g]\nset xrange [1:100]\n", lowest / 100, highest * 100);
  fprintf(f, "set logscale xy\nset format y '10^{%%L}'\nset xlabel 'sterile-neutrino mass m_s [keV]'\n"
             "set ylabel 'transition moment {/Symbol m}_{sa} [{/Symbol m}_B]'\nset grid\n"
             "set key top left box opaque\n"
             "set title 'Excluded above the lines ({/Symbol n}_s = all of the local dark matter)'\n"
             "plot '%s' using 1:4 with linespoints lw 2 pt 7 ps 0.5 lc rgb 'blue' title "
             "'this data: %g %% CL upper limit', \\\n"
             "  '' using 1:7 with lines lw 2 dt 2 lc rgb 'black' title "
             "'lifetime > age of the Universe (13.8 Gyr)', \\\n"
             "  NaN with points pt 7 ps 1.5 lc rgb '#b00000' title "
             "'X-ray line searches, sin^2 2{/Symbol q} at the same width'\n",
          data, 100 * nuem_config_number(cfg, NUEM_P_ANALYSIS_CL));
  return cli_plot_finish(f, script, picture);
}

int cli_limit_scan(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_scan scan;
  nuem_data data = {0};
  nuem_limit_scan ls = {0};
  nuem_result r = {0};
  nuem_status s = nuem_scan_parse(ctx, opt->scan, &scan);
  if (!s) s = nuem_data_read(ctx, opt->data_file, &data);
  if (!s) s = nuem_limit_scan_compute(ctx, cfg, &scan, &data, &ls);
  int sterile = nuem_source_is_sterile_dm(cfg) && !s && ls.n && !isnan(ls.points[0].line_energy);
  if (!s) s = scan_result(ctx, &ls, sterile, scan.unit, &r);
  nuem_data_free(&data);
  if (s) {
    nuem_limit_scan_free(&ls);
    return cli_fail(ctx, s);
  }
  scan_notes(&ls, cfg, &scan, sterile, &r);
  nuem_limit_scan_free(&ls);
  int rc = 0;
  if (opt->plot && !sterile) {
    fprintf(stderr, "nuem: limit --scan --plot draws the exclusion versus source.mass of a "
                    "sterile-dm source; this scan has none\n");
    rc = 2;
  } else if (opt->plot) {
    rc = exclusion_plot(ctx, opt->plot, cfg, &r);
  }
  if (!rc) {
    cli_report_unused(ctx, cfg);
    rc = cli_write_result(ctx, opt, cfg, &r);
  }
  nuem_result_free(&r);
  return rc;
}

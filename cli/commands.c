/* The subcommands of nuem. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_fail(nuem_context *ctx, nuem_status s) {
  const char *msg = nuem_context_error(ctx);
  fprintf(stderr, "nuem: %s\n", *msg ? msg : nuem_status_string(s));
  return nuem_status_exit_code(s);
}

void cli_report_unused_in(nuem_context *ctx, const nuem_config *cfg, const char *section) {
  nuem_config_report_unused(ctx, cfg);
  char prefix[64];
  snprintf(prefix, sizeof prefix, "%s.", section ? section : "");
  for (size_t i = 0; i < nuem_context_warning_count(ctx); i++) {
    const char *w = nuem_context_warning(ctx, i);
    if (!section || strncmp(w, prefix, strlen(prefix)) == 0 || !strstr(w, "not used"))
      fprintf(stderr, "nuem: warning: %s\n", w);
  }
}

void cli_report_unused(nuem_context *ctx, const nuem_config *cfg) {
  cli_report_unused_in(ctx, cfg, NULL);
}

/* Everything is written to memory first, so a failure never leaves a
 * half-written file behind. */
int cli_write_buffer(const char *path, const char *buf, size_t len) {
  FILE *f = path ? fopen(path, "w") : stdout;
  if (!f) {
    fprintf(stderr, "nuem: cannot write '%s': ", path);
    perror(NULL);
    return 1;
  }
  int bad = fwrite(buf, 1, len, f) != len;
  bad |= path ? fclose(f) != 0 : fflush(f) != 0;
  if (bad) fprintf(stderr, "nuem: writing '%s' failed\n", path ? path : "stdout");
  return bad;
}

int cli_write_result(nuem_context *ctx, const cli_options *opt,
                     const nuem_config *cfg, const nuem_result *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return 1;
  nuem_status s = nuem_result_write(ctx, mem, opt->format, opt->command, cfg, r);
  fclose(mem);
  int rc = s ? cli_fail(ctx, s) : cli_write_buffer(opt->out_file, buf, len);
  free(buf);
  return rc;
}

int cli_spectrum(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  if (opt->plot && !cli_have_gnuplot()) {
    fprintf(stderr, "nuem: --plot needs gnuplot, which is not installed; install it with "
                    "'apt-get install gnuplot-nox' (or run make deps)\n");
    return 1;
  }
  /* the picture samples the true spectrum finely: 400 points at least */
  enum { PLOT_POINTS = 400 };
  int is_measured = nuem_spectrum_is_measured(cfg);
  int fine = opt->plot && nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS) < PLOT_POINTS;
  nuem_result table = {0}, picture = {0};
  nuem_spectrum *sp = NULL;
  nuem_status s = nuem_spectrum_new(ctx, cfg, &sp);
  if (!s) s = is_measured ? nuem_measured_config_table(ctx, sp, &table)
                          : nuem_spectrum_config_table(ctx, sp, cfg, 0, &table);
  if (!s && opt->plot && (is_measured || fine))
    s = nuem_spectrum_config_table(ctx, sp, cfg, PLOT_POINTS, &picture);
  nuem_spectrum_free(sp);
  int rc = s ? cli_fail(ctx, s) : 0;
  /* the picture first: if gnuplot fails, nothing has gone to the output */
  if (!rc && opt->plot)
    rc = cli_plot(ctx, cfg, opt->plot, picture.data ? &picture : &table,
                  is_measured ? &table : NULL);
  if (!rc) rc = cli_write_result(ctx, opt, cfg, &table);
  if (!s) cli_report_unused(ctx, cfg);
  nuem_result_free(&table);
  nuem_result_free(&picture);
  return rc;
}

/* Solar: dPhi/dE of the continuum per flavour at the detector; each
 * component's flux and each line (energy, flux, P_ee) as notes. */
static void solar_flux_table(const nuem_source *src, nuem_result *r) {
  static const int flavours[] = {NUEM_NUE, NUEM_NUMU, NUEM_NUTAU};
  for (size_t i = 0; i < r->nrows; i++) {
    double *row = &r->data[i * r->ncols];
    row[1] = nuem_source_flux(src, row[0]);
    for (size_t f = 0; f < 3; f++) row[2 + f] = nuem_source_flavour_flux(src, flavours[f], row[0]);
  }
  char key[32];
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++)
    if (nuem_source_solar_flux(src, c) > 0) {
      snprintf(key, sizeof key, "flux_%s", nuem_solar_component_name(c));
      nuem_result_note(r, key, "%.6g /cm2/s", nuem_source_solar_flux(src, c));
    }
  const nuem_source_line *lines;
  size_t nl = nuem_source_lines(src, &lines);
  for (size_t i = 0; i < nl; i++) {
    snprintf(key, sizeof key, "line_%s_%.4g", nuem_solar_component_name(lines[i].component),
             lines[i].energy);
    nuem_result_note(r, key, "%.6g /cm2/s at %.6g MeV, P_ee %.4f", lines[i].total,
                     lines[i].energy, lines[i].flux[NUEM_NUE] / lines[i].total);
  }
}

/* Radioactive and pidar sources: dPhi/dE of each delivered flavour's
 * continuum; each line (energy, flux, flavour) and the source's rate as
 * notes. */
static void analytic_flux_table(const nuem_source *src, const int *flavours, nuem_result *r) {
  for (size_t i = 0; i < r->nrows; i++) {
    double *row = &r->data[i * r->ncols];
    row[1] = nuem_source_flux(src, row[0]);
    for (size_t f = 2; f < r->ncols; f++)
      row[f] = nuem_source_flavour_flux(src, flavours[f - 2], row[0]);
  }
  const nuem_source_line *lines;
  size_t nl = nuem_source_lines(src, &lines);
  char key[32];
  for (size_t i = 0; i < nl; i++) {
    int f = 0;
    while (f < NUEM_NFLAVOURS - 1 && !(lines[i].flux[f] > 0)) f++;
    snprintf(key, sizeof key, "line_%.6g_MeV", lines[i].energy);
    nuem_result_note(r, key, "%.6g /cm2/s of %s", lines[i].total, nuem_flavour_name(f));
  }
  if (nuem_source_mean_activity(src) > 0)
    nuem_result_note(r, "mean_activity", "%.6g Bq (over source.duration)",
                     nuem_source_mean_activity(src));
  if (nuem_source_proton_rate(src) > 0)
    nuem_result_note(r, "proton_rate", "%.6g /s", nuem_source_proton_rate(src));
}

int cli_flux(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  static const char *const names[] = {"E", "flux", "U235", "U238", "Pu239",
                                      "Pu241", "capture", "flux_lo", "flux_hi", "band"};
  static const char *const units[] = {"MeV", "/cm2/s/MeV", "/cm2/s/MeV",
                                      "/cm2/s/MeV", "/cm2/s/MeV", "/cm2/s/MeV",
                                      "/cm2/s/MeV", "/cm2/s/MeV", "/cm2/s/MeV", "1"};
  nuem_source *src;
  nuem_status s = nuem_source_init(ctx, cfg, &src);
  if (s) return cli_fail(ctx, s);
  double lo = nuem_config_number(cfg, NUEM_P_OUTPUT_E_MIN);
  double hi = nuem_source_e_max(src);
  long n = nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS);
  nuem_result r;
  /* a user table has no fission components: E and the flux only; the Sun
   * has its flavours */
  int reactor = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "reactor");
  int solar = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "solar");
  static const char *const solar_names[] = {"E", "flux", "nue", "numu", "nutau"};
  /* radioactive and pidar: a column per delivered flavour */
  int analytic = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "radioactive") ||
                 nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "pidar");
  int flavours[NUEM_NFLAVOURS];
  size_t nf = nuem_source_flavours(src, flavours);
  const char *flavour_names[2 + NUEM_NFLAVOURS] = {"E", "flux"};
  for (size_t f = 0; f < nf; f++) flavour_names[2 + f] = nuem_flavour_name(flavours[f]);
  size_t ncols = reactor ? 5 + NUEM_NCOMPONENTS : solar ? 5 : analytic ? 2 + nf : 2;
  if (!(hi > lo)) {
    s = nuem_error(ctx, NUEM_ERANGE, "output.e_min (%g MeV) must lie below the "
                   "source's upper end (%g MeV)", lo, hi);
  } else {
    s = nuem_result_init(ctx, &r, (size_t)n, ncols,
                         solar ? solar_names : analytic ? flavour_names : names, units);
  }
  if (s) {
    nuem_source_free(src);
    return cli_fail(ctx, s);
  }
  for (long i = 0; i < n; i++) {
    double *row = &r.data[(size_t)i * r.ncols];
    row[0] = n > 1 ? lo * pow(hi / lo, (double)i / (double)(n - 1)) : lo;
    double comp[NUEM_NCOMPONENTS];
    row[1] = nuem_source_flux_components(src, row[0], comp);
    for (size_t c = 2; c < 2 + NUEM_NCOMPONENTS && reactor; c++) row[c] = comp[c - 2];
    if (reactor) { /* the band; band = 0 where nuem carries no published uncertainty */
      double sigma;
      int known = nuem_source_flux_sigma(src, row[0], &sigma);
      row[2 + NUEM_NCOMPONENTS] = known ? row[1] - sigma : row[1];
      row[3 + NUEM_NCOMPONENTS] = known ? row[1] + sigma : row[1];
      row[4 + NUEM_NCOMPONENTS] = known;
    }
  }
  if (reactor)
    nuem_result_note(&r, "flux_band", "flux_lo, flux_hi: flux -+ 1 sigma of the published "
                     "spectrum uncertainty, isotopes fully correlated; carried for "
                     "source.low_energy = perisse-2023 below 2 MeV (Perisse et al., PRC 108, "
                     "055501 (2023)); elsewhere band = 0 and flux_lo = flux_hi = flux (no band known) (docs/physics.md, \"Reactor spectrum "
                     "uncertainties\")");
  if (solar) solar_flux_table(src, &r);
  if (analytic) analytic_flux_table(src, flavours, &r);
  double err, total = nuem_source_total(src, &err);
  nuem_result_note(&r, "total_flux", "%.6g /cm2/s (quadrature error %.2g /cm2/s)", total, err);
  if (nuem_source_fission_rate(src) > 0) {
    nuem_result_note(&r, "fission_rate", "%.6g /s", nuem_source_fission_rate(src));
    nuem_result_note(&r, "antineutrinos_per_fission", "%.6g", nuem_source_per_fission(src));
  }
  cli_report_unused(ctx, cfg);
  int rc = opt->plot ? cli_plot_flux(ctx, cfg, opt->plot, &r) : 0;
  if (!rc) rc = cli_write_result(ctx, opt, cfg, &r);
  nuem_result_free(&r);
  nuem_source_free(src);
  return rc;
}

int cli_response(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_detector *d;
  nuem_response r;
  nuem_status s = nuem_detector_init(ctx, cfg, &d);
  if (s) return cli_fail(ctx, s);
  s = nuem_response_from_config(ctx, cfg, d, &r);
  nuem_detector_free(d);
  if (s) return cli_fail(ctx, s);
  /* an experiment file describes more than the detector: only unused
   * [detector] keys are worth a warning here */
  cli_report_unused_in(ctx, cfg, "detector");
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  int rc = 1;
  if (mem) {
    s = nuem_response_write(ctx, mem, &r);
    fclose(mem);
    rc = s ? cli_fail(ctx, s) : cli_write_buffer(opt->out_file, buf, len);
  }
  free(buf);
  nuem_response_free(&r);
  return rc;
}

/* The models of --models (default stepping,epa), split in place. */
static size_t split_models(char *list, const char **models, size_t max) {
  size_t n = 0;
  for (char *save = NULL, *m = strtok_r(list, ",", &save); m && n < max;
       m = strtok_r(NULL, ",", &save))
    models[n++] = m;
  return n;
}

int cli_ratios(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  enum { MAX_MODELS = 8 };
  char list[256];
  snprintf(list, sizeof list, "%s", opt->models ? opt->models : "stepping,epa");
  const char *models[MAX_MODELS];
  size_t n = split_models(list, models, MAX_MODELS);
  if (opt->plot && !cli_have_gnuplot()) {
    fprintf(stderr, "nuem: --plot needs gnuplot; install it with 'apt-get install gnuplot-nox'\n");
    return 1;
  }
  nuem_result r;
  nuem_status s = nuem_atomic_ratio_table(ctx, cfg, models, n, &r);
  if (s) return cli_fail(ctx, s);
  int rc = opt->plot ? cli_plot_ratios(ctx, cfg, opt->plot, &r) : 0;
  if (!rc) rc = cli_write_result(ctx, opt, cfg, &r);
  cli_report_unused(ctx, cfg);
  nuem_result_free(&r);
  return rc;
}

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

int cli_flux(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_source *src = NULL;
  nuem_result r;
  nuem_status s = nuem_source_init(ctx, cfg, &src);
  if (!s) s = nuem_flux_table(ctx, src, cfg, NULL, 0, &r);
  nuem_source_free(src);
  if (s) return cli_fail(ctx, s);
  cli_report_unused(ctx, cfg);
  int rc = opt->plot ? cli_plot_flux(ctx, cfg, opt->plot, &r) : 0;
  if (!rc) rc = cli_write_result(ctx, opt, cfg, &r);
  nuem_result_free(&r);
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

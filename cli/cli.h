/* The nuem command: shared option parsing and output for the subcommands. */
#ifndef NUEM_CLI_H
#define NUEM_CLI_H

#include <stdio.h>

#include "nuem/nuem.h"

typedef struct {
  const char *command;
  const char *config_file; /* positional FILE.ini, or NULL */
  const char *out_file;    /* --out, or NULL for stdout */
  nuem_format format;
  /* xsec */
  const char *channel, *flavour, *enu, *t, *target, *mu, *q, *r2, *atomic;
  const char *plot;        /* --plot FILE.png|.svg|.pdf */
  const char *data_file;   /* fit, limit: the measured spectrum */
  const char *scan;        /* sensitivity, limit: KEY=FROM:TO:N */
  const char *models;      /* ratios: atomic models, comma-separated */
  const char *element, *edges; /* atomic: --element, --edges */
  const char *max_multipole;   /* atomic: --max-multipole L */
  const char *action;      /* atomic: "build", or NULL for one point */
  const char *combine;     /* limit: a combination file (joint fit) */
  const char *sets[64];    /* the --set assignments, for a combination's experiments */
  size_t nsets;
} cli_options;

typedef struct {
  const char *name;
  const char *synopsis;
  const char *help;
  int (*run)(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
  int takes_xsec_options;
  int takes_data; /* first positional argument is a data file */
} cli_command;

extern const cli_command cli_commands[];

/* Propagate a library status from a helper. */
#define NUEM_CLI_TRY(expr)                  \
  do {                                      \
    nuem_status cli_try_s_ = (expr);        \
    if (cli_try_s_) return cli_try_s_;      \
  } while (0)

/* Report a library failure on stderr; returns its exit code. */
int cli_fail(nuem_context *ctx, nuem_status s);
/* Write a result to --out or stdout, with provenance. */
int cli_write_result(nuem_context *ctx, const cli_options *opt,
                     const nuem_config *cfg, const nuem_result *r);
/* Write `len` bytes to `path` (NULL: stdout); returns an exit code. */
int cli_write_buffer(const char *path, const char *buf, size_t len);
/* Print config warnings (keys given but not used) on stderr. */
void cli_report_unused(nuem_context *ctx, const nuem_config *cfg);
/* The same, but "not used" warnings only for keys of `section`. */
void cli_report_unused_in(nuem_context *ctx, const nuem_config *cfg, const char *section);

/* --plot support and the progress bar (cli/plot.c). */
/* The files --plot writes for `command`: the picture first, then the data
 * and script beside it. Checks the picture's name (NAME.png|.svg|.pdf);
 * returns 0, or 2 after a message. */
typedef struct {
  char path[6][4200];
  size_t n;
} cli_plot_paths;
int cli_plot_files(const char *command, const char *picture, cli_plot_paths *out);
/* Before anything runs: --out and every --plot file is writable and is not
 * one of the inputs (cli/outputs.c). Returns 0, or 2 after a message. */
int cli_check_outputs(const nuem_config *cfg, const cli_options *opt);
int cli_have_gnuplot(void);
int cli_plot(nuem_context *ctx, const nuem_config *cfg, const char *picture,
             const nuem_result *true_spectrum, const nuem_result *measured);
void cli_progress_setup(nuem_context *ctx);
/* MPI (cli/mpi.c): start it if a launcher started nuem and install the
 * ranks on ctx; 0 on success. */
int cli_mpi_start(int *argc, char ***argv, nuem_context *ctx);
/* Ranks other than 0 write no files. */
void cli_mpi_quiet(cli_options *opt);
/* End MPI after exit status rc (a failure ends the whole job); returns rc. */
int cli_mpi_finish(nuem_context *ctx, int rc);

int cli_spectrum(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_flux(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_xsec(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_config(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_response(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_fit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_limit(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_limit_joint(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_limit_scan(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_sensitivity(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_ratios(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
int cli_atomic(nuem_context *ctx, nuem_config *cfg, const cli_options *opt);
/* Run gnuplot on a script; pictures of result tables (cli/plot.c). */
int cli_run_gnuplot(const char *script);
FILE *cli_plot_begin(nuem_context *ctx, const char *picture, const char *command,
                     const nuem_config *cfg, const nuem_result *r, char *data, char *script,
                     size_t size, int *rc);
int cli_plot_finish(FILE *script_file, const char *script, const char *picture);
int cli_plot_flux(nuem_context *ctx, const nuem_config *cfg, const char *picture,
                  const nuem_result *r);
int cli_plot_ratios(nuem_context *ctx, const nuem_config *cfg, const char *picture,
                    const nuem_result *r);

#endif

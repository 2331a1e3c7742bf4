/* --plot: write the data and a gnuplot script beside the picture, run gnuplot. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

int cli_have_gnuplot(void) {
  const char *path = getenv("PATH");
  if (!path) return 0;
  char *copy = strdup(path), *save = NULL;
  int found = 0;
  for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
    char full[4096];
    snprintf(full, sizeof full, "%s/gnuplot", *dir ? dir : ".");
    found = access(full, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* "out/fig3.png" -> "out/fig3" */
static char *stem(const char *picture) {
  char *s = strdup(picture);
  char *dot = s ? strrchr(s, '.') : NULL;
  if (dot && !strchr(dot, '/')) *dot = '\0';
  return s;
}

static int write_table(nuem_context *ctx, const char *path, const nuem_config *cfg,
                       const nuem_result *r) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "nuem: cannot write '%s'\n", path);
    return 1;
  }
  nuem_status s = nuem_result_write(ctx, f, NUEM_FORMAT_TSV, "spectrum", cfg, r);
  int bad = fclose(f) != 0;
  if (s) return cli_fail(ctx, s);
  if (bad) fprintf(stderr, "nuem: writing '%s' failed\n", path);
  return bad;
}

/* Run gnuplot on `script`; say where the picture went. */
int cli_run_gnuplot(const char *script) {
  pid_t pid;
  char *argv[] = {"gnuplot", (char *)script, NULL};
  if (posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ) != 0) {
    fprintf(stderr, "nuem: cannot start gnuplot\n");
    return 1;
  }
  int status;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "nuem: gnuplot failed on '%s'\n", script);
    return 1;
  }
  return 0;
}

int cli_plot(nuem_context *ctx, const nuem_config *cfg, const char *picture,
             const nuem_result *true_spectrum, const nuem_result *measured) {
  char *base = stem(picture);
  if (!base) return 1;
  size_t n = strlen(base) + 32;
  char *true_path = malloc(n), *measured_path = malloc(n), *script = malloc(n);
  int rc = !true_path || !measured_path || !script;
  if (!rc) {
    snprintf(true_path, n, "%s.true.tsv", base);
    snprintf(measured_path, n, "%s.measured.tsv", base);
    snprintf(script, n, "%s.gp", base);
    rc = write_table(ctx, true_path, cfg, true_spectrum);
  }
  if (!rc && measured) rc = write_table(ctx, measured_path, cfg, measured);
  if (!rc) {
    FILE *f = fopen(script, "w");
    nuem_status s = f ? nuem_plot_script(ctx, f, cfg, picture, true_path,
                                         measured ? measured_path : NULL)
                      : NUEM_EFILE;
    if (f && fclose(f)) s = NUEM_EFILE;
    if (s) rc = f ? cli_fail(ctx, s) : (fprintf(stderr, "nuem: cannot write '%s'\n", script), 1);
  }
  if (!rc) rc = cli_run_gnuplot(script);
  if (!rc) fprintf(stderr, "nuem: wrote %s (data and gnuplot script beside it: %s)\n", picture, script);
  free(base);
  free(true_path);
  free(measured_path);
  free(script);
  return rc;
}

/* A progress bar on stderr, only when stderr is a terminal. */
static void draw_progress(void *user, double fraction, const char *what) {
  (void)user;
  int width = 40, done = (int)(fraction * width + 0.5);
  fprintf(stderr, "\r%-16s [", what);
  for (int i = 0; i < width; i++) fputc(i < done ? '#' : '.', stderr);
  fprintf(stderr, "] %3d%%", (int)(fraction * 100 + 0.5));
  if (fraction >= 1.0) fputs("\r\033[K", stderr);
  fflush(stderr);
}

void cli_progress_setup(nuem_context *ctx) {
  if (isatty(STDERR_FILENO)) nuem_context_set_progress(ctx, draw_progress, NULL);
}

/* A picture of a result table: validate the extension, write the table as
 * <stem>.tsv beside the picture, and open <stem>.gp with the terminal and
 * output lines written. The caller adds the plot commands and calls
 * cli_plot_finish. Returns NULL (after a message) on failure; *rc gets the
 * exit status. */
FILE *cli_plot_begin(nuem_context *ctx, const char *picture, const char *command,
                     const nuem_config *cfg, const nuem_result *r, char *data, char *script,
                     size_t size, int *rc) {
  const char *dot = strrchr(picture, '.');
  const char *ext = dot ? dot + 1 : "";
  const char *term = !strcmp(ext, "png") ? "pngcairo" : !strcmp(ext, "svg") ? "svg"
                     : !strcmp(ext, "pdf") ? "pdfcairo" : NULL;
  *rc = 2;
  if (!term || strchr(picture, '\'')) {
    fprintf(stderr, "nuem: --plot '%s': the picture must end in .png, .svg or .pdf (and "
                    "contain no quote)\n", picture);
    return NULL;
  }
  *rc = 1;
  int n = (int)(dot - picture);
  snprintf(data, size, "%.*s.tsv", n, picture);
  snprintf(script, size, "%.*s.gp", n, picture);
  FILE *f = fopen(data, "w");
  if (!f) {
    fprintf(stderr, "nuem: cannot write '%s'\n", data);
    return NULL;
  }
  nuem_status s = nuem_result_write(ctx, f, NUEM_FORMAT_TSV, command, cfg, r);
  if (fclose(f) || s) {
    if (s) cli_fail(ctx, s);
    else fprintf(stderr, "nuem: writing '%s' failed\n", data);
    return NULL;
  }
  if (!(f = fopen(script, "w"))) {
    fprintf(stderr, "nuem: cannot write '%s'\n", script);
    return NULL;
  }
  fprintf(f, "set terminal %s size 900,600 enhanced font 'sans,12'\nset output '%s'\n", term,
          picture);
  *rc = 0;
  return f;
}

int cli_plot_finish(FILE *script_file, const char *script, const char *picture) {
  if (fclose(script_file)) {
    fprintf(stderr, "nuem: writing '%s' failed\n", script);
    return 1;
  }
  int rc = cli_run_gnuplot(script);
  if (!rc) fprintf(stderr, "nuem: wrote %s (data and gnuplot script beside it: %s)\n", picture, script);
  return rc;
}

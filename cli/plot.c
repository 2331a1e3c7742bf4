/* --plot: write the data and a gnuplot script beside the picture, run gnuplot. */
#include <errno.h>
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

/* The gnuplot terminal for the picture's extension, or NULL. */
static const char *terminal(const char *picture) {
  const char *dot = strrchr(picture, '.');
  const char *ext = dot && !strchr(dot, '/') ? dot + 1 : "";
  return !strcmp(ext, "png") ? "pngcairo" : !strcmp(ext, "svg") ? "svg"
         : !strcmp(ext, "pdf") ? "pdfcairo" : NULL;
}

int cli_plot_files(const char *command, const char *picture, cli_plot_paths *out) {
  const char *slash = strrchr(picture, '/');
  const char *name = slash ? slash + 1 : picture;
  const char *dot = strrchr(picture, '.');
  if (!terminal(picture) || strchr(picture, '\'') || dot == name ||
      strlen(picture) >= sizeof out->path[0] - 16) {
    fprintf(stderr, "nuem: --plot '%s': the picture must be NAME.png, NAME.svg or NAME.pdf "
                    "(no quote, shorter than 4 kB)\n", picture);
    return 2;
  }
  /* spectrum writes the true and measured spectra; limit and sensitivity
   * their table, and a 2-D contour its grid and gnuplot's contour lines */
  static const char *const spectrum[] = {".true.tsv", ".measured.tsv", ".gp", NULL};
  static const char *const table[] = {".tsv", ".gp", ".gp.grid", ".gp.contour",
                                       ".gp.contour.fc", NULL};
  const char *const *suffix = strcmp(command, "spectrum") == 0 ? spectrum : table;
  int stem = (int)(dot - picture);
  snprintf(out->path[0], sizeof out->path[0], "%s", picture);
  for (out->n = 1; suffix[out->n - 1]; out->n++)
    snprintf(out->path[out->n], sizeof out->path[0], "%.*s%s", stem, picture,
             suffix[out->n - 1]);
  return 0;
}

/* After a failure: no picture, data or script is left behind. */
static void remove_plot_files(const cli_plot_paths *files) {
  for (size_t i = 0; i < files->n; i++) unlink(files->path[i]);
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

/* Everything `fd` delivers until end of file, in a buffer (caller frees). */
static char *drain(int fd, size_t *len) {
  char *text = NULL, buf[4096];
  FILE *mem = open_memstream(&text, len);
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    if (mem) fwrite(buf, 1, (size_t)got, mem);
  }
  if (mem) fclose(mem);
  return text;
}

/* Run gnuplot on `script`. Its messages are collected and printed after
 * nuem's own, so that a failure reads "nuem: gnuplot failed ..." first. */
int cli_run_gnuplot(const char *script) {
  int fds[2];
  if (pipe(fds) != 0) {
    fprintf(stderr, "nuem: cannot start gnuplot: %s\n", strerror(errno));
    return 1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  pid_t pid;
  char *argv[] = {"gnuplot", (char *)script, NULL};
  int err = posix_spawnp(&pid, "gnuplot", &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  size_t len = 0;
  char *said = err ? NULL : drain(fds[0], &len);
  close(fds[0]);
  int status, ok = !err && waitpid(pid, &status, 0) >= 0 && WIFEXITED(status) &&
                   WEXITSTATUS(status) == 0;
  if (err) fprintf(stderr, "nuem: cannot start gnuplot: %s\n", strerror(err));
  else if (!ok) fprintf(stderr, "nuem: gnuplot failed on '%s'%s\n", script, len ? "; it said:" : "");
  if (said && len) fwrite(said, 1, len, stderr);
  free(said);
  return !ok;
}

int cli_plot(nuem_context *ctx, const nuem_config *cfg, const char *picture,
             const nuem_result *true_spectrum, const nuem_result *measured) {
  cli_plot_paths files;
  int rc = cli_plot_files("spectrum", picture, &files);
  if (rc) return rc;
  const char *true_path = files.path[1], *measured_path = files.path[2],
             *script = files.path[3];
  rc = write_table(ctx, true_path, cfg, true_spectrum);
  if (!rc && measured) rc = write_table(ctx, measured_path, cfg, measured);
  if (!rc) {
    FILE *f = fopen(script, "w");
    /* the model that ran: the first word of the note ("ab-initio (auto: ...)") */
    const char *note = nuem_result_note_value(true_spectrum, "atomic_model");
    char model[32];
    snprintf(model, sizeof model, "%.*s", note ? (int)strcspn(note, " ") : 0, note ? note : "");
    nuem_status s = f ? nuem_plot_script(ctx, f, cfg, model, picture, true_path,
                                         measured ? measured_path : NULL)
                      : NUEM_EFILE;
    if (f && fclose(f)) s = NUEM_EFILE;
    if (s) rc = f ? cli_fail(ctx, s) : (fprintf(stderr, "nuem: cannot write '%s'\n", script), 1);
  }
  if (!rc) rc = cli_run_gnuplot(script);
  if (!rc) fprintf(stderr, "nuem: wrote %s (data and gnuplot script beside it: %s)\n", picture, script);
  else remove_plot_files(&files);
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
  cli_plot_paths files;
  if ((*rc = cli_plot_files(command, picture, &files))) return NULL;
  *rc = 1;
  snprintf(data, size, "%s", files.path[1]);
  snprintf(script, size, "%s", files.path[2]);
  FILE *f = fopen(data, "w");
  if (!f) {
    fprintf(stderr, "nuem: cannot write '%s': %s\n", data, strerror(errno));
    return NULL;
  }
  nuem_status s = nuem_result_write(ctx, f, NUEM_FORMAT_TSV, command, cfg, r);
  if (fclose(f) || s) {
    if (s) cli_fail(ctx, s);
    else fprintf(stderr, "nuem: writing '%s' failed\n", data);
    remove_plot_files(&files);
    return NULL;
  }
  if (!(f = fopen(script, "w"))) {
    fprintf(stderr, "nuem: cannot write '%s': %s\n", script, strerror(errno));
    remove_plot_files(&files);
    return NULL;
  }
  fprintf(f, "set terminal %s size 900,600 enhanced font 'sans,12'\nset output '%s'\n",
          terminal(picture), picture);
  *rc = 0;
  return f;
}

int cli_plot_finish(FILE *script_file, const char *script, const char *picture) {
  int rc = 0;
  if (fclose(script_file)) {
    fprintf(stderr, "nuem: writing '%s' failed\n", script);
    rc = 1;
  }
  if (!rc) rc = cli_run_gnuplot(script);
  if (!rc) {
    fprintf(stderr, "nuem: wrote %s (data and gnuplot script beside it: %s)\n", picture, script);
  } else {
    cli_plot_paths files; /* limit and sensitivity write the same files */
    if (cli_plot_files("limit", picture, &files) == 0) remove_plot_files(&files);
  }
  return rc;
}

/* The ratios of `nuem ratios` against T: a colour per model, a dash
 * pattern per term, ratio 1 (free electrons) marked. */
int cli_plot_ratios(nuem_context *ctx, const nuem_config *cfg, const char *picture,
                    const nuem_result *r) {
  static const char *const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  static const char *const terms[] = {"sm_", "mu_", "q2_", "qweak_"};
  enum { NCOLOURS = sizeof colours / sizeof *colours, NTERM_KINDS = sizeof terms / sizeof *terms };
  char data[4200], script[4200];
  int rc;
  FILE *f = cli_plot_begin(ctx, picture, "ratios", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  fprintf(f, "set logscale x\nset format x '10^{%%L}'\nset xlabel 'T [keV]'\n"
             "set ylabel 'model / free electrons (electron channel, flux-averaged)'\n"
             "set grid\nset key outside right top box noenhanced\nset yrange [0:*]\n"
             "set title 'weak solid, {/Symbol m}^2 dashed, q^2 dotted, q-weak dash-dot'\n");
  fputs("plot 1 with lines lc rgb '#999999' dt 2 notitle", f);
  const char *model = "";
  int colour = -1;
  for (size_t c = 1; c < r->ncols; c++) {
    const char *name = r->names[c], *under = strchr(name, '_');
    if (!under) continue;
    if (strcmp(under + 1, model) != 0) model = under + 1, colour = (colour + 1) % NCOLOURS;
    int dash = 1;
    for (int k = 0; k < NTERM_KINDS; k++)
      if (!strncmp(name, terms[k], strlen(terms[k]))) dash = k + 1;
    fprintf(f, ", \\\n  '%s' using 1:%zu with lines lw 2 dt %d lc rgb '%s' title '%s'", data,
            c + 1, dash, colours[colour], name);
  }
  fputc('\n', f);
  return cli_plot_finish(f, script, picture);
}

/* `nuem flux --plot`: dPhi/dE against E, log-log, with the one-sigma band
 * of the published spectrum uncertainties (columns flux_lo, flux_hi) where
 * the table has it. */
int cli_plot_flux(nuem_context *ctx, const nuem_config *cfg, const char *picture,
                  const nuem_result *r) {
  char data[4200], script[4200];
  int rc;
  FILE *f = cli_plot_begin(ctx, picture, "flux", cfg, r, data, script, sizeof data, &rc);
  if (!f) return rc;
  size_t lo = 0, hi = 0;
  for (size_t c = 0; c < r->ncols; c++) {
    if (!strcmp(r->names[c], "flux_lo")) lo = c + 1;
    if (!strcmp(r->names[c], "flux_hi")) hi = c + 1;
  }
  fprintf(f, "set logscale xy\nset xlabel 'E_{/Symbol n} [MeV]'\n"
             "set ylabel 'd{/Symbol F}/dE [cm^{-2} s^{-1} MeV^{-1}]'\n"
             "set grid\nset key top right box\n");
  fputs("plot ", f);
  if (lo && hi)
    fprintf(f, "'%s' using 1:%zu:%zu with filledcurves fc rgb '#9ecae1' "
               "title '1{/Symbol s} band (Perisse 2023, E < 2 MeV)', \\\n  ", data, lo, hi);
  fprintf(f, "'%s' using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'flux'\n", data);
  return cli_plot_finish(f, script, picture);
}

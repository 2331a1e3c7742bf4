/* nuem: command-line entry point. Parses, calls the library, prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* NUEM_STATS=1 in the environment: what the job built, and its wall time,
 * on stderr (docs/performance.md). */
static void print_stats(const nuem_context *ctx, const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "nuem: stats:");
  for (int c = 0; c < NUEM_NCOUNTERS; c++)
    fprintf(stderr, " %s %zu,", nuem_counter_name((nuem_counter)c),
            nuem_context_counter(ctx, (nuem_counter)c));
  fprintf(stderr, " %.3f s\n", (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec));
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: nuem [COMMAND] [FILE.ini] [--set SECTION.KEY=VALUE]... "
          "[--format tsv|csv|json] [--out FILE]\n\n"
          "Predicts what a low-threshold detector records from reactor "
          "neutrinos.\nWithout a command, runs `nuem spectrum` on the built-in "
          "default experiment\n(Kuo-Sheng-like reactor, 1 kg natural Ge).\n\n"
          "commands:\n");
  for (const cli_command *c = cli_commands; c->name; c++)
    fprintf(out, "  %-9s %s\n", c->name, c->synopsis);
  fprintf(out, "\n`nuem COMMAND --help` describes a command; `nuem config` "
               "lists every key.\nExit status: 0 success, 2 usage or "
               "configuration error, 1 other failure.\n");
}

static const cli_command *find_command(const char *name) {
  for (const cli_command *c = cli_commands; c->name; c++)
    if (strcmp(c->name, name) == 0) return c;
  return NULL;
}

/* The value of option `name` given as "--name VALUE" or "--name=VALUE". */
static int option_value(int argc, char **argv, int *i, const char *name,
                        const char **value) {
  size_t len = strlen(name);
  if (strncmp(argv[*i], name, len) != 0) return 0;
  if (argv[*i][len] == '=') {
    *value = argv[*i] + len + 1;
    return 1;
  }
  if (argv[*i][len] != '\0') return 0;
  if (*i + 1 >= argc) {
    *value = NULL;
    return 1;
  }
  *value = argv[++*i];
  return 1;
}

/* --channel, --flavour, --enu, --t, --target; *value NULL if it is missing. */
static int xsec_option(int argc, char **argv, int *i, cli_options *opt,
                       const char **value) {
  static const char *const names[] = {"--channel", "--flavour", "--enu", "--t",
                                      "--target", "--mu", "--q", "--r2", "--atomic",
                                      "--element", "--edges", "--max-multipole"};
  const char **slots[] = {&opt->channel, &opt->flavour, &opt->enu, &opt->t,
                          &opt->target, &opt->mu, &opt->q, &opt->r2, &opt->atomic,
                          &opt->element, &opt->edges, &opt->max_multipole};
  for (int k = 0; k < (int)(sizeof names / sizeof *names); k++)
    if (option_value(argc, argv, i, names[k], value)) {
      *slots[k] = *value;
      return 1;
    }
  return 0;
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "nuem: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, " (see `nuem --help`)\n");
  return 2;
}

/* Options that take a value (as "--opt VALUE" or "--opt=VALUE"). */
static int takes_value(const cli_command *cmd, const char *a) {
  static const char *const common[] = {"--set", "--format", "--out"};
  static const char *const xsec[] = {"--channel", "--flavour", "--enu", "--t", "--target",
                                     "--mu", "--q", "--r2", "--atomic"};
  for (int k = 0; k < (int)(sizeof common / sizeof *common); k++)
    if (strcmp(a, common[k]) == 0) return 1;
  if (strcmp(a, "--plot") == 0 && (strcmp(cmd->name, "spectrum") == 0 ||
                                   strcmp(cmd->name, "limit") == 0 ||
                                   strcmp(cmd->name, "sensitivity") == 0 ||
                                   strcmp(cmd->name, "ratios") == 0 ||
                                   strcmp(cmd->name, "flux") == 0))
    return 1;
  if (strcmp(cmd->name, "ratios") == 0 && strcmp(a, "--models") == 0) return 1;
  if ((strcmp(cmd->name, "sensitivity") == 0 || strcmp(cmd->name, "limit") == 0) &&
      strcmp(a, "--scan") == 0)
    return 1;
  if (strcmp(cmd->name, "limit") == 0 && strcmp(a, "--combine") == 0) return 1;
  if (strcmp(cmd->name, "atomic") == 0)
    return !strcmp(a, "--element") || !strcmp(a, "--edges") || !strcmp(a, "--t") ||
           !strcmp(a, "--q") || !strcmp(a, "--max-multipole");
  for (int k = 0; cmd->takes_xsec_options && k < (int)(sizeof xsec / sizeof *xsec); k++)
    if (strcmp(a, xsec[k]) == 0) return 1;
  return 0;
}

static int known_option(const cli_command *cmd, const char *a) {
  char name[32];
  size_t len = strcspn(a, "=");
  if (len >= sizeof name) return 0;
  memcpy(name, a, len);
  name[len] = '\0';
  return takes_value(cmd, name);
}

/* Whether option `a` (other than the repeatable --set) is among the `n`
 * options seen before it: a second --out or --scan would silently win. */
static int given_before(const char *a, const char *const *seen, size_t n) {
  size_t len = strcspn(a, "=");
  if (len == 5 && strncmp(a, "--set", 5) == 0) return 0;
  for (size_t k = 0; k < n; k++)
    if (strcspn(seen[k], "=") == len && strncmp(seen[k], a, len) == 0) return 1;
  return 0;
}

/* First pass: find the config file and reject unknown options, so that
 * nothing is read before the whole command line is known to be sound. */
static int scan_args(int argc, char **argv, int first, const cli_command *cmd,
                     cli_options *opt) {
  const char *seen[64];
  size_t nseen = 0;
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') {
      if (!strcmp(cmd->name, "atomic") && !opt->action && !strcmp(a, "build")) {
        opt->action = a;
        continue;
      }
      if (cmd->takes_data && !opt->data_file) {
        opt->data_file = a;
        continue;
      }
      if (opt->config_file)
        return usage_error("unexpected argument '%s': give at most one config file", a);
      opt->config_file = a;
    } else if (!known_option(cmd, a)) {
      return usage_error("unknown option '%s'", a);
    } else if (given_before(a, seen, nseen)) {
      return usage_error("option '%s' is given twice; give it once", a);
    } else if (!strchr(a, '=')) {
      if (i + 1 >= argc) return usage_error("option '%s' needs a value", a);
      i++;
    }
    if (a[0] == '-' && strncmp(a, "--set", 5) != 0 && nseen < sizeof seen / sizeof seen[0])
      seen[nseen++] = a; /* at most one of each of the few other options */
  }
  return 0;
}

static int parse_args(int argc, char **argv, int first, const cli_command *cmd,
                      nuem_context *ctx, nuem_config *cfg, cli_options *opt) {
  int rc = scan_args(argc, argv, first, cmd, opt);
  if (rc) return rc;
  /* The config file first, so that --set overrides it whatever the order. */
  if (opt->config_file) {
    nuem_status s = nuem_config_load_file(ctx, cfg, opt->config_file);
    if (s) return cli_fail(ctx, s);
  }
  for (int i = first; i < argc; i++) {
    const char *v = NULL;
    if (argv[i][0] != '-') continue;
    if (option_value(argc, argv, &i, "--set", &v)) {
      nuem_status s = nuem_config_set_assignment(ctx, cfg, v);
      if (s) return cli_fail(ctx, s);
      if (opt->nsets == sizeof opt->sets / sizeof *opt->sets)
        return usage_error("more than 64 --set options%s", "");
      opt->sets[opt->nsets++] = v;
    } else if (option_value(argc, argv, &i, "--combine", &v)) {
      opt->combine = v;
    } else if (option_value(argc, argv, &i, "--format", &v)) {
      nuem_status s = nuem_format_parse(ctx, v, &opt->format);
      if (s) return cli_fail(ctx, s);
    } else if (option_value(argc, argv, &i, "--out", &v)) {
      opt->out_file = v;
    } else if (option_value(argc, argv, &i, "--plot", &v)) {
      opt->plot = v;
    } else if (option_value(argc, argv, &i, "--models", &v)) {
      opt->models = v;
    } else if (option_value(argc, argv, &i, "--scan", &v)) {
      opt->scan = v;
    } else {
      xsec_option(argc, argv, &i, opt, &v);
    }
  }
  if (opt->combine && (opt->data_file || opt->config_file))
    return usage_error("unexpected argument '%s': with --combine the combination file names "
                       "each experiment's data and config", opt->data_file ? opt->data_file
                                                                            : opt->config_file);
  if (opt->combine && (opt->scan || opt->plot))
    return usage_error("%s: a joint fit (--combine) gives one table; --scan and --plot are "
                       "not available with it", opt->scan ? "--scan" : "--plot");
  if (cmd->takes_data && !opt->data_file && !opt->combine)
    return usage_error("nuem %s needs a measured spectrum: give DATA [CONFIG]", cmd->name);
  /* before anything is computed or printed */
  return cli_check_outputs(cfg, opt);
}

static int wants_help(int argc, char **argv, int first) {
  for (int i = first; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  int first = 1;
  const cli_command *cmd = find_command("spectrum");
  if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
    printf("nuem %s\n", nuem_version());
    return 0;
  }
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                   strcmp(argv[1], "help") == 0)) {
    usage(stdout);
    return 0;
  }
  if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '.') && !strchr(argv[1], '/')) {
    cmd = find_command(argv[1]);
    if (!cmd) return usage_error("unknown command '%s'", argv[1]);
    first = 2;
  }
  if (wants_help(argc, argv, first)) {
    printf("usage: nuem %s\n\n%s", cmd->synopsis, cmd->help);
    return 0;
  }
  nuem_context *ctx;
  nuem_config *cfg;
  if (nuem_context_new(&ctx)) {
    fprintf(stderr, "nuem: out of memory\n");
    return 1;
  }
  nuem_status s = nuem_config_new(ctx, &cfg);
  if (s) {
    int rc = cli_fail(ctx, s);
    nuem_context_free(ctx);
    return rc;
  }
  cli_options opt = {.command = cmd->name, .format = NUEM_FORMAT_TSV};
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = cli_mpi_start(&argc, &argv, ctx);
  if (rc == 0) cli_progress_setup(ctx); /* after MPI: other ranks draw none */
  if (rc == 0) rc = parse_args(argc, argv, first, cmd, ctx, cfg, &opt);
  cli_mpi_quiet(&opt);
  if (rc == 0) rc = cmd->run(ctx, cfg, &opt);
  const char *stats = getenv("NUEM_STATS");
  if (stats && *stats && strcmp(stats, "0") != 0) print_stats(ctx, &t0);
  rc = cli_mpi_finish(ctx, rc);
  nuem_config_free(cfg);
  nuem_context_free(ctx);
  return rc;
}

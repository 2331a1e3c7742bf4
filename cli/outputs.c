/* Before anything is computed or printed: every file nuem will write must be
 * writable and must not be one of the files it reads (compared by device and
 * inode, so "./a.ini", "dir/../a.ini", links and hard links are caught). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
  char what[64];    /* "the config file", "source.file" */
  char path[4096];
  struct stat st;
} input_file;

/* The keys that name a file nuem reads. */
static const nuem_param file_keys[] = {
    NUEM_P_SOURCE_FILE,          NUEM_P_ATOMIC_TABLE, NUEM_P_ATOMIC_RESPONSE_TABLE,
    NUEM_P_ATOMIC_PHOTOABSORPTION, NUEM_P_DETECTOR_QUENCHING_TABLE,
    NUEM_P_DETECTOR_RESOLUTION_TABLE, NUEM_P_DETECTOR_EFFICIENCY_TABLE,
    NUEM_P_DETECTOR_RESPONSE_MATRIX, NUEM_P_BACKGROUND_TABLE};
enum { MAX_INPUTS = 2 + sizeof file_keys / sizeof file_keys[0] };

static void add_input(input_file *in, size_t *n, const char *what, const char *path) {
  if (!path || !*path) return;
  input_file *f = &in[*n];
  snprintf(f->what, sizeof f->what, "%s", what);
  snprintf(f->path, sizeof f->path, "%s", path);
  if (stat(f->path, &f->st) == 0) (*n)++; /* a missing input is reported when read */
}

static size_t input_files(const nuem_config *cfg, const cli_options *opt, input_file *in) {
  size_t n = 0;
  add_input(in, &n, "the config file", opt->config_file);
  add_input(in, &n, "the data file", opt->data_file);
  for (size_t k = 0; k < sizeof file_keys / sizeof file_keys[0]; k++) {
    const nuem_param_info *info = nuem_param_info_get(file_keys[k]);
    char what[64], path[4096];
    snprintf(what, sizeof what, "%s.%s", info->section, info->key);
    nuem_config_format(cfg, file_keys[k], path, sizeof path); /* does not mark it used */
    add_input(in, &n, what, path);
  }
  return n;
}

/* `path` (written for `option`) is creatable and is none of the inputs. */
static int check_output(const char *option, const char *path, const input_file *in,
                        size_t nin) {
  if (!*path) {
    fprintf(stderr, "nuem: %s needs a file name\n", option);
    return 2;
  }
  struct stat st;
  if (stat(path, &st) != 0 && errno != ENOENT) {
    fprintf(stderr, "nuem: %s: cannot write '%s': %s\n", option, path, strerror(errno));
    return 2;
  }
  if (stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      fprintf(stderr, "nuem: %s: cannot write '%s': %s\n", option, path, strerror(EISDIR));
      return 2;
    }
    for (size_t i = 0; i < nin; i++)
      if (st.st_dev == in[i].st.st_dev && st.st_ino == in[i].st.st_ino) {
        fprintf(stderr, "nuem: %s would write '%s', which is %s '%s'; nuem never "
                "overwrites its input: choose another name\n", option, path, in[i].what,
                in[i].path);
        return 2;
      }
  }
  char dir[4096];
  const char *slash = strrchr(path, '/');
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
  if (access(dir, W_OK) != 0) {
    fprintf(stderr, "nuem: %s: cannot write '%s' in '%s': %s\n", option, path, dir,
            strerror(errno));
    return 2;
  }
  return 0;
}

int cli_check_outputs(const nuem_config *cfg, const cli_options *opt) {
  input_file in[MAX_INPUTS];
  size_t nin = input_files(cfg, opt, in);
  if (opt->out_file) {
    int rc = check_output("--out", opt->out_file, in, nin);
    if (rc) return rc;
  }
  if (!opt->plot) return 0;
  cli_plot_paths files;
  int rc = cli_plot_files(opt->command, opt->plot, &files);
  for (size_t i = 0; !rc && i < files.n; i++)
    rc = check_output("--plot", files.path[i], in, nin);
  return rc;
}

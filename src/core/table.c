/* Plain-text numeric tables with provenance comments and unit directives. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_internal.h"

void nuem_table_free(nuem_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->ncols; i++) {
    free(t->names ? t->names[i] : NULL);
    free(t->unit_names ? t->unit_names[i] : NULL);
  }
  free(t->unit_names);
  for (size_t i = 0; i < t->ndirectives; i++) {
    free(t->directive_keys[i]);
    free(t->directive_values[i]);
  }
  free(t->names);
  free(t->origin);
  free(t->units);
  free(t->data);
  free(t->directive_keys);
  free(t->directive_values);
  memset(t, 0, sizeof *t);
}

double nuem_table_get(const nuem_table *t, size_t row, size_t col) {
  return t->data[row * t->ncols + col];
}

long nuem_table_column(const nuem_table *t, const char *name) {
  for (size_t i = 0; i < t->ncols; i++)
    if (t->names && strcmp(t->names[i], name) == 0) return (long)i;
  return -1;
}

const char *nuem_table_directive(const nuem_table *t, const char *key) {
  for (size_t i = 0; i < t->ndirectives; i++)
    if (strcmp(t->directive_keys[i], key) == 0) return t->directive_values[i];
  return NULL;
}

/* Split a line (not NUL-terminated) into white-space separated words. */
static size_t split_words(const char *s, size_t len, char ***words) {
  size_t n = 0, cap = 0;
  char **w = NULL;
  size_t i = 0;
  while (i < len) {
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i >= len) break;
    size_t start = i;
    while (i < len && !isspace((unsigned char)s[i])) i++;
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      char **g = realloc(w, cap * sizeof *g);
      if (!g) goto fail;
      w = g;
    }
    if (!(w[n] = nuem_strndup(s + start, i - start))) goto fail;
    n++;
  }
  *words = w;
  return n;
fail:
  for (size_t k = 0; k < n; k++) free(w[k]);
  free(w);
  *words = NULL;
  return (size_t)-1;
}

static void free_words(char **w, size_t n) {
  for (size_t i = 0; i < n; i++) free(w[i]);
  free(w);
}

typedef struct {
  nuem_context *ctx;
  const char *origin;
  nuem_table *t;
  char **unit_words;
  size_t nunit_words, unit_line;
  size_t cap_rows;
} table_parser;

static nuem_status add_directive(table_parser *tp, const char *key, size_t klen,
                                 const char *val, size_t vlen) {
  nuem_table *t = tp->t;
  char **k = realloc(t->directive_keys, (t->ndirectives + 1) * sizeof *k);
  if (!k) return NUEM_ENOMEM;
  t->directive_keys = k;
  char **v = realloc(t->directive_values, (t->ndirectives + 1) * sizeof *v);
  if (!v) return NUEM_ENOMEM;
  t->directive_values = v;
  while (vlen && isspace((unsigned char)val[vlen - 1])) vlen--;
  k[t->ndirectives] = nuem_strndup(key, klen);
  v[t->ndirectives] = nuem_strndup(val, vlen);
  if (!k[t->ndirectives] || !v[t->ndirectives]) {
    free(k[t->ndirectives]);
    free(v[t->ndirectives]);
    return NUEM_ENOMEM;
  }
  t->ndirectives++;
  return NUEM_OK;
}

/* "# key: value" with key a single word is a directive; other comments are
 * free text. */
static nuem_status parse_comment(table_parser *tp, const char *s, size_t len,
                                 size_t lineno) {
  size_t i = 1;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
  size_t kstart = i;
  while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
  if (i == kstart || i >= len || s[i] != ':') return NUEM_OK;
  size_t klen = i - kstart;
  const char *val = s + i + 1;
  size_t vlen = len - i - 1;
  while (vlen && isspace((unsigned char)*val)) val++, vlen--;
  const char *key = s + kstart;
  if (klen == 7 && strncmp(key, "columns", 7) == 0) {
    if (tp->t->names)
      return nuem_error(tp->ctx, NUEM_EPARSE,
                        "%s:%zu: a second 'columns:' directive", tp->origin, lineno);
    char **w;
    size_t n = split_words(val, vlen, &w);
    if (n == (size_t)-1) return NUEM_ENOMEM;
    if (n == 0)
      return nuem_error(tp->ctx, NUEM_EPARSE,
                        "%s:%zu: 'columns:' names no column", tp->origin, lineno);
    if (tp->t->nrows && n != tp->t->ncols) {
      free_words(w, n);
      return nuem_error(tp->ctx, NUEM_EPARSE,
                        "%s:%zu: 'columns:' must come before the data",
                        tp->origin, lineno);
    }
    tp->t->names = w;
    tp->t->ncols = n;
    return NUEM_OK;
  }
  if (klen == 5 && strncmp(key, "units", 5) == 0) {
    if (tp->unit_words)
      return nuem_error(tp->ctx, NUEM_EPARSE,
                        "%s:%zu: a second 'units:' directive", tp->origin, lineno);
    size_t n = split_words(val, vlen, &tp->unit_words);
    if (n == (size_t)-1) return NUEM_ENOMEM;
    tp->nunit_words = n;
    tp->unit_line = lineno;
    return NUEM_OK;
  }
  return add_directive(tp, key, klen, val, vlen);
}

static nuem_status parse_row(table_parser *tp, const char *s, size_t len,
                             size_t lineno) {
  nuem_table *t = tp->t;
  char **w;
  size_t n = split_words(s, len, &w);
  if (n == (size_t)-1) return NUEM_ENOMEM;
  nuem_status st = NUEM_OK;
  if (t->ncols == 0) t->ncols = n; /* no columns: directive: first row decides */
  if (n != t->ncols) {
    st = nuem_error(tp->ctx, NUEM_EPARSE,
                    "%s:%zu: %zu values where %zu columns are expected",
                    tp->origin, lineno, n, t->ncols);
    goto done;
  }
  if (t->nrows == tp->cap_rows) {
    tp->cap_rows = tp->cap_rows ? 2 * tp->cap_rows : 64;
    double *g = realloc(t->data, tp->cap_rows * t->ncols * sizeof *g);
    if (!g) { st = NUEM_ENOMEM; goto done; }
    t->data = g;
  }
  for (size_t c = 0; c < n; c++) {
    char *end;
    errno = 0;
    double x = strtod(w[c], &end);
    if (*end || end == w[c] || !isfinite(x) || errno == ERANGE) {
      st = nuem_error(tp->ctx, NUEM_EPARSE,
                      "%s:%zu: column %zu: '%.40s' is not a finite number",
                      tp->origin, lineno, c + 1, w[c]);
      goto done;
    }
    t->data[t->nrows * t->ncols + c] = x;
  }
  t->nrows++;
done:
  free_words(w, n);
  return st;
}

static nuem_status apply_units(table_parser *tp) {
  nuem_table *t = tp->t;
  if (!(t->units = calloc(t->ncols ? t->ncols : 1, sizeof *t->units)))
    return NUEM_ENOMEM;
  for (size_t c = 0; c < t->ncols; c++) t->units[c].factor = 1.0;
  if (!tp->unit_words) return NUEM_OK;
  if (tp->nunit_words != t->ncols)
    return nuem_error(tp->ctx, NUEM_EPARSE,
                      "%s:%zu: 'units:' gives %zu units for %zu columns",
                      tp->origin, tp->unit_line, tp->nunit_words, t->ncols);
  for (size_t c = 0; c < t->ncols; c++) {
    char what[256];
    snprintf(what, sizeof what, "%s:%zu: unit of column %zu", tp->origin,
             tp->unit_line, c + 1);
    NUEM_TRY(nuem_unit_parse(tp->ctx, tp->unit_words[c], what, &t->units[c]));
    for (size_t r = 0; r < t->nrows; r++) {
      double *x = &t->data[r * t->ncols + c];
      *x *= t->units[c].factor;
      if (!isfinite(*x))
        return nuem_error(tp->ctx, NUEM_ERANGE, "%s: row %zu column %zu "
                          "overflows after unit conversion", tp->origin, r + 1, c + 1);
    }
  }
  t->unit_names = tp->unit_words; /* the table owns them now */
  tp->unit_words = NULL;
  tp->nunit_words = 0;
  return NUEM_OK;
}

nuem_status nuem_table_parse(nuem_context *ctx, const char *text, size_t len,
                             const char *origin, nuem_table *out) {
  memset(out, 0, sizeof *out);
  table_parser tp = {ctx, origin, out, NULL, 0, 0, 0};
  nuem_status st = NUEM_OK;
  size_t lineno = 0, pos = 0;
  while (pos < len && st == NUEM_OK) {
    size_t end = pos;
    while (end < len && text[end] != '\n') end++;
    lineno++;
    const char *line = text + pos;
    size_t llen = end - pos;
    pos = end + 1;
    size_t i = 0;
    while (i < llen && isspace((unsigned char)line[i])) i++;
    if (i == llen) continue;
    if (memchr(line, '\0', llen)) {
      st = nuem_error(ctx, NUEM_EPARSE, "%s:%zu: contains a NUL byte", origin, lineno);
    } else if (line[i] == '#') {
      st = parse_comment(&tp, line + i, llen - i, lineno);
    } else {
      st = parse_row(&tp, line + i, llen - i, lineno);
    }
  }
  if (st == NUEM_OK && out->nrows == 0)
    st = nuem_error(ctx, NUEM_EPARSE, "%s: the table has no data rows", origin);
  if (st == NUEM_OK) st = apply_units(&tp);
  if (st == NUEM_OK && !(out->origin = nuem_strdup(origin))) st = NUEM_ENOMEM;
  free_words(tp.unit_words, tp.nunit_words);
  if (st != NUEM_OK) nuem_table_free(out);
  return st;
}

/* The line (1-based) of byte `at`, for messages. */
static size_t line_of(const char *text, size_t at) {
  size_t line = 1;
  for (size_t i = 0; i < at; i++) line += text[i] == '\n';
  return line;
}

/* Read what `fd` holds, stopping at the size cap and at the first NUL byte
 * (a binary file, or /dev/zero, would otherwise fill the memory). */
/* A path for "%.*s%s" in a message: a very long one is cut so that the
 * reason after it still fits in the message. */
#define SHOWN(path) 300, (path), strlen(path) > 300 ? "..." : ""

static nuem_status too_large(nuem_context *ctx, const char *path) {
  return nuem_error(ctx, NUEM_EFILE, "'%.*s%s' is larger than %d MiB, nuem's limit for an "
                    "input file; is it the right file?", SHOWN(path), NUEM_FILE_MAX_BYTES >> 20);
}

static nuem_status out_of_memory(nuem_context *ctx, char *buf, const char *path) {
  free(buf);
  return nuem_error(ctx, NUEM_ENOMEM, "out of memory reading '%.*s%s'", SHOWN(path));
}

/* Read what `fd` holds, stopping at the size cap and at the first NUL byte
 * (a binary file, or /dev/zero, would otherwise fill the memory). */
static nuem_status read_all(nuem_context *ctx, int fd, const char *path, char **text,
                            size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) return out_of_memory(ctx, buf, path);
  for (;;) {
    if (n + 1 == cap) {
      char *g = realloc(buf, 2 * cap);
      if (!g) return out_of_memory(ctx, buf, path);
      buf = g, cap *= 2;
    }
    ssize_t got = read(fd, buf + n, cap - n - 1);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int err = errno;
      free(buf);
      return nuem_error(ctx, NUEM_EFILE, "cannot read '%.*s%s': %s", SHOWN(path), strerror(err));
    }
    if (got == 0) break;
    const char *nul = memchr(buf + n, '\0', (size_t)got);
    if (nul) {
      size_t line = line_of(buf, (size_t)(nul - buf));
      free(buf);
      return nuem_error(ctx, NUEM_EPARSE, "%.*s%s:%zu: contains a NUL byte (binary file?); "
                        "nuem reads text files only", SHOWN(path), line);
    }
    n += (size_t)got;
    if (n > NUEM_FILE_MAX_BYTES) {
      free(buf);
      return too_large(ctx, path);
    }
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return NUEM_OK;
}

nuem_status nuem_file_read(nuem_context *ctx, const char *path, char **text,
                           size_t *len) {
  /* O_NONBLOCK: opening a FIFO that has no writer must not hang */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return nuem_error(ctx, NUEM_EFILE, "cannot open '%.*s%s': %s", SHOWN(path),
                      strerror(errno));
  struct stat st;
  nuem_status s = NUEM_OK;
  if (fstat(fd, &st) != 0)
    s = nuem_error(ctx, NUEM_EFILE, "cannot read '%.*s%s': %s", SHOWN(path), strerror(errno));
  else if (S_ISDIR(st.st_mode))
    s = nuem_error(ctx, NUEM_EFILE, "cannot read '%.*s%s': %s", SHOWN(path), strerror(EISDIR));
  else if (S_ISREG(st.st_mode) && st.st_size > (off_t)NUEM_FILE_MAX_BYTES)
    s = too_large(ctx, path);
  else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
    s = nuem_error(ctx, NUEM_EFILE, "cannot read '%.*s%s': %s", SHOWN(path), strerror(errno));
  if (!s) s = read_all(ctx, fd, path, text, len);
  close(fd);
  return s;
}

nuem_status nuem_table_read(nuem_context *ctx, const char *path,
                            nuem_table *out) {
  char *text;
  size_t len;
  NUEM_TRY(nuem_file_read(ctx, path, &text, &len));
  nuem_status s = nuem_table_parse(ctx, text, len, path, out);
  free(text);
  return s;
}

/* "column 2 (rate)", or "column 2" for a table without names. */
static void describe_column(const nuem_table *t, size_t col, char *buf, size_t size) {
  if (t->names) snprintf(buf, size, "column %zu (%s)", col + 1, t->names[col]);
  else snprintf(buf, size, "column %zu", col + 1);
}

/* "2000 keV": a value in the unit the file used, not nuem's internal one. */
static void describe_value(const nuem_table *t, size_t col, double x, char *buf,
                           size_t size) {
  const char *unit = t->unit_names ? t->unit_names[col] : "";
  double shown = t->units ? x / t->units[col].factor : x;
  if (*unit && strcmp(unit, "1") != 0) snprintf(buf, size, "%g %s", shown, unit);
  else snprintf(buf, size, "%g", shown);
}

nuem_status nuem_table_check_column(nuem_context *ctx, const nuem_table *t,
                                    size_t col, int increasing, int nonneg) {
  char column[96], value[96], previous[96];
  describe_column(t, col, column, sizeof column);
  for (size_t r = 0; r < t->nrows; r++) {
    double x = nuem_table_get(t, r, col);
    describe_value(t, col, x, value, sizeof value);
    if (nonneg && x < 0)
      return nuem_error(ctx, NUEM_ERANGE, "%s: %s, data row %zu: %s is negative",
                        t->origin, column, r + 1, value);
    if (increasing && r > 0 && !(x > nuem_table_get(t, r - 1, col))) {
      describe_value(t, col, nuem_table_get(t, r - 1, col), previous, sizeof previous);
      return nuem_error(ctx, NUEM_EPARSE, "%s: %s must increase strictly, but data row "
                        "%zu (%s) does not exceed row %zu (%s)", t->origin, column, r + 1,
                        value, r, previous);
    }
  }
  return NUEM_OK;
}

nuem_status nuem_table_check_xy(nuem_context *ctx, const nuem_table *t,
                                const char *x_unit, const char *y_unit, int nonneg,
                                size_t min_rows, const char *what) {
  nuem_unit ux, uy;
  NUEM_TRY(nuem_unit_parse(ctx, x_unit, "expected unit", &ux));
  NUEM_TRY(nuem_unit_parse(ctx, y_unit, "expected unit", &uy));
  if (t->ncols != 2 || !nuem_dim_equal(t->units[0].dim, ux.dim) ||
      !nuem_dim_equal(t->units[1].dim, uy.dim))
    return nuem_error(ctx, NUEM_EUNIT, "%s: %s has two columns with a line such as "
                      "'# units: %s %s' (any units of those dimensions)", t->origin, what,
                      x_unit, y_unit);
  if (t->nrows < min_rows)
    return nuem_error(ctx, NUEM_EPARSE, "%s: %s needs at least %zu rows", t->origin, what,
                      min_rows);
  NUEM_TRY(nuem_table_check_column(ctx, t, 0, 1, 1));
  return nuem_table_check_column(ctx, t, 1, 0, nonneg);
}

size_t nuem_search(const double *x, size_t n, double v) {
  size_t lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (x[mid] <= v) lo = mid; else hi = mid;
  }
  return lo;
}

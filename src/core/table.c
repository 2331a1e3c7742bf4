/* Plain-text numeric tables with provenance comments and unit directives. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

void nuem_table_free(nuem_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->ncols; i++) free(t->names ? t->names[i] : NULL);
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

nuem_status nuem_file_read(nuem_context *ctx, const char *path, char **text,
                           size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return nuem_error(ctx, NUEM_EFILE, "cannot open '%s': %s", path,
                      strerror(errno));
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    cap *= 2;
    char *g = realloc(buf, cap);
    if (!g) { free(buf); buf = NULL; }
    else buf = g;
  }
  int err = ferror(f);
  fclose(f);
  if (!buf) return NUEM_ENOMEM;
  if (err) {
    free(buf);
    return nuem_error(ctx, NUEM_EFILE, "cannot read '%s'", path);
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return NUEM_OK;
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

nuem_status nuem_table_check_column(nuem_context *ctx, const nuem_table *t,
                                    size_t col, int increasing, int nonneg) {
  const char *name = t->names ? t->names[col] : "";
  for (size_t r = 0; r < t->nrows; r++) {
    double x = nuem_table_get(t, r, col);
    if (nonneg && x < 0)
      return nuem_error(ctx, NUEM_ERANGE,
                        "%s: column %zu (%s), data row %zu: %g is negative",
                        t->origin, col + 1, name, r + 1, x);
    if (increasing && r > 0 && !(x > nuem_table_get(t, r - 1, col)))
      return nuem_error(ctx, NUEM_EPARSE,
                        "%s: column %zu (%s) must increase strictly, but data "
                        "row %zu (%g) does not exceed row %zu",
                        t->origin, col + 1, name, r + 1, x, r);
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

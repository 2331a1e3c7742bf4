/* Result tables: named, unit-labelled columns with summary notes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

nuem_status nuem_result_init(nuem_context *ctx, nuem_result *r, size_t nrows,
                             size_t ncols, const char *const *names,
                             const char *const *units) {
  memset(r, 0, sizeof *r);
  if (ncols > NUEM_RESULT_MAX_COLS)
    return nuem_error(ctx, NUEM_EINTERNAL, "too many result columns");
  r->ncols = ncols;
  r->nrows = nrows;
  for (size_t c = 0; c < ncols; c++) {
    r->names[c] = names[c];
    r->units[c] = units[c];
  }
  r->data = calloc(nrows * ncols > 0 ? nrows * ncols : 1, sizeof *r->data);
  return r->data ? NUEM_OK : nuem_error(ctx, NUEM_ENOMEM, "out of memory for results");
}

nuem_status nuem_result_note(nuem_result *r, const char *key, const char *fmt, ...) {
  if (r->nnotes == NUEM_RESULT_MAX_NOTES) return NUEM_EINTERNAL;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  r->note_keys[r->nnotes] = nuem_strdup(key);
  r->note_values[r->nnotes] = nuem_strdup(buf);
  if (!r->note_keys[r->nnotes] || !r->note_values[r->nnotes]) {
    free(r->note_keys[r->nnotes]);
    free(r->note_values[r->nnotes]);
    return NUEM_ENOMEM;
  }
  r->nnotes++;
  return NUEM_OK;
}

void nuem_result_free(nuem_result *r) {
  free(r->data);
  for (size_t i = 0; i < r->nnotes; i++) {
    free(r->note_keys[i]);
    free(r->note_values[i]);
  }
  memset(r, 0, sizeof *r);
}

const char *nuem_result_note_value(const nuem_result *r, const char *key) {
  for (size_t i = 0; i < r->nnotes; i++)
    if (strcmp(r->note_keys[i], key) == 0) return r->note_values[i];
  return NULL;
}

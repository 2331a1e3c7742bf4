/* Helpers shared by the library's own sources; not installed. */
#ifndef NUEM_CORE_INTERNAL_H
#define NUEM_CORE_INTERNAL_H

#include "nuem/core.h"

char *nuem_strdup(const char *s);
char *nuem_strndup(const char *s, size_t n);

/* The cell of a sorted array: lo with x[lo] <= v < x[lo + 1], for
 * x[0] <= v < x[n - 1] (binary search; n >= 2). */
size_t nuem_search(const double *x, size_t n, double v);

/* Propagate a failure: evaluate once, return it if it is not NUEM_OK. */
#define NUEM_TRY(expr)                       \
  do {                                       \
    nuem_status nuem_try_s_ = (expr);        \
    if (nuem_try_s_ != NUEM_OK) return nuem_try_s_; \
  } while (0)

/* Propagate a failure and record where it travelled: `where` is prefixed
 * to the message (nuem_error_trace). */
#define NUEM_CALL(ctx, where, expr)                                \
  do {                                                             \
    nuem_status nuem_call_s_ = (expr);                             \
    if (nuem_call_s_ != NUEM_OK) return nuem_error_trace(ctx, nuem_call_s_, where); \
  } while (0)

/* Add the build counters of `from` (a node's worker context) to `to`. */
void nuem_context_add_counters(nuem_context *to, const nuem_context *from);

#endif

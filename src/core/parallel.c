/* nuem_map: independent nodes spread over processes (a distributor, e.g.
 * MPI ranks) and OpenMP threads. docs/statistics.md, "MPI and the speed of
 * the toys". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core_internal.h"

enum { FAILURE_MESSAGE = 1024 };

/* The lowest failing node of this process, with its message. */
typedef struct {
  size_t node;
  nuem_status status;
  char message[FAILURE_MESSAGE];
} failure;

static void record(failure *f, size_t node, nuem_status s, const nuem_context *worker) {
  if (!s || node >= f->node) return;
  f->node = node;
  f->status = s;
  snprintf(f->message, sizeof f->message, "%s",
           worker ? nuem_context_error(worker) : "out of memory for a thread's context");
}

/* This process's nodes, each in a context of its own; the lowest failure
 * is kept whatever the thread count. */
static void run_own(nuem_context *ctx, size_t n, size_t width, int threads, nuem_node_fn fn,
                    void *user, double *results, int rank, int size, failure *fail,
                    const char *what) {
  size_t own = n > (size_t)rank ? (n - (size_t)rank + (size_t)size - 1) / (size_t)size : 0;
  size_t done = 0;
#ifdef _OPENMP
  int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
#endif
  for (size_t k = 0; k < own; k++) {
    size_t i = (size_t)rank + k * (size_t)size;
    nuem_context *worker = NULL;
    nuem_status s = nuem_context_new(&worker);
    if (!s) s = fn(worker, user, i, results + i * width);
#ifdef _OPENMP
#pragma omp critical(nuem_map)
#endif
    {
      record(fail, i, s, worker);
      if (worker) nuem_context_add_counters(ctx, worker);
      done++;
      nuem_progress(ctx, (double)done / (double)own, what);
    }
    nuem_context_free(worker);
  }
  (void)threads;
}

nuem_status nuem_map(nuem_context *ctx, size_t n, size_t width, int threads, nuem_node_fn fn,
                     void *user, double *results, size_t *failed, const char *what) {
  const nuem_distributor *d = nuem_context_distributor(ctx);
  int rank = d ? d->rank : 0, size = d && d->size > 0 ? d->size : 1;
  failure *fail = malloc(sizeof *fail);
  if (!fail) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for %s", what);
  fail->node = n;
  fail->status = NUEM_OK;
  fail->message[0] = '\0';
  run_own(ctx, n, width, threads, fn, user, results, rank, size, fail, what);
  nuem_status s = NUEM_OK;
  if (size > 1 && d->first_failure(d->self, n, &fail->node, &fail->status, fail->message,
                                   sizeof fail->message))
    s = nuem_error(ctx, NUEM_EINTERNAL, "%s: the processes could not agree on failures", what);
  else if (fail->node < n)
    s = nuem_error(ctx, fail->status, "%s", fail->message);
  else if (size > 1 && d->gather(d->self, results, n, width))
    s = nuem_error(ctx, NUEM_EINTERNAL, "%s: the processes could not exchange results", what);
  if (failed) *failed = fail->node;
  free(fail);
  return s;
}

/* The C side of bench/python_bench.py: the same computations the Python
 * binding makes, timed in C on the shared library, so the binding's cost is
 * a ratio measured in one run (docs/performance.md, "Python binding").
 *
 * usage: nuem_table_bench POINTS REPS
 * prints: build_ms (nuem_spectrum_new of the default config, best of 5),
 * table_ms (nuem_spectrum_table of POINTS log-spaced T from 10 eV to
 * 100 keV on the built chain, best of REPS). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nuem/nuem.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fail(nuem_context *ctx) {
  fprintf(stderr, "nuem_table_bench: %s\n", nuem_context_error(ctx));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: nuem_table_bench POINTS REPS\n");
    return 2;
  }
  size_t n = (size_t)atol(argv[1]), reps = (size_t)atol(argv[2]);
  if (n < 2 || reps < 1) return 2;
  nuem_context *ctx;
  nuem_config *cfg;
  if (nuem_context_new(&ctx) || nuem_config_new(ctx, &cfg)) return 1;
  double *T = malloc(n * sizeof *T);
  if (!T) return 1;
  for (size_t i = 0; i < n; i++) T[i] = 1e-5 * pow(1e-1 / 1e-5, (double)i / (double)(n - 1));
  double build = INFINITY, table = INFINITY;
  nuem_spectrum *sp = NULL;
  for (int k = 0; k < 5; k++) {
    nuem_spectrum_free(sp);
    double t0 = now();
    if (nuem_spectrum_new(ctx, cfg, &sp)) return fail(ctx);
    build = fmin(build, now() - t0);
  }
  nuem_properties p = nuem_spectrum_configured(sp);
  for (size_t k = 0; k < reps; k++) {
    nuem_result r;
    double t0 = now();
    if (nuem_spectrum_table(ctx, sp, &p, T, n, 0, &r)) return fail(ctx);
    table = fmin(table, now() - t0);
    nuem_result_free(&r);
  }
  printf("build_ms %.4f\ntable_ms %.4f\n", 1e3 * build, 1e3 * table);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
  nuem_context_free(ctx);
  free(T);
  return 0;
}

/* Shared helpers for nuem's cmocka tests. Every expected number in a test
 * cites its source: a paper, a target of docs/validation.md ("Vn"), a
 * section of docs/physics.md, or a derivation. */
#ifndef NUEM_TEST_COMMON_H
#define NUEM_TEST_COMMON_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "nuem/nuem.h"

/* |actual/expected - 1| <= tol, with a readable failure. */
#define assert_rel(actual, expected, tol)                                     \
  do {                                                                        \
    double a_ = (actual), e_ = (expected);                                    \
    double r_ = e_ != 0 ? fabs(a_ / e_ - 1.0) : fabs(a_);                     \
    if (!(r_ <= (tol)))                                                       \
      fail_msg("%s = %.10g, expected %.10g (relative difference %.3g > %g)",  \
               #actual, a_, e_, r_, (double)(tol));                           \
  } while (0)

/* A fresh context and default config, with --set style overrides. */
static inline nuem_config *test_config(nuem_context *ctx, const char *const *sets) {
  nuem_config *cfg;
  assert_int_equal(nuem_config_new(ctx, &cfg), NUEM_OK);
  for (; sets && *sets; sets++) {
    nuem_status s = nuem_config_set_assignment(ctx, cfg, *sets);
    if (s) fail_msg("--set %s: %s", *sets, nuem_context_error(ctx));
  }
  return cfg;
}

/* The source of a default config with --set style overrides (fails the test
 * with nuem's message if it cannot be built). */
static inline nuem_source *test_source(nuem_context *ctx, const char *const *sets) {
  nuem_config *cfg = test_config(ctx, sets);
  nuem_source *src;
  nuem_status s = nuem_source_init(ctx, cfg, &src);
  nuem_config_free(cfg);
  if (s) fail_msg("%s", nuem_context_error(ctx));
  return src;
}

#endif

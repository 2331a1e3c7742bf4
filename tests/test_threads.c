/* Thread safety: two contexts on two threads give identical results. */
#include <pthread.h>
#include <string.h>

#include "test_common.h"

typedef struct {
  const char *const *sets;
  nuem_result result;
  nuem_status status;
} job;

static void *run_job(void *arg) {
  job *j = arg;
  nuem_context *ctx;
  nuem_config *cfg;
  if ((j->status = nuem_context_new(&ctx))) return NULL;
  if (!(j->status = nuem_config_new(ctx, &cfg))) {
    for (const char *const *s = j->sets; *s && !j->status; s++)
      j->status = nuem_config_set_assignment(ctx, cfg, *s);
    if (!j->status) j->status = nuem_spectrum_compute(ctx, cfg, &j->result);
    nuem_config_free(cfg);
  }
  nuem_context_free(ctx);
  return NULL;
}

static void two_threads_two_contexts(void **state) {
  static const char *const sets[] = {"output.points=300", NULL};
  job a = {.sets = sets}, b = {.sets = sets}, serial = {.sets = sets};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, run_job, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, run_job, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  run_job(&serial);
  assert_int_equal(a.status, NUEM_OK);
  assert_int_equal(b.status, NUEM_OK);
  assert_int_equal(serial.status, NUEM_OK);
  size_t n = a.result.nrows * a.result.ncols;
  assert_int_equal(memcmp(a.result.data, b.result.data, n * sizeof(double)), 0);
  assert_int_equal(memcmp(a.result.data, serial.result.data, n * sizeof(double)), 0);
  nuem_result_free(&a.result);
  nuem_result_free(&b.result);
  nuem_result_free(&serial.result);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(two_threads_two_contexts)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target: plain-text tables, including the checks users rely on. */
#include <stdint.h>

#include "nuem/nuem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nuem_context *ctx;
  if (nuem_context_new(&ctx) != NUEM_OK) return 0;
  nuem_table t;
  if (nuem_table_parse(ctx, (const char *)data, size, "fuzz.dat", &t) == NUEM_OK) {
    for (size_t c = 0; c < t.ncols; c++) nuem_table_check_column(ctx, &t, c, 1, 1);
    nuem_table_directive(&t, "units");
    nuem_table_free(&t);
  }
  nuem_context_free(ctx);
  return 0;
}

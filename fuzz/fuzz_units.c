/* libFuzzer target: quantities and unit expressions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nuem/nuem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const expected[] = {"MeV", "/cm2/s", "GW", "m", "1", "kg day",
                                         "muB", "e", "cm2"};
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  nuem_context *ctx;
  if (nuem_context_new(&ctx) == NUEM_OK) {
    nuem_unit u;
    double v;
    nuem_unit_parse(ctx, text, "fuzz", &u);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
      nuem_quantity_parse(ctx, text, expected[i], "fuzz", &v);
    nuem_context_free(ctx);
  }
  free(text);
  return 0;
}

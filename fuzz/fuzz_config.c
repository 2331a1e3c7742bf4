/* libFuzzer target: INI configs through nuem_config_load_string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nuem/nuem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  nuem_context *ctx;
  nuem_config *cfg;
  if (nuem_context_new(&ctx) == NUEM_OK) {
    if (nuem_config_new(ctx, &cfg) == NUEM_OK) {
      if (nuem_config_load_string(ctx, cfg, text, "fuzz.ini") == NUEM_OK) {
        char buf[512];
        for (int i = 0; i < NUEM_P_COUNT; i++) nuem_config_format(cfg, (nuem_param)i, buf, sizeof buf);
        nuem_config_report_unused(ctx, cfg);
      }
      nuem_config_free(cfg);
    }
    nuem_context_free(ctx);
  }
  free(text);
  return 0;
}

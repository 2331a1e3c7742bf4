/* nuem_pack TEXT PACKED: the build step that packs a text atomic response
 * table (data/atomic/<El>_response.dat) into the form the library compiles
 * in (docs/data-formats.md, "Packed response tables"). It reads files only,
 * so it links the library's objects without their compiled-in data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nuem/abinitio.h"

/* The packer needs no compiled-in data (it is what produces them). */
const char *nuem_data_find(const char *name, size_t *len) {
  (void)name;
  (void)len;
  return NULL;
}
const char *nuem_data_name(size_t i) {
  (void)i;
  return NULL;
}

/* The leading '#' lines of the text table: provenance, inputs hash, layout. */
static char *header_lines(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *h = malloc(cap), line[4096];
  while (h && fgets(line, sizeof line, f) && line[0] == '#') {
    size_t l = strlen(line);
    if (n + l + 1 > cap) {
      char *bigger = realloc(h, cap = 2 * (n + l + 1));
      if (!bigger) {
        free(h);
        h = NULL;
        break;
      }
      h = bigger;
    }
    memcpy(h + n, line, l);
    n += l;
  }
  if (h) h[n] = 0;
  fclose(f);
  return h;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: nuem_pack TEXT_TABLE PACKED_OUT\n");
    return 2;
  }
  nuem_context *ctx;
  if (nuem_context_new(&ctx)) return 1;
  nuem_atomic_response r;
  char *header = header_lines(argv[1]);
  nuem_status s = header ? nuem_atomic_response_read(ctx, argv[1], &r) : NUEM_EFILE;
  if (!s) {
    FILE *out = fopen(argv[2], "wb");
    s = out ? nuem_atomic_response_pack(ctx, out, &r, header) : NUEM_EFILE;
    if (out && fclose(out)) s = NUEM_EFILE;
    nuem_atomic_response_free(&r);
  }
  if (s) fprintf(stderr, "nuem_pack: %s: %s\n", argv[1],
                 *nuem_context_error(ctx) ? nuem_context_error(ctx) : "cannot read or write");
  free(header);
  nuem_context_free(ctx);
  return s ? 1 : 0;
}

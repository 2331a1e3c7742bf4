/* Flavour names: the flavours are a core notion (nuem/core.h), named the
 * same way by every stage (config values, table columns, messages). */
#include <string.h>

#include "nuem/core.h"

static const char *const flavour_names[NUEM_NFLAVOURS] = {
    [NUEM_NUE] = "nue",     [NUEM_ANTINUE] = "antinue",   [NUEM_NUMU] = "numu",
    [NUEM_ANTINUMU] = "antinumu", [NUEM_NUTAU] = "nutau", [NUEM_ANTINUTAU] = "antinutau"};

int nuem_flavour_from_name(const char *name) {
  for (int i = 0; i < NUEM_NFLAVOURS; i++)
    if (strcmp(flavour_names[i], name) == 0) return i;
  return -1;
}

const char *nuem_flavour_name(int flavour) {
  return flavour >= 0 && flavour < NUEM_NFLAVOURS ? flavour_names[flavour] : "?";
}

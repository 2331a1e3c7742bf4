/* Status codes: messages and exit codes from the single list in core.h. */
#include "nuem/core.h"

static const struct {
  const char *message;
  int exit_code;
} status_table[] = {
#define NUEM_X_ROW(name, msg, exit_code) {msg, exit_code},
    NUEM_STATUS_LIST(NUEM_X_ROW)
#undef NUEM_X_ROW
};

enum { STATUS_COUNT = sizeof status_table / sizeof status_table[0] };

const char *nuem_status_string(nuem_status s) {
  return (unsigned)s < STATUS_COUNT ? status_table[s].message : "unknown status";
}

int nuem_status_exit_code(nuem_status s) {
  return (unsigned)s < STATUS_COUNT ? status_table[s].exit_code : 1;
}

/* The context: error state and warnings that would otherwise be global. */
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

enum { MESSAGE_SIZE = 1024 };

struct nuem_context {
  nuem_status status;
  char message[MESSAGE_SIZE];
  char **warnings;
  size_t nwarnings;
  nuem_progress_fn progress;
  void *progress_user;
  size_t counters[NUEM_NCOUNTERS];
  nuem_distributor distributor;
  int distributed;
};

void nuem_context_set_distributor(nuem_context *ctx, const nuem_distributor *d) {
  ctx->distributed = d != NULL;
  if (d) ctx->distributor = *d;
}

const nuem_distributor *nuem_context_distributor(const nuem_context *ctx) {
  return ctx->distributed ? &ctx->distributor : NULL;
}

void nuem_context_set_progress(nuem_context *ctx, nuem_progress_fn fn, void *user) {
  ctx->progress = fn;
  ctx->progress_user = user;
}

void nuem_progress(const nuem_context *ctx, double fraction, const char *what) {
  if (ctx->progress) ctx->progress(ctx->progress_user, fraction, what);
}

nuem_status nuem_context_new(nuem_context **ctx) {
  /* GSL's default handler aborts the process; the library must not. The
   * setting is process-wide but idempotent, so every context may set it. */
  gsl_set_error_handler_off();
  *ctx = calloc(1, sizeof **ctx);
  return *ctx ? NUEM_OK : NUEM_ENOMEM;
}

void nuem_context_free(nuem_context *ctx) {
  if (!ctx) return;
  for (size_t i = 0; i < ctx->nwarnings; i++) free(ctx->warnings[i]);
  free(ctx->warnings);
  free(ctx);
}

const char *nuem_context_error(const nuem_context *ctx) { return ctx->message; }
nuem_status nuem_context_status(const nuem_context *ctx) { return ctx->status; }

void nuem_context_clear(nuem_context *ctx) {
  ctx->status = NUEM_OK;
  ctx->message[0] = '\0';
}

size_t nuem_context_warning_count(const nuem_context *ctx) {
  return ctx->nwarnings;
}

const char *nuem_context_warning(const nuem_context *ctx, size_t i) {
  return i < ctx->nwarnings ? ctx->warnings[i] : NULL;
}

nuem_status nuem_error(nuem_context *ctx, nuem_status s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
  va_end(ap);
  ctx->status = s;
  return s;
}

nuem_status nuem_warning(nuem_context *ctx, const char *fmt, ...) {
  char buf[MESSAGE_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **grown = realloc(ctx->warnings, (ctx->nwarnings + 1) * sizeof *grown);
  if (!grown) return NUEM_ENOMEM;
  ctx->warnings = grown;
  if (!(ctx->warnings[ctx->nwarnings] = nuem_strdup(buf))) return NUEM_ENOMEM;
  ctx->nwarnings++;
  return NUEM_OK;
}

nuem_status nuem_error_trace(nuem_context *ctx, nuem_status s, const char *where) {
  if (s == NUEM_OK) return s;
  char buf[MESSAGE_SIZE];
  const char *why = ctx->message[0] ? ctx->message : nuem_status_string(s);
  size_t n = strlen(where);
  if (n + 2 >= sizeof buf) n = sizeof buf - 3;
  memcpy(buf, where, n);
  memcpy(buf + n, ": ", 2);
  size_t rest = sizeof buf - n - 3, len = strlen(why);
  if (len > rest) len = rest; /* the message keeps its start when too long */
  memcpy(buf + n + 2, why, len);
  buf[n + 2 + len] = '\0';
  memcpy(ctx->message, buf, sizeof buf);
  ctx->status = s;
  return s;
}

nuem_status nuem_error_forward(nuem_context *to, const nuem_context *from) {
  if (from->status == NUEM_OK) return NUEM_OK;
  memcpy(to->message, from->message, sizeof to->message);
  to->status = from->status;
  return from->status;
}

void nuem_context_count(nuem_context *ctx, nuem_counter c) {
  if (c < NUEM_NCOUNTERS) ctx->counters[c]++;
}

void nuem_context_add_counters(nuem_context *to, const nuem_context *from) {
  for (int c = 0; c < NUEM_NCOUNTERS; c++) to->counters[c] += from->counters[c];
}

size_t nuem_context_counter(const nuem_context *ctx, nuem_counter c) {
  return c < NUEM_NCOUNTERS ? ctx->counters[c] : 0;
}

const char *nuem_counter_name(nuem_counter c) {
  static const char *const names[NUEM_NCOUNTERS] = {"rate plans", "response matrices",
                                                    "spectrum folds"};
  return c < NUEM_NCOUNTERS ? names[c] : "?";
}

char *nuem_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

char *nuem_strndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

const char *nuem_version(void) { return NUEM_VERSION; }

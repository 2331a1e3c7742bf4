/* nuem_interp: one tabulated-function type with an explicit scheme and an
 * explicit rule outside the table. */
#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

struct nuem_interp {
  nuem_interp_scheme scheme;
  nuem_interp_outside outside;
  size_t n;
  double *x, *y;
  gsl_interp *steffen; /* STEFFEN only */
  char *what;
};

static const char *scheme_name(nuem_interp_scheme s) {
  return s == NUEM_INTERP_LINEAR ? "linear" : s == NUEM_INTERP_LOGLOG ? "log-log" : "Steffen";
}

/* The points the scheme needs: increasing x; positive x and y for powers. */
static nuem_status check_points(nuem_context *ctx, const double *x, const double *y,
                                size_t n, nuem_interp_scheme scheme, const char *what) {
  size_t min_n = scheme == NUEM_INTERP_STEFFEN ? 3 : 2;
  if (n < min_n)
    return nuem_error(ctx, NUEM_EPARSE, "%s: %s interpolation needs at least %zu points, "
                      "not %zu", what, scheme_name(scheme), min_n, n);
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i]))
      return nuem_error(ctx, NUEM_EPARSE, "%s: point %zu is not finite", what, i + 1);
    if (i && !(x[i] > x[i - 1]))
      return nuem_error(ctx, NUEM_EPARSE, "%s: x must increase strictly, but point %zu "
                        "(%g) does not exceed point %zu (%g)", what, i + 1, x[i], i, x[i - 1]);
    if (scheme == NUEM_INTERP_LOGLOG && !(x[i] > 0 && y[i] > 0))
      return nuem_error(ctx, NUEM_ERANGE, "%s: log-log interpolation needs x > 0 and "
                        "y > 0, but point %zu is (%g, %g)", what, i + 1, x[i], y[i]);
  }
  return NUEM_OK;
}

static nuem_status fill(nuem_context *ctx, nuem_interp *f, const double *x, const double *y) {
  f->x = malloc(f->n * sizeof *f->x);
  f->y = malloc(f->n * sizeof *f->y);
  if (!f->x || !f->y || !f->what)
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for %s", f->what ? f->what : "a table");
  memcpy(f->x, x, f->n * sizeof *f->x);
  memcpy(f->y, y, f->n * sizeof *f->y);
  if (f->scheme != NUEM_INTERP_STEFFEN) return NUEM_OK;
  f->steffen = gsl_interp_alloc(gsl_interp_steffen, f->n);
  if (!f->steffen || gsl_interp_init(f->steffen, f->x, f->y, f->n))
    return nuem_error(ctx, NUEM_ENUMERIC, "%s: cannot set up the Steffen interpolation",
                      f->what);
  return NUEM_OK;
}

nuem_status nuem_interp_new(nuem_context *ctx, const double *x, const double *y, size_t n,
                            nuem_interp_scheme scheme, nuem_interp_outside outside,
                            const char *what, nuem_interp **out) {
  if (scheme == NUEM_INTERP_STEFFEN && outside == NUEM_OUTSIDE_EXTRAPOLATE)
    return nuem_error(ctx, NUEM_EINTERNAL, "%s: a Steffen interpolation has no "
                      "extrapolation; choose another rule outside the table", what);
  NUEM_TRY(check_points(ctx, x, y, n, scheme, what));
  nuem_interp *f = calloc(1, sizeof *f);
  if (!f) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for %s", what);
  f->scheme = scheme;
  f->outside = outside;
  f->n = n;
  f->what = nuem_strdup(what);
  nuem_status s = fill(ctx, f, x, y);
  if (s) {
    nuem_interp_free(f);
    return s;
  }
  *out = f;
  return NUEM_OK;
}

nuem_status nuem_interp_from_table(nuem_context *ctx, const nuem_table *t, size_t x_col,
                                   size_t y_col, nuem_interp_scheme scheme,
                                   nuem_interp_outside outside, nuem_interp **out) {
  size_t n = t->nrows;
  double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
  nuem_status s = x && y ? NUEM_OK
                         : nuem_error(ctx, NUEM_ENOMEM, "out of memory for %s", t->origin);
  for (size_t r = 0; !s && r < n; r++) {
    x[r] = nuem_table_get(t, r, x_col);
    y[r] = nuem_table_get(t, r, y_col);
  }
  if (!s) s = nuem_interp_new(ctx, x, y, n, scheme, outside, t->origin, out);
  free(x);
  free(y);
  return s;
}

void nuem_interp_free(nuem_interp *f) {
  if (!f) return;
  if (f->steffen) gsl_interp_free(f->steffen);
  free(f->x);
  free(f->y);
  free(f->what);
  free(f);
}

/* The segment's value and slope at x (the segment's curve continued when x
 * lies outside it). */
static double segment_value(const nuem_interp *f, size_t lo, double x) {
  const double *xs = f->x, *ys = f->y;
  size_t hi = lo + 1;
  if (f->scheme == NUEM_INTERP_LOGLOG)
    return ys[lo] * pow(ys[hi] / ys[lo], log(x / xs[lo]) / log(xs[hi] / xs[lo]));
  return ys[lo] + (ys[hi] - ys[lo]) * (x - xs[lo]) / (xs[hi] - xs[lo]);
}

static double segment_slope(const nuem_interp *f, size_t lo, double x) {
  const double *xs = f->x, *ys = f->y;
  size_t hi = lo + 1;
  if (f->scheme == NUEM_INTERP_LOGLOG) /* y = y_lo (x/x_lo)^b: dy/dx = b y / x */
    return log(ys[hi] / ys[lo]) / log(xs[hi] / xs[lo]) * segment_value(f, lo, x) / x;
  return (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
}

int nuem_interp_covers(const nuem_interp *f, double x) {
  return x >= f->x[0] && x <= f->x[f->n - 1];
}

double nuem_interp_x_min(const nuem_interp *f) { return f->x[0]; }
double nuem_interp_x_max(const nuem_interp *f) { return f->x[f->n - 1]; }

/* Outside the table: the policy's value (want_slope: its derivative). */
static double outside_value(const nuem_interp *f, double x, int want_slope) {
  int below = x < f->x[0];
  size_t end_segment = below ? 0 : f->n - 2;
  switch (f->outside) {
  case NUEM_OUTSIDE_CLAMP:
    return want_slope ? 0.0 : f->y[below ? 0 : f->n - 1];
  case NUEM_OUTSIDE_ZERO:
    return 0.0;
  case NUEM_OUTSIDE_EXTRAPOLATE:
    return want_slope ? segment_slope(f, end_segment, x) : segment_value(f, end_segment, x);
  default:
    return NAN;
  }
}

double nuem_interp_eval(const nuem_interp *f, double x) {
  if (!nuem_interp_covers(f, x)) return outside_value(f, x, 0);
  /* the end points exactly, whatever the rounding of the formulas */
  if (x == f->x[0]) return f->y[0];
  if (x == f->x[f->n - 1]) return f->y[f->n - 1];
  if (f->scheme == NUEM_INTERP_STEFFEN) return gsl_interp_eval(f->steffen, f->x, f->y, x, NULL);
  return segment_value(f, nuem_search(f->x, f->n, x), x);
}

double nuem_interp_deriv(const nuem_interp *f, double x) {
  if (!nuem_interp_covers(f, x)) return outside_value(f, x, 1);
  if (f->scheme == NUEM_INTERP_STEFFEN)
    return gsl_interp_eval_deriv(f->steffen, f->x, f->y, x, NULL);
  return segment_slope(f, nuem_search(f->x, f->n, x), x);
}

nuem_status nuem_interp_check_range(nuem_context *ctx, const nuem_interp *f, double lo,
                                    double hi) {
  if (nuem_interp_covers(f, lo) && nuem_interp_covers(f, hi)) return NUEM_OK;
  return nuem_error(ctx, NUEM_ERANGE, "%s covers %g to %g, but %g to %g is asked for; "
                    "extend the table", f->what, f->x[0], f->x[f->n - 1], lo, hi);
}

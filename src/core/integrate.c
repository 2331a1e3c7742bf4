/* Piecewise adaptive quadrature: integrands here have kinks at known points
 * (table knots, model boundaries, beta endpoints), so split there first. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "integrate.h"

static nuem_status integrate_piece(nuem_context *ctx, const gsl_function *f,
                                   double a, double b, double rel_tol,
                                   gsl_integration_workspace *ws, double *res,
                                   double *err, const char *what) {
  int rc = gsl_integration_qag(f, a, b, 0.0, rel_tol, NUEM_QUAD_LIMIT,
                               GSL_INTEG_GAUSS21, ws, res, err);
  /* GSL_EROUND means the requested accuracy is below round-off: the result
   * is as good as doubles allow, so it is kept with its error estimate. */
  if (rc && rc != GSL_EROUND)
    return nuem_error(ctx, NUEM_ENUMERIC,
                      "%s: integral over [%g, %g] MeV failed: %s (try a larger "
                      "numerics.rel_tol)", what, a, b, gsl_strerror(rc));
  if (!isfinite(*res))
    return nuem_error(ctx, NUEM_ENUMERIC, "%s: integral over [%g, %g] is not "
                      "finite", what, a, b);
  return NUEM_OK;
}

nuem_status nuem_integrate(nuem_context *ctx, const gsl_function *f, double a,
                           double b, const double *knots, size_t nknots,
                           double rel_tol, gsl_integration_workspace *ws,
                           double *result, double *abserr, const char *what) {
  double sum = 0, err = 0, lo = a;
  *result = 0;
  *abserr = 0;
  if (!(b > a)) return NUEM_OK;
  for (size_t i = 0; i <= nknots; i++) {
    double hi = i < nknots ? knots[i] : b;
    if (hi <= lo) continue;
    if (hi > b) hi = b;
    double r, e;
    nuem_status s = integrate_piece(ctx, f, lo, hi, rel_tol, ws, &r, &e, what);
    if (s) return s;
    sum += r;
    err += e;
    lo = hi;
    if (lo >= b) break;
  }
  *result = sum;
  *abserr = err;
  return NUEM_OK;
}

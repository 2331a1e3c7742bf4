/* Adaptive quadrature split at known kinks (not installed). */
#ifndef NUEM_INTEGRATE_H
#define NUEM_INTEGRATE_H

#include <gsl/gsl_integration.h>

#include "nuem/core.h"

enum { NUEM_QUAD_LIMIT = 1000 };

/* Integrate f over [a, b], splitting at every knot strictly inside, with
 * GSL's QAG (21-point Gauss-Kronrod) to relative tolerance rel_tol. `ws` holds
 * NUEM_QUAD_LIMIT intervals. The error estimate is the sum over pieces. */
nuem_status nuem_integrate(nuem_context *ctx, const gsl_function *f, double a,
                           double b, const double *knots, size_t nknots,
                           double rel_tol, gsl_integration_workspace *ws,
                           double *result, double *abserr, const char *what);

#endif

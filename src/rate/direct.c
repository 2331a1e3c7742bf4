/* Direct adaptive quadrature of flux × dsigma/dT: the plain baseline. */
#include <math.h>

#include "core_internal.h"
#include "integrate.h"
#include "nuem/constants.h"
#include "nuem/rate.h"

nuem_status nuem_rate_direct_init(nuem_context *ctx, const nuem_source *src,
                                  const nuem_target *tgt,
                                  const nuem_interaction *in, double rel_tol,
                                  nuem_rate_direct *out) {
  *out = (nuem_rate_direct){ctx, src, tgt, in, rel_tol, NULL};
  out->ws = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  if (!out->ws) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for quadrature");
  return NUEM_OK;
}

void nuem_rate_direct_free(nuem_rate_direct *d) {
  if (d->ws) gsl_integration_workspace_free(d->ws);
  d->ws = NULL;
}

typedef struct {
  const nuem_rate_direct *d;
  const nuem_isotope *iso; /* NULL: electron channel */
  int proc;
  double T;
} integrand_params;

static double integrand_sigma(const integrand_params *ip, double E) {
  return ip->iso ? nuem_xsec_nuclear(ip->d->in, ip->iso, ip->proc, E, ip->T)
                 : nuem_xsec_electron(ip->d->in, ip->proc, E, ip->T);
}

static double integrand(double E, void *params) {
  const integrand_params *ip = params;
  return nuem_source_flux(ip->d->src, E) * integrand_sigma(ip, E);
}

static nuem_status fold_direct(nuem_rate_direct *d, const nuem_isotope *iso,
                               int proc, double T, double mass, double *value,
                               double *abserr) {
  integrand_params ip = {d, iso, proc, T};
  gsl_function f = {integrand, &ip};
  const double *knots;
  size_t nk = nuem_source_knots(d->src, &knots);
  double lo = fmax(nuem_kin_e_min(T, mass), nuem_source_e_min(d->src));
  NUEM_TRY(nuem_integrate(d->ctx, &f, lo, nuem_source_e_max(d->src), knots, nk,
                          d->rel_tol, d->ws, value, abserr, "rate integral"));
  /* lines (all flavours): the cross section at each line's energy */
  const nuem_source_line *lines;
  size_t nl = nuem_source_lines(d->src, &lines);
  for (size_t i = 0; i < nl; i++) *value += lines[i].total * integrand_sigma(&ip, lines[i].energy);
  return NUEM_OK;
}

nuem_status nuem_rate_electron_direct(nuem_rate_direct *d, int proc, double T,
                                      double *rate, double *abserr) {
  double v, e;
  NUEM_TRY(fold_direct(d, NULL, proc, T, NUEM_ME, &v, &e));
  *rate = d->tgt->electrons_per_kg * v;
  *abserr = d->tgt->electrons_per_kg * e;
  return NUEM_OK;
}

nuem_status nuem_rate_nuclear_direct(nuem_rate_direct *d, int proc, size_t el,
                                     double E_R, double *rate, double *abserr) {
  const nuem_element *elem = &d->tgt->elements[el];
  double sum = 0, err = 0;
  for (size_t i = 0; i < elem->nisotopes; i++) {
    const nuem_isotope *iso = &elem->isotopes[i];
    double v, e;
    NUEM_TRY(fold_direct(d, iso, proc, E_R, iso->mass, &v, &e));
    double n = d->tgt->formulas_per_kg * elem->count * iso->abundance;
    sum += n * v;
    err += n * e;
  }
  *rate = sum;
  *abserr = err;
  return NUEM_OK;
}

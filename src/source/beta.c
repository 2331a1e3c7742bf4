/* Allowed beta-decay neutrino spectra from the end point and the daughter's
 * charge: shared by the reactor's neutron-capture antineutrinos and the
 * radioactive sources (docs/physics.md, "Source: reactor antineutrino flux"
 * and "Source: radioactive"). */
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "core_internal.h"
#include "integrate.h"
#include "nuem/constants.h"
#include "source_internal.h"

/* Nuclear radius R = NUCLEAR_R0_FM A^(1/3) in the Fermi function (the usual
 * 1.2 fm). */
#define NUCLEAR_R0_FM 1.2
#define CM_PER_FM 1e-13
/* Smallest electron kinetic energy in the shape (1 meV; see nuem_beta_shape)
 * and the relative tolerance of its normalisation. */
#define BETA_T_FLOOR_MEV 1e-9
#define BETA_NORM_REL_TOL 1e-10

/* Relativistic Fermi function with a finite nuclear radius (e.g. Behrens &
 * Buehring; Huber 2011 eq. 3 uses the same leading form). W, p in MeV,
 * radius in 1/MeV. */
static double fermi_function(int z, double W, double p, double radius) {
  double az = NUEM_ALPHA * z;
  double gamma = sqrt(1.0 - az * az);
  double eta = az * W / p;
  gsl_sf_result lnr, arg;
  if (gsl_sf_lngamma_complex_e(gamma, eta, &lnr, &arg)) return 0.0;
  double lg = gsl_sf_lngamma(2.0 * gamma + 1.0);
  double lnf = log(2.0 * (1.0 + gamma)) + 2.0 * (gamma - 1.0) * log(2.0 * p * radius) +
               NUEM_PI * eta + 2.0 * lnr.val - 2.0 * lg;
  return exp(lnf);
}

/* p F(Z, W) at electron kinetic energy Te [MeV]. It has a finite limit as
 * the electron momentum p -> 0, but the Fermi function alone diverges:
 * keep p away from 0 (1 meV of kinetic energy changes p F by < 1e-4
 * relative). */
static double momentum_fermi(const nuem_beta_branch *b, double Te) {
  double W = NUEM_ME + fmax(Te, BETA_T_FLOOR_MEV); /* electron total energy */
  double p = sqrt(W * W - NUEM_ME * NUEM_ME);
  double radius = NUCLEAR_R0_FM * cbrt(b->mass_number) * CM_PER_FM / NUEM_HBARC_MEV_CM;
  return p * fermi_function(b->z_daughter, W, p, radius);
}

double nuem_beta_shape_direct(const nuem_beta_branch *b, double Enu) {
  if (Enu <= 0 || Enu >= b->endpoint) return 0.0;
  double Te = b->endpoint - Enu;
  return (NUEM_ME + fmax(Te, BETA_T_FLOOR_MEV)) * Enu * Enu * momentum_fermi(b, Te);
}

double nuem_beta_shape(const nuem_beta_branch *b, double Enu) {
  if (!b->pf) return nuem_beta_shape_direct(b, Enu);
  if (Enu <= 0 || Enu >= b->endpoint) return 0.0;
  double Te = b->endpoint - Enu;
  return (NUEM_ME + fmax(Te, BETA_T_FLOOR_MEV)) * Enu * Enu * nuem_interp_eval(b->pf, sqrt(Te));
}

/* p F(Z, W) is smooth in p ~ sqrt(Te) down to Te = 0 (its limit there is
 * finite), so a monotone cubic in sqrt(Te) with FERMI_NODES points holds it
 * to ~1e-8 (tests/test_sources.c `beta_table_matches_direct`); the complex
 * Gamma function of every flux evaluation was most of a reactor plan's
 * cost (docs/performance.md, "Flux shape"). */
enum { FERMI_NODES = 1000 };
static nuem_status tabulate(nuem_context *ctx, nuem_beta_branch *b) {
  double x[FERMI_NODES], y[FERMI_NODES], top = sqrt(b->endpoint);
  for (int i = 0; i < FERMI_NODES; i++) {
    x[i] = top * i / (FERMI_NODES - 1);
    y[i] = momentum_fermi(b, x[i] * x[i]);
  }
  return nuem_interp_new(ctx, x, y, FERMI_NODES, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_CLAMP,
                         "the Fermi function", &b->pf);
}

void nuem_beta_free(nuem_beta_branch *b) {
  nuem_interp_free(b->pf);
  b->pf = NULL;
}

static double shape_gsl(double E, void *params) { return nuem_beta_shape(params, E); }

nuem_status nuem_beta_normalise(nuem_context *ctx, nuem_beta_branch *b) {
  if (!b->pf) NUEM_TRY(tabulate(ctx, b));
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  if (!ws) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for a beta spectrum");
  gsl_function f = {shape_gsl, b};
  double norm = 0, err;
  nuem_status s = nuem_integrate(ctx, &f, 0.0, b->endpoint, NULL, 0, BETA_NORM_REL_TOL, ws,
                                 &norm, &err, "beta spectrum normalisation");
  gsl_integration_workspace_free(ws);
  if (!s && !(norm > 0))
    s = nuem_error(ctx, NUEM_EINTERNAL, "the beta spectrum with end point %g MeV and "
                   "daughter Z = %d integrates to %g", b->endpoint, b->z_daughter, norm);
  b->weight = s ? 0.0 : 1.0 / norm;
  return s;
}

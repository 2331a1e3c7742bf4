/* Stage 4, rate: fold flux × cross section × targets into dR/dT.
 *
 * Every cross section here has the form c0(T) + c1(T)/E + c2(T)/E^2 above its
 * threshold E_min(T) = x, so the fold needs only the flux moments
 *     N_k(x) = ∫_x^Emax dPhi/dE (1/E - 1/x)^k dE,   k = 0, 1, 2,
 * as ∫ = g(x) N0 + g'(x) N1 + c2 N2 with g(x) the cross section at E = x.
 * Expanding about 1/x keeps full precision near kinematic end points, where
 * the cross section vanishes and the plain moments ∫ E^-k would cancel.
 * A plan tabulates N_k once (Gauss-Legendre per cell, cumulated from the top
 * with a sign-preserving shift) and interpolates with cubic Hermite
 * polynomials whose slopes are exact (dN0/dx = -phi, dN1/dx = N0/x^2,
 * dN2/dx = 2 N1/x^2); any T then costs a few operations.
 * A mono-energetic line of flux phi at E_L adds phi (1/E_L - 1/x)^k for
 * x < E_L, exactly, so the fold gives sigma(E_L) phi with no quadrature.
 * The direct functions integrate flux × dsigma/dT adaptively instead: the
 * plain baseline the plan is checked and benchmarked against.
 *
 * Rates are in internal units: events / (kg MeV s). */
#ifndef NUEM_RATE_H
#define NUEM_RATE_H

#include <gsl/gsl_integration.h>

#include "nuem/abinitio_xsec.h"
#include "nuem/constants.h"
#include "nuem/core.h"
#include "nuem/interaction.h"
#include "nuem/source.h"
#include "nuem/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* kg^-1 MeV^-1 s^-1  ->  kg^-1 keV^-1 day^-1 */
#define NUEM_PER_KEV_DAY (NUEM_SECONDS_PER_DAY / NUEM_KEV_PER_MEV)

typedef struct nuem_rate_plan nuem_rate_plan;

/* Plan the fold of `src` for target `tgt` (both kept by pointer: they must
 * outlive the plan). The plan depends on the flux only, so every
 * interaction, property value and atomic model shares it. Each build counts
 * in the context (NUEM_COUNT_RATE_PLANS). */
nuem_status nuem_rate_plan_new(nuem_context *ctx, const nuem_source *src,
                               const nuem_target *tgt, double rel_tol,
                               nuem_rate_plan **out);
/* The same for the flux of one flavour (nuem_source_flavour_flux and the
 * lines' flux in it); flavour -1 folds every flavour (nuem_rate_plan_new).
 * The source's lines enter the moments exactly (a delta in E). */
nuem_status nuem_rate_plan_flavour(nuem_context *ctx, const nuem_source *src, int flavour,
                                   const nuem_target *tgt, double rel_tol,
                                   nuem_rate_plan **out);
void nuem_rate_plan_free(nuem_rate_plan *plan);

/* The flux moments N_0..N_2 at x [MeV], with error estimates. */
void nuem_rate_moments(const nuem_rate_plan *plan, double x, double M[3],
                       double err[3]);

/* The same with a hint: `hint` keeps the plan's cell between calls, so for
 * increasing x the lookup walks instead of searching; start it at 0. */
void nuem_rate_moments_walk(const nuem_rate_plan *plan, double x, size_t *hint, double M[3],
                            double err[3]);
/* The same at n increasing x[i] (one call for a block of the ab-initio
 * q rule's nodes). */
void nuem_rate_moments_many(const nuem_rate_plan *plan, size_t n, const double *x,
                            size_t *hint, double (*M)[3], double (*err)[3]);

/* nu-e rates of every process (NUEM_PROC_SM … NUEM_PROC_TOTAL) on all
 * electrons of the target, treated as free, with error estimates. */
void nuem_rate_electron(const nuem_rate_plan *plan, const nuem_interaction *in,
                        double T, double rate[NUEM_NPROC], double abserr[NUEM_NPROC]);
/* CEvNS-channel rates of every process on element `el` of the target at
 * nuclear recoil energy E_R. */
void nuem_rate_nuclear(const nuem_rate_plan *plan, const nuem_interaction *in,
                       size_t el, double E_R, double rate[NUEM_NPROC],
                       double abserr[NUEM_NPROC]);
/* ∫_x dPhi/dE (c0 + c1/E + c2/E^2) dE for any coefficients (per target
 * particle; e.g. an atomic-model term). */
void nuem_rate_fold(const nuem_rate_plan *plan, double x, const double c[3],
                    double *value, double *abserr);

/* Several coefficient sets at one x, sharing the moment lookup; `hint` (or
 * NULL) as for nuem_rate_moments_walk. */
void nuem_rate_fold_many(const nuem_rate_plan *plan, double x, size_t *hint, size_t n,
                         const double (*c)[3], double *value, double *abserr);
/* The largest neutrino energy of the plan's flux [MeV]. */
double nuem_rate_plan_e_max(const nuem_rate_plan *plan);

/* Rates per atom [events/(MeV s)] of every process at T under the
 * ab-initio atomic model: its q rule (nuem_abinitio_q_rule) with the fold
 * from E_min = (T + q)/2 at every node, with error estimates of the moment
 * interpolation. Needs E-independent coefficients: check first with
 * nuem_abinitio_check_fold. */
void nuem_rate_abinitio(const nuem_rate_plan *plan, const nuem_abinitio *m,
                        const nuem_interaction *in, double T, double rate[NUEM_NPROC],
                        double abserr[NUEM_NPROC]);
/* The same process by nested adaptive quadrature over E (GSL QAG, split at
 * the flux knots) and ln(q - T) (breaks at the pole width, 2T and the Bethe
 * ridge): the slow baseline; any regulator. */
nuem_status nuem_rate_abinitio_direct(nuem_context *ctx, const nuem_abinitio *m,
                                      const nuem_source *src, const nuem_interaction *in,
                                      int proc, double T, double rel_tol, double *rate);

/* The same by direct adaptive quadrature of flux × dsigma/dT over E. */
typedef struct {
  nuem_context *ctx;
  const nuem_source *src;
  const nuem_target *tgt;
  const nuem_interaction *in;
  double rel_tol;
  gsl_integration_workspace *ws;
} nuem_rate_direct;

nuem_status nuem_rate_direct_init(nuem_context *ctx, const nuem_source *src,
                                  const nuem_target *tgt,
                                  const nuem_interaction *in, double rel_tol,
                                  nuem_rate_direct *out);
void nuem_rate_direct_free(nuem_rate_direct *d);
nuem_status nuem_rate_electron_direct(nuem_rate_direct *d, int proc, double T,
                                      double *rate, double *abserr);
nuem_status nuem_rate_nuclear_direct(nuem_rate_direct *d, int proc, size_t el,
                                     double E_R, double *rate, double *abserr);

#ifdef __cplusplus
}
#endif
#endif

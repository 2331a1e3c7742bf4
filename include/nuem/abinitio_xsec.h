/* Cross sections and rates from atomic response tables (docs/physics.md,
 * "Cross sections from atomic responses"): the non-relativistic
 * independent-particle formulas in R_L and R_T for every process of nuem,
 * dsigma/dT as an integral over q, and the fast fold with the flux moments
 * of a rate plan. */
#ifndef NUEM_ABINITIO_XSEC_H
#define NUEM_ABINITIO_XSEC_H

#include "nuem/abinitio.h"
#include "nuem/interaction.h"
#include "nuem/rate.h"
#include "nuem/source.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the transverse photon pole of the millicharge (1/Q^4 as Q^2 -> 0) is
 * cut: the medium's plasma screening (Fermi density effect) or the vacuum
 * kinematics of a neutrino of mass m_nu. */
enum { NUEM_POLE_PLASMA, NUEM_POLE_NEUTRINO_MASS };

typedef struct {
  int regulator;
  double plasma_energy; /* hbar omega_p with all Z electrons free [MeV] */
  double neutrino_mass; /* [MeV] */
} nuem_pole_options;

typedef struct nuem_abinitio nuem_abinitio;

/* The model from a response table, which it takes over (*table is zeroed;
 * freed with the model, also on failure). */
nuem_status nuem_abinitio_new(nuem_context *ctx, nuem_atomic_response *table,
                              const nuem_pole_options *pole, nuem_abinitio **out);
void nuem_abinitio_free(nuem_abinitio *m);
const nuem_atomic_response *nuem_abinitio_table(const nuem_abinitio *m);

/* Shell-summed R_L and R_T (convection current) at (T, q) [1/MeV]:
 * bilinear in (ln T, ln q); zero below each shell's edge, outside the T
 * grid and above the q grid; below the q grid the dipole limit (R_L ∝ q^2,
 * R_T constant). */
void nuem_abinitio_response(const nuem_abinitio *m, double T, double q, double *RL,
                            double *RT);
/* Squared regulator Lambda^2 [MeV^2] of the transverse propagator
 * 1/(Q^2 + Lambda^2) at T (E is used by the neutrino-mass regulator). */
double nuem_abinitio_lambda2(const nuem_abinitio *m, double E, double T);

/* d2sigma/(dT dq) per atom [cm2/MeV2] of every process, as
 * c0 + c1/E + c2/E^2 (valid for E >= (T + q)/2), from the responses at
 * (T, q) and the regulator Lambda^2. */
void nuem_abinitio_coeffs(const nuem_interaction *in, double T, double q, double RL,
                          double RT, double lambda2, double c[NUEM_NPROC][3]);

/* dsigma/dT per atom [cm2/MeV] at E: the q integral from T to 2E - T. */
void nuem_abinitio_dsigma_dt(const nuem_abinitio *m, const nuem_interaction *in, double E,
                             double T, double out[NUEM_NPROC]);

/* The fold needs E-independent coefficients: refused for the neutrino-mass
 * regulator when the millicharge is on. */
nuem_status nuem_abinitio_check_fold(nuem_context *ctx, const nuem_abinitio *m,
                                     const nuem_interaction *in);
/* Rate per atom [events/(MeV s)] of every process at T: the q integral of
 * the flux-moment fold from E_min = (T + q)/2, with error estimates. */
void nuem_abinitio_rate(const nuem_abinitio *m, const nuem_rate_plan *plan,
                        const nuem_interaction *in, double T, double rate[NUEM_NPROC],
                        double abserr[NUEM_NPROC]);
/* The same by nested adaptive quadrature over E and q (the slow baseline;
 * any regulator). */
nuem_status nuem_abinitio_rate_direct(nuem_context *ctx, const nuem_abinitio *m,
                                      const nuem_source *src, const nuem_interaction *in,
                                      int proc, double T, double rel_tol, double *rate);

#ifdef __cplusplus
}
#endif
#endif

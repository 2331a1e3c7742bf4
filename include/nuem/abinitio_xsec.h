/* Cross sections and rates from atomic response tables (docs/physics.md,
 * "Cross sections from atomic responses"): the non-relativistic
 * independent-particle formulas in R_L and R_T for every process of nuem,
 * dsigma/dT as an integral over q, and the q rule that the rate stage folds
 * with the flux moments (nuem_rate_abinitio in rate.h). */
#ifndef NUEM_ABINITIO_XSEC_H
#define NUEM_ABINITIO_XSEC_H

#include "nuem/abinitio.h"
#include "nuem/interaction.h"

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
 * (T, q) and the regulator Lambda^2. q is given as q - T, which keeps its
 * digits near the photon point (Q^2 = (q - T)(q + T)). */
void nuem_abinitio_coeffs(const nuem_interaction *in, double T, double q_minus_T, double RL,
                          double RT, double lambda2, double c[NUEM_NPROC][3]);

/* The q rule at T (docs/physics.md, "The q integral"): for each node
 * q in (T, min(q_kin, table q_max)) with weight w (of dq), the coefficients
 * c[proc][0..2] of d2sigma/(dT dq) there. The one integration rule of both
 * dsigma/dT and the fast fold. */
typedef void (*nuem_abinitio_node_fn)(void *user, double q, double w, const double (*c)[3]);
void nuem_abinitio_q_rule(const nuem_abinitio *m, const nuem_interaction *in, double T,
                          double q_kin, double lambda2, nuem_abinitio_node_fn fn, void *user);

/* dsigma/dT per atom [cm2/MeV] at E: the q integral from T to 2E - T. */
void nuem_abinitio_dsigma_dt(const nuem_abinitio *m, const nuem_interaction *in, double E,
                             double T, double out[NUEM_NPROC]);

/* The fold needs E-independent coefficients: refused for the neutrino-mass
 * regulator when the millicharge is on. */
nuem_status nuem_abinitio_check_fold(nuem_context *ctx, const nuem_abinitio *m,
                                     const nuem_interaction *in);
#ifdef __cplusplus
}
#endif
#endif

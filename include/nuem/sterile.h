/* Sterile-neutrino dark matter in the interaction stage: the transition
 * magnetic moment mu_sa of nu_s -> nu_a, the radiative width it gives, the
 * mixing angle with the same width, and the off-pole ionization cross
 * section nu_s + A -> nu_a + A+ + e- from the atomic responses R_L, R_T.
 * Formulas and their derivation: docs/physics.md, "Sterile-neutrino dark
 * matter". Units: moments in mu_B, masses and energies in MeV. */
#ifndef NUEM_STERILE_H
#define NUEM_STERILE_H

#include "nuem/atomic.h"
#include "nuem/config.h"
#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gamma(nu_s -> nu_a gamma) = mu_sa^2 m_s^3/(8 pi)
 * = alpha (mu_sa/mu_B)^2 m_s^3/(8 m_e^2), in 1/s. */
double nuem_sterile_width(double mu_sa, double m_s);
/* The moment whose width equals the mixing width of a Majorana nu_s,
 * Gamma = 9 alpha G_F^2 m_s^5 sin^2(2 theta)/(1024 pi^4) (Pal & Wolfenstein,
 * PRD 25, 766 (1982)): mu_sa/mu_B = 3 G_F m_e m_s sqrt(sin^2 2theta)/(8 sqrt2 pi^2). */
double nuem_sterile_mu_from_sin2(double sin2_2theta, double m_s);
double nuem_sterile_sin2_from_mu(double mu_sa, double m_s);

/* mu_sa from physics.mu_sa or physics.sin2_2theta (both: an error; neither:
 * 0, and *given = 0). */
nuem_status nuem_sterile_moment_from_config(nuem_context *ctx, const nuem_config *cfg,
                                            double m_s, double *mu_sa, int *given);

/* v dsigma/dT per atom [cm2/MeV, v in units of c] of a non-relativistic
 * nu_s away from the photon pole (docs/physics.md, eq. S4):
 * (2 pi alpha^2/m_e^2)(mu_sa/mu_B)^2 [R_L(T,q0) + q0^2 R_T(T,q0)/(m_s - 2T)^2],
 * q0 = m_s - T; RL, RT per atom in 1/MeV at (T, q0). */
double nuem_sterile_v_dsigma_dt(double mu_sa, double m_s, double T, double RL, double RT);

/* The atomic responses per formula unit at (T, q) [1/MeV] that the
 * continuum uses: the ab-initio table (R_T with the spin magnetization
 * (q^2/2 m_e^2) R_L added to the table's convection current), or for atomic.model = epa the
 * dipole limit from photoabsorption, R_L = q^2 sigma_g/(4 pi^2 alpha T),
 * R_T = T sigma_g/(2 pi^2 alpha). Other models have no responses: 0. */
void nuem_sterile_responses(const nuem_atomic *a, double T, double q, double *RL, double *RT);
/* What the continuum is computed from, for the output's labels:
 * "ab-initio", "epa-dipole" or "none". */
const char *nuem_sterile_continuum_label(const nuem_atomic *a);

#ifdef __cplusplus
}
#endif
#endif

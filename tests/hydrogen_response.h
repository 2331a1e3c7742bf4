/* The exact longitudinal response of hydrogen 1s (ionization only), for
 * tests and the benchmark: Bethe's generalized oscillator strength per
 * Rydberg (Inokuti, Rev. Mod. Phys. 43, 297 (1971), eq. 4.13), with
 * K = q a0, kappa = k a0 of the ejected electron and E/Ry = 1 + kappa^2:
 *   df/d(E/Ry) = 2^7 (E/Ry) [K^2 + (1 + kappa^2)/3]
 *                exp[-(2/kappa) atan2(2 kappa, K^2 - kappa^2 + 1)] /
 *                {[(K + kappa)^2 + 1]^3 [(K - kappa)^2 + 1]^3 [1 - exp(-2 pi/kappa)]},
 * and R_L = (q^2/2E) df/dE in atomic units (docs/physics.md, "Cross
 * sections from atomic responses"). A hydrogen-like ion of charge Z scales
 * as R_L^Z(E, q) = R_L^H(E/Z^2, q/Z)/Z^2. */
#ifndef NUEM_TEST_HYDROGEN_RESPONSE_H
#define NUEM_TEST_HYDROGEN_RESPONSE_H

#include <math.h>

#include "nuem/constants.h"

#define HARTREE_MEV 27.211386245988e-6 /* E_h [MeV], CODATA 2018 */
#define INV_BOHR_MEV (NUEM_ALPHA * NUEM_ME) /* 1/a0 [MeV] */

/* R_L of H 1s [1/E_h] at excitation energy dE [E_h] and K = q a0. */
static inline double hydrogen_rl_au(double dE, double K) {
  double eps = 2.0 * dE - 1.0; /* kappa^2 = E/Ry - 1 */
  if (!(eps > 0)) return 0.0;
  double k = sqrt(eps), e_ry = 2.0 * dE;
  double num = 128.0 * e_ry * (K * K + (1.0 + k * k) / 3.0) *
               exp(-(2.0 / k) * atan2(2.0 * k, K * K - k * k + 1.0));
  double a = (K + k) * (K + k) + 1.0, b = (K - k) * (K - k) + 1.0;
  double den = a * a * a * b * b * b * (-expm1(-2.0 * NUEM_PI / k));
  double df_per_hartree = 2.0 * num / den;
  return K * K / (2.0 * dE) * df_per_hartree;
}

/* R_L [1/MeV] of a hydrogen-like 1s electron of charge z at T, q [MeV]. */
static inline double hydrogenic_rl(double z, double T, double q) {
  double dE = T / HARTREE_MEV, K = q / INV_BOHR_MEV;
  return hydrogen_rl_au(dE / (z * z), K / z) / (z * z) / HARTREE_MEV;
}

#endif

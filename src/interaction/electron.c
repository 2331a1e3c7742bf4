/* Neutrino-electron elastic scattering on a free electron: the Standard
 * Model and the electromagnetic properties (docs/physics.md). */
#include <math.h>

#include "nuem/constants.h"
#include "nuem/interaction.h"

double nuem_kin_t_max(double E, double m) { return 2.0 * E * E / (m + 2.0 * E); }

double nuem_kin_e_min(double T, double m) {
  return 0.5 * (T + sqrt(T * T + 2.0 * m * T));
}

/* G_F^2 m_e / (2 pi) in cm2/MeV. */
static double weak_prefactor(void) {
  return NUEM_GF * NUEM_GF * NUEM_ME / (2.0 * NUEM_PI) * NUEM_HBARC2;
}

/* pi alpha^2 mu^2 / m_e^2 in cm2 (mu in mu_B): times (1/T - 1/E) in 1/MeV. */
static double moment_prefactor(double mu) {
  return NUEM_PI * NUEM_ALPHA * NUEM_ALPHA * mu * mu / (NUEM_ME * NUEM_ME) * NUEM_HBARC2;
}

double nuem_gv_shift_charge(const nuem_interaction *in, double T) {
  /* X = sqrt2 pi alpha q / (G_F m_e T): photon exchange with Q^2 = 2 m_e T,
   * written as a g_V shift; the sign convention is in docs/physics.md. */
  return NUEM_MILLICHARGE_SIGN * sqrt(2.0) * NUEM_PI * NUEM_ALPHA * in->q /
         (NUEM_GF * NUEM_ME * T);
}

double nuem_gv_shift_radius(const nuem_interaction *in) {
  double r2 = in->r2 / NUEM_HBARC2; /* cm2 -> MeV^-2 */
  double shift = sqrt(2.0) * NUEM_PI * NUEM_ALPHA * r2 / (3.0 * NUEM_GF);
  return in->r2_convention == NUEM_R2_VOGEL_ENGEL ? 2.0 * shift : shift;
}

/* The weak formula with g_V shifted by d, minus (if `excess`) the SM. */
static double weak_formula(const nuem_interaction *in, double d, int excess,
                           double E, double T) {
  double gv = in->gv, ga = in->ga, y = 1.0 - T / E, r = NUEM_ME * T / (E * E);
  double gm = gv - ga, gp = gv + ga;
  if (excess) /* expanded in d so no digits are lost to the subtraction */
    return weak_prefactor() * (d * (2.0 * gp + d) + d * (2.0 * gm + d) * y * y -
                               d * (2.0 * gv + d) * r);
  gv += d, gm += d, gp += d;
  return weak_prefactor() * (gp * gp + gm * gm * y * y - (gv * gv - ga * ga) * r);
}

double nuem_xsec_electron_sm(const nuem_interaction *in, double E, double T) {
  return nuem_xsec_electron(in, NUEM_PROC_SM, E, T);
}

double nuem_xsec_electron(const nuem_interaction *in, int proc, double E,
                          double T) {
  if (T <= 0 || E <= 0 || T > nuem_kin_t_max(E, NUEM_ME)) return 0.0;
  double moment = moment_prefactor(in->mu) * (1.0 / T - 1.0 / E);
  switch (proc) {
  case NUEM_PROC_SM: return weak_formula(in, 0.0, 0, E, T);
  case NUEM_PROC_MU: return moment;
  case NUEM_PROC_Q: return weak_formula(in, nuem_gv_shift_charge(in, T), 1, E, T);
  case NUEM_PROC_R2: return weak_formula(in, nuem_gv_shift_radius(in), 1, E, T);
  case NUEM_PROC_TOTAL:
    return weak_formula(in, nuem_gv_shift_charge(in, T) + nuem_gv_shift_radius(in), 0,
                        E, T) + moment;
  default: return 0.0;
  }
}

/* c0 + c1/E + c2/E^2 of the weak formula with g_V shifted by d (excess: the
 * difference to d = 0, expanded in d). */
static void weak_coeffs(const nuem_interaction *in, double d, int excess,
                        double T, double c[3]) {
  double a = weak_prefactor(), gv = in->gv, ga = in->ga;
  double gp = gv + ga, gm = gv - ga;
  /* (1 - T/E)^2 = 1 - 2T/E + T^2/E^2 */
  double sp, sm, sv; /* (g_+ + d)^2, (g_- + d)^2, (g_V + d)^2 - g_A^2, or their changes */
  if (excess) {
    sp = d * (2.0 * gp + d);
    sm = d * (2.0 * gm + d);
    sv = d * (2.0 * gv + d);
  } else {
    sp = (gp + d) * (gp + d);
    sm = (gm + d) * (gm + d);
    sv = (gv + d) * (gv + d) - ga * ga;
  }
  c[0] = a * (sp + sm);
  c[1] = -2.0 * a * sm * T;
  c[2] = a * (sm * T * T - sv * NUEM_ME * T);
}

void nuem_xsec_electron_sm_coeffs(const nuem_interaction *in, double T,
                                  double c[3]) {
  weak_coeffs(in, 0.0, 0, T, c);
}

void nuem_xsec_electron_coeffs(const nuem_interaction *in, double T,
                               double c[NUEM_NPROC][3]) {
  double dq = nuem_gv_shift_charge(in, T), dr = nuem_gv_shift_radius(in);
  double m = moment_prefactor(in->mu);
  weak_coeffs(in, 0.0, 0, T, c[NUEM_PROC_SM]);
  c[NUEM_PROC_MU][0] = m / T; /* (1/T - 1/E) */
  c[NUEM_PROC_MU][1] = -m;
  c[NUEM_PROC_MU][2] = 0.0;
  weak_coeffs(in, dq, 1, T, c[NUEM_PROC_Q]);
  weak_coeffs(in, dr, 1, T, c[NUEM_PROC_R2]);
  weak_coeffs(in, dq + dr, 0, T, c[NUEM_PROC_TOTAL]);
  for (int k = 0; k < 3; k++) c[NUEM_PROC_TOTAL][k] += c[NUEM_PROC_MU][k];
}

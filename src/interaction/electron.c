/* Neutrino-electron elastic scattering in the Standard Model. */
#include <math.h>

#include "nuem/constants.h"
#include "nuem/interaction.h"

double nuem_kin_t_max(double E, double m) { return 2.0 * E * E / (m + 2.0 * E); }

double nuem_kin_e_min(double T, double m) {
  return 0.5 * (T + sqrt(T * T + 2.0 * m * T));
}

/* G_F^2 m_e / (2 pi) in cm2/MeV. */
static double electron_prefactor(void) {
  return NUEM_GF * NUEM_GF * NUEM_ME / (2.0 * NUEM_PI) * NUEM_HBARC2;
}

double nuem_xsec_electron_sm(const nuem_interaction *in, double E, double T) {
  if (T <= 0 || E <= 0 || T > nuem_kin_t_max(E, NUEM_ME)) return 0.0;
  double gp = in->gv + in->ga, gm = in->gv - in->ga, y = 1.0 - T / E;
  return electron_prefactor() *
         (gp * gp + gm * gm * y * y -
          (in->gv * in->gv - in->ga * in->ga) * NUEM_ME * T / (E * E));
}

void nuem_xsec_electron_sm_coeffs(const nuem_interaction *in, double T,
                                  double c[3]) {
  double a = electron_prefactor();
  double gp = in->gv + in->ga, gm = in->gv - in->ga;
  /* (1 - T/E)^2 = 1 - 2T/E + T^2/E^2 */
  c[0] = a * (gp * gp + gm * gm);
  c[1] = -2.0 * a * gm * gm * T;
  c[2] = a * (gm * gm * T * T - (in->gv * in->gv - in->ga * in->ga) * NUEM_ME * T);
}

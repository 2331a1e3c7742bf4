/* Coherent elastic neutrino-nucleus scattering and nuclear form factors. */
#include <gsl/gsl_sf_bessel.h>
#include <math.h>

#include "nuem/constants.h"
#include "nuem/interaction.h"

#define FM_PER_INV_MEV (NUEM_HBARC_MEV_CM * 1e13) /* hbar c in MeV fm */

/* 3 j1(x)/x, with its series near 0 where the quotient loses digits. */
static double three_j1_over_x(double x) {
  if (fabs(x) < 1e-3) return 1.0 - x * x / 10.0;
  return 3.0 * gsl_sf_bessel_j1(x) / x;
}

double nuem_form_factor(int model, const nuem_isotope *iso, double q) {
  double qfm = q / FM_PER_INV_MEV; /* fm^-1 */
  double a13 = cbrt((double)iso->A);
  switch (model) {
  case NUEM_FF_HELM: { /* Lewin & Smith 1996, eq. 4.7 and 4.11 */
    const double a = 0.52, s = 0.9;
    double c = 1.23 * a13 - 0.60;
    double r0 = sqrt(c * c + 7.0 / 3.0 * NUEM_PI * NUEM_PI * a * a - 5.0 * s * s);
    return three_j1_over_x(qfm * r0) * exp(-qfm * qfm * s * s / 2.0);
  }
  case NUEM_FF_KLEIN_NYSTRAND: { /* Klein & Nystrand, PRC 60 014903 (1999) */
    const double ak = 0.7, ra = 1.2 * a13;
    return three_j1_over_x(qfm * ra) / (1.0 + qfm * qfm * ak * ak);
  }
  default:
    return 1.0;
  }
}

double nuem_cevns_weak_charge(const nuem_interaction *in, const nuem_isotope *iso) {
  return -2.0 * (in->gv_p * iso->Z + in->gv_n * iso->N);
}

/* G_F^2 M Q_W^2 F^2(q) / (4 pi) in cm2/MeV, with q^2 = 2 M T + T^2. */
static double cevns_prefactor(const nuem_interaction *in, const nuem_isotope *iso,
                              double T) {
  double M = iso->mass, qw = nuem_cevns_weak_charge(in, iso);
  double F = nuem_form_factor(in->form_factor, iso, sqrt(2.0 * M * T + T * T));
  return NUEM_GF * NUEM_GF * M / (4.0 * NUEM_PI) * qw * qw * F * F * NUEM_HBARC2;
}

double nuem_xsec_cevns(const nuem_interaction *in, const nuem_isotope *iso,
                       double E, double T) {
  double M = iso->mass;
  if (T <= 0 || E <= 0 || T > nuem_kin_t_max(E, M)) return 0.0;
  double bracket = 1.0 - M * T / (2.0 * E * E) - T / E + T * T / (2.0 * E * E);
  return cevns_prefactor(in, iso, T) * bracket;
}

void nuem_xsec_cevns_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                            double T, double c[3]) {
  double b = cevns_prefactor(in, iso, T), M = iso->mass;
  c[0] = b;
  c[1] = -b * T;
  c[2] = b * (T * T - M * T) / 2.0;
}

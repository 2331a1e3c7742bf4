/* Coherent elastic neutrino-nucleus scattering and nuclear form factors.
 * Formulas and sources: docs/physics.md, "Interaction: CEvNS". */
#include <gsl/gsl_sf_bessel.h>
#include <math.h>

#include "nuem/constants.h"
#include "nuem/interaction.h"

#define FM_PER_CM 1e13
#define FM_PER_INV_MEV (NUEM_HBARC_MEV_CM * FM_PER_CM) /* hbar c in MeV fm */

/* Helm form factor parameters (Lewin & Smith, Astropart. Phys. 6, 87 (1996),
 * eq. 4.11): skin thickness s, surface parameter a, and the half-density
 * radius c = HELM_C_SLOPE A^(1/3) + HELM_C_OFFSET, all in fm. */
static const double HELM_SKIN_FM = 0.9;
static const double HELM_A_FM = 0.52;
static const double HELM_C_SLOPE_FM = 1.23;
static const double HELM_C_OFFSET_FM = -0.60;
/* Klein & Nystrand, PRC 60, 014903 (1999): Yukawa range a_k and the hard
 * sphere radius R_A = KN_R0 A^(1/3) (r0 = 1.3 fm is also in use;
 * docs/physics.md, "Interaction: CEvNS"). */
static const double KN_YUKAWA_RANGE_FM = 0.7;
static const double KN_R0_FM = 1.2;
/* Below this x the series 1 - x^2/10 of 3 j1(x)/x is exact to double
 * precision (the next term, x^4/280, is < 4e-15), while the quotient would
 * lose digits to cancellation. */
#define J1_SERIES_BELOW 1e-3

/* 3 j1(x)/x, with its series near 0 where the quotient loses digits. */
static double three_j1_over_x(double x) {
  if (fabs(x) < J1_SERIES_BELOW) return 1.0 - x * x / 10.0;
  return 3.0 * gsl_sf_bessel_j1(x) / x;
}

double nuem_form_factor(int model, const nuem_isotope *iso, double q) {
  double qfm = q / FM_PER_INV_MEV; /* fm^-1 */
  double a13 = cbrt((double)iso->A);
  switch (model) {
  case NUEM_FF_HELM: { /* Lewin & Smith 1996, eq. 4.7 and 4.11 */
    const double a = HELM_A_FM, s = HELM_SKIN_FM;
    double c = HELM_C_SLOPE_FM * a13 + HELM_C_OFFSET_FM;
    double r0 = sqrt(c * c + 7.0 / 3.0 * NUEM_PI * NUEM_PI * a * a - 5.0 * s * s);
    return three_j1_over_x(qfm * r0) * exp(-qfm * qfm * s * s / 2.0);
  }
  case NUEM_FF_KLEIN_NYSTRAND: { /* Klein & Nystrand, PRC 60 014903 (1999) */
    const double ak = KN_YUKAWA_RANGE_FM, ra = KN_R0_FM * a13;
    return three_j1_over_x(qfm * ra) / (1.0 + qfm * qfm * ak * ak);
  }
  default:
    return 1.0;
  }
}

double nuem_cevns_weak_charge(const nuem_interaction *in, const nuem_isotope *iso) {
  return -2.0 * (in->gv_p * iso->Z + in->gv_n * iso->N);
}

/* The proton coupling shifts, opposite to the electron's (the photon couples
 * to charge +1 instead of -1), with Q^2 = 2 M T for the photon propagator. */
static double gvp_shift(const nuem_interaction *in, const nuem_isotope *iso,
                        double T, int charge, int radius) {
  double shift = 0;
  if (charge) shift += nuem_gv_shift_charge(in, T) * NUEM_ME / iso->mass; /* m_e -> M */
  if (radius) shift += nuem_gv_shift_radius(in);
  return -shift;
}

/* G_F^2 M F^2(q) / (4 pi) in cm2/MeV (without Q_W^2), q^2 = 2 M T + T^2. */
static double cevns_prefactor(const nuem_interaction *in, const nuem_isotope *iso,
                              double T, double *ff2) {
  double M = iso->mass;
  double F = nuem_form_factor(in->form_factor, iso, sqrt(2.0 * M * T + T * T));
  *ff2 = F * F;
  return NUEM_GF * NUEM_GF * M / (4.0 * NUEM_PI) * F * F * NUEM_HBARC2;
}

/* Q_W^2 for the process: SM, the change from q or <r2> alone, or the total. */
static double weak_charge_term(const nuem_interaction *in, const nuem_isotope *iso,
                               int proc, double T) {
  double qw = nuem_cevns_weak_charge(in, iso);
  switch (proc) {
  case NUEM_PROC_SM: return qw * qw;
  case NUEM_PROC_Q:
  case NUEM_PROC_R2: {
    double d = -2.0 * iso->Z * gvp_shift(in, iso, T, proc == NUEM_PROC_Q, proc == NUEM_PROC_R2);
    return d * (2.0 * qw + d); /* (Q_W + d)^2 - Q_W^2 without cancellation */
  }
  case NUEM_PROC_TOTAL: {
    double q = qw - 2.0 * iso->Z * gvp_shift(in, iso, T, 1, 1);
    return q * q;
  }
  default: return 0.0;
  }
}

/* pi alpha^2 mu^2 Z^2 F^2 / m_e^2 in cm2: the moment on the nuclear charge. */
static double moment_prefactor(const nuem_interaction *in, const nuem_isotope *iso,
                               double ff2) {
  return NUEM_PI * NUEM_ALPHA * NUEM_ALPHA * in->mu * in->mu / (NUEM_ME * NUEM_ME) *
         iso->Z * iso->Z * ff2 * NUEM_HBARC2;
}

double nuem_xsec_nuclear(const nuem_interaction *in, const nuem_isotope *iso,
                         int proc, double E, double T) {
  double M = iso->mass, ff2;
  if (T <= 0 || E <= 0 || T > nuem_kin_t_max(E, M)) return 0.0;
  double b = cevns_prefactor(in, iso, T, &ff2);
  double bracket = 1.0 - M * T / (2.0 * E * E) - T / E + T * T / (2.0 * E * E);
  /* Kosmas et al., PRD 92, 013011 (2015), arXiv:1505.03202:
   * [1/T - 1/E + T/(4 E^2)] (docs/physics.md, "Electromagnetic properties") */
  double moment = moment_prefactor(in, iso, ff2) * (1.0 / T - 1.0 / E + T / (4.0 * E * E));
  if (proc == NUEM_PROC_MU) return moment;
  double weak = b * weak_charge_term(in, iso, proc, T) * bracket;
  return proc == NUEM_PROC_TOTAL ? weak + moment : weak;
}

double nuem_xsec_cevns(const nuem_interaction *in, const nuem_isotope *iso,
                       double E, double T) {
  return nuem_xsec_nuclear(in, iso, NUEM_PROC_SM, E, T);
}

void nuem_xsec_nuclear_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                              double T, double c[NUEM_NPROC][3]) {
  double ff2, b = cevns_prefactor(in, iso, T, &ff2), M = iso->mass;
  double m = moment_prefactor(in, iso, ff2);
  for (int p = 0; p < NUEM_NPROC; p++) {
    if (p == NUEM_PROC_MU) continue;
    double w = b * weak_charge_term(in, iso, p, T);
    c[p][0] = w;
    c[p][1] = -w * T;
    c[p][2] = w * (T * T - M * T) / 2.0;
  }
  c[NUEM_PROC_MU][0] = m / T;
  c[NUEM_PROC_MU][1] = -m;
  c[NUEM_PROC_MU][2] = m * T / 4.0;
  for (int k = 0; k < 3; k++) c[NUEM_PROC_TOTAL][k] += c[NUEM_PROC_MU][k];
}

void nuem_xsec_cevns_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                            double T, double c[3]) {
  double all[NUEM_NPROC][3];
  nuem_xsec_nuclear_coeffs(in, iso, T, all);
  for (int k = 0; k < 3; k++) c[k] = all[NUEM_PROC_SM][k];
}

/* Sterile-neutrino transition moment: width, mixing angle, and the off-pole
 * ionization cross section (docs/physics.md, "Sterile-neutrino dark matter"). */
#include <math.h>

#include "core_internal.h"
#include "nuem/abinitio_xsec.h"
#include "nuem/constants.h"
#include "nuem/sterile.h"

#define HBAR_MEV_S (NUEM_HBARC_MEV_CM / NUEM_C_CM_S)

double nuem_sterile_width(double mu_sa, double m_s) {
  return NUEM_ALPHA * mu_sa * mu_sa * m_s * m_s * m_s / (8.0 * NUEM_ME * NUEM_ME) / HBAR_MEV_S;
}

double nuem_sterile_mu_from_sin2(double sin2_2theta, double m_s) {
  return 3.0 * NUEM_GF * NUEM_ME * m_s * sqrt(sin2_2theta) / (8.0 * sqrt(2.0) * NUEM_PI * NUEM_PI);
}

double nuem_sterile_sin2_from_mu(double mu_sa, double m_s) {
  double unit = nuem_sterile_mu_from_sin2(1.0, m_s);
  return (mu_sa / unit) * (mu_sa / unit);
}

nuem_status nuem_sterile_moment_from_config(nuem_context *ctx, const nuem_config *cfg,
                                            double m_s, double *mu_sa, int *given) {
  int by_moment = nuem_config_is_set(cfg, NUEM_P_PHYSICS_MU_SA);
  int by_angle = nuem_config_is_set(cfg, NUEM_P_PHYSICS_SIN2_2THETA);
  *mu_sa = 0;
  *given = by_moment || by_angle;
  if (by_moment && by_angle)
    return nuem_error(ctx, NUEM_ECONFIG, "physics.mu_sa and physics.sin2_2theta describe the "
                      "same coupling; give one of them");
  if (by_moment) *mu_sa = nuem_config_number(cfg, NUEM_P_PHYSICS_MU_SA);
  if (by_angle) *mu_sa = nuem_sterile_mu_from_sin2(nuem_config_number(cfg, NUEM_P_PHYSICS_SIN2_2THETA), m_s);
  return NUEM_OK;
}

double nuem_sterile_v_dsigma_dt(double mu_sa, double m_s, double T, double RL, double RT) {
  double q0 = m_s - T, pole = m_s - 2.0 * T;
  double k = 2.0 * NUEM_PI * NUEM_ALPHA * NUEM_ALPHA / (NUEM_ME * NUEM_ME) * mu_sa * mu_sa;
  return k * NUEM_HBARC2 * (RL + q0 * q0 * RT / (pole * pole));
}

void nuem_sterile_responses(const nuem_atomic *a, double T, double q, double *RL, double *RT) {
  *RL = *RT = 0;
  const nuem_abinitio *ab = nuem_atomic_abinitio(a);
  if (ab) { /* the table's R_T is the convection current: add the spin
               magnetization (q^2/2m^2) R_L (docs/physics.md) */
    nuem_abinitio_response(ab, T, q, RL, RT);
    *RT += q * q / (2.0 * NUEM_ME * NUEM_ME) * *RL;
    return;
  }
  if (nuem_atomic_model(a) != NUEM_ATOMIC_EPA) return;
  double sigma = nuem_atomic_photoabsorption(a, T) / NUEM_HBARC2; /* 1/MeV^2 */
  *RL = q * q * sigma / (4.0 * NUEM_PI * NUEM_PI * NUEM_ALPHA * T);
  *RT = T * sigma / (2.0 * NUEM_PI * NUEM_PI * NUEM_ALPHA);
}

const char *nuem_sterile_continuum_label(const nuem_atomic *a) {
  if (nuem_atomic_abinitio(a)) return "ab-initio";
  return nuem_atomic_model(a) == NUEM_ATOMIC_EPA ? "epa-dipole" : "none";
}

/* Lindhard quenching: Q = k g(eps)/(1 + k g(eps)),
 * g = 3 eps^0.15 + 0.7 eps^0.6 + eps, eps = 11.5 (E_R/keV) Z^(-7/3)
 * (Lindhard et al. 1963; Lewin & Smith 1996). */
#include <math.h>

#include "nuem/response.h"

/* eps = 11.5 (E_R/keV) Z^(-7/3): the reduced energy per MeV of recoil. */
#define LINDHARD_EPS_PER_MEV 11.5e3
/* Newton's method for E_R: start where Q = NEWTON_GUESS_Q (a typical Ge
 * value), stop at NEWTON_REL_TOL (double precision); it converges in < 10
 * steps, NEWTON_MAX_ITER only guards against a stall. */
#define NEWTON_GUESS_Q 0.2
#define NEWTON_MAX_ITER 60
#define NEWTON_REL_TOL 1e-15

static double eps_per_mev(const nuem_lindhard *l) {
  return LINDHARD_EPS_PER_MEV * pow((double)l->Z, -7.0 / 3.0);
}

double nuem_lindhard_q(const nuem_lindhard *l, double E_R) {
  if (E_R <= 0) return 0.0;
  double e = eps_per_mev(l) * E_R;
  double g = 3.0 * pow(e, 0.15) + 0.7 * pow(e, 0.6) + e;
  return l->k * g / (1.0 + l->k * g);
}

double nuem_lindhard_jacobian(const nuem_lindhard *l, double E_R) {
  if (E_R <= 0) return 0.0;
  double de = eps_per_mev(l), e = de * E_R;
  double g = 3.0 * pow(e, 0.15) + 0.7 * pow(e, 0.6) + e;
  double dg = 0.45 * pow(e, -0.85) + 0.42 * pow(e, -0.4) + 1.0; /* g'(eps): 3*0.15, 0.7*0.6 */
  double kg1 = 1.0 + l->k * g;
  double q = l->k * g / kg1;
  double dq = l->k * dg * de / (kg1 * kg1);
  return q + E_R * dq;
}

double nuem_lindhard_recoil(const nuem_lindhard *l, double E_ee) {
  if (E_ee <= 0) return 0.0;
  /* E_ee(E_R) is increasing and concave-ish; Newton from a guess with Q at
   * the recoil energy Q ~ 0.2 would give, bracketed to stay positive. */
  double x = E_ee / nuem_lindhard_q(l, E_ee / NEWTON_GUESS_Q);
  for (int i = 0; i < NEWTON_MAX_ITER; i++) {
    double f = nuem_lindhard_q(l, x) * x - E_ee;
    double step = f / nuem_lindhard_jacobian(l, x);
    double next = x - step;
    if (next <= 0) next = 0.5 * x;
    if (fabs(next - x) <= NEWTON_REL_TOL * x) return next;
    x = next;
  }
  return x;
}

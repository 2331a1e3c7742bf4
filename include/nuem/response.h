/* Stage 5, response: from true deposited energy to what the detector reads.
 * So far: quenching of nuclear recoils (Lindhard), which turns a nuclear
 * recoil energy E_R into an electron-equivalent energy E_ee = Q(E_R) E_R. */
#ifndef NUEM_RESPONSE_H
#define NUEM_RESPONSE_H

#include "nuem/config.h"
#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  double k; /* Lindhard k */
  int Z;    /* atomic number of the recoiling nucleus */
} nuem_lindhard;

/* Lindhard (1963) quenching factor Q(E_R), E_R in MeV. */
double nuem_lindhard_q(const nuem_lindhard *l, double E_R);
/* dE_ee/dE_R = Q + E_R Q'(E_R): the Jacobian of the quenched spectrum. */
double nuem_lindhard_jacobian(const nuem_lindhard *l, double E_R);
/* E_R with Q(E_R) E_R = E_ee (Newton's method on a monotonic function). */
double nuem_lindhard_recoil(const nuem_lindhard *l, double E_ee);

#ifdef __cplusplus
}
#endif
#endif

/* Shared by the cross-section layer (abinitio_xsec.c) and the rate stage
 * (abinitio_rate.c) for the ab-initio fold; not installed. */
#ifndef NUEM_ABINITIO_FOLD_H
#define NUEM_ABINITIO_FOLD_H

#include "nuem/abinitio_xsec.h"

/* The lepton basis of d2sigma/(dT dq) at fixed (T, q): every process is
 *
 *   L[MINUS][p] (S - q^2)/E^2 + L[PLUS][p] (S + q^2)/E^2 + L[SUM][p] (E + E')/E^2,
 *
 * S = (E + E')^2, E' = E - T, L independent of E (p: the process). All
 * five processes share the three E-dependent structures, whose moment folds
 * from E_min = (T + q)/2 have closed forms (and S - q^2 vanishes there
 * exactly), so one moment lookup per q node serves every process. */
enum { NUEM_LEPTON_MINUS, NUEM_LEPTON_PLUS, NUEM_LEPTON_SUM, NUEM_NLEPTON };

/* The q rule of nuem_abinitio_q_rule in blocks of nodes, each node's
 * coefficients in the lepton basis: the fold then runs one loop per block
 * (moments, then sums kept in registers) instead of a call chain per node. */
enum { NUEM_Q_BLOCK = 64 };
typedef struct {
  size_t n;
  double q[NUEM_Q_BLOCK], d[NUEM_Q_BLOCK], w[NUEM_Q_BLOCK]; /* d = q - T, w of dq */
  double L[NUEM_Q_BLOCK][NUEM_NLEPTON][NUEM_NPROC];
} nuem_q_block;
typedef void (*nuem_abinitio_block_fn)(void *user, const nuem_q_block *b);
void nuem_abinitio_q_rule_blocks(const nuem_abinitio *m, const nuem_interaction *in, double T,
                                 double q_kin, double lambda2, nuem_abinitio_block_fn fn,
                                 void *user);

#endif

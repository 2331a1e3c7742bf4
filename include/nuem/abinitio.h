/* Ab-initio atomic response (interaction stage): nu + A -> nu + A+ + e-
 * from the atom's response functions instead of free or stepped electrons.
 *
 * The atomic side is a table of the longitudinal (density) response
 * R_L(T, q) and the transverse convection-current response R_T(T, q) per
 * shell, on a grid of energy transfer T and three-momentum transfer q. The
 * conventions are those of docs/physics.md, "Ab-initio atomic response":
 * non-relativistic independent-particle responses,
 *     R_L(T, q) = sum_f |<f| sum_j exp(i q.r_j) |i>|^2 delta(T - E_f + E_i),
 * R_T the same with the transverse convection current (x and y summed),
 * both per atom, in 1/MeV, with T and q in MeV. Tables are computed by nuem
 * (`nuem atomic build`) or read from other codes (RRPA/MCRRPA results enter
 * this way). */
#ifndef NUEM_ABINITIO_H
#define NUEM_ABINITIO_H

#include <stdio.h>

#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { NUEM_SHELL_NAME = 8 };

typedef struct {
  char element[8];   /* "Ge" */
  int Z;
  size_t nshells;
  char (*shell)[NUEM_SHELL_NAME]; /* "1s", "2s", "2p", ... (nshells) */
  double *edge;      /* ionization energy of each shell [MeV] (the edge used) */
  double *occupancy; /* electrons in each shell */
  size_t nT, nq;
  double *T, *q;     /* strictly increasing, > 0 [MeV] */
  /* R[(s * nT + i) * nq + j] for shell s at (T[i], q[j]) [1/MeV], >= 0 */
  double *RL, *RT;
  char *origin;      /* file name or "computed", for messages */
} nuem_atomic_response;

/* Allocate an empty table for nshells shells on an nT x nq grid (zeros). */
nuem_status nuem_atomic_response_alloc(nuem_context *ctx, size_t nshells, size_t nT, size_t nq,
                                       nuem_atomic_response *out);
void nuem_atomic_response_free(nuem_atomic_response *r);

/* Text format (docs/data-formats.md, "Atomic response tables"): nuem table
 * directives and rows; validated on load (shape, grids increasing,
 * responses finite and >= 0, every shell present). */
nuem_status nuem_atomic_response_read(nuem_context *ctx, const char *path,
                                      nuem_atomic_response *out);
nuem_status nuem_atomic_response_parse(nuem_context *ctx, const char *text, size_t len,
                                       const char *origin, nuem_atomic_response *out);
nuem_status nuem_atomic_response_write(nuem_context *ctx, FILE *out,
                                       const nuem_atomic_response *r, const char *provenance);

/* Packed form (docs/data-formats.md, "Packed response tables"): the text
 * table's header lines and the arrays as native doubles, how nuem compiles
 * in the tables it ships so that loading them parses no numbers. `header`
 * is kept verbatim (provenance, inputs hash); unpacking validates like the
 * text reader. */
nuem_status nuem_atomic_response_pack(nuem_context *ctx, FILE *out,
                                      const nuem_atomic_response *r, const char *header);
nuem_status nuem_atomic_response_unpack(nuem_context *ctx, const char *data, size_t len,
                                        const char *origin, nuem_atomic_response *out);
/* The header lines of a packed table (*hlen bytes, not NUL-terminated), or
 * NULL if `data` is not one. */
const char *nuem_atomic_response_packed_header(const char *data, size_t len, size_t *hlen);

#ifdef __cplusplus
}
#endif
#endif

/* Private to the ab-initio response code: the atom (bound orbitals, the
 * central potential of the continuum) shared by abinitio_orbitals.c and
 * abinitio_response.c. Atomic units (hartree, bohr) throughout. */
#ifndef NUEM_ABINITIO_INTERNAL_H
#define NUEM_ABINITIO_INTERNAL_H

#include <gsl/gsl_spline.h>

#include "nuem/abinitio_compute.h"

#define ABI_EH_MEV (NUEM_ALPHA * NUEM_ALPHA * NUEM_ME) /* hartree [MeV] */
#define ABI_P_MEV (NUEM_ALPHA * NUEM_ME)               /* 1/bohr [MeV] */

typedef struct {
  char name[4];     /* "2p" */
  int n, l;
  double electrons; /* all electrons of the orbital */
  double energy;    /* [hartree] */
  size_t nsto;
  int *sto_n;
  double *zeta, *c; /* c includes the STO normalisation */
  double r_ext;     /* beyond it the orbital holds < 1e-9 of its norm */
  /* momentum-space radial function chi(p) = int r P j_l(p r) dr (PWIA) */
  size_t np;
  double *p, *chi;
  gsl_spline *chi_spline;
} abi_orbital;

struct nuem_atom {
  char element[8];
  int Z;
  double z_ion;     /* charge the ejected electron sees far away */
  double e_total, e_kinetic;
  size_t norb;
  abi_orbital *orb;
  size_t nsub;
  nuem_subshell *sub;
  size_t *sub_orbital;
  /* Z_eff(r) = -r V(r) as a spline in ln r on [ln r_min, ln r_max];
   * -z_ion/r beyond r_tail (Latter tail), Z_eff(r_min) below */
  gsl_spline *zeff;
  double r_min, r_max, r_tail, zeff_min;
};

double abi_orbital_P(const abi_orbital *o, double r, double *dP);
double abi_potential(const nuem_atom *a, double r);

#endif

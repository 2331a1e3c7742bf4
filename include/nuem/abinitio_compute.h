/* First-principles atomic responses R_L(T, q), R_T(T, q) (docs/physics.md,
 * "Ab-initio atomic response"): Roothaan-Hartree-Fock bound orbitals (Koga
 * et al., IJQC 71, 491 (1999), compiled in from data/atomic/), continuum
 * orbitals in a local central potential, non-relativistic
 * independent-particle responses per subshell. Fills the table type of
 * nuem/abinitio.h. Units at this interface: T, q and edges in MeV,
 * responses in 1/MeV; radial functions in atomic units. */
#ifndef NUEM_ABINITIO_COMPUTE_H
#define NUEM_ABINITIO_COMPUTE_H

#include "nuem/abinitio.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nuem_atom nuem_atom;

/* Where each subshell's response starts: rigidly shifted to the
 * experimental edge (default), or at the Hartree-Fock orbital energy. */
typedef enum { NUEM_EDGES_EXPERIMENTAL = 0, NUEM_EDGES_KOOPMANS = 1 } nuem_edge_rule;

typedef struct {
  char name[NUEM_SHELL_NAME]; /* "2p3/2" */
  int n, l;                   /* of the radial function */
  double electrons;           /* in this subshell */
  double orbital_energy;      /* HF orbital energy [hartree] (< 0) */
  double edge_experimental;   /* [eV] */
} nuem_subshell;

typedef struct {
  nuem_edge_rule edges;
  /* Continuum partial waves beyond this many switch the subshell to the
   * plane-wave impulse form (PWIA), used only where the ejected energy is
   * also >= pwia_min_ratio times the binding (docs/physics.md). */
  int max_partial_waves;
  double pwia_min_ratio;
  /* The highest multipole L of exp(iq.r) kept in R_L and R_T; -1 (the
   * default) keeps them all. A truncated sum matches tables that stop at
   * some L (Roberts et al. at L <= 6; docs/physics.md); it uses partial
   * waves only, never the plane-wave form. */
  int max_multipole;
} nuem_abinitio_options;

void nuem_abinitio_options_default(nuem_abinitio_options *opt);

/* The atom of element `symbol` from data/atomic/SYMBOL.dat; NUEM_EFILE
 * naming the element when no orbital data are compiled in. */
nuem_status nuem_atom_load(nuem_context *ctx, const char *symbol, nuem_atom **out);
/* A one-electron atom of charge Z (1s, exact orbital; continuum in -Z/r):
 * the closed-form test system. */
nuem_status nuem_atom_hydrogenic(nuem_context *ctx, int Z, nuem_atom **out);
void nuem_atom_free(nuem_atom *a);

const char *nuem_atom_element(const nuem_atom *a);
int nuem_atom_Z(const nuem_atom *a);
size_t nuem_atom_nsubshells(const nuem_atom *a);
const nuem_subshell *nuem_atom_subshell(const nuem_atom *a, size_t s);
/* Tabulated RHF total and kinetic energies [hartree] (0 if not given). */
double nuem_atom_energy_total(const nuem_atom *a);
double nuem_atom_energy_kinetic(const nuem_atom *a);

/* P_nl(r) = r R_nl(r) of subshell s at r [bohr], in bohr^-1/2; dP/dr in
 * *dP when dP is not NULL. */
double nuem_atom_radial(const nuem_atom *a, size_t s, double r, double *dP);
/* <r^k> and the kinetic energy <-1/2 nabla^2> [hartree] of subshell s's
 * orbital, by quadrature (GSL); norm = <r^0>. */
nuem_status nuem_atom_moment(nuem_context *ctx, const nuem_atom *a, size_t s, int k,
                             double *value);
nuem_status nuem_atom_kinetic(nuem_context *ctx, const nuem_atom *a, size_t s, double *value);

/* The subshell's edge under `rule` [MeV]. */
double nuem_atom_edge(const nuem_atom *a, size_t s, nuem_edge_rule rule);

/* R_L and R_T of subshell s (all its electrons) at energy transfer T for
 * nq momentum transfers q[] (MeV); results in 1/MeV, zero below the edge. */
nuem_status nuem_atom_response(nuem_context *ctx, const nuem_atom *a, size_t s,
                               const nuem_abinitio_options *opt, double T, size_t nq,
                               const double *q, double *RL, double *RT);

/* N_eff(T) = integral dq^2 R_L(T, q) / (2 m_e) over q from T to q_max
 * [MeV]: the electrons of subshell s that T can ionize (docs/physics.md). */
nuem_status nuem_atom_neff(nuem_context *ctx, const nuem_atom *a, size_t s,
                           const nuem_abinitio_options *opt, double T, double q_max,
                           double *neff);

/* Photoabsorption per atom [cm2] in two forms (docs/physics.md): velocity,
 * from R_T at the photon point, sigma = 2 pi^2 alpha R_T(T, q = T) / T; and
 * length, from the dipole limit of R_L, sigma = 4 pi^2 alpha T R_L / q^2.
 * They agree for exact eigenstates; their spread measures the model. */
nuem_status nuem_atom_photoabsorption(nuem_context *ctx, const nuem_atom *a,
                                      const nuem_abinitio_options *opt, double T,
                                      double *velocity, double *length);

/* The default table grid (docs/physics.md): log T from 10 eV to 100 keV
 * with points beside every edge, log q from 10 eV to 4 MeV. Arrays malloc'd. */
nuem_status nuem_abinitio_grid(nuem_context *ctx, const nuem_atom *a,
                               const nuem_abinitio_options *opt, double **T, size_t *nT,
                               double **q, size_t *nq);

/* The whole table on the given grid (OpenMP over subshells and T): fills
 * `out`, whose arrays this function allocates with malloc in the layout of
 * nuem/abinitio.h; release with nuem_abinitio_response_release. */
nuem_status nuem_abinitio_compute(nuem_context *ctx, const nuem_atom *a,
                                  const nuem_abinitio_options *opt, const double *T, size_t nT,
                                  const double *q, size_t nq, nuem_atomic_response *out);
void nuem_abinitio_response_release(nuem_atomic_response *r);


/* A fingerprint (64-bit FNV-1a, 16 hex digits) of everything a table is
 * computed from: the element's orbital data, the options, the grids and
 * nuem's version. `nuem atomic build` writes it into the table's header. */
nuem_status nuem_abinitio_inputs_hash(nuem_context *ctx, const nuem_atom *a,
                                      const nuem_abinitio_options *o, const double *T,
                                      size_t nT, const double *q, size_t nq, char out[17]);

#ifdef __cplusplus
}
#endif
#endif

/* Stage 2, target: the detector material as elements, isotopes and shells.
 * Data come from the .dat files in data/targets (compiled in; sources in each header). */
#ifndef NUEM_TARGET_H
#define NUEM_TARGET_H

#include "nuem/config.h"
#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int Z, A, N;
  double atomic_mass_u; /* atomic mass [u] */
  double abundance;     /* fraction of the element's atoms */
  double mass;          /* nuclear mass [MeV]: atomic mass - Z m_e */
} nuem_isotope;

typedef struct {
  char name[8];
  double binding; /* [MeV] */
  int electrons;
} nuem_shell;

typedef struct {
  char symbol[4];
  int Z;
  double count;       /* atoms per formula unit */
  double mean_mass_u; /* abundance-weighted atomic mass [u] */
  size_t nisotopes, nshells;
  nuem_isotope *isotopes;
  nuem_shell *shells; /* ordered from the most bound (K) outwards */
} nuem_element;

typedef struct {
  char name[16];
  size_t nelements;
  nuem_element *elements;
  double formula_mass_u;   /* mass of one formula unit [u] */
  double formulas_per_kg;  /* formula units per kg */
  double electrons_per_kg; /* all electrons, per kg */
  double density;          /* of a material [kg/cm3]; 0 for an element or isotope */
} nuem_target;

/* `name` is a material (Ge, Si, Ar, Xe, CsI, NaI, pseudocumene), an element symbol, or a
 * single isotope written symbol+A (Ge74). */
nuem_status nuem_target_new(nuem_context *ctx, const char *name,
                            nuem_target **out);
/* The material of target.material. */
nuem_status nuem_target_init(nuem_context *ctx, const nuem_config *cfg,
                             nuem_target **out);
void nuem_target_free(nuem_target *t);

/* The materials nuem knows, for messages and `nuem config`. */
const char *nuem_target_known_materials(void);

#ifdef __cplusplus
}
#endif
#endif

/* Cross sections per atom (or formula unit) and per nucleus of a target:
 * what `nuem xsec --target` prints, callable from C. */
#include <string.h>

#include "core_internal.h"
#include "nuem/atomic.h"
#include "nuem/constants.h"

static const char *per_what(const nuem_target *tgt, const char *single) {
  return tgt->nelements == 1 && tgt->elements[0].count == 1 ? single : "formula unit";
}

void nuem_xsec_target_electron(const nuem_interaction *in, const nuem_target *tgt,
                               const nuem_atomic *atomic, double E, double T,
                               nuem_xsec_answer *a) {
  double free_e[NUEM_NPROC];
  for (int p = 0; p < NUEM_NPROC; p++) free_e[p] = nuem_xsec_electron(in, p, E, T);
  a->t_max = nuem_kin_t_max(E, NUEM_ME);
  if (!tgt) {
    memcpy(a->value, free_e, sizeof free_e);
    a->per = "free electron";
    return;
  }
  const nuem_abinitio *ab = nuem_atomic_abinitio_at(atomic, T);
  if (ab) { /* cross sections from the responses, per atom */
    nuem_abinitio_dsigma_dt(ab, in, E, T, a->value);
    a->t_max = E; /* q in [T, 2E - T] */
    a->per = "atom";
    return;
  }
  double z = 0, per_atom[NUEM_NPROC], c[3];
  for (size_t i = 0; i < tgt->nelements; i++) z += tgt->elements[i].count * tgt->elements[i].Z;
  for (int p = 0; p < NUEM_NPROC; p++) per_atom[p] = z * free_e[p];
  nuem_atomic_epa_coeffs(atomic, in, T, c);
  double epa = T < a->t_max ? c[0] + c[1] / E + c[2] / (E * E) : 0.0;
  nuem_atomic_apply(atomic, T, per_atom, epa, a->value);
  a->per = per_what(tgt, "atom");
}

void nuem_xsec_target_nuclear(const nuem_interaction *in, const nuem_target *tgt, double E,
                              double T, nuem_xsec_answer *a) {
  memset(a->value, 0, sizeof a->value);
  a->t_max = 0;
  for (size_t i = 0; i < tgt->nelements; i++) {
    const nuem_element *el = &tgt->elements[i];
    for (size_t k = 0; k < el->nisotopes; k++) {
      const nuem_isotope *iso = &el->isotopes[k];
      for (int p = 0; p < NUEM_NPROC; p++)
        a->value[p] += el->count * iso->abundance * nuem_xsec_nuclear(in, iso, p, E, T);
      double tm = nuem_kin_t_max(E, iso->mass);
      if (tm > a->t_max) a->t_max = tm;
    }
  }
  a->per = per_what(tgt, "nucleus");
}

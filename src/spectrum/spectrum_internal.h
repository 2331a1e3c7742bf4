/* Shared internals of the spectrum stage (not installed). */
#ifndef NUEM_SPECTRUM_INTERNAL_H
#define NUEM_SPECTRUM_INTERNAL_H

#include "nuem/spectrum.h"

/* What depends on the source and target only: built once per spectrum
 * and shared by its variations. */
typedef struct {
  nuem_source *src;
  nuem_target *tgt;
  nuem_interaction in; /* couplings and the configured properties */
  nuem_atomic *atomic;
  nuem_rate_plan *plan;
} nuem_chain;

struct nuem_spectrum {
  nuem_chain *chain;
  int owns_chain;
  const nuem_config *cfg;   /* the detector keys */
  nuem_quenching *quench;
  nuem_detector *det;       /* NULL without a response */
  nuem_response response;   /* ntrue = 0 without one */
  int imported;             /* the response came from a file */
  double *background;       /* events/kg/day per measured bin */
};

/* The detector part of a spectrum (quenching, and the response and the
 * background when there are bins), from sp->cfg with `change` applied. */
nuem_status nuem_spectrum_detector_build(nuem_context *ctx, nuem_spectrum *sp,
                                         const nuem_detector_change *change);
void nuem_spectrum_detector_free(nuem_spectrum *sp);
/* Header note "atomic_model": the model used and, for auto, why. */
void nuem_spectrum_note_atomic(const nuem_spectrum *sp, nuem_result *out);

#endif

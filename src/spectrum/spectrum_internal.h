/* Shared internals of the spectrum stage (not installed). */
#ifndef NUEM_SPECTRUM_INTERNAL_H
#define NUEM_SPECTRUM_INTERNAL_H

#include "nuem/spectrum.h"

/* One flavour the source delivers: its couplings, its flux plan, and its
 * properties relative to the spectrum's (mu, q, r2): at properties p the
 * flavour has p.mu × scale[0], p.q × scale[1], p.r2 × scale[2] (1 unless the
 * config gives the property per flavour; docs/physics.md, "Flavour
 * mixtures"). */
typedef struct {
  nuem_interaction in;
  double scale[3];
  nuem_rate_plan *plan;
  int added; /* from source.add's source, not source.type's */
} nuem_channel;

/* What depends on the source and target only: built once per spectrum
 * and shared by its variations. */
typedef struct {
  nuem_source *src;
  nuem_source *added;       /* source.add's, or NULL */
  nuem_target *tgt;
  nuem_interaction in; /* couplings of the first flavour; the configured
                          properties (per flavour: the largest magnitude) */
  nuem_atomic *atomic;
  size_t nchannels;
  nuem_channel channel[2 * NUEM_NFLAVOURS]; /* source.type's, then source.add's */
  /* source.type = sterile-dm: no flux, no plan; the halo and its line */
  int sterile;
  int borrowed;             /* target and atomic model belong to another chain */
  int owns_flux;            /* borrowed, but its source and the plans of source.type's
                               channels are its own (nuem_spectrum_vary_flux) */
  int coupling_given;       /* physics.mu_sa or sin2_2theta was given */
  nuem_halo halo;
  nuem_line_shape line;
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

/* The chain of a sterile-dm config (src/spectrum/sterile.c): target,
 * atomic model, halo and line shape, the configured mu_sa in in.mu. */
nuem_status nuem_sterile_chain_build(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c);
/* Rate columns at T for a sterile chain: the off-pole continuum in
 * ELEC_MU and TOTAL [/kg/keV/day], everything else 0; the line is not in
 * the row (it is folded on its own: nuem_spectrum_measure). */
void nuem_sterile_row(const nuem_chain *c, double mu_sa, double T, double row[NUEM_SPECTRUM_NCOLS]);
/* The line at the moment mu_sa: events per kg per day. */
double nuem_sterile_line_rate(const nuem_chain *c, double mu_sa);
/* The sterile true spectrum on a grid (columns T, line, continuum, total). */
nuem_status nuem_sterile_table(nuem_context *ctx, const nuem_spectrum *sp, double mu_sa,
                               const double *T, size_t n, nuem_result *out);
/* The notes every sterile table carries (width, moment, angle, line). */
void nuem_sterile_notes(const nuem_chain *c, double mu_sa, nuem_result *out);

/* The detector part of a spectrum (quenching, and the response and the
 * background when there are bins), from sp->cfg with `change` applied. */
nuem_status nuem_spectrum_detector_build(nuem_context *ctx, nuem_spectrum *sp,
                                         const nuem_detector_change *change);
void nuem_spectrum_detector_free(nuem_spectrum *sp);
/* Header note "atomic_model": the model used and, for auto, why. */
void nuem_spectrum_note_atomic(const nuem_spectrum *sp, nuem_result *out);

#endif

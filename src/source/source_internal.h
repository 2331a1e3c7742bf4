/* The source stage's private state (not installed). */
#ifndef NUEM_SOURCE_INTERNAL_H
#define NUEM_SOURCE_INTERNAL_H

#include "nuem/source.h"

enum { NUEM_POLY_TERMS = 6 };
/* The source.low_energy models (mapped by name in nuem_reactor_init). */
enum { NUEM_LOW_VOGEL_ENGEL, NUEM_LOW_FLAT };

typedef struct {
  int nuclide;    /* 0: 239U, 1: 239Np */
  int z_daughter;
  double endpoint;  /* MeV */
  double intensity; /* fraction of decays */
  double weight;    /* intensity / (sum of intensities × shape integral) */
} nuem_beta_branch;

struct nuem_source {
  int type;
  double e_min, e_max;
  double *knots;
  size_t nknots;
  double scale; /* total_flux normalisation (1 if unset) */
  double total, total_err;
  /* reactor */
  double fractions[NUEM_NFISSION];
  double fission_rate;  /* fissions / s */
  double fission_flux;  /* fissions / s / cm2 at the detector */
  double poly[NUEM_NFISSION][NUEM_POLY_TERMS];
  int low_model;
  size_t nlow;
  double *low_e;                      /* nlow energies, integration knots */
  nuem_interp *low_s[NUEM_NFISSION]; /* spectrum per fission below 2 MeV */
  double captures_per_fission;
  size_t nbranch;
  nuem_beta_branch *branch;
  /* table */
  nuem_interp *tab_phi; /* dPhi/dE(E) */
  /* flavours delivered, and mono-energetic lines (any type) */
  size_t nflavours;
  int flavours[NUEM_NFLAVOURS];
  size_t nlines;
  nuem_source_line *lines;
  /* solar (src/source/solar.c) */
  void *solar;
};

nuem_status nuem_reactor_init(nuem_context *ctx, const nuem_config *cfg,
                              nuem_source *src);
double nuem_reactor_flux(const nuem_source *src, double E);
double nuem_reactor_flux_components(const nuem_source *src, double E,
                                    double comp[NUEM_NCOMPONENTS]);

/* Parse the compiled-in table data/<name>. */
nuem_status nuem_source_data(nuem_context *ctx, const char *name, nuem_table *t);
/* Append a line (its energy must be > 0 and its fluxes >= 0). */
nuem_status nuem_source_add_line(nuem_context *ctx, nuem_source *src,
                                 const nuem_source_line *line);

nuem_status nuem_solar_init(nuem_context *ctx, const nuem_config *cfg, nuem_source *src);
void nuem_solar_free(nuem_source *src);
/* Continuum dPhi/dE of `flavour` (-1: all flavours). */
double nuem_solar_flux(const nuem_source *src, int flavour, double E);

#endif

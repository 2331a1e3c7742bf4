/* The source stage's private state (not installed). */
#ifndef NUEM_SOURCE_INTERNAL_H
#define NUEM_SOURCE_INTERNAL_H

#include "nuem/source.h"

enum { NUEM_POLY_TERMS = 6 };
/* The source.low_energy models (mapped by name in nuem_reactor_init). */
enum { NUEM_LOW_VOGEL_ENGEL, NUEM_LOW_PERISSE_2023, NUEM_LOW_FLAT };
/* The sources of error of the spectra above 2 MeV, named as the columns of
 * the tables (Huber, PRC 84, 024617 (2011); Mueller et al., PRC 83, 054615
 * (2011)): stat uncorrelated between bins and isotopes, each other one
 * correlated in energy and between the isotopes that carry it
 * (docs/physics.md, "Reactor spectrum uncertainties"). */
enum { NUEM_BAND_STAT, NUEM_BAND_BIAS, NUEM_BAND_Z, NUEM_BAND_WM, NUEM_BAND_NORM,
       NUEM_BAND_CONV, NUEM_BAND_CORR, NUEM_BAND_DATABASES, NUEM_BAND_FORBIDDEN,
       NUEM_BAND_MISSING, NUEM_BAND_NCOMP };

typedef struct {
  int nuclide;    /* reactor: 0: 239U, 1: 239Np */
  int z_daughter;
  double mass_number; /* A, for the nuclear radius in the Fermi function */
  double endpoint;  /* MeV */
  double intensity; /* fraction of decays */
  double weight;    /* intensity / (sum of intensities × shape integral) */
  nuem_interp *pf;  /* p F(Z, W) tabulated by nuem_beta_normalise, or NULL */
} nuem_beta_branch;

/* Allowed beta spectrum dN/dE_nu (unnormalised; src/source/beta.c): from
 * the tabulated p F(Z, W) once normalised, else computed; and its direct
 * evaluation (what the table is checked against). nuem_beta_normalise
 * tabulates p F and sets b->weight = 1 / the shape's integral;
 * nuem_beta_free frees the table. */
double nuem_beta_shape(const nuem_beta_branch *b, double Enu);
double nuem_beta_shape_direct(const nuem_beta_branch *b, double Enu);
nuem_status nuem_beta_normalise(nuem_context *ctx, nuem_beta_branch *b);
void nuem_beta_free(nuem_beta_branch *b);

/* An analytic continuum of one flavour (radioactive and pidar sources):
 * flux [/cm2/s] times a shape normalised to 1 on [0, e_max]. */
enum { NUEM_SHAPE_BETA, NUEM_SHAPE_MICHEL_NUE, NUEM_SHAPE_MICHEL_ANTINUMU };
typedef struct {
  int flavour;
  int shape;
  double flux;
  double e_max;            /* MeV */
  nuem_beta_branch beta;   /* shape = NUEM_SHAPE_BETA, normalised */
} nuem_continuum;

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
  nuem_interp *low_rel[NUEM_NFISSION]; /* its relative 1-sigma (perisse-2023), or NULL */
  /* the relative 1-sigma per isotope and source of error above 2 MeV
   * (NULL where the model's table has none), and the tables' bin centres */
  nuem_interp *high_rel[NUEM_NFISSION][NUEM_BAND_NCOMP];
  double high_bins[32];
  size_t nhigh;
  /* source.band_covariance: ncov bins (ncov + 1 edges, MeV) and the
   * relative covariance, row-major; replaces the published band */
  size_t ncov;
  double *cov_edges, *cov;
  double *cov_factor; /* row a, column k: sqrt(lambda_k) v_ak of cov */
  /* nuem_source_reshaped: the flux is multiplied by 1 + amplitude shape(E);
   * every array above belongs to the source it was made from */
  const nuem_interp *shape;
  double shape_amplitude;
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
  /* radioactive and pidar (src/source/continuum.c) */
  size_t ncont;
  nuem_continuum *cont;
  double activity;      /* radioactive: decays/s averaged over the run */
  double proton_rate;   /* pidar: protons on target per second */
};

nuem_status nuem_reactor_init(nuem_context *ctx, const nuem_config *cfg,
                              nuem_source *src);
double nuem_reactor_flux(const nuem_source *src, double E);
double nuem_reactor_flux_components(const nuem_source *src, double E,
                                    double comp[NUEM_NCOMPONENTS]);

/* The published band (or source.band_covariance) as independent factors:
 * cov(dPhi/dE(E), dPhi/dE(E')) = sum_k f_k(E) f_k(E'), f_k the one-sigma
 * shift [1/(cm2 s MeV)] of factor k (a correlated component, one
 * statistical bin of one isotope, or an eigenvector of the user's matrix;
 * docs/physics.md, "Reactor spectrum uncertainties"). 0 factors without a
 * band. nuem_band_breaks lists energies where factors may jump. */
size_t nuem_band_nfactors(const nuem_source *src);
double nuem_band_factor(const nuem_source *src, size_t k, double E);
size_t nuem_band_breaks(const nuem_source *src, double *out, size_t cap);
/* The error for a source without a band (names the models that have one). */
nuem_status nuem_band_missing(nuem_context *ctx);

/* Parse the compiled-in table data/<name>. */
nuem_status nuem_source_data(nuem_context *ctx, const char *name, nuem_table *t);
/* Append a line (its energy must be > 0 and its fluxes >= 0). */
nuem_status nuem_source_add_line(nuem_context *ctx, nuem_source *src,
                                 const nuem_source_line *line);

/* main_source: the Sun is source.type (physics.flavour is then an error);
 * otherwise it is source.add beside another source's flavour. */
nuem_status nuem_solar_init(nuem_context *ctx, const nuem_config *cfg, int main_source,
                            nuem_source *src);
void nuem_solar_free(nuem_source *src);
/* Continuum dPhi/dE of `flavour` (-1: all flavours). */
double nuem_solar_flux(const nuem_source *src, int flavour, double E);

/* Append a continuum (its flux must be >= 0); extends e_max and the knots. */
nuem_status nuem_source_add_continuum(nuem_context *ctx, nuem_source *src,
                                      const nuem_continuum *c);
/* Sum of the continua of `flavour` (-1: all), unscaled. */
double nuem_continua_flux(const nuem_source *src, int flavour, double E);
/* Add `flavour` to the delivered flavours unless it is there. */
void nuem_source_deliver(nuem_source *src, int flavour);
/* Add e_min and e_max to the knots, sort them and drop repeats. */
nuem_status nuem_source_finish_knots(nuem_context *ctx, nuem_source *src);
/* The geometry of a point or extended source: <1/(4 pi r^2)> [1/cm2] from
 * source.distance or source.mean_inverse_r2 (exactly one must be given). */
nuem_status nuem_source_geometry(nuem_context *ctx, const nuem_config *cfg, const char *type,
                                 double *per_area);

nuem_status nuem_radioactive_init(nuem_context *ctx, const nuem_config *cfg, nuem_source *src);
nuem_status nuem_pidar_init(nuem_context *ctx, const nuem_config *cfg, nuem_source *src);

#endif

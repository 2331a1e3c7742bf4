/* The source stage: builds a reactor, table, solar, radioactive or
 * pion-decay-at-rest flux, its flavours, lines and total. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "integrate.h"
#include "source_internal.h"

/* A user table (E, dPhi/dE). */
static nuem_status table_init(nuem_context *ctx, const nuem_config *cfg,
                              nuem_source *src) {
  src->type = NUEM_SOURCE_TABLE;
  const char *path = nuem_config_text(cfg, NUEM_P_SOURCE_FILE);
  if (!*path)
    return nuem_error(ctx, NUEM_ECONFIG,
                      "source.type = table needs source.file, a table with "
                      "columns E and dPhi/dE");
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  nuem_status s = nuem_table_check_xy(ctx, &t, "MeV", "/cm2/s/MeV", 1, 2, "a flux table");
  /* Linear between the points; no neutrinos outside the table's energies,
   * which are also the integration range [e_min, e_max]. */
  if (!s) s = nuem_interp_from_table(ctx, &t, 0, 1, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_ZERO,
                                     &src->tab_phi);
  if (!s && !(src->knots = malloc(t.nrows * sizeof *src->knots))) s = NUEM_ENOMEM;
  if (!s) {
    for (size_t r = 0; r < t.nrows; r++) src->knots[r] = nuem_table_get(&t, r, 0);
    src->nknots = t.nrows;
    src->e_min = nuem_interp_x_min(src->tab_phi);
    src->e_max = nuem_interp_x_max(src->tab_phi);
  }
  nuem_table_free(&t);
  return s;
}

static double table_flux(const nuem_source *src, double E) {
  return src->scale * nuem_interp_eval(src->tab_phi, E);
}

double nuem_source_flux(const nuem_source *src, double E) {
  switch (src->type) {
  case NUEM_SOURCE_REACTOR: return nuem_reactor_flux(src, E);
  case NUEM_SOURCE_SOLAR: return nuem_solar_flux(src, -1, E);
  case NUEM_SOURCE_RADIOACTIVE:
  case NUEM_SOURCE_PIDAR: return src->scale * nuem_continua_flux(src, -1, E);
  default: return table_flux(src, E);
  }
}

size_t nuem_source_flavours(const nuem_source *src, int flavours[NUEM_NFLAVOURS]) {
  for (size_t i = 0; i < src->nflavours; i++) flavours[i] = src->flavours[i];
  return src->nflavours;
}

double nuem_source_flavour_flux(const nuem_source *src, int flavour, double E) {
  if (src->type == NUEM_SOURCE_SOLAR) return nuem_solar_flux(src, flavour, E);
  if (src->ncont) return src->scale * nuem_continua_flux(src, flavour, E);
  return src->nflavours == 1 && src->flavours[0] == flavour ? nuem_source_flux(src, E) : 0.0;
}

size_t nuem_source_lines(const nuem_source *src, const nuem_source_line **lines) {
  *lines = src->lines;
  return src->nlines;
}

nuem_status nuem_source_add_line(nuem_context *ctx, nuem_source *src,
                                 const nuem_source_line *line) {
  int ok = line->energy > 0 && isfinite(line->energy) && line->total >= 0;
  for (int f = 0; f < NUEM_NFLAVOURS; f++) ok = ok && line->flux[f] >= 0;
  if (!ok)
    return nuem_error(ctx, NUEM_ERANGE, "a source line at %g MeV with flux %g /cm2/s: the "
                      "energy must be > 0 and the fluxes >= 0", line->energy, line->total);
  nuem_source_line *l = realloc(src->lines, (src->nlines + 1) * sizeof *l);
  if (!l) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source lines");
  src->lines = l;
  l[src->nlines++] = *line;
  return NUEM_OK;
}

nuem_status nuem_source_data(nuem_context *ctx, const char *name, nuem_table *t) {
  size_t len;
  const char *text = nuem_data_find(name, &len);
  if (!text)
    return nuem_error(ctx, NUEM_EINTERNAL, "compiled-in data file '%s' is missing", name);
  return nuem_table_parse(ctx, text, len, name, t);
}

/* Reactor and table sources deliver the one flavour of physics.flavour. */
static nuem_status configured_flavour(nuem_context *ctx, const nuem_config *cfg,
                                      nuem_source *src) {
  static const nuem_choice flavours[] = {
      {"nue", NUEM_NUE},     {"antinue", NUEM_ANTINUE}, {"numu", NUEM_NUMU},
      {"antinumu", NUEM_ANTINUMU}, {"nutau", NUEM_NUTAU}, {"antinutau", NUEM_ANTINUTAU}};
  src->nflavours = 1;
  return NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_PHYSICS_FLAVOUR, flavours, &src->flavours[0]);
}

double nuem_source_flux_components(const nuem_source *src, double E,
                                   double comp[NUEM_NCOMPONENTS]) {
  if (src->type == NUEM_SOURCE_REACTOR)
    return nuem_reactor_flux_components(src, E, comp);
  for (int i = 0; i < NUEM_NCOMPONENTS; i++) comp[i] = 0;
  return comp[0] = nuem_source_flux(src, E);
}

static double flux_gsl(double E, void *params) {
  return nuem_source_flux(params, E);
}

static nuem_status compute_total(nuem_context *ctx, const nuem_config *cfg,
                                 nuem_source *src) {
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  if (!ws) return NUEM_ENOMEM;
  gsl_function f = {flux_gsl, src};
  nuem_status s = nuem_integrate(ctx, &f, src->e_min, src->e_max, src->knots,
                                 src->nknots, nuem_config_number(cfg, NUEM_P_NUMERICS_REL_TOL),
                                 ws, &src->total, &src->total_err, "total flux");
  gsl_integration_workspace_free(ws);
  for (size_t i = 0; !s && i < src->nlines; i++) src->total += src->lines[i].total;
  if (!s && !(src->total > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "the source's total flux is zero; check "
                   "source.fractions or the flux table");
  return s;
}

/* source.total_flux: every flux, lines included, scaled to `want`. */
static void scale_to(nuem_source *src, double want) {
  src->scale = want / src->total;
  src->total_err *= src->scale;
  src->total = want;
  for (size_t i = 0; i < src->nlines; i++) {
    src->lines[i].total *= src->scale;
    for (int f = 0; f < NUEM_NFLAVOURS; f++) src->lines[i].flux[f] *= src->scale;
  }
}

/* The source of type `type` from cfg's [source] keys; the main source also
 * takes source.total_flux. */
static nuem_status source_build(nuem_context *ctx, const nuem_config *cfg, const char *type,
                                int main_source, nuem_source **out) {
  nuem_source *src = calloc(1, sizeof *src);
  if (!src) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source");
  src->scale = 1.0;
  nuem_status s;
  if (!strcmp(type, "reactor"))
    s = nuem_reactor_init(ctx, cfg, src);
  else if (!strcmp(type, "solar"))
    s = nuem_solar_init(ctx, cfg, main_source, src);
  else if (!strcmp(type, "radioactive"))
    s = nuem_radioactive_init(ctx, cfg, src);
  else if (!strcmp(type, "pidar"))
    s = nuem_pidar_init(ctx, cfg, src);
  else
    s = table_init(ctx, cfg, src);
  if (!s && !src->nflavours) s = configured_flavour(ctx, cfg, src);
  if (!s) s = compute_total(ctx, cfg, src);
  if (!s && main_source && nuem_config_is_set(cfg, NUEM_P_SOURCE_TOTAL_FLUX))
    scale_to(src, nuem_config_number(cfg, NUEM_P_SOURCE_TOTAL_FLUX));
  if (s) {
    nuem_source_free(src);
    return s;
  }
  *out = src;
  return NUEM_OK;
}

nuem_status nuem_source_init(nuem_context *ctx, const nuem_config *cfg,
                             nuem_source **out) {
  if (nuem_source_is_sterile_dm(cfg))
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = sterile-dm is a dark-matter halo, "
                      "not a neutrino flux: use it with nuem spectrum, limit or sensitivity");
  char type[32];
  snprintf(type, sizeof type, "%s", nuem_config_choice_name(cfg, NUEM_P_SOURCE_TYPE));
  return source_build(ctx, cfg, type, 1, out);
}

nuem_status nuem_source_init_added(nuem_context *ctx, const nuem_config *cfg,
                                   nuem_source **out) {
  *out = NULL;
  if (nuem_config_choice_is(cfg, NUEM_P_SOURCE_ADD, "none")) return NUEM_OK;
  /* copies: nuem_config_choice_name returns one buffer per thread */
  char type[32], main_type[32];
  snprintf(type, sizeof type, "%s", nuem_config_choice_name(cfg, NUEM_P_SOURCE_ADD));
  snprintf(main_type, sizeof main_type, "%s", nuem_config_choice_name(cfg, NUEM_P_SOURCE_TYPE));
  if (!strcmp(main_type, type) || nuem_source_is_sterile_dm(cfg))
    return nuem_error(ctx, NUEM_ECONFIG, "source.add = %s needs a main source of another "
                      "kind (source.type = %s)", type, main_type);
  return nuem_error_trace(ctx, source_build(ctx, cfg, type, 0, out), "source.add");
}

void nuem_source_free(nuem_source *src) {
  if (!src) return;
  if (src->shape) { /* reshaped: the arrays are the original's */
    free(src);
    return;
  }
  free(src->knots);
  free(src->low_e);
  for (int i = 0; i < NUEM_NFISSION; i++) nuem_interp_free(src->low_s[i]);
  for (int i = 0; i < NUEM_NFISSION; i++) nuem_interp_free(src->low_rel[i]);
  for (int i = 0; i < NUEM_NFISSION; i++)
    for (int c = 0; c < NUEM_BAND_NCOMP; c++) nuem_interp_free(src->high_rel[i][c]);
  free(src->cov_edges);
  free(src->cov);
  free(src->cov_factor);
  for (size_t b = 0; b < src->nbranch; b++) nuem_beta_free(&src->branch[b]);
  free(src->branch);
  nuem_interp_free(src->tab_phi);
  nuem_solar_free(src);
  free(src->lines);
  for (size_t c = 0; c < src->ncont; c++) nuem_beta_free(&src->cont[c].beta);
  free(src->cont);
  free(src);
}

double nuem_source_mean_activity(const nuem_source *src) {
  return src->type == NUEM_SOURCE_RADIOACTIVE ? src->scale * src->activity : 0.0;
}

double nuem_source_proton_rate(const nuem_source *src) {
  return src->type == NUEM_SOURCE_PIDAR ? src->scale * src->proton_rate : 0.0;
}

double nuem_source_e_min(const nuem_source *src) { return src->e_min; }
double nuem_source_e_max(const nuem_source *src) { return src->e_max; }

size_t nuem_source_knots(const nuem_source *src, const double **knots) {
  *knots = src->knots;
  return src->nknots;
}

double nuem_source_total(const nuem_source *src, double *abserr) {
  if (abserr) *abserr = src->total_err;
  return src->total;
}

double nuem_source_fission_rate(const nuem_source *src) {
  return src->type == NUEM_SOURCE_REACTOR ? src->fission_rate : 0.0;
}

double nuem_source_per_fission(const nuem_source *src) {
  if (src->type != NUEM_SOURCE_REACTOR) return 0.0;
  return src->total / (src->scale * src->fission_flux);
}

int nuem_source_type(const nuem_source *src) { return src->type; }

/* The source stage: builds a reactor or table flux and its total. */
#include <gsl/gsl_integration.h>
#include <math.h>
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
  return src->type == NUEM_SOURCE_REACTOR ? nuem_reactor_flux(src, E)
                                          : table_flux(src, E);
}

double nuem_source_flux_components(const nuem_source *src, double E,
                                   double comp[NUEM_NCOMPONENTS]) {
  if (src->type == NUEM_SOURCE_REACTOR)
    return nuem_reactor_flux_components(src, E, comp);
  for (int i = 0; i < NUEM_NCOMPONENTS; i++) comp[i] = 0;
  return comp[0] = table_flux(src, E);
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
  if (!s && !(src->total > 0))
    s = nuem_error(ctx, NUEM_ERANGE, "the source's total flux is zero; check "
                   "source.fractions or the flux table");
  return s;
}

nuem_status nuem_source_init(nuem_context *ctx, const nuem_config *cfg,
                             nuem_source **out) {
  if (nuem_source_is_sterile_dm(cfg))
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = sterile-dm is a dark-matter halo, "
                      "not a neutrino flux: use it with nuem spectrum, limit or sensitivity");
  nuem_source *src = calloc(1, sizeof *src);
  if (!src) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source");
  src->scale = 1.0;
  nuem_status s = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "reactor")
                      ? nuem_reactor_init(ctx, cfg, src)
                      : table_init(ctx, cfg, src);
  if (!s) s = compute_total(ctx, cfg, src);
  if (!s && nuem_config_is_set(cfg, NUEM_P_SOURCE_TOTAL_FLUX)) {
    double want = nuem_config_number(cfg, NUEM_P_SOURCE_TOTAL_FLUX);
    src->scale = want / src->total;
    src->total_err *= src->scale;
    src->total = want;
  }
  if (s) {
    nuem_source_free(src);
    return s;
  }
  *out = src;
  return NUEM_OK;
}

void nuem_source_free(nuem_source *src) {
  if (!src) return;
  free(src->knots);
  free(src->low_e);
  for (int i = 0; i < NUEM_NFISSION; i++) nuem_interp_free(src->low_s[i]);
  free(src->branch);
  nuem_interp_free(src->tab_phi);
  free(src);
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

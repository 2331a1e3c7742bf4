/* Analytic continua of the radioactive and pion-decay-at-rest sources: each
 * one flavour with a flux and a normalised shape (allowed beta spectrum or
 * Michel spectrum); the geometry shared by both (docs/physics.md,
 * "Source: radioactive" and "Source: pion decay at rest"). */
#include <math.h>
#include <stdlib.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "source_internal.h"

/* Michel spectra of mu+ -> e+ nu_e antinu_mu at rest, normalised to 1 on
 * [0, m_mu/2] (electron mass neglected; e.g. Bouchiat & Michel 1957; the
 * forms used by COHERENT, Akimov et al. Science 357, 1123 (2017)). */
static double michel(int shape, double E) {
  double x = E / NUEM_MMU;
  if (x <= 0 || x >= 0.5) return 0.0;
  return shape == NUEM_SHAPE_MICHEL_NUE ? 192.0 / NUEM_MMU * x * x * (0.5 - x)
                                        : 64.0 / NUEM_MMU * x * x * (0.75 - x);
}

static double continuum_shape(const nuem_continuum *c, double E) {
  if (c->shape == NUEM_SHAPE_BETA) return c->beta.weight * nuem_beta_shape(&c->beta, E);
  return michel(c->shape, E);
}

double nuem_continua_flux(const nuem_source *src, int flavour, double E) {
  double sum = 0;
  for (size_t i = 0; i < src->ncont; i++) {
    const nuem_continuum *c = &src->cont[i];
    if ((flavour < 0 || c->flavour == flavour) && E > 0 && E < c->e_max)
      sum += c->flux * continuum_shape(c, E);
  }
  return sum;
}

void nuem_source_deliver(nuem_source *src, int flavour) {
  for (size_t i = 0; i < src->nflavours; i++)
    if (src->flavours[i] == flavour) return;
  src->flavours[src->nflavours++] = flavour;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

nuem_status nuem_source_finish_knots(nuem_context *ctx, nuem_source *src) {
  double *knots = realloc(src->knots, (src->nknots + 2) * sizeof *knots);
  if (!knots) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source knots");
  src->knots = knots;
  knots[src->nknots++] = src->e_min;
  knots[src->nknots++] = src->e_max;
  qsort(src->knots, src->nknots, sizeof *src->knots, compare_double);
  size_t m = 0;
  for (size_t i = 0; i < src->nknots; i++)
    if (m == 0 || src->knots[i] > src->knots[m - 1]) src->knots[m++] = src->knots[i];
  src->nknots = m;
  return NUEM_OK;
}

nuem_status nuem_source_add_continuum(nuem_context *ctx, nuem_source *src,
                                      const nuem_continuum *c) {
  if (!(c->flux >= 0) || !isfinite(c->flux) || !(c->e_max > 0))
    return nuem_error(ctx, NUEM_ERANGE, "a source continuum with flux %g /cm2/s and end "
                      "point %g MeV: the flux must be >= 0 and the end point > 0",
                      c->flux, c->e_max);
  nuem_continuum *list = realloc(src->cont, (src->ncont + 1) * sizeof *list);
  if (!list) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source continua");
  src->cont = list;
  double *knots = realloc(src->knots, (src->nknots + 2) * sizeof *knots);
  if (!knots) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source knots");
  src->knots = knots;
  list[src->ncont++] = *c;
  knots[src->nknots++] = 0.0;
  knots[src->nknots++] = c->e_max;
  src->e_min = 0.0;
  src->e_max = fmax(src->e_max, c->e_max);
  nuem_source_deliver(src, c->flavour);
  return NUEM_OK;
}

nuem_status nuem_source_geometry(nuem_context *ctx, const nuem_config *cfg, const char *type,
                                 double *per_area) {
  int point = nuem_config_given(cfg, NUEM_P_SOURCE_DISTANCE);
  int extended = nuem_config_is_set(cfg, NUEM_P_SOURCE_MEAN_INVERSE_R2);
  if (point == extended)
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = %s needs exactly one of "
                      "source.distance (a point source) and source.mean_inverse_r2 (<1/r^2> "
                      "over the source and detector volumes)%s", type,
                      point ? "; both are given" : "");
  if (point) {
    double L = nuem_config_number(cfg, NUEM_P_SOURCE_DISTANCE);
    *per_area = 1.0 / (4.0 * NUEM_PI * L * L);
  } else {
    *per_area = nuem_config_number(cfg, NUEM_P_SOURCE_MEAN_INVERSE_R2) / (4.0 * NUEM_PI);
  }
  return NUEM_OK;
}

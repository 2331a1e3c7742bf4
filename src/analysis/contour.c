/* 2-D Wilks contours for two parameters of interest. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"

void nuem_contour_free(nuem_contour *c) {
  free(c->theta1);
  free(c->theta2);
  free(c->t);
  memset(c, 0, sizeof *c);
}

nuem_status nuem_contour_wilks(nuem_context *ctx, const nuem_model *m1, const nuem_model *m2,
                               const double *cross, const nuem_data *d, double cl,
                               size_t grid, nuem_contour *c) {
  memset(c, 0, sizeof *c);
  if (grid < 2) return nuem_error(ctx, NUEM_ERANGE, "analysis.grid must be at least 2");
  if (d->mode == NUEM_DATA_EVENTS) /* the scan edits binned templates only */
    return nuem_error(ctx, NUEM_ECONFIG, "%s is an event list: 2-D contours are implemented "
                      "for binned data only; set analysis.poi2 = none", d->origin);
  double theta, tmin, nu[NUEM_NNU];
  NUEM_TRY(nuem_model_fit(ctx, m1, d, &theta, &tmin, nu));
  nuem_plane plane;
  nuem_fixed row;
  if (nuem_plane_init(m1, m2, cross, d, nu, &plane)) return NUEM_ENOMEM;
  if (nuem_plane_row_new(&plane, &row)) {
    nuem_plane_free(&plane);
    return NUEM_ENOMEM;
  }
  c->n1 = c->n2 = grid;
  c->theta1 = malloc(grid * sizeof(double));
  c->theta2 = malloc(grid * sizeof(double));
  c->t = malloc(grid * grid * sizeof(double));
  nuem_status s = c->theta1 && c->theta2 && c->t ? NUEM_OK : NUEM_ENOMEM;
  const double *obs = d->mode == NUEM_DATA_COUNTS ? d->on : d->residual;
  for (size_t i = 0; !s && i < grid; i++) {
    c->theta1[i] = plane.lo1 + (plane.hi1 - plane.lo1) * (double)i / (double)(grid - 1);
    c->theta2[i] = plane.lo2 + (plane.hi2 - plane.lo2) * (double)i / (double)(grid - 1);
  }
  /* the best fit over the physical plane; a grid node can only be lower
   * by rounding */
  double best = s ? 0 : nuem_plane_min(&plane, &row, d, obs, d->off, NULL, &c->best1,
                                                &c->best2);
  for (size_t i2 = 0; !s && i2 < grid; i2++) {
    nuem_plane_row(&plane, c->theta2[i2], &row);
    for (size_t i1 = 0; i1 < grid; i1++) {
      double t = nuem_fixed_t(&row, d, obs, d->off, c->theta1[i1]);
      c->t[i2 * grid + i1] = t;
      if (t < best) best = t, c->best1 = c->theta1[i1], c->best2 = c->theta2[i2];
    }
    nuem_progress(ctx, (double)(i2 + 1) / (double)grid, "contour");
  }
  for (size_t k = 0; !s && k < grid * grid; k++) c->t[k] -= best;
  c->critical = gsl_cdf_chisq_Pinv(cl, 2.0); /* two parameters: 2 degrees of freedom */
  nuem_plane_free(&plane);
  nuem_fixed_free(&row);
  if (s) {
    nuem_contour_free(c);
    return nuem_error(ctx, s, "out of memory for the contour");
  }
  return NUEM_OK;
}

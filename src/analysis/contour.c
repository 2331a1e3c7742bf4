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
  nuem_fixed f1, f2, row;
  if (nuem_fixed_init(m1, d, nu, &f1)) return NUEM_ENOMEM;
  if (nuem_fixed_init(m2, d, nu, &f2) || nuem_fixed_init(m1, d, nu, &row)) {
    nuem_fixed_free(&f1);
    return NUEM_ENOMEM;
  }
  /* the normalisation nuisances scale the interference like the rest */
  double norm = (1 + m1->sigma[NUEM_NU_FLUX] * nu[NUEM_NU_FLUX]) *
                (1 + m1->sigma[NUEM_NU_EFFICIENCY] * nu[NUEM_NU_EFFICIENCY]);
  c->n1 = c->n2 = grid;
  c->theta1 = malloc(grid * sizeof(double));
  c->theta2 = malloc(grid * sizeof(double));
  c->t = malloc(grid * grid * sizeof(double));
  nuem_status s = c->theta1 && c->theta2 && c->t ? NUEM_OK : NUEM_ENOMEM;
  double lo1, hi1, lo2, hi2;
  nuem_model_range(m1, &lo1, &hi1);
  nuem_model_range(m2, &lo2, &hi2);
  const double *obs = d->mode == NUEM_DATA_COUNTS ? d->on : d->residual;
  double best = INFINITY;
  for (size_t i = 0; !s && i < grid; i++) {
    c->theta1[i] = lo1 + (hi1 - lo1) * (double)i / (double)(grid - 1);
    c->theta2[i] = lo2 + (hi2 - lo2) * (double)i / (double)(grid - 1);
  }
  for (size_t i2 = 0; !s && i2 < grid; i2++) {
    /* at fixed theta2 the signal is quadratic in theta1 again */
    double t2 = c->theta2[i2];
    for (size_t j = 0; j < m1->n; j++) {
      double scale = m1->mode == NUEM_DATA_COUNTS ? m1->exposure_on : 1.0 / m1->width[j];
      row.a[j] = f1.a[j] + t2 * (f2.b[j] + t2 * f2.c[j]);
      row.b[j] = f1.b[j] + (cross ? norm * cross[j] * scale * t2 : 0.0);
      row.c[j] = f1.c[j];
    }
    for (size_t i1 = 0; i1 < grid; i1++) {
      double t = nuem_fixed_t(&row, d, obs, d->off, c->theta1[i1]);
      c->t[i2 * grid + i1] = t;
      if (t < best) best = t, c->best1 = c->theta1[i1], c->best2 = t2;
    }
    double th, t = nuem_fixed_min(&row, d, obs, d->off, lo1, hi1, &th);
    if (t < best) best = t, c->best1 = th, c->best2 = t2;
    nuem_progress(ctx, (double)(i2 + 1) / (double)grid, "contour");
  }
  for (size_t k = 0; !s && k < grid * grid; k++) c->t[k] -= best;
  c->critical = gsl_cdf_chisq_Pinv(cl, 2.0); /* two parameters: 2 degrees of freedom */
  nuem_fixed_free(&f1);
  nuem_fixed_free(&f2);
  nuem_fixed_free(&row);
  if (s) {
    nuem_contour_free(c);
    return nuem_error(ctx, s, "out of memory for the contour");
  }
  return NUEM_OK;
}

/* The plane of two parameters of interest with the nuisances fixed: the
 * likelihood of the 2-D contours (Wilks and Feldman-Cousins alike). */
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"

/* The lattice that finds the basin of the minimum (LATTICE + 1 points per
 * axis), and the simplex that refines it in coordinates scaled to the unit
 * square: its size at convergence and an iteration cap far above what a
 * 2-parameter simplex needs. */
enum { LATTICE = 8, SIMPLEX_ITERATIONS = 400 };
#define SIMPLEX_SIZE 1e-8
/* Outside the physical plane the simplex sees the edge's value plus this
 * weight times the squared distance, so it returns to the edge. */
#define OUTSIDE_WEIGHT 1e4

void nuem_plane_free(nuem_plane *p) {
  nuem_fixed_free(&p->base);
  nuem_fixed_free(&p->second);
  free(p->cross);
  memset(p, 0, sizeof *p);
}

nuem_status nuem_plane_init(const nuem_model *m1, const nuem_model *m2, const double *cross,
                            const nuem_data *d, const double *nu, nuem_plane *p) {
  memset(p, 0, sizeof *p);
  if (nuem_fixed_init(m1, d, nu, &p->base) || nuem_fixed_init(m2, d, nu, &p->second)) {
    nuem_plane_free(p);
    return NUEM_ENOMEM;
  }
  nuem_model_range(m1, &p->lo1, &p->hi1);
  nuem_model_range(m2, &p->lo2, &p->hi2);
  if (!cross) return NUEM_OK;
  if (!(p->cross = malloc(m1->n * sizeof(double)))) {
    nuem_plane_free(p);
    return NUEM_ENOMEM;
  }
  /* the normalisation nuisances scale the interference like the rest */
  double norm = (1 + m1->sigma[NUEM_NU_FLUX] * nu[NUEM_NU_FLUX]) *
                (1 + m1->sigma[NUEM_NU_EFFICIENCY] * nu[NUEM_NU_EFFICIENCY]);
  for (size_t j = 0; j < m1->n; j++) {
    double scale = m1->mode == NUEM_DATA_RESIDUAL ? 1.0 / m1->width[j] : m1->exposure_on;
    p->cross[j] = norm * cross[j] * scale;
  }
  return NUEM_OK;
}

nuem_status nuem_plane_row_new(const nuem_plane *p, nuem_fixed *row) {
  size_t n = p->base.n;
  *row = p->base;
  row->ea = row->eb = row->ec = row->ebkg = NULL; /* binned data only */
  row->nev = 0;
  if (!(row->a = malloc(4 * n * sizeof(double)))) return NUEM_ENOMEM;
  row->b = row->a + n;
  row->c = row->b + n;
  row->bkg = row->c + n;
  memcpy(row->a, p->base.a, n * sizeof(double));
  memcpy(row->b, p->base.b, n * sizeof(double));
  memcpy(row->c, p->base.c, n * sizeof(double));
  memcpy(row->bkg, p->base.bkg, n * sizeof(double));
  return NUEM_OK;
}

void nuem_plane_row(const nuem_plane *p, double t2, nuem_fixed *row) {
  const nuem_fixed *f1 = &p->base, *f2 = &p->second;
  for (size_t j = 0; j < f1->n; j++) { /* at fixed t2 the signal is quadratic in t1 */
    row->a[j] = f1->a[j] + t2 * (f2->b[j] + t2 * f2->c[j]);
    row->b[j] = f1->b[j] + (p->cross ? p->cross[j] * t2 : 0.0);
    row->c[j] = f1->c[j];
  }
}

double nuem_plane_t(const nuem_plane *p, nuem_fixed *row, const nuem_data *d, const double *on,
                    const double *off, double t1, double t2) {
  nuem_plane_row(p, t2, row);
  return nuem_fixed_t(row, d, on, off, t1);
}

typedef struct {
  const nuem_plane *p;
  nuem_fixed *row;
  const nuem_data *d;
  const double *on, *off;
} plane_params;

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

/* -2 ln L at a point of the unit square (u1, u2) -> the plane. */
static double scaled_t(const gsl_vector *u, void *params) {
  const plane_params *pp = params;
  const nuem_plane *p = pp->p;
  double u1 = gsl_vector_get(u, 0), u2 = gsl_vector_get(u, 1);
  double c1 = clamp(u1, 0, 1), c2 = clamp(u2, 0, 1);
  double outside = (u1 - c1) * (u1 - c1) + (u2 - c2) * (u2 - c2);
  return nuem_plane_t(p, pp->row, pp->d, pp->on, pp->off, p->lo1 + c1 * (p->hi1 - p->lo1),
                      p->lo2 + c2 * (p->hi2 - p->lo2)) + OUTSIDE_WEIGHT * outside;
}

struct nuem_plane_simplex {
  gsl_multimin_fminimizer *mz;
  gsl_vector *x, *step;
};

void nuem_plane_simplex_free(nuem_plane_simplex *sx) {
  if (!sx) return;
  if (sx->mz) gsl_multimin_fminimizer_free(sx->mz);
  gsl_vector_free(sx->x);
  gsl_vector_free(sx->step);
  free(sx);
}

nuem_plane_simplex *nuem_plane_simplex_new(void) {
  nuem_plane_simplex *sx = calloc(1, sizeof *sx);
  if (!sx) return NULL;
  sx->mz = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
  sx->x = gsl_vector_alloc(2);
  sx->step = gsl_vector_alloc(2);
  if (sx->mz && sx->x && sx->step) return sx;
  nuem_plane_simplex_free(sx);
  return NULL;
}

/* The simplex from u_best on the unit square; improves *best and u_best.
 * gsl_multimin_fminimizer_set restarts the simplex from scratch, so a
 * reused one gives the same steps as a fresh one. */
static void refine(const nuem_plane *p, plane_params *pp, nuem_plane_simplex *sx,
                   double *best, double u_best[2]) {
  gsl_multimin_function fn = {scaled_t, 2, pp};
  gsl_vector_set(sx->x, 0, u_best[0]);
  gsl_vector_set(sx->x, 1, u_best[1]);
  gsl_vector_set_all(sx->step, 0.5 / LATTICE);
  if (gsl_multimin_fminimizer_set(sx->mz, &fn, sx->x, sx->step)) return;
  for (int it = 0; it < SIMPLEX_ITERATIONS; it++) {
    if (gsl_multimin_fminimizer_iterate(sx->mz)) break;
    if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(sx->mz), SIMPLEX_SIZE) == GSL_SUCCESS)
      break;
  }
  const gsl_vector *u = gsl_multimin_fminimizer_x(sx->mz);
  double c1 = clamp(gsl_vector_get(u, 0), 0, 1), c2 = clamp(gsl_vector_get(u, 1), 0, 1);
  double v = nuem_plane_t(p, pp->row, pp->d, pp->on, pp->off, p->lo1 + c1 * (p->hi1 - p->lo1),
                          p->lo2 + c2 * (p->hi2 - p->lo2)); /* on the plane itself */
  if (v < *best) *best = v, u_best[0] = c1, u_best[1] = c2;
}

double nuem_plane_min(const nuem_plane *p, nuem_fixed *row, const nuem_data *d,
                      const double *on, const double *off, nuem_plane_simplex *sx, double *t1,
                      double *t2) {
  double best = INFINITY, u_best[2] = {0, 0};
  for (int i2 = 0; i2 <= LATTICE; i2++) {
    double u2 = (double)i2 / LATTICE;
    nuem_plane_row(p, p->lo2 + u2 * (p->hi2 - p->lo2), row);
    for (int i1 = 0; i1 <= LATTICE; i1++) {
      double u1 = (double)i1 / LATTICE;
      double t = nuem_fixed_t(row, d, on, off, p->lo1 + u1 * (p->hi1 - p->lo1));
      if (t < best) best = t, u_best[0] = u1, u_best[1] = u2;
    }
  }
  plane_params pp = {p, row, d, on, off};
  nuem_plane_simplex *own = sx ? NULL : nuem_plane_simplex_new();
  if (sx || own) refine(p, &pp, sx ? sx : own, &best, u_best);
  nuem_plane_simplex_free(own);
  if (t1) *t1 = p->lo1 + u_best[0] * (p->hi1 - p->lo1);
  if (t2) *t2 = p->lo2 + u_best[1] * (p->hi2 - p->lo2);
  return best;
}

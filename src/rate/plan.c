/* The rate plan: flux moments tabulated once, interpolated per T. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/rate.h"

enum { NMOM = 3, GL_POINTS = 16, GL_CHECK = 8, NODES_PER_DECADE = 100 };
#define FIRST_NODE 1e-5 /* MeV: below it moments are integrated on demand */

struct nuem_rate_plan {
  const nuem_source *src;
  const nuem_target *tgt;
  const nuem_interaction *in;
  size_t nnodes;
  double *x;               /* nodes, increasing, last = e_max */
  double *m[NMOM];         /* M_n at the nodes */
  double *dl[NMOM];        /* dM_n/dx at the left end of cell j (from inside) */
  double *dr[NMOM];        /* dM_n/dx at the right end of cell j */
  double *err_cum[NMOM];   /* quadrature error of M_n at the nodes */
  double *err_cell[NMOM];  /* interpolation error estimate of cell j */
  gsl_integration_glfixed_table *gl, *gl_check;
};

/* ∫_a^b phi(E) E^-n dE for n = 0..2 with an n-point Gauss-Legendre rule. */
static void cell_integrals(const nuem_source *src,
                           const gsl_integration_glfixed_table *gl, double a,
                           double b, double out[NMOM]) {
  for (int n = 0; n < NMOM; n++) out[n] = 0;
  for (size_t i = 0; i < gl->n; i++) {
    double xi, wi;
    gsl_integration_glfixed_point(a, b, i, &xi, &wi, gl);
    double f = wi * nuem_source_flux(src, xi);
    out[0] += f;
    out[1] += f / xi;
    out[2] += f / (xi * xi);
  }
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nodes: every source knot, and ~NODES_PER_DECADE log-spaced nodes between. */
static nuem_status build_nodes(nuem_rate_plan *p) {
  const double *knots;
  size_t nk = nuem_source_knots(p->src, &knots);
  double lo = fmax(FIRST_NODE, nuem_source_e_min(p->src));
  double hi = nuem_source_e_max(p->src);
  double *brk = malloc((nk + 2) * sizeof *brk);
  if (!brk) return NUEM_ENOMEM;
  size_t nb = 0;
  brk[nb++] = lo;
  for (size_t i = 0; i < nk; i++)
    if (knots[i] > lo && knots[i] < hi) brk[nb++] = knots[i];
  brk[nb++] = hi;
  qsort(brk, nb, sizeof *brk, compare_double);
  size_t cap = 1;
  for (size_t i = 0; i + 1 < nb; i++)
    cap += 2 + (size_t)ceil(log10(brk[i + 1] / brk[i]) * NODES_PER_DECADE);
  p->x = malloc(cap * sizeof *p->x);
  if (!p->x) { free(brk); return NUEM_ENOMEM; }
  size_t n = 0;
  p->x[n++] = brk[0];
  for (size_t i = 0; i + 1 < nb; i++) {
    if (!(brk[i + 1] > brk[i])) continue;
    size_t sub = (size_t)ceil(log10(brk[i + 1] / brk[i]) * NODES_PER_DECADE);
    if (sub < 2) sub = 2;
    double ratio = log(brk[i + 1] / brk[i]);
    for (size_t k = 1; k < sub; k++) p->x[n++] = brk[i] * exp(ratio * (double)k / (double)sub);
    p->x[n++] = brk[i + 1];
  }
  p->nnodes = n;
  free(brk);
  return NUEM_OK;
}

static void hermite(double t, double h, double m0, double d0, double m1,
                    double d1, double *out) {
  double t2 = t * t, s = 1.0 - t;
  *out = (1.0 + 2.0 * t) * s * s * m0 + t * s * s * h * d0 + t2 * (3.0 - 2.0 * t) * m1 +
         t2 * (t - 1.0) * h * d1;
}

static size_t find_cell(const nuem_rate_plan *p, double x) {
  size_t lo = 0, hi = p->nnodes - 1;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (p->x[mid] <= x) lo = mid; else hi = mid;
  }
  return lo;
}

static nuem_status tabulate(nuem_rate_plan *p) {
  size_t n = p->nnodes, ncell = n - 1;
  for (int k = 0; k < NMOM; k++) {
    p->m[k] = calloc(n, sizeof(double));
    p->err_cum[k] = calloc(n, sizeof(double));
    p->dl[k] = calloc(ncell, sizeof(double));
    p->dr[k] = calloc(ncell, sizeof(double));
    p->err_cell[k] = calloc(ncell, sizeof(double));
    if (!p->m[k] || !p->err_cum[k] || !p->dl[k] || !p->dr[k] || !p->err_cell[k])
      return NUEM_ENOMEM;
  }
  /* Cumulate from the top: M_n(e_max) = 0. */
  for (size_t j = ncell; j-- > 0;) {
    double a = p->x[j], b = p->x[j + 1], fine[NMOM], coarse[NMOM];
    cell_integrals(p->src, p->gl, a, b, fine);
    cell_integrals(p->src, p->gl_check, a, b, coarse);
    /* One-sided slopes: the flux may jump at a node (e.g. at 2 MeV). */
    double fa = nuem_source_flux(p->src, nextafter(a, b));
    double fb = nuem_source_flux(p->src, nextafter(b, a));
    for (int k = 0; k < NMOM; k++) {
      p->m[k][j] = p->m[k][j + 1] + fine[k];
      p->err_cum[k][j] = p->err_cum[k][j + 1] + fabs(fine[k] - coarse[k]);
      p->dl[k][j] = -fa * pow(a, -k);
      p->dr[k][j] = -fb * pow(b, -k);
    }
  }
  /* Interpolation error: Hermite at the cell midpoint against quadrature. */
  for (size_t j = 0; j < ncell; j++) {
    double a = p->x[j], b = p->x[j + 1], mid = 0.5 * (a + b), upper[NMOM];
    cell_integrals(p->src, p->gl, mid, b, upper);
    for (int k = 0; k < NMOM; k++) {
      double h;
      hermite(0.5, b - a, p->m[k][j], p->dl[k][j], p->m[k][j + 1], p->dr[k][j], &h);
      p->err_cell[k][j] = fabs(h - (p->m[k][j + 1] + upper[k]));
    }
  }
  return NUEM_OK;
}

nuem_status nuem_rate_plan_new(nuem_context *ctx, const nuem_source *src,
                               const nuem_target *tgt,
                               const nuem_interaction *in, double rel_tol,
                               nuem_rate_plan **out) {
  (void)rel_tol; /* the fixed rules are far below any sensible tolerance;
                    their error estimate is reported with every value */
  nuem_rate_plan *p = calloc(1, sizeof *p);
  if (!p) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the rate plan");
  p->src = src;
  p->tgt = tgt;
  p->in = in;
  p->gl = gsl_integration_glfixed_table_alloc(GL_POINTS);
  p->gl_check = gsl_integration_glfixed_table_alloc(GL_CHECK);
  nuem_status s = p->gl && p->gl_check ? build_nodes(p) : NUEM_ENOMEM;
  if (!s) s = tabulate(p);
  if (s) {
    nuem_rate_plan_free(p);
    return s == NUEM_ENOMEM ? nuem_error(ctx, s, "out of memory for the rate plan") : s;
  }
  *out = p;
  return NUEM_OK;
}

void nuem_rate_plan_free(nuem_rate_plan *p) {
  if (!p) return;
  free(p->x);
  for (int k = 0; k < NMOM; k++) {
    free(p->m[k]);
    free(p->dl[k]);
    free(p->dr[k]);
    free(p->err_cum[k]);
    free(p->err_cell[k]);
  }
  if (p->gl) gsl_integration_glfixed_table_free(p->gl);
  if (p->gl_check) gsl_integration_glfixed_table_free(p->gl_check);
  free(p);
}

void nuem_rate_moments(const nuem_rate_plan *p, double x, double M[3],
                       double err[3]) {
  const double *x_ = p->x;
  if (x >= x_[p->nnodes - 1]) {
    for (int k = 0; k < NMOM; k++) M[k] = err[k] = 0;
    return;
  }
  if (x < x_[0]) {
    /* Below the first node (T below ~eV): add the missing piece directly. */
    double extra[NMOM] = {0, 0, 0};
    if (x > 0) cell_integrals(p->src, p->gl, x, x_[0], extra);
    for (int k = 0; k < NMOM; k++) {
      M[k] = p->m[k][0] + extra[k];
      err[k] = p->err_cum[k][0] + 1e-12 * fabs(extra[k]);
    }
    return;
  }
  size_t j = find_cell(p, x);
  double h = x_[j + 1] - x_[j], t = (x - x_[j]) / h;
  for (int k = 0; k < NMOM; k++) {
    hermite(t, h, p->m[k][j], p->dl[k][j], p->m[k][j + 1], p->dr[k][j], &M[k]);
    err[k] = p->err_cum[k][j] + p->err_cell[k][j];
  }
}

/* sum_n c_n M_n(x) and its error estimate. */
static void fold(const nuem_rate_plan *p, double x, const double c[3],
                 double *value, double *abserr) {
  double M[NMOM], e[NMOM];
  nuem_rate_moments(p, x, M, e);
  *value = c[0] * M[0] + c[1] * M[1] + c[2] * M[2];
  *abserr = fabs(c[0]) * e[0] + fabs(c[1]) * e[1] + fabs(c[2]) * e[2];
  if (*value < 0) *value = 0; /* round-off at the kinematic end point */
}

void nuem_rate_electron(const nuem_rate_plan *p, double T, double *rate,
                        double *abserr) {
  double c[3], v, e;
  nuem_xsec_electron_sm_coeffs(p->in, T, c);
  fold(p, nuem_kin_e_min(T, NUEM_ME), c, &v, &e);
  *rate = p->tgt->electrons_per_kg * v;
  *abserr = p->tgt->electrons_per_kg * e;
}

void nuem_rate_nuclear(const nuem_rate_plan *p, size_t el, double E_R,
                       double *rate, double *abserr) {
  const nuem_element *elem = &p->tgt->elements[el];
  double sum = 0, err = 0;
  for (size_t i = 0; i < elem->nisotopes; i++) {
    const nuem_isotope *iso = &elem->isotopes[i];
    double c[3], v, e;
    nuem_xsec_cevns_coeffs(p->in, iso, E_R, c);
    fold(p, nuem_kin_e_min(E_R, iso->mass), c, &v, &e);
    double n = p->tgt->formulas_per_kg * elem->count * iso->abundance;
    sum += n * v;
    err += n * e;
  }
  *rate = sum;
  *abserr = err;
}

/* The rate plan: flux moments tabulated once, interpolated per T. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/rate.h"

/* Nodes near e_max are graded geometrically at a quarter of the density of
 * the body (END_NODES_PER_DECADE per decade of the gap) over END_DECADES
 * decades, down to END_GAP_REL of e_max (where double precision ends). */
enum { NMOM = 3, GL_POINTS = 16, GL_CHECK = 8, NODES_PER_DECADE = 200,
       END_DECADES = 10, END_NODES_PER_DECADE = NODES_PER_DECADE / 4 };
#define END_GAP_REL 1e-12
/* Relative error of the on-demand 16-point rule below the first node,
 * where the flux is smooth. */
#define ON_DEMAND_REL_ERR 1e-12
#define FIRST_NODE 1e-5 /* MeV: below it moments are integrated on demand */

/* What the lookup in cell j needs, in one place: the ends' N_k and
 * slopes times the width, the error estimate (cumulated + interpolation),
 * x_j and 1/(x_j+1 - x_j). */
typedef struct {
  double m0[NMOM], hd0[NMOM], m1[NMOM], hd1[NMOM], err[NMOM];
  double x0, inv_h;
} hermite_cell;

struct nuem_rate_plan {
  const nuem_source *src;
  const nuem_target *tgt;
  int flavour;             /* the flavour whose flux is folded; -1: all */
  size_t nlines;           /* the source's lines, in this flavour: */
  double *line_e, *line_phi; /* energies [MeV], fluxes [/cm2/s] */
  size_t nnodes;
  double *x;               /* nodes, increasing, last = e_max */
  double *m[NMOM];         /* N_k at the nodes */
  double *dl[NMOM];        /* dN_k/dx at the left end of cell j (from inside) */
  double *dr[NMOM];        /* dN_k/dx at the right end of cell j */
  double *err_cum[NMOM];   /* quadrature error of N_k at the nodes */
  double *err_cell[NMOM];  /* interpolation error estimate of cell j */
  hermite_cell *cell;      /* the same per cell, packed for the lookup */
  gsl_integration_glfixed_table *gl, *gl_check;
};

/* The continuum flux the plan folds: one flavour's, or all. */
static double plan_flux(const nuem_rate_plan *p, double E) {
  return p->flavour < 0 ? nuem_source_flux(p->src, E)
                        : nuem_source_flavour_flux(p->src, p->flavour, E);
}

/* ∫_a^b phi(E) (1/E - 1/a)^k dE, k = 0..2, with a Gauss-Legendre rule. */
static void cell_integrals(const nuem_rate_plan *p,
                           const gsl_integration_glfixed_table *gl, double a,
                           double b, double out[NMOM]) {
  for (int k = 0; k < NMOM; k++) out[k] = 0;
  for (size_t i = 0; i < gl->n; i++) {
    double xi, wi;
    gsl_integration_glfixed_point(a, b, i, &xi, &wi, gl);
    double f = wi * plan_flux(p, xi), v = 1.0 / xi - 1.0 / a;
    out[0] += f;
    out[1] += f * v;
    out[2] += f * v * v;
  }
}

/* Moves N_k from the lower limit b down to x < b: above b,
 * 1/E - 1/x = (1/E - 1/b) + delta with delta = 1/b - 1/x < 0, and every
 * term of the binomial expansion has the same sign (no cancellation). */
static void shift_down(const double nb[NMOM], double delta, double out[NMOM]) {
  out[0] = nb[0];
  out[1] = nb[1] + delta * nb[0];
  out[2] = nb[2] + 2.0 * delta * nb[1] + delta * delta * nb[0];
}

/* dN_k/dx from N at x: dN0/dx = -phi(x), dN1/dx = N0/x^2, dN2/dx = 2 N1/x^2. */
static void slopes(double phi, double x, const double n[NMOM], double d[NMOM]) {
  d[0] = -phi;
  d[1] = n[0] / (x * x);
  d[2] = 2.0 * n[1] / (x * x);
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
  size_t cap = 1 + END_DECADES * END_NODES_PER_DECADE + 1;
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
  /* Near e_max every N_k vanishes like (e_max - x)^(k+1); nodes graded
   * geometrically towards it keep the interpolation error relative. */
  double gap = hi - brk[nb - 2];
  for (int i = 1; i <= END_DECADES * END_NODES_PER_DECADE; i++) {
    double d = gap * pow(10.0, -(double)i / END_NODES_PER_DECADE);
    if (d > hi * END_GAP_REL) p->x[n++] = hi - d;
  }
  qsort(p->x, n, sizeof *p->x, compare_double);
  size_t m = 1;
  for (size_t i = 1; i < n; i++)
    if (p->x[i] > p->x[m - 1]) p->x[m++] = p->x[i];
  p->nnodes = m;
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
  return nuem_search(p->x, p->nnodes, x);
}

static nuem_status pack_cells(nuem_rate_plan *p) {
  size_t ncell = p->nnodes - 1;
  p->cell = malloc(ncell * sizeof *p->cell);
  if (!p->cell) return NUEM_ENOMEM;
  for (size_t j = 0; j < ncell; j++) {
    hermite_cell *c = &p->cell[j];
    double h = p->x[j + 1] - p->x[j];
    c->x0 = p->x[j];
    c->inv_h = 1.0 / h;
    for (int k = 0; k < NMOM; k++) {
      c->m0[k] = p->m[k][j];
      c->hd0[k] = h * p->dl[k][j];
      c->m1[k] = p->m[k][j + 1];
      c->hd1[k] = h * p->dr[k][j];
      c->err[k] = p->err_cum[k][j] + p->err_cell[k][j];
    }
  }
  return NUEM_OK;
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
  /* Cumulate from the top, where N_k(e_max) = 0. */
  for (size_t j = ncell; j-- > 0;) {
    double a = p->x[j], b = p->x[j + 1], fine[NMOM], coarse[NMOM];
    double above[NMOM], above_err[NMOM], here[NMOM], err_here[NMOM], d[NMOM];
    cell_integrals(p, p->gl, a, b, fine);
    cell_integrals(p, p->gl_check, a, b, coarse);
    for (int k = 0; k < NMOM; k++) {
      above[k] = p->m[k][j + 1];
      above_err[k] = p->err_cum[k][j + 1];
    }
    double delta = 1.0 / b - 1.0 / a;
    shift_down(above, delta, here);
    shift_down(above_err, fabs(delta), err_here); /* errors add up in size */
    for (int k = 0; k < NMOM; k++) {
      p->m[k][j] = here[k] + fine[k];
      p->err_cum[k][j] = err_here[k] + fabs(fine[k] - coarse[k]);
    }
    /* One-sided slopes: the flux may jump at a node (e.g. at 2 MeV). */
    double na[NMOM], nb[NMOM];
    for (int k = 0; k < NMOM; k++) {
      na[k] = p->m[k][j];
      nb[k] = p->m[k][j + 1];
    }
    slopes(plan_flux(p, nextafter(a, b)), a, na, d);
    for (int k = 0; k < NMOM; k++) p->dl[k][j] = d[k];
    slopes(plan_flux(p, nextafter(b, a)), b, nb, d);
    for (int k = 0; k < NMOM; k++) p->dr[k][j] = d[k];
  }
  for (size_t j = 0; j < ncell; j++)
    for (int k = 0; k < NMOM; k++)
      if (!isfinite(p->m[k][j]) || !isfinite(p->dl[k][j]) || !isfinite(p->dr[k][j]))
        return NUEM_ENUMERIC;
  /* Interpolation error: Hermite at the cell midpoint against quadrature. */
  for (size_t j = 0; j < ncell; j++) {
    double a = p->x[j], b = p->x[j + 1], mid = 0.5 * (a + b);
    double upper[NMOM], nb[NMOM], shifted[NMOM];
    cell_integrals(p, p->gl, mid, b, upper);
    for (int k = 0; k < NMOM; k++) nb[k] = p->m[k][j + 1];
    shift_down(nb, 1.0 / b - 1.0 / mid, shifted);
    for (int k = 0; k < NMOM; k++) {
      double h;
      hermite(0.5, b - a, p->m[k][j], p->dl[k][j], p->m[k][j + 1], p->dr[k][j], &h);
      p->err_cell[k][j] = fabs(h - (shifted[k] + upper[k]));
    }
  }
  return pack_cells(p);
}

/* The source's lines with a flux in the plan's flavour. */
static nuem_status copy_lines(nuem_rate_plan *p) {
  const nuem_source_line *lines;
  size_t n = nuem_source_lines(p->src, &lines);
  if (!n) return NUEM_OK;
  p->line_e = malloc(n * sizeof *p->line_e);
  p->line_phi = malloc(n * sizeof *p->line_phi);
  if (!p->line_e || !p->line_phi) return NUEM_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    double phi = p->flavour < 0 ? lines[i].total : lines[i].flux[p->flavour];
    if (!(phi > 0)) continue;
    p->line_e[p->nlines] = lines[i].energy;
    p->line_phi[p->nlines++] = phi;
  }
  return NUEM_OK;
}

nuem_status nuem_rate_plan_new(nuem_context *ctx, const nuem_source *src,
                               const nuem_target *tgt, double rel_tol,
                               nuem_rate_plan **out) {
  return nuem_rate_plan_flavour(ctx, src, -1, tgt, rel_tol, out);
}

nuem_status nuem_rate_plan_flavour(nuem_context *ctx, const nuem_source *src, int flavour,
                                   const nuem_target *tgt, double rel_tol,
                                   nuem_rate_plan **out) {
  (void)rel_tol; /* the fixed rules are far below any sensible tolerance;
                    their error estimate is reported with every value */
  if (flavour < -1 || flavour >= NUEM_NFLAVOURS)
    return nuem_error(ctx, NUEM_EINTERNAL, "internal error: rate plan for flavour %d", flavour);
  nuem_rate_plan *p = calloc(1, sizeof *p);
  if (!p) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the rate plan");
  p->src = src;
  p->tgt = tgt;
  p->flavour = flavour;
  nuem_context_count(ctx, NUEM_COUNT_RATE_PLANS);
  p->gl = gsl_integration_glfixed_table_alloc(GL_POINTS);
  p->gl_check = gsl_integration_glfixed_table_alloc(GL_CHECK);
  nuem_status s = p->gl && p->gl_check ? copy_lines(p) : NUEM_ENOMEM;
  if (!s) s = build_nodes(p);
  if (!s) s = tabulate(p);
  if (s) {
    nuem_rate_plan_free(p);
    if (s == NUEM_ENUMERIC)
      return nuem_error(ctx, s, "the flux is not finite somewhere in [%g, %g] MeV; check "
                        "the source (a table with huge values?)", nuem_source_e_min(src),
                        nuem_source_e_max(src));
    return s == NUEM_ENOMEM ? nuem_error(ctx, s, "out of memory for the rate plan") : s;
  }
  *out = p;
  return NUEM_OK;
}

void nuem_rate_plan_free(nuem_rate_plan *p) {
  if (!p) return;
  free(p->x);
  free(p->cell);
  free(p->line_e);
  free(p->line_phi);
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

static inline void moments_in_cell(const nuem_rate_plan *p, double x, size_t j, double N[3],
                                   double err[3]);

/* Lines above x add phi (1/E - 1/x)^k to N_k exactly: folded with the
 * cross section's expansion about 1/x this gives sigma(E_line) phi. */
static void add_lines(const nuem_rate_plan *p, double x, double N[NMOM]) {
  for (size_t i = 0; i < p->nlines; i++) {
    if (!(p->line_e[i] > x)) continue;
    double v = 1.0 / p->line_e[i] - 1.0 / x;
    N[0] += p->line_phi[i];
    N[1] += p->line_phi[i] * v;
    N[2] += p->line_phi[i] * v * v;
  }
}

static void continuum_moments(const nuem_rate_plan *p, double x, double N[3], double err[3]);

void nuem_rate_moments(const nuem_rate_plan *p, double x, double N[3], double err[3]) {
  continuum_moments(p, x, N, err);
  add_lines(p, x, N);
}

static void continuum_moments(const nuem_rate_plan *p, double x, double N[3],
                              double err[3]) {
  const double *x_ = p->x;
  if (x >= x_[p->nnodes - 1]) {
    for (int k = 0; k < NMOM; k++) N[k] = err[k] = 0;
    return;
  }
  if (x < x_[0]) {
    /* Below the first node (T below ~eV): add the missing piece directly. */
    double extra[NMOM] = {0, 0, 0}, n0[NMOM], e0[NMOM];
    if (x <= 0) x = x_[0]; /* the plan's support starts at x_[0] */
    cell_integrals(p, p->gl, x, x_[0], extra);
    for (int k = 0; k < NMOM; k++) {
      n0[k] = p->m[k][0];
      e0[k] = p->err_cum[k][0];
    }
    double delta = 1.0 / x_[0] - 1.0 / x;
    shift_down(n0, delta, N);
    shift_down(e0, fabs(delta), err);
    for (int k = 0; k < NMOM; k++) {
      N[k] += extra[k];
      err[k] += ON_DEMAND_REL_ERR * fabs(extra[k]);
    }
    return;
  }
  size_t j = find_cell(p, x);
  moments_in_cell(p, x, j, N, err);
}

/* N_k at x inside cell j (x_j <= x < x_j+1) by the Hermite cubics. */
static inline void moments_in_cell(const nuem_rate_plan *p, double x, size_t j, double N[3],
                                   double err[3]) {
  const hermite_cell *c = &p->cell[j];
  double t = (x - c->x0) * c->inv_h, s = 1.0 - t;
  /* the cubic Hermite basis, shared by the three moments */
  double h00 = (1.0 + 2.0 * t) * s * s, h10 = t * s * s;
  double h01 = t * t * (3.0 - 2.0 * t), h11 = t * t * (t - 1.0);
  for (int k = 0; k < NMOM; k++) {
    N[k] = h00 * c->m0[k] + h10 * c->hd0[k] + h01 * c->m1[k] + h11 * c->hd1[k];
    err[k] = c->err[k];
  }
}

/* ∫_x phi (c0 + c1/E + c2/E^2) dE from the moments at x, expanded in
 * u - u_x with u = 1/E: g_x N0 + g1 N1 + c2 N2, where g_x = g(1/x) and
 * g1 = c1 + 2 c2/x. Near the kinematic end point g is nearly zero at x, and
 * this form keeps the digits that c0 M0 + c1 M1 + c2 M2 would lose. */
static void fold_moments(const double N[NMOM], const double e[NMOM], double x,
                         const double c[3], double *value, double *abserr) {
  double u = 1.0 / x;
  double gx = c[0] + u * (c[1] + u * c[2]), g1 = c[1] + 2.0 * c[2] * u;
  *value = gx * N[0] + g1 * N[1] + c[2] * N[2];
  *abserr = fabs(gx) * e[0] + fabs(g1) * e[1] + fabs(c[2]) * e[2];
}

void nuem_rate_fold(const nuem_rate_plan *p, double x, const double c[3],
                    double *value, double *abserr) {
  double N[NMOM], e[NMOM];
  nuem_rate_moments(p, x, N, e);
  fold_moments(N, e, x, c, value, abserr);
}

/* The moments at x, the cell walked from *hint (see nuem_rate_moments_walk). */
static void walk(const nuem_rate_plan *p, double x, size_t *hint, double N[NMOM],
                 double err[NMOM]) {
  const double *x_ = p->x;
  if (!(x >= x_[0] && x < x_[p->nnodes - 1])) {
    nuem_rate_moments(p, x, N, err);
    return;
  }
  /* increasing x: walk from the last cell instead of searching */
  size_t j = *hint;
  while (j + 2 < p->nnodes && x >= x_[j + 1]) j++;
  if (!(x >= x_[j] && x < x_[j + 1])) j = find_cell(p, x);
  *hint = j;
  moments_in_cell(p, x, j, N, err);
  add_lines(p, x, N);
}

void nuem_rate_moments_walk(const nuem_rate_plan *p, double x, size_t *hint, double N[3],
                            double err[3]) {
  walk(p, x, hint, N, err);
}

void nuem_rate_moments_many(const nuem_rate_plan *p, size_t n, const double *x, size_t *hint,
                            double (*N)[3], double (*err)[3]) {
  for (size_t i = 0; i < n; i++) walk(p, x[i], hint, N[i], err[i]);
}

void nuem_rate_fold_many(const nuem_rate_plan *p, double x, size_t *hint, size_t n,
                         const double (*c)[3], double *value, double *abserr) {
  double N[NMOM], e[NMOM];
  if (hint) nuem_rate_moments_walk(p, x, hint, N, e);
  else nuem_rate_moments(p, x, N, e);
  for (size_t i = 0; i < n; i++) fold_moments(N, e, x, c[i], &value[i], &abserr[i]);
}

double nuem_rate_plan_e_max(const nuem_rate_plan *p) { return p->x[p->nnodes - 1]; }

/* Fold every process's coefficients with the moments at x, scaled by n. */
static void fold_all(const double N[NMOM], const double e[NMOM], double x, double n,
                     const double c[NUEM_NPROC][3], double rate[NUEM_NPROC],
                     double err[NUEM_NPROC]) {
  for (int k = 0; k < NUEM_NPROC; k++) {
    double v, ve;
    fold_moments(N, e, x, c[k], &v, &ve);
    /* Rates of SM and totals are >= 0; a negative value is round-off at
     * the end point. Excesses keep their sign (interference). */
    if ((k == NUEM_PROC_SM || k == NUEM_PROC_TOTAL || k == NUEM_PROC_MU) && v < 0) v = 0;
    rate[k] += n * v;
    err[k] += n * ve;
  }
}

void nuem_rate_electron(const nuem_rate_plan *p, const nuem_interaction *in, double T,
                        double rate[NUEM_NPROC], double err[NUEM_NPROC]) {
  double c[NUEM_NPROC][3], N[NMOM], e[NMOM], x = nuem_kin_e_min(T, NUEM_ME);
  for (int k = 0; k < NUEM_NPROC; k++) rate[k] = err[k] = 0;
  nuem_xsec_electron_coeffs(in, T, c);
  nuem_rate_moments(p, x, N, e);
  fold_all(N, e, x, p->tgt->electrons_per_kg, c, rate, err);
}

void nuem_rate_nuclear(const nuem_rate_plan *p, const nuem_interaction *in, size_t el,
                       double E_R, double rate[NUEM_NPROC], double err[NUEM_NPROC]) {
  const nuem_element *elem = &p->tgt->elements[el];
  for (int k = 0; k < NUEM_NPROC; k++) rate[k] = err[k] = 0;
  for (size_t i = 0; i < elem->nisotopes; i++) {
    const nuem_isotope *iso = &elem->isotopes[i];
    double c[NUEM_NPROC][3], N[NMOM], e[NMOM], x = nuem_kin_e_min(E_R, iso->mass);
    nuem_xsec_nuclear_coeffs(in, iso, E_R, c);
    nuem_rate_moments(p, x, N, e);
    fold_all(N, e, x, p->tgt->formulas_per_kg * elem->count * iso->abundance, c, rate, err);
  }
}

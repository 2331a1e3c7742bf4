/* The rate of the ab-initio atomic model: the q rule of the cross-section
 * layer folded with the plan's flux moments (docs/physics.md, "Cross
 * sections from atomic responses", "Fast fold"), and the direct nested
 * quadrature it is checked against. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>

#include "abinitio_fold.h"
#include "core_internal.h"
#include "integrate.h"
#include "nuem/abinitio_xsec.h"
#include "nuem/constants.h"
#include "nuem/rate.h"

typedef struct {
  const nuem_rate_plan *plan;
  double T;
  size_t hint; /* the plan's cell of the last node (q increases) */
  double sum[NUEM_NPROC], err[NUEM_NPROC];
} fold_sum;

/* The lepton structures (abinitio_fold.h) as the plan folds them from
 * x = E_min = (T + q)/2 (docs/physics.md, "Rate"): g(x) N0 + g'(x) N1 + c2 N2
 * with u = 1/x. Per structure {g(x), g'(x), c2}, in closed form from
 * 2 - T u = q u: S - q^2 vanishes at x exactly, and no term cancels. */
static void lepton_g(double T, double q, double d, double g[NUEM_NLEPTON][3]) {
  double u = 2.0 / (T + q), qu = q * u;
  g[NUEM_LEPTON_MINUS][0] = 0.0;
  g[NUEM_LEPTON_MINUS][1] = -4.0 * q;
  g[NUEM_LEPTON_MINUS][2] = -d * (q + T);
  g[NUEM_LEPTON_PLUS][0] = 2.0 * qu * qu;
  g[NUEM_LEPTON_PLUS][1] = 2.0 * qu * d;
  g[NUEM_LEPTON_PLUS][2] = T * T + q * q;
  g[NUEM_LEPTON_SUM][0] = qu * u;
  g[NUEM_LEPTON_SUM][1] = d * u;
  g[NUEM_LEPTON_SUM][2] = -T;
}

/* Node i of a block into the sums: each process's {g, g', c2} combines
 * the structures' first, then one fold, so the value and the error
 * estimate (|g| e0 + |g'| e1 + |c2| e2) are those of its own coefficients,
 * as in nuem_rate_fold. */
static void add_node(const nuem_q_block *b, size_t i, double T, const double N[3],
                     const double e[3], double sum[NUEM_NPROC], double err[NUEM_NPROC]) {
  const double (*L)[NUEM_NPROC] = b->L[i];
  double g[NUEM_NLEPTON][3], w = b->w[i], wN[3], we[3];
  lepton_g(T, b->q[i], b->d[i], g);
  for (int k = 0; k < 3; k++) {
    wN[k] = w * N[k];
    we[k] = w * e[k];
  }
  for (int p = 0; p < NUEM_NPROC; p++) {
    double m = L[NUEM_LEPTON_MINUS][p], pl = L[NUEM_LEPTON_PLUS][p], s = L[NUEM_LEPTON_SUM][p];
    /* g(x) of S - q^2 is 0 */
    double G0 = pl * g[NUEM_LEPTON_PLUS][0] + s * g[NUEM_LEPTON_SUM][0];
    double G1 = m * g[NUEM_LEPTON_MINUS][1] + pl * g[NUEM_LEPTON_PLUS][1] +
                s * g[NUEM_LEPTON_SUM][1];
    double G2 = m * g[NUEM_LEPTON_MINUS][2] + pl * g[NUEM_LEPTON_PLUS][2] +
                s * g[NUEM_LEPTON_SUM][2];
    sum[p] += G0 * wN[0] + G1 * wN[1] + G2 * wN[2];
    err[p] += fabs(G0) * we[0] + fabs(G1) * we[1] + fabs(G2) * we[2];
  }
}

/* A block of q nodes: the moments at every E_min = (T + q)/2, then the
 * sums, kept local over the block. */
static void add_block(void *user, const nuem_q_block *b) {
  fold_sum *a = user;
  double x[NUEM_Q_BLOCK], N[NUEM_Q_BLOCK][3], e[NUEM_Q_BLOCK][3];
  double sum[NUEM_NPROC], err[NUEM_NPROC];
  for (size_t i = 0; i < b->n; i++) x[i] = 0.5 * (a->T + b->q[i]);
  nuem_rate_moments_many(a->plan, b->n, x, &a->hint, N, e);
  for (int p = 0; p < NUEM_NPROC; p++) sum[p] = err[p] = 0;
  for (size_t i = 0; i < b->n; i++) add_node(b, i, a->T, N[i], e[i], sum, err);
  for (int p = 0; p < NUEM_NPROC; p++) {
    a->sum[p] += sum[p];
    a->err[p] += err[p];
  }
}

void nuem_rate_abinitio(const nuem_rate_plan *plan, const nuem_abinitio *m,
                        const nuem_interaction *in, double T, double rate[NUEM_NPROC],
                        double abserr[NUEM_NPROC]) {
  fold_sum a = {.plan = plan, .T = T};
  double q_kin = 2.0 * nuem_rate_plan_e_max(plan) - T;
  nuem_abinitio_q_rule_blocks(m, in, T, q_kin, nuem_abinitio_lambda2(m, 0.0, T), add_block, &a);
  for (int p = 0; p < NUEM_NPROC; p++) {
    /* SM, moment and total are >= 0: a negative sum is round-off */
    if ((p == NUEM_PROC_SM || p == NUEM_PROC_MU || p == NUEM_PROC_TOTAL) && a.sum[p] < 0)
      a.sum[p] = 0;
    rate[p] = a.sum[p];
    abserr[p] = a.err[p];
  }
}

/* ---- the slow baseline: nested adaptive quadrature ------------------------ */

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct {
  nuem_context *ctx;
  const nuem_abinitio *m;
  const nuem_source *src;
  const nuem_interaction *in;
  int proc;
  double T, E, rel_tol;
  gsl_integration_workspace *ws_q;
  nuem_status status;
} direct_params;

static double direct_q_integrand(double s, void *params) {
  const direct_params *d = params;
  double q = d->T + exp(s), RL, RT, c[NUEM_NPROC][3];
  nuem_abinitio_response(d->m, d->T, q, &RL, &RT);
  if (RL == 0 && RT == 0) return 0.0;
  nuem_abinitio_coeffs(d->in, d->T, exp(s), RL, RT, nuem_abinitio_lambda2(d->m, d->E, d->T), c);
  const double *k = c[d->proc];
  double u = 1.0 / d->E;
  return exp(s) * (k[0] + u * (k[1] + u * k[2]));
}


/* flux(E) × dsigma/dT(E), the q integral adaptive in ln(q - T) with breaks
 * at the pole width, q = 2T and the Bethe ridge. */
static double direct_e_integrand(double E, void *params) {
  direct_params *d = params;
  d->E = E;
  const nuem_atomic_response *r = nuem_abinitio_table(d->m);
  double q_hi = fmin(2.0 * E - d->T, r->q[r->nq - 1]);
  if (!(q_hi > d->T) || d->status) return 0.0;
  double width = nuem_abinitio_lambda2(d->m, E, d->T) / (2.0 * d->T);
  double lo = log(fmin(1e-10 * d->T, 1e-4 * width)), hi = log(q_hi - d->T);
  double knots[5] = {log(1e-2 * width), log(width), log(1e2 * width), log(d->T),
                     log(fmax(sqrt(2.0 * NUEM_ME * d->T) - d->T, d->T))};
  qsort(knots, 5, sizeof *knots, compare_double);
  gsl_function f = {direct_q_integrand, d};
  double v, e;
  d->status = nuem_integrate(d->ctx, &f, lo, hi, knots, 5, 0.1 * d->rel_tol, d->ws_q, &v, &e,
                             "ab-initio q integral");
  return d->status ? 0.0 : nuem_source_flux(d->src, E) * v;
}

nuem_status nuem_rate_abinitio_direct(nuem_context *ctx, const nuem_abinitio *m,
                                      const nuem_source *src, const nuem_interaction *in,
                                      int proc, double T, double rel_tol, double *rate) {
  gsl_integration_workspace *ws_e = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  gsl_integration_workspace *ws_q = gsl_integration_workspace_alloc(NUEM_QUAD_LIMIT);
  nuem_status s = NUEM_OK;
  *rate = 0;
  if (!ws_e || !ws_q) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for quadrature");
  if (!s) {
    direct_params d = {ctx, m, src, in, proc, T, 0.0, rel_tol, ws_q, NUEM_OK};
    gsl_function f = {direct_e_integrand, &d};
    const double *knots;
    size_t nk = nuem_source_knots(src, &knots);
    double lo = fmax(T, nuem_source_e_min(src)), err;
    s = nuem_integrate(ctx, &f, lo, nuem_source_e_max(src), knots, nk, rel_tol, ws_e, rate,
                       &err, "ab-initio rate integral");
    if (!s) s = d.status;
  }
  if (ws_e) gsl_integration_workspace_free(ws_e);
  if (ws_q) gsl_integration_workspace_free(ws_q);
  return s;
}

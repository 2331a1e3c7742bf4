/* The true spectrum on a fixed T grid as a quadratic form in the properties
 * (include/nuem/spectrum.h, "Property scans"): a few tables at reference
 * values, then any (mu, q, <r2>) as a sum of coefficient arrays. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "spectrum_internal.h"

/* Reference values where a property is varied from zero: the Figure-3 scales
 * of docs/physics.md, "Electromagnetic properties". The form is exact, so
 * they only set where the rounding of the differences falls. */
#define MU_REF 1e-11 /* mu_B */
#define Q_REF 1e-12  /* e */
#define R2_REF 1e-32 /* cm2 */

/* Coefficients of f0 + c_mu mu^2 + a_q q + b_q q^2 + a_r r + b_r r^2 + c_qr q r. */
enum { K_F0, K_MU2, K_Q, K_Q2, K_R, K_R2, K_QR, NCOEF };

struct nuem_spectrum_basis {
  const nuem_spectrum *sp;
  nuem_properties base; /* the values of the properties held fixed */
  int vary;
  size_t n, ncols;
  double t_lo, t_hi;    /* MeV */
  nuem_result layout;   /* names, units, notes and the T column */
  double *coef[NCOEF];  /* n x ncols each (NULL: the term is absent) */
};

void nuem_spectrum_basis_free(nuem_spectrum_basis *b) {
  if (!b) return;
  nuem_result_free(&b->layout);
  for (int k = 0; k < NCOEF; k++) free(b->coef[k]);
  free(b);
}

static double ref_value(double configured, double fallback) {
  return configured != 0 ? fabs(configured) : fallback;
}

/* The table at p, its data handed to *data (the first call keeps the
 * layout of the result as well). */
static nuem_status table_at(nuem_context *ctx, nuem_spectrum_basis *b, const double *T,
                            nuem_properties p, double **data) {
  nuem_result r;
  NUEM_TRY(nuem_spectrum_table(ctx, b->sp, &p, T, b->n, 0, &r));
  *data = r.data;
  r.data = NULL;
  if (!b->layout.ncols) {
    b->layout = r;
    b->ncols = r.ncols;
  } else {
    nuem_result_free(&r);
  }
  return NUEM_OK;
}

/* Differences of the tables into coefficients, in place: d[] holds the
 * tables at the points named in basis_new and leaves as coefficients. */
static void solve(nuem_spectrum_basis *b, double *d[NCOEF], double mu, double q, double r) {
  size_t m = b->n * b->ncols;
  for (size_t i = 0; i < m; i++) {
    double f0 = d[K_F0][i];
    if (d[K_MU2]) d[K_MU2][i] = (d[K_MU2][i] - f0) / (mu * mu);
    if (d[K_Q]) { /* d[K_Q] at +q, d[K_Q2] at -q */
      double plus = d[K_Q][i], minus = d[K_Q2][i];
      d[K_Q][i] = (plus - minus) / (2 * q);
      d[K_Q2][i] = (plus + minus - 2 * f0) / (2 * q * q);
    }
    if (d[K_R]) {
      double plus = d[K_R][i], minus = d[K_R2][i];
      d[K_R][i] = (plus - minus) / (2 * r);
      d[K_R2][i] = (plus + minus - 2 * f0) / (2 * r * r);
    }
    if (d[K_QR]) /* d[K_QR] at (+q, +r) */
      d[K_QR][i] = (d[K_QR][i] - f0 - d[K_Q][i] * q - d[K_Q2][i] * q * q - d[K_R][i] * r -
                    d[K_R2][i] * r * r) / (q * r);
  }
}

nuem_status nuem_spectrum_basis_new(nuem_context *ctx, const nuem_spectrum *sp,
                                    const nuem_properties *base, int vary, const double *T,
                                    size_t n, nuem_spectrum_basis **out) {
  *out = NULL;
  if (sp->chain->sterile)
    return nuem_error(ctx, NUEM_ECONFIG, "a property scan of a sterile-dm spectrum: its "
                      "table is closed-form in T, evaluate it directly");
  if (!n || (vary & ~(NUEM_VARY_MU | NUEM_VARY_Q | NUEM_VARY_R2)))
    return nuem_error(ctx, NUEM_EUSAGE, "a property scan needs T values and a set of "
                      "mu, q, r2 to vary");
  nuem_spectrum_basis *b = calloc(1, sizeof *b);
  if (!b) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for a property scan");
  *b = (nuem_spectrum_basis){.sp = sp, .base = *base, .vary = vary, .n = n, .t_lo = T[0],
                             .t_hi = T[n - 1]};
  nuem_properties p0 = *base;
  if (vary & NUEM_VARY_MU) p0.mu = 0;
  if (vary & NUEM_VARY_Q) p0.q = 0;
  if (vary & NUEM_VARY_R2) p0.r2 = 0;
  double mu = ref_value(base->mu, MU_REF), q = ref_value(base->q, Q_REF);
  double r = ref_value(base->r2, R2_REF);
  nuem_properties at[NCOEF];
  int want[NCOEF] = {[K_F0] = 1};
  for (int k = 0; k < NCOEF; k++) at[k] = p0;
  if (vary & NUEM_VARY_MU) { want[K_MU2] = 1; at[K_MU2].mu = mu; }
  if (vary & NUEM_VARY_Q) { want[K_Q] = want[K_Q2] = 1; at[K_Q].q = q; at[K_Q2].q = -q; }
  if (vary & NUEM_VARY_R2) { want[K_R] = want[K_R2] = 1; at[K_R].r2 = r; at[K_R2].r2 = -r; }
  if ((vary & NUEM_VARY_Q) && (vary & NUEM_VARY_R2)) {
    want[K_QR] = 1;
    at[K_QR].q = q;
    at[K_QR].r2 = r;
  }
  nuem_status s = NUEM_OK;
  for (int k = 0; k < NCOEF && !s; k++)
    if (want[k]) s = table_at(ctx, b, T, at[k], &b->coef[k]);
  if (s) {
    nuem_spectrum_basis_free(b);
    return s;
  }
  solve(b, b->coef, mu, q, r);
  *out = b;
  return NUEM_OK;
}

static nuem_status check_held(nuem_context *ctx, const nuem_spectrum_basis *b,
                              const nuem_properties *p) {
  static const char *const names[3] = {"mu", "q", "r2"};
  const double given[3] = {p->mu, p->q, p->r2}, held[3] = {b->base.mu, b->base.q, b->base.r2};
  for (int k = 0; k < 3; k++)
    if (!(b->vary & (1 << k)) && given[k] != held[k])
      return nuem_error(ctx, NUEM_EUSAGE, "this property scan holds %s at %g; it was asked "
                        "for %g (build the scan with %s varied)", names[k], held[k], given[k],
                        names[k]);
  return NUEM_OK;
}

nuem_status nuem_spectrum_basis_table(nuem_context *ctx, const nuem_spectrum_basis *b,
                                      const nuem_properties *p, nuem_result *out) {
  memset(out, 0, sizeof *out);
  NUEM_TRY(check_held(ctx, b, p));
  NUEM_TRY(nuem_spectrum_check(ctx, b->sp, p, b->t_lo, b->t_hi));
  const nuem_result *L = &b->layout;
  NUEM_TRY(nuem_result_init(ctx, out, b->n, b->ncols, L->names, L->units));
  for (size_t k = 0; k < L->nnotes; k++)
    nuem_result_note(out, L->note_keys[k], "%s", L->note_values[k]);
  const double term[NCOEF] = {1, p->mu * p->mu, p->q, p->q * p->q, p->r2, p->r2 * p->r2,
                              p->q * p->r2};
  for (size_t i = 0; i < b->n * b->ncols; i++) {
    double v = 0;
    for (int k = 0; k < NCOEF; k++)
      if (b->coef[k]) v += b->coef[k][i] * term[k];
    out->data[i] = v;
  }
  for (size_t i = 0; i < b->n; i++) /* T is not a rate */
    out->data[i * b->ncols + NUEM_COL_T] = b->coef[K_F0][i * b->ncols + NUEM_COL_T];
  return NUEM_OK;
}

/* The flux-shape uncertainty: the leading shape mode of the spectrum band,
 * and reactor sources reshaped along it (docs/statistics.md, "Flux shape").
 *
 * The band is a sum of independent factors f_k(E) (nuem_band_factor): the
 * spectrum varies as dphi = sum_k z_k f_k with z standard normal. A rate
 * N = integral K phi with the channel's kernel K changes by g.z,
 * g_k = integral K f_k: its relative width is |g|/N. Removing that
 * direction (the normalisation nuisance) leaves P = 1 - g g^T/|g|^2. The
 * shape mode is the leading eigenvector u of P G P with the metric
 * G_kl = integral K f_k f_l / phi dE / N, i.e. the variation z = u
 * carrying the largest share of the shape variance the channel sees. */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "source_internal.h"

#define CELL_MAX 0.05 /* MeV: the widest quadrature cell */
enum { GL_POINTS = 6, MAX_BREAKS = 512 };

/* Gauss-Legendre nodes on [e_min, e_max] with cells broken at the source's
 * knots and where the band's factors jump. */
typedef struct {
  size_t n;
  double *E, *w;
} nodes;

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static nuem_status nodes_build(nuem_context *ctx, const nuem_source *src, nodes *q) {
  double br[MAX_BREAKS];
  const double *knots;
  size_t nk = nuem_source_knots(src, &knots), nb = 0;
  for (size_t i = 0; i < nk && nb < MAX_BREAKS - 2; i++) br[nb++] = knots[i];
  nb += nuem_band_breaks(src, br + nb, MAX_BREAKS - 2 - nb);
  br[nb++] = src->e_min;
  br[nb++] = src->e_max;
  qsort(br, nb, sizeof *br, compare_double);
  size_t cells = 0;
  for (size_t i = 0; i + 1 < nb; i++)
    if (br[i] >= src->e_min && br[i + 1] <= src->e_max && br[i + 1] > br[i])
      cells += (size_t)ceil((br[i + 1] - br[i]) / CELL_MAX);
  gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc(GL_POINTS);
  q->E = malloc(cells * GL_POINTS * sizeof *q->E);
  q->w = malloc(cells * GL_POINTS * sizeof *q->w);
  if (!gl || !q->E || !q->w) {
    if (gl) gsl_integration_glfixed_table_free(gl);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the flux shape");
  }
  q->n = 0;
  for (size_t i = 0; i + 1 < nb; i++) {
    if (!(br[i] >= src->e_min && br[i + 1] <= src->e_max && br[i + 1] > br[i])) continue;
    size_t m = (size_t)ceil((br[i + 1] - br[i]) / CELL_MAX);
    double h = (br[i + 1] - br[i]) / (double)m;
    for (size_t c = 0; c < m; c++)
      for (size_t j = 0; j < GL_POINTS; j++, q->n++)
        gsl_integration_glfixed_point(br[i] + c * h, br[i] + (c + 1) * h, j, &q->E[q->n],
                                      &q->w[q->n], gl);
  }
  gsl_integration_glfixed_table_free(gl);
  return NUEM_OK;
}

/* The channel's weights w K(E) and the factors F (n x nf, row-major) at the
 * nodes; g = F^T (w K), N = sum w K phi. */
static void factors_at_nodes(const nuem_source *src, const nuem_flux_kernel *kernel,
                             const nodes *q, size_t nf, double *F, double *phi, double *kern,
                             double *g, double *N) {
  *N = 0;
  memset(g, 0, nf * sizeof *g);
  for (size_t n = 0; n < q->n; n++) {
    phi[n] = nuem_source_flux(src, q->E[n]);
    kern[n] = q->w[n] * kernel->fn(q->E[n], kernel->user);
    *N += kern[n] * phi[n];
    for (size_t k = 0; k < nf; k++) {
      F[n * nf + k] = nuem_band_factor(src, k, q->E[n]);
      g[k] += kern[n] * F[n * nf + k];
    }
  }
}

/* H = P G P with G_kl = sum_n kern F_nk F_nl / phi_n / N, P = 1 - g^ g^T. */
static nuem_status shape_metric(nuem_context *ctx, const double *F, const double *phi,
                                const double *kern, size_t nn, size_t nf, const double *g,
                                double N, gsl_matrix *H) {
  gsl_matrix_set_zero(H);
  for (size_t n = 0; n < nn; n++) {
    if (!(phi[n] > 0)) continue;
    double c = kern[n] / phi[n] / N;
    for (size_t k = 0; k < nf; k++) {
      double a = c * F[n * nf + k];
      if (a == 0) continue;
      for (size_t l = 0; l < nf; l++) *gsl_matrix_ptr(H, k, l) += a * F[n * nf + l];
    }
  }
  double g2 = 0;
  for (size_t k = 0; k < nf; k++) g2 += g[k] * g[k];
  if (!(g2 > 0)) return NUEM_OK;
  /* P G P = G - gh (gh^T G) - (G gh) gh^T + gh (gh^T G gh) gh^T, gh = g/|g| */
  double *Gg = calloc(nf, sizeof *Gg), gGg = 0;
  if (!Gg) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the flux shape");
  for (size_t k = 0; k < nf; k++) {
    for (size_t l = 0; l < nf; l++) Gg[k] += gsl_matrix_get(H, k, l) * g[l];
    Gg[k] /= sqrt(g2);
  }
  for (size_t k = 0; k < nf; k++) gGg += g[k] / sqrt(g2) * Gg[k];
  for (size_t k = 0; k < nf; k++)
    for (size_t l = 0; l < nf; l++) {
      double gk = g[k] / sqrt(g2), gl = g[l] / sqrt(g2);
      *gsl_matrix_ptr(H, k, l) += -gk * Gg[l] - Gg[k] * gl + gk * gGg * gl;
    }
  free(Gg);
  return NUEM_OK;
}

/* The leading eigenvector u of H (into u), its share of the trace. */
static nuem_status leading_mode(nuem_context *ctx, gsl_matrix *H, double *u, double *share) {
  size_t nf = H->size1;
  double trace = 0;
  for (size_t k = 0; k < nf; k++) trace += gsl_matrix_get(H, k, k);
  gsl_vector *eval = gsl_vector_alloc(nf);
  gsl_matrix *evec = gsl_matrix_alloc(nf, nf);
  gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(nf);
  nuem_status s = eval && evec && w ? NUEM_OK : nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  if (!s) {
    gsl_eigen_symmv(H, eval, evec, w);
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    double top = gsl_vector_get(eval, 0);
    if (!(top > 0 && trace > 0))
      s = nuem_error(ctx, NUEM_ERANGE, "the spectrum band has no shape uncertainty beyond "
                     "its normalisation in this channel");
    else *share = fmin(top / trace, 1.0);
    for (size_t k = 0; k < nf; k++) u[k] = gsl_matrix_get(evec, k, 0);
  }
  gsl_vector_free(eval);
  gsl_matrix_free(evec);
  if (w) gsl_eigen_symmv_free(w);
  return s;
}

/* The relative change F u / phi at the nodes, signed to be harder. */
static nuem_status shape_interp(nuem_context *ctx, const nodes *q, const double *F,
                                const double *phi, const double *u, size_t nf,
                                nuem_interp **shape) {
  double *r = malloc(q->n * sizeof *r);
  if (!r) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the flux shape");
  for (size_t n = 0; n < q->n; n++) {
    double v = 0;
    for (size_t k = 0; k < nf; k++) v += F[n * nf + k] * u[k];
    r[n] = phi[n] > 0 ? v / phi[n] : 0.0;
  }
  size_t last = q->n;
  while (last > 1 && !(phi[last - 1] > 0)) last--;
  double sign = r[last - 1] >= r[0] ? 1.0 : -1.0;
  for (size_t n = 0; n < q->n; n++) r[n] *= sign;
  nuem_status s = nuem_interp_new(ctx, q->E, r, q->n, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_CLAMP,
                                  "the flux shape", shape);
  free(r);
  return s;
}

nuem_status nuem_source_flux_shape(nuem_context *ctx, const nuem_source *src,
                                   const nuem_flux_kernel *kernel, double *norm,
                                   nuem_interp **shape, double *share) {
  *shape = NULL;
  *share = *norm = NAN;
  size_t nf = nuem_band_nfactors(src);
  if (!nf) return nuem_band_missing(ctx);
  nodes q = {0};
  NUEM_TRY(nodes_build(ctx, src, &q));
  double *F = malloc(q.n * nf * sizeof *F), *phi = malloc(q.n * sizeof *phi);
  double *kern = malloc(q.n * sizeof *kern), *g = malloc(nf * sizeof *g);
  double *u = malloc(nf * sizeof *u), N;
  gsl_matrix *H = gsl_matrix_alloc(nf, nf);
  nuem_status s = F && phi && kern && g && u && H
                      ? NUEM_OK : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the flux shape");
  if (!s) {
    factors_at_nodes(src, kernel, &q, nf, F, phi, kern, g, &N);
    if (!(N > 0)) s = nuem_error(ctx, NUEM_ERANGE, "the flux shape: the rate integral is %g", N);
  }
  if (!s) { /* the normalisation: |g| / N */
    double g2 = 0;
    for (size_t k = 0; k < nf; k++) g2 += g[k] * g[k];
    *norm = sqrt(g2) / N;
  }
  if (!s) s = shape_metric(ctx, F, phi, kern, q.n, nf, g, N, H);
  if (!s) s = leading_mode(ctx, H, u, share);
  if (!s) s = shape_interp(ctx, &q, F, phi, u, nf, shape);
  free(F);
  free(phi);
  free(kern);
  free(g);
  free(u);
  gsl_matrix_free(H);
  free(q.E);
  free(q.w);
  return s;
}

nuem_status nuem_source_reshaped(nuem_context *ctx, const nuem_source *src,
                                 const nuem_interp *shape, double amplitude, nuem_source **out) {
  if (src->type != NUEM_SOURCE_REACTOR || !shape || src->shape)
    return nuem_error(ctx, NUEM_EINTERNAL, "only a reactor source can be reshaped");
  nuem_source *copy = malloc(sizeof *copy);
  if (!copy) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the source");
  *copy = *src;
  copy->shape = shape;
  copy->shape_amplitude = amplitude;
  *out = copy;
  return NUEM_OK;
}

/* Ab-initio atomic responses R_L(T, q), R_T(T, q) per subshell
 * (docs/physics.md, "Ab-initio atomic response"): continuum orbitals in the
 * atom's central potential by Numerov on a log-linear grid, energy-normalised
 * by matching to Coulomb functions (GSL) where the potential is -z_ion/r,
 * orthogonalised to the occupied orbitals of the same l; multipole sums of
 * the density (R_L) and the transverse convection current (R_T); the
 * plane-wave impulse form (PWIA) where the partial-wave sum would be too long
 * and the ejected electron is fast. Atomic units inside, MeV outside. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_coulomb.h>

#include "abinitio_internal.h"
#include "nuem/constants.h"

enum { ANG_LMAX = 400 };      /* largest continuum l' the angular tables hold */
#define GRID_BETA 1.0          /* r + beta ln r uniform: log below ~1 bohr, linear above */
#define NUMEROV_SEED 1e-30
#define NUMEROV_RESCALE 1e100

#define NUEM_TRY_ABI(expr)            \
  do {                                \
    nuem_status try_s_ = (expr);      \
    if (try_s_) return try_s_;        \
  } while (0)

void nuem_abinitio_options_default(nuem_abinitio_options *opt) {
  opt->edges = NUEM_EDGES_EXPERIMENTAL;
  opt->max_partial_waves = 200;
  opt->pwia_min_ratio = 200;
  opt->max_multipole = -1;
}

/* ---- Wigner 3j symbols (integer j) by Racah's formula in logarithms ------ */

static double lfact(int n) { return lgamma(n + 1.0); }

static double threej(int j1, int j2, int j3, int m1, int m2, int m3) {
  if (m1 + m2 + m3 != 0 || j3 < abs(j1 - j2) || j3 > j1 + j2 || abs(m1) > j1 || abs(m2) > j2 ||
      abs(m3) > j3)
    return 0;
  double lpre = 0.5 * (lfact(j1 + j2 - j3) + lfact(j1 - j2 + j3) + lfact(-j1 + j2 + j3) -
                       lfact(j1 + j2 + j3 + 1) + lfact(j1 + m1) + lfact(j1 - m1) + lfact(j2 + m2) +
                       lfact(j2 - m2) + lfact(j3 + m3) + lfact(j3 - m3));
  int kmin = 0, kmax = j1 + j2 - j3;
  if (j2 - j3 - m1 > kmin) kmin = j2 - j3 - m1;
  if (j1 - j3 + m2 > kmin) kmin = j1 - j3 + m2;
  if (j1 - m1 < kmax) kmax = j1 - m1;
  if (j2 + m2 < kmax) kmax = j2 + m2;
  double sum = 0;
  for (int k = kmin; k <= kmax; k++) {
    double lden = lfact(k) + lfact(j3 - j2 + k + m1) + lfact(j3 - j1 + k - m2) +
                  lfact(j1 + j2 - j3 - k) + lfact(j1 - k - m1) + lfact(j2 - k + m2);
    sum += (k % 2 ? -1 : 1) * exp(lpre - lden);
  }
  return ((j1 - j2 - m3) % 2 ? -1 : 1) * sum;
}

/* <j1 m1; j2 m2 | J M> */
static double clebsch(int j1, int m1, int j2, int m2, int J, int M) {
  return ((j1 - j2 + M) % 2 ? -1 : 1) * sqrt(2.0 * J + 1) * threej(j1, j2, J, m1, m2, -M);
}

/* ---- angular coefficients, per bound l, for every l' <= ANG_LMAX ---------
 * Density (eq. 2.1 of docs/physics.md): (2l'+1)(2L+1)(l' L l; 0 0 0)^2 at
 * L = l' + d. Current: the amplitude of e^{iqz} (grad)_mu from (l, m) to
 * (l', m - mu) is sum over lambda = l +- 1 and L of coef * J^lambda_{l'L},
 * with the gradient formula (Edmonds, Angular Momentum in QM, eq. 5.9.17)
 *   grad[R Y_lm] = sum_lambda g_lambda(r) sum_mu <lambda m-mu; 1 mu|l m> Y_{lambda,m-mu} e_mu,
 *   r g_{l+1} = -sqrt((l+1)/(2l+1)) (P' - (l+1) P/r), r g_{l-1} = sqrt(l/(2l+1)) (P' + l P/r),
 * and e^{iqz} = sum_L i^L sqrt(4 pi (2L+1)) j_L Y_L0; the common phase i^l'
 * drops out of |amplitude|^2. */
typedef struct {
  int ready;
  int l, nd;         /* d = L - l' runs over -(l+1)..l+1: nd = 2l+3 */
  double *dens;      /* [l'][d] */
  double *cur;       /* [l'][m+l][mu: 0 for -1, 1 for +1][lambda: 0 for l-1, 1 for l+1][d] */
} angular_table;

static angular_table angular[4];

static size_t cur_index(const angular_table *t, int lp, int m, int mu, int lam, int d) {
  size_t per_lp = (size_t)(2 * t->l + 1) * 2 * 2 * t->nd;
  return lp * per_lp + (((size_t)(m + t->l) * 2 + (mu > 0)) * 2 + lam) * t->nd + (d + t->l + 1);
}

static void angular_fill(angular_table *t, int l) {
  t->l = l;
  t->nd = 2 * l + 3;
  for (int lp = 0; lp <= ANG_LMAX; lp++)
    for (int d = -(l + 1); d <= l + 1; d++) {
      int L = lp + d;
      double *dens = &t->dens[(size_t)lp * t->nd + d + l + 1];
      *dens = 0;
      if (L >= 0 && (d + l) % 2 == 0) {
        double w = threej(lp, L, l, 0, 0, 0);
        *dens = (2.0 * lp + 1) * (2.0 * L + 1) * w * w;
      }
      for (int m = -l; m <= l; m++)
        for (int mu = -1; mu <= 1; mu += 2)
          for (int lam = 0; lam < 2; lam++) {
            int lambda = lam ? l + 1 : l - 1, mp = m - mu;
            double c = 0;
            if (L >= 0 && lambda >= 0 && (d + l + 1) % 2 == 0 && abs(mp) <= lp && abs(mp) <= lambda) {
              double s = lam ? -sqrt((l + 1.0) / (2 * l + 1)) : sqrt(l / (2.0 * l + 1));
              double phase = ((d + l + 1) / 2) % 2 ? -1 : 1;
              c = phase * (mp % 2 ? -1 : 1) * (2.0 * L + 1) * sqrt((2.0 * lp + 1) * (2 * lambda + 1)) *
                  threej(lp, L, lambda, 0, 0, 0) * threej(lp, L, lambda, -mp, 0, mp) *
                  clebsch(lambda, mp, 1, mu, l, m) * s;
            }
            t->cur[cur_index(t, lp, m, mu, lam, d)] = c;
          }
    }
}

/* Built once per l, on first use; read-only afterwards (threads share it). */
static nuem_status angular_get(nuem_context *ctx, int l, const angular_table **out) {
  nuem_status s = NUEM_OK;
  if (l < 0 || l > 3) return nuem_error(ctx, NUEM_ERANGE, "atomic response: bound l = %d > 3", l);
#pragma omp critical(nuem_abinitio_angular)
  {
    angular_table *t = &angular[l];
    if (!t->ready) {
      size_t nd = 2 * l + 3;
      t->dens = malloc((ANG_LMAX + 1) * nd * sizeof *t->dens);
      t->cur = malloc((ANG_LMAX + 1) * (2 * l + 1) * 4 * nd * sizeof *t->cur);
      if (t->dens && t->cur) {
        angular_fill(t, l);
        t->ready = 1;
      } else {
        free(t->dens), free(t->cur);
        t->dens = t->cur = NULL;
        s = NUEM_ENOMEM;
      }
    }
  }
  if (s) return nuem_error(ctx, s, "atomic response: out of memory");
  *out = &angular[l];
  return NUEM_OK;
}

/* ---- the radial grid: r + beta ln r = t, t uniform ------------------------ */

typedef struct {
  size_t n;
  double h;
  double *r, *rp, *schw; /* r, dr/dt, -1/2 Schwarzian {r, t} */
  double *V;             /* potential [hartree] */
} radial_grid;

static void grid_free(radial_grid *g) { free(g->r), free(g->rp), free(g->schw), free(g->V); }

static nuem_status grid_build(nuem_context *ctx, const nuem_atom *a, double r_end, double h_max,
                              radial_grid *g) {
  const double b = GRID_BETA, r0 = 1e-3 / a->Z;
  double t0 = r0 + b * log(r0), t1 = r_end + b * log(r_end);
  g->n = (size_t)ceil((t1 - t0) / h_max) + 1;
  g->h = (t1 - t0) / (g->n - 1);
  g->r = malloc(g->n * sizeof *g->r);
  g->rp = malloc(g->n * sizeof *g->rp);
  g->schw = malloc(g->n * sizeof *g->schw);
  g->V = malloc(g->n * sizeof *g->V);
  if (!g->r || !g->rp || !g->schw || !g->V) {
    grid_free(g);
    return nuem_error(ctx, NUEM_ENOMEM, "atomic response: out of memory (%zu grid points)", g->n);
  }
  double r = r0;
  for (size_t i = 0; i < g->n; i++) {
    double t = t0 + i * g->h;
    for (int it = 0; it < 50; it++) { /* Newton on r + b ln r = t */
      double dr = (r + b * log(r) - t) / (1 + b / r);
      r -= dr;
      if (r <= 0) r = 1e-300 + fabs(dr);
      if (fabs(dr) < 1e-15 * r) break;
    }
    double s = r + b;
    g->r[i] = r;
    g->rp[i] = r / s;
    g->schw[i] = (0.25 * b * b + b * r) / (s * s * s * s); /* -{r,t}/2 */
    g->V[i] = abi_potential(a, r);
  }
  return NUEM_OK;
}

/* ---- continuum orbitals ------------------------------------------------------ */

/* The regular solution of u'' = [2 (V - eps) + l(l+1)/r^2] u as u = sqrt(r') w
 * with w'' = [r'^2 g - {r,t}/2] w (Liouville), Numerov in t. Seeded deep in
 * the centrifugal barrier and rescaled, so high l' never underflow
 * (docs/physics.md, numerics). Returns 0 if l' has no allowed region. */
static int numerov(const radial_grid *g, int l, double eps, double *u, size_t *first) {
  size_t n = g->n, turn = n;
  double ll = l * (l + 1.0), h2 = g->h * g->h / 12;
  for (size_t i = 0; i < n && turn == n; i++)
    if (2 * (g->V[i] - eps) + ll / (g->r[i] * g->r[i]) < 0) turn = i;
  /* keep l' only if it oscillates over the outer fifth of the grid, where it
   * is matched (the rest reach the bound orbital only in its tail) */
  if (turn >= n - 3 || g->r[turn] > 0.8 * g->r[n - 1]) return 0;
  size_t start = 0;
  double r_start = g->r[turn] * exp(-40.0 / (l + 1)); /* u(start) ~ e^-40 u(turn) */
  while (start < turn && g->r[start] < r_start) start++;
  memset(u, 0, n * sizeof *u);
  if (start + 2 >= n) return 0;
  *first = start;
#define NUMEROV_C(i) \
  (1 - h2 * (g->rp[i] * g->rp[i] * (2 * (g->V[i] - eps) + ll / (g->r[i] * g->r[i])) + g->schw[i]))
  u[start] = NUMEROV_SEED;
  u[start + 1] = NUMEROV_SEED * pow(g->r[start + 1] / g->r[start], l + 1) *
                 sqrt(g->rp[start] / g->rp[start + 1]);
  double c_prev = NUMEROV_C(start), c = NUMEROV_C(start + 1);
  for (size_t i = start + 1; i + 1 < n; i++) {
    double c_next = NUMEROV_C(i + 1);
    u[i + 1] = ((12 - 10 * c) * u[i] - c_prev * u[i - 1]) / c_next;
    c_prev = c;
    c = c_next;
    if (fabs(u[i + 1]) > NUMEROV_RESCALE)
      for (size_t j = start; j <= i + 1; j++) u[j] /= NUMEROV_RESCALE;
  }
#undef NUMEROV_C
  for (size_t i = start; i < n; i++) u[i] *= sqrt(g->rp[i]);
  return 1;
}

/* Energy normalisation: fit u = a F_l + b G_l (Coulomb functions of charge
 * z_ion, GSL) at the last point and a quarter wavelength inside, where the
 * potential is exactly -z_ion/r; then u -> u sqrt(2/(pi k)) / sqrt(a^2 + b^2),
 * i.e. u ~ sqrt(2/(pi k)) sin(kr + ln(2kr) z_ion/k - l pi/2 + delta). */
static nuem_status normalise(nuem_context *ctx, const radial_grid *g, double z_ion, int l,
                             double k, double *u) {
  size_t i1 = g->n - 1, i2 = i1;
  double r1 = g->r[i1], phase = 0;
  /* the second point a quarter of a local wavelength inside */
  while (phase < 0.5 * NUEM_PI && i2 > 2) {
    i2--;
    double r = g->r[i2], k_loc2 = k * k + 2 * z_ion / r - l * (l + 1.0) / (r * r);
    if (k_loc2 <= 0) break;
    phase += sqrt(k_loc2) * g->h * g->rp[i2];
  }
  if (i1 - i2 < 2) i2 = i1 - 2;
  double r2 = g->r[i2], F[2], G[2];
  double rr[2] = {r1, r2};
  for (int j = 0; j < 2; j++) {
    gsl_sf_result f, fp, gg, gp;
    double eF, eG;
    int rc = gsl_sf_coulomb_wave_FG_e(-z_ion / k, k * rr[j], l, 0, &f, &fp, &gg, &gp, &eF, &eG);
    if (rc || eF != 0 || eG != 0)
      return nuem_error(ctx, NUEM_ENUMERIC, "atomic response: Coulomb functions failed at "
                        "l = %d, k = %g, r = %g", l, k, rr[j]);
    F[j] = f.val;
    G[j] = gg.val;
  }
  double det = F[0] * G[1] - F[1] * G[0];
  double ca = (u[i1] * G[1] - u[i2] * G[0]) / det, cb = (F[0] * u[i2] - F[1] * u[i1]) / det;
  double amp = hypot(ca, cb);
  if (!(amp > 0) || !isfinite(amp))
    return nuem_error(ctx, NUEM_ENUMERIC, "atomic response: continuum l = %d, k = %g: no amplitude", l, k);
  double scale = sqrt(2 / (NUEM_PI * k)) / amp;
  for (size_t i = 0; i < g->n; i++) u[i] *= scale;
  return NUEM_OK;
}

/* Remove the occupied orbitals of the same l (the ejected electron cannot
 * land in them; docs/physics.md). */
static void orthogonalise(const nuem_atom *a, const radial_grid *g, int l, double *u, double *P) {
  for (size_t o = 0; o < a->norb; o++) {
    if (a->orb[o].l != l) continue;
    double overlap = 0;
    for (size_t i = 0; i < g->n; i++) {
      P[i] = abi_orbital_P(&a->orb[o], g->r[i], NULL);
      overlap += P[i] * u[i] * g->rp[i];
    }
    overlap *= g->h;
    for (size_t i = 0; i < g->n; i++) u[i] -= overlap * P[i];
  }
}

/* ---- one subshell at one T: partial-wave (IPA) form ------------------------ */

typedef struct {
  const nuem_atom *a;
  const abi_orbital *o;
  int l;
  double eps, k, electrons;
  int max_L; /* highest multipole of exp(iq.r); -1: all */
} shell_job;

typedef struct {
  radial_grid g;
  size_t n_in;       /* grid points with r <= r_ext */
  int lmax;          /* highest continuum l' kept */
  size_t stride;     /* row length of the arrays below (allocated l' + 1) */
  int *lp_at;        /* [i]: the highest l' that is nonzero at point i */
  double *wPu, *wDpu, *wDmu; /* [i][l']: weight x bound factor x continuum */
} continuum_set;

static void continuum_free(continuum_set *c) {
  grid_free(&c->g);
  free(c->wPu), free(c->wDpu), free(c->wDmu), free(c->lp_at);
}

static int partial_waves_needed(const shell_job *j) {
  double r = j->o->r_ext;
  double kmax2 = j->k * j->k + 2 * (-abi_potential(j->a, r));
  return (int)ceil(r * sqrt(kmax2)) + 6;
}

static nuem_status continuum_build(nuem_context *ctx, const shell_job *j, int lmax,
                                   continuum_set *c) {
  memset(c, 0, sizeof *c);
  double lambda = 2 * NUEM_PI / j->k, r_ext = j->o->r_ext;
  double r_end = fmax(fmax(1.1 * r_ext, r_ext + lambda), j->a->r_tail + lambda);
  nuem_status s = grid_build(ctx, j->a, r_end, fmin(0.02, lambda / 30), &c->g);
  if (s) return s;
  const radial_grid *g = &c->g;
  while (c->n_in < g->n && g->r[c->n_in] <= r_ext) c->n_in++;
  size_t nl = (size_t)lmax + 1, n_in = c->n_in;
  double *u = malloc(g->n * sizeof *u), *tmp = malloc(g->n * sizeof *tmp);
  c->wPu = calloc(n_in * nl, sizeof *c->wPu);
  c->wDpu = calloc(n_in * nl, sizeof *c->wDpu);
  c->wDmu = calloc(n_in * nl, sizeof *c->wDmu);
  c->lp_at = calloc(n_in + 1, sizeof *c->lp_at);
  if (!u || !tmp || !c->wPu || !c->wDpu || !c->wDmu || !c->lp_at) {
    s = nuem_error(ctx, NUEM_ENOMEM, "atomic response: out of memory (%d partial waves)", lmax);
    goto done;
  }
  /* bound factors P, P' - (l+1)P/r, P' + lP/r with the trapezoid weight h r'(t) */
  double *bound = malloc(3 * n_in * sizeof *bound);
  if (!bound) {
    s = nuem_error(ctx, NUEM_ENOMEM, "atomic response: out of memory");
    goto done;
  }
  for (size_t i = 0; i < n_in; i++) {
    double dP, r = g->r[i], P = abi_orbital_P(j->o, r, &dP), w = g->h * g->rp[i];
    bound[3 * i] = w * P;
    bound[3 * i + 1] = w * (dP - (j->l + 1) * P / r);
    bound[3 * i + 2] = w * (dP + j->l * P / r);
  }
  c->stride = nl;
  c->lmax = -1;
  for (int lp = 0; lp <= lmax && !s; lp++) {
    size_t first = 0;
    if (!numerov(g, lp, j->eps, u, &first)) break; /* higher l' are further out still */
    c->lmax = lp;
    for (size_t i = first; i < n_in; i++) c->lp_at[i] = lp;
    s = normalise(ctx, g, j->a->z_ion, lp, j->k, u);
    if (s) break;
    if (lp <= 3) orthogonalise(j->a, g, lp, u, tmp);
    for (size_t i = 0; i < n_in; i++) {
      size_t at = i * nl + lp;
      c->wPu[at] = bound[3 * i] * u[i];
      c->wDpu[at] = bound[3 * i + 1] * u[i];
      c->wDmu[at] = bound[3 * i + 2] * u[i];
    }
  }
  free(bound);
  if (s) goto done;
  if (c->lmax < 0) s = nuem_error(ctx, NUEM_ENUMERIC, "atomic response: no continuum solution");
done:
  free(u), free(tmp);
  if (s) continuum_free(c);
  return s;
}

/* j_L(x) for L = 0..Lmax. Where all L <= x the upward recurrence
 * j_{L+1} = (2L+1)/x j_L - j_{L-1} is stable and cheap; otherwise GSL's
 * Steed method, run only up to where j_L is still above ~1e-30 of its peak
 * (beyond the turning point L ~ x it decays over a width ~ x^(1/3)), since
 * it underflows when Lmax >> x. */
static void bessel_array(int Lmax, double x, double *jl) {
  int top = (int)(x + 10 * cbrt(x) + 25);
  if (top > Lmax) top = Lmax;
  if (x > top + 1) {
    double s = sin(x), c = cos(x);
    jl[0] = s / x;
    if (top > 0) jl[1] = s / (x * x) - c / x;
    for (int L = 1; L < top; L++) jl[L + 1] = (2 * L + 1) / x * jl[L] - jl[L - 1];
  } else {
    gsl_sf_bessel_jl_steed_array(top, x, jl);
  }
  for (int L = top + 1; L <= Lmax; L++) jl[L] = 0;
}

/* R_L, R_T [1/hartree] at momentum transfer q [1/bohr] from the continuum set. */
static nuem_status partial_wave_sums(nuem_context *ctx, const shell_job *j,
                                     const continuum_set *c, const angular_table *ang, double q,
                                     double *RL, double *RT) {
  const int l = j->l, nd = 2 * l + 3;
  int Lcut = (int)(1.2 * q * j->o->r_ext) + 20;
  if (Lcut > c->lmax + l + 1) Lcut = c->lmax + l + 1;
  if (j->max_L >= 0 && Lcut > j->max_L) Lcut = j->max_L;
  int lp_top = Lcut + l + 1 < c->lmax ? Lcut + l + 1 : c->lmax;
  size_t nslot = (size_t)(lp_top + 1) * nd;
  double *jl = malloc((Lcut + 1) * sizeof *jl);
  double *I = calloc(3 * nslot, sizeof *I), *Jp = I + nslot, *Jm = Jp + nslot;
  if (!jl || !I) {
    free(jl), free(I);
    return nuem_error(ctx, NUEM_ENOMEM, "atomic response: out of memory");
  }
  const size_t stride = c->stride;
  /* The grid resolves j_L(qr) only where q dr <= 0.3 (21 points per
   * wavelength). Beyond, at q far above the ridge, P u is smooth on the scale
   * 1/q and adds nothing but aliasing: taper it off over [r_cut/2, r_cut]. */
  size_t n_use = 0;
  while (n_use < c->n_in && q * c->g.h * c->g.rp[n_use] <= 0.3) n_use++;
  double r_cut = n_use < c->n_in && n_use ? c->g.r[n_use - 1] : INFINITY;
  for (size_t i = 0; i < n_use; i++) {
    double taper = 1, r = c->g.r[i];
    if (r > 0.5 * r_cut) {
      double x = cos(NUEM_PI * (r / r_cut - 0.5));
      taper = x * x;
    }
    bessel_array(Lcut, q * r, jl);
    for (int L = 0; L <= Lcut; L++) jl[L] *= taper;
    const double *a = &c->wPu[i * stride], *b = &c->wDpu[i * stride], *m = &c->wDmu[i * stride];
    int lp_hi = c->lp_at[i] < lp_top ? c->lp_at[i] : lp_top;
    for (int lp = 0; lp <= lp_hi; lp++)
      for (int d = -(l + 1); d <= l + 1; d++) {
        int L = lp + d;
        if (L < 0 || L > Lcut) continue;
        size_t at = (size_t)lp * nd + d + l + 1;
        if ((d + l) % 2 == 0)
          I[at] += a[lp] * jl[L];
        else
          Jp[at] += b[lp] * jl[L], Jm[at] += m[lp] * jl[L];
      }
  }
  double sum_L = 0, sum_T = 0;
  for (int lp = 0; lp <= lp_top; lp++) {
    for (int d = -(l + 1); d <= l + 1; d++) {
      size_t at = (size_t)lp * nd + d + l + 1;
      sum_L += ang->dens[at] * I[at] * I[at];
    }
    for (int m = -l; m <= l; m++)
      for (int mu = -1; mu <= 1; mu += 2) {
        double amp = 0;
        for (int d = -(l + 1); d <= l + 1; d++) {
          size_t at = (size_t)lp * nd + d + l + 1;
          amp += ang->cur[cur_index(ang, lp, m, mu, 1, d)] * Jp[at] +
                 ang->cur[cur_index(ang, lp, m, mu, 0, d)] * Jm[at];
        }
        sum_T += amp * amp;
      }
  }
  free(jl), free(I);
  *RL = j->electrons * sum_L;
  /* the current is p/m: |<grad>|^2 in atomic units times alpha^2 is (v/c)^2 */
  *RT = j->electrons * sum_T / (2 * l + 1) * NUEM_ALPHA * NUEM_ALPHA;
  return NUEM_OK;
}

/* ---- plane-wave impulse form (PWIA) ------------------------------------------
 * R_L = N/(pi q) int_{|k-q|}^{k+q} p chi(p)^2 dp and R_T the same with the
 * transverse momentum of the ejected electron, k_perp^2 =
 * (p^2 - (k-q)^2)((k+q)^2 - p^2)/(4 q^2) (docs/physics.md). */
typedef struct {
  const abi_orbital *o;
  double k, q;
  int transverse;
} pwia_args;

static double chi_at(const abi_orbital *o, double p) {
  if (p >= o->p[o->np - 1]) return 0;
  if (p <= o->p[0]) return o->chi[0] * pow(p / o->p[0], o->l);
  return gsl_spline_eval(o->chi_spline, p, NULL);
}

static double pwia_integrand(double p, void *v) {
  const pwia_args *w = v;
  double chi = chi_at(w->o, p), f = p * chi * chi;
  if (w->transverse) {
    double lo = w->k - w->q, hi = w->k + w->q;
    f *= (p * p - lo * lo) * (hi * hi - p * p) / (4 * w->q * w->q);
  }
  return f;
}

static nuem_status pwia(nuem_context *ctx, const shell_job *j, double q, double *RL, double *RT) {
  double lo = fabs(j->k - q), hi = fmin(j->k + q, j->o->p[j->o->np - 1]);
  *RL = *RT = 0;
  if (lo >= hi) return NUEM_OK;
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
  if (!w) return nuem_error(ctx, NUEM_ENOMEM, "atomic response: out of memory");
  double *out[2] = {RL, RT};
  for (int t = 0; t < 2; t++) {
    pwia_args args = {j->o, j->k, q, t};
    gsl_function f = {pwia_integrand, &args};
    double err;
    gsl_integration_qag(&f, lo, hi, 0, 1e-7, 200, GSL_INTEG_GAUSS21, w, out[t], &err);
    *out[t] *= j->electrons / (NUEM_PI * q) * (t ? NUEM_ALPHA * NUEM_ALPHA : 1); /* (v/c)^2 */
  }
  gsl_integration_workspace_free(w);
  return NUEM_OK;
}

/* ---- public: one subshell at one T ------------------------------------------- */

static nuem_status check_options(nuem_context *ctx, const nuem_abinitio_options *opt) {
  if (opt->edges != NUEM_EDGES_EXPERIMENTAL && opt->edges != NUEM_EDGES_KOOPMANS)
    return nuem_error(ctx, NUEM_EUSAGE, "atomic response: edges must be experimental or koopmans");
  if (opt->max_partial_waves < 4 || opt->max_partial_waves > ANG_LMAX - 4)
    return nuem_error(ctx, NUEM_ERANGE, "atomic response: max_partial_waves %d outside 4..%d",
                      opt->max_partial_waves, ANG_LMAX - 4);
  if (!(opt->pwia_min_ratio >= 0))
    return nuem_error(ctx, NUEM_ERANGE, "atomic response: pwia_min_ratio must be >= 0");
  if (opt->max_multipole < -1 || opt->max_multipole > ANG_LMAX - 4)
    return nuem_error(ctx, NUEM_ERANGE, "atomic response: max_multipole %d outside 0..%d "
                      "(or -1 for all)", opt->max_multipole, ANG_LMAX - 4);
  return NUEM_OK;
}

nuem_status nuem_atom_response(nuem_context *ctx, const nuem_atom *a, size_t s,
                               const nuem_abinitio_options *opt, double T, size_t nq,
                               const double *q, double *RL, double *RT) {
  if (s >= a->nsub) return nuem_error(ctx, NUEM_ERANGE, "%s has no subshell %zu", a->element, s);
  nuem_status st = check_options(ctx, opt);
  if (st) return st;
  for (size_t i = 0; i < nq; i++) RL[i] = RT[i] = 0;
  double edge = nuem_atom_edge(a, s, opt->edges);
  if (!(T > edge)) return NUEM_OK;
  const abi_orbital *o = &a->orb[a->sub_orbital[s]];
  shell_job j = {a, o, o->l, (T - edge) / ABI_EH_MEV, 0, a->sub[s].electrons,
                 opt->max_multipole};
  j.k = sqrt(2 * j.eps);
  /* Partial waves up to `need` reach every q; past max_partial_waves a fast
   * electron (eps >= pwia_min_ratio B) switches to PWIA above q_split, the
   * momentum transfer whose multipoles would need more waves. Multipoles
   * L <= max_L reach only l' <= max_L + l, and PWIA cannot truncate them. */
  int need = partial_waves_needed(&j);
  if (j.max_L >= 0 && need > j.max_L + o->l + 1) need = j.max_L + o->l + 1;
  int hybrid = j.max_L < 0 && need > opt->max_partial_waves &&
               j.eps >= opt->pwia_min_ratio * (-o->energy);
  int lmax = hybrid ? opt->max_partial_waves : need;
  if (lmax > ANG_LMAX)
    return nuem_error(ctx, NUEM_ERANGE, "%s %s at T = %g MeV needs %d partial waves (> %d)",
                      a->element, a->sub[s].name, T, need, ANG_LMAX);
  double q_split = hybrid ? (lmax - o->l - 1 - 20) / (1.2 * o->r_ext) : INFINITY;
  const angular_table *ang = NULL;
  NUEM_TRY_ABI(angular_get(ctx, o->l, &ang));
  continuum_set c;
  int built = 0;
  for (size_t i = 0; i < nq && !st; i++) {
    double qa = q[i] / ABI_P_MEV;
    if (qa >= q_split) {
      st = pwia(ctx, &j, qa, &RL[i], &RT[i]);
    } else {
      if (!built && (st = continuum_build(ctx, &j, lmax, &c))) break;
      built = 1;
      st = partial_wave_sums(ctx, &j, &c, ang, qa, &RL[i], &RT[i]);
    }
    RL[i] /= ABI_EH_MEV, RT[i] /= ABI_EH_MEV;
  }
  if (built) continuum_free(&c);
  return st;
}

/* ---- derived quantities ---------------------------------------------------------- */

nuem_status nuem_atom_neff(nuem_context *ctx, const nuem_atom *a, size_t s,
                           const nuem_abinitio_options *opt, double T, double q_max,
                           double *neff) {
  enum { NQ = 600 };
  *neff = 0;
  if (!(q_max > T)) return nuem_error(ctx, NUEM_ERANGE, "N_eff: q_max must exceed T");
  double *q = malloc(3 * NQ * sizeof *q), *RL = q + NQ, *RT = RL + NQ;
  if (!q) return nuem_error(ctx, NUEM_ENOMEM, "N_eff: out of memory");
  double dx = log(q_max / T) / (NQ - 1);
  for (size_t i = 0; i < NQ; i++) q[i] = T * exp(i * dx);
  nuem_status st = nuem_atom_response(ctx, a, s, opt, T, NQ, q, RL, RT);
  /* integral dq^2 R_L / (2 m) = integral q^2 R_L d(ln q) / m, trapezoid in ln q */
  for (size_t i = 0; !st && i < NQ; i++)
    *neff += (i == 0 || i == NQ - 1 ? 0.5 : 1) * q[i] * q[i] * RL[i] * dx / NUEM_ME;
  free(q);
  return st;
}

nuem_status nuem_atom_photoabsorption(nuem_context *ctx, const nuem_atom *a,
                                      const nuem_abinitio_options *opt, double T,
                                      double *velocity, double *length) {
  /* length form at q = 0.01/bohr: (q <r>)^2 < 1e-3 for every Ge shell, while
   * the dipole term still dwarfs what orthogonality leaves of the monopole */
  double q[2] = {T, 1e-2 * ABI_P_MEV};
  *velocity = *length = 0;
  for (size_t s = 0; s < a->nsub; s++) {
    double RL[2], RT[2];
    nuem_status st = nuem_atom_response(ctx, a, s, opt, T, 2, q, RL, RT);
    if (st) return st;
    *velocity += 2 * NUEM_PI * NUEM_PI * NUEM_ALPHA * RT[0] / T * NUEM_HBARC2;
    *length += 4 * NUEM_PI * NUEM_PI * NUEM_ALPHA * T * RL[1] / (q[1] * q[1]) * NUEM_HBARC2;
  }
  return NUEM_OK;
}

/* ---- the table ----------------------------------------------------------------------- */

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

nuem_status nuem_abinitio_grid(nuem_context *ctx, const nuem_atom *a,
                               const nuem_abinitio_options *opt, double **T, size_t *nT,
                               double **q, size_t *nq) {
  const double T_lo = 1e-5, T_hi = 0.1, q_lo = 1e-5, q_hi = 4.0; /* MeV */
  /* 60 q per decade resolve the Bethe ridge, whose relative width falls
   * like sqrt(B/T): with 15 the bilinear (ln T, ln q) interpolation lost
   * 4-37 % of the Ge weak rate at 1-40 keV (docs/validation.md) */
  const int T_per_decade = 10, q_per_decade = 60;
  size_t nlog = 4 * T_per_decade + 1, cap = nlog + 4 * a->nsub;
  double *t = malloc(cap * sizeof *t);
  *nq = (size_t)(log10(q_hi / q_lo) * q_per_decade) + 1;
  *q = malloc(*nq * sizeof **q);
  if (!t || !*q) {
    free(t), free(*q);
    *q = NULL;
    return nuem_error(ctx, NUEM_ENOMEM, "atomic response grid: out of memory");
  }
  size_t n = 0;
  for (size_t i = 0; i < nlog; i++) t[n++] = T_lo * pow(10, (double)i / T_per_decade);
  /* beside every edge: just below, just above, and two points on the rise */
  const double offsets[] = {1 - 1e-4, 1 + 1e-4, 1.02, 1.1};
  for (size_t s = 0; s < a->nsub; s++)
    for (size_t k = 0; k < 4; k++) {
      double x = nuem_atom_edge(a, s, opt->edges) * offsets[k];
      if (x > T_lo && x < T_hi) t[n++] = x;
    }
  qsort(t, n, sizeof *t, cmp_double);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || t[i] > t[m - 1] * (1 + 1e-6)) t[m++] = t[i];
  *T = t;
  *nT = m;
  double dx = log(q_hi / q_lo) / (*nq - 1);
  for (size_t i = 0; i < *nq; i++) (*q)[i] = q_lo * exp(i * dx);
  return NUEM_OK;
}

void nuem_abinitio_response_release(nuem_atomic_response *r) {
  if (!r) return;
  free(r->shell), free(r->edge), free(r->occupancy), free(r->T), free(r->q), free(r->RL),
      free(r->RT), free(r->origin);
  memset(r, 0, sizeof *r);
}

static nuem_status table_alloc(nuem_context *ctx, const nuem_atom *a, size_t nT, size_t nq,
                               nuem_atomic_response *out) {
  memset(out, 0, sizeof *out);
  size_t ns = a->nsub;
  out->shell = malloc(ns * sizeof *out->shell);
  out->edge = malloc(ns * sizeof *out->edge);
  out->occupancy = malloc(ns * sizeof *out->occupancy);
  out->T = malloc(nT * sizeof *out->T);
  out->q = malloc(nq * sizeof *out->q);
  out->RL = calloc(ns * nT * nq, sizeof *out->RL);
  out->RT = calloc(ns * nT * nq, sizeof *out->RT);
  out->origin = malloc(sizeof "computed");
  if (!out->shell || !out->edge || !out->occupancy || !out->T || !out->q || !out->RL ||
      !out->RT || !out->origin) {
    nuem_abinitio_response_release(out);
    return nuem_error(ctx, NUEM_ENOMEM, "atomic response table: out of memory");
  }
  memcpy(out->origin, "computed", sizeof "computed");
  out->nshells = ns;
  out->nT = nT;
  out->nq = nq;
  return NUEM_OK;
}

nuem_status nuem_abinitio_compute(nuem_context *ctx, const nuem_atom *a,
                                  const nuem_abinitio_options *opt, const double *T, size_t nT,
                                  const double *q, size_t nq, nuem_atomic_response *out) {
  nuem_status st = check_options(ctx, opt);
  if (st) return st;
  for (size_t i = 0; i < nT; i++)
    if (!(T[i] > 0) || (i && !(T[i] > T[i - 1])))
      return nuem_error(ctx, NUEM_ERANGE, "atomic response: T grid must increase from > 0");
  for (size_t i = 0; i < nq; i++)
    if (!(q[i] > 0) || (i && !(q[i] > q[i - 1])))
      return nuem_error(ctx, NUEM_ERANGE, "atomic response: q grid must increase from > 0");
  NUEM_TRY_ABI(table_alloc(ctx, a, nT, nq, out));
  snprintf(out->element, sizeof out->element, "%s", a->element);
  out->Z = a->Z;
  for (size_t s = 0; s < a->nsub; s++) {
    snprintf(out->shell[s], NUEM_SHELL_NAME, "%s", a->sub[s].name);
    out->edge[s] = nuem_atom_edge(a, s, opt->edges);
    out->occupancy[s] = a->sub[s].electrons;
    const angular_table *ang = NULL; /* built here, outside the threads */
    st = angular_get(ctx, a->sub[s].l, &ang);
    if (st) {
      nuem_abinitio_response_release(out);
      return st;
    }
  }
  memcpy(out->T, T, nT * sizeof *T);
  memcpy(out->q, q, nq * sizeof *q);
  size_t njobs = a->nsub * nT, first_failure = njobs;
#pragma omp parallel
  {
    nuem_context *tctx = NULL;
    nuem_status ts = nuem_context_new(&tctx);
    /* highest T first: those jobs are the longest */
#pragma omp for schedule(dynamic, 1)
    for (size_t job = 0; job < njobs; job++) {
      size_t iT = nT - 1 - job / a->nsub, s = job % a->nsub;
      if (ts || first_failure < njobs) continue;
      size_t at = (s * nT + iT) * nq;
      nuem_status js = nuem_atom_response(tctx, a, s, opt, T[iT], nq, q, &out->RL[at], &out->RT[at]);
      if (js) {
#pragma omp critical(nuem_abinitio_failure)
        if (job < first_failure) {
          first_failure = job;
          nuem_error_forward(ctx, tctx);
        }
      }
    }
    if (ts) {
#pragma omp critical(nuem_abinitio_failure)
      first_failure = 0;
    }
    nuem_context_free(tctx);
  }
  if (first_failure < njobs) {
    nuem_status fs = nuem_context_status(ctx);
    nuem_abinitio_response_release(out);
    return fs ? fs : nuem_error(ctx, NUEM_ENOMEM, "atomic response: no thread context");
  }
  return NUEM_OK;
}

/* ---- a plain text table (docs/physics.md, "Ab-initio atomic response") ----- */

nuem_status nuem_abinitio_write_text(nuem_context *ctx, FILE *out, const nuem_atomic_response *r,
                                     const char *provenance) {
  fprintf(out, "# nuem ab-initio atomic response: R_L, R_T per subshell "
               "(docs/physics.md, \"Ab-initio atomic response\")\n");
  fprintf(out, "# provenance: %s\n# element: %s %d\n# shells:", provenance ? provenance : "",
          r->element, r->Z);
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %s", r->shell[s]);
  fprintf(out, "\n# edges_MeV:");
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %.9g", r->edge[s]);
  fprintf(out, "\n# occupancy:");
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %.9g", r->occupancy[s]);
  fprintf(out, "\n# grid: %zu T x %zu q per shell\n# columns: shell T q RL RT\n"
               "# units: 1 MeV MeV 1/MeV 1/MeV\n", r->nT, r->nq);
  for (size_t s = 0; s < r->nshells; s++)
    for (size_t i = 0; i < r->nT; i++)
      for (size_t j = 0; j < r->nq; j++) {
        size_t at = (s * r->nT + i) * r->nq + j;
        fprintf(out, "%zu %.9g %.9g %.9g %.9g\n", s, r->T[i], r->q[j], r->RL[at], r->RT[at]);
      }
  if (ferror(out)) return nuem_error(ctx, NUEM_EFILE, "atomic response table: write failed");
  return NUEM_OK;
}

/* ---- the fingerprint of a table's inputs ----------------------------------- */

/* 64-bit FNV-1a (Fowler, Noll, Vo): a table's header carries the hash of
 * everything it was computed from, so a shipped table can be checked against
 * the code and data that would rebuild it. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

nuem_status nuem_abinitio_inputs_hash(nuem_context *ctx, const nuem_atom *a,
                                      const nuem_abinitio_options *o, const double *T,
                                      size_t nT, const double *q, size_t nq, char out[17]) {
  char name[64];
  size_t len;
  snprintf(name, sizeof name, "atomic/%s.dat", nuem_atom_element(a));
  const char *orbitals = nuem_data_find(name, &len);
  if (!orbitals)
    return nuem_error(ctx, NUEM_EFILE, "no orbital data %s to fingerprint", name);
  uint64_t h = 0xcbf29ce484222325ULL;
  h = fnv1a(h, orbitals, len);
  /* the third slot was 0 before max_multipole existed: the default -1 keeps
   * the fingerprints of tables built without it */
  const int options[3] = {(int)o->edges, o->max_partial_waves, o->max_multipole + 1};
  h = fnv1a(h, options, sizeof options);
  h = fnv1a(h, &o->pwia_min_ratio, sizeof o->pwia_min_ratio);
  h = fnv1a(h, T, nT * sizeof *T);
  h = fnv1a(h, q, nq * sizeof *q);
  h = fnv1a(h, NUEM_VERSION, strlen(NUEM_VERSION));
  snprintf(out, 17, "%016llx", (unsigned long long)h);
  return NUEM_OK;
}

/* Cross sections from atomic responses: the NR independent-particle
 * formulas of docs/physics.md ("Cross sections from atomic responses"),
 * the q integral, and the flux-moment fold. */
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abinitio_fold.h"
#include "core_internal.h"
#include "nuem/abinitio_xsec.h"
#include "nuem/constants.h"


/* Lowest q - T integrated, relative to T (and 1e-2 of the pole width
 * Lambda^2/2T): below it every term is at most linear in q - T and
 * contributes < 1e-6 (the pole term, quadratic there, < 1e-5 of its log). */
#define PHOTON_FLOOR 1e-6
#define BELOW_GRID ((size_t)-1) /* the cell of q below the table's q grid */

/* The 2-point Gauss-Legendre rule in ln q on one whole table cell: q, the
 * position t in the cell (in ln q, for the interpolation) and the weight of
 * dq of each node. Cells beyond the photon region (q_j >= 2T) take these
 * nodes unchanged at every T, so they are computed once, not per T (exp,
 * log, the rule's points and t per node). */
typedef struct {
  double q[2], t[2], wq[2];
} cell_nodes;

struct nuem_abinitio {
  nuem_atomic_response r;
  nuem_pole_options pole;
  double *lnT, *lnq;
  size_t *first_open; /* per shell: first T index at or above the edge */
  cell_nodes *cell;   /* per q cell: its 2-point rule in ln q (T-independent) */
  /* per T cell i: the shell sums of R_L and R_T over the shells open at
   * both its rows, at row i and at row i + 1 (open_sum + (2i + k) nq) */
  double *open_rl, *open_rt;
  gsl_integration_glfixed_table *gl4, *gl2, *gl8;
};

void nuem_abinitio_free(nuem_abinitio *m) {
  if (!m) return;
  nuem_atomic_response_free(&m->r);
  free(m->lnT);
  free(m->lnq);
  free(m->first_open);
  free(m->cell);
  free(m->open_rl);
  free(m->open_rt);
  if (m->gl4) gsl_integration_glfixed_table_free(m->gl4);
  if (m->gl2) gsl_integration_glfixed_table_free(m->gl2);
  if (m->gl8) gsl_integration_glfixed_table_free(m->gl8);
  free(m);
}

static void cell_rule(nuem_abinitio *m, size_t j) {
  cell_nodes *c = &m->cell[j];
  for (size_t i = 0; i < 2; i++) {
    double s, w;
    gsl_integration_glfixed_point(m->lnq[j], m->lnq[j + 1], i, &s, &w, m->gl2);
    c->t[i] = (s - m->lnq[j]) / (m->lnq[j + 1] - m->lnq[j]);
    c->q[i] = exp(s);
    c->wq[i] = w * c->q[i];
  }
}

/* The shell sums of the T cells (the per-T row then adds only the shells
 * whose edge lies inside its cell). */
static void sum_open_shells(nuem_abinitio *m) {
  const nuem_atomic_response *r = &m->r;
  size_t nT = r->nT, nq = r->nq;
  for (size_t i = 0; i + 1 < nT; i++)
    for (size_t k = 0; k < 2; k++) {
      double *rl = m->open_rl + (2 * i + k) * nq, *rt = m->open_rt + (2 * i + k) * nq;
      for (size_t j = 0; j < nq; j++) rl[j] = rt[j] = 0;
      for (size_t s = 0; s < r->nshells; s++) {
        if (m->first_open[s] > i) continue;
        const double *a = r->RL + (s * nT + i + k) * nq, *b = r->RT + (s * nT + i + k) * nq;
        for (size_t j = 0; j < nq; j++) {
          rl[j] += a[j];
          rt[j] += b[j];
        }
      }
    }
}

nuem_status nuem_abinitio_new(nuem_context *ctx, nuem_atomic_response *table,
                              const nuem_pole_options *pole, nuem_abinitio **out) {
  nuem_abinitio *m = calloc(1, sizeof *m);
  if (!m) {
    nuem_atomic_response_free(table);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the ab-initio model");
  }
  m->r = *table;
  memset(table, 0, sizeof *table);
  m->pole = *pole;
  const nuem_atomic_response *r = &m->r;
  if (!(pole->regulator == NUEM_POLE_PLASMA ? pole->plasma_energy > 0
                                            : pole->neutrino_mass > 0)) {
    nuem_abinitio_free(m);
    return nuem_error(ctx, NUEM_ERANGE, "the photon-pole regulator (plasma energy or "
                      "neutrino mass) must be > 0");
  }
  m->lnT = malloc(r->nT * sizeof *m->lnT);
  m->lnq = malloc(r->nq * sizeof *m->lnq);
  m->first_open = malloc(r->nshells * sizeof *m->first_open);
  m->cell = malloc(r->nq * sizeof *m->cell);
  m->open_rl = malloc(2 * (r->nT - 1) * r->nq * sizeof *m->open_rl);
  m->open_rt = malloc(2 * (r->nT - 1) * r->nq * sizeof *m->open_rt);
  m->gl4 = gsl_integration_glfixed_table_alloc(4);
  m->gl2 = gsl_integration_glfixed_table_alloc(2);
  m->gl8 = gsl_integration_glfixed_table_alloc(8);
  if (!m->lnT || !m->lnq || !m->first_open || !m->cell || !m->open_rl || !m->open_rt ||
      !m->gl4 || !m->gl2 || !m->gl8) {
    nuem_abinitio_free(m);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the ab-initio model");
  }
  for (size_t i = 0; i < r->nT; i++) m->lnT[i] = log(r->T[i]);
  for (size_t j = 0; j < r->nq; j++) m->lnq[j] = log(r->q[j]);
  for (size_t j = 0; j + 1 < r->nq; j++) cell_rule(m, j);
  for (size_t s = 0; s < r->nshells; s++) {
    size_t i = 0;
    while (i < r->nT && r->T[i] < r->edge[s]) i++;
    m->first_open[s] = i;
  }
  sum_open_shells(m);
  *out = m;
  return NUEM_OK;
}

const nuem_atomic_response *nuem_abinitio_table(const nuem_abinitio *m) { return &m->r; }

/* ---- responses ---------------------------------------------------------- */

/* The T cell i and the fraction tT in ln T, or 0 outside the grid. The
 * grid's ends are written in eV and read back, so a T within a relative
 * 1e-12 of an end (the same energy) counts as that end. */
static int t_cell(const nuem_abinitio *m, double T, size_t *i, double *tT) {
  const nuem_atomic_response *r = &m->r;
  const double same = 1e-12;
  size_t nT = r->nT;
  if (!(T >= r->T[0] * (1 - same) && T <= r->T[nT - 1] * (1 + same))) return 0;
  double lnT = log(T);
  if (lnT < m->lnT[0]) lnT = m->lnT[0];
  if (lnT > m->lnT[nT - 1]) lnT = m->lnT[nT - 1];
  *i = T >= r->T[nT - 1] ? nT - 2 : T <= r->T[0] ? 0 : nuem_search(r->T, nT, T);
  *tT = (lnT - m->lnT[*i]) / (m->lnT[*i + 1] - m->lnT[*i]);
  return 1;
}

void nuem_abinitio_response(const nuem_abinitio *m, double T, double q, double *RL,
                            double *RT) {
  const nuem_atomic_response *r = &m->r;
  size_t nT = r->nT, nq = r->nq;
  *RL = *RT = 0;
  size_t i;
  double tT;
  if (!t_cell(m, T, &i, &tT) || !(q > 0 && q <= r->q[nq - 1])) return;
  /* dipole limit below the q grid: R_L -> q^2 D(T), R_T -> R_T(T, 0)
   * (docs/physics.md; small-q limit of the NR responses) */
  double dipole = 1.0;
  if (q < r->q[0]) {
    dipole = (q / r->q[0]) * (q / r->q[0]);
    q = r->q[0];
  }
  size_t j = q >= r->q[nq - 1] ? nq - 2 : nuem_search(r->q, nq, q);
  double tq = (log(q) - m->lnq[j]) / (m->lnq[j + 1] - m->lnq[j]);
  double sl = 0, st = 0;
  for (size_t s = 0; s < r->nshells; s++) {
    if (T < r->edge[s]) continue; /* the shell is closed below its edge */
    /* An edge inside the cell: the row below belongs to the closed shell,
     * so the first open row holds up to the edge. */
    double t = m->first_open[s] > i ? 1.0 : tT;
    size_t k = (s * nT + i) * nq + j;
    const double *a = r->RL + k, *b = r->RT + k;
    sl += (1 - t) * ((1 - tq) * a[0] + tq * a[1]) + t * ((1 - tq) * a[nq] + tq * a[nq + 1]);
    st += (1 - t) * ((1 - tq) * b[0] + tq * b[1]) + t * ((1 - tq) * b[nq] + tq * b[nq + 1]);
  }
  *RL = sl * dipole;
  *RT = st;
}

/* The shell sum at T on every q of the grid (the fast path's per-T work;
 * the same rules as nuem_abinitio_response): the T cell's sums of the
 * shells open at both rows, and the shells whose edge lies inside the cell
 * from the row above. Returns 0 outside the T grid. */
static int response_row(const nuem_abinitio *m, double T, double *rl, double *rt) {
  const nuem_atomic_response *r = &m->r;
  size_t nT = r->nT, nq = r->nq;
  size_t i;
  double t;
  if (!t_cell(m, T, &i, &t)) return 0;
  const double *l0 = m->open_rl + 2 * i * nq, *t0 = m->open_rt + 2 * i * nq;
  for (size_t j = 0; j < nq; j++) {
    rl[j] = (1 - t) * l0[j] + t * l0[j + nq];
    rt[j] = (1 - t) * t0[j] + t * t0[j + nq];
  }
  for (size_t s = 0; s < r->nshells; s++) {
    if (m->first_open[s] != i + 1 || T < r->edge[s]) continue;
    const double *a = r->RL + (s * nT + i + 1) * nq, *b = r->RT + (s * nT + i + 1) * nq;
    for (size_t j = 0; j < nq; j++) {
      rl[j] += a[j];
      rt[j] += b[j];
    }
  }
  return 1;
}

/* R_L, R_T at q in cell j from a row, linear in ln q: t is the position
 * of ln q in the cell (dipole limit below the grid). */
static void row_eval(const nuem_abinitio *m, const double *rl, const double *rt, double q,
                     double t, size_t j, double *RL, double *RT) {
  const nuem_atomic_response *r = &m->r;
  if (j == BELOW_GRID) {
    double f = (q / r->q[0]) * (q / r->q[0]);
    *RL = f * rl[0];
    *RT = rt[0];
    return;
  }
  *RL = (1 - t) * rl[j] + t * rl[j + 1];
  *RT = (1 - t) * rt[j] + t * rt[j + 1];
}

double nuem_abinitio_lambda2(const nuem_abinitio *m, double E, double T) {
  const nuem_atomic_response *r = &m->r;
  if (m->pole.regulator == NUEM_POLE_NEUTRINO_MASS) {
    /* Q^2_min = m_nu^2 T^2/(E E') of the massive-neutrino kinematics; as a
     * propagator cut it gives the same logarithm */
    double mn = m->pole.neutrino_mass;
    return E > T ? mn * mn * T * T / (E * (E - T)) : mn * mn;
  }
  /* Electrons bound less than T respond to the photon as free ones:
   * omega_p^2 scales with their number (stepping). */
  double open = 0, least = r->Z;
  for (size_t s = 0; s < r->nshells; s++) {
    if (r->edge[s] <= T) open += r->occupancy[s];
    if (r->occupancy[s] < least) least = r->occupancy[s];
  }
  if (open < least) open = least;
  double w = m->pole.plasma_energy;
  return w * w * open / r->Z;
}

/* ---- the cross-section formulas ----------------------------------------- */

/* What the coefficients need that does not depend on q: the couplings,
 * their products and the constant factors of each process, once per T
 * rather than per node. */
typedef struct {
  double T, lambda2;
  double gv, ga, dr; /* dr: the charge radius's g_V shift */
  double x;          /* photon exchange as g_V shift x/Q^2 (times eps) */
  double kw, km;     /* weak and moment prefactors of d2sigma/(dT dq), per q */
  double gv2, ga2, gva, gvr, r2, r2a; /* gv^2, ga^2, gv ga, gv + dr, dr (2gv + dr), dr ga */
} couplings;

static couplings couplings_at(const nuem_interaction *in, double T, double lambda2) {
  /* X = 2 sqrt2 pi alpha q_nu/(G_F Q^2), with the sign convention eps */
  double x = NUEM_MILLICHARGE_SIGN * 2.0 * sqrt(2.0) * NUEM_PI * NUEM_ALPHA * in->q / NUEM_GF;
  /* dq^2 = 2q dq: the factor 2 here, q per node */
  double kw = NUEM_GF * NUEM_GF / (8.0 * NUEM_PI) * 2.0 * NUEM_HBARC2;
  double km = NUEM_PI * NUEM_ALPHA * NUEM_ALPHA * in->mu * in->mu / (NUEM_ME * NUEM_ME) / 4.0 *
              2.0 * NUEM_HBARC2;
  double gv = in->gv, ga = in->ga, dr = nuem_gv_shift_radius(in);
  return (couplings){T,       lambda2, gv,      ga,      dr,           x,      kw,
                     km,      gv * gv, ga * ga, gv * ga, gv + dr, dr * (2.0 * gv + dr), dr * ga};
}

/* The weak bracket A S + B (E + E') + C of d2sigma/(dT dq^2) (times
 * 8 pi E^2/G_F^2) is linear in the coupling products gl4 = (g_V Q^2)^2 of
 * the longitudinal term, st = g_V^2 of the transverse one, sa = g_A^2 and
 * sva = g_V g_A (transverse g_V); its basis at one (T, q): */
typedef struct {
  double l;  /* R_L/q^4: gl4 (S - q^2) */
  double la; /* T^2 R_L/q^2: sa (S - q^2) */
  double ta; /* (Q^2/2q^2) 2 R_L: sa (S + q^2) */
  double tv; /* (Q^2/2q^2) R_TV: st (S + q^2) */
  double va; /* 2 Q^2 R_L/m: sva (E + E') */
} weak_basis;

/* The bracket in the lepton basis (abinitio_fold.h), as process p. */
static void weak_lepton(const weak_basis *w, double gl4, double st, double sa, double sva,
                        double (*L)[NUEM_NPROC], int p) {
  L[NUEM_LEPTON_MINUS][p] = gl4 * w->l + sa * w->la;
  L[NUEM_LEPTON_PLUS][p] = sa * w->ta + st * w->tv;
  L[NUEM_LEPTON_SUM][p] = sva * w->va;
}

/* Process p in the lepton basis to c0 + c1/E + c2/E^2
 * (S/E^2 = 4 - 4T/E + T^2/E^2, (E + E')/E^2 = 2/E - T/E^2). */
static void lepton_to_coeffs(const double (*L)[NUEM_NPROC], int p, double T, double q2,
                             double c[3]) {
  double m = L[NUEM_LEPTON_MINUS][p], pl = L[NUEM_LEPTON_PLUS][p], b = L[NUEM_LEPTON_SUM][p];
  double s = m + pl;
  c[0] = 4.0 * s;
  c[1] = 2.0 * b - 4.0 * T * s;
  c[2] = T * T * s - T * b + q2 * (pl - m);
}

/* Every process at q = T + d in the lepton basis. d is given: near the
 * photon point q itself has lost the digits of q - T, and
 * Q^2 = (q - T)(q + T) needs them. */
static void coeffs_at(const couplings *k, double d, double RL, double RT,
                      double L[NUEM_NLEPTON][NUEM_NPROC]) {
  double T = k->T, q = T + d, Q2 = d * (q + T), q2 = q * q;
  double RTV = RT + q2 * (0.5 / (NUEM_ME * NUEM_ME)) * RL; /* convection + spin */
  double gv = k->gv, x = k->x;
  /* photon exchange: longitudinal (Coulomb) unscreened, transverse over
   * Q^2 + Lambda^2 */
  double dT = x / (Q2 + k->lambda2);
  double inv_q2 = 1.0 / q2, half = 0.5 * Q2 * inv_q2, l = RL * inv_q2 * inv_q2;
  /* the basis with the weak prefactor in it */
  double kw = k->kw * q;
  weak_basis w = {kw * l, kw * T * T * RL * inv_q2, kw * 2.0 * half * RL, kw * half * RTV,
                  kw * (2.0 / NUEM_ME) * Q2 * RL};
  double g0 = gv * Q2, g = k->gvr * Q2 + x, gt = k->gvr + dT;
  weak_lepton(&w, g0 * g0, k->gv2, k->ga2, k->gva, L, NUEM_PROC_SM);
  /* excesses over the SM, expanded so no digits cancel */
  weak_lepton(&w, x * (x + 2.0 * g0), dT * (2.0 * gv + dT), 0, dT * k->ga, L, NUEM_PROC_Q);
  weak_lepton(&w, k->r2 * Q2 * Q2, k->r2, 0, k->r2a, L, NUEM_PROC_R2);
  weak_lepton(&w, g * g, gt * gt, k->ga2, gt * k->ga, L, NUEM_PROC_TOTAL);
  /* magnetic moment (helicity flip, no interference):
   * (pi alpha^2 mu^2/m^2)/(4 E^2) [S Q^2/q^4 R_L + (S - q^2) R_TV/(2 q^2)],
   * S = ((S - q^2) + (S + q^2))/2 */
  double km = k->km * q, longitudinal = 0.5 * km * Q2 * l;
  L[NUEM_LEPTON_MINUS][NUEM_PROC_MU] = longitudinal + 0.5 * km * RTV * inv_q2;
  L[NUEM_LEPTON_PLUS][NUEM_PROC_MU] = longitudinal;
  L[NUEM_LEPTON_SUM][NUEM_PROC_MU] = 0;
  for (int i = 0; i < NUEM_NLEPTON; i++) L[i][NUEM_PROC_TOTAL] += L[i][NUEM_PROC_MU];
}

void nuem_abinitio_coeffs(const nuem_interaction *in, double T, double q_minus_T, double RL,
                          double RT, double lambda2, double c[NUEM_NPROC][3]) {
  couplings k = couplings_at(in, T, lambda2);
  double L[NUEM_NLEPTON][NUEM_NPROC], q = T + q_minus_T;
  coeffs_at(&k, q_minus_T, RL, RT, L);
  for (int p = 0; p < NUEM_NPROC; p++)
    lepton_to_coeffs((const double(*)[NUEM_NPROC])L, p, T, q * q, c[p]);
}

/* ---- the q integral ------------------------------------------------------ */

/* A node: q, its offset d = q - T (exact near the pole), its position t
 * in ln q within the table cell j of q (q_j <= q <= q_j+1; BELOW_GRID below
 * q_0, where t is unused), and the weight w of dq. */
typedef void (*node_fn)(void *acc, double q, double d, double t, double w, size_t j);

static double cell_position(const nuem_abinitio *m, double lnq, size_t j) {
  return j == BELOW_GRID ? 0.0 : (lnq - m->lnq[j]) / (m->lnq[j + 1] - m->lnq[j]);
}

/* Nodes of a Gauss-Legendre rule on [a, b] in s = ln(q - T) (near) or
 * s = ln q. */
static void gl_panel(const nuem_abinitio *m, const gsl_integration_glfixed_table *gl, double a,
                     double b, double T, int near, size_t j, node_fn fn, void *acc) {
  for (size_t i = 0; i < gl->n; i++) {
    double s, w;
    gsl_integration_glfixed_point(a, b, i, &s, &w, gl);
    double e = exp(s);
    if (near) fn(acc, T + e, e, cell_position(m, log(T + e), j), w * e, j);
    else fn(acc, e, e - T, cell_position(m, s, j), w * e, j);
  }
}

/* Gauss-Legendre nodes for ∫_T^q_hi dq. Breaks at every q of the table
 * grid (the interpolant is smooth inside a cell, so the rule resolves
 * whatever the table resolves, the Bethe ridge included) and around the
 * photon point, where the pole has width Lambda^2/2T. Up to q = 2T the
 * variable is ln(q - T), beyond it ln q; each piece gets 2, 4 or 8 points
 * by its length in that variable, long pieces split every MAX_SPAN. */
#define MAX_SPAN 4.0

/* The piece q - T in [da, db]. */
static void piece(const nuem_abinitio *m, double da, double db, double T, double width, size_t j,
                  node_fn fn, void *acc) {
  int near = db <= T * (1 + 1e-12); /* photon region: ln(q - T) */
  double sa = near ? log(da) : log(T + da), sb = near ? log(db) : log(T + db);
  int chunks = (int)ceil((sb - sa) / MAX_SPAN);
  double h = (sb - sa) / chunks;
  const gsl_integration_glfixed_table *gl = h <= 0.25 ? m->gl2 : h <= 1.5 ? m->gl4 : m->gl8;
  /* below the pole every term is ~ (q - T) or (q - T)^2: smooth in s and
   * < 1e-2 of the total there */
  if (near && db <= 0.1 * width * (1 + 1e-12) && gl == m->gl8) gl = m->gl4;
  for (int k = 0; k < chunks; k++)
    gl_panel(m, gl, sa + k * h, sa + (k + 1) * h, T, near, j, fn, acc);
}

/* Whether the piece q - T in br[0..1] is all of cell j and beyond q = 2T,
 * where piece() would give the cell's 2 points in ln q: the precomputed
 * ones. (The piece's own rule there is the same up to round-off.) */
static int whole_cell_beyond(const nuem_abinitio *m, double T, const double *br, size_t j) {
  const double *q = m->r.q;
  return j != BELOW_GRID && br[0] > T * (1 + 1e-12) && fabs(T + br[0] - q[j]) <= 1e-13 * q[j] &&
         fabs(T + br[1] - q[j + 1]) <= 1e-13 * q[j + 1];
}

static void for_each_q_node(const nuem_abinitio *m, double T, double q_hi, double lambda2,
                            node_fn fn, void *acc) {
  if (!(q_hi > T)) return;
  const nuem_atomic_response *r = &m->r;
  /* breaks as offsets q - T, which keep their digits near the pole */
  double width = lambda2 / (2.0 * T), lo = fmin(PHOTON_FLOOR * T, 1e-2 * width);
  double top = q_hi - T, fixed[4] = {1e-1 * width, 3.0 * width, 1e2 * width, T};
  size_t j0 = 0, j1 = r->nq;
  while (j0 < r->nq && r->q[j0] - T <= lo) j0++;
  while (j1 > j0 && r->q[j1 - 1] >= q_hi) j1--;
  size_t n = 0, cap = 6 + (j1 - j0), k = 0, j = j0;
  double stack_breaks[512], *br = cap <= 512 ? stack_breaks : malloc(cap * sizeof *br);
  if (!br) return; /* no memory: no nodes (the caller's sums stay 0) */
  for (int a = 1; a < 4; a++) /* 3 w passes T when Lambda^2 > T^2/1.5: sort */
    for (int b = a; b > 0 && fixed[b] < fixed[b - 1]; b--) {
      double t = fixed[b];
      fixed[b] = fixed[b - 1];
      fixed[b - 1] = t;
    }
  br[n++] = lo;
  while (k < 4 && !(fixed[k] > lo)) k++;
  while (k < 4 || j < j1) { /* merge the two increasing lists */
    double g = j < j1 ? r->q[j] - T : INFINITY;
    double next = k < 4 && fixed[k] < g ? fixed[k++] : (j++, g);
    if (next < top) br[n++] = next;
  }
  br[n++] = top;
  /* every piece lies inside one table cell: the breaks include the grid */
  j = j0 == 0 ? BELOW_GRID : j0 - 1;
  for (k = 0; k + 1 < n; k++) {
    while (j + 1 < r->nq - 1 && T + br[k] >= r->q[j + 1] * (1 - 1e-14)) j++;
    if (j == BELOW_GRID && T + br[k] >= r->q[0] * (1 - 1e-14)) j = 0;
    if (whole_cell_beyond(m, T, br + k, j)) {
      const cell_nodes *c = &m->cell[j];
      for (int i = 0; i < 2; i++) fn(acc, c->q[i], c->q[i] - T, c->t[i], c->wq[i], j);
    } else if (br[k + 1] > br[k] * (1 + 1e-14)) {
      piece(m, br[k], br[k + 1], T, width, j, fn, acc);
    }
  }
  if (br != stack_breaks) free(br);
}

/* The largest q with a response: above the q grid R = 0. */
static double q_limit(const nuem_abinitio *m, double q_kin) {
  return fmin(q_kin, m->r.q[m->r.nq - 1]);
}

/* The q rule's visitor: responses from the row at T, then coefficients,
 * collected in a block handed on when full. */
typedef struct {
  const nuem_abinitio *m;
  couplings k;
  const double *rl, *rt; /* the response row at T */
  nuem_abinitio_block_fn fn;
  void *user;
  nuem_q_block b;
} rule_visit;

static void visit_node(void *acc, double q, double d, double t, double w, size_t j) {
  rule_visit *a = acc;
  double RL, RT;
  row_eval(a->m, a->rl, a->rt, q, t, j, &RL, &RT);
  if (RL == 0 && RT == 0) return;
  size_t i = a->b.n++;
  a->b.q[i] = q;
  a->b.d[i] = d;
  a->b.w[i] = w;
  coeffs_at(&a->k, d, RL, RT, a->b.L[i]);
  if (a->b.n == NUEM_Q_BLOCK) {
    a->fn(a->user, &a->b);
    a->b.n = 0;
  }
}

enum { ROW_BUFFER = 1024 }; /* q points of a response row kept on the stack */

void nuem_abinitio_q_rule_blocks(const nuem_abinitio *m, const nuem_interaction *in, double T,
                                 double q_kin, double lambda2, nuem_abinitio_block_fn fn,
                                 void *user) {
  size_t nq = m->r.nq;
  double buf[ROW_BUFFER], *row = 2 * nq <= ROW_BUFFER ? buf : malloc(2 * nq * sizeof *row);
  if (row && response_row(m, T, row, row + nq)) { /* else no nodes: the sums stay 0 */
    rule_visit a; /* not an initializer: it would clear the whole block */
    a.m = m;
    a.k = couplings_at(in, T, lambda2);
    a.rl = row;
    a.rt = row + nq;
    a.fn = fn;
    a.user = user;
    a.b.n = 0;
    for_each_q_node(m, T, q_limit(m, q_kin), lambda2, visit_node, &a);
    if (a.b.n) fn(user, &a.b);
  }
  if (row != buf) free(row);
}

/* The public q rule: the lepton basis converted to c0 + c1/E + c2/E^2. */
typedef struct {
  double T;
  nuem_abinitio_node_fn fn;
  void *user;
} to_c_visit;

static void visit_to_c(void *acc, const nuem_q_block *b) {
  to_c_visit *a = acc;
  for (size_t i = 0; i < b->n; i++) {
    double c[NUEM_NPROC][3], q = b->q[i];
    for (int p = 0; p < NUEM_NPROC; p++) lepton_to_coeffs(b->L[i], p, a->T, q * q, c[p]);
    a->fn(a->user, q, b->w[i], (const double(*)[3])c);
  }
}

void nuem_abinitio_q_rule(const nuem_abinitio *m, const nuem_interaction *in, double T,
                          double q_kin, double lambda2, nuem_abinitio_node_fn fn, void *user) {
  to_c_visit a = {T, fn, user};
  nuem_abinitio_q_rule_blocks(m, in, T, q_kin, lambda2, visit_to_c, &a);
}

typedef struct {
  double u; /* 1/E */
  double sum[NUEM_NPROC];
} dsigma_sum;

static void add_dsigma(void *user, double q, double w, const double (*c)[3]) {
  (void)q;
  dsigma_sum *a = user;
  for (int p = 0; p < NUEM_NPROC; p++)
    a->sum[p] += w * (c[p][0] + a->u * (c[p][1] + a->u * c[p][2]));
}

void nuem_abinitio_dsigma_dt(const nuem_abinitio *m, const nuem_interaction *in, double E,
                             double T, double out[NUEM_NPROC]) {
  dsigma_sum a = {.u = 1.0 / E};
  nuem_abinitio_q_rule(m, in, T, 2.0 * E - T, nuem_abinitio_lambda2(m, E, T), add_dsigma, &a);
  memcpy(out, a.sum, sizeof a.sum);
}

nuem_status nuem_abinitio_check_fold(nuem_context *ctx, const nuem_abinitio *m,
                                     const nuem_interaction *in) {
  if (m->pole.regulator == NUEM_POLE_NEUTRINO_MASS && in->q != 0)
    return nuem_error(ctx, NUEM_ECONFIG, "atomic.pole_regulator = neutrino-mass makes the "
                      "millicharge's photon pole depend on E, which the spectrum's flux-moment "
                      "fold cannot carry; use the plasma regulator for spectra (the neutrino "
                      "mass works in `nuem xsec`), or set physics.q_nu = 0 e");
  return NUEM_OK;
}

/* Bound orbitals of the ab-initio atomic response: Roothaan-Hartree-Fock
 * Slater-type expansions (Koga et al., IJQC 71, 491 (1999)) compiled in
 * from data/atomic/, and the central potential the continuum electron moves
 * in (docs/physics.md, "Ab-initio atomic response"). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_gamma.h>

#include "abinitio_internal.h"
#include "nuem/constants.h"

enum { MAX_TOKENS = 32, POT_POINTS = 4000, CHI_POINTS = 400 };

/* ---- radial functions ---------------------------------------------------- */

double abi_orbital_P(const abi_orbital *o, double r, double *dP) {
  double P = 0, d = 0;
  for (size_t j = 0; j < o->nsto; j++) {
    int n = o->sto_n[j];
    double e = o->c[j] * exp(-o->zeta[j] * r);
    double rn = pow(r, n - 1);
    P += e * rn * r; /* P = r R */
    d += e * rn * (n - o->zeta[j] * r);
  }
  if (dP) *dP = d;
  return P;
}

double nuem_atom_radial(const nuem_atom *a, size_t s, double r, double *dP) {
  return abi_orbital_P(&a->orb[a->sub_orbital[s]], r, dP);
}

/* ---- quadrature of orbital moments (GSL QAGIU) ---------------------------- */

typedef struct {
  const abi_orbital *o;
  int k, kinetic;
} moment_args;

static double moment_integrand(double r, void *p) {
  const moment_args *m = p;
  double dP, P = abi_orbital_P(m->o, r, &dP);
  if (m->kinetic) /* <-1/2 nabla^2> = 1/2 int (P'^2 + l(l+1) P^2 / r^2) dr */
    return 0.5 * (dP * dP + (r > 0 ? m->o->l * (m->o->l + 1) * P * P / (r * r) : 0));
  return P * P * pow(r, m->k);
}

static nuem_status orbital_integral(nuem_context *ctx, const abi_orbital *o, int k, int kinetic,
                                    double *value) {
  moment_args m = {o, k, kinetic};
  gsl_function f = {moment_integrand, &m};
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  if (!w) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  double err;
  int rc = gsl_integration_qagiu(&f, 0, 1e-13, 1e-11, 1000, w, value, &err);
  gsl_integration_workspace_free(w);
  if (rc) return nuem_error(ctx, NUEM_ENUMERIC, "orbital %s: quadrature failed (%s)", o->name,
                            gsl_strerror(rc));
  return NUEM_OK;
}

nuem_status nuem_atom_moment(nuem_context *ctx, const nuem_atom *a, size_t s, int k,
                             double *value) {
  return orbital_integral(ctx, &a->orb[a->sub_orbital[s]], k, 0, value);
}

nuem_status nuem_atom_kinetic(nuem_context *ctx, const nuem_atom *a, size_t s, double *value) {
  return orbital_integral(ctx, &a->orb[a->sub_orbital[s]], 0, 1, value);
}

/* ---- the data file ---------------------------------------------------------- */

static size_t split(char *line, char **tok) {
  size_t n = 0;
  for (char *p = strtok(line, " \t\r"); p && n < MAX_TOKENS; p = strtok(NULL, " \t\r"))
    tok[n++] = p;
  return n;
}

static int number(const char *s, double *x) {
  char *end;
  *x = strtod(s, &end);
  return end != s && !*end && isfinite(*x);
}

typedef struct {
  nuem_atom *a;
  size_t block_first, block_n; /* the orbitals of the current block */
  int block_l;
  const char *file;
  size_t line;
} parser;

static nuem_status bad(nuem_context *ctx, const parser *ps, const char *what) {
  return nuem_error(ctx, NUEM_EPARSE, "%s: line %zu: %s", ps->file, ps->line, what);
}

static nuem_status parse_block(nuem_context *ctx, parser *ps, char **tok, size_t n) {
  static const char letters[] = "SPDF";
  const char *at = n >= 3 && strlen(tok[1]) == 1 ? strchr(letters, tok[1][0]) : NULL;
  if (!at) return bad(ctx, ps, "block needs a symmetry (S, P, D, F) and orbital names");
  nuem_atom *a = ps->a;
  abi_orbital *grown = realloc(a->orb, (a->norb + n - 2) * sizeof *grown);
  if (!grown) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  a->orb = grown;
  ps->block_first = a->norb;
  ps->block_n = n - 2;
  ps->block_l = (int)(at - letters);
  for (size_t i = 2; i < n; i++) {
    abi_orbital *o = &a->orb[a->norb++];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", tok[i]);
    o->n = atoi(tok[i]);
    o->l = ps->block_l;
    if (o->n <= o->l) return bad(ctx, ps, "orbital name must be like 2p");
  }
  return NUEM_OK;
}

static nuem_status parse_per_orbital(nuem_context *ctx, parser *ps, char **tok, size_t n,
                                     int energy) {
  if (!ps->block_n || n != ps->block_n + 1) return bad(ctx, ps, "one value per orbital of the block");
  for (size_t i = 0; i < ps->block_n; i++) {
    double x;
    if (!number(tok[i + 1], &x)) return bad(ctx, ps, "not a number");
    abi_orbital *o = &ps->a->orb[ps->block_first + i];
    if (energy) {
      if (!(x < 0)) return bad(ctx, ps, "orbital energies are negative");
      o->energy = x;
    } else {
      if (!(x > 0)) return bad(ctx, ps, "occupancies are positive");
      o->electrons = x;
    }
  }
  return NUEM_OK;
}

static nuem_status parse_sto(nuem_context *ctx, parser *ps, char **tok, size_t n) {
  double zeta;
  if (!ps->block_n || n != ps->block_n + 3) return bad(ctx, ps, "sto NL zeta and one coefficient per orbital");
  int nq = atoi(tok[1]);
  if (nq < 1 || nq > 10 || !number(tok[2], &zeta) || !(zeta > 0))
    return bad(ctx, ps, "sto needs a principal number 1..10 and an exponent > 0");
  double norm = pow(2 * zeta, nq + 0.5) / sqrt(gsl_sf_fact((unsigned)(2 * nq)));
  for (size_t i = 0; i < ps->block_n; i++) {
    abi_orbital *o = &ps->a->orb[ps->block_first + i];
    double c;
    if (!number(tok[i + 3], &c)) return bad(ctx, ps, "not a number");
    int *sn = realloc(o->sto_n, (o->nsto + 1) * sizeof *sn);
    if (sn) o->sto_n = sn;
    double *z = realloc(o->zeta, (o->nsto + 1) * sizeof *z);
    if (z) o->zeta = z;
    double *cc = realloc(o->c, (o->nsto + 1) * sizeof *cc);
    if (cc) o->c = cc;
    if (!sn || !z || !cc) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
    o->sto_n[o->nsto] = nq;
    o->zeta[o->nsto] = zeta;
    o->c[o->nsto++] = c * norm;
  }
  return NUEM_OK;
}

static nuem_status parse_subshell(nuem_context *ctx, parser *ps, char **tok, size_t n) {
  nuem_atom *a = ps->a;
  double edge, electrons;
  if (n != 5 || !number(tok[3], &edge) || !number(tok[4], &electrons) || !(edge > 0) ||
      !(electrons > 0) || strlen(tok[1]) >= NUEM_SHELL_NAME)
    return bad(ctx, ps, "subshell NAME ORBITAL EDGE_eV ELECTRONS");
  size_t o = 0;
  while (o < a->norb && strcmp(a->orb[o].name, tok[2]) != 0) o++;
  if (o == a->norb) return bad(ctx, ps, "subshell of an orbital not defined above");
  nuem_subshell *sub = realloc(a->sub, (a->nsub + 1) * sizeof *sub);
  if (sub) a->sub = sub;
  size_t *so = realloc(a->sub_orbital, (a->nsub + 1) * sizeof *so);
  if (so) a->sub_orbital = so;
  if (!sub || !so) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  nuem_subshell *x = &a->sub[a->nsub];
  snprintf(x->name, sizeof x->name, "%s", tok[1]);
  x->n = a->orb[o].n;
  x->l = a->orb[o].l;
  x->electrons = electrons;
  x->orbital_energy = a->orb[o].energy;
  x->edge_experimental = edge;
  a->sub_orbital[a->nsub++] = o;
  return NUEM_OK;
}

static nuem_status parse_line(nuem_context *ctx, parser *ps, char **tok, size_t n) {
  nuem_atom *a = ps->a;
  double x;
  if (!strcmp(tok[0], "element")) {
    if (n != 3 || strlen(tok[1]) >= sizeof a->element || (a->Z = atoi(tok[2])) < 1)
      return bad(ctx, ps, "element SYMBOL Z");
    snprintf(a->element, sizeof a->element, "%s", tok[1]);
  } else if (!strcmp(tok[0], "energy_total") || !strcmp(tok[0], "energy_kinetic")) {
    if (n != 2 || !number(tok[1], &x)) return bad(ctx, ps, "one energy in hartree");
    if (!strcmp(tok[0], "energy_total")) a->e_total = x;
    else a->e_kinetic = x;
  } else if (!strcmp(tok[0], "block")) {
    return parse_block(ctx, ps, tok, n);
  } else if (!strcmp(tok[0], "occupancy") || !strcmp(tok[0], "orbital_energy")) {
    return parse_per_orbital(ctx, ps, tok, n, !strcmp(tok[0], "orbital_energy"));
  } else if (!strcmp(tok[0], "sto")) {
    return parse_sto(ctx, ps, tok, n);
  } else if (!strcmp(tok[0], "subshell")) {
    return parse_subshell(ctx, ps, tok, n);
  } else {
    return bad(ctx, ps, "unknown directive");
  }
  return NUEM_OK;
}

static nuem_status parse_atom(nuem_context *ctx, const char *text, size_t len, const char *file,
                              nuem_atom *a) {
  char *copy = malloc(len + 1);
  if (!copy) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  memcpy(copy, text, len);
  copy[len] = 0;
  parser ps = {a, 0, 0, 0, file, 0};
  nuem_status s = NUEM_OK;
  char *line = copy;
  while (line && !s) {
    char *next = strchr(line, '\n');
    if (next) *next++ = 0;
    ps.line++;
    char *tok[MAX_TOKENS];
    if (line[0] != '#') {
      size_t n = split(line, tok);
      if (n) s = parse_line(ctx, &ps, tok, n);
    }
    line = next;
  }
  free(copy);
  if (!s && (!a->Z || !a->nsub)) s = nuem_error(ctx, NUEM_EPARSE, "%s: no element or no subshells", file);
  return s;
}

/* ---- derived per-orbital data ---------------------------------------------------- */

/* Where the orbital keeps < 1e-9 of its norm outside: the radial
 * integrals stop there (docs/physics.md, numerics). */
static double orbital_extent(const abi_orbital *o) {
  double r = 60, tail = 0, dr = 0.01;
  for (; r > dr; r -= dr) {
    double P = abi_orbital_P(o, r, NULL);
    tail += P * P * dr;
    if (tail > 1e-9) break;
  }
  return r;
}

/* chi(p) = int r P(r) j_l(p r) dr on a log p grid up to 100/bohr (the
 * plane-wave impulse form is used only for outer shells, whose momenta are
 * far below that); trapezoid on a uniform r grid, 16 points per wavelength. */
static nuem_status orbital_momentum(nuem_context *ctx, abi_orbital *o) {
  const double p_min = 1e-3, p_max = 100, h = 0.004;
  size_t nr = (size_t)(o->r_ext / h) + 1;
  double *rP = malloc(nr * sizeof *rP);
  o->np = CHI_POINTS;
  o->p = malloc(o->np * sizeof *o->p);
  o->chi = malloc(o->np * sizeof *o->chi);
  if (!rP || !o->p || !o->chi) {
    free(rP);
    return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  }
  for (size_t i = 0; i < nr; i++) rP[i] = i * h * abi_orbital_P(o, i * h, NULL);
  for (size_t j = 0; j < o->np; j++) {
    double p = p_min * pow(p_max / p_min, (double)j / (o->np - 1)), sum = 0;
    for (size_t i = 1; i < nr; i++) sum += rP[i] * gsl_sf_bessel_jl(o->l, p * i * h);
    o->p[j] = p;
    o->chi[j] = sum * h;
  }
  free(rP);
  o->chi_spline = gsl_spline_alloc(gsl_interp_cspline, o->np);
  if (!o->chi_spline) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  gsl_spline_init(o->chi_spline, o->p, o->chi, o->np);
  return NUEM_OK;
}

/* ---- the central potential --------------------------------------------------- */

/* V = -Z/r + V_H[rho_HF] - (3 rho/pi)^(1/3), then V <- min(V, -z_ion/r)
 * (Hartree from the RHF density, Kohn-Sham-Gaspar local exchange, Latter
 * tail; docs/physics.md). A one-electron atom leaves a bare nucleus: -Z/r. */
static nuem_status build_potential(nuem_context *ctx, nuem_atom *a) {
  const size_t n = POT_POINTS;
  a->r_min = 1e-5;
  a->r_max = 60;
  double dx = log(a->r_max / a->r_min) / (n - 1);
  double *x = malloc(n * sizeof *x), *rho = malloc(n * sizeof *rho),
         *inner = malloc(n * sizeof *inner), *outer = malloc(n * sizeof *outer),
         *zeff = malloc(n * sizeof *zeff);
  nuem_status s = NUEM_OK;
  if (!x || !rho || !inner || !outer || !zeff) {
    s = nuem_error(ctx, NUEM_ENOMEM, "atomic potential: out of memory");
    goto done;
  }
  double electrons = 0;
  for (size_t o = 0; o < a->norb; o++) electrons += a->orb[o].electrons;
  for (size_t i = 0; i < n; i++) {
    double r = a->r_min * exp(i * dx);
    x[i] = log(r);
    rho[i] = 0; /* radial density 4 pi r^2 rho(r) */
    for (size_t o = 0; o < a->norb; o++) {
      double P = abi_orbital_P(&a->orb[o], r, NULL);
      rho[i] += a->orb[o].electrons * P * P;
    }
  }
  /* inner(r) = int_0^r rho dr', outer(r) = int_r^inf rho/r' dr' (dr = r dx) */
  inner[0] = rho[0] * a->r_min / 3; /* rho ~ r^2 below r_min */
  for (size_t i = 1; i < n; i++)
    inner[i] = inner[i - 1] + 0.5 * dx * (rho[i] * exp(x[i]) + rho[i - 1] * exp(x[i - 1]));
  outer[n - 1] = 0;
  for (size_t i = n - 1; i-- > 0;) outer[i] = outer[i + 1] + 0.5 * dx * (rho[i] + rho[i + 1]);
  a->z_ion = a->Z - electrons + 1;
  a->r_tail = 0;
  for (size_t i = 0; i < n; i++) {
    double r = exp(x[i]);
    double V = -a->Z / r;
    if (electrons > 1) {
      double dens = rho[i] / (4 * NUEM_PI * r * r);
      V += inner[i] / r + outer[i] - cbrt(3 * dens / NUEM_PI);
    }
    if (V > -a->z_ion / r) {
      V = -a->z_ion / r;
    } else {
      a->r_tail = r;
    }
    zeff[i] = -r * V;
  }
  a->zeff_min = zeff[0];
  a->zeff = gsl_spline_alloc(gsl_interp_cspline, n);
  if (!a->zeff) {
    s = nuem_error(ctx, NUEM_ENOMEM, "atomic potential: out of memory");
    goto done;
  }
  gsl_spline_init(a->zeff, x, zeff, n);
done:
  free(x), free(rho), free(inner), free(outer), free(zeff);
  return s;
}

double abi_potential(const nuem_atom *a, double r) {
  if (r >= a->r_tail) return -a->z_ion / r;
  if (r <= a->r_min) return -a->zeff_min / r;
  return -gsl_spline_eval(a->zeff, log(r), NULL) / r;
}

/* ---- construction ------------------------------------------------------------------- */

static nuem_status finish_atom(nuem_context *ctx, nuem_atom *a) {
  for (size_t o = 0; o < a->norb; o++) {
    abi_orbital *orb = &a->orb[o];
    if (!orb->nsto || !(orb->electrons > 0) || !(orb->energy < 0))
      return nuem_error(ctx, NUEM_EPARSE, "%s: orbital %s lacks STO terms, occupancy or energy",
                        a->element, orb->name);
    orb->r_ext = orbital_extent(orb);
    nuem_status s = orbital_momentum(ctx, orb);
    if (s) return s;
  }
  return build_potential(ctx, a);
}

nuem_status nuem_atom_load(nuem_context *ctx, const char *symbol, nuem_atom **out) {
  *out = NULL;
  char name[64];
  size_t len;
  if (!symbol || strlen(symbol) > 8)
    return nuem_error(ctx, NUEM_EUSAGE, "atomic response: an element symbol such as Ge");
  snprintf(name, sizeof name, "atomic/%s.dat", symbol);
  const char *text = nuem_data_find(name, &len);
  if (!text) {
    char known[128] = "";
    for (size_t i = 0; nuem_data_name(i); i++) {
      const char *f = nuem_data_name(i);
      /* orbital files are atomic/SYMBOL.dat; response tables carry a '_' */
      if (strncmp(f, "atomic/", 7) == 0 && !strchr(f, '_') &&
          strlen(known) + strlen(f) < sizeof known)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%.*s", *known ? " " : "",
                 (int)(strlen(f) - 11), f + 7);
    }
    return nuem_error(ctx, NUEM_EFILE, "no atomic orbital data for element '%s' (compiled in: "
                      "%s; docs/physics.md, \"Ab-initio atomic response\")", symbol, known);
  }
  nuem_atom *a = calloc(1, sizeof *a);
  if (!a) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  nuem_status s = parse_atom(ctx, text, len, name, a);
  if (!s) s = finish_atom(ctx, a);
  if (s) {
    nuem_atom_free(a);
    return s;
  }
  *out = a;
  return NUEM_OK;
}

nuem_status nuem_atom_hydrogenic(nuem_context *ctx, int Z, nuem_atom **out) {
  *out = NULL;
  if (Z < 1 || Z > 120) return nuem_error(ctx, NUEM_ERANGE, "hydrogenic atom: Z = %d", Z);
  nuem_atom *a = calloc(1, sizeof *a);
  if (!a) return nuem_error(ctx, NUEM_ENOMEM, "atomic orbitals: out of memory");
  char text[512];
  /* R_1s = 2 Z^(3/2) e^(-Z r): one 1S Slater function of exponent Z */
  int len = snprintf(text, sizeof text,
                     "element H%d %d\nblock S 1s\noccupancy 1\norbital_energy %.17g\n"
                     "sto 1S %d 1\nsubshell 1s 1s %.17g 1\n",
                     Z, Z, -0.5 * Z * Z, Z, 0.5 * Z * Z * ABI_EH_MEV * 1e6);
  nuem_status s = parse_atom(ctx, text, (size_t)len, "hydrogenic", a);
  if (!s) s = finish_atom(ctx, a);
  if (s) {
    nuem_atom_free(a);
    return s;
  }
  *out = a;
  return NUEM_OK;
}

void nuem_atom_free(nuem_atom *a) {
  if (!a) return;
  for (size_t o = 0; o < a->norb; o++) {
    abi_orbital *orb = &a->orb[o];
    free(orb->sto_n), free(orb->zeta), free(orb->c), free(orb->p), free(orb->chi);
    if (orb->chi_spline) gsl_spline_free(orb->chi_spline);
  }
  free(a->orb), free(a->sub), free(a->sub_orbital);
  if (a->zeff) gsl_spline_free(a->zeff);
  free(a);
}

const char *nuem_atom_element(const nuem_atom *a) { return a->element; }
int nuem_atom_Z(const nuem_atom *a) { return a->Z; }
size_t nuem_atom_nsubshells(const nuem_atom *a) { return a->nsub; }
const nuem_subshell *nuem_atom_subshell(const nuem_atom *a, size_t s) {
  return s < a->nsub ? &a->sub[s] : NULL;
}
double nuem_atom_energy_total(const nuem_atom *a) { return a->e_total; }
double nuem_atom_energy_kinetic(const nuem_atom *a) { return a->e_kinetic; }

double nuem_atom_edge(const nuem_atom *a, size_t s, nuem_edge_rule rule) {
  if (rule == NUEM_EDGES_KOOPMANS) return -a->sub[s].orbital_energy * ABI_EH_MEV;
  return a->sub[s].edge_experimental * 1e-6;
}

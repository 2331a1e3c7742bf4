/* Solar neutrino source: B16 fluxes, Bahcall's spectral shapes, lines, and
 * the MSW-LMA flavour conversion averaged over each component's production
 * region. Formulas and sources: docs/physics.md, "Source: solar neutrinos". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "source_internal.h"

/* Names in source.components, in the order of data/solar/fluxes_b16.dat. */
static const char *const component_names[NUEM_SOLAR_NCOMPONENTS] = {
    [NUEM_SOLAR_PP] = "pp",   [NUEM_SOLAR_PEP] = "pep", [NUEM_SOLAR_HEP] = "hep",
    [NUEM_SOLAR_BE7] = "7Be", [NUEM_SOLAR_B8] = "8B",   [NUEM_SOLAR_N13] = "13N",
    [NUEM_SOLAR_O15] = "15O", [NUEM_SOLAR_F17] = "17F"};
/* Spectral shapes (NULL: the component is lines only, data/solar/lines.dat). */
static const char *const shape_files[NUEM_SOLAR_NCOMPONENTS] = {
    [NUEM_SOLAR_PP] = "solar/pp.dat",   [NUEM_SOLAR_HEP] = "solar/hep.dat",
    [NUEM_SOLAR_B8] = "solar/b8.dat",   [NUEM_SOLAR_N13] = "solar/n13.dat",
    [NUEM_SOLAR_O15] = "solar/o15.dat", [NUEM_SOLAR_F17] = "solar/f17.dat"};
/* Columns of the production distributions (data/solar/nudistr_b16_*.dat). */
static const char *const distr_columns[NUEM_SOLAR_NCOMPONENTS] = {
    "pp", "pep", "hep", "be7", "b8", "n13", "o15", "f17"};

/* The Earth's orbit: eccentricity and the day of perihelion (early January;
 * Astronomical Almanac); the SSM fluxes are quoted at 1 AU. */
#define ORBIT_ECCENTRICITY 0.0167
#define PERIHELION_DAY 3.0
#define DAYS_PER_YEAR 365.256
/* The <cos 2 theta12^m>(E) tables: log-spaced in E over the solar range. */
#define MIX_E_MIN 1e-4 /* MeV */
#define MIX_E_MAX 20.0 /* MeV */
enum { MIX_POINTS = 400 };

/* NuFIT 5.0 normal-ordering best fit with Super-Kamiokande atmospheric data
 * (Esteban et al., JHEP 09 (2020) 178, arXiv:2007.14792; docs/physics.md). */
static const struct {
  double dm21_ev2, theta12, theta13, theta23, delta;
} nufit50 = {7.42e-5, 0.583638, 0.149575, 0.85521, 3.40339};

typedef struct {
  double flux[NUEM_SOLAR_NCOMPONENTS]; /* /cm2/s at the detector, 0 if not selected */
  nuem_interp *shape[NUEM_SOLAR_NCOMPONENTS];  /* dN/dE normalised to 1 [1/MeV] */
  nuem_interp *cos2m[NUEM_SOLAR_NCOMPONENTS];  /* <cos 2 theta12^m>(E) */
  int mixing;                           /* 0: no conversion, all nu_e */
  double c13sq, s13sq;
  double u2[NUEM_NLEPTONS][3];          /* |U_alpha i|^2 */
  double cos2t12, sin2_2t12, dm21;      /* dm21 in MeV^2 */
} solar_state;

const char *nuem_solar_component_name(int c) {
  return c >= 0 && c < NUEM_SOLAR_NCOMPONENTS ? component_names[c] : "?";
}

int nuem_solar_component_from_name(const char *name, size_t len) {
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++)
    if (strlen(component_names[c]) == len && strncmp(component_names[c], name, len) == 0)
      return c;
  return -1;
}

/* source.components: "all" or names separated by spaces or commas. */
static nuem_status select_components(nuem_context *ctx, const char *text,
                                     int selected[NUEM_SOLAR_NCOMPONENTS]) {
  size_t n = 0;
  for (const char *p = text; *p;) {
    p += strspn(p, " \t,");
    size_t len = strcspn(p, " \t,");
    if (!len) break;
    int c = len == 3 && strncmp(p, "all", 3) == 0 ? NUEM_SOLAR_NCOMPONENTS
                                                   : nuem_solar_component_from_name(p, len);
    if (c < 0)
      return nuem_error(ctx, NUEM_ECONFIG, "source.components: unknown solar component "
                        "'%.*s' (choose all, or from pp pep hep 7Be 8B 13N 15O 17F)",
                        (int)len, p);
    for (int k = 0; k < NUEM_SOLAR_NCOMPONENTS; k++)
      if (c == NUEM_SOLAR_NCOMPONENTS || k == c) selected[k] = 1;
    n++;
    p += len;
  }
  if (!n)
    return nuem_error(ctx, NUEM_ECONFIG, "source.components is empty: give all, or some "
                      "of pp pep hep 7Be 8B 13N 15O 17F");
  return NUEM_OK;
}

/* Flux at the detector relative to 1 AU: the annual mean of (1 AU / r)^2,
 * 1/sqrt(1 - e^2), or its value on one day, (1 - e cos M)^-2 to first
 * order in e. */
static nuem_status distance_factor(nuem_context *ctx, const nuem_config *cfg,
                                   double *factor) {
  double e = ORBIT_ECCENTRICITY;
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_DAY_OF_YEAR)) {
    *factor = 1.0 / sqrt(1.0 - e * e);
    return NUEM_OK;
  }
  double day = nuem_config_number(cfg, NUEM_P_SOURCE_DAY_OF_YEAR);
  if (day > 366.0)
    return nuem_error(ctx, NUEM_ERANGE, "source.day_of_year = %g must lie in [0, 366]", day);
  double M = 2.0 * NUEM_PI * (day - PERIHELION_DAY) / DAYS_PER_YEAR;
  *factor = 1.0 / ((1.0 - e * cos(M)) * (1.0 - e * cos(M)));
  return NUEM_OK;
}

/* Fluxes of the selected components for the configured model. */
static nuem_status load_fluxes(nuem_context *ctx, const nuem_config *cfg,
                               const int selected[NUEM_SOLAR_NCOMPONENTS], double factor,
                               solar_state *st) {
  nuem_table t;
  NUEM_TRY(nuem_source_data(ctx, "solar/fluxes_b16.dat", &t));
  int agss = nuem_config_choice_is(cfg, NUEM_P_SOURCE_SOLAR_MODEL, "b16-agss09met");
  long col = nuem_table_column(&t, agss ? "phi_agss09met" : "phi_gs98");
  nuem_status s = NUEM_OK;
  if (col < 0 || t.nrows != NUEM_SOLAR_NCOMPONENTS)
    s = nuem_error(ctx, NUEM_EINTERNAL, "solar/fluxes_b16.dat: expected %d rows and a "
                   "column for the model", NUEM_SOLAR_NCOMPONENTS);
  for (int c = 0; !s && c < NUEM_SOLAR_NCOMPONENTS; c++)
    st->flux[c] = selected[c] ? factor * nuem_table_get(&t, (size_t)c, (size_t)col) : 0.0;
  nuem_table_free(&t);
  return s;
}

/* One shape, linear between its points, normalised to 1 by its exact
 * (trapezoid) integral; its rows become integration knots. */
static nuem_status load_shape(nuem_context *ctx, int c, nuem_source *src, solar_state *st) {
  nuem_table t;
  NUEM_TRY(nuem_source_data(ctx, shape_files[c], &t));
  size_t n = t.nrows;
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), norm = 0;
  double *knots = realloc(src->knots, (src->nknots + n) * sizeof *knots);
  nuem_status s = x && y && knots ? NUEM_OK : NUEM_ENOMEM;
  if (knots) src->knots = knots;
  for (size_t r = 0; !s && r < n; r++) {
    x[r] = nuem_table_get(&t, r, 0);
    y[r] = nuem_table_get(&t, r, 1);
    if (r) norm += 0.5 * (y[r] + y[r - 1]) * (x[r] - x[r - 1]);
    knots[src->nknots++] = x[r];
  }
  if (!s && !(norm > 0))
    s = nuem_error(ctx, NUEM_EINTERNAL, "%s: the shape integrates to %g", shape_files[c], norm);
  for (size_t r = 0; !s && r < n; r++) y[r] /= norm;
  if (!s)
    s = nuem_interp_new(ctx, x, y, n, NUEM_INTERP_LINEAR, NUEM_OUTSIDE_ZERO, shape_files[c],
                        &st->shape[c]);
  if (!s) {
    src->e_min = fmin(src->e_min, x[0]);
    src->e_max = fmax(src->e_max, x[n - 1]);
  }
  free(x);
  free(y);
  nuem_table_free(&t);
  return s;
}

/* |U_alpha i|^2 of the PMNS matrix (PDG parametrisation). */
static void pmns_squares(double t12, double t13, double t23, double delta,
                         double u2[NUEM_NLEPTONS][3]) {
  double s12 = sin(t12), c12 = cos(t12), s13 = sin(t13), c13 = cos(t13);
  double s23 = sin(t23), c23 = cos(t23), j = 2.0 * s12 * c12 * s23 * c23 * s13 * cos(delta);
  u2[0][0] = c12 * c12 * c13 * c13;
  u2[0][1] = s12 * s12 * c13 * c13;
  u2[0][2] = s13 * s13;
  u2[1][0] = s12 * s12 * c23 * c23 + c12 * c12 * s23 * s23 * s13 * s13 + j;
  u2[1][1] = c12 * c12 * c23 * c23 + s12 * s12 * s23 * s23 * s13 * s13 - j;
  u2[1][2] = s23 * s23 * c13 * c13;
  u2[2][0] = s12 * s12 * s23 * s23 + c12 * c12 * c23 * c23 * s13 * s13 - j;
  u2[2][1] = c12 * c12 * s23 * s23 + s12 * s12 * c23 * c23 * s13 * s13 + j;
  u2[2][2] = c23 * c23 * c13 * c13;
}

/* cos 2 theta12 in matter of electron density n_e [1/cm3] at energy E [MeV]:
 * beta = 2 sqrt2 G_F n_e E c13^2 / dm21 (docs/physics.md). */
static double cos2_matter(const solar_state *st, double n_e, double E) {
  double hbarc3 = NUEM_HBARC_MEV_CM * NUEM_HBARC_MEV_CM * NUEM_HBARC_MEV_CM;
  double beta = 2.0 * sqrt(2.0) * NUEM_GF * n_e * hbarc3 * E * st->c13sq / st->dm21;
  double a = st->cos2t12 - beta;
  return a / sqrt(a * a + st->sin2_2t12);
}

/* <cos 2 theta12^m>(E) of component c, averaged over where it is produced. */
static nuem_status average_mixing(nuem_context *ctx, const nuem_table *d, int c,
                                  solar_state *st) {
  long col = nuem_table_column(d, distr_columns[c]), ne_col = nuem_table_column(d, "log_ne");
  if (col < 0 || ne_col < 0)
    return nuem_error(ctx, NUEM_EINTERNAL, "solar production table: no column %s or log_ne",
                      distr_columns[c]);
  double E[MIX_POINTS], v[MIX_POINTS];
  for (int i = 0; i < MIX_POINTS; i++) {
    E[i] = MIX_E_MIN * pow(MIX_E_MAX / MIX_E_MIN, (double)i / (MIX_POINTS - 1));
    double sum = 0, weight = 0;
    for (size_t r = 0; r < d->nrows; r++) {
      double w = nuem_table_get(d, r, (size_t)col);
      double n_e = NUEM_AVOGADRO * pow(10.0, nuem_table_get(d, r, (size_t)ne_col));
      sum += w * cos2_matter(st, n_e, E[i]);
      weight += w;
    }
    v[i] = sum / weight;
  }
  return nuem_interp_new(ctx, E, v, MIX_POINTS, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_CLAMP,
                         "solar mixing table", &st->cos2m[c]);
}

static nuem_status setup_mixing(nuem_context *ctx, const nuem_config *cfg, solar_state *st) {
  st->mixing = nuem_config_choice_is(cfg, NUEM_P_SOURCE_OSCILLATIONS, "nufit-5.0");
  if (!st->mixing) return NUEM_OK;
  pmns_squares(nufit50.theta12, nufit50.theta13, nufit50.theta23, nufit50.delta, st->u2);
  st->c13sq = cos(nufit50.theta13) * cos(nufit50.theta13);
  st->s13sq = 1.0 - st->c13sq;
  st->cos2t12 = cos(2.0 * nufit50.theta12);
  st->sin2_2t12 = 1.0 - st->cos2t12 * st->cos2t12;
  st->dm21 = nufit50.dm21_ev2 * 1e-12; /* eV^2 -> MeV^2 */
  const char *file = nuem_config_choice_is(cfg, NUEM_P_SOURCE_SOLAR_MODEL, "b16-agss09met")
                         ? "solar/nudistr_b16_agss09.dat" : "solar/nudistr_b16_gs98.dat";
  nuem_table d;
  NUEM_TRY(nuem_source_data(ctx, file, &d));
  nuem_status s = NUEM_OK;
  for (int c = 0; !s && c < NUEM_SOLAR_NCOMPONENTS; c++)
    if (st->flux[c] > 0) s = average_mixing(ctx, &d, c, st);
  nuem_table_free(&d);
  return s;
}

double nuem_source_solar_probability(const nuem_source *src, int component, int flavour,
                                     double E) {
  const solar_state *st = src->solar;
  if (!st || component < 0 || component >= NUEM_SOLAR_NCOMPONENTS || flavour % 2) return 0.0;
  int lepton = NUEM_LEPTON(flavour);
  if (!st->mixing) return lepton == 0 ? 1.0 : 0.0;
  if (!st->cos2m[component]) return 0.0;
  /* Adiabatic: the mass states leave the Sun incoherently with
   * P1 = c13^2 cos^2 theta12^m, P2 = c13^2 sin^2 theta12^m, P3 = s13^2. */
  double cm = nuem_interp_eval(st->cos2m[component], E);
  double p1 = 0.5 * st->c13sq * (1.0 + cm), p2 = 0.5 * st->c13sq * (1.0 - cm);
  const double *u = st->u2[lepton];
  return u[0] * p1 + u[1] * p2 + u[2] * st->s13sq;
}

double nuem_solar_flux(const nuem_source *src, int flavour, double E) {
  const solar_state *st = src->solar;
  double sum = 0;
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++) {
    if (!st->shape[c] || !(st->flux[c] > 0)) continue;
    double f = st->flux[c] * nuem_interp_eval(st->shape[c], E);
    if (f > 0 && flavour >= 0) f *= nuem_source_solar_probability(src, c, flavour, E);
    sum += f;
  }
  return src->scale * sum;
}

double nuem_source_solar_flux(const nuem_source *src, int component) {
  const solar_state *st = src->solar;
  return st && component >= 0 && component < NUEM_SOLAR_NCOMPONENTS
             ? src->scale * st->flux[component] : 0.0;
}

/* The lines of the selected components, with their flux in each flavour. */
static nuem_status add_lines(nuem_context *ctx, nuem_source *src, const solar_state *st) {
  nuem_table t;
  NUEM_TRY(nuem_source_data(ctx, "solar/lines.dat", &t));
  nuem_status s = NUEM_OK;
  for (size_t r = 0; !s && r < t.nrows; r++) {
    int c = (int)nuem_table_get(&t, r, 0) - 1;
    double E = nuem_table_get(&t, r, 1), frac = nuem_table_get(&t, r, 2);
    if (c < 0 || c >= NUEM_SOLAR_NCOMPONENTS || !(st->flux[c] > 0)) continue;
    nuem_source_line line = {.energy = E, .total = st->flux[c] * frac, .component = c};
    for (int f = 0; f < NUEM_NFLAVOURS; f++)
      line.flux[f] = line.total * nuem_source_solar_probability(src, c, f, E);
    s = nuem_source_add_line(ctx, src, &line);
    src->e_max = fmax(src->e_max, E);
    src->e_min = fmin(src->e_min, E);
  }
  nuem_table_free(&t);
  return s;
}

nuem_status nuem_solar_init(nuem_context *ctx, const nuem_config *cfg, int main_source,
                            nuem_source *src) {
  src->type = NUEM_SOURCE_SOLAR;
  if (main_source && nuem_config_given(cfg, NUEM_P_PHYSICS_FLAVOUR))
    return nuem_error(ctx, NUEM_ECONFIG, "physics.flavour is for reactor and table sources: "
                      "source.type = solar delivers nue, numu and nutau, mixed by the "
                      "survival probability (source.oscillations)");
  solar_state *st = calloc(1, sizeof *st);
  if (!st) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the solar source");
  src->solar = st;
  src->e_min = INFINITY;
  src->e_max = 0;
  int selected[NUEM_SOLAR_NCOMPONENTS] = {0};
  double factor = 1.0;
  NUEM_TRY(select_components(ctx, nuem_config_text(cfg, NUEM_P_SOURCE_COMPONENTS), selected));
  NUEM_TRY(distance_factor(ctx, cfg, &factor));
  NUEM_TRY(load_fluxes(ctx, cfg, selected, factor, st));
  NUEM_TRY(setup_mixing(ctx, cfg, st));
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++)
    if (selected[c] && shape_files[c]) NUEM_TRY(load_shape(ctx, c, src, st));
  NUEM_TRY(add_lines(ctx, src, st));
  src->nflavours = 0;
  src->flavours[src->nflavours++] = NUEM_NUE;
  if (st->mixing) {
    src->flavours[src->nflavours++] = NUEM_NUMU;
    src->flavours[src->nflavours++] = NUEM_NUTAU;
  }
  return NUEM_OK;
}

void nuem_solar_free(nuem_source *src) {
  solar_state *st = src->solar;
  if (!st) return;
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++) {
    nuem_interp_free(st->shape[c]);
    nuem_interp_free(st->cos2m[c]);
  }
  free(st);
  src->solar = NULL;
}

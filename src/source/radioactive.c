/* Radioactive neutrino sources: electron-capture lines (nu_e) and allowed
 * beta- continua (antinu_e), the activity averaged over the run, and the
 * source-detector geometry. Nuclear data and formulas: docs/physics.md,
 * "Source: radioactive". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "source_internal.h"

enum { MAX_LINES = 64, MAX_BRANCHES = 6, TEXT_MAX = 64 };
#define DAYS_PER_JULIAN_YEAR 365.25
/* Line branchings may sum to 1 up to rounding in the last digit. */
#define BRANCHING_SUM_SLACK 1e-9

typedef struct {
  double energy, branching; /* MeV, per decay */
} line_data;

typedef struct {
  double endpoint, intensity, a; /* MeV, per decay of the parent, mass number */
  int z;                         /* daughter */
} branch_data;

typedef struct {
  const char *name;
  double half_life; /* days */
  size_t nlines, nbranches;
  line_data line[MAX_LINES];
  branch_data branch[MAX_BRANCHES];
} nuclide_data;

/* Every number is cited in docs/physics.md, "Source: radioactive":
 * - 51Cr: T1/2 = 27.704 d (ENSDF); E_nu = Q_EC - E_level - B_shell with
 *   Q_EC = 752.39 keV (AME2020), the 320.08 keV level of 51V and the V
 *   K/L1 binding energies 5.465/0.628 keV (Bearden & Burr 1967);
 *   branchings 81.63/8.49/8.95/0.93 % (Bahcall, PRC 56, 3391 (1997)).
 * - 37Ar: 100 % EC to the 37Cl ground state, T1/2 = 35.04 d (DDEP,
 *   Chechev 2012); Q_EC = 813.87 keV (AME2020), Cl K/L1 binding 2.822/0.270
 *   keV; K 90.2 %, L+M 9.8 % (Bahcall 1997).
 * - 3H: T1/2 = 12.32 yr (ENSDF), Q = 18.592 keV (AME2020), superallowed.
 * - 144Ce (T1/2 = 284.91 d, ENSDF) with 144Pr (17.28 min) in secular
 *   equilibrium, one decay of each per 144Ce decay: 144Ce Q = 318.7 keV,
 *   branches to the 0, 80.1 and 133.5 keV levels of 144Pr; 144Pr
 *   Q = 2997.5 keV, 97.9 % to the 144Nd ground state, 1.04 % to the 696.5
 *   keV and 1.05 % to the 2185.7 keV level (ENSDF). */
static const nuclide_data nuclides[] = {
    {"51Cr", 27.704, 4, 0,
     {{0.74693, 0.8163}, {0.75176, 0.0849}, {0.42685, 0.0895}, {0.43168, 0.0093}},
     {{0, 0, 0, 0}}},
    {"37Ar", 35.04, 2, 0, {{0.81105, 0.902}, {0.81360, 0.098}}, {{0, 0, 0, 0}}},
    {"3H", 12.32 * DAYS_PER_JULIAN_YEAR, 0, 1, {{0, 0}}, {{0.018592, 1.0, 3, 2}}},
    {"144Ce", 284.91, 0, 6, {{0, 0}},
     {{0.3187, 0.765, 144, 59}, {0.2386, 0.039, 144, 59}, {0.1852, 0.196, 144, 59},
      {2.9975, 0.979, 144, 60}, {2.3010, 0.0104, 144, 60}, {0.8118, 0.0105, 144, 60}}},
};

/* One "E:branching" pair of source.lines (len characters at p). */
static nuem_status parse_line(nuem_context *ctx, const char *p, size_t len, line_data *out) {
  char buf[TEXT_MAX];
  const char *colon = memchr(p, ':', len);
  if (!colon || len >= sizeof buf)
    return nuem_error(ctx, NUEM_ECONFIG, "source.lines: '%.*s' is not an 'E:branching' pair, "
                      "e.g. '746.9 keV:0.8163'", (int)len, p);
  memcpy(buf, p, (size_t)(colon - p));
  buf[colon - p] = '\0';
  NUEM_TRY(nuem_quantity_parse(ctx, buf, "MeV", "source.lines energy", &out->energy));
  size_t blen = len - (size_t)(colon - p) - 1;
  memcpy(buf, colon + 1, blen);
  buf[blen] = '\0';
  char *end;
  out->branching = strtod(buf, &end);
  while (*end == ' ' || *end == '\t') end++;
  if (end == buf || *end)
    return nuem_error(ctx, NUEM_ECONFIG, "source.lines: the branching '%s' is not a number",
                      buf);
  if (!(out->energy > 0) || !isfinite(out->energy))
    return nuem_error(ctx, NUEM_ERANGE, "source.lines: a line energy of %g MeV; it must be "
                      "> 0", out->energy);
  if (!(out->branching > 0 && out->branching <= 1))
    return nuem_error(ctx, NUEM_ERANGE, "source.lines: a branching of %g; each must lie in "
                      "(0, 1]", out->branching);
  return NUEM_OK;
}

/* source.lines: comma-separated pairs, branchings summing to <= 1. */
static nuem_status parse_lines(nuem_context *ctx, const char *text, nuclide_data *nd) {
  double sum = 0;
  for (const char *p = text; *p;) {
    p += strspn(p, " \t,");
    size_t len = strcspn(p, ",");
    if (!len) break;
    if (nd->nlines == MAX_LINES)
      return nuem_error(ctx, NUEM_ECONFIG, "source.lines: more than %d lines", MAX_LINES);
    NUEM_TRY(parse_line(ctx, p, len, &nd->line[nd->nlines]));
    sum += nd->line[nd->nlines++].branching;
    p += len;
  }
  if (sum > 1.0 + BRANCHING_SUM_SLACK)
    return nuem_error(ctx, NUEM_ERANGE, "source.lines: the branchings sum to %.6g; at most "
                      "one neutrino per decay (sum <= 1)", sum);
  return NUEM_OK;
}

/* source.nuclide = user: EC lines or one allowed beta- branch, and its
 * half-life. */
static nuem_status user_nuclide(nuem_context *ctx, const nuem_config *cfg, nuclide_data *nd) {
  nd->name = "user";
  const char *lines = nuem_config_text(cfg, NUEM_P_SOURCE_LINES);
  int beta = nuem_config_is_set(cfg, NUEM_P_SOURCE_BETA_Q);
  if (!*lines == !beta)
    return nuem_error(ctx, NUEM_ECONFIG, "source.nuclide = user decays either by electron "
                      "capture (source.lines) or by beta- (source.beta_q, beta_z, beta_a): "
                      "give exactly one of them");
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_HALF_LIFE))
    return nuem_error(ctx, NUEM_ECONFIG, "source.nuclide = user needs source.half_life");
  nd->half_life = nuem_config_number(cfg, NUEM_P_SOURCE_HALF_LIFE) / NUEM_SECONDS_PER_DAY;
  if (*lines) return parse_lines(ctx, lines, nd);
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_BETA_Z) ||
      !nuem_config_is_set(cfg, NUEM_P_SOURCE_BETA_A))
    return nuem_error(ctx, NUEM_ECONFIG, "source.beta_q needs source.beta_z (the daughter's "
                      "atomic number) and source.beta_a (the mass number)");
  double z = nuem_config_number(cfg, NUEM_P_SOURCE_BETA_Z);
  double a = nuem_config_number(cfg, NUEM_P_SOURCE_BETA_A);
  /* Z alpha < 1 in the Fermi function: Z <= 137 */
  if (z != floor(z) || z > 137 || a != floor(a) || a < z)
    return nuem_error(ctx, NUEM_ERANGE, "source.beta_z = %g, beta_a = %g: whole numbers "
                      "with Z <= 137 and A >= Z", z, a);
  nd->nbranches = 1;
  nd->branch[0] = (branch_data){nuem_config_number(cfg, NUEM_P_SOURCE_BETA_Q), 1.0, a, (int)z};
  return NUEM_OK;
}

/* The nuclide's data: built in (half-life and lines evaluated), or the
 * user's. */
static nuem_status nuclide_from_config(nuem_context *ctx, const nuem_config *cfg,
                                       nuclide_data *nd) {
  const char *name = nuem_config_choice_name(cfg, NUEM_P_SOURCE_NUCLIDE);
  if (nuem_config_choice_is(cfg, NUEM_P_SOURCE_NUCLIDE, "none"))
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = radioactive needs source.nuclide "
                      "(51Cr, 37Ar, 3H, 144Ce or user)");
  if (nuem_config_choice_is(cfg, NUEM_P_SOURCE_NUCLIDE, "user")) return user_nuclide(ctx, cfg, nd);
  static const nuem_param user_keys[] = {NUEM_P_SOURCE_LINES, NUEM_P_SOURCE_BETA_Q,
                                         NUEM_P_SOURCE_BETA_Z, NUEM_P_SOURCE_BETA_A,
                                         NUEM_P_SOURCE_HALF_LIFE};
  for (size_t k = 0; k < sizeof user_keys / sizeof *user_keys; k++)
    if (nuem_config_given(cfg, user_keys[k]))
      return nuem_error(ctx, NUEM_ECONFIG, "source.%s is for source.nuclide = user; %s "
                        "carries its evaluated data (docs/physics.md, \"Source: "
                        "radioactive\")", nuem_param_info_get(user_keys[k])->key, name);
  for (size_t i = 0; i < sizeof nuclides / sizeof *nuclides; i++)
    if (strcmp(nuclides[i].name, name) == 0) {
      *nd = nuclides[i];
      return NUEM_OK;
    }
  return nuem_error(ctx, NUEM_EINTERNAL, "internal error: no data for nuclide %s", name);
}

/* Mean activity over a run of length T from A0 at its start:
 * A0 (1 - exp(-lambda T)) / (lambda T), lambda = ln 2 / T1/2 (-expm1
 * keeps the precision when lambda T is small). */
static double mean_activity(double a0, double half_life, double duration) {
  double lt = log(2.0) / half_life * duration;
  return a0 * -expm1(-lt) / lt;
}

static nuem_status emit(nuem_context *ctx, const nuclide_data *nd, double rate,
                        nuem_source *src) {
  for (size_t i = 0; i < nd->nlines; i++) {
    nuem_source_line line = {.energy = nd->line[i].energy, .total = rate * nd->line[i].branching};
    line.flux[NUEM_NUE] = line.total;
    NUEM_TRY(nuem_source_add_line(ctx, src, &line));
    src->e_max = fmax(src->e_max, line.energy);
    nuem_source_deliver(src, NUEM_NUE);
  }
  for (size_t i = 0; i < nd->nbranches; i++) {
    const branch_data *b = &nd->branch[i];
    nuem_continuum c = {.flavour = NUEM_ANTINUE, .shape = NUEM_SHAPE_BETA,
                        .flux = rate * b->intensity, .e_max = b->endpoint,
                        .beta = {.z_daughter = b->z, .mass_number = b->a,
                                 .endpoint = b->endpoint, .intensity = b->intensity}};
    nuem_status s = nuem_beta_normalise(ctx, &c.beta);
    if (!s) s = nuem_source_add_continuum(ctx, src, &c);
    if (s) {
      nuem_beta_free(&c.beta);
      return s;
    }
  }
  return NUEM_OK;
}

nuem_status nuem_radioactive_init(nuem_context *ctx, const nuem_config *cfg, nuem_source *src) {
  src->type = NUEM_SOURCE_RADIOACTIVE;
  if (nuem_config_given(cfg, NUEM_P_PHYSICS_FLAVOUR))
    return nuem_error(ctx, NUEM_ECONFIG, "physics.flavour is for reactor and table sources: "
                      "a radioactive source delivers nu_e (electron capture) or antinu_e "
                      "(beta-) by its nuclide");
  nuclide_data *nd = calloc(1, sizeof *nd);
  if (!nd) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the radioactive source");
  double per_area = 0;
  nuem_status s = nuclide_from_config(ctx, cfg, nd);
  if (!s && !nuem_config_is_set(cfg, NUEM_P_SOURCE_ACTIVITY))
    s = nuem_error(ctx, NUEM_ECONFIG, "source.type = radioactive needs source.activity (at "
                   "the start of the run, e.g. '3.414 MCi')");
  if (!s && !nuem_config_is_set(cfg, NUEM_P_SOURCE_DURATION))
    s = nuem_error(ctx, NUEM_ECONFIG, "source.type = radioactive needs source.duration (the "
                   "run over which the decaying activity is averaged)");
  if (!s) s = nuem_source_geometry(ctx, cfg, "radioactive", &per_area);
  if (!s) {
    src->activity = mean_activity(nuem_config_number(cfg, NUEM_P_SOURCE_ACTIVITY),
                                       nd->half_life * NUEM_SECONDS_PER_DAY,
                                       nuem_config_number(cfg, NUEM_P_SOURCE_DURATION));
    src->e_min = 0.0;
    s = emit(ctx, nd, src->activity * per_area, src);
  }
  if (!s) s = nuem_source_finish_knots(ctx, src);
  free(nd);
  return s;
}

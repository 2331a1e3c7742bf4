/* Atomic models: free electrons, stepping, EPA, user ratio tables, ab-initio
 * responses; auto picks ab-initio where nuem ships the element's responses. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/atomic.h"
#include "nuem/abinitio.h"
#include "nuem/constants.h"

struct nuem_atomic {
  nuem_atomic_options opt;
  const nuem_target *tgt;
  int flavour;                     /* picks flavour-specific table columns */
  double z_total;                  /* electrons per formula unit */
  nuem_interp *ratio[NUEM_NPROC];  /* table model: ratio per process (NULL: none) */
  nuem_interp **sigma;             /* EPA: photoabsorption per element */
  nuem_abinitio *abinitio;         /* ab-initio: responses of the element */
  const char *reason;              /* auto: why this model (else "") */
};

/* A column of a table as a function of T. Outside the table the value is
 * clamped here; atomic.extrapolation (error, clamp, free) is applied above
 * this level with nuem_interp_covers, so clamping only serves "clamp". */
static nuem_status curve_from_table(nuem_context *ctx, const nuem_table *t, size_t col,
                                    nuem_interp_scheme scheme, nuem_interp **out) {
  return nuem_interp_from_table(ctx, t, 0, col, scheme, NUEM_OUTSIDE_CLAMP, out);
}

/* Principal quantum number from a shell name (K = 1, L = 2, ...). */
static int principal(const char *shell) {
  static const char letters[] = "KLMNOPQ";
  const char *p = strchr(letters, toupper((unsigned char)shell[0]));
  return p ? (int)(p - letters) + 1 : 0;
}

double nuem_atomic_z_eff(const nuem_target *tgt, double T) {
  double z = 0;
  for (size_t i = 0; i < tgt->nelements; i++) {
    const nuem_element *el = &tgt->elements[i];
    int valence = 0;
    for (size_t k = 0; k < el->nshells; k++)
      if (principal(el->shells[k].name) > valence) valence = principal(el->shells[k].name);
    int n = 0;
    for (size_t k = 0; k < el->nshells; k++)
      if (principal(el->shells[k].name) == valence || T >= el->shells[k].binding)
        n += el->shells[k].electrons;
    z += el->count * n;
  }
  return z;
}

static const nuem_choice atomic_models[] = {
    {"free", NUEM_ATOMIC_FREE}, {"stepping", NUEM_ATOMIC_STEPPING},
    {"epa", NUEM_ATOMIC_EPA}, {"table", NUEM_ATOMIC_TABLE},
    {"ab-initio", NUEM_ATOMIC_AB_INITIO}, {"auto", NUEM_ATOMIC_AUTO}};
static const nuem_choice pole_regulators[] = {
    {"plasma", NUEM_POLE_PLASMA}, {"neutrino-mass", NUEM_POLE_NEUTRINO_MASS}};
static const nuem_choice extrapolations[] = {
    {"error", NUEM_EXTRAP_ERROR}, {"clamp", NUEM_EXTRAP_CLAMP}, {"free", NUEM_EXTRAP_FREE}};

nuem_status nuem_atomic_options_from_config(nuem_context *ctx,
                                            const nuem_config *cfg,
                                            nuem_atomic_options *opt) {
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ATOMIC_MODEL, atomic_models, &opt->model));
  opt->table = opt->model == NUEM_ATOMIC_TABLE ? nuem_config_text(cfg, NUEM_P_ATOMIC_TABLE) : "";
  opt->photoabsorption = "";
  opt->extrapolation = NUEM_EXTRAP_ERROR;
  opt->q_min = opt->q_max = 0;
  opt->response_table = "";
  opt->free_above = 0;
  opt->pole = (nuem_pole_options){NUEM_POLE_PLASMA, 44.13e-6, 0.05e-6};
  int ab_initio = opt->model == NUEM_ATOMIC_AB_INITIO || opt->model == NUEM_ATOMIC_AUTO;
  if (ab_initio) {
    opt->response_table = nuem_config_text(cfg, NUEM_P_ATOMIC_RESPONSE_TABLE);
    opt->free_above = nuem_config_is_set(cfg, NUEM_P_ATOMIC_FREE_ABOVE)
                          ? nuem_config_number(cfg, NUEM_P_ATOMIC_FREE_ABOVE) : 0.0;
    NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ATOMIC_POLE_REGULATOR, pole_regulators,
                                    &opt->pole.regulator));
    if (opt->pole.regulator == NUEM_POLE_PLASMA)
      opt->pole.plasma_energy = nuem_config_number(cfg, NUEM_P_ATOMIC_PLASMA_ENERGY);
    else
      opt->pole.neutrino_mass = nuem_config_number(cfg, NUEM_P_ATOMIC_NEUTRINO_MASS);
  }
  if (opt->model == NUEM_ATOMIC_EPA) {
    opt->photoabsorption = nuem_config_text(cfg, NUEM_P_ATOMIC_PHOTOABSORPTION);
    opt->q_min = nuem_config_number(cfg, NUEM_P_ATOMIC_Q_MIN);
    opt->q_max = nuem_config_is_set(cfg, NUEM_P_ATOMIC_Q_MAX)
                     ? nuem_config_number(cfg, NUEM_P_ATOMIC_Q_MAX) : 0.0;
  }
  if (opt->model == NUEM_ATOMIC_EPA || opt->model == NUEM_ATOMIC_TABLE || ab_initio)
    NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ATOMIC_EXTRAPOLATION, extrapolations,
                                    &opt->extrapolation));
  if (opt->model == NUEM_ATOMIC_TABLE && !*opt->table)
    return nuem_error(ctx, NUEM_ECONFIG, "atomic.model = table needs atomic.table, "
                      "a file of ratios sigma_atomic/sigma_free versus T "
                      "(format: docs/physics.md)");
  return NUEM_OK;
}

/* The ratio table: columns T and sm/mu/q/r2, each optionally suffixed with
 * a flavour (q_antinue); the flavour-specific column wins. */
static nuem_status load_ratio_table(nuem_context *ctx, nuem_atomic *a) {
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, a->opt.table, &t));
  nuem_status s = NUEM_OK;
  nuem_unit energy;
  nuem_unit_parse(ctx, "keV", "", &energy);
  if (!t.names || t.ncols < 2)
    s = nuem_error(ctx, NUEM_EPARSE, "%s: a ratio table needs a '# columns: T sm mu q r2' "
                   "line naming T and the processes", t.origin);
  else if (!nuem_dim_equal(t.units[0].dim, energy.dim))
    s = nuem_error(ctx, NUEM_EUNIT, "%s: the first column (T) needs an energy unit in a "
                   "'# units:' line, e.g. '# units: keV 1 1 1 1'", t.origin);
  if (!s) s = nuem_table_check_column(ctx, &t, 0, 1, 1);
  for (size_t c = 1; !s && c < t.ncols; c++) s = nuem_table_check_column(ctx, &t, c, 0, 1);
  /* every run needs sm; the property columns are checked against the
   * property values in use (nuem_atomic_check) */
  for (int p = 0; !s && p < NUEM_PROC_TOTAL; p++) {
    char specific[64];
    snprintf(specific, sizeof specific, "%s_%s", nuem_process_name(p),
             nuem_flavour_name(a->flavour));
    long col = nuem_table_column(&t, specific);
    if (col < 0) col = nuem_table_column(&t, nuem_process_name(p));
    if (col < 1) {
      if (p == NUEM_PROC_SM)
        s = nuem_error(ctx, NUEM_EPARSE, "%s: no column 'sm' or '%s' for the Standard-Model "
                       "process, which every run needs", t.origin, specific);
      continue;
    }
    /* ratios of cross sections vary slowly: linear between the points */
    s = curve_from_table(ctx, &t, (size_t)col, NUEM_INTERP_LINEAR, &a->ratio[p]);
  }
  nuem_table_free(&t);
  return s;
}

static nuem_status load_photoabsorption(nuem_context *ctx, nuem_atomic *a) {
  a->sigma = calloc(a->tgt->nelements, sizeof *a->sigma);
  if (!a->sigma) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  const char *user = a->opt.photoabsorption;
  if (*user && a->tgt->nelements != 1)
    return nuem_error(ctx, NUEM_ECONFIG, "atomic.photoabsorption gives one table, but "
                      "target %s has %zu elements", a->tgt->name, a->tgt->nelements);
  for (size_t i = 0; i < a->tgt->nelements; i++) {
    nuem_table t;
    if (*user) {
      NUEM_TRY(nuem_table_read(ctx, user, &t));
    } else {
      char name[64];
      size_t len;
      snprintf(name, sizeof name, "photoabsorption/%s.dat", a->tgt->elements[i].symbol);
      const char *text = nuem_data_find(name, &len);
      if (!text)
        return nuem_error(ctx, NUEM_ECONFIG, "atomic.model = epa: nuem has no "
                          "photoabsorption table for %s; give one with "
                          "atomic.photoabsorption (columns E sigma, '# units: eV cm2')",
                          a->tgt->elements[i].symbol);
      NUEM_TRY(nuem_table_parse(ctx, text, len, name, &t));
    }
    nuem_status s = nuem_table_check_xy(ctx, &t, "eV", "cm2", 1, 2, "a photoabsorption table");
    /* cross sections fall as powers of E between edges: log-log */
    if (!s) s = curve_from_table(ctx, &t, 1, NUEM_INTERP_LOGLOG, &a->sigma[i]);
    nuem_table_free(&t);
    NUEM_TRY(s);
  }
  return NUEM_OK;
}

/* The built-in response table of an element, packed at build time from
 * data/atomic/<El>_response.dat (docs/data-formats.md), or NULL. */
static const char *builtin_responses(const char *symbol, size_t *len) {
  char name[64];
  snprintf(name, sizeof name, "atomic/%s_response.bin", symbol);
  return nuem_data_find(name, len);
}

/* The response table of the target's (single) element: atomic.response_table
 * or the built-in one. */
static nuem_status load_responses(nuem_context *ctx, nuem_atomic *a) {
  const nuem_target *tgt = a->tgt;
  if (tgt->nelements != 1 || tgt->elements[0].count != 1)
    return nuem_error(ctx, NUEM_ECONFIG, "atomic.model = ab-initio describes one element; "
                      "target %s is a compound", tgt->name);
  const char *symbol = tgt->elements[0].symbol;
  nuem_atomic_response table;
  if (*a->opt.response_table) {
    NUEM_TRY(nuem_atomic_response_read(ctx, a->opt.response_table, &table));
  } else {
    char origin[64];
    size_t len;
    const char *packed = builtin_responses(symbol, &len);
    snprintf(origin, sizeof origin, "data/atomic/%s_response.dat", symbol);
    if (!packed)
      return nuem_error(ctx, NUEM_ECONFIG, "atomic.model = ab-initio: nuem has no built-in "
                        "response table for %s (%s); give one with "
                        "atomic.response_table (format: docs/data-formats.md)", symbol, origin);
    NUEM_TRY(nuem_atomic_response_unpack(ctx, packed, len, origin, &table));
  }
  if (strcmp(table.element, symbol) != 0 || table.Z != tgt->elements[0].Z) {
    nuem_status s = nuem_error(ctx, NUEM_ECONFIG, "%s: a response table of %s (Z = %d), but "
                               "the target is %s (Z = %d)", table.origin, table.element,
                               table.Z, symbol, tgt->elements[0].Z);
    nuem_atomic_response_free(&table);
    return s;
  }
  return nuem_abinitio_new(ctx, &table, &a->opt.pole, &a->abinitio);
}

/* atomic.model = auto: ab-initio for a one-element target whose responses
 * nuem ships (or atomic.response_table gives), stepping otherwise. */
static int resolve_auto(const nuem_atomic_options *opt, const nuem_target *tgt,
                        const char **reason) {
  if (tgt->nelements != 1 || tgt->elements[0].count != 1) {
    *reason = "auto: ab-initio responses describe one element, the target is a compound";
    return NUEM_ATOMIC_STEPPING;
  }
  if (*opt->response_table) {
    *reason = "auto: atomic.response_table is given";
    return NUEM_ATOMIC_AB_INITIO;
  }
  size_t len;
  if (builtin_responses(tgt->elements[0].symbol, &len)) {
    *reason = "auto: nuem ships the response table of this element";
    return NUEM_ATOMIC_AB_INITIO;
  }
  *reason = "auto: nuem ships no response table for this element";
  return NUEM_ATOMIC_STEPPING;
}

nuem_status nuem_atomic_new(nuem_context *ctx, const nuem_atomic_options *opt,
                            const nuem_target *tgt, const nuem_interaction *in,
                            nuem_atomic **out) {
  if (opt->model == NUEM_ATOMIC_EPA &&
      !(opt->q_min > 0 && (opt->q_max == 0 || opt->q_max > opt->q_min)))
    return nuem_error(ctx, NUEM_ERANGE, "atomic.q_max must exceed atomic.q_min > 0 "
                      "(the EPA logarithm ln(q_max/q_min))");
  nuem_atomic *a = calloc(1, sizeof *a);
  if (!a) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  a->opt = *opt;
  a->tgt = tgt;
  a->reason = "";
  if (opt->model == NUEM_ATOMIC_AUTO) a->opt.model = resolve_auto(opt, tgt, &a->reason);
  opt = &a->opt;
  a->flavour = in->flavour;
  for (size_t i = 0; i < tgt->nelements; i++)
    a->z_total += tgt->elements[i].count * tgt->elements[i].Z;
  nuem_status s = NUEM_OK;
  if (opt->model == NUEM_ATOMIC_TABLE) s = load_ratio_table(ctx, a);
  if (opt->model == NUEM_ATOMIC_EPA) s = load_photoabsorption(ctx, a);
  if (opt->model == NUEM_ATOMIC_AB_INITIO) s = load_responses(ctx, a);
  if (!s) s = nuem_atomic_check(ctx, a, in);
  if (s) {
    nuem_atomic_free(a);
    return s;
  }
  *out = a;
  return NUEM_OK;
}

nuem_status nuem_atomic_check(nuem_context *ctx, const nuem_atomic *a,
                              const nuem_interaction *in) {
  if (a->opt.model == NUEM_ATOMIC_EPA && in->mu != 0)
    return nuem_error(ctx, NUEM_ECONFIG,
                      "atomic.model = epa cannot describe the magnetic moment: the "
                      "equivalent-photon enhancement does not hold for helicity-flip "
                      "scattering (Voloshin PRL 105, 201801 (2010); Kouzakov, "
                      "Studenikin & Voloshin PRD 83, 113001 (2011)). Use stepping, "
                      "or set physics.mu_nu = 0 muB for an EPA millicharge study");
  if (a->opt.model != NUEM_ATOMIC_TABLE) return NUEM_OK;
  const double strengths[NUEM_PROC_TOTAL] = {1, in->mu, in->q, in->r2};
  for (int p = NUEM_PROC_MU; p < NUEM_PROC_TOTAL; p++)
    if (strengths[p] != 0 && !a->ratio[p])
      return nuem_error(ctx, NUEM_EPARSE, "%s: no column '%s' or '%s_%s' for the %s "
                        "process, which this run needs", a->opt.table, nuem_process_name(p),
                        nuem_process_name(p), nuem_flavour_name(a->flavour),
                        nuem_process_name(p));
  return NUEM_OK;
}

void nuem_atomic_free(nuem_atomic *a) {
  if (!a) return;
  for (int p = 0; p < NUEM_NPROC; p++) nuem_interp_free(a->ratio[p]);
  for (size_t i = 0; a->sigma && i < a->tgt->nelements; i++) nuem_interp_free(a->sigma[i]);
  free(a->sigma);
  nuem_abinitio_free(a->abinitio);
  free(a);
}

int nuem_atomic_model(const nuem_atomic *a) { return a->opt.model; }

const char *nuem_atomic_model_name(const nuem_atomic *a) {
  for (size_t i = 0; i < sizeof atomic_models / sizeof atomic_models[0]; i++)
    if (atomic_models[i].value == a->opt.model) return atomic_models[i].name;
  return "?";
}

const char *nuem_atomic_model_reason(const nuem_atomic *a) { return a->reason; }

const nuem_abinitio *nuem_atomic_abinitio_at(const nuem_atomic *a, double T) {
  if (!a->abinitio) return NULL;
  if (a->opt.free_above > 0 && T > a->opt.free_above) return NULL;
  if (a->opt.extrapolation != NUEM_EXTRAP_FREE) return a->abinitio;
  const nuem_atomic_response *r = nuem_abinitio_table(a->abinitio);
  return T >= r->T[0] && T <= r->T[r->nT - 1] ? a->abinitio : NULL;
}

const nuem_abinitio *nuem_atomic_abinitio(const nuem_atomic *a) { return a->abinitio; }

static nuem_status range_of(nuem_context *ctx, const nuem_interp *c, const char *what,
                            double lo, double hi) {
  if (c && !(nuem_interp_covers(c, lo) && nuem_interp_covers(c, hi)))
    return nuem_error(ctx, NUEM_ERANGE,
                      "the %s table covers T = %g to %g keV, but %g to %g keV is "
                      "asked for; extend the table or set atomic.extrapolation = "
                      "clamp or free", what, nuem_interp_x_min(c) * 1e3,
                      nuem_interp_x_max(c) * 1e3, lo * 1e3, hi * 1e3);
  return NUEM_OK;
}

nuem_status nuem_atomic_check_range(nuem_context *ctx, const nuem_atomic *a,
                                    double t_lo, double t_hi) {
  if (a->opt.extrapolation != NUEM_EXTRAP_ERROR) return NUEM_OK;
  for (int p = 0; p < NUEM_NPROC; p++)
    NUEM_TRY(range_of(ctx, a->ratio[p], "ratio", t_lo, t_hi));
  for (size_t i = 0; a->sigma && i < a->tgt->nelements; i++)
    NUEM_TRY(range_of(ctx, a->sigma[i], "photoabsorption", t_lo, t_hi));
  if (a->abinitio) {
    const nuem_atomic_response *r = nuem_abinitio_table(a->abinitio);
    /* the ends of a grid written in eV and read back may differ from the
     * asked T by rounding: a relative 1e-12 is the same energy */
    const double same = 1e-12;
    if (a->opt.free_above > 0 && t_hi > a->opt.free_above) t_hi = a->opt.free_above;
    if (t_lo < r->T[0] * (1 - same) || t_hi > r->T[r->nT - 1] * (1 + same))
      return nuem_error(ctx, NUEM_ERANGE, "%s: the response table covers T = %g to %g keV, "
                        "but %g to %g keV is asked for; extend the table or set "
                        "atomic.extrapolation = free (free electrons outside) or clamp (zero "
                        "response outside)",
                        r->origin, r->T[0] * 1e3, r->T[r->nT - 1] * 1e3, t_lo * 1e3,
                        t_hi * 1e3);
  }
  return NUEM_OK;
}

void nuem_atomic_factors(const nuem_atomic *a, double T, double f[NUEM_NPROC]) {
  double step = nuem_atomic_z_eff(a->tgt, T) / a->z_total;
  for (int p = 0; p < NUEM_NPROC; p++) f[p] = 1.0;
  switch (a->opt.model) {
  case NUEM_ATOMIC_STEPPING:
    for (int p = 0; p < NUEM_NPROC; p++) f[p] = step;
    break;
  case NUEM_ATOMIC_EPA: {
    /* SM, moment (zero here) and radius by stepping; the charge by EPA,
     * outside the photoabsorption table as the extrapolation says. */
    for (int p = 0; p < NUEM_NPROC; p++) f[p] = step;
    int inside = 1;
    for (size_t i = 0; i < a->tgt->nelements; i++) inside &= nuem_interp_covers(a->sigma[i], T);
    f[NUEM_PROC_Q] = inside || a->opt.extrapolation != NUEM_EXTRAP_FREE ? 0.0 : step;
    break;
  }
  case NUEM_ATOMIC_TABLE:
    for (int p = 0; p < NUEM_PROC_TOTAL; p++) {
      if (!a->ratio[p]) continue;
      int inside = nuem_interp_covers(a->ratio[p], T);
      f[p] = inside || a->opt.extrapolation == NUEM_EXTRAP_CLAMP
                 ? nuem_interp_eval(a->ratio[p], T) : 1.0;
    }
    break;
  default:
    break;
  }
  f[NUEM_PROC_TOTAL] = f[NUEM_PROC_Q]; /* the q-<r2> cross term follows the charge */
}

void nuem_atomic_apply(const nuem_atomic *a, double T, const double free[NUEM_NPROC],
                       double epa, double out[NUEM_NPROC]) {
  double f[NUEM_NPROC], cross = free[NUEM_PROC_TOTAL];
  nuem_atomic_factors(a, T, f);
  out[NUEM_PROC_TOTAL] = 0;
  for (int p = 0; p < NUEM_PROC_TOTAL; p++) {
    out[p] = f[p] * free[p] + (p == NUEM_PROC_Q ? epa : 0.0);
    out[NUEM_PROC_TOTAL] += out[p];
    cross -= free[p];
  }
  out[NUEM_PROC_TOTAL] += f[NUEM_PROC_TOTAL] * cross;
}

double nuem_atomic_photoabsorption(const nuem_atomic *a, double T) {
  double sigma = 0;
  for (size_t i = 0; a->sigma && i < a->tgt->nelements; i++)
    sigma += a->tgt->elements[i].count * nuem_interp_eval(a->sigma[i], T);
  return sigma;
}

void nuem_atomic_epa_coeffs(const nuem_atomic *a, const nuem_interaction *in, double T,
                            double c[3]) {
  c[0] = c[1] = c[2] = 0;
  if (a->opt.model != NUEM_ATOMIC_EPA || in->q == 0) return;
  double sigma = 0;
  int all_inside = 1;
  for (size_t i = 0; i < a->tgt->nelements; i++) {
    sigma += a->tgt->elements[i].count * nuem_interp_eval(a->sigma[i], T);
    all_inside &= nuem_interp_covers(a->sigma[i], T);
  }
  if (!all_inside && a->opt.extrapolation == NUEM_EXTRAP_FREE) return;
  /* distant collisions: q from the regulator up to sqrt(2 m_e T) (or q_max) */
  double q_max = a->opt.q_max > 0 ? a->opt.q_max : sqrt(2.0 * NUEM_ME * T);
  double log_term = log(q_max / a->opt.q_min);
  if (log_term <= 0) return;
  double k = 2.0 * NUEM_ALPHA * in->q * in->q / NUEM_PI * sigma / T * log_term;
  /* the fermion's photon spectrum: (1 + (1 - y)^2)/2 = 1 - T/E + T^2/(2E^2) */
  c[0] = k;
  c[1] = -k * T;
  c[2] = k * T * T / 2.0;
}

/* The chain, built once: source, target and rate plan (shared by every
 * variation), interaction and atomic model; evaluation on a T grid. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/sterile.h"
#include "spectrum_internal.h"

/* Rows between progress reports: often enough for a bar, rare enough to
 * cost nothing against a row's microseconds. */
enum { PROGRESS_EVERY = 512 };

const char *const nuem_spectrum_names[NUEM_SPECTRUM_NCOLS] = {
    "T", "elec_sm", "elec_mu", "elec_q", "elec_r2",
    "nucl_sm", "nucl_mu", "nucl_q", "nucl_r2", "total"};
const char *const nuem_spectrum_units[NUEM_SPECTRUM_NCOLS] = {
    "keV", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
    "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day"};

static void chain_free(nuem_chain *c) {
  if (!c) return;
  if (c->borrowed) {
    for (size_t i = 0; c->owns_flux && i < c->nchannels; i++)
      if (!c->channel[i].added) nuem_rate_plan_free(c->channel[i].plan);
    if (c->owns_flux) nuem_source_free(c->src);
    free(c);
    return;
  }
  for (size_t i = 0; i < c->nchannels; i++) nuem_rate_plan_free(c->channel[i].plan);
  nuem_atomic_free(c->atomic);
  nuem_target_free(c->tgt);
  nuem_source_free(c->src);
  nuem_source_free(c->added);
  free(c);
}

static const nuem_param property_keys[3] = {NUEM_P_PHYSICS_MU_NU, NUEM_P_PHYSICS_Q_NU,
                                            NUEM_P_PHYSICS_R2_NU};

/* Per-flavour properties: a value for a flavour the source does not deliver
 * is an error; each channel's value relative to the configured one. */
static nuem_status channel_scales(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c) {
  const double configured[3] = {c->in.mu, c->in.q, c->in.r2};
  for (int k = 0; k < 3; k++) {
    double v[NUEM_NLEPTONS];
    int listed = nuem_config_per_flavour(cfg, property_keys[k], v);
    for (int l = 0; listed && l < NUEM_NLEPTONS; l++) {
      int delivered = 0;
      for (size_t i = 0; i < c->nchannels; i++)
        delivered |= NUEM_LEPTON(c->channel[i].in.flavour) == l;
      if (!delivered && v[l] != 0)
        return nuem_error(ctx, NUEM_ECONFIG, "physics.%s gives a value for %s, which this "
                          "source does not deliver", nuem_param_info_get(property_keys[k])->key,
                          nuem_flavour_name(2 * l));
    }
    for (size_t i = 0; i < c->nchannels; i++)
      c->channel[i].scale[k] = configured[k] != 0
                                   ? v[NUEM_LEPTON(c->channel[i].in.flavour)] / configured[k]
                                   : 1.0;
  }
  return NUEM_OK;
}

/* One channel per flavour of src, each with its couplings and plan (one
 * flavour: the plan of the whole flux, as before). */
static nuem_status add_channels(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c,
                                const nuem_source *src, int added) {
  int flavours[NUEM_NFLAVOURS];
  size_t n = nuem_source_flavours(src, flavours);
  double rel_tol = nuem_config_number(cfg, NUEM_P_NUMERICS_REL_TOL);
  for (size_t i = 0; i < n; i++) {
    nuem_channel *ch = &c->channel[c->nchannels];
    ch->added = added;
    NUEM_CALL(ctx, "interaction", nuem_interaction_init_flavour(ctx, cfg, flavours[i], &ch->in));
    c->nchannels++;
    NUEM_CALL(ctx, "rate plan", nuem_rate_plan_flavour(ctx, src, n > 1 ? flavours[i] : -1,
                                                       c->tgt, rel_tol, &ch->plan));
  }
  return NUEM_OK;
}

/* The channels of source.type's source, then of source.add's. */
static nuem_status channels_build(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c) {
  NUEM_TRY(add_channels(ctx, cfg, c, c->src, 0));
  if (c->added) NUEM_TRY(add_channels(ctx, cfg, c, c->added, 1));
  c->in = c->channel[0].in;
  c->in.mu = nuem_config_number(cfg, NUEM_P_PHYSICS_MU_NU);
  c->in.q = nuem_config_number(cfg, NUEM_P_PHYSICS_Q_NU);
  c->in.r2 = nuem_config_number(cfg, NUEM_P_PHYSICS_R2_NU);
  return channel_scales(ctx, cfg, c);
}

static nuem_status chain_build(nuem_context *ctx, const nuem_config *cfg, nuem_chain **out) {
  nuem_chain *c = calloc(1, sizeof *c);
  if (!c) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the spectrum");
  if (nuem_source_is_sterile_dm(cfg)) {
    nuem_status s = nuem_sterile_chain_build(ctx, cfg, c);
    if (s) chain_free(c);
    else *out = c;
    return s;
  }
  nuem_atomic_options atomic;
  nuem_status s = nuem_error_trace(ctx, nuem_source_init(ctx, cfg, &c->src), "source");
  if (!s) s = nuem_source_init_added(ctx, cfg, &c->added);
  if (!s) s = nuem_error_trace(ctx, nuem_target_init(ctx, cfg, &c->tgt), "target");
  if (!s) s = channels_build(ctx, cfg, c);
  if (!s) s = nuem_atomic_options_from_config(ctx, cfg, &atomic);
  if (!s && atomic.model == NUEM_ATOMIC_TABLE && c->nchannels > 1)
    s = nuem_error(ctx, NUEM_ECONFIG, "atomic.model = table holds ratios for one flavour; "
                   "this source delivers %zu flavours (use stepping, free, epa or "
                   "ab-initio)", c->nchannels);
  if (!s) s = nuem_error_trace(ctx, nuem_atomic_new(ctx, &atomic, c->tgt, &c->in, &c->atomic),
                               "atomic model");
  if (s) {
    chain_free(c);
    return s;
  }
  *out = c;
  return NUEM_OK;
}

nuem_detector_change nuem_detector_unchanged(void) {
  return (nuem_detector_change){NAN, NAN, NULL, 0};
}

/* A spectrum that owns chain c (freed on failure), with detector keys cfg
 * and the detector change (NULL: none). */
static nuem_status spectrum_owning(nuem_context *ctx, nuem_chain *c, const nuem_config *cfg,
                                   const nuem_detector_change *change, nuem_spectrum **out) {
  nuem_spectrum base = {.chain = c};
  nuem_status s = nuem_spectrum_vary(ctx, &base, cfg, change, out);
  if (s) {
    chain_free(c);
    return s;
  }
  (*out)->owns_chain = 1;
  return NUEM_OK;
}

nuem_status nuem_spectrum_new(nuem_context *ctx, const nuem_config *cfg, nuem_spectrum **out) {
  nuem_chain *chain = NULL;
  NUEM_TRY(chain_build(ctx, cfg, &chain));
  return spectrum_owning(ctx, chain, cfg, NULL, out);
}

nuem_status nuem_spectrum_vary(nuem_context *ctx, const nuem_spectrum *base,
                               const nuem_config *cfg, const nuem_detector_change *change,
                               nuem_spectrum **out) {
  nuem_spectrum *sp = calloc(1, sizeof *sp);
  if (!sp) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the spectrum");
  sp->chain = base->chain;
  sp->cfg = cfg ? cfg : base->cfg;
  nuem_detector_change none = nuem_detector_unchanged();
  nuem_status s = nuem_spectrum_detector_build(ctx, sp, change ? change : &none);
  if (s) {
    nuem_spectrum_free(sp);
    return nuem_error_trace(ctx, s, "detector");
  }
  *out = sp;
  return NUEM_OK;
}

nuem_status nuem_spectrum_vary_halo(nuem_context *ctx, const nuem_spectrum *base,
                                    const nuem_config *cfg, nuem_spectrum **out) {
  if (!base->chain->sterile)
    return nuem_error(ctx, NUEM_EINTERNAL, "a halo variation needs a sterile-dm spectrum");
  nuem_chain *c = malloc(sizeof *c);
  if (!c) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the spectrum");
  *c = *base->chain;
  c->borrowed = 1;
  double mu_sa;
  nuem_status s = nuem_error_trace(ctx, nuem_halo_from_config(ctx, cfg, &c->halo), "source");
  if (!s) s = nuem_error_trace(ctx, nuem_halo_line_shape(ctx, &c->halo, &c->line), "source");
  if (!s) s = nuem_error_trace(ctx, nuem_sterile_moment_from_config(ctx, cfg, c->halo.mass, &mu_sa,
                                                                    &c->coupling_given), "physics");
  if (s) {
    free(c);
    return s;
  }
  c->in.mu = mu_sa;
  return spectrum_owning(ctx, c, cfg, NULL, out);
}

/* source.type's channels planned anew for the reshaped source. */
static nuem_status replan(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c) {
  size_t own = 0;
  for (size_t i = 0; i < c->nchannels; i++) own += !c->channel[i].added;
  double rel_tol = nuem_config_number(cfg, NUEM_P_NUMERICS_REL_TOL);
  for (size_t i = 0; i < c->nchannels; i++) {
    nuem_channel *ch = &c->channel[i];
    if (ch->added) continue;
    ch->plan = NULL;
    NUEM_CALL(ctx, "rate plan", nuem_rate_plan_flavour(ctx, c->src, own > 1 ? ch->in.flavour : -1,
                                                       c->tgt, rel_tol, &ch->plan));
  }
  return NUEM_OK;
}

nuem_status nuem_spectrum_vary_flux(nuem_context *ctx, const nuem_spectrum *base,
                                    const nuem_interp *shape, double amplitude,
                                    const nuem_detector_change *change, nuem_spectrum **out) {
  if (base->chain->sterile)
    return nuem_error(ctx, NUEM_EINTERNAL, "a flux variation needs a neutrino source");
  nuem_chain *c = malloc(sizeof *c);
  if (!c) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the spectrum");
  *c = *base->chain;
  c->borrowed = 1;
  c->owns_flux = 1;
  for (size_t i = 0; i < c->nchannels; i++)
    if (!c->channel[i].added) c->channel[i].plan = NULL;
  nuem_status s = nuem_source_reshaped(ctx, base->chain->src, shape, amplitude, &c->src);
  if (s) c->src = NULL;
  if (!s) s = replan(ctx, base->cfg, c);
  if (s) {
    chain_free(c);
    return s;
  }
  return spectrum_owning(ctx, c, base->cfg, change, out);
}

void nuem_spectrum_free(nuem_spectrum *sp) {
  if (!sp) return;
  nuem_spectrum_detector_free(sp);
  if (sp->owns_chain) chain_free(sp->chain);
  free(sp);
}

const nuem_source *nuem_spectrum_source(const nuem_spectrum *sp) { return sp->chain->src; }
const nuem_target *nuem_spectrum_target(const nuem_spectrum *sp) { return sp->chain->tgt; }

nuem_properties nuem_spectrum_configured(const nuem_spectrum *sp) {
  const nuem_interaction *in = &sp->chain->in;
  return (nuem_properties){in->mu, in->q, in->r2};
}

nuem_status nuem_spectrum_set_atomic(nuem_context *ctx, nuem_spectrum *sp,
                                     const nuem_atomic_options *opt) {
  nuem_interaction in = sp->chain->in;
  in.mu = in.q = in.r2 = 0; /* properties are checked when evaluated */
  nuem_atomic *a;
  NUEM_CALL(ctx, "atomic model", nuem_atomic_new(ctx, opt, sp->chain->tgt, &in, &a));
  nuem_atomic_free(sp->chain->atomic);
  sp->chain->atomic = a;
  return NUEM_OK;
}

const nuem_atomic *nuem_spectrum_atomic(const nuem_spectrum *sp) { return sp->chain->atomic; }
const nuem_quenching *nuem_spectrum_quenching(const nuem_spectrum *sp) { return sp->quench; }

nuem_interaction nuem_spectrum_interaction(const nuem_spectrum *sp, const nuem_properties *p) {
  nuem_interaction in = sp->chain->in;
  in.mu = p->mu;
  in.q = p->q;
  in.r2 = p->r2;
  return in;
}

/* A sterile chain: an ab-initio table must cover the whole continuum,
 * T and q = m_s - T up to m_s; other models' tables the asked T range. */
static nuem_status check_sterile(nuem_context *ctx, const nuem_chain *c, double t_lo,
                                 double t_hi) {
  const nuem_abinitio *ab = nuem_atomic_abinitio(c->atomic);
  double m = c->halo.mass;
  if (ab) {
    const nuem_atomic_response *r = nuem_abinitio_table(ab);
    if (m > r->q[r->nq - 1] || m > r->T[r->nT - 1])
      return nuem_error(ctx, NUEM_ERANGE, "source.mass = %g keV lies outside the modelled "
                        "range: the continuum spans T and q = m_s - T up to m_s, but %s ends "
                        "at T = %g keV, q = %g keV", m * 1e3, r->origin, r->T[r->nT - 1] * 1e3,
                        r->q[r->nq - 1] * 1e3);
  }
  if (strcmp(nuem_sterile_continuum_label(c->atomic), "none") == 0 || t_lo >= m) return NUEM_OK;
  NUEM_CALL(ctx, "atomic model", nuem_atomic_check_range(ctx, c->atomic, t_lo, fmin(t_hi, m)));
  return NUEM_OK;
}

/* The interaction of channel i at properties p. */
static nuem_interaction channel_interaction(const nuem_channel *ch, const nuem_properties *p) {
  nuem_interaction in = ch->in;
  in.mu = p->mu * ch->scale[0];
  in.q = p->q * ch->scale[1];
  in.r2 = p->r2 * ch->scale[2];
  return in;
}

nuem_status nuem_spectrum_check(nuem_context *ctx, const nuem_spectrum *sp,
                                const nuem_properties *p, double t_lo, double t_hi) {
  if (!(p->mu >= 0) || !isfinite(p->mu) || !isfinite(p->q) || !isfinite(p->r2))
    return nuem_error(ctx, NUEM_ERANGE, "properties mu = %g muB, q = %g e, r2 = %g cm2: the "
                      "moment must be >= 0 and all finite", p->mu, p->q, p->r2);
  if (sp->chain->sterile) return check_sterile(ctx, sp->chain, t_lo, t_hi);
  for (size_t i = 0; i < sp->chain->nchannels; i++) {
    nuem_interaction in = channel_interaction(&sp->chain->channel[i], p);
    NUEM_CALL(ctx, "atomic model", nuem_atomic_check(ctx, sp->chain->atomic, &in));
    if (nuem_atomic_abinitio(sp->chain->atomic))
      NUEM_CALL(ctx, "atomic model",
                nuem_abinitio_check_fold(ctx, nuem_atomic_abinitio(sp->chain->atomic), &in));
  }
  NUEM_CALL(ctx, "atomic model", nuem_atomic_check_range(ctx, sp->chain->atomic, t_lo, t_hi));
  return NUEM_OK;
}

/* Electron channel at T under the atomic model: columns ELEC_SM…ELEC_R2 and
 * the channel's total (the columns plus the q-<r2> cross term). */
static double electron_row(const nuem_chain *c, const nuem_rate_plan *plan,
                           const nuem_interaction *in, double T, double *row, double *err) {
  double r[NUEM_NPROC], e[NUEM_NPROC], out[NUEM_NPROC], eout[NUEM_NPROC], k[3], epa, epa_err;
  const nuem_abinitio *ab = nuem_atomic_abinitio_at(c->atomic, T);
  if (ab) { /* per-atom rates from the responses, folded over q */
    double per_kg = c->tgt->formulas_per_kg;
    nuem_rate_abinitio(plan, ab, in, T, r, e);
    for (int p = 0; p < NUEM_PROC_TOTAL; p++) {
      row[p] = per_kg * r[p];
      if (err) err[p] = per_kg * e[p];
    }
    return per_kg * r[NUEM_PROC_TOTAL];
  }
  nuem_rate_electron(plan, in, T, r, e);
  nuem_atomic_epa_coeffs(c->atomic, in, T, k);
  nuem_rate_fold(plan, nuem_kin_e_min(T, NUEM_ME), k, &epa, &epa_err);
  double per_kg = c->tgt->formulas_per_kg;
  nuem_atomic_apply(c->atomic, T, r, epa * per_kg, out);
  for (int p = 0; p < NUEM_PROC_TOTAL; p++) row[p] = out[p];
  if (err) { /* errors scale like the values */
    e[NUEM_PROC_TOTAL] = e[NUEM_PROC_SM] + e[NUEM_PROC_MU] + e[NUEM_PROC_Q] + e[NUEM_PROC_R2];
    nuem_atomic_apply(c->atomic, T, e, epa_err * per_kg, eout);
    for (int p = 0; p < NUEM_PROC_TOTAL; p++) err[p] = eout[p];
  }
  return out[NUEM_PROC_TOTAL];
}

/* Nuclear recoils seen at electron-equivalent energy T:
 * dR/dE_ee = dR/dE_R / (dE_ee/dE_R) at E_R = Q^-1(T), summed over elements. */
static double nuclear_row(const nuem_spectrum *sp, const nuem_rate_plan *plan,
                          const nuem_interaction *in, double T, double *row, double *err) {
  double total = 0;
  for (int p = 0; p < NUEM_PROC_TOTAL; p++) row[p] = err[p] = 0;
  for (size_t el = 0; el < sp->chain->tgt->nelements; el++) {
    double E_R, jac, r[NUEM_NPROC], e[NUEM_NPROC];
    if (!nuem_quenching_invert(sp->quench, el, T, &E_R, &jac)) continue;
    nuem_rate_nuclear(plan, in, el, E_R, r, e);
    for (int p = 0; p < NUEM_PROC_TOTAL; p++) {
      row[p] += r[p] / jac;
      err[p] += e[p] / jac;
    }
    total += r[NUEM_PROC_TOTAL] / jac;
  }
  return total;
}

/* Both channels of every flavour at T, summed into row and err (internal
 * units); returns the total, and source.add's part of it in *added. */
static double flavours_row(const nuem_spectrum *sp, const nuem_properties *p, double T,
                           double *row, double *err, int want_err, double *added) {
  double total = 0, r[NUEM_SPECTRUM_NCOLS], e[NUEM_SPECTRUM_NCOLS];
  for (int k = 0; k < NUEM_SPECTRUM_NCOLS; k++) row[k] = err[k] = 0;
  *added = 0;
  for (size_t i = 0; i < sp->chain->nchannels; i++) {
    const nuem_channel *ch = &sp->chain->channel[i];
    nuem_interaction in = channel_interaction(ch, p);
    for (int k = 0; k < NUEM_SPECTRUM_NCOLS; k++) e[k] = 0;
    double t = electron_row(sp->chain, ch->plan, &in, T, r + NUEM_COL_ELEC_SM,
                            want_err ? e + NUEM_COL_ELEC_SM : NULL);
    t += nuclear_row(sp, ch->plan, &in, T, r + NUEM_COL_NUCL_SM, e + NUEM_COL_NUCL_SM);
    total += t;
    if (ch->added) *added += t;
    for (int k = NUEM_COL_ELEC_SM; k < NUEM_COL_TOTAL; k++) {
      row[k] += r[k];
      err[k] += e[k];
    }
  }
  return total;
}

/* The row at T; *added: source.add's part of the total [/kg/keV/day]. */
static void spectrum_row(const nuem_spectrum *sp, const nuem_properties *p, double T,
                         double row[NUEM_SPECTRUM_NCOLS], double err[NUEM_SPECTRUM_NCOLS],
                         double *added) {
  *added = 0;
  if (sp->chain->sterile) {
    nuem_sterile_row(sp->chain, p->mu, T, row);
    if (err) memset(err, 0, NUEM_SPECTRUM_NCOLS * sizeof *err);
    return;
  }
  double scratch[NUEM_SPECTRUM_NCOLS];
  int want_err = err != NULL;
  if (!err) err = scratch;
  double total = flavours_row(sp, p, T, row, err, want_err, added);
  row[NUEM_COL_T] = T * 1e3;
  err[NUEM_COL_T] = 0;
  row[NUEM_COL_TOTAL] = total;
  err[NUEM_COL_TOTAL] = 0;
  for (int c = NUEM_COL_ELEC_SM; c < NUEM_COL_TOTAL; c++) {
    row[c] *= NUEM_PER_KEV_DAY;
    err[c] *= NUEM_PER_KEV_DAY;
    err[NUEM_COL_TOTAL] += err[c];
  }
  row[NUEM_COL_TOTAL] *= NUEM_PER_KEV_DAY;
  *added *= NUEM_PER_KEV_DAY;
}

void nuem_spectrum_row(const nuem_spectrum *sp, const nuem_properties *p, double T,
                       double row[NUEM_SPECTRUM_NCOLS], double err[NUEM_SPECTRUM_NCOLS]) {
  double added;
  spectrum_row(sp, p, T, row, err, &added);
}

/* The [output] grid with `points` points. */
static nuem_status grid(nuem_context *ctx, const nuem_config *cfg, long points, double **T,
                        size_t *n) {
  double lo = nuem_config_number(cfg, NUEM_P_OUTPUT_T_MIN);
  double hi = nuem_config_number(cfg, NUEM_P_OUTPUT_T_MAX);
  int linear = nuem_config_choice_is(cfg, NUEM_P_OUTPUT_SPACING, "linear");
  if (!(hi > lo) && !(points == 1 && hi == lo))
    return nuem_error(ctx, NUEM_ERANGE, "output.t_max (%g keV) must exceed "
                      "output.t_min (%g keV)", hi * 1e3, lo * 1e3);
  double *t = malloc((size_t)points * sizeof *t);
  if (!t) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the T grid");
  for (long i = 0; i < points; i++) {
    double f = points > 1 ? (double)i / (double)(points - 1) : 0.0;
    t[i] = linear ? lo + f * (hi - lo) : lo * pow(hi / lo, f);
  }
  *T = t;
  *n = (size_t)points;
  return NUEM_OK;
}

nuem_status nuem_spectrum_grid(nuem_context *ctx, const nuem_config *cfg,
                               double **T, size_t *n) {
  return grid(ctx, cfg, nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS), T, n);
}

/* The column of each source's own total when source.add is given. */
static const char *source_total_name(const nuem_source *src) {
  switch (nuem_source_type(src)) {
  case NUEM_SOURCE_REACTOR: return "total_reactor";
  case NUEM_SOURCE_SOLAR: return "total_solar";
  case NUEM_SOURCE_RADIOACTIVE: return "total_radioactive";
  case NUEM_SOURCE_PIDAR: return "total_pidar";
  default: return "total_table";
  }
}

nuem_status nuem_spectrum_table(nuem_context *ctx, const nuem_spectrum *sp,
                                const nuem_properties *p, const double *T, size_t n,
                                int errors, nuem_result *out) {
  static const char *const err_names[NUEM_NRATES] = {
      "elec_sm_err", "elec_mu_err", "elec_q_err", "elec_r2_err", "nucl_sm_err",
      "nucl_mu_err", "nucl_q_err", "nucl_r2_err", "total_err"};
  const char *names[NUEM_SPECTRUM_NCOLS + NUEM_NRATES + 2];
  const char *units[NUEM_SPECTRUM_NCOLS + NUEM_NRATES + 2];
  for (int c = 0; c < NUEM_SPECTRUM_NCOLS; c++) {
    names[c] = nuem_spectrum_names[c];
    units[c] = nuem_spectrum_units[c];
  }
  for (int c = 0; c < NUEM_NRATES; c++) {
    names[NUEM_SPECTRUM_NCOLS + c] = err_names[c];
    units[NUEM_SPECTRUM_NCOLS + c] = "/kg/keV/day";
  }
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_spectrum_check(ctx, sp, p, T[0], T[n - 1]));
  if (sp->chain->sterile) {
    NUEM_TRY(nuem_sterile_table(ctx, sp, p->mu, T, n, out));
    if (errors)
      nuem_result_note(out, "errors", "none: the sterile-dm spectrum is closed-form in T "
                       "(no quadrature error to report)");
    return NUEM_OK;
  }
  size_t ncols = NUEM_SPECTRUM_NCOLS + (errors ? NUEM_NRATES : 0), by_source = ncols;
  if (sp->chain->added) { /* each source's own total */
    names[ncols] = source_total_name(sp->chain->src);
    names[ncols + 1] = source_total_name(sp->chain->added);
    units[ncols] = units[ncols + 1] = "/kg/keV/day";
    ncols += 2;
  }
  NUEM_TRY(nuem_result_init(ctx, out, n, ncols, names, units));
  for (size_t i = 0; i < n; i++) {
    double *row = &out->data[i * ncols], err[NUEM_SPECTRUM_NCOLS], added;
    spectrum_row(sp, p, T[i], row, err, &added);
    for (size_t c = 0; errors && c < NUEM_NRATES; c++) row[NUEM_SPECTRUM_NCOLS + c] = err[1 + c];
    if (sp->chain->added) {
      row[by_source + 1] = added;
      row[by_source] = row[NUEM_COL_TOTAL] - added;
    }
    if (i % PROGRESS_EVERY == 0) nuem_progress(ctx, (double)i / (double)n, "spectrum");
  }
  nuem_progress(ctx, 1.0, "spectrum");
  double flux_err;
  nuem_result_note(out, "total_flux", "%.6g /cm2/s", nuem_source_total(sp->chain->src, &flux_err));
  if (sp->chain->added)
    nuem_result_note(out, "added_flux", "%.6g /cm2/s (source.add)",
                     nuem_source_total(sp->chain->added, &flux_err));
  nuem_result_note(out, "target", "%s (%.6g electrons/kg)", sp->chain->tgt->name,
                   sp->chain->tgt->electrons_per_kg);
  nuem_spectrum_note_atomic(sp, out);
  return NUEM_OK;
}

void nuem_spectrum_note_atomic(const nuem_spectrum *sp, nuem_result *out) {
  const nuem_atomic *a = sp->chain->atomic;
  const char *reason = nuem_atomic_model_reason(a);
  nuem_result_note(out, "atomic_model", "%s%s%s%s", nuem_atomic_model_name(a),
                   *reason ? " (" : "", reason, *reason ? ")" : "");
}

nuem_status nuem_spectrum_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       const nuem_config *cfg, long min_points,
                                       nuem_result *out) {
  double *T;
  size_t n;
  long points = nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS);
  memset(out, 0, sizeof *out);
  NUEM_TRY(grid(ctx, cfg, points > min_points ? points : min_points, &T, &n));
  nuem_properties p = nuem_spectrum_configured(sp);
  nuem_status s = nuem_spectrum_table(ctx, sp, &p, T, n,
                                      nuem_config_choice_is(cfg, NUEM_P_OUTPUT_ERRORS, "on"), out);
  free(T);
  return s;
}

nuem_status nuem_spectrum_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out) {
  nuem_spectrum *sp = NULL;
  memset(out, 0, sizeof *out);
  nuem_status s = nuem_spectrum_new(ctx, cfg, &sp);
  if (!s) s = nuem_spectrum_config_table(ctx, sp, cfg, 0, out);
  nuem_spectrum_free(sp);
  return s;
}

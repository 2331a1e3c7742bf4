/* The spectrum job: build the chain once, then evaluate it on a T grid. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/output.h"

nuem_status nuem_spectrum_plan_new(nuem_context *ctx, const nuem_config *cfg,
                                   nuem_spectrum_plan *p) {
  memset(p, 0, sizeof *p);
  nuem_status s = nuem_source_init(ctx, cfg, &p->src);
  if (!s) s = nuem_target_init(ctx, cfg, &p->tgt);
  if (!s) s = nuem_interaction_init(ctx, cfg, &p->in);
  nuem_atomic_options atomic;
  if (!s) s = nuem_atomic_options_from_config(ctx, cfg, &atomic);
  if (!s) s = nuem_atomic_new(ctx, &atomic, p->tgt, &p->in, &p->atomic);
  if (!s) s = nuem_rate_plan_new(ctx, p->src, p->tgt, &p->in,
                                 nuem_config_number(cfg, NUEM_P_NUMERICS_REL_TOL),
                                 &p->plan);
  if (!s) s = nuem_quenching_init(ctx, cfg, p->tgt, &p->quench);
  if (s) nuem_spectrum_plan_free(p);
  return s;
}

void nuem_spectrum_plan_free(nuem_spectrum_plan *p) {
  nuem_rate_plan_free(p->plan);
  nuem_atomic_free(p->atomic);
  nuem_target_free(p->tgt);
  nuem_source_free(p->src);
  nuem_quenching_free(p->quench);
  memset(p, 0, sizeof *p);
}

const char *const nuem_spectrum_names[NUEM_SPECTRUM_NCOLS] = {
    "T", "elec_sm", "elec_mu", "elec_q", "elec_r2",
    "nucl_sm", "nucl_mu", "nucl_q", "nucl_r2", "total"};
const char *const nuem_spectrum_units[NUEM_SPECTRUM_NCOLS] = {
    "keV", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
    "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day"};

/* Electron channel at T under the atomic model: columns ELEC_SM…ELEC_R2 and
 * the channel's total (the columns plus the q-<r2> cross term). */
static double electron_row(const nuem_spectrum_plan *p, double T, double *row,
                           double *err) {
  double r[NUEM_NPROC], e[NUEM_NPROC], out[NUEM_NPROC], eout[NUEM_NPROC], c[3], epa, epa_err;
  nuem_rate_electron(p->plan, T, r, e);
  nuem_atomic_epa_coeffs(p->atomic, T, c);
  nuem_rate_fold(p->plan, nuem_kin_e_min(T, NUEM_ME), c, &epa, &epa_err);
  double per_kg = p->tgt->formulas_per_kg;
  nuem_atomic_apply(p->atomic, T, r, epa * per_kg, out);
  for (int k = 0; k < NUEM_PROC_TOTAL; k++) row[k] = out[k];
  if (err) { /* errors scale like the values */
    e[NUEM_PROC_TOTAL] = e[NUEM_PROC_SM] + e[NUEM_PROC_MU] + e[NUEM_PROC_Q] + e[NUEM_PROC_R2];
    nuem_atomic_apply(p->atomic, T, e, epa_err * per_kg, eout);
    for (int k = 0; k < NUEM_PROC_TOTAL; k++) err[k] = eout[k];
  }
  return out[NUEM_PROC_TOTAL];
}

/* Nuclear recoils seen at electron-equivalent energy T:
 * dR/dE_ee = dR/dE_R / (dE_ee/dE_R) at E_R = Q^-1(T), summed over elements. */
static double nuclear_row(const nuem_spectrum_plan *p, double T, double *row,
                          double *err) {
  double total = 0;
  for (int k = 0; k < NUEM_PROC_TOTAL; k++) row[k] = err[k] = 0;
  for (size_t el = 0; el < p->tgt->nelements; el++) {
    double E_R, jac, r[NUEM_NPROC], e[NUEM_NPROC];
    if (!nuem_quenching_invert(p->quench, el, T, &E_R, &jac)) continue;
    nuem_rate_nuclear(p->plan, el, E_R, r, e);
    for (int k = 0; k < NUEM_PROC_TOTAL; k++) {
      row[k] += r[k] / jac;
      err[k] += e[k] / jac;
    }
    total += r[NUEM_PROC_TOTAL] / jac;
  }
  return total;
}

void nuem_spectrum_row(const nuem_spectrum_plan *p, double T,
                       double row[NUEM_SPECTRUM_NCOLS],
                       double err[NUEM_SPECTRUM_NCOLS]) {
  double scratch[NUEM_SPECTRUM_NCOLS];
  double total = electron_row(p, T, row + NUEM_COL_ELEC_SM, err ? err + NUEM_COL_ELEC_SM : NULL);
  if (!err) err = scratch;
  total += nuclear_row(p, T, row + NUEM_COL_NUCL_SM, err + NUEM_COL_NUCL_SM);
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
}

nuem_status nuem_spectrum_grid(nuem_context *ctx, const nuem_config *cfg,
                               double **T, size_t *n) {
  double lo = nuem_config_number(cfg, NUEM_P_OUTPUT_T_MIN);
  double hi = nuem_config_number(cfg, NUEM_P_OUTPUT_T_MAX);
  long points = nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS);
  int linear = nuem_config_choice(cfg, NUEM_P_OUTPUT_SPACING) == 1;
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

nuem_status nuem_spectrum_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out) {
  enum { NRATES = NUEM_SPECTRUM_NCOLS - 1 };
  static const char *const err_names[NRATES] = {
      "elec_sm_err", "elec_mu_err", "elec_q_err", "elec_r2_err", "nucl_sm_err",
      "nucl_mu_err", "nucl_q_err", "nucl_r2_err", "total_err"};
  const char *names[NUEM_SPECTRUM_NCOLS + NRATES], *units[NUEM_SPECTRUM_NCOLS + NRATES];
  for (int c = 0; c < NUEM_SPECTRUM_NCOLS; c++) {
    names[c] = nuem_spectrum_names[c];
    units[c] = nuem_spectrum_units[c];
  }
  for (int c = 0; c < NRATES; c++) {
    names[NUEM_SPECTRUM_NCOLS + c] = err_names[c];
    units[NUEM_SPECTRUM_NCOLS + c] = "/kg/keV/day";
  }
  double *T;
  size_t n;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_spectrum_grid(ctx, cfg, &T, &n));
  int errors = nuem_config_choice(cfg, NUEM_P_OUTPUT_ERRORS) == 1;
  size_t ncols = NUEM_SPECTRUM_NCOLS + (errors ? NRATES : 0);
  nuem_spectrum_plan plan;
  nuem_status s = nuem_spectrum_plan_new(ctx, cfg, &plan);
  if (!s) s = nuem_atomic_check_range(ctx, plan.atomic, T[0], T[n - 1]);
  if (!s) s = nuem_result_init(ctx, out, n, ncols, names, units);
  if (!s) {
    for (size_t i = 0; i < n; i++) {
      double *row = &out->data[i * ncols], err[NUEM_SPECTRUM_NCOLS];
      nuem_spectrum_row(&plan, T[i], row, err);
      for (size_t c = 0; errors && c < NRATES; c++) row[NUEM_SPECTRUM_NCOLS + c] = err[1 + c];
      if (i % 512 == 0) nuem_progress(ctx, (double)i / (double)n, "spectrum");
    }
    nuem_progress(ctx, 1.0, "spectrum");
    double err;
    double total = nuem_source_total(plan.src, &err);
    nuem_result_note(out, "total_flux", "%.6g /cm2/s", total);
    nuem_result_note(out, "target", "%s (%.6g electrons/kg)", plan.tgt->name,
                     plan.tgt->electrons_per_kg);
  }
  if (s) nuem_result_free(out);
  nuem_spectrum_plan_free(&plan);
  free(T);
  return s;
}

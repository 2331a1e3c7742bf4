/* The spectrum job: build the chain once, then evaluate it on a T grid. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/output.h"

nuem_status nuem_spectrum_plan_new(nuem_context *ctx, const nuem_config *cfg,
                                   nuem_spectrum_plan *p) {
  memset(p, 0, sizeof *p);
  nuem_status s = nuem_source_init(ctx, cfg, &p->src);
  if (!s) s = nuem_target_init(ctx, cfg, &p->tgt);
  if (!s) s = nuem_interaction_init(ctx, cfg, &p->in);
  if (!s) s = nuem_rate_plan_new(ctx, p->src, p->tgt, &p->in,
                                 nuem_config_number(cfg, NUEM_P_NUMERICS_REL_TOL),
                                 &p->plan);
  if (!s) {
    nuem_config_choice(cfg, NUEM_P_DETECTOR_QUENCHING); /* lindhard: the only model */
    double k = nuem_config_number(cfg, NUEM_P_DETECTOR_QUENCHING_K);
    p->quench = calloc(p->tgt->nelements, sizeof *p->quench);
    if (!p->quench) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory");
    for (size_t i = 0; !s && i < p->tgt->nelements; i++)
      p->quench[i] = (nuem_lindhard){k, p->tgt->elements[i].Z};
  }
  if (s) nuem_spectrum_plan_free(p);
  return s;
}

void nuem_spectrum_plan_free(nuem_spectrum_plan *p) {
  nuem_rate_plan_free(p->plan);
  nuem_target_free(p->tgt);
  nuem_source_free(p->src);
  free(p->quench);
  memset(p, 0, sizeof *p);
}

void nuem_spectrum_row(const nuem_spectrum_plan *p, double T,
                       double row[NUEM_SPECTRUM_NCOLS],
                       double err[NUEM_SPECTRUM_NCOLS]) {
  double e_rate, e_err, n_rate = 0, n_err = 0;
  nuem_rate_electron(p->plan, T, &e_rate, &e_err);
  /* Nuclear recoils seen at electron-equivalent energy T:
   * dR/dE_ee = dR/dE_R / (dE_ee/dE_R) at E_R = Q^-1(T), per element. */
  for (size_t el = 0; el < p->tgt->nelements; el++) {
    double E_R = nuem_lindhard_recoil(&p->quench[el], T);
    double jac = nuem_lindhard_jacobian(&p->quench[el], E_R);
    double r, e;
    nuem_rate_nuclear(p->plan, el, E_R, &r, &e);
    n_rate += r / jac;
    n_err += e / jac;
  }
  row[NUEM_COL_T] = T * 1e3;
  row[NUEM_COL_ELEC_SM] = e_rate * NUEM_PER_KEV_DAY;
  row[NUEM_COL_NUCL_SM] = n_rate * NUEM_PER_KEV_DAY;
  row[NUEM_COL_TOTAL] = row[NUEM_COL_ELEC_SM] + row[NUEM_COL_NUCL_SM];
  if (err) {
    err[NUEM_COL_T] = 0;
    err[NUEM_COL_ELEC_SM] = e_err * NUEM_PER_KEV_DAY;
    err[NUEM_COL_NUCL_SM] = n_err * NUEM_PER_KEV_DAY;
    err[NUEM_COL_TOTAL] = err[NUEM_COL_ELEC_SM] + err[NUEM_COL_NUCL_SM];
  }
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
  static const char *const names[] = {"T", "elec_sm", "nucl_sm", "total",
                                      "elec_sm_err", "nucl_sm_err", "total_err"};
  static const char *const units[] = {"keV", "/kg/keV/day", "/kg/keV/day",
                                      "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
                                      "/kg/keV/day"};
  enum { NERR = NUEM_SPECTRUM_NCOLS - 1 };
  double *T;
  size_t n;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_spectrum_grid(ctx, cfg, &T, &n));
  int errors = nuem_config_choice(cfg, NUEM_P_OUTPUT_ERRORS) == 1;
  size_t ncols = NUEM_SPECTRUM_NCOLS + (errors ? NERR : 0);
  nuem_spectrum_plan plan;
  nuem_status s = nuem_spectrum_plan_new(ctx, cfg, &plan);
  if (!s) s = nuem_result_init(ctx, out, n, ncols, names, units);
  if (!s) {
    for (size_t i = 0; i < n; i++) {
      double *row = &out->data[i * ncols], err[NUEM_SPECTRUM_NCOLS];
      nuem_spectrum_row(&plan, T[i], row, err);
      for (size_t c = 0; errors && c < NERR; c++) row[NUEM_SPECTRUM_NCOLS + c] = err[1 + c];
    }
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

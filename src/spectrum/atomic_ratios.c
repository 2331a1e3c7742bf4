/* Atomic models side by side: the electron-channel rate of each model per
 * process as a ratio to free electrons, versus T, on one flux plan (the
 * picture that shows what an atomic model does to each channel). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "spectrum_internal.h"

/* Reference properties: the ratio of a pure term does not depend on its
 * size; these keep every term far above rounding. */
#define MU_REF 1e-11 /* mu_B */
#define Q_REF 1e-12  /* e */

/* The processes compared: weak (SM), magnetic moment (mu^2), millicharge
 * alone (q^2: the even part of the q excess) and its interference with the
 * weak amplitude (the odd part). */
enum { TERM_SM, TERM_MU, TERM_Q2, TERM_QWEAK, NTERMS };

/* The models that can be compared and their column names (static strings,
 * as result tables require). */
static const struct {
  const char *model;
  const char *columns[NTERMS];
} comparable[] = {
    {"free", {"sm_free", "mu_free", "q2_free", "qweak_free"}},
    {"stepping", {"sm_stepping", "mu_stepping", "q2_stepping", "qweak_stepping"}},
    /* EPA refuses the moment (docs/physics.md, "Atomic ionization") */
    {"epa", {"sm_epa", NULL, "q2_epa", "qweak_epa"}},
    {"ab-initio", {"sm_ab-initio", "mu_ab-initio", "q2_ab-initio", "qweak_ab-initio"}},
};
enum { NCOMPARABLE = sizeof comparable / sizeof comparable[0] };

static int comparable_index(const char *model) {
  for (int i = 0; i < NCOMPARABLE; i++)
    if (!strcmp(comparable[i].model, model)) return i;
  return -1;
}

/* The four terms at T under the spectrum's current atomic model
 * (/kg/keV/day); the EPA model does not describe the moment (its mu term
 * is the stepping value: docs/physics.md, "Atomic ionization"). */
static void terms_at(const nuem_spectrum *sp, double T, int epa, double out[NTERMS]) {
  const nuem_properties none = {0, 0, 0}, mu = {epa ? 0 : MU_REF, 0, 0};
  const nuem_properties qp = {0, Q_REF, 0}, qm = {0, -Q_REF, 0};
  double r0[NUEM_SPECTRUM_NCOLS], rmu[NUEM_SPECTRUM_NCOLS], rp[NUEM_SPECTRUM_NCOLS],
      rm[NUEM_SPECTRUM_NCOLS];
  nuem_spectrum_row(sp, &none, T, r0, NULL);
  nuem_spectrum_row(sp, &mu, T, rmu, NULL);
  nuem_spectrum_row(sp, &qp, T, rp, NULL);
  nuem_spectrum_row(sp, &qm, T, rm, NULL);
  out[TERM_SM] = r0[NUEM_COL_ELEC_SM];
  out[TERM_MU] = rmu[NUEM_COL_ELEC_MU];
  out[TERM_Q2] = 0.5 * (rp[NUEM_COL_ELEC_Q] + rm[NUEM_COL_ELEC_Q]);
  out[TERM_QWEAK] = 0.5 * (rp[NUEM_COL_ELEC_Q] - rm[NUEM_COL_ELEC_Q]);
}

/* The atomic options of a config with another model (EPA falls back to
 * stepping outside its photoabsorption table rather than failing). */
static nuem_status options_for(nuem_context *ctx, const nuem_config *cfg, const char *model,
                               nuem_atomic_options *opt) {
  nuem_config *c;
  NUEM_TRY(nuem_config_copy(ctx, cfg, &c));
  nuem_status s = nuem_config_set(ctx, c, "atomic", "model", model, "atomic ratios");
  if (!s && !strcmp(model, "epa")) s = nuem_config_set(ctx, c, "atomic", "extrapolation", "free",
                                                       "atomic ratios");
  if (!s) s = nuem_atomic_options_from_config(ctx, c, opt);
  /* the options point into the copy, which goes now: the models compared
   * here use built-in data, and ab-initio the response table of `cfg` */
  if (!s && (*opt->table || *opt->photoabsorption))
    s = nuem_error(ctx, NUEM_ECONFIG, "atomic ratios compare the built-in data; remove "
                   "atomic.table and atomic.photoabsorption");
  opt->table = opt->photoabsorption = "";
  opt->response_table = nuem_config_text(cfg, NUEM_P_ATOMIC_RESPONSE_TABLE);
  nuem_config_free(c);
  return s;
}

nuem_status nuem_atomic_ratio_table(nuem_context *ctx, const nuem_config *cfg,
                                    const char *const *models, size_t nmodels,
                                    nuem_result *out) {
  memset(out, 0, sizeof *out);
  if (nmodels == 0 || nmodels > NCOMPARABLE)
    return nuem_error(ctx, NUEM_EUSAGE, "compare 1 to %d atomic models", NCOMPARABLE);
  const char *cols[1 + NCOMPARABLE * NTERMS], *units[1 + NCOMPARABLE * NTERMS];
  int which[NCOMPARABLE];
  size_t ncols = 1;
  cols[0] = "T";
  units[0] = "keV";
  for (size_t m = 0; m < nmodels; m++) {
    which[m] = comparable_index(models[m]);
    if (which[m] < 0)
      return nuem_error(ctx, NUEM_EUSAGE, "atomic model '%s' cannot be compared (choose "
                        "free, stepping, epa, ab-initio)", models[m]);
    for (int k = 0; k < NTERMS; k++)
      if (comparable[which[m]].columns[k]) {
        cols[ncols] = comparable[which[m]].columns[k];
        units[ncols++] = "1";
      }
  }
  double *T = NULL;
  size_t n;
  nuem_spectrum *sp = NULL;
  nuem_atomic_options free_opt, opt;
  NUEM_TRY(nuem_spectrum_grid(ctx, cfg, &T, &n));
  nuem_status s = nuem_spectrum_new(ctx, cfg, &sp);
  if (!s) s = options_for(ctx, cfg, "free", &free_opt);
  if (!s) s = nuem_result_init(ctx, out, n, ncols, cols, units);
  double *free_terms = s ? NULL : malloc(n * NTERMS * sizeof *free_terms);
  if (!s && !free_terms) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  if (!s) s = nuem_spectrum_set_atomic(ctx, sp, &free_opt);
  for (size_t i = 0; !s && i < n; i++) {
    terms_at(sp, T[i], 0, &free_terms[i * NTERMS]);
    out->data[i * out->ncols] = T[i] * NUEM_KEV_PER_MEV;
  }
  for (size_t m = 0, col = 1; !s && m < nmodels; m++) {
    s = options_for(ctx, cfg, models[m], &opt);
    if (!s) s = nuem_spectrum_set_atomic(ctx, sp, &opt);
    size_t first = col;
    for (size_t i = 0; !s && i < n; i++) {
      double t[NTERMS];
      terms_at(sp, T[i], opt.model == NUEM_ATOMIC_EPA, t);
      col = first;
      for (int k = 0; k < NTERMS; k++) {
        if (!comparable[which[m]].columns[k]) continue;
        double f = free_terms[i * NTERMS + k];
        /* a term that vanishes for free electrons (beyond T_max) has no
         * ratio: 0; + 0.0 turns a -0 into 0 */
        out->data[i * out->ncols + col++] = (f != 0 ? t[k] / f : 0.0) + 0.0;
      }
    }
  }
  if (!s) {
    nuem_result_note(out, "ratios", "electron channel per process, model / free electrons, "
                     "flux-averaged at each T: sm (weak), mu (moment squared), q2 (millicharge "
                     "squared), qweak (millicharge-weak interference)");
    nuem_result_note(out, "epa", "EPA describes the millicharge only; its sm, mu terms are "
                     "stepping's");
  }
  if (s) nuem_result_free(out);
  free(free_terms);
  nuem_spectrum_free(sp);
  free(T);
  return s;
}

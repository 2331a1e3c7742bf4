/* Cross sections per atom (or formula unit) and per nucleus of a target:
 * what `nuem xsec --target` prints, callable from C. */
#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/atomic.h"
#include "nuem/constants.h"

static const char *per_what(const nuem_target *tgt, const char *single) {
  return tgt->nelements == 1 && tgt->elements[0].count == 1 ? single : "formula unit";
}

void nuem_xsec_target_electron(const nuem_interaction *in, const nuem_target *tgt,
                               const nuem_atomic *atomic, double E, double T,
                               nuem_xsec_answer *a) {
  double free_e[NUEM_NPROC];
  for (int p = 0; p < NUEM_NPROC; p++) free_e[p] = nuem_xsec_electron(in, p, E, T);
  a->t_max = nuem_kin_t_max(E, NUEM_ME);
  if (!tgt) {
    memcpy(a->value, free_e, sizeof free_e);
    a->per = "free electron";
    return;
  }
  const nuem_abinitio *ab = nuem_atomic_abinitio_at(atomic, T);
  if (ab) { /* cross sections from the responses, per atom */
    nuem_abinitio_dsigma_dt(ab, in, E, T, a->value);
    a->t_max = E; /* q in [T, 2E - T] */
    a->per = "atom";
    return;
  }
  double z = 0, per_atom[NUEM_NPROC], c[3];
  for (size_t i = 0; i < tgt->nelements; i++) z += tgt->elements[i].count * tgt->elements[i].Z;
  for (int p = 0; p < NUEM_NPROC; p++) per_atom[p] = z * free_e[p];
  nuem_atomic_epa_coeffs(atomic, in, T, c);
  double epa = T < a->t_max ? c[0] + c[1] / E + c[2] / (E * E) : 0.0;
  nuem_atomic_apply(atomic, T, per_atom, epa, a->value);
  a->per = per_what(tgt, "atom");
}

void nuem_xsec_target_nuclear(const nuem_interaction *in, const nuem_target *tgt, double E,
                              double T, nuem_xsec_answer *a) {
  memset(a->value, 0, sizeof a->value);
  a->t_max = 0;
  for (size_t i = 0; i < tgt->nelements; i++) {
    const nuem_element *el = &tgt->elements[i];
    for (size_t k = 0; k < el->nisotopes; k++) {
      const nuem_isotope *iso = &el->isotopes[k];
      for (int p = 0; p < NUEM_NPROC; p++)
        a->value[p] += el->count * iso->abundance * nuem_xsec_nuclear(in, iso, p, E, T);
      double tm = nuem_kin_t_max(E, iso->mass);
      if (tm > a->t_max) a->t_max = tm;
    }
  }
  a->per = per_what(tgt, "nucleus");
}

/* The checks of a channel and its target, before anything is built. */
static nuem_status check_channel(nuem_context *ctx, const char *channel, const char *target) {
  if (!channel || (strcmp(channel, "nu-e") != 0 && strcmp(channel, "cevns") != 0))
    return nuem_error(ctx, NUEM_EUSAGE, "channel '%s': choose nu-e or cevns",
                      channel ? channel : "(none)");
  if (!strcmp(channel, "cevns") && !target)
    return nuem_error(ctx, NUEM_EUSAGE, "channel cevns needs a nucleus: target Ge74 "
                      "(one isotope) or Ge (natural abundances)");
  return NUEM_OK;
}

static nuem_status check_energies(nuem_context *ctx, const double *E, const double *T,
                                  size_t n, double *t_lo, double *t_hi) {
  if (n == 0) return nuem_error(ctx, NUEM_EUSAGE, "xsec: no energies given");
  *t_lo = INFINITY, *t_hi = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (!(E[i] > 0) || !isfinite(E[i]))
      return nuem_error(ctx, NUEM_ERANGE, "xsec: neutrino energy %zu (%g MeV) must be "
                        "positive and finite", i, E[i]);
    if (!(T[i] > 0) || !isfinite(T[i]))
      return nuem_error(ctx, NUEM_ERANGE, "xsec: recoil energy %zu (%g MeV) must be "
                        "positive and finite", i, T[i]);
    *t_lo = fmin(*t_lo, T[i]), *t_hi = fmax(*t_hi, T[i]);
  }
  return NUEM_OK;
}

nuem_status nuem_xsec_table(nuem_context *ctx, const nuem_config *cfg, const char *channel,
                            const char *target, const double *E, const double *T, size_t n,
                            nuem_result *out, const char **per) {
  static const char *const names[] = {"E_nu", "T", "sm", "mu", "q", "r2", "total", "T_max"};
  static const char *const units[] = {"MeV", "keV", "cm2/keV", "cm2/keV", "cm2/keV",
                                      "cm2/keV", "cm2/keV", "keV"};
  memset(out, 0, sizeof *out);
  double t_lo = 0, t_hi = 0;
  NUEM_TRY(check_channel(ctx, channel, target));
  NUEM_TRY(check_energies(ctx, E, T, n, &t_lo, &t_hi));
  int electron = !strcmp(channel, "nu-e");
  nuem_interaction in;
  nuem_target *tgt = NULL;
  nuem_atomic *atomic = NULL;
  nuem_atomic_options aopt;
  nuem_status s = nuem_interaction_init(ctx, cfg, &in);
  if (!s && target) s = nuem_target_new(ctx, target, &tgt);
  if (!s && tgt && electron) {
    s = nuem_atomic_options_from_config(ctx, cfg, &aopt);
    if (!s) s = nuem_atomic_new(ctx, &aopt, tgt, &in, &atomic);
    if (!s) s = nuem_atomic_check_range(ctx, atomic, t_lo, t_hi);
  }
  if (!s) s = nuem_result_init(ctx, out, n, 8, names, units);
  nuem_xsec_answer a = {.per = ""};
  for (size_t i = 0; !s && i < n; i++) {
    if (electron) nuem_xsec_target_electron(&in, tgt, atomic, E[i], T[i], &a);
    else nuem_xsec_target_nuclear(&in, tgt, E[i], T[i], &a);
    double *row = &out->data[i * 8];
    row[0] = E[i];
    row[1] = T[i] * NUEM_KEV_PER_MEV;
    for (int p = 0; p < NUEM_NPROC; p++) row[2 + p] = a.value[p] / NUEM_KEV_PER_MEV;
    row[7] = a.t_max * NUEM_KEV_PER_MEV;
  }
  if (!s)
    nuem_result_note(out, "channel", "%s, %s, dsigma/dT per %s; sm, then the excess from "
                     "each property, then the total", channel, nuem_flavour_name(in.flavour),
                     a.per);
  if (per) *per = a.per;
  nuem_atomic_free(atomic);
  nuem_target_free(tgt);
  return s;
}

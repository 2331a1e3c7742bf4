/* Atomic models for the electron channel: the process nu + A -> nu + A+ + e-
 * instead of scattering on free electrons (docs/physics.md, "Atomic
 * ionization"). Each model gives, per process, a factor on the free-electron
 * rate of the target; EPA replaces the millicharge term by the
 * equivalent-photon formula built on the photoabsorption cross section. */
#ifndef NUEM_ATOMIC_H
#define NUEM_ATOMIC_H

#include "nuem/config.h"
#include "nuem/core.h"
#include "nuem/abinitio_xsec.h"
#include "nuem/interaction.h"
#include "nuem/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Atomic models and rules outside a table (atomic.model and
 * atomic.extrapolation map to them by name). */
enum { NUEM_ATOMIC_FREE, NUEM_ATOMIC_STEPPING, NUEM_ATOMIC_EPA, NUEM_ATOMIC_TABLE,
       NUEM_ATOMIC_AB_INITIO, NUEM_ATOMIC_AUTO };
enum { NUEM_EXTRAP_ERROR, NUEM_EXTRAP_CLAMP, NUEM_EXTRAP_FREE };

typedef struct nuem_atomic nuem_atomic;

typedef struct {
  int model;
  const char *table;          /* ratio table file (model = table) */
  const char *photoabsorption; /* user sigma_gamma file, or "" for built-in */
  int extrapolation;          /* outside a table's range */
  double q_min, q_max;        /* EPA log regulator and cut [MeV]; q_max = 0:
                                 sqrt(2 m_e T) */
  const char *response_table; /* ab-initio: response table file, or "" for
                                 the built-in table of the element */
  nuem_pole_options pole;     /* ab-initio: the millicharge's photon pole */
  double free_above;          /* ab-initio: free electrons above this T
                                 [MeV]; 0: the table to its end */
} nuem_atomic_options;

nuem_status nuem_atomic_options_from_config(nuem_context *ctx,
                                            const nuem_config *cfg,
                                            nuem_atomic_options *opt);
/* Build the model for a target and the interaction's flavour; loads and
 * validates any table and checks the interaction's properties
 * (nuem_atomic_check). The model does not keep the interaction: one model
 * serves every property value. */
nuem_status nuem_atomic_new(nuem_context *ctx, const nuem_atomic_options *opt,
                            const nuem_target *tgt, const nuem_interaction *in,
                            nuem_atomic **out);
void nuem_atomic_free(nuem_atomic *a);
/* Check that the model describes these properties: EPA and the magnetic
 * moment do not mix; a ratio table has a column for every property in use. */
nuem_status nuem_atomic_check(nuem_context *ctx, const nuem_atomic *a,
                              const nuem_interaction *in);
int nuem_atomic_model(const nuem_atomic *a);
/* The model's name and, for atomic.model = auto, why it was chosen. */
const char *nuem_atomic_model_name(const nuem_atomic *a);
const char *nuem_atomic_model_reason(const nuem_atomic *a);
/* The response-function model (model = ab-initio), else NULL: its cross
 * sections and rates come from nuem_abinitio_* (abinitio_xsec.h) instead of
 * factors on the free-electron values. */
const nuem_abinitio *nuem_atomic_abinitio(const nuem_atomic *a);
/* The same at T, except NULL outside the response table's T range when
 * atomic.extrapolation = free: there the electron channel is free electrons. */
const nuem_abinitio *nuem_atomic_abinitio_at(const nuem_atomic *a, double T);

/* Electrons per formula unit that can be ionised by T (stepping rule: a
 * shell counts once T reaches its binding energy; valence shells always). */
double nuem_atomic_z_eff(const nuem_target *tgt, double T);

/* Check that every table covers [t_lo, t_hi] (if extrapolation = error). */
nuem_status nuem_atomic_check_range(nuem_context *ctx, const nuem_atomic *a,
                                    double t_lo, double t_hi);

/* Factors on the free-electron rate of each process at T (f[NUEM_PROC_SM]
 * … f[NUEM_PROC_R2]); f[NUEM_PROC_TOTAL] is the factor on the q-<r2> cross
 * term and equals the charge's. For EPA the millicharge factor is 0 and
 * nuem_atomic_epa_coeffs gives the term. For ab-initio the factors are 1
 * and unused: its rates and cross sections come from nuem_rate_abinitio and
 * nuem_abinitio_dsigma_dt (the spectrum and nuem_xsec_target_electron call
 * them). */
void nuem_atomic_factors(const nuem_atomic *a, double T, double f[NUEM_NPROC]);

/* Apply the model at T to free-electron values of every process (rates or
 * cross sections, any common unit): out[p] = f[p] free[p] for SM, mu, q, r2,
 * plus `epa` (the EPA term, same unit) on q; out[TOTAL] = the sum of those
 * plus the q-<r2> cross term free[TOTAL] - sum free[p], weighted like q. */
void nuem_atomic_apply(const nuem_atomic *a, double T, const double free[NUEM_NPROC],
                       double epa, double out[NUEM_NPROC]);

/* EPA millicharge cross section per formula unit as c0 + c1/E + c2/E^2:
 * (2 alpha q^2/pi) (sigma_gamma(T)/T) ln(q_max/q_min) (1 - T/E + T^2/2E^2),
 * q_max = sqrt(2 m_e T) unless set.
 * Zero unless the model is EPA. */
void nuem_atomic_epa_coeffs(const nuem_atomic *a, const nuem_interaction *in, double T,
                            double c[3]);

/* Photoabsorption cross section per formula unit at photon energy T [cm2]
 * (atomic.model = epa; 0 for other models). */
double nuem_atomic_photoabsorption(const nuem_atomic *a, double T);

/* ---- cross sections per target ------------------------------------------- */

/* dsigma/dT [cm2/MeV] of every process, the largest T at E, and what it is
 * per ("free electron", "atom", "nucleus", "formula unit"). */
typedef struct {
  double value[NUEM_NPROC];
  double t_max;
  const char *per;
} nuem_xsec_answer;

/* nu-e per free electron (tgt NULL), or per atom / formula unit of `tgt`
 * under the atomic model. */
void nuem_xsec_target_electron(const nuem_interaction *in, const nuem_target *tgt,
                               const nuem_atomic *atomic, double E, double T,
                               nuem_xsec_answer *out);
/* CEvNS per nucleus (formula unit), averaged over the natural abundances. */
void nuem_xsec_target_nuclear(const nuem_interaction *in, const nuem_target *tgt, double E,
                              double T, nuem_xsec_answer *out);

/* The table of `nuem xsec` at n points (E[i] [MeV], T[i] [MeV], positive):
 * columns E_nu [MeV], T [keV], the SM, each property's excess and the total
 * [cm2/keV], T_max [keV]; channel "nu-e" (per free electron if target is
 * NULL, else per atom or formula unit under atomic.model) or "cevns" (per
 * nucleus of `target`, required). The couplings and properties come from
 * [physics] of cfg. *per (may be NULL) gets what the values are per. */
nuem_status nuem_xsec_table(nuem_context *ctx, const nuem_config *cfg, const char *channel,
                            const char *target, const double *E, const double *T, size_t n,
                            nuem_result *out, const char **per);

#ifdef __cplusplus
}
#endif
#endif

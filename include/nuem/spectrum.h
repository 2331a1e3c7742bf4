/* Stage 6, spectrum: the chain from a built source and target through the
 * interaction, the rate plan and the detector response to the true and the
 * measured spectrum, built once and evaluated for any property values.
 *
 * The rate plan (the flux moments) depends on the source and the target
 * only. So one spectrum serves every magnetic moment, millicharge, charge
 * radius and atomic model, and its variations (another quenching k, energy
 * scale, bins or detector config) share the plan: a fit, a limit with
 * nuisances or a scan over a detector key builds the flux tables once.
 * Docs: docs/design.md. */
#ifndef NUEM_SPECTRUM_H
#define NUEM_SPECTRUM_H

#include "nuem/atomic.h"
#include "nuem/config.h"
#include "nuem/core.h"
#include "nuem/interaction.h"
#include "nuem/rate.h"
#include "nuem/response.h"
#include "nuem/source.h"
#include "nuem/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Spectrum columns: T, then rates in /kg/keV/day: per channel the SM and
 * the excess over it from each property, then the total. */
enum { NUEM_COL_T, NUEM_COL_ELEC_SM, NUEM_COL_ELEC_MU, NUEM_COL_ELEC_Q,
       NUEM_COL_ELEC_R2, NUEM_COL_NUCL_SM, NUEM_COL_NUCL_MU, NUEM_COL_NUCL_Q,
       NUEM_COL_NUCL_R2, NUEM_COL_TOTAL, NUEM_SPECTRUM_NCOLS };
/* The rate columns (all but T), indexed from 0: NUEM_COL_x - 1. */
enum { NUEM_NRATES = NUEM_SPECTRUM_NCOLS - 1 };

extern const char *const nuem_spectrum_names[NUEM_SPECTRUM_NCOLS];
extern const char *const nuem_spectrum_units[NUEM_SPECTRUM_NCOLS];

/* The electromagnetic properties a spectrum is evaluated at: mu [mu_B],
 * q [e], r2 [cm2] (conventions: docs/physics.md). */
typedef struct {
  double mu, q, r2;
} nuem_properties;

/* Changes of the configured detector for a variation; a NaN number or NULL
 * edges keeps the configured value. */
typedef struct {
  double quenching_k;   /* Lindhard k */
  double energy_scale;  /* measured per deposited energy */
  const double *edges;  /* measured bin edges [MeV], nbins + 1 */
  size_t nbins;
} nuem_detector_change;

/* A change that changes nothing. */
nuem_detector_change nuem_detector_unchanged(void);

typedef struct nuem_spectrum nuem_spectrum;

/* Build the chain of a config: source, target, the rate plan, interaction,
 * atomic model, quenching, and, when the config gives bins or a response
 * matrix, the detector response and the background. `cfg` must outlive
 * the spectrum. */
nuem_status nuem_spectrum_new(nuem_context *ctx, const nuem_config *cfg,
                              nuem_spectrum **out);
/* A spectrum with another detector that shares the source, target, rate
 * plan and atomic model of `base` (which must outlive it): the detector
 * keys of `cfg` (NULL: the base's config; it must outlive the result),
 * changed by `change` (NULL: no change). */
nuem_status nuem_spectrum_vary(nuem_context *ctx, const nuem_spectrum *base,
                               const nuem_config *cfg,
                               const nuem_detector_change *change,
                               nuem_spectrum **out);
/* A spectrum like `base` whose reactor flux is multiplied by
 * 1 + amplitude shape(E) (a shape from nuem_source_flux_shape), with the
 * detector change applied (NULL: none): source.type's rate plans are built
 * anew, the target, atomic model and detector keys are base's. `base` and
 * `shape` must outlive it. */
nuem_status nuem_spectrum_vary_flux(nuem_context *ctx, const nuem_spectrum *base,
                                    const nuem_interp *shape, double amplitude,
                                    const nuem_detector_change *change, nuem_spectrum **out);
void nuem_spectrum_free(nuem_spectrum *sp);

const nuem_source *nuem_spectrum_source(const nuem_spectrum *sp);
const nuem_target *nuem_spectrum_target(const nuem_spectrum *sp);
const nuem_atomic *nuem_spectrum_atomic(const nuem_spectrum *sp);
const nuem_quenching *nuem_spectrum_quenching(const nuem_spectrum *sp);
/* The interaction of the chain (couplings) with properties p. */
nuem_interaction nuem_spectrum_interaction(const nuem_spectrum *sp, const nuem_properties *p);
/* The property values of the config the spectrum was built from. */
nuem_properties nuem_spectrum_configured(const nuem_spectrum *sp);
/* Switch the atomic model of the chain (the base and its variations);
 * the flux plan is kept. Not while another thread evaluates the chain. */
nuem_status nuem_spectrum_set_atomic(nuem_context *ctx, nuem_spectrum *sp,
                                     const nuem_atomic_options *opt);

/* Check that the atomic model describes properties `p` and covers
 * [t_lo, t_hi] [MeV]; the evaluation functions below assume it. */
nuem_status nuem_spectrum_check(nuem_context *ctx, const nuem_spectrum *sp,
                                const nuem_properties *p, double t_lo, double t_hi);

/* One row at measurable energy T [MeV]: columns as above, T in keV, rates
 * in /kg/keV/day; err (optional) gets their error estimates. The nuclear
 * channel is in electron-equivalent energy. Thread-safe. */
void nuem_spectrum_row(const nuem_spectrum *sp, const nuem_properties *p, double T,
                       double row[NUEM_SPECTRUM_NCOLS], double err[NUEM_SPECTRUM_NCOLS]);

/* The T grid of [output] (t_min, t_max, points, spacing), in MeV. */
nuem_status nuem_spectrum_grid(nuem_context *ctx, const nuem_config *cfg,
                               double **T, size_t *n);
/* The true spectrum on a grid as a table (with error columns if `errors`). */
nuem_status nuem_spectrum_table(nuem_context *ctx, const nuem_spectrum *sp,
                                const nuem_properties *p, const double *T, size_t n,
                                int errors, nuem_result *out);

/* ---- property scans --------------------------------------------------------- */

/* Every rate column of the true spectrum is exactly
 *   f0 + c_mu mu^2 + a_q q + b_q q^2 + a_r <r2> + b_r <r2>^2 + c_qr q <r2>
 * in the configured properties (the moment adds incoherently; q and <r2>
 * enter the amplitude linearly: docs/physics.md, "Electromagnetic
 * properties"). A basis evaluates the tables that fix these coefficients
 * on a T grid once (2 tables for mu alone, 3 for q or <r2>, 7 for all
 * three); a table at any property values is then a sum of arrays, equal to
 * nuem_spectrum_table to rounding (no error columns). The properties not
 * in `vary` stay at base's values. `sp` must outlive the basis. */
enum { NUEM_VARY_MU = 1, NUEM_VARY_Q = 2, NUEM_VARY_R2 = 4 };
typedef struct nuem_spectrum_basis nuem_spectrum_basis;
nuem_status nuem_spectrum_basis_new(nuem_context *ctx, const nuem_spectrum *sp,
                                    const nuem_properties *base, int vary, const double *T,
                                    size_t n, nuem_spectrum_basis **out);
/* The table at p (thread-safe on one basis). */
nuem_status nuem_spectrum_basis_table(nuem_context *ctx, const nuem_spectrum_basis *b,
                                      const nuem_properties *p, nuem_result *out);
void nuem_spectrum_basis_free(nuem_spectrum_basis *b);

/* ---- the measured spectrum ------------------------------------------------ */

/* Per measured bin: events per kg per day of every rate column (after
 * quenching, resolution, efficiency and threshold) and of the background. */
typedef struct {
  size_t nbins;
  double *edges;                 /* nbins + 1, MeV */
  double *events[NUEM_NRATES];   /* NUEM_COL_x - 1: elec_sm … nucl_r2, total */
  double *background;
  double exposure_on, exposure_off; /* kg day */
} nuem_measured;

/* 1 if the spectrum has a detector response (bins or a matrix). */
int nuem_spectrum_has_response(const nuem_spectrum *sp);
const nuem_response *nuem_spectrum_response(const nuem_spectrum *sp);
/* Fold the true spectrum at `p` through the response. */
nuem_status nuem_spectrum_measure(nuem_context *ctx, const nuem_spectrum *sp,
                                  const nuem_properties *p, nuem_measured *out);
void nuem_measured_free(nuem_measured *m);

/* Measured-spectrum table columns: bin edges (keV), the measured rate of
 * each signal component and of the background (/kg/keV/day), then expected
 * counts for the exposures. */
enum { NUEM_MCOL_E_LO, NUEM_MCOL_E_HI, NUEM_MCOL_ELEC_SM,
       NUEM_MCOL_SIGNAL = NUEM_MCOL_ELEC_SM + 8, NUEM_MCOL_BACKGROUND,
       NUEM_MCOL_COUNTS_SIGNAL, NUEM_MCOL_COUNTS_ON, NUEM_MCOL_COUNTS_OFF,
       NUEM_MEASURED_NCOLS };
nuem_status nuem_measured_table(nuem_context *ctx, const nuem_measured *m,
                                nuem_result *out);

/* ---- atomic models side by side ------------------------------------------- */

/* The electron channel of each named atomic model (free, stepping, epa) as
 * a ratio to free electrons per term (sm, mu, q2: the millicharge alone,
 * qweak: its interference with the weak amplitude) on the config's T grid,
 * all on one flux plan. Columns T, then TERM_MODEL for each model. */
nuem_status nuem_atomic_ratio_table(nuem_context *ctx, const nuem_config *cfg,
                                    const char *const *models, size_t nmodels,
                                    nuem_result *out);

/* ---- sterile-neutrino dark matter (source.type = sterile-dm) --------------
 * The property mu of nuem_properties is the transition moment mu_sa [mu_B];
 * the signal is the decay line at T = m_s/2 plus the off-pole ionization
 * continuum, both in the ELEC_MU (and TOTAL) rate columns of the measured
 * spectrum, so the analysis treats mu_sa^2 as it treats mu_nu^2.
 * Docs: docs/physics.md, "Sterile-neutrino dark matter". */
int nuem_spectrum_is_sterile(const nuem_spectrum *sp);
typedef struct {
  double mass;           /* m_s [MeV] */
  double energy;         /* the line's centre, gamma m_s/2 [MeV] */
  double rate;           /* events per kg per day */
  double decay_width;    /* Gamma [1/s] */
  double hwhm;           /* line's Doppler half width at half maximum [MeV] */
  double half_width_v0;  /* m_s v0/2 [MeV] */
  double number_density; /* n_s [1/cm3] */
  double mu_sa, sin2_2theta;
} nuem_sterile_line;
void nuem_spectrum_sterile_line(const nuem_spectrum *sp, double mu_sa, nuem_sterile_line *out);
/* A sterile-dm spectrum for `cfg`, which may differ from the base's config
 * in its halo and coupling keys (source.mass, dm_density, halo_*,
 * physics.mu_sa, sin2_2theta) and detector keys only: the target and the
 * atomic model (an ab-initio table is read once) are the base's, which
 * must outlive the result. */
nuem_status nuem_spectrum_vary_halo(nuem_context *ctx, const nuem_spectrum *base,
                                    const nuem_config *cfg, nuem_spectrum **out);
/* 1 if `id` is one of the keys nuem_spectrum_vary_halo may change. */
int nuem_param_is_halo(nuem_param id);
/* Gaussian resolution sigma at measured energy E [MeV] (NaN without a
 * detector model, e.g. an imported response matrix). */
double nuem_spectrum_resolution(const nuem_spectrum *sp, double E);

/* ---- whole jobs from a config --------------------------------------------- */

/* 1 if the config asks for a measured spectrum (output.kind, or auto with
 * bins or a response matrix given). */
int nuem_spectrum_is_measured(const nuem_config *cfg);
/* The tables of `nuem spectrum` for a built spectrum at the config's
 * properties: the true spectrum on the [output] grid (with at least
 * min_points points; error columns if output.errors = on), and the measured
 * spectrum, with their notes. */
nuem_status nuem_spectrum_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       const nuem_config *cfg, long min_points,
                                       nuem_result *out);
nuem_status nuem_measured_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       nuem_result *out);
/* The true spectrum of a config on its [output] grid. */
nuem_status nuem_spectrum_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out);
/* The measured spectrum of a config. */
nuem_status nuem_measured_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out);
/* The response matrix of a config (built from [detector], or read). */
nuem_status nuem_response_from_config(nuem_context *ctx, const nuem_config *cfg,
                                      const nuem_detector *d, nuem_response *out);

#ifdef __cplusplus
}
#endif
#endif

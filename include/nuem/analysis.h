/* Stage 7, analysis: measured spectra in, fits, limits and sensitivities out.
 *
 * The expected signal per measured bin is quadratic in the parameter of
 * interest theta: s_j(theta) = A_j + B_j theta + C_j theta^2, exactly, for
 * every property (mu enters as theta = mu^2; q and <r2> through g_V shifts;
 * the CEvNS normalisation linearly). The templates A, B, C are computed once
 * from a spectrum (nuem/spectrum.h) with typed property values; nuisance
 * parameters scale or morph them, and their +-1 sigma settings are
 * variations of the same spectrum, so the flux plan is built once.
 * Docs: docs/statistics.md. */
#ifndef NUEM_ANALYSIS_H
#define NUEM_ANALYSIS_H

#include "nuem/config.h"
#include "nuem/core.h"
#include "nuem/spectrum.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- data ------------------------------------------------------------------ */

enum { NUEM_DATA_COUNTS, NUEM_DATA_RESIDUAL, NUEM_DATA_EVENTS };

typedef struct {
  int mode;
  size_t nbins;
  double *edges;       /* nbins + 1, MeV (NULL for an event list) */
  double *on, *off;    /* counts; off NULL without an OFF period */
  double exposure_on, exposure_off; /* kg day (event list: its exposure) */
  double *residual, *sigma;         /* /kg/keV/day (mode RESIDUAL) */
  size_t nevents;      /* mode EVENTS: the measured energies, MeV, */
  double *events;      /* all inside the analysis window */
  double window[2];    /* MeV */
  char *origin;
} nuem_data;

/* Read a measured spectrum (format: docs/statistics.md): columns E_lo E_hi
 * and either `on` [`off`] counts with '# exposure_on:' [and
 * '# exposure_off:'] lines, or `residual` and `sigma`; or an event list,
 * one column E with '# exposure:', '# window_lo:' and '# window_hi:' lines
 * (an event outside the window is an error naming it). */
nuem_status nuem_data_read(nuem_context *ctx, const char *path, nuem_data *out);
void nuem_data_free(nuem_data *d);

/* ---- the model ------------------------------------------------------------- */

enum { NUEM_POI_MU, NUEM_POI_Q, NUEM_POI_R2, NUEM_POI_CEVNS, NUEM_NPOI };
/* analysis.poi (and poi2) by name. */
extern const nuem_choice nuem_poi_choices[NUEM_NPOI];
enum { NUEM_NU_FLUX, NUEM_NU_EFFICIENCY, NUEM_NU_BACKGROUND, NUEM_NU_QUENCHING,
       NUEM_NU_SCALE, NUEM_NU_SHAPE, NUEM_NNU };

typedef struct nuem_model nuem_model;

/* What a model needs besides the spectrum and the data. */
typedef struct {
  int poi;                /* NUEM_POI_x */
  /* Constraint widths (0: not fitted): flux and efficiency relative,
   * background relative (< 0: free when there is no OFF data), quenching k
   * absolute, energy scale relative; flux shape 1 (on: the band's leading
   * shape mode is one sigma) or 0. */
  double sigma[NUEM_NNU];
  double quenching_k, energy_scale; /* nominal values the nuisances vary */
  double poi_max;         /* end of the POI range in theta; 0: automatic */
  int sm_in_background;   /* the background model holds the SM rate: fit the
                             POI's excess only (analysis.standard_model) */
  int flux_from_spectrum; /* analysis.flux_model = spectrum: nuem_model_new
                             derives sigma[NUEM_NU_FLUX] from the source's band
                             and turns the flux-shape nuisance on */
} nuem_model_options;

/* The options of the [analysis] and [detector] keys of a config. */
nuem_status nuem_model_options_from_config(nuem_context *ctx, const nuem_config *cfg,
                                           nuem_model_options *out);
/* Build the templates from spectrum `sp` (kept by pointer: it must
 * outlive the model) for the data's bins (or the spectrum's, if data is
 * NULL). */
nuem_status nuem_model_new(nuem_context *ctx, const nuem_spectrum *sp,
                           const nuem_model_options *opt, const nuem_data *data,
                           nuem_model **out);
void nuem_model_free(nuem_model *m);
int nuem_model_poi(const nuem_model *m);
/* The width of nuisance k's Gaussian constraint (NUEM_NU_x; relative for the
 * flux), e.g. the flux width that analysis.flux_model = spectrum derived. */
double nuem_model_constraint(const nuem_model *m, int k);
/* Lower and upper end of the POI range scanned. */
void nuem_model_range(const nuem_model *m, double *lo, double *hi);
/* The POI value as reported (mu: sqrt(theta) in mu_B; others: theta), and its
 * unit. */
double nuem_model_report(const nuem_model *m, double theta);
const char *nuem_model_unit(const nuem_model *m);
const char *nuem_nuisance_name(int k);
/* The flux-shape nuisance's share of the band's shape variance (NaN if the
 * model has no flux-shape nuisance; docs/statistics.md, "Flux shape"). */
double nuem_model_shape_share(const nuem_model *m);

/* Asimov data of the model at theta (nuisances nominal), in the data's mode
 * (a model of an event list: binned counts in its bins). */
nuem_status nuem_model_asimov(nuem_context *ctx, const nuem_model *m, const nuem_data *like,
                              double theta, nuem_data *out);

/* -2 ln L (Poisson deviance or chi2, plus constraints) at theta with the
 * nuisances profiled; nu (NUEM_NNU, may be NULL) receives their values. */
nuem_status nuem_model_profile(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                               double theta, double *t, double *nu);
/* The best fit over the POI range. A fit that does not converge, or data
 * whose likelihood double precision cannot resolve, is an error. */
nuem_status nuem_model_fit(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                           double *theta_hat, double *t_min, double *nu);

/* The nuisance that sits at a bound of its physical range (a normalisation
 * at zero) for values nu, or NULL: a fit that ends there is reported so. */
const char *nuem_model_at_bound(const nuem_model *m, const double *nu);

/* ---- intervals and sensitivity ------------------------------------------- */

typedef struct {
  size_t n;
  double *theta;     /* grid */
  double *t;         /* observed -2 Delta ln L at each grid point */
  double *critical;  /* critical value (Wilks: chi2 quantile; FC: from toys) */
  double lo, hi;     /* the interval (POI units as reported) */
  double theta_hat, best_report;
  int lo_at_boundary, hi_at_boundary;
  double coverage;   /* achieved coverage of the FC check (or -1) */
} nuem_interval;

/* Wilks: accept grid points with Delta(-2 ln L) <= chi2_1 quantile at cl. */
nuem_status nuem_interval_wilks(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                                double cl, size_t grid, nuem_interval *out);
/* Feldman-Cousins with toys (profile construction: nuisances fixed at their
 * conditional fit at each grid point, for data and toys alike). OpenMP over
 * grid points; toys of grid point i come from seed and i only, so results
 * do not depend on the thread count. If coverage_toys > 0, also measures the
 * coverage at the grid point nearest to the best fit with fresh toys.
 * NUEM_ECONFIG if toys < nuem_toys_min(cl); NUEM_ERANGE if threads lies
 * outside 0..NUEM_THREADS_MAX (0: OpenMP's default). */
nuem_status nuem_interval_fc(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                             double cl, size_t grid, size_t toys, unsigned long seed,
                             int threads, size_t coverage_toys, nuem_interval *out);
void nuem_interval_free(nuem_interval *iv);

/* A 2-D Wilks contour for two parameters: m1 and m2 are models of the same
 * data for each parameter alone, `cross` (events/kg/day per unit
 * theta1 theta2, per bin; NULL if none) their interference. The nuisances
 * stay at the 1-D best fit of m1 (a fixed-nuisance scan). Grid points with
 * Delta(-2 ln L) <= the chi2_2 quantile at cl are accepted. */
typedef struct {
  size_t n1, n2;
  double *theta1, *theta2, *t; /* t[i2 * n1 + i1] */
  double critical, best1, best2;
} nuem_contour;

nuem_status nuem_contour_wilks(nuem_context *ctx, const nuem_model *m1, const nuem_model *m2,
                               const double *cross, const nuem_data *d, double cl,
                               size_t grid, nuem_contour *out);
void nuem_contour_free(nuem_contour *c);
/* The interference template of the model's parameter with poi2, per bin
 * (NULL when they do not interfere: everything but q with r2). */
nuem_status nuem_model_cross(nuem_context *ctx, const nuem_model *m, int poi2,
                             double **cross);

/* Expected upper limit without signal: the Asimov median and the
 * 2.3/15.9/50/84.1/97.7 % quantiles of Wilks limits of background-only toys,
 * in reported POI units. */
typedef struct {
  double asimov;
  double band[5];
} nuem_sensitivity;

/* Same toy and thread rules as nuem_interval_fc. The Asimov limit has the
 * nuisances profiled; each toy's limit too if `profiled`, else (fast) the
 * toys' limits hold them at nominal (analysis.sensitivity_toys). */
nuem_status nuem_sensitivity_compute(nuem_context *ctx, const nuem_model *m,
                                     const nuem_data *like, double cl, size_t toys,
                                     unsigned long seed, int threads, int profiled,
                                     nuem_sensitivity *out);

/* ---- scans ------------------------------------------------------------------ */

enum { NUEM_SCAN_MAX_KEYS = 8 };

/* --scan KEY[,KEY...]=FROM:TO:N sets every key to each value (the keys
 * share a dimension; FROM and TO carry a unit); KEY[,KEY...]*=FROM:TO:N
 * multiplies each key's configured value by each factor (e.g. the ON and
 * OFF exposures together). */
typedef struct {
  size_t nkeys;
  nuem_param keys[NUEM_SCAN_MAX_KEYS];
  int relative;          /* a scale factor rather than a value */
  double from, to;       /* internal units, or factors */
  size_t n;
  const char *unit;      /* display unit of from/to ("1" for factors) */
  double unit_factor;    /* internal value of one display unit */
  char label[256];       /* the keys as given, for headers */
} nuem_scan;

nuem_status nuem_scan_parse(nuem_context *ctx, const char *text, nuem_scan *out);
/* The value of point i (internal units, or the factor). */
double nuem_scan_value(const nuem_scan *scan, size_t i);
/* A copy of cfg with scan point i applied (free with nuem_config_free). */
nuem_status nuem_scan_config(nuem_context *ctx, const nuem_config *cfg, const nuem_scan *scan,
                             size_t i, nuem_config **out);

/* The expected limits of every scan point (scan NULL: the config alone),
 * in the POI's reported unit. The flux plan is built once unless the scan
 * changes the source, target or physics. */
typedef struct {
  size_t n;
  double *x;               /* scan values in the display unit */
  nuem_sensitivity *points;
  int poi;
} nuem_sensitivity_scan;

nuem_status nuem_sensitivity_scan_compute(nuem_context *ctx, const nuem_config *cfg,
                                          const nuem_scan *scan,
                                          nuem_sensitivity_scan *out);
void nuem_sensitivity_scan_free(nuem_sensitivity_scan *s);
/* The interval at every point of a scan for data d (a mass scan of a
 * sterile-dm source: the limit on mu_sa versus m_s), by analysis.method.
 * z_local: the local significance sqrt(-2 Delta ln L(0)) of a positive
 * best fit (one-sided), 0 otherwise. A sterile-dm halo scan reads the
 * atomic model once (nuem_spectrum_vary_halo). */
typedef struct {
  double x;                  /* scan value in its display unit */
  double best, lo, hi;       /* reported POI units (mu: mu_B) */
  int hi_at_boundary;
  double z_local;
  double mass, line_energy, line_sigma; /* sterile-dm: m_s, the line's energy and the
                                           resolution sigma there [MeV]; else NaN */
} nuem_limit_point;
typedef struct {
  size_t n;
  nuem_limit_point *points;
  int poi;
} nuem_limit_scan;
nuem_status nuem_limit_scan_compute(nuem_context *ctx, const nuem_config *cfg,
                                    const nuem_scan *scan, const nuem_data *d,
                                    nuem_limit_scan *out);
void nuem_limit_scan_free(nuem_limit_scan *s);
/* The look-elsewhere trials factor of a line search along the scan: the
 * span of the line energies in resolution FWHMs, plus one, at most n (n if
 * the resolution is unknown). docs/statistics.md, "Look-elsewhere". */
double nuem_limit_scan_trials(const nuem_limit_scan *s);

/* The most significant point and its local and global significance:
 * p_global = 1 - (1 - p_local)^trials (Sidak, with the trials of
 * nuem_limit_scan_trials); z_global = 0 when p_global >= 1/2. */
typedef struct {
  size_t best;
  double z_local, p_local, trials, p_global, z_global;
} nuem_look_elsewhere;
void nuem_limit_scan_significance(const nuem_limit_scan *s, nuem_look_elsewhere *out);

/* The unit of a POI as reported (muB, e, cm2, 1). */
const char *nuem_poi_unit(int poi);

/* ---- whole jobs from a config and a data file ----------------------------- */

/* The data, spectrum and model of a fit or limit: the data file read,
 * analysis.statistic checked against it, the model built from the
 * config's spectrum and [analysis] keys. `cfg` must outlive it. */
typedef struct nuem_analysis nuem_analysis;
nuem_status nuem_analysis_new(nuem_context *ctx, const nuem_config *cfg, const char *data_path,
                              nuem_analysis **out);
void nuem_analysis_free(nuem_analysis *a);
const nuem_data *nuem_analysis_data(const nuem_analysis *a);
const nuem_spectrum *nuem_analysis_spectrum(const nuem_analysis *a);
const nuem_model_options *nuem_analysis_options(const nuem_analysis *a);
const nuem_model *nuem_analysis_model(const nuem_analysis *a);

/* The table of `nuem fit`: one row, columns best, lo_68, hi_68 (the POI in
 * its reported unit), minus2lnL, ndf and the nuisances of nuem_nuisance_name (in sigma);
 * notes poi, data, nuisances and, if one sits at its bound, warning. */
nuem_status nuem_fit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                           nuem_result *out);
/* The table of `nuem limit` (one parameter) by analysis.method: per grid
 * point theta (muB2 for mu), t, critical, accepted; notes method, best_fit,
 * interval, warning(s), coverage. *iv (may be NULL) receives the interval,
 * to be freed with nuem_interval_free. For cls, cls-asymptotic and bayes:
 * the table of nuem_upper_limit_table, and *iv = [0, limit] without a
 * grid (lo_at_boundary set, coverage -1). */
nuem_status nuem_limit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                             nuem_interval *iv, nuem_result *out);
/* The table of `nuem sensitivity`: per scan point (scan_text "KEY=FROM:TO:N"
 * as for --scan, or NULL: the config alone) scan, asimov and the five
 * quantiles in the POI's reported unit; notes expected and scan. */
nuem_status nuem_sensitivity_table(nuem_context *ctx, const nuem_config *cfg,
                                   const char *scan_text, nuem_result *out);

/* ---- 2-D Feldman-Cousins; CLs and Bayesian upper limits -------------------
 * docs/statistics.md, "2-D Feldman-Cousins" and "CLs and Bayesian upper
 * limits". */

/* Feldman-Cousins on the plane of a 2-D contour: the same observed
 * statistic as nuem_contour_wilks (the likelihood ratio against the best fit
 * over the physical plane, nuisances fixed at the 1-D best fit of m1), with
 * the critical value of each grid node from `toys` pseudo-experiments drawn
 * there and fitted over the whole plane. Node k = i2 * n1 + i1 draws from
 * (seed, k) only: the same belt on any number of threads. If coverage_toys
 * > 0, also measures the achieved coverage at the node nearest the best fit
 * with fresh toys. Same toy and thread errors as nuem_interval_fc. */
typedef struct {
  nuem_contour wilks;   /* grid, observed t, the chi2_2 critical value, best fit */
  double *critical;     /* FC critical value of each node, [i2 * n1 + i1] */
  size_t best_node;     /* the node nearest the best fit */
  int contains_best;    /* the FC region holds the best fit's node */
  double coverage;      /* achieved coverage at best_node (or -1) */
} nuem_contour_fc;

nuem_status nuem_contour_feldman_cousins(nuem_context *ctx, const nuem_model *m1,
                                         const nuem_model *m2, const double *cross,
                                         const nuem_data *d, double cl, size_t grid,
                                         size_t toys, unsigned long seed, int threads,
                                         size_t coverage_toys, nuem_contour_fc *out);
void nuem_contour_fc_free(nuem_contour_fc *c);
/* Is node k inside the FC region? */
int nuem_contour_fc_accepted(const nuem_contour_fc *c, size_t k);

/* Upper limits by CLs (Read, J. Phys. G 28, 2693 (2002); Junk, NIM A 434,
 * 435 (1999)) with the one-sided profile-likelihood statistic q~ of Cowan,
 * Cranmer, Gross & Vitells, EPJC 71, 1554 (2011), from toys or from their
 * asymptotic formulae; and Bayesian upper limits with a flat prior, the
 * nuisances profiled. For parameters bounded below (mu, cevns) CLs; Bayes
 * for every parameter (signed ones: a limit on |theta|). */
enum { NUEM_PRIOR_FLAT, NUEM_PRIOR_FLAT_ROOT }; /* flat in theta (mu^2, q, <r2>, CEvNS
                                                   norm.); flat in sqrt(theta) = |mu| */
typedef struct {
  size_t n;
  double *theta;            /* the fitted parameter (mu: mu^2) */
  double *q;                /* CLs: observed q~; Bayes: -2 Delta ln L, nuisances profiled */
  double *clsb, *clb, *cls; /* CLs only (NULL for Bayes) */
  double *cdf;              /* Bayes only: posterior probability of |theta'| <= |theta| */
  double theta_limit, limit; /* the limit: fitted parameter, reported units */
  double theta_hat, best_report;
  int at_boundary;          /* the limit reaches the end of the scanned range */
} nuem_upper_limit;

/* CLs at `grid` points of the range and the limit where CLs = 1 - cl
 * (bisection between the bracketing points). toys > 0: toys at each point,
 * s+b at the nuisances' conditional fit to the data there, b at theta = 0
 * with theirs (one Poisson bin without OFF data: enumerated exactly);
 * toys = 0: the asymptotic formulae, sigma from background-only Asimov
 * data. Toy and thread rules as nuem_interval_fc. */
nuem_status nuem_limit_cls(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                           double cl, size_t grid, size_t toys, unsigned long seed,
                           int threads, nuem_upper_limit *out);
/* The posterior exp(-t/2) prior on a uniform grid (at least `grid`
 * points) of the prior's variable, t the profile -2 ln L: the limit holds
 * cl of it. */
nuem_status nuem_limit_bayes(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                             double cl, size_t grid, int prior, nuem_upper_limit *out);
void nuem_upper_limit_free(nuem_upper_limit *u);

/* analysis.method and analysis.prior: a prior set for a method other than
 * bayes, or flat-mu for a POI other than mu, is an error naming both. */
enum { NUEM_METHOD_WILKS, NUEM_METHOD_FC, NUEM_METHOD_CLS, NUEM_METHOD_CLS_ASYMPTOTIC,
       NUEM_METHOD_BAYES };
nuem_status nuem_method_from_config(nuem_context *ctx, const nuem_config *cfg, int *method,
                                    int *prior);
/* The upper limit of a CLs or Bayes method (the [analysis] keys of cfg). */
nuem_status nuem_upper_limit_compute(nuem_context *ctx, const nuem_config *cfg,
                                     const nuem_model *m, const nuem_data *d,
                                     nuem_upper_limit *out);
/* The table of a CLs or Bayesian limit of a job (nuem_analysis_new): per
 * scanned theta (muB2 for mu) the statistic and CL_s+b, CL_b, CL_s (CLs) or
 * the posterior's cumulative probability (Bayes); notes method, best_fit,
 * limit, warning. *u (may be NULL) receives the limit, to be freed with
 * nuem_upper_limit_free. */
nuem_status nuem_upper_limit_table(nuem_context *ctx, const nuem_config *cfg,
                                   const nuem_analysis *a, nuem_upper_limit *u,
                                   nuem_result *out);


/* ---- joint fits of several experiments -------------------------------------
 * docs/statistics.md, "Joint fits": -2 ln L_joint(theta, nu_shared, nu_1..n)
 * = sum_e [-2 ln L_e(theta, nu_shared, nu_e)] with each correlated
 * nuisance's Gaussian constraint counted once; theta (analysis.poi) shared,
 * each experiment's other nuisances its own. All nuisances are profiled
 * together (one simplex). */
enum { NUEM_JOINT_MAX = 16, NUEM_JOINT_NAME = 64 };
typedef struct nuem_joint nuem_joint;
/* One experiment: a name, its data file and its config file (NULL or "":
 * the defaults). */
typedef struct {
  const char *name, *data, *config;
} nuem_joint_input;
/* The experiments' configs are their files with the assignments `sets`
 * ("section.key=value", as --set) applied to each. correlated: nuisance
 * names separated by commas (flux, efficiency, quenching_k, energy_scale),
 * or NULL. Errors: analysis.poi or analysis.cl that differ between
 * experiments, a correlated nuisance an experiment does not fit (width 0),
 * a data file whose bins differ from its config's (naming the pair). */
nuem_status nuem_joint_new(nuem_context *ctx, const nuem_joint_input *in, size_t n,
                           const char *correlated, const char *const *sets, size_t nsets,
                           nuem_joint **out);
/* A combination file: [experiment.NAME] sections with data = FILE and
 * config = FILE (relative paths from the combination file's folder), and
 * [combination] correlated = NAMES. */
nuem_status nuem_joint_from_file(nuem_context *ctx, const char *path, const char *const *sets,
                                 size_t nsets, nuem_joint **out);
void nuem_joint_free(nuem_joint *j);
size_t nuem_joint_size(const nuem_joint *j);
const char *nuem_joint_name(const nuem_joint *j, size_t e);
const nuem_analysis *nuem_joint_experiment(const nuem_joint *j, size_t e);
const nuem_config *nuem_joint_config(const nuem_joint *j, size_t e);
int nuem_joint_shared(const nuem_joint *j, int k);
/* The POI range every experiment's model covers (the joint scan's). */
void nuem_joint_range(const nuem_joint *j, double *lo, double *hi);
/* The joint -2 ln L at theta, every nuisance profiled. */
nuem_status nuem_joint_profile(nuem_context *ctx, const nuem_joint *j, double theta, double *t);
/* The Wilks interval of the joint profile likelihood. */
nuem_status nuem_joint_wilks(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                             nuem_interval *iv);
/* Feldman-Cousins of the joint likelihood (the profile construction of
 * nuem_interval_fc): at each grid point the nuisances at their joint
 * conditional fit, `toys` toys each drawing every experiment's data from its
 * own expectation, the statistic the joint -2 ln L ratio against its
 * minimum over the range. Grid point i draws from (seed, i) only, through
 * nuem_map: the same on any number of threads or MPI ranks. Interval ends
 * interpolated between grid points; binned data only. */
nuem_status nuem_joint_fc(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                          size_t toys, unsigned long seed, int threads, nuem_interval *iv);
/* The expected limits: the Wilks intervals of no-signal Asimov data (each
 * experiment's, nuisances nominal) in place of the data, combined
 * (expected[0]) and of each experiment alone (expected[e + 1]); the upper
 * end for mu and cevns, the half-width for q and r2. */
nuem_status nuem_joint_expected(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                                double *expected);
/* The table of `nuem limit --combine`: row 0 the combination, row e each
 * experiment alone (Wilks, or Feldman-Cousins when analysis.method =
 * feldman-cousins is given; CLs and Bayes an error; the first experiment's
 * analysis.cl, grid, toys, seed and threads):
 * columns experiment, best, lo, hi (the POI's reported unit), upper_limit
 * (1 if lo is the physical boundary of mu), expected (nuem_joint_expected);
 * notes method, poi,
 * expected, correlated, experiment_E (name and files) and limit_NAME per row. */
nuem_status nuem_joint_limit_table(nuem_context *ctx, const nuem_joint *j, nuem_result *out);

#ifdef __cplusplus
}
#endif
#endif

/* The analysis model: templates through the chain, nuisances, likelihood. */
#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"
#include "nuem/constants.h"

/* Reference property values for the templates: the excesses are exactly
 * quadratic, so these only set the numerical scale (the Figure-3 values of
 * docs/physics.md, "Electromagnetic properties"). */
#define MU_REF 1e-11 /* mu_B */
#define Q_REF 1e-12  /* e */
#define R2_REF 1e-32 /* cm2 */

/* -2 ln L of an impossible model (a negative mean, a normalisation below
 * zero): large enough to lose every comparison, finite for the minimisers. */
#define T_IMPOSSIBLE 1e30
/* Bins of data and config match when their edges agree to rounding. */
#define EDGE_MATCH_REL 1e-9
#define EDGE_MATCH_ABS 1e-15 /* MeV */
/* A positive floor for a per-bin OFF background that profiles to zero, so
 * the Poisson mean stays positive (counts per bin). */
#define BKG_FLOOR 1e-12
/* Golden-section ratio (sqrt(5) - 1)/2. */
#define GOLDEN 0.6180339887498949

const char *nuem_nuisance_name(int k) {
  static const char *const names[NUEM_NNU] = {"flux", "efficiency", "background",
                                              "quenching_k", "energy_scale", "flux_shape"};
  return k >= 0 && k < NUEM_NNU ? names[k] : "?";
}

int nuem_model_poi(const nuem_model *m) { return m->poi; }

double nuem_model_shape_share(const nuem_model *m) { return m->shape ? m->shape_share : NAN; }

double nuem_model_constraint(const nuem_model *m, int k) {
  return k >= 0 && k < NUEM_NNU ? m->sigma[k] : NAN;
}

void nuem_model_range(const nuem_model *m, double *lo, double *hi) {
  *lo = m->lo;
  *hi = m->hi;
}

double nuem_model_report(const nuem_model *m, double theta) {
  return m->poi == NUEM_POI_MU ? sqrt(fmax(theta, 0.0)) : theta;
}

const char *nuem_model_unit(const nuem_model *m) { return nuem_poi_unit(m->poi); }

const nuem_choice nuem_poi_choices[NUEM_NPOI] = {
    {"mu", NUEM_POI_MU}, {"q", NUEM_POI_Q}, {"r2", NUEM_POI_R2}, {"cevns", NUEM_POI_CEVNS}};

const char *nuem_poi_unit(int poi) {
  static const char *const units[] = {"muB", "e", "cm2", "1"};
  return poi >= 0 && poi <= NUEM_POI_CEVNS ? units[poi] : "?";
}

void nuem_model_free(nuem_model *m) {
  if (!m) return;
  for (int k = 0; k < NSETTING; k++) {
    free(m->A[k]);
    free(m->B[k]);
    free(m->C[k]);
    nuem_spectrum_free(m->varied[k]);
  }
  nuem_interp_free(m->shape);
  free(m->bkg);
  free(m->data_sigma);
  free(m->edges);
  free(m->width);
  free(m);
}

nuem_status nuem_model_options_from_config(nuem_context *ctx, const nuem_config *cfg,
                                           nuem_model_options *o) {
  memset(o, 0, sizeof *o);
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_ANALYSIS_POI, nuem_poi_choices, &o->poi));
  o->flux_from_spectrum = nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_FLUX_MODEL, "spectrum");
  if (o->flux_from_spectrum && nuem_config_given(cfg, NUEM_P_ANALYSIS_FLUX_UNCERTAINTY))
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.flux_model = spectrum derives the flux "
                      "uncertainty: leave out analysis.flux_uncertainty");
  o->sigma[NUEM_NU_FLUX] = nuem_config_number(cfg, NUEM_P_ANALYSIS_FLUX_UNCERTAINTY);
  o->sigma[NUEM_NU_SHAPE] = o->flux_from_spectrum; /* the mode is one sigma */
  o->sigma[NUEM_NU_EFFICIENCY] = nuem_config_number(cfg, NUEM_P_ANALYSIS_EFFICIENCY_UNCERTAINTY);
  o->sigma[NUEM_NU_QUENCHING] = nuem_config_number(cfg, NUEM_P_ANALYSIS_QUENCHING_K_UNCERTAINTY);
  o->sigma[NUEM_NU_SCALE] = nuem_config_number(cfg, NUEM_P_ANALYSIS_ENERGY_SCALE_UNCERTAINTY);
  o->sigma[NUEM_NU_BACKGROUND] =
      nuem_config_is_set(cfg, NUEM_P_ANALYSIS_BACKGROUND_UNCERTAINTY)
          ? nuem_config_number(cfg, NUEM_P_ANALYSIS_BACKGROUND_UNCERTAINTY) : -1;
  o->quenching_k = nuem_config_number(cfg, NUEM_P_DETECTOR_QUENCHING_K);
  o->energy_scale = nuem_config_number(cfg, NUEM_P_DETECTOR_ENERGY_SCALE);
  o->sm_in_background = nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_STANDARD_MODEL, "background");
  const char *text = nuem_config_text(cfg, NUEM_P_ANALYSIS_POI_MAX);
  if (!*text) return NUEM_OK;
  double max;
  NUEM_TRY(nuem_quantity_parse(ctx, text, nuem_poi_unit(o->poi), "analysis.poi_max", &max));
  if (!(max > 0 && isfinite(max)))
    return nuem_error(ctx, NUEM_ERANGE, "analysis.poi_max must be positive and finite");
  o->poi_max = o->poi == NUEM_POI_MU ? max * max : max;
  return NUEM_OK;
}

/* The property values of a template: the POI at +-ref, the others 0. */
static nuem_properties template_point(int poi, double sign) {
  nuem_properties p = {0, 0, 0};
  if (poi == NUEM_POI_MU) p.mu = MU_REF;
  if (poi == NUEM_POI_Q) p.q = sign * Q_REF;
  if (poi == NUEM_POI_R2) p.r2 = sign * R2_REF;
  return p;
}

/* Events/kg/day in bin j of rate column col (NUEM_COL_x) of both channels. */
static double both_channels(const nuem_measured *r, int elec_col, size_t j) {
  return r->events[elec_col - 1][j] + r->events[elec_col + 3][j];
}

/* Templates A, B, C (events/kg/day) of nuisance setting k from spectrum sp. */
static nuem_status templates(nuem_context *ctx, const nuem_spectrum *sp, nuem_model *m, int k) {
  nuem_properties plus = template_point(m->poi, 1), minus = template_point(m->poi, -1);
  nuem_measured rp, rm = {0};
  NUEM_TRY(nuem_spectrum_measure(ctx, sp, &plus, &rp));
  int signed_poi = m->poi == NUEM_POI_Q || m->poi == NUEM_POI_R2;
  nuem_status s = signed_poi ? nuem_spectrum_measure(ctx, sp, &minus, &rm) : NUEM_OK;
  m->A[k] = calloc(m->n, sizeof(double));
  m->B[k] = calloc(m->n, sizeof(double));
  m->C[k] = calloc(m->n, sizeof(double));
  if (!s && (!m->A[k] || !m->B[k] || !m->C[k]))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for templates");
  for (size_t j = 0; !s && j < m->n; j++) {
    m->A[k][j] = both_channels(&rp, NUEM_COL_ELEC_SM, j);
    if (m->poi == NUEM_POI_MU) { /* theta = mu^2 in mu_B^2 */
      m->B[k][j] = both_channels(&rp, NUEM_COL_ELEC_MU, j) / (MU_REF * MU_REF);
    } else if (signed_poi) {
      int col = m->poi == NUEM_POI_Q ? NUEM_COL_ELEC_Q : NUEM_COL_ELEC_R2;
      double ref = m->poi == NUEM_POI_Q ? Q_REF : R2_REF;
      double ep = both_channels(&rp, col, j), em = both_channels(&rm, col, j);
      m->B[k][j] = (ep - em) / (2 * ref);
      m->C[k][j] = (ep + em) / (2 * ref * ref);
    } else { /* CEvNS normalisation */
      m->A[k][j] = rp.events[NUEM_COL_ELEC_SM - 1][j];
      m->B[k][j] = rp.events[NUEM_COL_NUCL_SM - 1][j];
    }
    /* analysis.standard_model = background: the background model already
     * holds the SM rate (e.g. XENONnT's B0 its solar-nu ER component) */
    if (m->opt.sm_in_background) m->A[k][j] = 0;
  }
  if (!s && k == 0) {
    m->bkg = malloc(m->n * sizeof(double));
    if (!m->bkg) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for templates");
    else memcpy(m->bkg, rp.background, m->n * sizeof(double));
    m->exposure_on = rp.exposure_on;
    m->exposure_off = rp.exposure_off;
  }
  nuem_measured_free(&rp);
  nuem_measured_free(&rm);
  return s;
}

/* With data, the spectrum's bins (if any) must be the data's. */
/* An event list needs the config's bins (the templates' resolution), and
 * they must span exactly its analysis window. */
static nuem_status check_window(nuem_context *ctx, const nuem_response *r, const nuem_data *d) {
  if (!r)
    return nuem_error(ctx, NUEM_ECONFIG, "%s is an event list: give detector.bins spanning "
                      "its window, %g to %g keV (fine bins, e.g. 0.1 keV, carry the predicted "
                      "density; docs/statistics.md)", d->origin, d->window[0] * 1e3,
                      d->window[1] * 1e3);
  const double *w = d->window, *e = r->meas_edges;
  if (fabs(e[0] - w[0]) <= EDGE_MATCH_REL * fabs(w[0]) + EDGE_MATCH_ABS &&
      fabs(e[r->nmeas] - w[1]) <= EDGE_MATCH_REL * fabs(w[1]) + EDGE_MATCH_ABS)
    return NUEM_OK;
  return nuem_error(ctx, NUEM_ECONFIG, "%s: its analysis window %g to %g keV differs from "
                    "the config's bins, %g to %g keV; make detector.bins span the window",
                    d->origin, w[0] * 1e3, w[1] * 1e3, e[0] * 1e3, e[r->nmeas] * 1e3);
}

static nuem_status check_bins(nuem_context *ctx, const nuem_spectrum *sp, const nuem_data *d) {
  const nuem_response *r = nuem_spectrum_response(sp);
  if (d && d->mode == NUEM_DATA_EVENTS) return check_window(ctx, r, d);
  if (!r || !d) return NUEM_OK;
  int same = r->nmeas == d->nbins;
  for (size_t j = 0; same && j <= d->nbins; j++)
    same = fabs(r->meas_edges[j] - d->edges[j]) <= EDGE_MATCH_REL * fabs(d->edges[j]) + EDGE_MATCH_ABS;
  if (same) return NUEM_OK;
  return nuem_error(ctx, NUEM_ECONFIG, "%s: its %zu bins (%g to %g keV) do not match the "
                    "config's %zu bins (%g to %g keV); remove detector.bins from the config "
                    "or make them agree", d->origin, d->nbins, d->edges[0] * 1e3,
                    d->edges[d->nbins] * 1e3, r->nmeas, r->meas_edges[0] * 1e3,
                    r->meas_edges[r->nmeas] * 1e3);
}

/* Nuisance setting k (0 nominal, 1/2 quenching k -/+, 3/4 energy scale -/+,
 * 6 flux shape +; 5, its mirror, is not a spectrum: mirror_templates) as a
 * variation of the spectrum; the nominal one with the config's bins is the
 * spectrum itself. */
static nuem_status setting_spectrum(nuem_context *ctx, const nuem_spectrum *sp,
                                    const nuem_data *d, nuem_model *m, int k,
                                    const nuem_spectrum **out) {
  nuem_detector_change change = nuem_detector_unchanged();
  const double sign = k % 2 ? -1 : 1;
  if (k == 1 || k == 2) change.quenching_k = m->opt.quenching_k + sign * m->sigma[NUEM_NU_QUENCHING];
  if (k == 3 || k == 4) change.energy_scale = m->opt.energy_scale * (1 + sign * m->sigma[NUEM_NU_SCALE]);
  if (d && d->edges && !nuem_spectrum_response(sp)) {
    change.edges = d->edges;
    change.nbins = d->nbins;
  }
  if (k == 0 && !change.edges) {
    *out = sp;
    return NUEM_OK;
  }
  if (k == 6)
    NUEM_TRY(nuem_spectrum_vary_flux(ctx, sp, m->shape, sign, &change, &m->varied[k]));
  else
    NUEM_TRY(nuem_spectrum_vary(ctx, sp, NULL, &change, &m->varied[k]));
  *out = m->varied[k];
  return NUEM_OK;
}

/* Which nuisances are fitted. Without data (Asimov, sensitivity) the data
 * to come have an OFF period if the detector has an OFF exposure; with one,
 * the per-bin OFF backgrounds are profiled and a background scale would be
 * a flat direction of the likelihood. */
static void constraints(const nuem_model_options *o, const nuem_data *d, nuem_model *m) {
  memcpy(m->sigma, o->sigma, sizeof m->sigma);
  int counts = !d || d->mode != NUEM_DATA_RESIDUAL; /* counts or events */
  int has_off = d ? d->mode == NUEM_DATA_COUNTS && d->off : m->exposure_off > 0;
  m->background_free = counts && !has_off && o->sigma[NUEM_NU_BACKGROUND] < 0;
  if (!counts || has_off || m->sigma[NUEM_NU_BACKGROUND] < 0) m->sigma[NUEM_NU_BACKGROUND] = 0;
  for (int k = 0; k < NUEM_NNU; k++) m->active[k] = m->sigma[k] > 0;
  m->active[NUEM_NU_BACKGROUND] |= m->background_free;
}

static nuem_status bins_of(nuem_context *ctx, const nuem_spectrum *sp, const nuem_data *d,
                           nuem_model *m) {
  const nuem_response *r = nuem_spectrum_response(sp);
  const nuem_data *binned = d && d->edges ? d : NULL; /* an event list has none */
  if (!binned && !r)
    return nuem_error(ctx, NUEM_ECONFIG, "the analysis needs bins: give data or detector.bins");
  const double *edges = binned ? binned->edges : r->meas_edges;
  m->n = binned ? binned->nbins : r->nmeas;
  m->edges = malloc((m->n + 1) * sizeof(double));
  m->width = malloc((m->n + 1) * sizeof(double));
  if (!m->edges || !m->width) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  memcpy(m->edges, edges, (m->n + 1) * sizeof(double));
  for (size_t j = 0; j < m->n; j++) m->width[j] = (edges[j + 1] - edges[j]) * 1e3;
  return NUEM_OK;
}

/* The detection channel's kernel K(E) (its rate is integral K dPhi/dE) for
 * the split of the spectrum band (docs/statistics.md, "Flux shape"). nu-e
 * scattering at T << E: flat. CEvNS: the cross section folded with the
 * window's efficiency per true (electron-equivalent) bin of the response,
 * eps_i = sum_j m_ij, with dsigma/dT ~ M Q_w^2 (1 - T/T_max) (form factor 1,
 * Q_w = Z g_V^p + N g_V^n, T_max = 2 E^2/(M + 2E)): true bin i holds the
 * recoils between T(a_i) and T(b_i) of the quenching, so
 * K = sum_iso M Q_w^2 sum_i eps_i [F(T(b_i)) - F(T(a_i))],
 * F(T) = t - t^2/(2 T_max), t = min(T, T_max). */
typedef struct {
  const nuem_target *tgt;
  const nuem_response *r;
  double gv_p, gv_n;
  double *eps;    /* ntrue */
  double *recoil; /* element el: recoil[el * (ntrue + 1) + i] at true edge i, MeV */
} cevns_kernel;

static double flat_kernel(double E, const void *user) {
  (void)E, (void)user;
  return 1.0;
}

static double recoil_integral(double T, double tmax) {
  double t = fmin(T, tmax);
  return t - t * t / (2 * tmax);
}

static double cevns_window_kernel(double E, const void *user) {
  const cevns_kernel *k = user;
  size_t nt = k->r->ntrue;
  double K = 0;
  for (size_t el = 0; el < k->tgt->nelements; el++) {
    const nuem_element *e = &k->tgt->elements[el];
    const double *rec = k->recoil + el * (nt + 1);
    for (size_t i = 0; i < e->nisotopes; i++) {
      const nuem_isotope *iso = &e->isotopes[i];
      double tmax = 2 * E * E / (iso->mass + 2 * E), qw = iso->Z * k->gv_p + iso->N * k->gv_n;
      double sum = 0;
      for (size_t t = 0; t < nt && rec[t] < tmax; t++)
        sum += k->eps[t] * (recoil_integral(rec[t + 1], tmax) - recoil_integral(rec[t], tmax));
      K += e->count * iso->abundance * iso->mass * qw * qw * sum;
    }
  }
  return K;
}

static void cevns_kernel_free(cevns_kernel *k) {
  free(k->eps);
  free(k->recoil);
}

static nuem_status cevns_kernel_init(nuem_context *ctx, const nuem_spectrum *sp,
                                     cevns_kernel *k) {
  const nuem_properties none = {0, 0, 0};
  nuem_interaction in = nuem_spectrum_interaction(sp, &none);
  const nuem_quenching *q = nuem_spectrum_quenching(sp);
  k->tgt = nuem_spectrum_target(sp);
  k->r = nuem_spectrum_response(sp);
  k->gv_p = in.gv_p;
  k->gv_n = in.gv_n;
  size_t nt = k->r->ntrue, nm = k->r->nmeas;
  k->eps = calloc(nt, sizeof *k->eps);
  k->recoil = malloc(k->tgt->nelements * (nt + 1) * sizeof *k->recoil);
  if (!k->eps || !k->recoil) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  for (size_t i = 0; i < nt; i++)
    for (size_t j = 0; j < nm; j++) k->eps[i] += k->r->m[i * nm + j];
  for (size_t el = 0; el < k->tgt->nelements; el++)
    for (size_t i = 0; i <= nt; i++) {
      double jac, *T = &k->recoil[el * (nt + 1) + i];
      if (!nuem_quenching_invert(q, el, k->r->true_edges[i], T, &jac)) *T = 0; /* below a cutoff */
    }
  return NUEM_OK;
}

/* analysis.flux_model = spectrum: the flux nuisance's width is the relative
 * one-sigma of the signal from the published spectrum band with the
 * channel's kernel, and the flux-shape nuisance varies the spectrum along
 * the band's leading shape mode for it (docs/statistics.md, "Flux
 * uncertainty from the spectrum", "Flux shape"); sp has the model's bins. */
static nuem_status flux_from_spectrum(nuem_context *ctx, const nuem_spectrum *sp,
                                      nuem_model *m) {
  if (!m->opt.flux_from_spectrum && !(m->opt.sigma[NUEM_NU_SHAPE] > 0)) return NUEM_OK;
  const nuem_source *src = nuem_spectrum_source(sp);
  if (!src)
    return nuem_error(ctx, NUEM_ECONFIG, "analysis.flux_model = spectrum needs a neutrino "
                      "source with a published spectrum band");
  cevns_kernel ck = {0};
  nuem_flux_kernel kernel = {flat_kernel, NULL};
  nuem_status s = NUEM_OK;
  if (m->poi == NUEM_POI_CEVNS) {
    if (!nuem_spectrum_response(sp))
      return nuem_error(ctx, NUEM_EINTERNAL, "the CEvNS flux kernel needs a response");
    s = cevns_kernel_init(ctx, sp, &ck);
    kernel = (nuem_flux_kernel){cevns_window_kernel, &ck};
  }
  double norm;
  if (!s) s = nuem_source_flux_shape(ctx, src, &kernel, &norm, &m->shape, &m->shape_share);
  cevns_kernel_free(&ck);
  NUEM_TRY(s);
  if (m->opt.flux_from_spectrum) m->opt.sigma[NUEM_NU_FLUX] = norm;
  if (!(m->opt.sigma[NUEM_NU_SHAPE] > 0)) {
    nuem_interp_free(m->shape);
    m->shape = NULL;
  }
  return NUEM_OK;
}

static nuem_status nuem_model_set_range(nuem_context *ctx, nuem_model *m);

/* The templates of setting `to` as the mirror of setting `from` about the
 * nominal, X_to = 2 X_0 - X_from: exact where the prediction is linear in
 * the nuisance (the flux shape: the rate is linear in the flux), and one
 * rebuilt chain instead of two. */
static nuem_status mirror_templates(nuem_context *ctx, nuem_model *m, int from, int to) {
  double **T[3] = {m->A, m->B, m->C};
  for (int q = 0; q < 3; q++) {
    if (!(T[q][to] = malloc(m->n * sizeof(double))))
      return nuem_error(ctx, NUEM_ENOMEM, "out of memory for templates");
    for (size_t j = 0; j < m->n; j++) T[q][to][j] = 2 * T[q][0][j] - T[q][from][j];
  }
  return NUEM_OK;
}

static nuem_status model_build(nuem_context *ctx, const nuem_spectrum *sp,
                               const nuem_data *d, nuem_model *m) {
  NUEM_TRY(check_bins(ctx, sp, d));
  NUEM_TRY(bins_of(ctx, sp, d, m));
  if (d && d->mode == NUEM_DATA_RESIDUAL) {
    if (!(m->data_sigma = malloc(d->nbins * sizeof(double))))
      return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
    memcpy(m->data_sigma, d->sigma, d->nbins * sizeof(double));
  }
  for (int k = 0; k < NSETTING; k++) {
    int wanted = k == 0 || (k <= 2 && m->active[NUEM_NU_QUENCHING]) ||
                 ((k == 3 || k == 4) && m->active[NUEM_NU_SCALE]) ||
                 (k == 6 && m->active[NUEM_NU_SHAPE]);
    if (!wanted) continue;
    const nuem_spectrum *spk;
    NUEM_TRY(setting_spectrum(ctx, sp, d, m, k, &spk));
    if (k == 0) NUEM_TRY(flux_from_spectrum(ctx, spk, m)); /* with the model's bins */
    NUEM_TRY(templates(ctx, spk, m, k));
  }
  if (m->active[NUEM_NU_SHAPE]) NUEM_TRY(mirror_templates(ctx, m, 6, 5));
  if (d && d->mode != NUEM_DATA_RESIDUAL) { /* the data's exposure counts */
    m->exposure_on = d->exposure_on;
    m->exposure_off = d->off ? d->exposure_off : 0;
  }
  constraints(&m->opt, d, m); /* again, now that the exposures are known */
  return nuem_model_set_range(ctx, m);
}

nuem_status nuem_model_new(nuem_context *ctx, const nuem_spectrum *sp,
                           const nuem_model_options *opt, const nuem_data *d,
                           nuem_model **out) {
  if (nuem_spectrum_is_sterile(sp) && opt->poi != NUEM_POI_MU)
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = sterile-dm has one parameter, the "
                      "transition moment: set analysis.poi = mu (it stands for mu_sa)");
  nuem_model *m = calloc(1, sizeof *m);
  if (!m) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  m->opt = *opt;
  m->poi = opt->poi;
  m->mode = d ? d->mode : NUEM_DATA_COUNTS;
  m->sp = sp;
  constraints(&m->opt, d, m); /* the detector nuisances, for the templates */
  nuem_status s = model_build(ctx, sp, d, m);
  if (s) {
    nuem_model_free(m);
    return nuem_error_trace(ctx, s, "analysis model");
  }
  *out = m;
  return NUEM_OK;
}

nuem_status nuem_model_cross(nuem_context *ctx, const nuem_model *m, int poi2,
                             double **cross) {
  *cross = NULL;
  int qr = (m->poi == NUEM_POI_Q && poi2 == NUEM_POI_R2) ||
           (m->poi == NUEM_POI_R2 && poi2 == NUEM_POI_Q);
  if (!qr) return NUEM_OK;
  const nuem_properties both = {0, Q_REF, R2_REF};
  nuem_measured r;
  NUEM_TRY(nuem_spectrum_measure(ctx, m->varied[0] ? m->varied[0] : m->sp, &both, &r));
  nuem_status s = NUEM_OK;
  if (!(*cross = malloc(r.nbins * sizeof(double))))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  for (size_t j = 0; !s && j < r.nbins; j++) {
    /* total = SM + excess(q) + excess(r2) + cross: what is left is the cross term */
    double rest = r.events[NUEM_COL_TOTAL - 1][j];
    for (int c = NUEM_COL_ELEC_SM; c < NUEM_COL_TOTAL; c++) rest -= r.events[c - 1][j];
    (*cross)[j] = rest / (Q_REF * R2_REF);
  }
  nuem_measured_free(&r);
  return s;
}

/* ---- templates under nuisances --------------------------------------------- */

/* x0 + the quadratic interpolation through the -1, 0, +1 sigma settings. */
static double morph(double x0, const double *minus, const double *plus, size_t j, double nu) {
  if (!minus) return 0.0;
  return nu * (plus[j] - minus[j]) / 2 + nu * nu * (plus[j] + minus[j] - 2 * x0) / 2;
}

static void coefficients(const nuem_model *m, const double *nu, size_t j, double *a,
                         double *b, double *c) {
  double *const *T[3] = {m->A, m->B, m->C};
  double out[3];
  for (int q = 0; q < 3; q++) {
    double *const *X = T[q];
    double x = X[0][j];
    x += morph(X[0][j], X[1], X[2], j, m->active[NUEM_NU_QUENCHING] ? nu[NUEM_NU_QUENCHING] : 0);
    x += morph(X[0][j], X[3], X[4], j, m->active[NUEM_NU_SCALE] ? nu[NUEM_NU_SCALE] : 0);
    x += morph(X[0][j], X[5], X[6], j, m->active[NUEM_NU_SHAPE] ? nu[NUEM_NU_SHAPE] : 0);
    out[q] = x;
  }
  double norm = (1 + m->sigma[NUEM_NU_FLUX] * nu[NUEM_NU_FLUX]) *
                (1 + m->sigma[NUEM_NU_EFFICIENCY] * nu[NUEM_NU_EFFICIENCY]);
  *a = norm * fmax(out[0], 0.0); /* the SM part of a template is a rate >= 0 */
  *b = norm * out[1];
  *c = norm * out[2];
}

static double background_scale(const nuem_model *m, const double *nu) {
  return m->background_free ? 1 + nu[NUEM_NU_BACKGROUND]
                            : 1 + m->sigma[NUEM_NU_BACKGROUND] * nu[NUEM_NU_BACKGROUND];
}

static double penalty(const nuem_model *m, const double *nu) {
  double p = 0;
  for (int k = 0; k < NUEM_NNU; k++)
    if (m->active[k] && !(k == NUEM_NU_BACKGROUND && m->background_free)) p += nu[k] * nu[k];
  return p;
}

/* The predicted density (counts/keV) of coefficient array x at energy E:
 * linear between the bin centres of the measured spectrum, the end bins'
 * values in their outer halves (docs/statistics.md, "Unbinned"). */
static double density_at(const nuem_model *m, const double *x, double E) {
  size_t n = m->n, lo = 0, hi = n; /* find the bin j with edges[j] <= E < edges[j+1] */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (E >= m->edges[mid]) lo = mid; else hi = mid;
  }
  double c = 0.5 * (m->edges[lo] + m->edges[lo + 1]);
  size_t k = E >= c ? lo : lo - (lo > 0); /* left centre of the pair around E */
  if ((E >= c && lo + 1 >= n) || (E < c && lo == 0)) return x[lo] / m->width[lo];
  double c0 = 0.5 * (m->edges[k] + m->edges[k + 1]), c1 = 0.5 * (m->edges[k + 1] + m->edges[k + 2]);
  double w = (E - c0) / (c1 - c0);
  return (1 - w) * x[k] / m->width[k] + w * x[k + 1] / m->width[k + 1];
}

nuem_status nuem_fixed_events(const nuem_model *m, const double *events, size_t n,
                              nuem_fixed *f) {
  free(f->ea);
  f->ea = f->eb = f->ec = f->ebkg = NULL;
  f->nev = n;
  if (!n) return NUEM_OK;
  if (!(f->ea = malloc(4 * n * sizeof(double)))) return NUEM_ENOMEM;
  f->eb = f->ea + n;
  f->ec = f->eb + n;
  f->ebkg = f->ec + n;
  for (size_t i = 0; i < n; i++) {
    double E = events[i];
    f->ea[i] = density_at(m, f->a, E);
    f->eb[i] = density_at(m, f->b, E);
    f->ec[i] = density_at(m, f->c, E);
    f->ebkg[i] = density_at(m, f->bkg, E);
  }
  return NUEM_OK;
}

nuem_status nuem_fixed_init(const nuem_model *m, const nuem_data *d, const double *nu,
                            nuem_fixed *f) {
  memset(f, 0, sizeof *f);
  f->n = m->n;
  /* an event-list model meets binned counts in its Asimov data and
   * sensitivity toys: those are fitted with the binned Poisson likelihood */
  int events = m->mode == NUEM_DATA_EVENTS && d && d->mode == NUEM_DATA_EVENTS;
  f->mode = m->mode == NUEM_DATA_EVENTS && !events ? NUEM_DATA_COUNTS : m->mode;
  f->has_off = d && d->mode == NUEM_DATA_COUNTS && d->off;
  f->ratio = f->has_off ? d->exposure_on / d->exposure_off : 0;
  f->a = malloc(4 * m->n * sizeof(double));
  if (!f->a) return NUEM_ENOMEM;
  f->b = f->a + m->n;
  f->c = f->b + m->n;
  f->bkg = f->c + m->n;
  double on = m->exposure_on, bs = background_scale(m, nu);
  for (size_t j = 0; j < m->n; j++) {
    double a, b, c;
    coefficients(m, nu, j, &a, &b, &c);
    double scale = m->mode != NUEM_DATA_RESIDUAL ? on : 1.0 / m->width[j]; /* counts or rate */
    f->a[j] = a * scale;
    f->b[j] = b * scale;
    f->c[j] = c * scale;
    f->bkg[j] = on * bs * m->bkg[j];
  }
  f->penalty = penalty(m, nu);
  return d && d->mode == NUEM_DATA_EVENTS ? nuem_fixed_events(m, d->events, d->nevents, f)
                                          : NUEM_OK;
}

void nuem_fixed_free(nuem_fixed *f) {
  free(f->a);
  free(f->ea);
  memset(f, 0, sizeof *f);
}

/* Poisson deviance 2 [mu - n + n ln(n/mu)]. */
static double deviance(double n, double mu) {
  if (!(mu > 0)) return n > 0 || mu < 0 ? T_IMPOSSIBLE : 0.0;
  return 2 * (mu - n + (n > 0 ? n * log(n / mu) : 0.0));
}

/* The OFF background b (expected OFF counts) of an ON/OFF bin, profiled:
 * d/db of the log-likelihood vanishes at the positive root of
 * r(r+1) b^2 - [r (n_on + n_off) - (r+1) s] b - n_off s = 0, r = X_on/X_off. */
static double profiled_off(double s, double n_on, double n_off, double r) {
  double B = r * (n_on + n_off) - (r + 1) * s;
  double disc = B * B + 4 * r * (r + 1) * n_off * s;
  double b = disc > 0 ? (B + sqrt(disc)) / (2 * r * (r + 1)) : 0.0;
  if (!(b > 0)) b = n_off > 0 ? n_off : BKG_FLOOR; /* s < 0 or n = 0: keep the mean positive */
  return b;
}

static double on_off(double s, double n_on, double n_off, double r) {
  double b = profiled_off(s, n_on, n_off, r);
  return deviance(n_on, s + r * b) + deviance(n_off, b);
}

/* The unbinned extended likelihood (Barlow, NIM A 297, 496 (1990)):
 * -2 ln L = 2 [nu_tot - sum_i ln(s(E_i) + b(E_i))], nu_tot the expected
 * events in the window (the sum over the bins), densities in counts/keV. */
static double unbinned(const nuem_fixed *f, double theta) {
  double total = 0, t = 0;
  for (size_t j = 0; j < f->n; j++)
    total += f->a[j] + theta * (f->b[j] + theta * f->c[j]) + f->bkg[j];
  for (size_t i = 0; i < f->nev; i++) {
    double dens = f->ea[i] + theta * (f->eb[i] + theta * f->ec[i]) + f->ebkg[i];
    if (!(dens > 0)) return T_IMPOSSIBLE; /* an event where the model expects none */
    t -= 2 * log(dens);
  }
  return t + 2 * total;
}

/* One loop per likelihood (no branch on the mode per bin): the toys'
 * inner loop. */
double nuem_fixed_t(const nuem_fixed *f, const nuem_data *d, const double *on,
                    const double *off, double theta) {
  double t = f->penalty;
  const double *a = f->a, *b = f->b, *c = f->c;
  if (f->mode == NUEM_DATA_EVENTS) return t + unbinned(f, theta);
  if (f->mode == NUEM_DATA_RESIDUAL) {
    for (size_t j = 0; j < f->n; j++) {
      double z = (on[j] - (a[j] + theta * (b[j] + theta * c[j]))) / d->sigma[j];
      t += z * z;
    }
  } else if (f->has_off) {
    for (size_t j = 0; j < f->n; j++)
      t += on_off(a[j] + theta * (b[j] + theta * c[j]), on[j], off[j], f->ratio);
  } else {
    for (size_t j = 0; j < f->n; j++)
      t += deviance(on[j], a[j] + theta * (b[j] + theta * c[j]) + f->bkg[j]);
  }
  return t;
}

/* ---- the slope of -2 ln L in theta ---------------------------------------- */

/* d/ds and d2/ds2 of the -2 ln L of bin j (ts, tss), chained to theta with
 * s' = b + 2 c theta, s'' = 2 c. */
static void chain(double ts, double tss, double b, double c, double theta, double *g1,
                  double *g2) {
  double ds = b + 2 * c * theta;
  *g1 += ts * ds;
  *g2 += tss * ds * ds + ts * 2 * c;
}

/* The unbinned likelihood's slope: 2 [sum_j s_j' - sum_i dens_i'/dens_i]. */
static int unbinned_slope(const nuem_fixed *f, double theta, double *g1, double *g2) {
  for (size_t j = 0; j < f->n; j++) chain(2, 0, f->b[j], f->c[j], theta, g1, g2);
  for (size_t i = 0; i < f->nev; i++) {
    double dens = f->ea[i] + theta * (f->eb[i] + theta * f->ec[i]) + f->ebkg[i];
    if (!(dens > 0)) return -1;
    chain(-2 / dens, 2 / (dens * dens), f->eb[i], f->ec[i], theta, g1, g2);
  }
  return 0;
}

int nuem_fixed_slope(const nuem_fixed *f, const nuem_data *d, const double *on,
                     const double *off, double theta, double *g1, double *g2) {
  const double *a = f->a, *b = f->b, *c = f->c;
  *g1 = *g2 = 0;
  if (f->mode == NUEM_DATA_EVENTS) return unbinned_slope(f, theta, g1, g2);
  if (f->mode == NUEM_DATA_RESIDUAL) { /* chi2: d/ds (y - s)^2/sigma^2 */
    for (size_t j = 0; j < f->n; j++) {
      double w = 1 / (d->sigma[j] * d->sigma[j]), s = a[j] + theta * (b[j] + theta * c[j]);
      chain(-2 * (on[j] - s) * w, 2 * w, b[j], c[j], theta, g1, g2);
    }
  } else if (f->has_off) {
    /* with b profiled, d/ds = 2 (1 - n_on/mu) at mu = s + r b (envelope
     * theorem); the implicit derivative of b gives the curvature
     * 2 / (mu^2/n_on + r^2 b^2/n_off) (0 if either count is 0, where it
     * only steers Newton's step) */
    const double r = f->ratio;
    for (size_t j = 0; j < f->n; j++) {
      double s = a[j] + theta * (b[j] + theta * c[j]);
      double bo = profiled_off(s, on[j], off[j], r), mu = s + r * bo;
      if (!(mu > 0)) return -1;
      double curv = on[j] > 0 && off[j] > 0
                        ? 2 / (mu * mu / on[j] + r * r * bo * bo / off[j]) : 0.0;
      chain(2 * (1 - on[j] / mu), curv, b[j], c[j], theta, g1, g2);
    }
  } else {
    for (size_t j = 0; j < f->n; j++) {
      double mu = a[j] + theta * (b[j] + theta * c[j]) + f->bkg[j];
      if (!(mu > 0)) return -1;
      chain(2 * (1 - on[j] / mu), 2 * on[j] / (mu * mu), b[j], c[j], theta, g1, g2);
    }
  }
  return 0;
}

typedef struct {
  const nuem_fixed *f;
  const nuem_data *d;
  const double *on, *off;
} fixed_params;

static double fixed_gsl(double theta, void *params) {
  const fixed_params *p = params;
  return nuem_fixed_t(p->f, p->d, p->on, p->off, theta);
}

/* A coarse scan, then Brent's method inside a bracket (or golden section
 * when the minimum sits at an end of the range, e.g. mu^2 = 0). */
double nuem_fixed_min_scan(const nuem_fixed *f, const nuem_data *d, const double *on,
                           const double *off, double lo, double hi, double *theta_min) {
  /* 12 cells find the basin of a likelihood that is at most quadratic in
   * theta per bin; Brent or golden section refine to 1e-7 of the range */
  enum { COARSE = 12, REFINE_STEPS = 40 };
  const double refine_tol = 1e-7;
  fixed_params p = {f, d, on, off};
  double tv[COARSE + 1], best = INFINITY;
  int k = 0;
  for (int i = 0; i <= COARSE; i++) {
    tv[i] = nuem_fixed_t(f, d, on, off, lo + (hi - lo) * i / COARSE);
    if (tv[i] < best) best = tv[i], k = i;
  }
  double step = (hi - lo) / COARSE, arg = lo + k * step;
  if (k > 0 && k < COARSE && tv[k - 1] > tv[k] && tv[k + 1] > tv[k]) {
    gsl_function fn = {fixed_gsl, &p};
    gsl_min_fminimizer *mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (mz && !gsl_min_fminimizer_set_with_values(mz, &fn, arg, tv[k], arg - step, tv[k - 1],
                                                   arg + step, tv[k + 1])) {
      for (int it = 0; it < REFINE_STEPS; it++) {
        if (gsl_min_fminimizer_iterate(mz)) break;
        if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(mz), gsl_min_fminimizer_x_upper(mz),
                                  refine_tol * (hi - lo), 0.0) == GSL_SUCCESS)
          break;
      }
      if (gsl_min_fminimizer_f_minimum(mz) < best) {
        best = gsl_min_fminimizer_f_minimum(mz);
        arg = gsl_min_fminimizer_x_minimum(mz);
      }
    }
    if (mz) gsl_min_fminimizer_free(mz);
  } else { /* golden section on the cells next to the best coarse point */
    double a = fmax(lo, arg - step), b = fmin(hi, arg + step);
    const double g = GOLDEN;
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = nuem_fixed_t(f, d, on, off, x1), f2 = nuem_fixed_t(f, d, on, off, x2);
    for (int it = 0; it < REFINE_STEPS && b - a > refine_tol * (hi - lo); it++) {
      if (f1 < f2) {
        b = x2, x2 = x1, f2 = f1;
        x1 = b - g * (b - a);
        f1 = nuem_fixed_t(f, d, on, off, x1);
      } else {
        a = x1, x1 = x2, f1 = f2;
        x2 = a + g * (b - a);
        f2 = nuem_fixed_t(f, d, on, off, x2);
      }
    }
    if (fmin(f1, f2) < best) best = fmin(f1, f2), arg = f1 < f2 ? x1 : x2;
  }
  if (theta_min) *theta_min = arg;
  return best;
}

/* Newton stops when its step is below NEWTON_TOL of the range (the
 * -2 ln L minimum then known to ~1e-20 of its curvature); bisection
 * guarantees progress, so NEWTON_STEPS (2^-100 of the range) is never
 * reached by a converging fit. */
#define NEWTON_TOL 1e-10
enum { NEWTON_STEPS = 100 };

/* A model linear in theta (s = a + b theta) has a convex -2 ln L in theta:
 * the Poisson -ln L is jointly convex in (s, b_off), minimising over the
 * OFF background keeps it convex, and so does an affine s(theta) (for chi2
 * and the unbinned likelihood likewise). So the minimum over [lo, hi] is at
 * lo if the slope there is >= 0, else where the slope changes sign: Newton
 * inside the bracket the slope's sign keeps, bisecting where Newton would
 * leave it. */
int nuem_fixed_linear(const nuem_fixed *f) {
  for (size_t j = 0; j < f->n; j++)
    if (f->c[j] != 0) return 0;
  return 1;
}

int nuem_convex_min(nuem_slope_fn slope, const void *user, double lo, double hi, double start,
                    double *x_min) {
  double g1, g2, a = lo, b = hi, x = lo;
  if (slope(user, lo, &g1, &g2)) return -1;
  if (g1 < 0) {
    x = start > lo && start < hi ? start : 0.5 * (lo + hi);
    for (int it = 0; it < NEWTON_STEPS; it++) {
      if (slope(user, x, &g1, &g2)) return -1;
      if (g1 == 0) break;
      if (g1 < 0) a = x;
      else b = x;
      double next = g2 > 0 ? x - g1 / g2 : NAN;
      if (!(next > a && next < b)) next = 0.5 * (a + b);
      double step = fabs(next - x);
      x = next;
      if (step <= NEWTON_TOL * (hi - lo)) break;
    }
    /* still falling within the tolerance of the end: the minimum is there */
    if (b == hi && hi - a <= 2 * NEWTON_TOL * (hi - lo)) x = hi;
  }
  *x_min = x;
  return 0;
}

typedef struct {
  const nuem_fixed *f;
  const nuem_data *d;
  const double *on, *off;
} fixed_counts;

static int fixed_slope_fn(const void *user, double theta, double *g1, double *g2) {
  const fixed_counts *c = user;
  return nuem_fixed_slope(c->f, c->d, c->on, c->off, theta, g1, g2);
}

double nuem_fixed_min_from(const nuem_fixed *f, const nuem_data *d, const double *on,
                           const double *off, double lo, double hi, double start,
                           double *theta_min) {
  fixed_counts c = {f, d, on, off};
  double x;
  if (!nuem_fixed_linear(f) || nuem_convex_min(fixed_slope_fn, &c, lo, hi, start, &x))
    return nuem_fixed_min_scan(f, d, on, off, lo, hi, theta_min);
  if (theta_min) *theta_min = x;
  return nuem_fixed_t(f, d, on, off, x);
}

double nuem_fixed_min(const nuem_fixed *f, const nuem_data *d, const double *on,
                      const double *off, double lo, double hi, double *theta_min) {
  return nuem_fixed_min_from(f, d, on, off, lo, hi, lo, theta_min);
}

/* ---- profiling over the nuisances ---------------------------------------- */

/* Nelder-Mead on the nuisances (in units of their constraint): starting
 * step, convergence size and an iteration cap far above what a converging
 * fit of <= 5 parameters needs. */
#define SIMPLEX_STEP 0.5
#define SIMPLEX_SIZE 1e-6
/* A restart that lowers -2 ln L by less than this has converged although
 * the simplex is still large: a flat valley (nuisances the data hardly
 * constrain, e.g. a free background beside a flux of the same shape);
 * intervals resolve 1e-2 of -2 ln L. */
#define SIMPLEX_FLAT 1e-9
enum { SIMPLEX_ITERATIONS = 2000, SIMPLEX_RESTARTS = 2 };

typedef struct {
  const nuem_model *m;
  const nuem_data *d;
  double theta;
  int index[NUEM_NNU], nactive;
} profile_params;

double nuem_model_t(const nuem_model *m, const nuem_data *d, double theta, const double *nu) {
  if (m->background_free && nu[NUEM_NU_BACKGROUND] < -1) return T_IMPOSSIBLE;
  /* normalisations are physical only while positive */
  if (1 + m->sigma[NUEM_NU_FLUX] * nu[NUEM_NU_FLUX] <= 0 ||
      1 + m->sigma[NUEM_NU_EFFICIENCY] * nu[NUEM_NU_EFFICIENCY] <= 0)
    return T_IMPOSSIBLE;
  nuem_fixed f;
  if (nuem_fixed_init(m, d, nu, &f)) return T_IMPOSSIBLE;
  const double *on = d->mode == NUEM_DATA_COUNTS ? d->on : d->residual;
  double t = nuem_fixed_t(&f, d, on, d->off, theta);
  nuem_fixed_free(&f);
  return t;
}

int nuem_model_active(const nuem_model *m, int k) {
  return k >= 0 && k < NUEM_NNU && m->active[k];
}

static double objective(const gsl_vector *x, void *params) {
  profile_params *pp = params;
  double nu[NUEM_NNU] = {0};
  for (int i = 0; i < pp->nactive; i++) nu[pp->index[i]] = gsl_vector_get(x, (size_t)i);
  return nuem_model_t(pp->m, pp->d, pp->theta, nu);
}

nuem_status nuem_simplex_min(nuem_context *ctx, double (*fn)(const gsl_vector *, void *),
                             void *params, size_t dim, double theta, double *x_out,
                             double *t) {
  gsl_multimin_fminimizer *mz = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, dim);
  gsl_vector *x = gsl_vector_calloc(dim), *step = gsl_vector_alloc(dim);
  if (!mz || !x || !step) {
    if (mz) gsl_multimin_fminimizer_free(mz);
    if (x) gsl_vector_free(x);
    if (step) gsl_vector_free(step);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  }
  gsl_vector_set_all(step, SIMPLEX_STEP);
  gsl_multimin_function f = {fn, dim, params};
  int status = GSL_CONTINUE;
  double previous = INFINITY;
  /* a simplex that stalls (no progress, a few times the tolerance in
   * size) is restarted from its best point with the initial step */
  for (int start = 0; start <= SIMPLEX_RESTARTS && status == GSL_CONTINUE; start++) {
    if (start) gsl_vector_memcpy(x, mz->x);
    gsl_multimin_fminimizer_set(mz, &f, x, step);
    for (int it = 0; it < SIMPLEX_ITERATIONS && status == GSL_CONTINUE; it++) {
      if (gsl_multimin_fminimizer_iterate(mz)) break;
      status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(mz), SIMPLEX_SIZE);
    }
    double now = gsl_multimin_fminimizer_minimum(mz);
    if (status == GSL_CONTINUE && previous - now <= SIMPLEX_FLAT) status = GSL_SUCCESS;
    previous = now;
  }
  *t = gsl_multimin_fminimizer_minimum(mz);
  for (size_t i = 0; i < dim; i++) x_out[i] = gsl_vector_get(mz->x, i);
  gsl_multimin_fminimizer_free(mz);
  gsl_vector_free(x);
  gsl_vector_free(step);
  if (status != GSL_SUCCESS)
    return nuem_error(ctx, NUEM_ENUMERIC, "the fit of the nuisance parameters did not "
                      "converge at theta = %g (simplex size above %g after %d starts of up to "
                      "%d iterations); the model cannot describe these data with its "
                      "nuisances", theta, SIMPLEX_SIZE, SIMPLEX_RESTARTS + 1,
                      SIMPLEX_ITERATIONS);
  if (!isfinite(*t) || *t >= 0.1 * T_IMPOSSIBLE)
    return nuem_error(ctx, NUEM_ENUMERIC, "the likelihood is not finite at theta = %g; "
                      "are the data compatible with the model at all?", theta);
  return NUEM_OK;
}

nuem_status nuem_model_profile(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                               double theta, double *t, double *nu_out) {
  profile_params pp = {m, d, theta, {0}, 0};
  for (int k = 0; k < NUEM_NNU; k++)
    if (m->active[k]) pp.index[pp.nactive++] = k;
  double nu[NUEM_NNU] = {0}, x[NUEM_NNU] = {0};
  if (!pp.nactive) {
    *t = nuem_model_t(m, d, theta, nu);
    if (!isfinite(*t) || *t >= 0.1 * T_IMPOSSIBLE)
      return nuem_error(ctx, NUEM_ENUMERIC, "the likelihood is not finite at theta = %g; "
                        "are the data compatible with the model at all?", theta);
  } else {
    NUEM_TRY(nuem_simplex_min(ctx, objective, &pp, (size_t)pp.nactive, theta, x, t));
    for (int i = 0; i < pp.nactive; i++) nu[pp.index[i]] = x[i];
  }
  if (nu_out) memcpy(nu_out, nu, sizeof nu);
  return NUEM_OK;
}

/* -2 ln L sums n ln(n/mu) over the bins: with N counts in all, double
 * precision knows it to about N * 1e-16 * ln-size. Intervals need changes
 * of order 1 resolved; demand 1e-2. */
#define LIKELIHOOD_NOISE_MAX 1e-2
nuem_status nuem_check_precision(nuem_context *ctx, const nuem_data *d) {
  if (d->mode != NUEM_DATA_COUNTS) return NUEM_OK;
  double total = 0;
  for (size_t j = 0; j < d->nbins; j++) total += d->on[j] + (d->off ? d->off[j] : 0);
  double noise = total * DBL_EPSILON * (1 + log1p(total));
  if (noise <= LIKELIHOOD_NOISE_MAX) return NUEM_OK;
  return nuem_error(ctx, NUEM_ENUMERIC, "%s holds %.3g counts: a Poisson -2 ln L is then known "
                    "only to about %.2g in double precision, too coarse for intervals; give "
                    "the spectrum as residuals with errors (chi2)", d->origin, total, noise);
}

/* How close to a bound counts as on it (relative normalisation). */
#define AT_BOUND 1e-4
const char *nuem_model_at_bound(const nuem_model *m, const double *nu) {
  if (m->background_free && nu[NUEM_NU_BACKGROUND] <= -1 + AT_BOUND) return "background";
  for (int k = NUEM_NU_FLUX; k <= NUEM_NU_EFFICIENCY; k++)
    if (m->active[k] && 1 + m->sigma[k] * nu[k] <= AT_BOUND) return nuem_nuisance_name(k);
  return NULL;
}

nuem_status nuem_profile_min(nuem_context *ctx, nuem_profile_fn profile, void *user,
                             double lo, double hi, double *theta_hat, double *t_min) {
  /* 40 cells of the POI range, then golden section to 1e-9 of it */
  enum { GRID = 40, REFINE_STEPS = 50 };
  const double refine_tol = 1e-9;
  double best = INFINITY, arg = lo;
  for (int i = 0; i <= GRID; i++) {
    double th = lo + (hi - lo) * i / GRID, t;
    NUEM_TRY(profile(ctx, user, th, &t));
    if (t < best) best = t, arg = th;
  }
  double a = fmax(lo, arg - (hi - lo) / GRID), b = fmin(hi, arg + (hi - lo) / GRID);
  const double g = GOLDEN;
  double x1 = b - g * (b - a), x2 = a + g * (b - a), f1, f2;
  NUEM_TRY(profile(ctx, user, x1, &f1));
  NUEM_TRY(profile(ctx, user, x2, &f2));
  for (int it = 0; it < REFINE_STEPS && b - a > refine_tol * (hi - lo); it++) {
    if (f1 < f2) {
      b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a);
      NUEM_TRY(profile(ctx, user, x1, &f1));
    } else {
      a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a);
      NUEM_TRY(profile(ctx, user, x2, &f2));
    }
  }
  if (fmin(f1, f2) < best) best = fmin(f1, f2), arg = f1 < f2 ? x1 : x2;
  *theta_hat = arg;
  *t_min = best;
  return NUEM_OK;
}

nuem_status nuem_model_profile_fn(nuem_context *ctx, void *user, double theta, double *t) {
  const nuem_model_data *p = user;
  return nuem_model_profile(ctx, p->m, p->d, theta, t, NULL);
}

nuem_status nuem_model_fit(nuem_context *ctx, const nuem_model *m, const nuem_data *d,
                           double *theta_hat, double *t_min, double *nu) {
  NUEM_TRY(nuem_check_precision(ctx, d));
  nuem_model_data p = {m, d};
  NUEM_TRY(nuem_profile_min(ctx, nuem_model_profile_fn, &p, m->lo, m->hi, theta_hat, t_min));
  double best;
  return nu ? nuem_model_profile(ctx, m, d, *theta_hat, &best, nu) : NUEM_OK;
}

/* ---- Asimov data and the scanned range ------------------------------------ */

nuem_status nuem_model_asimov(nuem_context *ctx, const nuem_model *m, const nuem_data *like,
                              double theta, nuem_data *out) {
  memset(out, 0, sizeof *out);
  out->mode = m->mode == NUEM_DATA_EVENTS ? NUEM_DATA_COUNTS : m->mode; /* binned Asimov */
  out->nbins = m->n;
  out->edges = malloc((m->n + 1) * sizeof(double));
  if (!out->edges) return NUEM_ENOMEM;
  memcpy(out->edges, m->edges, (m->n + 1) * sizeof(double));
  double nu[NUEM_NNU] = {0};
  nuem_fixed f;
  nuem_status s = NUEM_OK;
  if (m->mode == NUEM_DATA_RESIDUAL) {
    out->residual = malloc(m->n * sizeof(double));
    out->sigma = malloc(m->n * sizeof(double));
    if (!out->residual || !out->sigma || nuem_fixed_init(m, NULL, nu, &f)) s = NUEM_ENOMEM;
    for (size_t j = 0; !s && j < m->n; j++) {
      out->residual[j] = f.a[j] + theta * (f.b[j] + theta * f.c[j]);
      out->sigma[j] = like->sigma[j];
    }
  } else {
    int has_off = m->exposure_off > 0;
    out->exposure_on = m->exposure_on;
    out->exposure_off = m->exposure_off;
    out->on = malloc(m->n * sizeof(double));
    out->off = has_off ? malloc(m->n * sizeof(double)) : NULL;
    if (!out->on || (has_off && !out->off) || nuem_fixed_init(m, NULL, nu, &f)) s = NUEM_ENOMEM;
    for (size_t j = 0; !s && j < m->n; j++) {
      out->on[j] = f.a[j] + theta * (f.b[j] + theta * f.c[j]) + f.bkg[j];
      if (has_off) out->off[j] = f.bkg[j] * m->exposure_off / m->exposure_on;
    }
  }
  if (!s) nuem_fixed_free(&f);
  if (s) {
    nuem_data_free(out);
    return nuem_error(ctx, s, "out of memory for Asimov data");
  }
  return NUEM_OK;
}

/* The POI range: analysis.poi_max, or where the Asimov Delta(-2 ln L) of the
 * nominal model reaches 100 (10 sigma: room for upward fluctuations of toy
 * limits), by halving or doubling from the reference value. */
static nuem_status nuem_model_set_range(nuem_context *ctx, nuem_model *m) {
  static const double ref[] = {MU_REF * MU_REF, Q_REF, R2_REF, 1.0};
  /* Delta(-2 ln L) = 100: 10 sigma, room for upward toy fluctuations; the
   * doublings from the reference value cover 60 decades; a CEvNS scale
   * range reaches at least 3 times the Standard Model. */
  const double range_dchi2 = 100, cevns_min = 3.0;
  enum { RANGE_DOUBLINGS = 200 };
  double max = m->opt.poi_max;
  if (max == 0) {
    nuem_fixed f;
    double nu[NUEM_NNU] = {0};
    if (nuem_fixed_init(m, NULL, nu, &f)) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
    double *asimov = malloc(m->n * sizeof(double)), *sig = malloc(m->n * sizeof(double));
    if (!asimov || !sig) {
      free(asimov);
      free(sig);
      nuem_fixed_free(&f);
      return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the POI range");
    }
    /* (an event list's range comes from the binned Asimov counts:
     * nuem_fixed_init without event data gives a binned model) */
    nuem_data like = {.mode = f.mode, .sigma = sig};
    for (size_t j = 0; asimov && sig && j < m->n; j++) {
      asimov[j] = f.a[j] + (f.mode == NUEM_DATA_COUNTS && !f.has_off ? f.bkg[j] : 0);
      sig[j] = m->data_sigma ? m->data_sigma[j] : 1.0;
    }
    f.has_off = 0;
    double t0 = asimov ? nuem_fixed_t(&f, &like, asimov, NULL, 0.0) : 0;
    for (int sign = 1; asimov && sign >= -1; sign -= 2) {
      if (sign < 0 && (m->poi == NUEM_POI_MU || m->poi == NUEM_POI_CEVNS)) break;
      double th = ref[m->poi];
      /* a reference far beyond the data's reach (a strong signal such as
       * a sterile-neutrino line): halve first, so the grid resolves it */
      for (int i = 0; i < RANGE_DOUBLINGS &&
                      nuem_fixed_t(&f, &like, asimov, NULL, sign * th / 2) - t0 >= range_dchi2; i++)
        th /= 2;
      for (int i = 0; i < RANGE_DOUBLINGS &&
                      nuem_fixed_t(&f, &like, asimov, NULL, sign * th) - t0 < range_dchi2; i++)
        th *= 2;
      max = fmax(max, th);
    }
    free(asimov);
    free(sig);
    nuem_fixed_free(&f);
    if (m->poi == NUEM_POI_CEVNS) max = fmax(max, cevns_min);
  }
  m->hi = max;
  m->lo = m->poi == NUEM_POI_MU || m->poi == NUEM_POI_CEVNS ? 0.0 : -max;
  return NUEM_OK;
}

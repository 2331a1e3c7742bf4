/* The measured spectrum: true spectrum folded through the response, plus
 * backgrounds, as rates and expected counts per measured bin. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "spectrum_internal.h"

/* Ga binding energies of the cosmogenic electron-capture lines in Ge
 * (K 10.367, L1 1.302, M1 0.162 keV: Geant4 G4AtomicShells; docs/physics.md,
 * "Detector response"). */
enum { GA_K, GA_L1, GA_M1, NLINES };
static const double line_energy[NLINES] = {10.367e-3, 1.302e-3, 0.162e-3};

/* Bins or a response matrix: the config describes a measurement. */
static int has_bins(const nuem_config *cfg) {
  return *nuem_config_text(cfg, NUEM_P_DETECTOR_BINS) ||
         *nuem_config_text(cfg, NUEM_P_DETECTOR_BIN_EDGES) ||
         *nuem_config_text(cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX);
}

int nuem_spectrum_is_measured(const nuem_config *cfg) {
  if (nuem_config_choice_is(cfg, NUEM_P_OUTPUT_KIND, "auto")) return has_bins(cfg);
  return nuem_config_choice_is(cfg, NUEM_P_OUTPUT_KIND, "measured");
}

nuem_status nuem_response_from_config(nuem_context *ctx, const nuem_config *cfg,
                                      const nuem_detector *d, nuem_response *out) {
  const char *path = nuem_config_text(cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX);
  const double *edges;
  if (*path && nuem_detector_bins(d, &edges))
    return nuem_error(ctx, NUEM_ECONFIG, "detector.response_matrix brings its own bins; "
                      "remove detector.bins / detector.bin_edges");
  if (*path) return nuem_response_read(ctx, path, out);
  return nuem_response_build(ctx, d, nuem_config_number(cfg, NUEM_P_OUTPUT_T_MIN), out);
}

/* The continuum background in measured energy: flat plus a table, in
 * internal units (/kg/MeV/s). */
typedef struct {
  double flat;
  nuem_interp *table; /* NULL if none */
  int efficiency_included; /* background.efficiency = included */
} continuum;

static double continuum_rate(const continuum *bg, double E) {
  return bg->flat + (bg->table ? nuem_interp_eval(bg->table, E) : 0.0);
}

/* Events per day per kg in [a, b]: ∫ eff(E) b(E) dE (midpoint rule on fine
 * pieces, since the efficiency steps at the threshold). With the efficiency
 * already in the rate (a fitted model of selected events) only the
 * threshold cuts. */
static double continuum_in_bin(const nuem_detector *d, const continuum *bg, double a,
                               double b) {
  /* the efficiency steps at the threshold, so a plain midpoint rule on
   * many pieces; 64 keep the step's misplacement below 1/128 of a bin */
  enum { PIECES = 64 };
  double h = (b - a) / PIECES, sum = 0;
  for (int k = 0; k < PIECES; k++) {
    double E = a + (k + 0.5) * h;
    double eff = bg->efficiency_included ? (E >= nuem_detector_threshold(d))
                                         : nuem_detector_efficiency(d, E);
    sum += eff * continuum_rate(bg, E) * h;
  }
  return sum * NUEM_SECONDS_PER_DAY;
}

static nuem_status load_continuum(nuem_context *ctx, const nuem_config *cfg,
                                  const nuem_response *r, continuum *bg) {
  memset(bg, 0, sizeof *bg);
  bg->flat = nuem_config_number(cfg, NUEM_P_BACKGROUND_FLAT);
  bg->efficiency_included = nuem_config_choice_is(cfg, NUEM_P_BACKGROUND_EFFICIENCY, "included");
  const char *path = nuem_config_text(cfg, NUEM_P_BACKGROUND_TABLE);
  if (!*path) return NUEM_OK;
  int clamp = nuem_config_choice_is(cfg, NUEM_P_BACKGROUND_TABLE_EXTRAPOLATION, "clamp");
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  nuem_status s = nuem_table_check_xy(ctx, &t, "keV", "/kg/keV/day", 1, 2, "a background table");
  /* linear between the points; it must cover the bins (checked next)
   * unless the end values are to hold beyond them */
  if (!s) s = nuem_interp_from_table(ctx, &t, 0, 1, NUEM_INTERP_LINEAR,
                                     clamp ? NUEM_OUTSIDE_CLAMP : NUEM_OUTSIDE_ZERO, &bg->table);
  nuem_table_free(&t);
  if (!s && !clamp && !(nuem_interp_covers(bg->table, r->meas_edges[0]) &&
              nuem_interp_covers(bg->table, r->meas_edges[r->nmeas])))
    s = nuem_error(ctx, NUEM_ERANGE, "%s: the background table covers %g to %g keV but must "
                   "cover the bins, %g to %g keV (or set background.table_extrapolation = "
                   "clamp)", path, nuem_interp_x_min(bg->table) * 1e3,
                   nuem_interp_x_max(bg->table) * 1e3, r->meas_edges[0] * 1e3,
                   r->meas_edges[r->nmeas] * 1e3);
  if (s) {
    nuem_interp_free(bg->table);
    bg->table = NULL;
  }
  return s;
}

/* The response of a line at E: from the detector model, or from the
 * imported matrix's true bin that holds E. */
static void line_row(const nuem_detector *d, const nuem_response *r, int imported,
                     double E, double *row) {
  if (!imported) {
    nuem_response_row(d, E, r->meas_edges, r->nmeas, row);
    return;
  }
  for (size_t j = 0; j < r->nmeas; j++) row[j] = 0;
  for (size_t i = 0; i < r->ntrue; i++)
    if (E >= r->true_edges[i] && E < r->true_edges[i + 1])
      memcpy(row, &r->m[i * r->nmeas], r->nmeas * sizeof *row);
}

/* Background events per kg per day in each measured bin. */
static nuem_status background(nuem_context *ctx, const nuem_config *cfg,
                              const nuem_detector *d, const nuem_response *r, int imported,
                              double *bg_bins) {
  continuum bg;
  NUEM_TRY(load_continuum(ctx, cfg, r, &bg));
  for (size_t j = 0; j < r->nmeas; j++)
    bg_bins[j] = continuum_in_bin(d, &bg, r->meas_edges[j], r->meas_edges[j + 1]);
  nuem_interp_free(bg.table);
  double k = nuem_config_number(cfg, NUEM_P_BACKGROUND_K_LINE) * NUEM_SECONDS_PER_DAY;
  double l = k * nuem_config_number(cfg, NUEM_P_BACKGROUND_L_TO_K);
  double m = l * nuem_config_number(cfg, NUEM_P_BACKGROUND_M_TO_L);
  const double intensity[NLINES] = {k, l, m};
  double *row = malloc(r->nmeas * sizeof *row);
  if (!row) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  for (int i = 0; i < NLINES; i++) {
    if (intensity[i] == 0) continue;
    line_row(d, r, imported, line_energy[i], row);
    for (size_t j = 0; j < r->nmeas; j++) bg_bins[j] += intensity[i] * row[j];
  }
  free(row);
  return NUEM_OK;
}


/* ---- the detector part of a spectrum ------------------------------------- */

/* An imported matrix has its own bins: the data's must be the same. */
static nuem_status check_imported_bins(nuem_context *ctx, const nuem_response *r,
                                       const nuem_detector_change *change) {
  if (!change->edges) return NUEM_OK;
  int same = change->nbins == r->nmeas;
  for (size_t j = 0; same && j <= r->nmeas; j++)
    same = fabs(change->edges[j] - r->meas_edges[j]) <= 1e-9 * fabs(r->meas_edges[j]) + 1e-15;
  if (same) return NUEM_OK;
  return nuem_error(ctx, NUEM_ECONFIG, "the %zu data bins (%g to %g keV) differ from the %zu "
                    "bins of detector.response_matrix (%g to %g keV)", change->nbins,
                    change->edges[0] * 1e3, change->edges[change->nbins] * 1e3, r->nmeas,
                    r->meas_edges[0] * 1e3, r->meas_edges[r->nmeas] * 1e3);
}

static nuem_status build_response(nuem_context *ctx, nuem_spectrum *sp,
                                  const nuem_detector_change *change) {
  NUEM_TRY(nuem_detector_init(ctx, sp->cfg, &sp->det));
  sp->imported = *nuem_config_text(sp->cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX) != '\0';
  if (sp->imported && !isnan(change->energy_scale))
    return nuem_error(ctx, NUEM_ECONFIG, "an energy-scale variation needs a response built "
                      "from [detector], not detector.response_matrix");
  if (!isnan(change->energy_scale))
    NUEM_TRY(nuem_detector_set_energy_scale(ctx, sp->det, change->energy_scale));
  if (change->edges && !sp->imported)
    NUEM_TRY(nuem_detector_set_bins(ctx, sp->det, change->edges, change->nbins));
  NUEM_CALL(ctx, "response", nuem_response_from_config(ctx, sp->cfg, sp->det, &sp->response));
  if (sp->imported) NUEM_TRY(check_imported_bins(ctx, &sp->response, change));
  sp->background = malloc(sp->response.nmeas * sizeof *sp->background);
  if (!sp->background) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the background");
  NUEM_CALL(ctx, "background", background(ctx, sp->cfg, sp->det, &sp->response, sp->imported,
                                          sp->background));
  return NUEM_OK;
}

nuem_status nuem_spectrum_detector_build(nuem_context *ctx, nuem_spectrum *sp,
                                         const nuem_detector_change *change) {
  NUEM_CALL(ctx, "quenching", nuem_quenching_init(ctx, sp->cfg, sp->chain->tgt, &sp->quench));
  if (!isnan(change->quenching_k))
    NUEM_CALL(ctx, "quenching", nuem_quenching_set_k(ctx, sp->quench, change->quenching_k));
  if (!change->edges && !has_bins(sp->cfg)) return NUEM_OK;
  return build_response(ctx, sp, change);
}

void nuem_spectrum_detector_free(nuem_spectrum *sp) {
  nuem_quenching_free(sp->quench);
  nuem_detector_free(sp->det);
  nuem_response_free(&sp->response);
  free(sp->background);
  sp->quench = NULL;
  sp->det = NULL;
  sp->background = NULL;
}

int nuem_spectrum_has_response(const nuem_spectrum *sp) { return sp->response.nmeas > 0; }

const nuem_response *nuem_spectrum_response(const nuem_spectrum *sp) {
  return sp->response.nmeas ? &sp->response : NULL;
}

/* ---- folding ----------------------------------------------------------------- */

/* Rows between progress reports of the fold. */
enum { PROGRESS_EVERY = 256 };

/* Events per kg per day in each true bin for every rate column: 4-point
 * Gauss-Legendre of the true spectrum (/kg/keV/day) over the bin (nodes and
 * weights: Abramowitz & Stegun, Table 25.4). */
static void true_contents(const nuem_context *ctx, const nuem_spectrum *sp,
                          const nuem_properties *p, double *content[NUEM_NRATES]) {
  static const double x4[2] = {0.3399810435848563, 0.8611363115940526};
  static const double w4[2] = {0.6521451548625461, 0.3478548451374538};
  const nuem_response *r = &sp->response;
  for (size_t i = 0; i < r->ntrue; i++) {
    double a = r->true_edges[i], b = r->true_edges[i + 1];
    double mid = 0.5 * (a + b), half = 0.5 * (b - a) * 1e3; /* keV */
    for (int c = 0; c < NUEM_NRATES; c++) content[c][i] = 0;
    for (int k = 0; k < 4; k++) {
      double T = mid + (k < 2 ? -1 : 1) * x4[k % 2] * 0.5 * (b - a), row[NUEM_SPECTRUM_NCOLS];
      nuem_spectrum_row(sp, p, T, row, NULL);
      for (int c = 0; c < NUEM_NRATES; c++) content[c][i] += w4[k % 2] * half * row[c + 1];
    }
    if (i % PROGRESS_EVERY == 0) nuem_progress(ctx, (double)i / (double)r->ntrue, "true spectrum");
  }
  nuem_progress(ctx, 1.0, "true spectrum");
}

/* The sterile-neutrino decay line through the response: each cell of the
 * Doppler shape as a line at its energy, weighted by its probability, into
 * the mu (signal) and total columns. */
static nuem_status fold_sterile_line(nuem_context *ctx, const nuem_spectrum *sp, double mu_sa,
                                     nuem_measured *out) {
  const nuem_chain *c = sp->chain;
  const nuem_response *r = &sp->response;
  double rate = nuem_sterile_line_rate(c, mu_sa);
  double *row = malloc(r->nmeas * sizeof *row);
  if (!row) return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the line");
  for (int k = 0; k < NUEM_LINE_CELLS; k++) {
    if (c->line.weight[k] == 0) continue;
    line_row(sp->det, r, sp->imported, c->line.centre + c->line.offset[k], row);
    for (size_t j = 0; j < r->nmeas; j++) {
      double events = rate * c->line.weight[k] * row[j];
      out->events[NUEM_COL_ELEC_MU - 1][j] += events;
      out->events[NUEM_COL_TOTAL - 1][j] += events;
    }
  }
  free(row);
  return NUEM_OK;
}

/* The line's centre must lie inside the measured bins (and so inside the
 * true energies the response models). */
static nuem_status check_line_inside(nuem_context *ctx, const nuem_spectrum *sp) {
  const nuem_chain *c = sp->chain;
  const nuem_response *r = &sp->response;
  double lo = c->line.centre, hi = lo;
  double bins_lo = fmax(r->meas_edges[0], r->true_edges[0]);
  double bins_hi = fmin(r->meas_edges[r->nmeas], r->true_edges[r->ntrue]);
  if (lo >= bins_lo && hi <= bins_hi) return NUEM_OK;
  return nuem_error(ctx, NUEM_ERANGE, "source.mass = %g keV puts the decay line at %g keV, "
                    "outside the detector's bins %g to %g keV; choose a mass whose half lies "
                    "inside them", c->halo.mass * 1e3, c->line.centre * 1e3, bins_lo * 1e3,
                    bins_hi * 1e3);
}

void nuem_measured_free(nuem_measured *m) {
  free(m->edges);
  for (int c = 0; c < NUEM_NRATES; c++) free(m->events[c]);
  free(m->background);
  memset(m, 0, sizeof *m);
}

static nuem_status measured_alloc(nuem_context *ctx, size_t n, nuem_measured *m) {
  memset(m, 0, sizeof *m);
  m->nbins = n;
  int ok = (m->edges = malloc((n + 1) * sizeof(double))) != NULL;
  ok = ok && (m->background = malloc(n * sizeof(double))) != NULL;
  for (int c = 0; ok && c < NUEM_NRATES; c++) ok = (m->events[c] = malloc(n * sizeof(double))) != NULL;
  if (ok) return NUEM_OK;
  nuem_measured_free(m);
  return nuem_error(ctx, NUEM_ENOMEM, "out of memory for the measured spectrum");
}

nuem_status nuem_spectrum_measure(nuem_context *ctx, const nuem_spectrum *sp,
                                  const nuem_properties *p, nuem_measured *out) {
  const nuem_response *r = &sp->response;
  if (!r->nmeas)
    return nuem_error(ctx, NUEM_ECONFIG, "a measured spectrum needs bins: set detector.bins "
                      "(e.g. 0.2keV:2.2keV:20), detector.bin_edges or detector.response_matrix");
  NUEM_TRY(nuem_spectrum_check(ctx, sp, p, r->true_edges[0], r->true_edges[r->ntrue]));
  if (sp->chain->sterile) NUEM_TRY(check_line_inside(ctx, sp));
  NUEM_TRY(measured_alloc(ctx, r->nmeas, out));
  double *content[NUEM_NRATES] = {0};
  nuem_status s = NUEM_OK;
  for (int c = 0; !s && c < NUEM_NRATES; c++)
    if (!(content[c] = malloc(r->ntrue * sizeof(double))))
      s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the true spectrum");
  if (!s) {
    nuem_context_count(ctx, NUEM_COUNT_FOLDS);
    true_contents(ctx, sp, p, content);
    for (int c = 0; c < NUEM_NRATES; c++) nuem_response_fold(r, content[c], out->events[c]);
    if (sp->chain->sterile) s = fold_sterile_line(ctx, sp, p->mu, out);
    memcpy(out->edges, r->meas_edges, (r->nmeas + 1) * sizeof(double));
    memcpy(out->background, sp->background, r->nmeas * sizeof(double));
    out->exposure_on = nuem_detector_exposure(sp->det) / NUEM_SECONDS_PER_DAY;
    out->exposure_off = nuem_detector_exposure_off(sp->det) / NUEM_SECONDS_PER_DAY;
  }
  for (int c = 0; c < NUEM_NRATES; c++) free(content[c]);
  if (s) nuem_measured_free(out);
  return s;
}

/* ---- tables ---------------------------------------------------------------- */

nuem_status nuem_measured_table(nuem_context *ctx, const nuem_measured *m, nuem_result *out) {
  static const char *const names[NUEM_MEASURED_NCOLS] = {
      "E_lo", "E_hi", "elec_sm", "elec_mu", "elec_q", "elec_r2", "nucl_sm", "nucl_mu",
      "nucl_q", "nucl_r2", "signal", "background", "counts_signal", "counts_on",
      "counts_off"};
  static const char *const units[NUEM_MEASURED_NCOLS] = {
      "keV", "keV", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
      "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
      "/kg/keV/day", "counts", "counts", "counts"};
  NUEM_TRY(nuem_result_init(ctx, out, m->nbins, NUEM_MEASURED_NCOLS, names, units));
  const double *signal = m->events[NUEM_COL_TOTAL - 1];
  double sum_signal = 0, sum_bg = 0;
  for (size_t j = 0; j < m->nbins; j++) {
    double *row = &out->data[j * NUEM_MEASURED_NCOLS];
    double width = (m->edges[j + 1] - m->edges[j]) * 1e3; /* keV */
    row[NUEM_MCOL_E_LO] = m->edges[j] * 1e3;
    row[NUEM_MCOL_E_HI] = m->edges[j + 1] * 1e3;
    for (int c = 0; c < NUEM_NRATES; c++) row[NUEM_MCOL_ELEC_SM + c] = m->events[c][j] / width;
    row[NUEM_MCOL_BACKGROUND] = m->background[j] / width;
    row[NUEM_MCOL_COUNTS_SIGNAL] = signal[j] * m->exposure_on;
    row[NUEM_MCOL_COUNTS_ON] = (signal[j] + m->background[j]) * m->exposure_on;
    row[NUEM_MCOL_COUNTS_OFF] = m->background[j] * m->exposure_off;
    sum_signal += signal[j] * m->exposure_on;
    sum_bg += m->background[j] * m->exposure_on;
  }
  nuem_result_note(out, "exposure", "%.6g kg day on, %.6g kg day off", m->exposure_on,
                   m->exposure_off);
  nuem_result_note(out, "expected_counts", "%.6g signal + %.6g background in the ON exposure",
                   sum_signal, sum_bg);
  return NUEM_OK;
}

nuem_status nuem_measured_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       nuem_result *out) {
  memset(out, 0, sizeof *out);
  nuem_properties p = nuem_spectrum_configured(sp);
  nuem_measured m;
  NUEM_TRY(nuem_spectrum_measure(ctx, sp, &p, &m));
  nuem_status s = nuem_measured_table(ctx, &m, out);
  nuem_measured_free(&m);
  if (s) return s;
  const nuem_response *r = &sp->response;
  double err;
  if (sp->chain->sterile) {
    /* the analysis carries the sterile signal in the moment's column */
    out->names[NUEM_MCOL_ELEC_SM + NUEM_PROC_MU] = "sterile_signal";
    nuem_sterile_notes(sp->chain, p.mu, out);
  } else
    nuem_result_note(out, "total_flux", "%.6g /cm2/s", nuem_source_total(sp->chain->src, &err));
  nuem_spectrum_note_atomic(sp, out);
  nuem_result_note(out, "true_bins", "%zu from %.6g to %.6g keV", r->ntrue,
                   r->true_edges[0] * NUEM_KEV_PER_MEV, r->true_edges[r->ntrue] * NUEM_KEV_PER_MEV);
  return NUEM_OK;
}

nuem_status nuem_measured_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out) {
  memset(out, 0, sizeof *out);
  nuem_spectrum *sp;
  NUEM_TRY(nuem_spectrum_new(ctx, cfg, &sp));
  nuem_status s = nuem_measured_config_table(ctx, sp, out);
  nuem_spectrum_free(sp);
  return s;
}

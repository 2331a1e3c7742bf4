/* The measured spectrum: true spectrum folded through the response, plus
 * backgrounds, as rates and expected counts per measured bin. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/output.h"

/* Ga binding energies of the cosmogenic electron-capture lines in Ge
 * (K 10.367, L1 1.302, M1 0.162 keV: Geant4 G4AtomicShells, PHYSICS.md §3.1). */
static const double line_energy[3] = {10.367e-3, 1.302e-3, 0.162e-3};

int nuem_spectrum_is_measured(const nuem_config *cfg) {
  int kind = nuem_config_choice(cfg, NUEM_P_OUTPUT_KIND);
  if (kind != 0) return kind == 2;
  return *nuem_config_text(cfg, NUEM_P_DETECTOR_BINS) ||
         *nuem_config_text(cfg, NUEM_P_DETECTOR_BIN_EDGES) ||
         *nuem_config_text(cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX);
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

/* Events per true bin for every rate column (/kg/day): 4-point
 * Gauss-Legendre of the true spectrum (/kg/keV/day) over each bin. */
static nuem_status true_contents(nuem_context *ctx, const nuem_spectrum_plan *plan,
                                 const nuem_response *r, double *content[]) {
  static const double x4[2] = {0.3399810435848563, 0.8611363115940526};
  static const double w4[2] = {0.6521451548625461, 0.3478548451374538};
  for (size_t i = 0; i < r->ntrue; i++) {
    double a = r->true_edges[i], b = r->true_edges[i + 1];
    double mid = 0.5 * (a + b), half = 0.5 * (b - a) * 1e3; /* keV */
    for (int c = 0; c < NUEM_SPECTRUM_NCOLS - 1; c++) content[c][i] = 0;
    for (int k = 0; k < 4; k++) {
      double T = mid + (k < 2 ? -1 : 1) * x4[k % 2] * 0.5 * (b - a), row[NUEM_SPECTRUM_NCOLS];
      nuem_spectrum_row(plan, T, row, NULL);
      for (int c = 0; c < NUEM_SPECTRUM_NCOLS - 1; c++)
        content[c][i] += w4[k % 2] * half * row[c + 1];
    }
    if (i % 256 == 0) nuem_progress(ctx, (double)i / (double)r->ntrue, "true spectrum");
  }
  nuem_progress(ctx, 1.0, "true spectrum");
  return NUEM_OK;
}

/* The continuum background in measured energy: flat plus a table, in
 * internal units (/kg/MeV/s); the table is zero outside its range, which
 * must cover the bins. */
typedef struct {
  double flat;
  nuem_table table; /* E, rate; nrows = 0 if none */
} continuum;

static double continuum_rate(const continuum *bg, double E) {
  double b = bg->flat;
  const nuem_table *t = &bg->table;
  if (!t->nrows || E < nuem_table_get(t, 0, 0) || E > nuem_table_get(t, t->nrows - 1, 0))
    return b;
  size_t lo = 0, hi = t->nrows - 1;
  while (hi - lo > 1) { /* the table is row-major: search the first column */
    size_t mid = (lo + hi) / 2;
    if (nuem_table_get(t, mid, 0) <= E) lo = mid; else hi = mid;
  }
  double x0 = nuem_table_get(t, lo, 0), x1 = nuem_table_get(t, hi, 0);
  double y0 = nuem_table_get(t, lo, 1), y1 = nuem_table_get(t, hi, 1);
  return b + y0 + (y1 - y0) * (E - x0) / (x1 - x0);
}

/* Events per day per kg in [a, b]: ∫ eff(E) b(E) dE (midpoint rule on fine
 * pieces, since the efficiency steps at the threshold). */
static double continuum_in_bin(const nuem_detector *d, const continuum *bg, double a,
                               double b) {
  enum { PIECES = 64 };
  double h = (b - a) / PIECES, sum = 0;
  for (int k = 0; k < PIECES; k++) {
    double E = a + (k + 0.5) * h;
    sum += nuem_detector_efficiency(d, E) * continuum_rate(bg, E) * h;
  }
  return sum * NUEM_SECONDS_PER_DAY;
}

static nuem_status load_continuum(nuem_context *ctx, const nuem_config *cfg,
                                  const nuem_response *r, continuum *bg) {
  memset(bg, 0, sizeof *bg);
  bg->flat = nuem_config_number(cfg, NUEM_P_BACKGROUND_FLAT);
  const char *path = nuem_config_text(cfg, NUEM_P_BACKGROUND_TABLE);
  if (!*path) return NUEM_OK;
  NUEM_TRY(nuem_table_read(ctx, path, &bg->table));
  const nuem_table *t = &bg->table;
  nuem_status s = nuem_table_check_xy(ctx, t, "keV", "/kg/keV/day", 1, 2, "a background table");
  if (!s && (nuem_table_get(t, 0, 0) > r->meas_edges[0] ||
             nuem_table_get(t, t->nrows - 1, 0) < r->meas_edges[r->nmeas]))
    s = nuem_error(ctx, NUEM_ERANGE, "%s: the background table must cover the bins, "
                   "%g to %g keV", path, r->meas_edges[0] * 1e3, r->meas_edges[r->nmeas] * 1e3);
  if (s) nuem_table_free(&bg->table);
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
  nuem_table_free(&bg.table);
  double k = nuem_config_number(cfg, NUEM_P_BACKGROUND_K_LINE) * NUEM_SECONDS_PER_DAY;
  double l = k * nuem_config_number(cfg, NUEM_P_BACKGROUND_L_TO_K);
  double m = l * nuem_config_number(cfg, NUEM_P_BACKGROUND_M_TO_L);
  const double intensity[3] = {k, l, m};
  double *row = malloc(r->nmeas * sizeof *row);
  if (!row) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  for (int i = 0; i < 3; i++) {
    if (intensity[i] == 0) continue;
    line_row(d, r, imported, line_energy[i], row);
    for (size_t j = 0; j < r->nmeas; j++) bg_bins[j] += intensity[i] * row[j];
  }
  free(row);
  return NUEM_OK;
}

static nuem_status fill_result(nuem_context *ctx, const nuem_detector *d,
                               const nuem_response *r, double *meas[], const double *bg,
                               nuem_result *out) {
  static const char *const names[NUEM_MEASURED_NCOLS] = {
      "E_lo", "E_hi", "elec_sm", "elec_mu", "elec_q", "elec_r2", "nucl_sm", "nucl_mu",
      "nucl_q", "nucl_r2", "signal", "background", "counts_signal", "counts_on",
      "counts_off"};
  static const char *const units[NUEM_MEASURED_NCOLS] = {
      "keV", "keV", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
      "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day",
      "/kg/keV/day", "counts", "counts", "counts"};
  NUEM_TRY(nuem_result_init(ctx, out, r->nmeas, NUEM_MEASURED_NCOLS, names, units));
  double on = nuem_detector_exposure(d) / NUEM_SECONDS_PER_DAY; /* kg day */
  double off = nuem_detector_exposure_off(d) / NUEM_SECONDS_PER_DAY;
  double sum_signal = 0, sum_bg = 0;
  for (size_t j = 0; j < r->nmeas; j++) {
    double *row = &out->data[j * NUEM_MEASURED_NCOLS];
    double width = (r->meas_edges[j + 1] - r->meas_edges[j]) * 1e3; /* keV */
    row[NUEM_MCOL_E_LO] = r->meas_edges[j] * 1e3;
    row[NUEM_MCOL_E_HI] = r->meas_edges[j + 1] * 1e3;
    for (int c = 0; c < 9; c++) row[NUEM_MCOL_ELEC_SM + c] = meas[c][j] / width;
    row[NUEM_MCOL_BACKGROUND] = bg[j] / width;
    row[NUEM_MCOL_COUNTS_SIGNAL] = meas[8][j] * on;
    row[NUEM_MCOL_COUNTS_ON] = (meas[8][j] + bg[j]) * on;
    row[NUEM_MCOL_COUNTS_OFF] = bg[j] * off;
    sum_signal += meas[8][j] * on;
    sum_bg += bg[j] * on;
  }
  nuem_result_note(out, "exposure", "%.6g kg day on, %.6g kg day off", on, off);
  nuem_result_note(out, "expected_counts", "%.6g signal + %.6g background (reactor on)",
                   sum_signal, sum_bg);
  return NUEM_OK;
}

nuem_status nuem_measured_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out) {
  enum { NRATE = NUEM_SPECTRUM_NCOLS - 1 };
  memset(out, 0, sizeof *out);
  nuem_spectrum_plan plan;
  nuem_detector *d = NULL;
  nuem_response r = {0};
  double *content[NRATE] = {0}, *meas[NRATE] = {0}, *bg = NULL;
  nuem_status s = nuem_spectrum_plan_new(ctx, cfg, &plan);
  if (!s) s = nuem_detector_init(ctx, cfg, &d);
  if (!s) s = nuem_response_from_config(ctx, cfg, d, &r);
  if (!s) s = nuem_atomic_check_range(ctx, plan.atomic, r.true_edges[0], r.true_edges[r.ntrue]);
  for (int c = 0; !s && c < NRATE; c++) {
    content[c] = malloc(r.ntrue * sizeof(double));
    meas[c] = malloc(r.nmeas * sizeof(double));
    if (!content[c] || !meas[c]) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  }
  if (!s && !(bg = malloc(r.nmeas * sizeof *bg))) s = nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  if (!s) s = true_contents(ctx, &plan, &r, content);
  for (int c = 0; !s && c < NRATE; c++) nuem_response_fold(&r, content[c], meas[c]);
  int imported = *nuem_config_text(cfg, NUEM_P_DETECTOR_RESPONSE_MATRIX) != '\0';
  if (!s) s = background(ctx, cfg, d, &r, imported, bg);
  if (!s) s = fill_result(ctx, d, &r, meas, bg, out);
  if (!s) {
    double err;
    nuem_result_note(out, "total_flux", "%.6g /cm2/s", nuem_source_total(plan.src, &err));
    nuem_result_note(out, "true_bins", "%zu from %.6g to %.6g keV", r.ntrue,
                     r.true_edges[0] * 1e3, r.true_edges[r.ntrue] * 1e3);
  }
  for (int c = 0; c < NRATE; c++) {
    free(content[c]);
    free(meas[c]);
  }
  free(bg);
  nuem_response_free(&r);
  nuem_detector_free(d);
  nuem_spectrum_plan_free(&plan);
  if (s) nuem_result_free(out);
  return s;
}

/* The flux table of `nuem flux` (and of the Python binding's nuem.flux):
 * dPhi/dE at the detector with its components, on the [output] grid or on
 * energies the caller gives, and the source's totals as notes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/source.h"

/* Solar: dPhi/dE of the continuum per flavour at the detector; each
 * component's flux and each line (energy, flux, P_ee) as notes. */
static void solar_flux_table(const nuem_source *src, nuem_result *r) {
  static const int flavours[] = {NUEM_NUE, NUEM_NUMU, NUEM_NUTAU};
  for (size_t i = 0; i < r->nrows; i++) {
    double *row = &r->data[i * r->ncols];
    row[1] = nuem_source_flux(src, row[0]);
    for (size_t f = 0; f < 3; f++) row[2 + f] = nuem_source_flavour_flux(src, flavours[f], row[0]);
  }
  char key[32];
  for (int c = 0; c < NUEM_SOLAR_NCOMPONENTS; c++)
    if (nuem_source_solar_flux(src, c) > 0) {
      snprintf(key, sizeof key, "flux_%s", nuem_solar_component_name(c));
      nuem_result_note(r, key, "%.6g /cm2/s", nuem_source_solar_flux(src, c));
    }
  const nuem_source_line *lines;
  size_t nl = nuem_source_lines(src, &lines);
  for (size_t i = 0; i < nl; i++) {
    snprintf(key, sizeof key, "line_%s_%.4g", nuem_solar_component_name(lines[i].component),
             lines[i].energy);
    nuem_result_note(r, key, "%.6g /cm2/s at %.6g MeV, P_ee %.4f", lines[i].total,
                     lines[i].energy, lines[i].flux[NUEM_NUE] / lines[i].total);
  }
}

/* Radioactive and pidar sources: dPhi/dE of each delivered flavour's
 * continuum; each line (energy, flux, flavour) and the source's rate as
 * notes. */
static void analytic_flux_table(const nuem_source *src, const int *flavours, nuem_result *r) {
  for (size_t i = 0; i < r->nrows; i++) {
    double *row = &r->data[i * r->ncols];
    row[1] = nuem_source_flux(src, row[0]);
    for (size_t f = 2; f < r->ncols; f++)
      row[f] = nuem_source_flavour_flux(src, flavours[f - 2], row[0]);
  }
  const nuem_source_line *lines;
  size_t nl = nuem_source_lines(src, &lines);
  char key[32];
  for (size_t i = 0; i < nl; i++) {
    int f = 0;
    while (f < NUEM_NFLAVOURS - 1 && !(lines[i].flux[f] > 0)) f++;
    snprintf(key, sizeof key, "line_%.6g_MeV", lines[i].energy);
    nuem_result_note(r, key, "%.6g /cm2/s of %s", lines[i].total, nuem_flavour_name(f));
  }
  if (nuem_source_mean_activity(src) > 0)
    nuem_result_note(r, "mean_activity", "%.6g Bq (over source.duration)",
                     nuem_source_mean_activity(src));
  if (nuem_source_proton_rate(src) > 0)
    nuem_result_note(r, "proton_rate", "%.6g /s", nuem_source_proton_rate(src));
}

/* A reactor: the fission components and the one-sigma band (band = 0 where
 * nuem carries no published uncertainty). */
static void reactor_flux_table(const nuem_source *src, nuem_result *r) {
  for (size_t i = 0; i < r->nrows; i++) {
    double *row = &r->data[i * r->ncols], comp[NUEM_NCOMPONENTS], sigma;
    row[1] = nuem_source_flux_components(src, row[0], comp);
    for (size_t c = 0; c < NUEM_NCOMPONENTS; c++) row[2 + c] = comp[c];
    int known = nuem_source_flux_sigma(src, row[0], &sigma);
    row[2 + NUEM_NCOMPONENTS] = known ? row[1] - sigma : row[1];
    row[3 + NUEM_NCOMPONENTS] = known ? row[1] + sigma : row[1];
    row[4 + NUEM_NCOMPONENTS] = known;
  }
  nuem_result_note(r, "flux_band", "flux_lo, flux_hi: flux -+ 1 sigma of the published "
                   "spectrum uncertainty; carried for source.low_energy = perisse-2023 below "
                   "2 MeV (Perisse et al., PRC 108, 055501 (2023)) and source.high_energy = "
                   "huber-mueller or mueller above (Huber, PRC 84, 024617 (2011); Mueller et "
                   "al., PRC 83, 054615 (2011)); elsewhere band = 0 and flux_lo = flux_hi = "
                   "flux (no band known) (docs/physics.md, \"Reactor spectrum uncertainties\")");
}

/* The energies: the caller's, or output.points log-spaced values from
 * output.e_min to the source's upper end. */
static nuem_status flux_energies(nuem_context *ctx, const nuem_source *src,
                                 const nuem_config *cfg, const double *E, size_t n,
                                 nuem_result *r) {
  if (E) {
    for (size_t i = 0; i < n; i++) {
      if (!(E[i] > 0) || !isfinite(E[i]))
        return nuem_error(ctx, NUEM_ERANGE, "flux: energy %zu (%g MeV) must be positive and "
                          "finite", i, E[i]);
      r->data[i * r->ncols] = E[i];
    }
    return NUEM_OK;
  }
  double lo = nuem_config_number(cfg, NUEM_P_OUTPUT_E_MIN), hi = nuem_source_e_max(src);
  for (size_t i = 0; i < n; i++)
    r->data[i * r->ncols] = n > 1 ? lo * pow(hi / lo, (double)i / (double)(n - 1)) : lo;
  return NUEM_OK;
}

nuem_status nuem_flux_table(nuem_context *ctx, const nuem_source *src, const nuem_config *cfg,
                            const double *E, size_t n, nuem_result *out) {
  static const char *const names[] = {"E", "flux", "U235", "U238", "Pu239",
                                      "Pu241", "capture", "flux_lo", "flux_hi", "band"};
  static const char *const units[] = {"MeV", "/cm2/s/MeV", "/cm2/s/MeV",
                                      "/cm2/s/MeV", "/cm2/s/MeV", "/cm2/s/MeV",
                                      "/cm2/s/MeV", "/cm2/s/MeV", "/cm2/s/MeV", "1"};
  static const char *const solar_names[] = {"E", "flux", "nue", "numu", "nutau"};
  memset(out, 0, sizeof *out);
  if (!E) {
    double lo = nuem_config_number(cfg, NUEM_P_OUTPUT_E_MIN), hi = nuem_source_e_max(src);
    if (!(hi > lo))
      return nuem_error(ctx, NUEM_ERANGE, "output.e_min (%g MeV) must lie below the "
                        "source's upper end (%g MeV)", lo, hi);
    n = (size_t)nuem_config_integer(cfg, NUEM_P_OUTPUT_POINTS);
  }
  if (n == 0) return nuem_error(ctx, NUEM_EUSAGE, "flux: no energies given");
  /* a user table has no fission components: E and the flux only; the Sun
   * has its flavours; radioactive and pidar a column per delivered flavour */
  int reactor = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "reactor");
  int solar = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "solar");
  int analytic = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "radioactive") ||
                 nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "pidar");
  int flavours[NUEM_NFLAVOURS];
  size_t nf = nuem_source_flavours(src, flavours);
  const char *flavour_names[2 + NUEM_NFLAVOURS] = {"E", "flux"};
  for (size_t f = 0; f < nf; f++) flavour_names[2 + f] = nuem_flavour_name(flavours[f]);
  size_t ncols = reactor ? 5 + NUEM_NCOMPONENTS : solar ? 5 : analytic ? 2 + nf : 2;
  NUEM_TRY(nuem_result_init(ctx, out, n, ncols,
                            solar ? solar_names : analytic ? flavour_names : names, units));
  nuem_status s = flux_energies(ctx, src, cfg, E, n, out);
  if (s) {
    nuem_result_free(out);
    return s;
  }
  if (reactor) reactor_flux_table(src, out);
  else if (solar) solar_flux_table(src, out);
  else if (analytic) analytic_flux_table(src, flavours, out);
  else
    for (size_t i = 0; i < n; i++) {
      double comp[NUEM_NCOMPONENTS];
      out->data[i * ncols + 1] = nuem_source_flux_components(src, out->data[i * ncols], comp);
    }
  double err, total = nuem_source_total(src, &err);
  nuem_result_note(out, "total_flux", "%.6g /cm2/s (quadrature error %.2g /cm2/s)", total, err);
  if (nuem_source_fission_rate(src) > 0) {
    nuem_result_note(out, "fission_rate", "%.6g /s", nuem_source_fission_rate(src));
    nuem_result_note(out, "antineutrinos_per_fission", "%.6g", nuem_source_per_fission(src));
  }
  return NUEM_OK;
}

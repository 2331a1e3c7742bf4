/* Stage 7, output: result tables and their writers (TSV, CSV, JSON), and the
 * spectrum driver that runs the chain source -> target -> interaction ->
 * rate -> response for a list of measurable energies T. */
#ifndef NUEM_OUTPUT_H
#define NUEM_OUTPUT_H

#include <stdio.h>

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

enum { NUEM_RESULT_MAX_COLS = 32, NUEM_RESULT_MAX_NOTES = 16 };

/* A table of results; names and units point to static strings. */
typedef struct {
  size_t ncols, nrows;
  const char *names[NUEM_RESULT_MAX_COLS];
  const char *units[NUEM_RESULT_MAX_COLS];
  double *data; /* nrows × ncols, row-major, in the units named */
  size_t nnotes; /* summary lines: "total_flux" = "6.4e12 /cm2/s" */
  char *note_keys[NUEM_RESULT_MAX_NOTES], *note_values[NUEM_RESULT_MAX_NOTES];
} nuem_result;

nuem_status nuem_result_init(nuem_context *ctx, nuem_result *r, size_t nrows,
                             size_t ncols, const char *const *names,
                             const char *const *units);
nuem_status nuem_result_note(nuem_result *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void nuem_result_free(nuem_result *r);

/* MARKDOWN is only for the key listing of `nuem config` (docs/config.md). */
typedef enum { NUEM_FORMAT_TSV, NUEM_FORMAT_CSV, NUEM_FORMAT_JSON,
               NUEM_FORMAT_MARKDOWN } nuem_format;
nuem_status nuem_format_parse(nuem_context *ctx, const char *name,
                              nuem_format *out);

/* Write `s` as a JSON string literal, escaped. */
void nuem_json_string(FILE *out, const char *s);

/* Write provenance (version, command, resolved config, notes), then the
 * table. A non-finite value is an error, never written. */
nuem_status nuem_result_write(nuem_context *ctx, FILE *out, nuem_format fmt,
                              const char *command, const nuem_config *cfg,
                              const nuem_result *r);

/* ---- the spectrum chain ---------------------------------------------------- */

/* Spectrum columns (DESIGN.md): T, then rates in /kg/keV/day: per channel
 * the SM and the excess over it from each property, then the total. */
enum { NUEM_COL_T, NUEM_COL_ELEC_SM, NUEM_COL_ELEC_MU, NUEM_COL_ELEC_Q,
       NUEM_COL_ELEC_R2, NUEM_COL_NUCL_SM, NUEM_COL_NUCL_MU, NUEM_COL_NUCL_Q,
       NUEM_COL_NUCL_R2, NUEM_COL_TOTAL, NUEM_SPECTRUM_NCOLS };

typedef struct {
  nuem_source *src;
  nuem_target *tgt;
  nuem_interaction in;
  nuem_atomic *atomic;
  nuem_rate_plan *plan;
  nuem_quenching *quench;
} nuem_spectrum_plan;

/* Column names and units of the spectrum table. */
extern const char *const nuem_spectrum_names[NUEM_SPECTRUM_NCOLS];
extern const char *const nuem_spectrum_units[NUEM_SPECTRUM_NCOLS];

/* Build the chain from a config: source, target, interaction, atomic model,
 * rate plan, quenching. Free with nuem_spectrum_plan_free. */
nuem_status nuem_spectrum_plan_new(nuem_context *ctx, const nuem_config *cfg,
                                   nuem_spectrum_plan *plan);
void nuem_spectrum_plan_free(nuem_spectrum_plan *plan);

/* One row of the spectrum at measurable energy T [MeV]: columns as above,
 * T in keV and rates in /kg/keV/day; err (optional) gets their error
 * estimates. The nuclear channel is in electron-equivalent energy. */
void nuem_spectrum_row(const nuem_spectrum_plan *plan, double T,
                       double row[NUEM_SPECTRUM_NCOLS],
                       double err[NUEM_SPECTRUM_NCOLS]);

/* The T grid of [output] (t_min, t_max, points, spacing), in MeV. */
nuem_status nuem_spectrum_grid(nuem_context *ctx, const nuem_config *cfg,
                               double **T, size_t *n);

/* Measured-spectrum columns: bin edges (keV), the measured rate of each
 * signal component and of the background (/kg/keV/day, after resolution,
 * efficiency and threshold), then expected counts for the exposures. */
enum { NUEM_MCOL_E_LO, NUEM_MCOL_E_HI, NUEM_MCOL_ELEC_SM, NUEM_MCOL_SIGNAL = NUEM_MCOL_ELEC_SM + 8,
       NUEM_MCOL_BACKGROUND, NUEM_MCOL_COUNTS_SIGNAL, NUEM_MCOL_COUNTS_ON,
       NUEM_MCOL_COUNTS_OFF, NUEM_MEASURED_NCOLS };

/* 1 if the config asks for a measured spectrum (output.kind, or auto with
 * bins or a response matrix given). */
int nuem_spectrum_is_measured(const nuem_config *cfg);
/* The measured spectrum of a config: true spectrum -> response -> bins,
 * plus backgrounds and counts. */
nuem_status nuem_measured_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out);
/* The response matrix of a config (built from [detector], or read). */
nuem_status nuem_response_from_config(nuem_context *ctx, const nuem_config *cfg,
                                      const nuem_detector *d, nuem_response *out);

/* A gnuplot script drawing the Figure-3 picture from `true_data` (a TSV
 * written by nuem_result_write for nuem_spectrum_compute: log-log dR/dT,
 * SM nu-e black, CEvNS blue, mu red, q magenta, r2 green; electron channel
 * solid, nuclear dashed; negative excesses dotted as |excess|; the
 * threshold marked) and, if `measured_data` is not NULL, a second panel with
 * the measured binned spectrum and background. The terminal follows the
 * extension of `picture` (.png, .svg, .pdf). */
nuem_status nuem_plot_script(nuem_context *ctx, FILE *out, const nuem_config *cfg,
                             const char *picture, const char *true_data,
                             const char *measured_data);

/* The whole `nuem spectrum` job for a config. */
nuem_status nuem_spectrum_compute(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_result *out);

#ifdef __cplusplus
}
#endif
#endif

/* Stage 8, output: the leaf of the chain. Writes result tables (TSV, CSV,
 * JSON with provenance) and gnuplot scripts; computes nothing. */
#ifndef NUEM_OUTPUT_H
#define NUEM_OUTPUT_H

#include <stdio.h>

#include "nuem/config.h"
#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* A gnuplot script drawing the Figure-3 picture from `true_data` (a TSV
 * written by nuem_result_write for nuem_spectrum_compute: log-log dR/dT,
 * SM nu-e black, CEvNS blue, mu red, q magenta, r2 green; electron channel
 * solid, nuclear dashed; negative excesses dotted as |excess|; the
 * threshold marked) and, if `measured_data` is not NULL, a second panel with
 * the measured binned spectrum and background. The terminal follows the
 * extension of `picture` (.png, .svg, .pdf). The title names the atomic
 * model that ran (`atomic_model`, e.g. what auto resolved to). */
nuem_status nuem_plot_script(nuem_context *ctx, FILE *out, const nuem_config *cfg,
                             const char *atomic_model, const char *picture,
                             const char *true_data, const char *measured_data);

#ifdef __cplusplus
}
#endif
#endif

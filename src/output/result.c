/* The writers of result tables: TSV, CSV, JSON with provenance. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/output.h"

nuem_status nuem_format_parse(nuem_context *ctx, const char *name,
                              nuem_format *out) {
  static const char *const names[] = {[NUEM_FORMAT_TSV] = "tsv", [NUEM_FORMAT_CSV] = "csv",
                                      [NUEM_FORMAT_JSON] = "json",
                                      [NUEM_FORMAT_MARKDOWN] = "markdown"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) {
      *out = (nuem_format)i;
      return NUEM_OK;
    }
  return nuem_error(ctx, NUEM_EUSAGE, "--format '%s': choose tsv, csv or json", name);
}

void nuem_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

static void write_config_comments(FILE *out, const nuem_config *cfg, char mark) {
  const char *section = "";
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    const nuem_param_info *info = nuem_param_info_get((nuem_param)i);
    if (strcmp(section, info->section) != 0) {
      section = info->section;
      fprintf(out, "%c   [%s]\n", mark, section);
    }
    char buf[512];
    nuem_config_format(cfg, (nuem_param)i, buf, sizeof buf);
    fprintf(out, "%c     %s = %s\n", mark, info->key, buf);
  }
}

static void write_json_config(FILE *out, const nuem_config *cfg) {
  const char *section = NULL;
  fputs("\"config\": {", out);
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    const nuem_param_info *info = nuem_param_info_get((nuem_param)i);
    if (!section || strcmp(section, info->section) != 0) {
      fprintf(out, "%s\n    ", section ? "}," : "");
      nuem_json_string(out, info->section);
      fputs(": {", out);
      section = info->section;
    } else {
      fputs(", ", out);
    }
    char buf[512];
    nuem_config_format(cfg, (nuem_param)i, buf, sizeof buf);
    nuem_json_string(out, info->key);
    fputs(": ", out);
    nuem_json_string(out, buf);
  }
  fputs("}\n  }", out);
}

static nuem_status check_finite(nuem_context *ctx, const nuem_result *r) {
  for (size_t i = 0; i < r->nrows * r->ncols; i++)
    if (!isfinite(r->data[i]))
      return nuem_error(ctx, NUEM_ENUMERIC,
                        "column %s, row %zu is not a finite number; nothing "
                        "was written", r->names[i % r->ncols], i / r->ncols + 1);
  return NUEM_OK;
}

static void write_json(FILE *out, const char *command, const nuem_config *cfg,
                       const nuem_result *r) {
  fprintf(out, "{\n  \"nuem\": {\"version\": ");
  nuem_json_string(out, nuem_version());
  fputs(", \"command\": ", out);
  nuem_json_string(out, command);
  fputs("},\n  ", out);
  if (cfg) {
    write_json_config(out, cfg);
    fputs(",\n  ", out);
  }
  fputs("\"notes\": {", out);
  for (size_t i = 0; i < r->nnotes; i++) {
    fputs(i ? ", " : "", out);
    nuem_json_string(out, r->note_keys[i]);
    fputs(": ", out);
    nuem_json_string(out, r->note_values[i]);
  }
  fputs("},\n  \"columns\": [", out);
  for (size_t c = 0; c < r->ncols; c++) {
    fputs(c ? ", " : "", out);
    fputs("{\"name\": ", out);
    nuem_json_string(out, r->names[c]);
    fputs(", \"unit\": ", out);
    nuem_json_string(out, r->units[c]);
    fputs("}", out);
  }
  fputs("],\n  \"rows\": [", out);
  for (size_t i = 0; i < r->nrows; i++) {
    fputs(i ? ",\n    [" : "\n    [", out);
    for (size_t c = 0; c < r->ncols; c++)
      fprintf(out, "%s%.10g", c ? ", " : "", r->data[i * r->ncols + c]);
    fputs("]", out);
  }
  fputs("\n  ]\n}\n", out);
}

nuem_status nuem_result_write(nuem_context *ctx, FILE *out, nuem_format fmt,
                              const char *command, const nuem_config *cfg,
                              const nuem_result *r) {
  NUEM_TRY(check_finite(ctx, r));
  if (fmt == NUEM_FORMAT_MARKDOWN)
    return nuem_error(ctx, NUEM_EUSAGE, "--format markdown is only for `nuem "
                      "config`; choose tsv, csv or json");
  if (fmt == NUEM_FORMAT_JSON) {
    write_json(out, command, cfg, r);
  } else {
    char sep = fmt == NUEM_FORMAT_CSV ? ',' : '\t';
    fprintf(out, "# nuem %s %s\n", nuem_version(), command);
    if (cfg) {
      fprintf(out, "# config:\n");
      write_config_comments(out, cfg, '#');
    }
    for (size_t i = 0; i < r->nnotes; i++)
      fprintf(out, "# %s: %s\n", r->note_keys[i], r->note_values[i]);
    if (fmt == NUEM_FORMAT_TSV) {
      /* Directives nuem's own table reader understands. */
      fputs("# columns:", out);
      for (size_t c = 0; c < r->ncols; c++) fprintf(out, " %s", r->names[c]);
      fputs("\n# units:", out);
      for (size_t c = 0; c < r->ncols; c++) fprintf(out, " %s", r->units[c]);
      fputc('\n', out);
    } else {
      for (size_t c = 0; c < r->ncols; c++)
        fprintf(out, "%s%s [%s]", c ? "," : "", r->names[c], r->units[c]);
      fputc('\n', out);
    }
    for (size_t i = 0; i < r->nrows; i++) {
      for (size_t c = 0; c < r->ncols; c++)
        fprintf(out, "%s%.6e", c ? (char[]){sep, 0} : "", r->data[i * r->ncols + c]);
      fputc('\n', out);
    }
  }
  if (fflush(out) || ferror(out))
    return nuem_error(ctx, NUEM_EFILE, "writing the output failed");
  return NUEM_OK;
}

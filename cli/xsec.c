/* nuem xsec: one differential cross section, every process, per electron,
 * atom or nucleus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --mu, --q, --r2 and --atomic are config keys with their own flags. */
static nuem_status apply_flags(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  const struct { const char *value, *key, *flag; } flags[] = {
      {opt->flavour, "flavour", "--flavour"}, {opt->mu, "mu_nu", "--mu"},
      {opt->q, "q_nu", "--q"}, {opt->r2, "r2_nu", "--r2"}};
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (flags[i].value)
      NUEM_CLI_TRY(nuem_config_set(ctx, cfg, "physics", flags[i].key, flags[i].value, flags[i].flag));
  if (opt->atomic) NUEM_CLI_TRY(nuem_config_set(ctx, cfg, "atomic", "model", opt->atomic, "--atomic"));
  return NUEM_OK;
}

static nuem_status read_inputs(nuem_context *ctx, nuem_config *cfg,
                               const cli_options *opt, nuem_interaction *in,
                               double *E, double *T) {
  if (!opt->channel)
    return nuem_error(ctx, NUEM_EUSAGE, "nuem xsec needs --channel nu-e or --channel cevns");
  if (strcmp(opt->channel, "nu-e") != 0 && strcmp(opt->channel, "cevns") != 0)
    return nuem_error(ctx, NUEM_EUSAGE, "--channel '%s': choose nu-e or cevns", opt->channel);
  if (!opt->enu || !opt->t)
    return nuem_error(ctx, NUEM_EUSAGE, "nuem xsec needs --enu (e.g. 1MeV) and --t (e.g. 10keV)");
  if (!strcmp(opt->channel, "cevns") && !opt->target)
    return nuem_error(ctx, NUEM_EUSAGE, "--channel cevns needs a nucleus: --target Ge74 "
                      "(one isotope) or --target Ge (natural abundances)");
  if (opt->atomic && !opt->target)
    return nuem_error(ctx, NUEM_EUSAGE, "--atomic applies to atoms: give --target (e.g. Ge)");
  NUEM_CLI_TRY(apply_flags(ctx, cfg, opt));
  NUEM_CLI_TRY(nuem_quantity_parse(ctx, opt->enu, "MeV", "--enu", E));
  NUEM_CLI_TRY(nuem_quantity_parse(ctx, opt->t, "keV", "--t", T));
  if (!(*E > 0)) return nuem_error(ctx, NUEM_ERANGE, "--enu must be positive");
  if (!(*T > 0)) return nuem_error(ctx, NUEM_ERANGE, "--t must be positive");
  NUEM_CLI_TRY(nuem_interaction_init(ctx, cfg, in));
  /* A single cross section shows only the properties asked for: the
   * Figure-3 defaults of [physics] are for spectra. */
  const nuem_param props[] = {NUEM_P_PHYSICS_MU_NU, NUEM_P_PHYSICS_Q_NU, NUEM_P_PHYSICS_R2_NU};
  double *values[] = {&in->mu, &in->q, &in->r2};
  for (size_t k = 0; k < sizeof props / sizeof *props; k++) {
    if (nuem_config_given(cfg, props[k])) continue;
    *values[k] = 0; /* and the header says so */
    NUEM_CLI_TRY(nuem_config_set_number(ctx, cfg, props[k], 0.0, "xsec (not given)"));
  }
  return NUEM_OK;
}

static void write_json(FILE *out, const cli_options *opt, const nuem_interaction *in,
                       const double *row, const char *per) {
  fprintf(out, "{\"nuem\": {\"version\": ");
  nuem_json_string(out, nuem_version());
  fprintf(out, ", \"command\": \"xsec\"},\n \"value\": %.10g, \"unit\": \"cm2/keV\",\n",
          row[2 + NUEM_PROC_TOTAL]);
  fprintf(out, " \"terms\": {");
  for (int p = 0; p < NUEM_NPROC; p++)
    fprintf(out, "%s\"%s\": %.10g", p ? ", " : "", nuem_process_name(p), row[2 + p]);
  fprintf(out, "},\n \"channel\": ");
  nuem_json_string(out, opt->channel);
  fprintf(out, ", \"flavour\": \"%s\", \"target\": ", nuem_flavour_name(in->flavour));
  nuem_json_string(out, opt->target ? opt->target : "free electron");
  fprintf(out, ", \"per\": ");
  nuem_json_string(out, per);
  fprintf(out, ",\n \"enu\": %.10g, \"enu_unit\": \"MeV\", \"t\": %.10g, \"t_unit\": "
          "\"keV\", \"t_max\": %.10g, \"t_max_unit\": \"keV\",\n \"sin2w\": %.10g, "
          "\"couplings\": \"%s\", \"mu_nu\": %.10g, \"q_nu\": %.10g, \"r2_nu\": %.10g}\n",
          row[0], row[1], row[7], in->sin2w,
          in->couplings == NUEM_COUPLINGS_TREE ? "tree" : "effective", in->mu, in->q, in->r2);
}

static int write_answer(nuem_context *ctx, nuem_config *cfg, const cli_options *opt,
                        const nuem_interaction *in, const nuem_result *r, const char *per) {
  if (opt->format != NUEM_FORMAT_JSON) return cli_write_result(ctx, opt, cfg, r);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return 1;
  write_json(mem, opt, in, r->data, per);
  fclose(mem);
  int rc = cli_write_buffer(opt->out_file, buf, len);
  free(buf);
  return rc;
}

int cli_xsec(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_interaction in;
  double E, T;
  nuem_status s = read_inputs(ctx, cfg, opt, &in, &E, &T);
  nuem_result r;
  const char *per = "";
  if (!s) s = nuem_xsec_table(ctx, cfg, opt->channel, opt->target, &E, &T, 1, &r, &per);
  if (s) return cli_fail(ctx, s);
  cli_report_unused(ctx, cfg);
  int rc = write_answer(ctx, cfg, opt, &in, &r, per);
  nuem_result_free(&r);
  return rc;
}

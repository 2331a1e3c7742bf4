/* nuem xsec: one differential cross section, per electron, atom or nucleus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  double value;  /* cm2/MeV */
  double t_max;  /* MeV */
  const char *per;
} xsec_answer;

/* nu-e: per free electron, or per atom (Z free electrons) with a target. */
static void electron_xsec(const nuem_interaction *in, const nuem_target *tgt,
                          double E, double T, xsec_answer *a) {
  double per_electron = nuem_xsec_electron_sm(in, E, T);
  a->t_max = nuem_kin_t_max(E, NUEM_ME);
  if (!tgt) {
    a->value = per_electron;
    a->per = "free electron";
    return;
  }
  double electrons = 0;
  for (size_t i = 0; i < tgt->nelements; i++)
    electrons += tgt->elements[i].count * tgt->elements[i].Z;
  a->value = electrons * per_electron;
  a->per = tgt->nelements == 1 && tgt->elements[0].count == 1 ? "atom (free electrons)"
                                                              : "formula unit (free electrons)";
}

/* CEvNS: per nucleus, averaged over natural abundances. */
static void nuclear_xsec(const nuem_interaction *in, const nuem_target *tgt,
                         double E, double T, xsec_answer *a) {
  a->value = 0;
  a->t_max = 0;
  for (size_t i = 0; i < tgt->nelements; i++) {
    const nuem_element *el = &tgt->elements[i];
    for (size_t k = 0; k < el->nisotopes; k++) {
      const nuem_isotope *iso = &el->isotopes[k];
      a->value += el->count * iso->abundance * nuem_xsec_cevns(in, iso, E, T);
      double tm = nuem_kin_t_max(E, iso->mass);
      if (tm > a->t_max) a->t_max = tm;
    }
  }
  a->per = tgt->nelements == 1 && tgt->elements[0].count == 1 ? "nucleus"
                                                              : "formula unit";
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
  if (opt->flavour) {
    nuem_status s = nuem_config_set(ctx, cfg, "physics", "flavour", opt->flavour, "--flavour");
    if (s) return s;
  }
  nuem_status s = nuem_quantity_parse(ctx, opt->enu, "MeV", "--enu", E);
  if (!s) s = nuem_quantity_parse(ctx, opt->t, "keV", "--t", T);
  if (!s && !(*E > 0)) s = nuem_error(ctx, NUEM_ERANGE, "--enu must be positive");
  if (!s && !(*T > 0)) s = nuem_error(ctx, NUEM_ERANGE, "--t must be positive");
  if (!s) s = nuem_interaction_init(ctx, cfg, in);
  return s;
}

static void write_json(FILE *out, const cli_options *opt, const nuem_interaction *in,
                       double E, double T, const xsec_answer *a) {
  fprintf(out, "{\"nuem\": {\"version\": ");
  nuem_json_string(out, nuem_version());
  fprintf(out, ", \"command\": \"xsec\"},\n \"value\": %.10g, \"unit\": \"cm2/keV\",\n",
          a->value * 1e-3);
  fprintf(out, " \"channel\": ");
  nuem_json_string(out, opt->channel);
  fprintf(out, ", \"flavour\": \"%s\", \"target\": ", nuem_flavour_name(in->flavour));
  nuem_json_string(out, opt->target ? opt->target : "free electron");
  fprintf(out, ", \"per\": ");
  nuem_json_string(out, a->per);
  fprintf(out, ",\n \"enu\": %.10g, \"enu_unit\": \"MeV\", \"t\": %.10g, \"t_unit\": "
          "\"keV\", \"t_max\": %.10g, \"t_max_unit\": \"keV\",\n \"sin2w\": %.10g, "
          "\"couplings\": \"%s\"}\n", E, T * 1e3, a->t_max * 1e3, in->sin2w,
          in->couplings == NUEM_COUPLINGS_TREE ? "tree" : "effective");
}

int cli_xsec(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_interaction in;
  double E, T;
  nuem_status s = read_inputs(ctx, cfg, opt, &in, &E, &T);
  nuem_target *tgt = NULL;
  if (!s && opt->target) s = nuem_target_new(ctx, opt->target, &tgt);
  if (s) return cli_fail(ctx, s);
  xsec_answer a;
  if (strcmp(opt->channel, "nu-e") == 0) electron_xsec(&in, tgt, E, T, &a);
  else nuclear_xsec(&in, tgt, E, T, &a);
  nuem_target_free(tgt);
  cli_report_unused(ctx, cfg);
  if (opt->format == NUEM_FORMAT_JSON) {
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) return 1;
    write_json(mem, opt, &in, E, T, &a);
    fclose(mem);
    int rc = cli_write_buffer(opt->out_file, buf, len);
    free(buf);
    return rc;
  }
  static const char *const names[] = {"E_nu", "T", "dsigma_dT", "T_max"};
  static const char *const units[] = {"MeV", "keV", "cm2/keV", "keV"};
  nuem_result r;
  if ((s = nuem_result_init(ctx, &r, 1, 4, names, units))) return cli_fail(ctx, s);
  r.data[0] = E;
  r.data[1] = T * 1e3;
  r.data[2] = a.value * 1e-3;
  r.data[3] = a.t_max * 1e3;
  nuem_result_note(&r, "channel", "%s, %s, per %s", opt->channel,
                   nuem_flavour_name(in.flavour), a.per);
  int rc = cli_write_result(ctx, opt, cfg, &r);
  nuem_result_free(&r);
  return rc;
}

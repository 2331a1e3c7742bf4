/* nuem atomic: the first-principles atomic responses of an element
 * (docs/physics.md, "Ab-initio atomic response"). Point mode prints R_L,
 * R_T and N_eff per subshell at one (T, q) and the photoabsorption next to
 * Henke's; `nuem atomic build` computes and writes the whole table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "cli.h"
#include "nuem/abinitio_compute.h"

/* --max-multipole L: a whole number 0..396, the range the library accepts. */
static nuem_status read_max_multipole(nuem_context *ctx, const char *text, int *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (end == text || *end || errno || v < 0 || v > 396)
    return nuem_error(ctx, NUEM_EUSAGE, "--max-multipole '%s': a whole number 0..396", text);
  *out = (int)v;
  return NUEM_OK;
}

static nuem_status read_options(nuem_context *ctx, const cli_options *opt,
                                nuem_abinitio_options *ao) {
  nuem_abinitio_options_default(ao);
  if (!opt->element)
    return nuem_error(ctx, NUEM_EUSAGE, "nuem atomic needs --element (e.g. Ge)");
  if (opt->edges) {
    if (!strcmp(opt->edges, "koopmans")) ao->edges = NUEM_EDGES_KOOPMANS;
    else if (strcmp(opt->edges, "experimental") != 0)
      return nuem_error(ctx, NUEM_EUSAGE, "--edges '%s': choose experimental or koopmans",
                        opt->edges);
  }
  if (opt->max_multipole) return read_max_multipole(ctx, opt->max_multipole, &ao->max_multipole);
  return NUEM_OK;
}

/* Henke's photoabsorption of the element, log-log; NaN if not shipped. */
static double henke_sigma(nuem_context *ctx, const char *element, double T) {
  char name[64];
  size_t len;
  snprintf(name, sizeof name, "photoabsorption/%s.dat", element);
  const char *text = nuem_data_find(name, &len);
  nuem_table t;
  nuem_interp *f = NULL;
  double sigma = NAN;
  if (!text || nuem_table_parse(ctx, text, len, name, &t)) return sigma;
  if (!nuem_interp_from_table(ctx, &t, 0, 1, NUEM_INTERP_LOGLOG, NUEM_OUTSIDE_ERROR, &f))
    sigma = nuem_interp_eval(f, T);
  nuem_interp_free(f);
  nuem_table_free(&t);
  nuem_context_clear(ctx);
  return sigma;
}

static nuem_status point_table(nuem_context *ctx, const nuem_atom *a,
                               const nuem_abinitio_options *ao, double T, double q,
                               nuem_result *r) {
  static const char *const names[] = {"shell", "edge", "electrons", "R_L", "R_T", "N_eff"};
  static const char *const units[] = {"1", "eV", "1", "1/keV", "1/keV", "1"};
  size_t ns = nuem_atom_nsubshells(a);
  NUEM_CLI_TRY(nuem_result_init(ctx, r, ns + 1, 6, names, units));
  double total[3] = {0, 0, 0};
  char list[256] = "";
  for (size_t s = 0; s < ns; s++) {
    double RL, RT, neff;
    NUEM_CLI_TRY(nuem_atom_response(ctx, a, s, ao, T, 1, &q, &RL, &RT));
    NUEM_CLI_TRY(nuem_atom_neff(ctx, a, s, ao, T, 4.0, &neff));
    double row[6] = {(double)s, nuem_atom_edge(a, s, ao->edges) * 1e6,
                     nuem_atom_subshell(a, s)->electrons, RL * 1e-3, RT * 1e-3, neff};
    memcpy(&r->data[s * 6], row, sizeof row);
    total[0] += row[3], total[1] += row[4], total[2] += neff;
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%zu=%s", s ? " " : "", s,
             nuem_atom_subshell(a, s)->name);
  }
  double last[6] = {(double)ns, 0, nuem_atom_Z(a), total[0], total[1], total[2]};
  memcpy(&r->data[ns * 6], last, sizeof last);
  nuem_result_note(r, "shells", "%s %zu=all", list, ns);
  char multipoles[48] = "";
  if (ao->max_multipole >= 0)
    snprintf(multipoles, sizeof multipoles, ", multipoles of exp(iq.r) L <= %d", ao->max_multipole);
  nuem_result_note(r, "element", "%s, T = %g keV, q = %g keV, edges %s%s", nuem_atom_element(a),
                   T * 1e3, q * 1e3, ao->edges == NUEM_EDGES_KOOPMANS ? "koopmans" : "experimental",
                   multipoles);
  double velocity, length;
  NUEM_CLI_TRY(nuem_atom_photoabsorption(ctx, a, ao, T, &velocity, &length));
  double henke = henke_sigma(ctx, nuem_atom_element(a), T);
  if (henke > 0)
    nuem_result_note(r, "photoabsorption", "%.4g cm2 from R_T(T, q = T), %.4g cm2 length form, "
                     "Henke %.4g cm2 (ratios %.3f, %.3f)", velocity, length, henke,
                     velocity / henke, length / henke);
  else
    nuem_result_note(r, "photoabsorption", "%.4g cm2 from R_T(T, q = T), %.4g cm2 length form "
                     "(no Henke table shipped for %s at this T)", velocity, length,
                     nuem_atom_element(a));
  nuem_result_note(r, "N_eff", "integral dq^2 R_L / 2m_e from q = T to 4 MeV");
  return NUEM_OK;
}

static int run_point(nuem_context *ctx, nuem_config *cfg, const cli_options *opt,
                     const nuem_atom *a, const nuem_abinitio_options *ao) {
  double T, q;
  if (!opt->t || !opt->q) {
    nuem_error(ctx, NUEM_EUSAGE, "nuem atomic needs --t and --q (e.g. --t 1keV --q 30keV), "
               "or `build`");
    return cli_fail(ctx, NUEM_EUSAGE);
  }
  nuem_status s = nuem_quantity_parse(ctx, opt->t, "keV", "--t", &T);
  if (!s) s = nuem_quantity_parse(ctx, opt->q, "keV", "--q", &q);
  if (!s && (!(T > 0) || !(q > 0)))
    s = nuem_error(ctx, NUEM_ERANGE, "--t and --q must be positive");
  if (s) return cli_fail(ctx, s);
  nuem_result r;
  memset(&r, 0, sizeof r);
  s = point_table(ctx, a, ao, T, q, &r);
  int rc = s ? cli_fail(ctx, s) : cli_write_result(ctx, opt, cfg, &r);
  nuem_result_free(&r);
  return rc;
}

static int run_build(nuem_context *ctx, const cli_options *opt, const nuem_atom *a,
                     const nuem_abinitio_options *ao) {
  double *T = NULL, *q = NULL;
  size_t nT, nq;
  nuem_atomic_response r;
  double t0 = omp_get_wtime();
  char hash[17] = "";
  nuem_status s = nuem_abinitio_grid(ctx, a, ao, &T, &nT, &q, &nq);
  if (!s) s = nuem_abinitio_inputs_hash(ctx, a, ao, T, nT, q, nq, hash);
  if (!s) s = nuem_abinitio_compute(ctx, a, ao, T, nT, q, nq, &r);
  free(T), free(q);
  if (s) return cli_fail(ctx, s);
  char provenance[320];
  char multipoles[32] = "";
  if (ao->max_multipole >= 0)
    snprintf(multipoles, sizeof multipoles, " --max-multipole %d", ao->max_multipole);
  snprintf(provenance, sizeof provenance, "nuem %s atomic build --element %s --edges %s%s; "
           "inputs fnv1a64:%s (orbitals, options, grids, version); %.1f s on %d threads",
           nuem_version(), nuem_atom_element(a),
           ao->edges == NUEM_EDGES_KOOPMANS ? "koopmans" : "experimental", multipoles, hash,
           omp_get_wtime() - t0, omp_get_max_threads());
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  int rc = 1;
  if (mem) {
    s = nuem_atomic_response_write(ctx, mem, &r, provenance);
    fclose(mem);
    rc = s ? cli_fail(ctx, s) : cli_write_buffer(opt->out_file, buf, len);
    if (!rc) fprintf(stderr, "nuem: %s\n", provenance);
  }
  free(buf);
  nuem_abinitio_response_release(&r);
  return rc;
}

int cli_atomic(nuem_context *ctx, nuem_config *cfg, const cli_options *opt) {
  nuem_abinitio_options ao;
  nuem_atom *a = NULL;
  nuem_status s = read_options(ctx, opt, &ao);
  if (!s) s = nuem_atom_load(ctx, opt->element, &a);
  if (s) return cli_fail(ctx, s);
  int rc = opt->action ? run_build(ctx, opt, a, &ao) : run_point(ctx, cfg, opt, a, &ao);
  nuem_atom_free(a);
  return rc;
}

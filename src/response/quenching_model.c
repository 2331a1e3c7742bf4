/* The configured quenching: Lindhard per element, or a user table. */
#include <math.h>
#include <stdlib.h>

#include "core_internal.h"
#include "nuem/response.h"

struct nuem_quenching {
  int use_table;
  double cutoff; /* MeV of nuclear recoil */
  size_t nel;
  nuem_lindhard *lindhard;
  /* table: E_ee(E_R) = Q(E_R) E_R and its inverse */
  nuem_interp *ee_of_er, *er_of_ee;
};

static nuem_status load_table(nuem_context *ctx, const char *path, nuem_quenching *q) {
  if (!*path)
    return nuem_error(ctx, NUEM_ECONFIG, "detector.quenching = table needs "
                      "detector.quenching_table (columns E_R and Q, '# units: keV 1')");
  nuem_table t;
  NUEM_TRY(nuem_table_read(ctx, path, &t));
  nuem_unit e;
  nuem_unit_parse(ctx, "keV", "", &e);
  nuem_status s = NUEM_OK;
  if (t.ncols != 2 || !nuem_dim_equal(t.units[0].dim, e.dim) ||
      !nuem_dim_equal(t.units[1].dim, (nuem_dim){{0}}))
    s = nuem_error(ctx, NUEM_EUNIT, "%s: a quenching table has columns E_R and Q with "
                   "'# units: keV 1'", path);
  if (!s && t.nrows < 3)
    s = nuem_error(ctx, NUEM_EPARSE, "%s: a quenching table needs at least 3 rows", path);
  if (!s) s = nuem_table_check_column(ctx, &t, 0, 1, 1);
  for (size_t r = 0; !s && r < t.nrows; r++) {
    double Q = nuem_table_get(&t, r, 1);
    if (!(Q > 0 && Q <= 1))
      s = nuem_error(ctx, NUEM_ERANGE, "%s: data row %zu: Q = %g must lie in (0, 1]",
                     path, r + 1, Q);
  }
  size_t n = t.nrows;
  double *er = malloc(n * sizeof *er), *ee = malloc(n * sizeof *ee);
  if (!s && (!er || !ee)) s = NUEM_ENOMEM;
  for (size_t r = 0; !s && r < n; r++) {
    er[r] = nuem_table_get(&t, r, 0);
    ee[r] = er[r] * nuem_table_get(&t, r, 1);
    if (r && !(ee[r] > ee[r - 1]))
      s = nuem_error(ctx, NUEM_EPARSE, "%s: E_ee = Q E_R must increase with E_R (row %zu)",
                     path, r + 1);
  }
  /* Monotone (Steffen) both ways, so the inverse stays a function. Outside
   * the table there is no value: nuem_quenching_invert checks coverage. */
  if (!s) s = nuem_interp_new(ctx, er, ee, n, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_ERROR, path,
                              &q->ee_of_er);
  if (!s) s = nuem_interp_new(ctx, ee, er, n, NUEM_INTERP_STEFFEN, NUEM_OUTSIDE_ERROR, path,
                              &q->er_of_ee);
  free(er);
  free(ee);
  nuem_table_free(&t);
  return s;
}

nuem_status nuem_quenching_init(nuem_context *ctx, const nuem_config *cfg,
                                const nuem_target *tgt, nuem_quenching **out) {
  nuem_quenching *q = calloc(1, sizeof *q);
  if (!q) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  q->use_table = nuem_config_choice_is(cfg, NUEM_P_DETECTOR_QUENCHING, "table");
  q->cutoff = nuem_config_number(cfg, NUEM_P_DETECTOR_QUENCHING_CUTOFF);
  q->nel = tgt->nelements;
  nuem_status s = NUEM_OK;
  if (q->use_table) {
    s = load_table(ctx, nuem_config_text(cfg, NUEM_P_DETECTOR_QUENCHING_TABLE), q);
  } else {
    double k = nuem_config_number(cfg, NUEM_P_DETECTOR_QUENCHING_K);
    q->lindhard = calloc(q->nel, sizeof *q->lindhard);
    if (!q->lindhard) s = NUEM_ENOMEM;
    for (size_t i = 0; !s && i < q->nel; i++)
      q->lindhard[i] = (nuem_lindhard){k, tgt->elements[i].Z};
  }
  if (s) {
    nuem_quenching_free(q);
    return s;
  }
  *out = q;
  return NUEM_OK;
}

void nuem_quenching_free(nuem_quenching *q) {
  if (!q) return;
  free(q->lindhard);
  nuem_interp_free(q->ee_of_er);
  nuem_interp_free(q->er_of_ee);
  free(q);
}

int nuem_quenching_invert(const nuem_quenching *q, size_t el, double E_ee,
                          double *E_R, double *jacobian) {
  if (q->use_table) {
    /* outside the table no recoil is predicted: an explicit, documented choice */
    if (!nuem_interp_covers(q->er_of_ee, E_ee)) return 0;
    *E_R = nuem_interp_eval(q->er_of_ee, E_ee);
    *jacobian = nuem_interp_deriv(q->ee_of_er, *E_R);
  } else {
    *E_R = nuem_lindhard_recoil(&q->lindhard[el], E_ee);
    *jacobian = nuem_lindhard_jacobian(&q->lindhard[el], *E_R);
  }
  return *E_R >= q->cutoff && *jacobian > 0;
}

nuem_status nuem_quenching_set_k(nuem_context *ctx, nuem_quenching *q, double k) {
  if (q->use_table)
    return nuem_error(ctx, NUEM_ECONFIG, "the Lindhard k cannot vary with detector.quenching "
                      "= table; use detector.quenching = lindhard");
  if (!(k > 0))
    return nuem_error(ctx, NUEM_ERANGE, "Lindhard k = %g must be positive", k);
  for (size_t i = 0; i < q->nel; i++) q->lindhard[i].k = k;
  return NUEM_OK;
}

/* Joint likelihood of several experiments: one parameter of interest,
 * each experiment's nuisances its own, correlated nuisances shared
 * (docs/statistics.md, "Joint fits"). */
#include <gsl/gsl_sort.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"

struct nuem_joint {
  size_t n;
  char name[NUEM_JOINT_MAX][NUEM_JOINT_NAME];
  char *data_path[NUEM_JOINT_MAX], *config_path[NUEM_JOINT_MAX];
  nuem_config *cfg[NUEM_JOINT_MAX];
  nuem_analysis *exp[NUEM_JOINT_MAX];
  const nuem_data *data[NUEM_JOINT_MAX]; /* what is fitted: the data, or Asimov data */
  int shared[NUEM_NNU]; /* correlated nuisances: one parameter for all */
  int poi;
  double lo, hi;        /* the POI range every experiment covers */
};

void nuem_joint_free(nuem_joint *j) {
  if (!j) return;
  for (size_t e = 0; e < j->n; e++) {
    nuem_analysis_free(j->exp[e]);
    nuem_config_free(j->cfg[e]);
    free(j->data_path[e]);
    free(j->config_path[e]);
  }
  free(j);
}

size_t nuem_joint_size(const nuem_joint *j) { return j->n; }
const char *nuem_joint_name(const nuem_joint *j, size_t e) { return j->name[e]; }
const nuem_analysis *nuem_joint_experiment(const nuem_joint *j, size_t e) { return j->exp[e]; }
const nuem_config *nuem_joint_config(const nuem_joint *j, size_t e) { return j->cfg[e]; }
int nuem_joint_shared(const nuem_joint *j, int k) { return k >= 0 && k < NUEM_NNU && j->shared[k]; }

/* The nuisances a combination may correlate: normalisations and detector
 * scales. Backgrounds belong to each detector (and OFF backgrounds are
 * profiled per bin). */
static nuem_status parse_correlated(nuem_context *ctx, const char *list, int *shared) {
  memset(shared, 0, NUEM_NNU * sizeof *shared);
  for (const char *p = list ? list : ""; *p;) {
    p += strspn(p, " ,\t");
    size_t len = strcspn(p, " ,\t");
    if (!len) break;
    int found = -1;
    for (int k = 0; k < NUEM_NNU; k++)
      if (strlen(nuem_nuisance_name(k)) == len && !strncmp(p, nuem_nuisance_name(k), len)) found = k;
    if (found < 0 || found == NUEM_NU_BACKGROUND)
      return nuem_error(ctx, NUEM_ECONFIG, "combination.correlated: '%.*s' cannot be "
                        "correlated; give flux, efficiency, quenching_k or energy_scale "
                        "(backgrounds belong to each experiment)", (int)len, p);
    shared[found] = 1;
    p += len;
  }
  return NUEM_OK;
}

/* One experiment: its config (file, then the --set assignments) and the
 * analysis of its data; failures name the experiment and its pair. */
static nuem_status add_experiment(nuem_context *ctx, nuem_joint *j, const nuem_joint_input *in,
                                  const char *const *sets, size_t nsets) {
  size_t e = j->n;
  if (in->name && *in->name) snprintf(j->name[e], sizeof j->name[e], "%s", in->name);
  else snprintf(j->name[e], sizeof j->name[e], "%zu", e + 1);
  if (!in->data || !*in->data)
    return nuem_error(ctx, NUEM_ECONFIG, "experiment %s has no data file", j->name[e]);
  j->data_path[e] = strdup(in->data);
  j->config_path[e] = strdup(in->config ? in->config : "");
  if (!j->data_path[e] || !j->config_path[e]) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  j->n++;
  NUEM_TRY(nuem_config_new(ctx, &j->cfg[e]));
  char where[NUEM_JOINT_NAME + 4400];
  snprintf(where, sizeof where, "experiment %s (%s with %s)", j->name[e], in->data,
           *j->config_path[e] ? j->config_path[e] : "the default config");
  nuem_status s = *j->config_path[e] ? nuem_config_load_file(ctx, j->cfg[e], j->config_path[e])
                                     : NUEM_OK;
  for (size_t i = 0; !s && i < nsets; i++) s = nuem_config_set_assignment(ctx, j->cfg[e], sets[i]);
  if (!s) s = nuem_analysis_new(ctx, j->cfg[e], in->data, &j->exp[e]);
  if (!s) j->data[e] = nuem_analysis_data(j->exp[e]);
  return s ? nuem_error_trace(ctx, s, where) : NUEM_OK;
}

/* One parameter of interest and confidence level for all; every
 * correlated nuisance fitted in every experiment. */
static nuem_status check_joint(nuem_context *ctx, nuem_joint *j) {
  const nuem_model *m0 = nuem_analysis_model(j->exp[0]);
  double cl0 = nuem_config_number(j->cfg[0], NUEM_P_ANALYSIS_CL);
  j->poi = nuem_model_poi(m0);
  nuem_model_range(m0, &j->lo, &j->hi);
  for (size_t e = 1; e < j->n; e++) {
    const nuem_model *m = nuem_analysis_model(j->exp[e]);
    if (nuem_model_poi(m) != j->poi)
      return nuem_error(ctx, NUEM_ECONFIG, "analysis.poi differs between experiments %s (%s) "
                        "and %s (%s): a joint fit needs one parameter of interest",
                        j->name[0], nuem_poi_choices[j->poi].name, j->name[e],
                        nuem_poi_choices[nuem_model_poi(m)].name);
    double cl = nuem_config_number(j->cfg[e], NUEM_P_ANALYSIS_CL);
    if (cl != cl0)
      return nuem_error(ctx, NUEM_ECONFIG, "analysis.cl differs between experiments %s (%g) "
                        "and %s (%g): give one confidence level", j->name[0], cl0, j->name[e], cl);
    double lo, hi;
    nuem_model_range(m, &lo, &hi);
    j->lo = fmax(j->lo, lo), j->hi = fmin(j->hi, hi);
  }
  for (int k = 0; k < NUEM_NNU; k++)
    for (size_t e = 0; j->shared[k] && e < j->n; e++)
      if (!nuem_model_active(nuem_analysis_model(j->exp[e]), k))
        return nuem_error(ctx, NUEM_ECONFIG, "correlated nuisance %s: experiment %s does not "
                          "fit it (its constraint width is 0: set analysis.%s_uncertainty) — "
                          "a correlated nuisance must belong to every experiment",
                          nuem_nuisance_name(k), j->name[e], nuem_nuisance_name(k));
  return NUEM_OK;
}

nuem_status nuem_joint_new(nuem_context *ctx, const nuem_joint_input *in, size_t n,
                           const char *correlated, const char *const *sets, size_t nsets,
                           nuem_joint **out) {
  *out = NULL;
  if (n < 1 || n > NUEM_JOINT_MAX)
    return nuem_error(ctx, NUEM_ECONFIG, "a combination needs 1 to %d experiments (%zu given)",
                      NUEM_JOINT_MAX, n);
  nuem_joint *j = calloc(1, sizeof *j);
  if (!j) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  nuem_status s = parse_correlated(ctx, correlated, j->shared);
  for (size_t e = 0; !s && e < n; e++)
    for (size_t f = 0; !s && f < e; f++)
      if (in[e].name && in[f].name && !strcmp(in[e].name, in[f].name))
        s = nuem_error(ctx, NUEM_ECONFIG, "two experiments are named %s; name each once",
                       in[e].name);
  for (size_t e = 0; !s && e < n; e++) s = add_experiment(ctx, j, &in[e], sets, nsets);
  if (!s) s = check_joint(ctx, j);
  if (s) nuem_joint_free(j);
  else *out = j;
  return s;
}

/* ---- the combination file -------------------------------------------------- */

typedef struct {
  nuem_context *ctx;
  const char *origin, *folder;
  nuem_joint_input in[NUEM_JOINT_MAX];
  char names[NUEM_JOINT_MAX][NUEM_JOINT_NAME];
  char *paths[2 * NUEM_JOINT_MAX];
  size_t n;
  char correlated[256];
  int have_correlated;
  nuem_status status;
} combination_state;

/* A path relative to the combination file's folder. */
static char *resolve(const char *folder, const char *path) {
  size_t len = strlen(folder) + strlen(path) + 2;
  char *out = malloc(len);
  if (!out) return NULL;
  if (path[0] == '/' || !*folder) snprintf(out, len, "%s", path);
  else snprintf(out, len, "%s/%s", folder, path);
  return out;
}

static int combination_handler(void *user, const char *section, const char *key,
                               const char *value) {
  combination_state *st = user;
  nuem_context *ctx = st->ctx;
  if (!strcmp(section, "combination")) {
    if (strcmp(key, "correlated"))
      return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: unknown key combination.%s "
                                       "(known: correlated)", st->origin, key));
    if (st->have_correlated++)
      return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: combination.correlated is "
                                       "given twice", st->origin));
    snprintf(st->correlated, sizeof st->correlated, "%s", value);
    return 1;
  }
  if (strncmp(section, "experiment.", 11) || !section[11] ||
      strlen(section + 11) >= NUEM_JOINT_NAME)
    return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: unknown section [%s]; give "
                                     "[experiment.NAME] sections and [combination]",
                                     st->origin, section));
  const char *name = section + 11;
  size_t e = 0;
  while (e < st->n && strcmp(st->names[e], name)) e++;
  if (e == st->n) {
    if (st->n == NUEM_JOINT_MAX)
      return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: more than %d experiments",
                                       st->origin, NUEM_JOINT_MAX));
    snprintf(st->names[e], NUEM_JOINT_NAME, "%s", name);
    st->in[e].name = st->names[e];
    st->n++;
  }
  int data = !strcmp(key, "data");
  if (!data && strcmp(key, "config"))
    return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: unknown key %s.%s (known: data, "
                                     "config)", st->origin, section, key));
  char **slot = &st->paths[2 * e + (size_t)!data];
  if (*slot)
    return !(st->status = nuem_error(ctx, NUEM_ECONFIG, "%s: %s.%s is given twice",
                                     st->origin, section, key));
  if (!(*slot = resolve(st->folder, value)))
    return !(st->status = nuem_error(ctx, NUEM_ENOMEM, "out of memory"));
  if (data) st->in[e].data = *slot;
  else st->in[e].config = *slot;
  return 1;
}

nuem_status nuem_joint_from_file(nuem_context *ctx, const char *path, const char *const *sets,
                                 size_t nsets, nuem_joint **out) {
  *out = NULL;
  combination_state st = {.ctx = ctx, .origin = path};
  char *folder = strdup(path);
  if (!folder) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  char *slash = strrchr(folder, '/');
  if (slash) *slash = '\0';
  else folder[0] = '\0';
  st.folder = folder;
  FILE *f = fopen(path, "r");
  nuem_status s = NUEM_OK;
  if (!f) {
    s = nuem_error(ctx, NUEM_EFILE, "cannot open the combination file %s", path);
  } else {
    int line = ini_parse_file(f, combination_handler, &st);
    fclose(f);
    if (st.status) s = nuem_error_trace(ctx, st.status, path);
    else if (line)
      s = nuem_error(ctx, NUEM_EPARSE, "%s:%d: not a '[section]' or 'key = value' line",
                     path, line);
    else if (!st.n)
      s = nuem_error(ctx, NUEM_ECONFIG, "%s names no experiment: give [experiment.NAME] "
                     "sections with data = and config =", path);
  }
  for (size_t e = 0; !s && e < st.n; e++)
    if (!st.in[e].data)
      s = nuem_error(ctx, NUEM_ECONFIG, "%s: [experiment.%s] needs data = FILE", path,
                     st.names[e]);
  if (!s) s = nuem_joint_new(ctx, st.in, st.n, st.correlated, sets, nsets, out);
  for (size_t i = 0; i < 2 * NUEM_JOINT_MAX; i++) free(st.paths[i]);
  free(folder);
  return s;
}

/* ---- the joint likelihood -------------------------------------------------- */

/* The fitted parameters: the correlated nuisances first (one each), then
 * each experiment's own active ones. */
typedef struct {
  const nuem_joint *j;
  double theta;
  int shared_k[NUEM_NNU], nshared;
  struct { size_t e; int k; } own[NUEM_JOINT_MAX * NUEM_NNU];
  size_t nown;
} joint_params;

static void joint_layout(const nuem_joint *j, double theta, joint_params *p) {
  memset(p, 0, sizeof *p);
  p->j = j, p->theta = theta;
  for (int k = 0; k < NUEM_NNU; k++)
    if (j->shared[k]) p->shared_k[p->nshared++] = k;
  for (size_t e = 0; e < j->n; e++)
    for (int k = 0; k < NUEM_NNU; k++)
      if (!j->shared[k] && nuem_model_active(nuem_analysis_model(j->exp[e]), k)) {
        p->own[p->nown].e = e;
        p->own[p->nown++].k = k;
      }
}

/* -2 ln L_joint = sum_e [-2 ln L_e(theta, nu_shared, nu_e)], each
 * experiment's term with all its constraints; a correlated nuisance's
 * constraint then appears once per experiment and is taken back n - 1
 * times, so that it counts once. */
static double joint_t(const joint_params *p, const double *x) {
  const nuem_joint *j = p->j;
  double nu[NUEM_JOINT_MAX][NUEM_NNU] = {{0}}, t = 0;
  for (int i = 0; i < p->nshared; i++) {
    for (size_t e = 0; e < j->n; e++) nu[e][p->shared_k[i]] = x[i];
    t -= (double)(j->n - 1) * x[i] * x[i];
  }
  for (size_t i = 0; i < p->nown; i++) nu[p->own[i].e][p->own[i].k] = x[(size_t)p->nshared + i];
  for (size_t e = 0; e < j->n; e++)
    t += nuem_model_t(nuem_analysis_model(j->exp[e]), j->data[e], p->theta, nu[e]);
  return t;
}

static double joint_objective(const gsl_vector *x, void *params) {
  return joint_t(params, x->data); /* x comes contiguous from the simplex */
}

/* The joint profile at theta; nu (may be NULL) receives every
 * experiment's nuisances, [e][k]. */
static nuem_status joint_profile_nu(nuem_context *ctx, const nuem_joint *j, double theta,
                                    double *t, double (*nu)[NUEM_NNU]) {
  joint_params p;
  joint_layout(j, theta, &p);
  size_t dim = (size_t)p.nshared + p.nown;
  double x[NUEM_NNU + NUEM_JOINT_MAX * NUEM_NNU] = {0};
  if (dim) {
    NUEM_TRY(nuem_simplex_min(ctx, joint_objective, &p, dim, theta, x, t));
  } else {
    *t = joint_t(&p, x);
    if (!isfinite(*t) || *t >= 1e29)
      return nuem_error(ctx, NUEM_ENUMERIC, "the joint likelihood is not finite at theta = "
                        "%g; are the data compatible with the models at all?", theta);
  }
  if (!nu) return NUEM_OK;
  memset(nu, 0, j->n * sizeof *nu);
  for (int i = 0; i < p.nshared; i++)
    for (size_t e = 0; e < j->n; e++) nu[e][p.shared_k[i]] = x[i];
  for (size_t i = 0; i < p.nown; i++) nu[p.own[i].e][p.own[i].k] = x[(size_t)p.nshared + i];
  return NUEM_OK;
}

nuem_status nuem_joint_profile(nuem_context *ctx, const nuem_joint *j, double theta,
                               double *t) {
  return joint_profile_nu(ctx, j, theta, t, NULL);
}

static nuem_status joint_profile_fn(nuem_context *ctx, void *user, double theta, double *t) {
  return nuem_joint_profile(ctx, user, theta, t);
}

void nuem_joint_range(const nuem_joint *j, double *lo, double *hi) {
  *lo = j->lo;
  *hi = j->hi;
}

nuem_status nuem_joint_wilks(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                             nuem_interval *iv) {
  for (size_t e = 0; e < j->n; e++)
    NUEM_TRY(nuem_check_precision(ctx, j->data[e]));
  return nuem_interval_wilks_profile(ctx, joint_profile_fn, (void *)j, j->poi, j->lo, j->hi, cl,
                                     grid, iv);
}

/* The reported size of a Wilks interval: its upper end for mu and the
 * CEvNS normalisation, the half-width for signed parameters. */
static double interval_size(int poi, const nuem_interval *iv) {
  return poi == NUEM_POI_Q || poi == NUEM_POI_R2 ? 0.5 * (iv->hi - iv->lo) : iv->hi;
}

nuem_status nuem_joint_expected(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                                double *expected) {
  nuem_data asimov[NUEM_JOINT_MAX];
  memset(asimov, 0, sizeof asimov);
  nuem_joint *aj = malloc(sizeof *aj); /* j with Asimov data in place of the data */
  nuem_status s = aj ? NUEM_OK : nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  if (aj) *aj = *j;
  for (size_t e = 0; !s && e < j->n; e++) {
    const nuem_model *m = nuem_analysis_model(j->exp[e]);
    s = nuem_model_asimov(ctx, m, nuem_analysis_data(j->exp[e]), 0.0, &asimov[e]);
    aj->data[e] = &asimov[e];
    nuem_interval iv;
    if (!s) s = nuem_interval_wilks(ctx, m, &asimov[e], cl, grid, &iv);
    if (!s) expected[e + 1] = interval_size(j->poi, &iv), nuem_interval_free(&iv);
  }
  nuem_interval iv;
  if (!s) s = nuem_joint_wilks(ctx, aj, cl, grid, &iv);
  if (!s) expected[0] = interval_size(j->poi, &iv), nuem_interval_free(&iv);
  for (size_t e = 0; e < j->n; e++) nuem_data_free(&asimov[e]);
  free(aj);
  return s ? nuem_error_trace(ctx, s, "the expected limits (Asimov data)") : NUEM_OK;
}


/* ---- Feldman-Cousins of the joint likelihood -------------------------------
 * The profile construction of the one-experiment belt (interval.c): at grid
 * point theta_i the nuisances are held at their joint conditional fit to
 * the data; each toy draws every experiment's counts from its own
 * expectation there (OFF backgrounds at their profiled values), and its
 * statistic is the joint -2 ln L at theta_i minus its minimum over the
 * range, nuisances held. Grid point i draws from (seed, i) only. */

/* Fewer accepted grid points than this: the interpolated ends are coarse. */
enum { JOINT_FC_RESOLVED = 3 };

/* What one grid point's toys need: per experiment the fixed model, its
 * expectation, the Poisson table of it and room for a toy. */
typedef struct {
  size_t n;
  nuem_fixed f[NUEM_JOINT_MAX];
  const nuem_data *d[NUEM_JOINT_MAX];
  double *buf[NUEM_JOINT_MAX]; /* mean_on, mean_off, on, off: 4 x bins */
  nuem_poisson_table table[NUEM_JOINT_MAX];
} joint_toys;

static void joint_toys_free(joint_toys *jt) {
  for (size_t e = 0; e < jt->n; e++) {
    nuem_fixed_free(&jt->f[e]);
    nuem_poisson_table_free(&jt->table[e]);
    free(jt->buf[e]);
  }
}

static nuem_status joint_toys_init(const nuem_joint *j, const double (*nu)[NUEM_NNU],
                                   double theta, joint_toys *jt) {
  memset(jt, 0, sizeof *jt);
  for (size_t e = 0; e < j->n; e++) {
    jt->n = e + 1; /* freed up to here on failure */
    const nuem_model *m = nuem_analysis_model(j->exp[e]);
    const nuem_data *d = j->data[e];
    size_t nb = m->n;
    jt->d[e] = d;
    if (nuem_fixed_init(m, d, nu[e], &jt->f[e]) ||
        !(jt->buf[e] = malloc(4 * nb * sizeof(double))))
      return NUEM_ENOMEM;
    double *mean = jt->buf[e];
    nuem_toy_expectation(&jt->f[e], d, theta, mean, mean + nb);
    if (d->mode == NUEM_DATA_COUNTS) {
      /* the table wants ON then OFF means contiguous: they are */
      if (nuem_poisson_table_init(&jt->table[e], mean, jt->f[e].has_off ? 2 * nb : nb))
        return NUEM_ENOMEM;
    }
  }
  return NUEM_OK;
}

/* The joint -2 ln L of the toys held in jt at theta. */
static double joint_toy_t(const joint_toys *jt, double theta) {
  double t = 0;
  for (size_t e = 0; e < jt->n; e++) {
    size_t nb = jt->f[e].n;
    t += nuem_fixed_t(&jt->f[e], jt->d[e], jt->buf[e] + 2 * nb, jt->buf[e] + 3 * nb, theta);
  }
  return t;
}

/* Its minimum over [lo, hi]: 24 cells, then golden section on the cells
 * beside the best (the sum of the experiments' terms; at most quadratic in
 * theta per bin, so the cells find the basin). */
static double joint_toy_min(const joint_toys *jt, double lo, double hi) {
  enum { CELLS = 24, REFINE_STEPS = 60 };
  const double refine_tol = 1e-9, g = 0.6180339887498949;
  double best = INFINITY, arg = lo, step = (hi - lo) / CELLS;
  for (int i = 0; i <= CELLS; i++) {
    double th = lo + step * i, t = joint_toy_t(jt, th);
    if (t < best) best = t, arg = th;
  }
  double a = fmax(lo, arg - step), b = fmin(hi, arg + step);
  double x1 = b - g * (b - a), x2 = a + g * (b - a);
  double f1 = joint_toy_t(jt, x1), f2 = joint_toy_t(jt, x2);
  for (int it = 0; it < REFINE_STEPS && b - a > refine_tol * (hi - lo); it++) {
    if (f1 < f2) b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a), f1 = joint_toy_t(jt, x1);
    else a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a), f2 = joint_toy_t(jt, x2);
  }
  return fmin(best, fmin(f1, f2));
}

/* The slope and curvature of the joint -2 ln L (the sum of the
 * experiments'); -1 where one is not defined. */
static int joint_toy_slope(const void *user, double theta, double *g1, double *g2) {
  const joint_toys *jt = user;
  *g1 = *g2 = 0;
  for (size_t e = 0; e < jt->n; e++) {
    size_t nb = jt->f[e].n;
    double h1, h2;
    if (nuem_fixed_slope(&jt->f[e], jt->d[e], jt->buf[e] + 2 * nb, jt->buf[e] + 3 * nb, theta,
                         &h1, &h2))
      return -1;
    *g1 += h1, *g2 += h2;
  }
  return 0;
}

/* The minimum for models linear in theta: a sum of convex functions is
 * convex, so as for one experiment (docs/statistics.md, "Speed of the
 * toys") nuem_convex_min finds it from the theta the toys were drawn at. */
static double joint_toy_min_linear(const joint_toys *jt, double lo, double hi, double start,
                                   int *ok) {
  double x;
  *ok = !nuem_convex_min(joint_toy_slope, jt, lo, hi, start, &x);
  return *ok ? joint_toy_t(jt, x) : 0.0;
}

/* One toy: every experiment's counts (or residuals) drawn in turn. */
static void joint_toy_draw(gsl_rng *r, joint_toys *jt) {
  for (size_t e = 0; e < jt->n; e++) {
    size_t nb = jt->f[e].n;
    double *mean = jt->buf[e], *on = mean + 2 * nb, *off = mean + 3 * nb;
    if (jt->d[e]->mode == NUEM_DATA_RESIDUAL) {
      for (size_t k = 0; k < nb; k++)
        on[k] = mean[k] + gsl_ran_gaussian_ziggurat(r, jt->d[e]->sigma[k]);
      continue;
    }
    for (size_t k = 0; k < nb; k++) on[k] = nuem_poisson_draw(&jt->table[e], r, k);
    if (jt->f[e].has_off)
      for (size_t k = 0; k < nb; k++) off[k] = nuem_poisson_draw(&jt->table[e], r, nb + k);
  }
}

typedef struct {
  const nuem_joint *j;
  const double *theta;
  double cl, t_min;
  size_t toys;
  unsigned long seed;
} joint_fc_job;

/* Grid point i as a node of nuem_map: (t_obs, critical). */
static nuem_status joint_fc_node(nuem_context *worker, void *user, size_t i, double *result) {
  const joint_fc_job *job = user;
  const nuem_joint *j = job->j;
  double theta = job->theta[i], t, nu[NUEM_JOINT_MAX][NUEM_NNU];
  NUEM_TRY(joint_profile_nu(worker, j, theta, &t, nu));
  result[0] = fmax(t - job->t_min, 0.0);
  joint_toys jt = {0};
  double *stat = malloc(job->toys * sizeof(double));
  gsl_rng *rng = nuem_stream_rng(job->seed, i);
  nuem_status s = stat && rng && !joint_toys_init(j, (const double (*)[NUEM_NNU])nu, theta, &jt)
                      ? NUEM_OK
                      : nuem_error(worker, NUEM_ENOMEM, "out of memory for %zu toys", job->toys);
  int linear = !s;
  for (size_t e = 0; linear && e < jt.n; e++) linear = nuem_fixed_linear(&jt.f[e]);
  for (size_t k = 0; !s && k < job->toys; k++) {
    joint_toy_draw(rng, &jt);
    int ok = 0;
    double min = linear ? joint_toy_min_linear(&jt, j->lo, j->hi, theta, &ok) : 0.0;
    if (!ok) min = joint_toy_min(&jt, j->lo, j->hi);
    stat[k] = joint_toy_t(&jt, theta) - min;
  }
  if (!s) {
    /* FC's rule: the smallest value with at least cl of the toys at or below it */
    gsl_sort(stat, 1, job->toys);
    size_t k = (size_t)ceil(job->cl * (double)job->toys);
    result[1] = stat[k ? k - 1 : 0];
  }
  joint_toys_free(&jt);
  free(stat);
  if (rng) gsl_rng_free(rng);
  return s;
}

nuem_status nuem_joint_fc(nuem_context *ctx, const nuem_joint *j, double cl, size_t grid,
                          size_t toys, unsigned long seed, int threads, nuem_interval *iv) {
  NUEM_TRY(nuem_check_toys(ctx, cl, toys, threads));
  for (size_t e = 0; e < j->n; e++)
    if (j->data[e]->mode == NUEM_DATA_EVENTS)
      return nuem_error(ctx, NUEM_ECONFIG, "experiment %s has an event list: the joint "
                        "Feldman-Cousins belt draws binned toys only; use analysis.method = "
                        "wilks", j->name[e]);
  /* the Wilks scan gives the grid, the best fit and the observed profile */
  NUEM_TRY(nuem_joint_wilks(ctx, j, cl, grid, iv));
  double t_min;
  nuem_status s = nuem_joint_profile(ctx, j, iv->theta_hat, &t_min);
  joint_fc_job job = {j, iv->theta, cl, t_min, toys, seed};
  double *out = malloc(2 * grid * sizeof(double));
  size_t failed = grid;
  if (!s) s = out ? nuem_map(ctx, grid, 2, threads, joint_fc_node, &job, out, &failed, "toys")
                  : nuem_error(ctx, NUEM_ENOMEM, "out of memory for the belt");
  for (size_t i = 0; !s && i < grid; i++) iv->t[i] = out[2 * i], iv->critical[i] = out[2 * i + 1];
  free(out);
  if (s) {
    nuem_interval_free(iv);
    return failed < grid ? nuem_error_trace(ctx, s, "joint Feldman-Cousins grid point") : s;
  }
  nuem_interval_accept(nuem_analysis_model(j->exp[0]), iv);
  return NUEM_OK;
}

/* ---- the table: each experiment alone and the combination ------------------ */

static void note_interval(nuem_result *r, const char *name, const nuem_interval *iv,
                          const char *unit, int upper) {
  char who[NUEM_JOINT_NAME + 8];
  snprintf(who, sizeof who, "limit_%s", name);
  if (isnan(iv->lo))
    nuem_result_note(r, who, "best fit %.6g %s, interval empty", iv->best_report, unit);
  else
    nuem_result_note(r, who, "best fit %.6g %s, interval [%.6g, %.6g] %s%s%s", iv->best_report,
                     unit, iv->lo, iv->hi, unit, upper ? " (an upper limit)" : "",
                     iv->hi_at_boundary ? "; reaches the end of the scanned range" : "");
}

nuem_status nuem_joint_limit_table(nuem_context *ctx, const nuem_joint *j, nuem_result *out) {
  memset(out, 0, sizeof *out);
  const nuem_config *cfg = j->cfg[0];
  double cl = nuem_config_number(cfg, NUEM_P_ANALYSIS_CL);
  size_t grid = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_GRID);
  const char *unit = nuem_poi_unit(j->poi);
  static const char *names[] = {"experiment", "best", "lo", "hi", "upper_limit", "expected"};
  const char *units[] = {"1", unit, unit, unit, "1", unit};
  double expected[NUEM_JOINT_MAX + 1];
  nuem_interval iv[NUEM_JOINT_MAX + 1];
  memset(iv, 0, sizeof iv);
  /* analysis.method as given (the first experiment's): Feldman-Cousins
   * explicitly asked for, else Wilks; CLs and Bayes of the joint
   * likelihood are not implemented and refused, not replaced */
  int fc = nuem_config_given(cfg, NUEM_P_ANALYSIS_METHOD) &&
           nuem_config_choice_is(cfg, NUEM_P_ANALYSIS_METHOD, "feldman-cousins");
  for (size_t e = 0; e < j->n; e++)
    if (nuem_config_given(j->cfg[e], NUEM_P_ANALYSIS_METHOD) &&
        !(fc ? nuem_config_choice_is(j->cfg[e], NUEM_P_ANALYSIS_METHOD, "feldman-cousins")
             : nuem_config_choice_is(j->cfg[e], NUEM_P_ANALYSIS_METHOD, "wilks")))
      return nuem_error(ctx, NUEM_ECONFIG, "experiment %s sets analysis.method = %s: joint "
                        "fits give Wilks or Feldman-Cousins intervals, one method for all "
                        "(docs/statistics.md, \"Joint fits\")", j->name[e],
                        nuem_config_choice_name(j->cfg[e], NUEM_P_ANALYSIS_METHOD));
  for (size_t e = 1; e < j->n; e++) { /* the first experiment's settings serve all */
    nuem_config_integer(j->cfg[e], NUEM_P_ANALYSIS_GRID);
    nuem_config_integer(j->cfg[e], NUEM_P_ANALYSIS_TOYS);
    nuem_config_integer(j->cfg[e], NUEM_P_ANALYSIS_SEED);
    nuem_config_integer(j->cfg[e], NUEM_P_ANALYSIS_THREADS);
  }
  size_t toys = (size_t)nuem_config_integer(cfg, NUEM_P_ANALYSIS_TOYS);
  unsigned long seed = (unsigned long)nuem_config_integer(cfg, NUEM_P_ANALYSIS_SEED);
  int threads = (int)nuem_config_integer(cfg, NUEM_P_ANALYSIS_THREADS);
  nuem_status s = fc ? nuem_joint_fc(ctx, j, cl, grid, toys, seed, threads, &iv[0])
                     : nuem_joint_wilks(ctx, j, cl, grid, &iv[0]);
  if (s) s = nuem_error_trace(ctx, s, "the joint fit");
  for (size_t e = 0; !s && e < j->n; e++) {
    const nuem_model *m = nuem_analysis_model(j->exp[e]);
    const nuem_data *d = nuem_analysis_data(j->exp[e]);
    s = fc ? nuem_interval_fc(ctx, m, d, cl, grid, toys, seed, threads, 0, &iv[e + 1])
           : nuem_interval_wilks(ctx, m, d, cl, grid, &iv[e + 1]);
    if (s) {
      char where[NUEM_JOINT_NAME + 16];
      snprintf(where, sizeof where, "experiment %s", j->name[e]);
      s = nuem_error_trace(ctx, s, where);
    }
  }
  if (!s) s = nuem_joint_expected(ctx, j, cl, grid, expected);
  if (!s) s = nuem_result_init(ctx, out, j->n + 1, 6, names, units);
  for (size_t r = 0; !s && r <= j->n; r++) {
    int upper = iv[r].lo_at_boundary && j->poi == NUEM_POI_MU;
    double row[6] = {(double)r, iv[r].best_report, iv[r].lo, iv[r].hi, upper, expected[r]};
    memcpy(&out->data[r * 6], row, sizeof row);
  }
  if (!s) {
    if (fc)
      nuem_result_note(out, "method", "Feldman-Cousins, %g %% CL, %zu toys per grid point, "
                       "each drawing every experiment's data; joint profile likelihood "
                       "(docs/statistics.md, \"Joint fits\")", 100 * cl, toys);
    else
      nuem_result_note(out, "method", "Wilks, %g %% CL, joint profile likelihood "
                       "(docs/statistics.md, \"Joint fits\")", 100 * cl);
    nuem_result_note(out, "poi", "%s (mu is fitted as mu^2 >= 0)", nuem_poi_choices[j->poi].name);
    nuem_result_note(out, "expected", "the Wilks limit of no-signal Asimov data (made with "
                     "the nuisances nominal, fitted with them profiled; signed parameters: the "
                     "interval's half-width)");
    char shared[128] = "";
    for (int k = 0; k < NUEM_NNU; k++)
      if (j->shared[k])
        snprintf(shared + strlen(shared), sizeof shared - strlen(shared), "%s%s",
                 *shared ? ", " : "", nuem_nuisance_name(k));
    nuem_result_note(out, "correlated", "%s", *shared ? shared : "none (every nuisance "
                     "belongs to its experiment)");
    nuem_result_note(out, "experiment_0", "combined");
    for (size_t e = 0; e < j->n; e++) {
      char key[NUEM_JOINT_NAME + 16];
      snprintf(key, sizeof key, "experiment_%zu", e + 1);
      nuem_result_note(out, key, "%s: %s with %s", j->name[e], j->data_path[e],
                       *j->config_path[e] ? j->config_path[e] : "the default config");
    }
    note_interval(out, "combined", &iv[0], unit, iv[0].lo_at_boundary && j->poi == NUEM_POI_MU);
    size_t inside = 0;
    for (size_t i = 0; fc && i < iv[0].n; i++) inside += iv[0].t[i] <= iv[0].critical[i];
    /* the joint belt's ends are interpolated between grid points (the
     * one-experiment belt bisects with fresh toys where the grid is coarse) */
    if (fc && inside < JOINT_FC_RESOLVED)
      nuem_result_note(out, "warning", "the combined Feldman-Cousins region spans %zu grid "
                       "point(s): its ends are interpolated inside a grid cell; raise "
                       "analysis.grid or lower analysis.poi_max", inside);
    for (size_t e = 0; e < j->n; e++)
      note_interval(out, j->name[e], &iv[e + 1], unit,
                    iv[e + 1].lo_at_boundary && j->poi == NUEM_POI_MU);
  }
  for (size_t r = 0; r <= j->n; r++) nuem_interval_free(&iv[r]);
  return s;
}

/* Feldman-Cousins on the plane of two parameters of interest
 * (docs/statistics.md, "2-D Feldman-Cousins"): toys at every grid node,
 * each fitted over the whole physical plane. */
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "core_internal.h"

/* The coverage toys use a salted seed and streams above every node's, so
 * they never repeat the belt's toys. */
#define COVERAGE_SEED_SALT 0x2545F4914F6CDD1DUL
#define COVERAGE_STREAM_BASE (1UL << 40)
/* -2 ln L differences below this are rounding, not evidence (as in 1-D). */
#define ACCEPT_TOL 1e-9

/* What one node's toys share: the expectation at the node, buffers and
 * the plane's minimiser (allocated once per node, not per toy). */
typedef struct {
  nuem_fixed row;
  double *mean_on, *mean_off, *on, *off;
  nuem_plane_simplex *sx;
} node_state;

static void node_state_free(node_state *ns) {
  nuem_fixed_free(&ns->row);
  free(ns->mean_on);
  nuem_plane_simplex_free(ns->sx);
}

static nuem_status node_state_init(const nuem_fc2d_job *job, double t1, double t2,
                                   node_state *ns) {
  memset(ns, 0, sizeof *ns);
  size_t n = job->plane->base.n;
  if (nuem_plane_row_new(job->plane, &ns->row)) return NUEM_ENOMEM;
  ns->sx = nuem_plane_simplex_new();
  if (!(ns->mean_on = malloc(4 * n * sizeof(double))) || !ns->sx) {
    node_state_free(ns);
    return NUEM_ENOMEM;
  }
  ns->mean_off = ns->mean_on + n, ns->on = ns->mean_off + n, ns->off = ns->on + n;
  nuem_plane_row(job->plane, t2, &ns->row);
  nuem_toy_expectation(&ns->row, job->d, t1, ns->mean_on, ns->mean_off);
  return NUEM_OK;
}

/* One toy at (t1, t2): its statistic t(t1, t2) - min over the plane. */
static double toy_statistic(gsl_rng *r, const nuem_fc2d_job *job, node_state *ns, double t1,
                            double t2) {
  const nuem_plane *p = job->plane;
  nuem_plane_row(p, t2, &ns->row);
  nuem_toy_draw(r, &ns->row, job->d, ns->mean_on, ns->mean_off, ns->on, ns->off);
  double at = nuem_fixed_t(&ns->row, job->d, ns->on, ns->off, t1);
  double best = nuem_plane_min(p, &ns->row, job->d, ns->on, ns->off, ns->sx, NULL, NULL);
  return fmax(at - best, 0.0); /* the node itself bounds the minimum */
}

static void node_point(const nuem_fc2d_job *job, size_t node, double *t1, double *t2) {
  *t1 = job->theta1[node % job->n1];
  *t2 = job->theta2[node / job->n1];
}

nuem_status nuem_fc2d_node(const nuem_fc2d_job *job, size_t node, double *critical) {
  double t1, t2;
  node_point(job, node, &t1, &t2);
  node_state ns;
  double *stat = malloc(job->toys * sizeof(double));
  gsl_rng *rng = nuem_stream_rng(job->seed, node);
  nuem_status s = stat && rng ? node_state_init(job, t1, t2, &ns) : NUEM_ENOMEM;
  if (!s) {
    for (size_t k = 0; k < job->toys; k++) stat[k] = toy_statistic(rng, job, &ns, t1, t2);
    node_state_free(&ns);
    /* the smallest value with at least cl of the toys at or below it
     * (Feldman-Cousins' rule for discrete outcomes, as in 1-D) */
    gsl_sort(stat, 1, job->toys);
    size_t k = (size_t)ceil(job->cl * (double)job->toys);
    *critical = stat[k ? k - 1 : 0];
  }
  free(stat);
  if (rng) gsl_rng_free(rng);
  return s;
}

nuem_status nuem_fc2d_coverage(const nuem_fc2d_job *job, size_t node, double critical,
                               size_t ntoys, double *coverage) {
  double t1, t2;
  node_point(job, node, &t1, &t2);
  node_state ns;
  gsl_rng *rng = nuem_stream_rng(job->seed ^ COVERAGE_SEED_SALT, COVERAGE_STREAM_BASE + node);
  nuem_status s = rng ? node_state_init(job, t1, t2, &ns) : NUEM_ENOMEM;
  if (!s) {
    size_t covered = 0;
    for (size_t k = 0; k < ntoys; k++)
      covered += toy_statistic(rng, job, &ns, t1, t2) <= critical + ACCEPT_TOL;
    *coverage = ntoys ? (double)covered / (double)ntoys : NAN;
    node_state_free(&ns);
  }
  if (rng) gsl_rng_free(rng);
  return s;
}

void nuem_contour_fc_free(nuem_contour_fc *c) {
  nuem_contour_free(&c->wilks);
  free(c->critical);
  memset(c, 0, sizeof *c);
}

int nuem_contour_fc_accepted(const nuem_contour_fc *c, size_t k) {
  return c->wilks.t[k] <= c->critical[k] + ACCEPT_TOL;
}

/* Node k of the belt as a node of nuem_map: result = its critical value. */
static nuem_status belt_node(nuem_context *worker, void *user, size_t k, double *critical) {
  const nuem_fc2d_job *job = user;
  if (nuem_fc2d_node(job, k, critical))
    return nuem_error(worker, NUEM_ENOMEM, "out of memory for %zu toys at 2-D Feldman-Cousins "
                      "node %zu", job->toys, k);
  return NUEM_OK;
}

/* Every node's critical value, the nodes spread over processes and threads
 * (nuem_map): each node's toys come from (seed, node), so the belt is the
 * same on any number; the lowest failing node's error reaches the caller. */
static nuem_status belt(nuem_context *ctx, const nuem_fc2d_job *job, int threads,
                        double *critical) {
  return nuem_map(ctx, job->n1 * job->n2, 1, threads, belt_node, (void *)job, critical, NULL,
                  "2-D toys");
}

/* The node nearest the best fit, in units of each axis' grid step. */
static size_t nearest_node(const nuem_contour *w) {
  size_t i1 = 0, i2 = 0;
  for (size_t i = 1; i < w->n1; i++)
    if (fabs(w->theta1[i] - w->best1) < fabs(w->theta1[i1] - w->best1)) i1 = i;
  for (size_t i = 1; i < w->n2; i++)
    if (fabs(w->theta2[i] - w->best2) < fabs(w->theta2[i2] - w->best2)) i2 = i;
  return i2 * w->n1 + i1;
}

nuem_status nuem_contour_feldman_cousins(nuem_context *ctx, const nuem_model *m1,
                                         const nuem_model *m2, const double *cross,
                                         const nuem_data *d, double cl, size_t grid,
                                         size_t toys, unsigned long seed, int threads,
                                         size_t coverage_toys, nuem_contour_fc *c) {
  memset(c, 0, sizeof *c);
  c->coverage = -1;
  NUEM_TRY(nuem_check_toys(ctx, cl, toys, threads));
  /* the observed statistic and the plane: those of the Wilks contour */
  NUEM_TRY(nuem_contour_wilks(ctx, m1, m2, cross, d, cl, grid, &c->wilks));
  double theta, tmin, nu[NUEM_NNU];
  nuem_plane plane;
  nuem_status s = nuem_model_fit(ctx, m1, d, &theta, &tmin, nu);
  if (!s && nuem_plane_init(m1, m2, cross, d, nu, &plane))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the 2-D model");
  if (s) {
    nuem_contour_fc_free(c);
    return s;
  }
  size_t nodes = grid * grid;
  if (!(c->critical = malloc(nodes * sizeof(double))))
    s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the 2-D belt");
  nuem_fc2d_job job = {&plane, d, c->wilks.theta1, c->wilks.theta2, grid, grid, cl, toys, seed};
  if (!s) s = belt(ctx, &job, threads, c->critical);
  if (!s) {
    c->best_node = nearest_node(&c->wilks);
    c->contains_best = nuem_contour_fc_accepted(c, c->best_node);
    if (coverage_toys &&
        nuem_fc2d_coverage(&job, c->best_node, c->critical[c->best_node], coverage_toys,
                           &c->coverage))
      s = nuem_error(ctx, NUEM_ENOMEM, "out of memory for the coverage toys");
  }
  nuem_plane_free(&plane);
  if (s) nuem_contour_fc_free(c);
  return s;
}

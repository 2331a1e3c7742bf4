/* make bench: the default spectrum (all columns, 1000 log-spaced T from 10 eV
 * to 100 keV) by the planned fast path and by plain nested adaptive
 * quadrature, in the same run: times, speed ratio, largest difference, and
 * the peak memory of a default `nuem` run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hydrogen_response.h"
#include "nuem/nuem.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* CPU time of this process, all threads: the cost of work on a machine
 * shared with other jobs, where wall time is not. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int die(nuem_context *ctx) {
  fprintf(stderr, "bench: %s\n", nuem_context_error(ctx));
  return 1;
}

/* The baseline: for each T and each process, adaptive quadrature over E
 * (GSL QAG) of flux × the closed-form cross section, with the same atomic
 * (stepping) factors and quenching as the fast path. */
static int baseline_row(nuem_rate_direct *d, const nuem_spectrum *sp, double T,
                        double row[NUEM_SPECTRUM_NCOLS]) {
  const nuem_target *tgt = nuem_spectrum_target(sp);
  double r[NUEM_NPROC], out[NUEM_NPROC], err, nucl_total = 0;
  for (int k = 0; k < NUEM_NPROC; k++)
    if (nuem_rate_electron_direct(d, k, T, &r[k], &err)) return 1;
  nuem_atomic_apply(nuem_spectrum_atomic(sp), T, r, 0.0, out); /* no EPA in the default model */
  double elec_total = out[NUEM_PROC_TOTAL];
  for (int k = 0; k < NUEM_PROC_TOTAL; k++) {
    row[NUEM_COL_ELEC_SM + k] = out[k] * NUEM_PER_KEV_DAY;
    row[NUEM_COL_NUCL_SM + k] = 0;
  }
  for (size_t el = 0; el < tgt->nelements; el++) {
    double E_R, jac;
    if (!nuem_quenching_invert(nuem_spectrum_quenching(sp), el, T, &E_R, &jac)) continue;
    for (int k = 0; k < NUEM_NPROC; k++) {
      if (nuem_rate_nuclear_direct(d, k, el, E_R, &r[k], &err)) return 1;
      if (k < NUEM_PROC_TOTAL) row[NUEM_COL_NUCL_SM + k] += r[k] / jac * NUEM_PER_KEV_DAY;
    }
    nucl_total += r[NUEM_PROC_TOTAL] / jac;
  }
  row[NUEM_COL_T] = T * 1e3;
  row[NUEM_COL_TOTAL] = (elec_total + nucl_total) * NUEM_PER_KEV_DAY;
  return 0;
}

static double peak_memory_mb(const char *nuem) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout)) _exit(127);
    execl(nuem, nuem, (char *)NULL);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0 || getrusage(RUSAGE_CHILDREN, &ru))
    return -1;
  return ru.ru_maxrss / 1024.0; /* kB on Linux */
}

/* Feldman-Cousins on a 100-bin TEXONO-like spectrum: 50 grid points with
 * 10^4 toys each, on 1 thread and on 2 (or on `only_threads` alone, if
 * positive), with Asimov data (no signal). */
static int bench_fc(nuem_context *ctx, int only_threads) {
  static const char *ini =
      "[source]\npower = 2.9 GW\ndistance = 28 m\n"
      "[physics]\nmu_nu = 0 muB\nq_nu = 0 e\nr2_nu = 0 cm2\n"
      "[detector]\nbins = 12keV:60keV:100\nexposure = 604.9 kg*day\n"
      "exposure_off = 135.5 kg*day\nsigma0 = 300 eV\n"
      "[background]\nflat = 1 /kg/keV/day\n";
  nuem_config *cfg;
  nuem_spectrum *sp;
  nuem_model_options opt;
  nuem_model *m;
  nuem_data asimov;
  if (nuem_config_new(ctx, &cfg) || nuem_config_load_string(ctx, cfg, ini, "bench") ||
      nuem_spectrum_new(ctx, cfg, &sp) || nuem_model_options_from_config(ctx, cfg, &opt) ||
      nuem_model_new(ctx, sp, &opt, NULL, &m) || nuem_model_asimov(ctx, m, NULL, 0.0, &asimov))
    return die(ctx);
  int threads[2] = {1, 2}, runs = 2;
  if (only_threads > 0) threads[0] = only_threads, runs = 1;
  double secs[2], cpu[2];
  nuem_interval iv[2];
  for (int k = 0; k < runs; k++) {
    double t0 = now(), c0 = cpu_now();
    if (nuem_interval_fc(ctx, m, &asimov, 0.9, 50, 10000, 12345, threads[k], 0, &iv[k]))
      return die(ctx);
    secs[k] = now() - t0;
    cpu[k] = cpu_now() - c0;
  }
  const nuem_distributor *ranks = nuem_context_distributor(ctx);
  printf("\nFeldman-Cousins, 90 %% CL on mu^2: 100 bins, 50 grid points x 10^4 toys%s\n",
         ranks ? "" : " (1 process)");
  if (ranks) printf("  MPI ranks:                       %9d (threads per rank below)\n", ranks->size);
  for (int k = 0; k < runs; k++)
    printf("  %d thread%s                        %9.2f s  (%.2f us per toy, wall x threads x ranks)\n",
           threads[k], threads[k] > 1 ? "s:" : ": ", secs[k],
           1e6 * secs[k] * threads[k] * (ranks ? ranks->size : 1) / (50 * 1e4));
  for (int k = 0; k < runs; k++)
    printf("  CPU time, %d thread%s               %9.2f s  (%.2f us per toy%s)\n", threads[k],
           threads[k] > 1 ? "s:" : ": ", cpu[k], 1e6 * cpu[k] / (50 * 1e4) * (ranks ? ranks->size : 1),
           ranks ? ", this rank's x ranks" : "");
  if (runs == 2) printf("  speed-up on 2 threads:           %9.2f\n", secs[0] / secs[1]);
  printf("  limit (Asimov data, no signal):  mu < %.6g muB", iv[runs - 1].hi);
  if (runs == 2) printf(" (same on 1 and 2 threads: %s)", iv[0].hi == iv[1].hi ? "yes" : "NO");
  printf("\n");
  for (int k = 0; k < runs; k++) nuem_interval_free(&iv[k]);
  nuem_data_free(&asimov);
  nuem_model_free(m);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
  return 0;
}

/* A Ge-like response table from analytic pieces: each shell of
 * data/targets/Ge.dat (X-ray Data Booklet edges, physics.md) as a
 * hydrogen-like 1s of charge z = sqrt(2 B/E_h), times its occupancy, and a
 * convection response of dipole form 2 T^2 R_L/q^2 cut at q ~ z/a0. The
 * physics is crude; the shapes (edges, Bethe ridges, photon point) are
 * those the fold must handle. 11 shells, 150 T x 126 q (25 per decade). */
static int write_ge_like_table(nuem_context *ctx, const char *path) {
  static const char *const names[] = {"1s", "2s", "2p1", "2p3", "3s", "3p1", "3p3", "3d3",
                                      "3d5", "4s", "4p"};
  static const double edge_ev[] = {11103, 1414.6, 1248.1, 1217.0, 180.1, 124.9, 120.8,
                                   29.8, 29.2, 14.3, 7.9};
  static const double occ[] = {2, 2, 2, 4, 2, 2, 4, 4, 6, 2, 2};
  size_t ns = 11, nT = 150, nq = 126;
  nuem_atomic_response r;
  if (nuem_atomic_response_alloc(ctx, ns, nT, nq, &r)) return 1;
  snprintf(r.element, sizeof r.element, "Ge");
  r.Z = 32;
  for (size_t i = 0; i < nT; i++) r.T[i] = 9e-6 * pow(110e-3 / 9e-6, (double)i / (nT - 1));
  for (size_t j = 0; j < nq; j++) r.q[j] = 0.01 * INV_BOHR_MEV * pow(1e5, (double)j / (nq - 1));
  for (size_t s = 0; s < ns; s++) {
    snprintf(r.shell[s], NUEM_SHELL_NAME, "%s", names[s]);
    r.edge[s] = edge_ev[s] * 1e-6;
    r.occupancy[s] = occ[s];
    double z = sqrt(2.0 * r.edge[s] / HARTREE_MEV), qs = z * INV_BOHR_MEV;
    for (size_t i = 0; i < nT; i++)
      for (size_t j = 0; j < nq; j++) {
        size_t k = (s * nT + i) * nq + j;
        double T = r.T[i], q = r.q[j], cut = 1.0 + (q / qs) * (q / qs);
        r.RL[k] = occ[s] * hydrogenic_rl(z, T, q);
        r.RT[k] = 2.0 * T * T * r.RL[k] / (q * q) / (cut * cut);
      }
  }
  FILE *f = fopen(path, "w");
  int rc = !f || nuem_atomic_response_write(ctx, f, &r, "nuem bench: hydrogen-like shells "
                                            "at the Ge edges (not physical)");
  if (f) fclose(f);
  nuem_atomic_response_free(&r);
  return rc;
}

/* Best of `repeat` evaluations of the spectrum at T[0..n) into rows. */
static double time_spectrum(const nuem_spectrum *sp, const nuem_properties *p, const double *T,
                            size_t n, int repeat, double (*rows)[NUEM_SPECTRUM_NCOLS]) {
  double best = INFINITY;
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    for (size_t i = 0; i < n; i++) nuem_spectrum_row(sp, p, T[i], rows[i], NULL);
    best = fmin(best, now() - t0);
  }
  return best;
}

/* The default spectrum with atomic.model = ab-initio: the fast fold
 * (1000 T) against nested adaptive quadrature of the same model at every
 * 50th T (`--abinitio` runs this section alone, `--abinitio-fast` without
 * the slow quadrature). `table` is a response table's path, or NULL for the
 * shipped Ge table; `label` names it in the report. */
static int bench_abinitio_case(nuem_context *ctx, int with_direct, const char *table,
                               const char *label) {
  enum { NPOINTS = 1000, REPEAT = 5, STRIDE = 50 };
  nuem_config *cfg;
  char set[200];
  snprintf(set, sizeof set, "atomic.response_table=%s", table ? table : "");
  if (nuem_config_new(ctx, &cfg) || nuem_config_set_assignment(ctx, cfg, "output.points=1000") ||
      nuem_config_set_assignment(ctx, cfg, "atomic.model=ab-initio") ||
      (table && nuem_config_set_assignment(ctx, cfg, set)))
    return die(ctx);
  double *T;
  size_t n;
  if (nuem_spectrum_grid(ctx, cfg, &T, &n)) return die(ctx);
  double t0 = now();
  nuem_spectrum *sp;
  if (nuem_spectrum_new(ctx, cfg, &sp)) return die(ctx);
  double t_plan = now() - t0;
  nuem_properties all = nuem_spectrum_configured(sp);
  if (nuem_spectrum_check(ctx, sp, &all, T[0], T[n - 1])) return die(ctx);
  static double fast[NPOINTS][NUEM_SPECTRUM_NCOLS];
  double best = time_spectrum(sp, &all, T, n, REPEAT, fast);
  const nuem_abinitio *ab = nuem_atomic_abinitio(nuem_spectrum_atomic(sp));
  nuem_interaction in = nuem_spectrum_interaction(sp, &all);
  double per_kg = nuem_spectrum_target(sp)->formulas_per_kg, worst[NUEM_PROC_TOTAL] = {0};
  size_t ndirect = 0;
  t0 = now();
  for (size_t i = 0; with_direct && i < n; i += STRIDE, ndirect++)
    for (int p = 0; p < NUEM_PROC_TOTAL; p++) {
      double v;
      if (nuem_rate_abinitio_direct(ctx, ab, nuem_spectrum_source(sp), &in, p, T[i], 1e-7, &v))
        return die(ctx);
      v *= per_kg * NUEM_PER_KEV_DAY;
      double f = fast[i][NUEM_COL_ELEC_SM + p];
      if (v != 0) worst[p] = fmax(worst[p], fabs(f / v - 1));
      else if (f != 0) worst[p] = INFINITY;
    }
  double t_direct = now() - t0;
  double per_fast = best / n, per_direct = ndirect ? t_direct / ndirect : 0;
  printf("\nab-initio electron channel (%s)\n", label);
  printf("  planning (table read + plan):    %9.1f ms\n", 1e3 * t_plan);
  printf("  fast fold, whole spectrum:       %9.2f ms  (%zu T, best of %d)\n", 1e3 * best, n,
         REPEAT);
  if (ndirect) {
    printf("  direct quadrature (E and q):     %9.1f ms per T (%zu T)\n", 1e3 * per_direct,
           ndirect);
    printf("  speed ratio direct/fast per T:   %9.0f x\n", per_direct / per_fast);
    for (int p = 0; p < NUEM_PROC_TOTAL; p++)
      printf("  largest relative difference %-8s %8.2e\n",
             nuem_spectrum_names[NUEM_COL_ELEC_SM + p], worst[p]);
  }
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
  free(T);
  return 0;
}

/* Both tables: the analytic Ge-like one (smooth, no edges structure beyond
 * the model's) and the shipped Ge table (11 subshells x 81 T x 337 q). */
static int bench_abinitio(nuem_context *ctx, int with_direct) {
  char path[] = "/tmp/nuem_bench_Ge_response_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  close(fd);
  if (write_ge_like_table(ctx, path)) return die(ctx);
  int rc = bench_abinitio_case(ctx, with_direct, path,
                               "Ge-like analytic table, 11 shells, 150 x 126 grid");
  remove(path);
  if (rc) return rc;
  /* the shipped table's direct quadrature takes ~40 s per T: fast path
   * only here (its 40-T check is in docs/performance.md) */
  return bench_abinitio_case(ctx, 0, NULL, "shipped Ge table, 11 shells, 81 x 337 grid");
}

/* Best of `repeat` builds of the chain (source, plan, interaction) of cfg. */
static double time_build(nuem_context *ctx, const nuem_config *cfg, int repeat,
                         nuem_spectrum **keep) {
  double best = INFINITY;
  for (int r = 0; r < repeat; r++) {
    nuem_spectrum *sp;
    double t0 = now();
    if (nuem_spectrum_new(ctx, cfg, &sp)) return NAN;
    best = fmin(best, now() - t0);
    if (r + 1 < repeat) nuem_spectrum_free(sp); else *keep = sp;
  }
  return best;
}

/* A site of two cores, one with its own fractions and one burning a
 * 13-row cycle with an OFF period, against today's one-core default
 * (`--site`): planning and the spectrum after planning (docs/performance.md,
 * "Several cores and fuel evolution"). */
static int bench_site(nuem_context *ctx) {
  enum { NPOINTS = 1000, REPEAT = 200, BUILDS = 15 };
  char path[] = "/tmp/nuem_bench_cycle_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  FILE *f = fdopen(fd, "w");
  fprintf(f, "# columns: day power U235 U238 Pu239 Pu241\n");
  for (int d = 0; d <= 360; d += 30) { /* fractions drift over the cycle, OFF after day 330 */
    double x = d / 360.0;
    fprintf(f, "%d %g %.4f 0.07 %.4f %.4f\n", d, d > 330 ? 0.0 : 1.0, 0.64 - 0.2 * x,
            0.24 + 0.15 * x, 0.05 + 0.05 * x);
  }
  fclose(f);
  char cores[300];
  snprintf(cores, sizeof cores, "source.cores=2.9 GW @ 28 m U235:0.6 U238:0.07 Pu239:0.27 "
           "Pu241:0.06, 2.9 GW @ 102 m cycle:%s", path);
  nuem_config *one, *site;
  if (nuem_config_new(ctx, &one) || nuem_config_new(ctx, &site) ||
      nuem_config_set_assignment(ctx, one, "output.points=1000") ||
      nuem_config_set_assignment(ctx, site, "output.points=1000") ||
      /* stepping: the build is then the flux plan, not the atomic table's load */
      nuem_config_set_assignment(ctx, one, "atomic.model=stepping") ||
      nuem_config_set_assignment(ctx, site, "atomic.model=stepping") ||
      nuem_config_set_assignment(ctx, site, cores))
    return die(ctx);
  double *T;
  size_t n;
  if (nuem_spectrum_grid(ctx, one, &T, &n)) return die(ctx);
  nuem_spectrum *sp1, *sp2;
  double plan1 = time_build(ctx, one, BUILDS, &sp1), plan2 = time_build(ctx, site, BUILDS, &sp2);
  if (isnan(plan1) || isnan(plan2)) return die(ctx);
  static double rows[NPOINTS][NUEM_SPECTRUM_NCOLS];
  nuem_properties p1 = nuem_spectrum_configured(sp1), p2 = nuem_spectrum_configured(sp2);
  double spec1 = time_spectrum(sp1, &p1, T, n, REPEAT, rows);
  double spec2 = time_spectrum(sp2, &p2, T, n, REPEAT, rows);
  printf("\nseveral cores and fuel evolution (2 cores, one with a 13-row cycle; stepping)\n");
  printf("  build with plan, one core:       %9.2f ms  (best of %d)\n", 1e3 * plan1, BUILDS);
  printf("  build with plan, the site:       %9.2f ms  (ratio %.2f)\n", 1e3 * plan2, plan2 / plan1);
  printf("  spectrum after planning, one:    %9.3f ms  (best of %d)\n", 1e3 * spec1, REPEAT);
  printf("  spectrum after planning, site:   %9.3f ms  (ratio %.2f)\n", 1e3 * spec2, spec2 / spec1);
  remove(path);
  nuem_spectrum_free(sp1);
  nuem_spectrum_free(sp2);
  nuem_config_free(one);
  nuem_config_free(site);
  free(T);
  return 0;
}

/* The default reactor with the Sun added (source.add = solar), every
 * property on, 1000 T (`--sources`): the spectrum after planning, evaluated
 * directly and from a property basis (nuem_spectrum_basis: built once for
 * the T grid, then any property values as a sum of arrays), per atomic
 * model (docs/performance.md, "Several sources"). */
static int bench_sources(nuem_context *ctx) {
  enum { REPEAT = 5, BASIS_REPEAT = 200 };
  static const char *const models[] = {"atomic.model=stepping", "atomic.model=ab-initio"};
  printf("\nreactor + Sun (source.add = solar), all properties on, 1000 T\n");
  for (int k = 0; k < 2; k++) {
    nuem_config *cfg;
    if (nuem_config_new(ctx, &cfg) || nuem_config_set_assignment(ctx, cfg, models[k]) ||
        nuem_config_set_assignment(ctx, cfg, "source.add=solar") ||
        nuem_config_set_assignment(ctx, cfg, "output.points=1000") ||
        nuem_config_set_assignment(ctx, cfg, "physics.mu_nu=1e-11 muB") ||
        nuem_config_set_assignment(ctx, cfg, "physics.q_nu=1e-13 e") ||
        nuem_config_set_assignment(ctx, cfg, "physics.r2_nu=1e-32 cm2"))
      return die(ctx);
    double *T;
    size_t n;
    nuem_spectrum *sp;
    if (nuem_spectrum_grid(ctx, cfg, &T, &n) || nuem_spectrum_new(ctx, cfg, &sp)) return die(ctx);
    nuem_properties p = nuem_spectrum_configured(sp);
    static double rows[1000][NUEM_SPECTRUM_NCOLS];
    double direct = time_spectrum(sp, &p, T, n, REPEAT, rows);
    nuem_spectrum_basis *b;
    double t0 = now();
    if (nuem_spectrum_basis_new(ctx, sp, &p, NUEM_VARY_MU | NUEM_VARY_Q | NUEM_VARY_R2, T, n, &b))
      return die(ctx);
    double build = now() - t0, best = INFINITY;
    for (int r = 0; r < BASIS_REPEAT; r++) {
      nuem_result res;
      p.mu = 1e-11 * (1 + r % 7); /* a new value each time */
      t0 = now();
      if (nuem_spectrum_basis_table(ctx, b, &p, &res)) return die(ctx);
      best = fmin(best, now() - t0);
      nuem_result_free(&res);
    }
    printf("  %-22s direct %9.3f ms (best of %d); basis: built in %8.2f ms, then %7.4f ms "
           "per property value (best of %d)\n", models[k] + 13, 1e3 * direct, REPEAT,
           1e3 * build, 1e3 * best, BASIS_REPEAT);
    nuem_spectrum_basis_free(b);
    nuem_spectrum_free(sp);
    nuem_config_free(cfg);
    free(T);
  }
  return 0;
}

/* The analysis model of a TEXONO-like window with the flat flux width and
 * with analysis.flux_model = spectrum, whose flux-shape nuisance plans the
 * reshaped flux twice (`--flux-shape`; docs/performance.md, "Flux shape"). */
static int bench_flux_shape(nuem_context *ctx) {
  enum { BUILDS = 5 };
  static const char *const models[] = {"analysis.flux_model=flat", "analysis.flux_model=spectrum"};
  double best[2] = {INFINITY, INFINITY};
  printf("\nanalysis model, 48 bins 12-60 keV, stepping (best of %d builds)\n", BUILDS);
  for (int k = 0; k < 2; k++) {
    nuem_config *cfg;
    if (nuem_config_new(ctx, &cfg) || nuem_config_set_assignment(ctx, cfg, models[k]) ||
        nuem_config_set_assignment(ctx, cfg, "atomic.model=stepping") ||
        nuem_config_set_assignment(ctx, cfg, "detector.bins=12keV:60keV:48"))
      return die(ctx);
    nuem_spectrum *sp;
    nuem_model_options opt;
    if (nuem_spectrum_new(ctx, cfg, &sp) || nuem_model_options_from_config(ctx, cfg, &opt))
      return die(ctx);
    for (int b = 0; b < BUILDS; b++) {
      nuem_model *m;
      double t0 = now();
      if (nuem_model_new(ctx, sp, &opt, NULL, &m)) return die(ctx);
      best[k] = fmin(best[k], now() - t0);
      nuem_model_free(m);
    }
    printf("  %-30s %9.2f ms%s\n", models[k] + 9, 1e3 * best[k], k ? "" : "  (baseline)");
    nuem_spectrum_free(sp);
    nuem_config_free(cfg);
  }
  printf("  ratio %.2f\n", best[1] / best[0]);
  return 0;
}

int main(int argc, char **argv) {
  enum { NPOINTS = 1000, REPEAT = 200 };
  nuem_context *ctx;
  nuem_config *cfg;
  if (nuem_context_new(&ctx) || nuem_config_new(ctx, &cfg)) return 1;
  if (argc > 1 && strcmp(argv[1], "--sources") == 0) { /* that section alone */
    int rc = bench_sources(ctx);
    nuem_config_free(cfg);
    nuem_context_free(ctx);
    return rc;
  }
  if (argc > 1 && strcmp(argv[1], "--flux-shape") == 0) { /* that section alone */
    int rc = bench_flux_shape(ctx);
    nuem_config_free(cfg);
    nuem_context_free(ctx);
    return rc;
  }
  if (argc > 1 && strcmp(argv[1], "--site") == 0) { /* that section alone */
    int rc = bench_site(ctx);
    nuem_config_free(cfg);
    nuem_context_free(ctx);
    return rc;
  }
  if (argc > 1 && strcmp(argv[1], "--fc") == 0) { /* the Feldman-Cousins section alone, */
    int rc = cli_mpi_start(&argc, &argv, ctx);     /* on mpirun's ranks if started so */
    if (!rc) rc = cli_mpi_finish(ctx, bench_fc(ctx, argc > 2 ? atoi(argv[2]) : 0));
    nuem_config_free(cfg);
    nuem_context_free(ctx);
    return rc;
  }
  if (argc > 1 && strncmp(argv[1], "--abinitio", 10) == 0) { /* that section alone */
    int rc = bench_abinitio(ctx, strcmp(argv[1], "--abinitio-fast") != 0);
    nuem_config_free(cfg);
    nuem_context_free(ctx);
    return rc;
  }
  if (nuem_config_set_assignment(ctx, cfg, "output.points=1000")) return die(ctx);
  double *T;
  size_t n;
  if (nuem_spectrum_grid(ctx, cfg, &T, &n)) return die(ctx);

  double t0 = now();
  nuem_spectrum *sp;
  if (nuem_spectrum_new(ctx, cfg, &sp)) return die(ctx);
  double t_plan = now() - t0;
  nuem_properties all = nuem_spectrum_configured(sp), none = {0, 0, 0};

  static double fast[NPOINTS][NUEM_SPECTRUM_NCOLS], slow[NPOINTS][NUEM_SPECTRUM_NCOLS],
      scratch[NPOINTS][NUEM_SPECTRUM_NCOLS];
  double best = time_spectrum(sp, &all, T, n, REPEAT, fast);
  /* The same spectrum, same plan, with every electromagnetic property off. */
  double best_sm = time_spectrum(sp, &none, T, n, REPEAT, scratch);

  nuem_rate_direct direct;
  nuem_interaction in = nuem_spectrum_interaction(sp, &all);
  if (nuem_rate_direct_init(ctx, nuem_spectrum_source(sp), nuem_spectrum_target(sp), &in, 1e-10,
                            &direct))
    return die(ctx);
  t0 = now();
  for (size_t i = 0; i < n; i++)
    if (baseline_row(&direct, sp, T[i], slow[i])) return die(ctx);
  double t_base = now() - t0;

  printf("nuem %s benchmark: default spectrum, %zu log-spaced T from 10 eV to 100 keV\n",
         nuem_version(), n);
  printf("  plan (one-time):                 %9.2f ms\n", 1e3 * t_plan);
  printf("  fast path, whole spectrum:       %9.3f ms  (best of %d)\n", 1e3 * best, REPEAT);
  printf("  fast path, properties off:       %9.3f ms  (ratio all-on/off %.2f)\n",
         1e3 * best_sm, best / best_sm);
  printf("  baseline, nested adaptive QAG:   %9.1f ms\n", 1e3 * t_base);
  printf("  speed ratio baseline/fast:       %9.0f x\n", t_base / best);
  printf("  ratio including the plan:        %9.1f x\n", t_base / (best + t_plan));
  for (int c = 1; c < NUEM_SPECTRUM_NCOLS; c++) {
    double worst = 0, scale = 0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(slow[i][c]));
    for (size_t i = 0; i < n; i++) {
      /* Relative difference; where the rate has vanished (beyond the CEvNS
       * end point) both must be below 1e-12 of the column's peak. */
      if (fabs(slow[i][c]) > 1e-12 * scale)
        worst = fmax(worst, fabs(fast[i][c] / slow[i][c] - 1));
      else if (fabs(fast[i][c]) > 1e-12 * scale)
        worst = INFINITY;
    }
    printf("  largest relative difference %-8s %8.2e\n", nuem_spectrum_names[c], worst);
  }
  if (argc > 1) printf("  peak memory of `%s`:   %9.1f MB\n", argv[1], peak_memory_mb(argv[1]));
  if (bench_abinitio(ctx, 1)) return 1;
  if (bench_site(ctx) || bench_sources(ctx) || bench_flux_shape(ctx)) return 1;
  if (bench_fc(ctx, 0)) return 1;
  nuem_rate_direct_free(&direct);
  nuem_spectrum_free(sp);
  free(T);
  nuem_config_free(cfg);
  nuem_context_free(ctx);
  return 0;
}

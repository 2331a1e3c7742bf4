/* Response: resolution, efficiency, bins, matrix, backgrounds (docs/physics.md,
 * "Detector response"). */
#include <string.h>
#include <unistd.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static nuem_detector *detector(const char *const *sets) {
  nuem_config *cfg = test_config(ctx, sets);
  nuem_detector *d = NULL;
  if (nuem_detector_init(ctx, cfg, &d)) fail_msg("%s", nuem_context_error(ctx));
  nuem_config_free(cfg);
  return d;
}

static void resolution_v23(void **state) {
  /* docs/validation.md, V23: sigma0 = 50 eV, F = 0.11, w = 2.96 eV:
   * sigma(10.37 keV) = 76.7 eV, sigma(1 keV) = 53.2 eV */
  nuem_detector *d = detector((const char *[]){"detector.sigma0=50eV", NULL});
  assert_rel(nuem_detector_sigma(d, 10.37e-3), 76.7e-6, 1e-3);
  assert_rel(nuem_detector_sigma(d, 1e-3), 53.2e-6, 1e-3);
  /* a mono-energetic line comes out Gaussian with that sigma: the mean and
   * standard deviation of its response over 2 eV bins */
  double edges[1001], row[1000];
  for (int i = 0; i <= 1000; i++) edges[i] = 10.37e-3 + (i - 500) * 2e-6;
  nuem_response_row(d, 10.37e-3, edges, 1000, row);
  double n = 0, mean = 0, var = 0;
  for (int i = 0; i < 1000; i++) {
    double c = 0.5 * (edges[i] + edges[i + 1]);
    n += row[i];
    mean += row[i] * c;
  }
  mean /= n;
  for (int i = 0; i < 1000; i++) {
    double c = 0.5 * (edges[i] + edges[i + 1]);
    var += row[i] * (c - mean) * (c - mean);
  }
  /* binning adds w^2/12 to the variance (Sheppard's correction) */
  assert_rel(n, 1.0, 1e-12);
  assert_rel(mean, 10.37e-3, 1e-9);
  assert_rel(sqrt(var / n - 2e-6 * 2e-6 / 12), 76.7e-6, 1e-3);
  nuem_detector_free(d);
}

static void efficiency_models(void **state) {
  nuem_detector *d = detector((const char *[]){"detector.efficiency=erf",
      "detector.efficiency_threshold=300eV", "detector.efficiency_width=50eV",
      "detector.efficiency_plateau=0.9", "detector.threshold=200eV", NULL});
  assert_rel(nuem_detector_efficiency(d, 300e-6), 0.45, 1e-12); /* half the plateau */
  assert_rel(nuem_detector_efficiency(d, 350e-6), 0.9 * 0.841344746, 1e-8); /* Phi(1) */
  assert_rel(nuem_detector_efficiency(d, 199e-6), 0.0, 0); /* below the analysis threshold */
  nuem_detector_free(d);
  d = detector((const char *[]){"detector.efficiency=table",
      "detector.efficiency_table=" NUEM_TEST_DATA "/eff_ok.dat", NULL});
  assert_rel(nuem_detector_efficiency(d, 0.45e-3), 0.75, 1e-12);
  nuem_detector_free(d);
}

/* sigma = a sqrt(E) + b E with XENON1T's ER values (docs/physics.md,
 * "Detector response"): 0.310 + 0.0037 keV at 1 keV, 0.310 sqrt(30) +
 * 0.111 keV at 30 keV. Both coefficients must be given. */
static void resolution_sqrt_linear(void **state) {
  nuem_detector *d = detector((const char *[]){"detector.resolution=sqrt-linear",
      "detector.resolution_a=0.310", "detector.resolution_b=0.0037", NULL});
  assert_rel(nuem_detector_sigma(d, 1e-3), 0.3137e-3, 1e-12);
  assert_rel(nuem_detector_sigma(d, 30e-3), (0.310 * sqrt(30.0) + 0.0037 * 30) * 1e-3, 1e-12);
  assert_true(nuem_detector_sigma(d, 0.0) == 0.0);
  nuem_detector_free(d);
  nuem_config *cfg = test_config(ctx, (const char *[]){"detector.resolution=sqrt-linear",
                                                       "detector.resolution_a=0.3", NULL});
  assert_int_equal(nuem_detector_init(ctx, cfg, &d), NUEM_ECONFIG);
  assert_non_null(strstr(nuem_context_error(ctx), "detector.resolution_b"));
  nuem_config_free(cfg);
}

/* An efficiency table short of the bins is an error unless clamped. */
static void efficiency_table_extrapolation(void **state) {
  const char *sets[] = {"detector.efficiency=table", "detector.bins=1keV:300keV:10",
                        "detector.efficiency_table=" NUEM_TEST_DATA "/eff_ok.dat", NULL, NULL};
  nuem_config *cfg = test_config(ctx, sets);
  nuem_detector *d = NULL;
  assert_int_equal(nuem_detector_init(ctx, cfg, &d), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "detector.table_extrapolation = clamp"));
  nuem_config_free(cfg);
  sets[3] = "detector.table_extrapolation=clamp";
  d = detector(sets);
  assert_rel(nuem_detector_efficiency(d, 0.3), 1.0, 1e-12); /* the last value, 200 keV */
  nuem_detector_free(d);
}

typedef struct {
  nuem_config *cfg;
  nuem_spectrum *sp;
  nuem_properties p;
  nuem_detector *d;
  nuem_response r;
} chain;

static void chain_new(chain *c, const char *const *sets) {
  c->cfg = test_config(ctx, sets);
  if (nuem_spectrum_new(ctx, c->cfg, &c->sp) || nuem_detector_init(ctx, c->cfg, &c->d) ||
      nuem_response_from_config(ctx, c->cfg, c->d, &c->r))
    fail_msg("%s", nuem_context_error(ctx));
  c->p = nuem_spectrum_configured(c->sp);
}

static void chain_free(chain *c) {
  nuem_response_free(&c->r);
  nuem_detector_free(c->d);
  nuem_spectrum_free(c->sp);
  nuem_config_free(c->cfg);
}

static void counts_are_conserved(void **state) {
  /* Zero threshold, unit efficiency, bins from -0.5 keV (smearing below 0 is
   * kept) far beyond the CEvNS end point: the folded nuclear-recoil spectrum
   * integrates to the true one (within 1e-4, the acceptance
   * criterion of the response stage). The true integral is
   * an independent trapezoid sum over 20000 points. */
  chain c;
  chain_new(&c, (const char *[]){"detector.bins=-0.5keV:3keV:35", "physics.mu_nu=0muB",
                                  "physics.q_nu=0e", "physics.r2_nu=0cm2", NULL});
  double *content = malloc(c.r.ntrue * sizeof(double)), *meas = malloc(c.r.nmeas * sizeof(double));
  for (size_t i = 0; i < c.r.ntrue; i++) {
    double a = c.r.true_edges[i], b = c.r.true_edges[i + 1], row[NUEM_SPECTRUM_NCOLS];
    content[i] = 0;
    for (int k = 0; k < 64; k++) { /* midpoint rule on 64 pieces */
      nuem_spectrum_row(c.sp, &c.p, a + (k + 0.5) * (b - a) / 64, row, NULL);
      content[i] += row[NUEM_COL_NUCL_SM] * (b - a) * 1e3 / 64;
    }
  }
  nuem_response_fold(&c.r, content, meas);
  double folded = 0, truth = 0, prev = 0, row[NUEM_SPECTRUM_NCOLS];
  for (size_t j = 0; j < c.r.nmeas; j++) folded += meas[j];
  for (int k = 0; k <= 20000; k++) {
    double T = 1e-5 + k * (1e-3 - 1e-5) / 20000;
    nuem_spectrum_row(c.sp, &c.p, T, row, NULL);
    if (k) truth += 0.5 * (prev + row[NUEM_COL_NUCL_SM]) * (1e-3 - 1e-5) / 20000 * 1e3;
    prev = row[NUEM_COL_NUCL_SM];
  }
  double in_content = 0;
  for (size_t i = 0; i < c.r.ntrue; i++) in_content += content[i];
  print_message("folded %.10g content %.10g truth %.10g\n", folded, in_content, truth);
  assert_rel(folded, truth, 1e-4);
  /* every row of the matrix sums to 1 away from the range ends */
  for (size_t i = 0; i < c.r.ntrue; i++) {
    double E = c.r.true_edges[i];
    if (E > 2.5e-3) break;
    double sum = 0;
    for (size_t j = 0; j < c.r.nmeas; j++) sum += c.r.m[i * c.r.nmeas + j];
    assert_rel(sum, 1.0, 1e-12);
  }
  free(content);
  free(meas);
  chain_free(&c);
}

static double column_sum(const nuem_result *r, int col, double lo, double hi) {
  double s = 0;
  for (size_t j = 0; j < r->nrows; j++) {
    const double *row = &r->data[j * r->ncols];
    if (row[NUEM_MCOL_E_LO] >= lo && row[NUEM_MCOL_E_HI] <= hi) s += row[col];
  }
  return s;
}

/* background.efficiency: a flat 2 /kg/keV/day through an erf efficiency
 * (half at 2 keV, width 0.1 keV) in 1-2 and 2-3 keV: the erf's integral
 * over 1-2 keV is 0.1 keV / sqrt(2 pi) = 0.039894 keV, so 10 kg day OFF give
 * 20 x 0.039894 and 20 x (1 - 0.039894) counts; with the efficiency already
 * included, 20 per bin. */
static void background_efficiency(void **state) {
  const char *sets[] = {"detector.bins=1keV:3keV:2", "background.flat=2/kg/keV/day",
                        "detector.efficiency=erf", "detector.efficiency_threshold=2keV",
                        "detector.efficiency_width=0.1keV", "detector.exposure_off=10kg*day",
                        "physics.mu_nu=0muB", NULL, NULL};
  for (int included = 0; included <= 1; included++) {
    sets[7] = included ? "background.efficiency=included" : NULL;
    nuem_config *cfg = test_config(ctx, sets);
    nuem_result r;
    assert_int_equal(nuem_measured_compute(ctx, cfg, &r), NUEM_OK);
    double tail = 0.1 / sqrt(2 * M_PI); /* the integral of Phi((E - 2)/0.1) over 1-2 keV */
    /* 3e-3: measured.c's 64-piece midpoint rule, 15.6 eV pieces on a 100 eV erf */
    assert_rel(r.data[NUEM_MCOL_COUNTS_OFF], included ? 20.0 : 20 * tail, 3e-3);
    assert_rel(r.data[r.ncols + NUEM_MCOL_COUNTS_OFF], included ? 20.0 : 20 * (1 - tail), 3e-3);
    nuem_result_free(&r);
    nuem_config_free(cfg);
  }
}

static void lines_and_exposure(void **state) {
  /* K line of 2 counts/kg/day at 10.37 keV with L/K = 0.117, M/L = 0.16
   * (configured); 10 kg day on: 20 K counts, 2.34 L, 0.374 M. */
  const char *sets[] = {"detector.bins=0.05keV:12.05keV:120", "background.k_line=2/kg/day",
                        "background.l_to_k=0.117", "background.m_to_l=0.16",
                        "detector.exposure=10kg*day", "detector.exposure_off=5kg*day",
                        "physics.mu_nu=0muB", NULL};
  nuem_config *cfg = test_config(ctx, sets);
  nuem_result r;
  assert_int_equal(nuem_measured_compute(ctx, cfg, &r), NUEM_OK);
  double k = column_sum(&r, NUEM_MCOL_COUNTS_OFF, 9.4, 11.6) * 2; /* off has half the exposure */
  double l = column_sum(&r, NUEM_MCOL_COUNTS_OFF, 0.84, 1.76) * 2; /* ±8 sigma */
  double m = column_sum(&r, NUEM_MCOL_COUNTS_OFF, 0.04, 0.56) * 2;
  assert_rel(k, 20.0, 1e-9);
  assert_rel(l / k, 0.117, 1e-9);
  /* the M line (0.162 keV, sigma 50 eV) loses its tail below the first bin
   * edge at 0.05 keV: Phi(-2.24) = 1.25 % */
  assert_rel(m / l, 0.16 * (1 - 0.0125), 1e-3);
  /* where is the K line? the mean of the background in 9.5-11.5 keV */
  double mean = 0, n = 0;
  for (size_t j = 0; j < r.nrows; j++) {
    const double *row = &r.data[j * r.ncols];
    if (row[NUEM_MCOL_E_LO] < 9.4 || row[NUEM_MCOL_E_HI] > 11.6) continue;
    mean += row[NUEM_MCOL_COUNTS_OFF] * 0.5 * (row[0] + row[1]);
    n += row[NUEM_MCOL_COUNTS_OFF];
  }
  assert_rel(mean / n, 10.367, 1e-4);
  /* exposure: counts scale linearly */
  nuem_config_set_assignment(ctx, cfg, "detector.exposure=30kg*day");
  nuem_result r3;
  assert_int_equal(nuem_measured_compute(ctx, cfg, &r3), NUEM_OK);
  for (size_t j = 0; j < r.nrows; j++)
    assert_rel(r3.data[j * r.ncols + NUEM_MCOL_COUNTS_ON],
               3 * r.data[j * r.ncols + NUEM_MCOL_COUNTS_ON], 1e-12);
  nuem_result_free(&r);
  nuem_result_free(&r3);
  nuem_config_free(cfg);
}

static void matrix_round_trip(void **state) {
  /* export the matrix, import it: the same measured spectrum */
  const char *sets[] = {"detector.bins=0.2keV:2.2keV:20", "detector.efficiency=erf",
                        "detector.efficiency_threshold=250eV", NULL};
  chain c;
  chain_new(&c, sets);
  char path[] = "/tmp/nuem-matrix-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_int_equal(nuem_response_write(ctx, f, &c.r), NUEM_OK);
  fclose(f);
  nuem_result direct, imported;
  assert_int_equal(nuem_measured_compute(ctx, c.cfg, &direct), NUEM_OK);
  char set[256];
  snprintf(set, sizeof set, "detector.response_matrix=%s", path);
  nuem_config *cfg2 = test_config(ctx, (const char *[]){set, "detector.efficiency=erf",
                                                        "detector.efficiency_threshold=250eV", NULL});
  assert_int_equal(nuem_measured_compute(ctx, cfg2, &imported), NUEM_OK);
  assert_int_equal(direct.nrows, imported.nrows);
  for (size_t i = 0; i < direct.nrows * direct.ncols; i++)
    assert_rel(imported.data[i], direct.data[i], 1e-9);
  /* bins and a matrix together are ambiguous */
  nuem_config_set_assignment(ctx, cfg2, "detector.bins=0.2keV:2.2keV:20");
  nuem_result tmp;
  assert_int_equal(nuem_measured_compute(ctx, cfg2, &tmp), NUEM_ECONFIG);
  unlink(path);
  nuem_result_free(&direct);
  nuem_result_free(&imported);
  nuem_config_free(cfg2);
  chain_free(&c);
}

static void bad_detector_inputs(void **state) {
  static const struct { const char *set; nuem_status want; const char *needle; } cases[] = {
      {"detector.bin_edges=0.2 0.5 0.4 1 keV", NUEM_ECONFIG, "increase strictly"},
      {"detector.bin_edges=0.2 0.5 1", NUEM_EUNIT, "unit"},
      {"detector.bins=2keV:1keV:10", NUEM_ECONFIG, "must exceed"},
      {"detector.bins=0.2keV:2keV", NUEM_ECONFIG, "LO:HI:N"},
      {"detector.efficiency_table=" NUEM_TEST_DATA "/eff_bad.dat", NUEM_ERANGE, "outside [0, 1]"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *sets[] = {cases[i].set, strstr(cases[i].set, "efficiency_table")
                                            ? "detector.efficiency=table" : NULL, NULL};
    nuem_config *cfg = test_config(ctx, sets);
    nuem_detector *d = NULL;
    nuem_status s = nuem_detector_init(ctx, cfg, &d);
    if (s != cases[i].want || !strstr(nuem_context_error(ctx), cases[i].needle))
      fail_msg("%s: status %d, message '%s'", cases[i].set, s, nuem_context_error(ctx));
    nuem_config_free(cfg);
  }
  nuem_config *cfg = test_config(ctx, NULL);
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "detector.sigma0=-5eV"), NUEM_ERANGE);
  nuem_config_free(cfg);
}

/* A true event is recorded at most once; a threshold above every bin would
 * empty the spectrum. */
static void impossible_responses_are_refused(void **state) {
  char path[256];
  snprintf(path, sizeof path, "/tmp/nuem_test_%ld_rows.dat", (long)getpid());
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("# edge_unit: keV\n# true_edges: 1 2 3\n# measured_edges: 1 2 3\n"
        "0.5 0.5\n0.6 0.6\n", f);
  assert_int_equal(fclose(f), 0);
  nuem_response r;
  assert_int_equal(nuem_response_read(ctx, path, &r), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "true bin 2 (data row 2): the "
                                                  "probabilities sum to 1.2"));
  unlink(path);
  nuem_config *cfg = test_config(ctx, (const char *[]){"detector.bins=1keV:2keV:10",
                                                       "detector.threshold=2keV", NULL});
  nuem_detector *d = NULL;
  assert_int_equal(nuem_detector_init(ctx, cfg, &d), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "detector.threshold = 2 keV"));
  nuem_config_free(cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(resolution_v23),
      cmocka_unit_test(resolution_sqrt_linear),
      cmocka_unit_test(efficiency_table_extrapolation),
      cmocka_unit_test(efficiency_models),
      cmocka_unit_test(counts_are_conserved),
      cmocka_unit_test(lines_and_exposure),
      cmocka_unit_test(background_efficiency),
      cmocka_unit_test(matrix_round_trip),
      cmocka_unit_test(bad_detector_inputs),
      cmocka_unit_test(impossible_responses_are_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

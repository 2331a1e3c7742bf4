/* The spectrum stage: one flux plan serves every property value, atomic
 * model and detector variation, and a variation gives what a fresh chain
 * with the changed config gives. */
#include <math.h>
#include <string.h>

#include "analysis_internal.h"
#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static size_t plans(void) { return nuem_context_counter(ctx, NUEM_COUNT_RATE_PLANS); }

/* Properties are arguments, not part of the chain: the row at (mu, q, r2)
 * equals the row of a chain built with those values in its config. */
/* atomic.model = auto (the default): ab-initio where nuem ships the
 * element's response table (Ge, docs/physics.md), stepping otherwise; free
 * electrons above atomic.free_above either way. */
static void auto_atomic_model(void **state) {
  (void)state;
  const char *targets[] = {"target.material=Ge", "target.material=Xe", "target.material=NaI"};
  const char *expect[] = {"ab-initio", "stepping", "stepping"};
  for (int i = 0; i < 3; i++) {
    nuem_config *cfg = test_config(ctx, (const char *[]){targets[i], NULL});
    nuem_spectrum *sp;
    assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
    const nuem_atomic *a = nuem_spectrum_atomic(sp);
    assert_string_equal(nuem_atomic_model_name(a), expect[i]);
    assert_true(strncmp(nuem_atomic_model_reason(a), "auto: ", 6) == 0);
    /* above free_above (30 keV) the Ge channel is free electrons exactly */
    if (i == 0) {
      assert_non_null(nuem_atomic_abinitio_at(a, 29e-3));
      assert_null(nuem_atomic_abinitio_at(a, 31e-3));
    }
    nuem_spectrum_free(sp);
    nuem_config_free(cfg);
  }
}

/* source.add = solar: the spectrum is the sum of the two sources' own
 * spectra (each channel is linear in its flux), and each has its column. */
static double total_at(const char *const *sets, size_t col, nuem_result *keep) {
  nuem_config *cfg = test_config(ctx, sets);
  nuem_result r;
  if (nuem_spectrum_compute(ctx, cfg, &r)) fail_msg("%s", nuem_context_error(ctx));
  double v = r.data[col];
  if (keep) *keep = r;
  else nuem_result_free(&r);
  nuem_config_free(cfg);
  return v;
}

static void added_source_sums(void **state) {
  (void)state;
  const char *grid[] = {"output.points=1", "output.t_min=1keV", "output.t_max=1keV",
                        "atomic.model=stepping"};
  const char *both[] = {grid[0], grid[1], grid[2], grid[3], "source.add=solar", NULL};
  const char *reactor[] = {grid[0], grid[1], grid[2], grid[3], NULL};
  const char *sun[] = {grid[0], grid[1], grid[2], grid[3], "source.type=solar", NULL};
  nuem_result r;
  double total = total_at(both, NUEM_COL_TOTAL, &r);
  assert_int_equal(r.ncols, NUEM_SPECTRUM_NCOLS + 2);
  assert_string_equal(r.names[NUEM_SPECTRUM_NCOLS], "total_reactor");
  assert_string_equal(r.names[NUEM_SPECTRUM_NCOLS + 1], "total_solar");
  double by_reactor = r.data[NUEM_SPECTRUM_NCOLS], by_sun = r.data[NUEM_SPECTRUM_NCOLS + 1];
  nuem_result_free(&r);
  double alone_reactor = total_at(reactor, NUEM_COL_TOTAL, NULL);
  double alone_sun = total_at(sun, NUEM_COL_TOTAL, NULL);
  assert_rel(total, alone_reactor + alone_sun, 1e-12);
  assert_rel(by_reactor, alone_reactor, 1e-10);
  assert_rel(by_sun, alone_sun, 1e-12);
  /* the Sun beside the Sun is refused */
  nuem_config *cfg = test_config(ctx, (const char *[]){"source.type=solar", "source.add=solar",
                                                      NULL});
  nuem_spectrum *sp;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_ECONFIG);
  assert_non_null(strstr(nuem_context_error(ctx), "source.add = solar"));
  nuem_config_free(cfg);
}

static void properties_do_not_rebuild(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *[]){"atomic.model=stepping", NULL});
  nuem_spectrum *sp;
  size_t before = plans();
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
  assert_int_equal(plans() - before, 1);
  const nuem_properties p = {2e-11, -3e-12, 4e-32};
  double row[NUEM_SPECTRUM_NCOLS], ref[NUEM_SPECTRUM_NCOLS];
  nuem_spectrum_row(sp, &p, 1e-3, row, NULL);
  assert_int_equal(plans() - before, 1);

  nuem_config *c2 = test_config(ctx, (const char *[]){"physics.mu_nu=2e-11muB",
      "physics.q_nu=-3e-12e", "physics.r2_nu=4e-32cm2", "atomic.model=stepping", NULL});
  nuem_spectrum *sp2;
  assert_int_equal(nuem_spectrum_new(ctx, c2, &sp2), NUEM_OK);
  nuem_properties p2 = nuem_spectrum_configured(sp2);
  nuem_spectrum_row(sp2, &p2, 1e-3, ref, NULL);
  for (int c = 0; c < NUEM_SPECTRUM_NCOLS; c++) assert_rel(row[c], ref[c], 1e-14);
  nuem_spectrum_free(sp2);
  nuem_config_free(c2);

  /* another atomic model: the flux plan stays */
  nuem_atomic_options free_model;
  nuem_config *c3 = test_config(ctx, (const char *[]){"atomic.model=free", NULL});
  assert_int_equal(nuem_atomic_options_from_config(ctx, c3, &free_model), NUEM_OK);
  before = plans();
  assert_int_equal(nuem_spectrum_set_atomic(ctx, sp, &free_model), NUEM_OK);
  nuem_spectrum_row(sp, &p, 1e-3, row, NULL);
  assert_int_equal(plans(), before);
  /* free electrons at 1 keV: 32 per Ge atom where stepping counts 22
   * (docs/physics.md, "Stepping"): the SM column scales by 32/22 */
  double stepping[NUEM_SPECTRUM_NCOLS];
  nuem_spectrum *sp4;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp4), NUEM_OK);
  nuem_spectrum_row(sp4, &p, 1e-3, stepping, NULL);
  assert_rel(row[NUEM_COL_ELEC_SM] / stepping[NUEM_COL_ELEC_SM], 32.0 / 22.0, 1e-12);
  nuem_spectrum_free(sp4);
  nuem_config_free(c3);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
}

/* A variation (quenching k, energy scale, bins) measures what a chain built
 * from the changed config measures, on the same flux plan. */
static void variations_match_fresh_chains(void **state) {
  static const double edges[] = {0.2e-3, 0.5e-3, 1.0e-3, 2.0e-3};
  nuem_config *cfg = test_config(ctx, (const char *[]){"detector.bins=0.2keV:2keV:6", NULL});
  nuem_config *ref_cfg = test_config(ctx, (const char *[]){"detector.quenching_k=0.2",
      "detector.energy_scale=1.01", "detector.bin_edges=0.2 0.5 1 2 keV", NULL});
  nuem_spectrum *base, *varied, *ref;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &base), NUEM_OK);
  size_t before = plans();
  nuem_detector_change change = nuem_detector_unchanged();
  change.quenching_k = 0.2;
  change.energy_scale = 1.01;
  change.edges = edges;
  change.nbins = 3;
  assert_int_equal(nuem_spectrum_vary(ctx, base, NULL, &change, &varied), NUEM_OK);
  assert_int_equal(plans(), before);
  assert_int_equal(nuem_spectrum_new(ctx, ref_cfg, &ref), NUEM_OK);
  nuem_properties p = nuem_spectrum_configured(base);
  nuem_measured a, b;
  assert_int_equal(nuem_spectrum_measure(ctx, varied, &p, &a), NUEM_OK);
  assert_int_equal(nuem_spectrum_measure(ctx, ref, &p, &b), NUEM_OK);
  assert_int_equal(a.nbins, 3);
  for (size_t j = 0; j < 3; j++)
    for (int c = 0; c < NUEM_NRATES; c++) assert_rel(a.events[c][j], b.events[c][j], 1e-12);
  nuem_measured_free(&a);
  nuem_measured_free(&b);
  nuem_spectrum_free(ref);
  nuem_spectrum_free(varied);
  nuem_spectrum_free(base);
  nuem_config_free(ref_cfg);
  nuem_config_free(cfg);
}

/* The spectrum and analysis model of cfg; returns the flux plans built. */
static size_t model_of(const nuem_config *cfg, nuem_spectrum **sp, nuem_model_options *opt,
                       nuem_model **m) {
  size_t before = plans();
  assert_int_equal(nuem_spectrum_new(ctx, cfg, sp), NUEM_OK);
  assert_int_equal(nuem_model_options_from_config(ctx, cfg, opt), NUEM_OK);
  assert_int_equal(nuem_model_new(ctx, *sp, opt, NULL, m), NUEM_OK);
  return plans() - before;
}

/* An analysis model with every detector nuisance on builds its templates
 * on the one flux plan of its spectrum. */
static void model_with_nuisances_builds_one_plan(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *[]){"detector.bins=0.3keV:2.3keV:10",
      "analysis.poi=q", "analysis.quenching_k_uncertainty=0.01",
      "analysis.energy_scale_uncertainty=0.01", NULL});
  nuem_spectrum *sp;
  nuem_model_options opt;
  nuem_model *m;
  assert_int_equal(model_of(cfg, &sp, &opt, &m), 1);
  nuem_model_free(m);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
}

/* analysis.flux_model = spectrum adds the flux-shape nuisance: its +1 sigma
 * template needs one more plan (the reshaped flux; the -1 sigma one is its
 * mirror), and the model at flux_shape = +-0.7 predicts what the spectrum
 * reshaped by +-0.7 sigma (nuem_spectrum_vary_flux) predicts, in every bin:
 * the rate is linear in the flux, so the mirror and the model's morph
 * between the -1 and +1 sigma templates are exact (up to the plans'
 * tolerance). */
static void flux_shape_nuisance_templates(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *[]){"detector.bins=0.2keV:1.2keV:10",
      "detector.threshold=150eV", "analysis.poi=cevns", "analysis.flux_model=spectrum", NULL});
  nuem_spectrum *sp;
  nuem_model_options opt;
  nuem_model *m;
  assert_int_equal(model_of(cfg, &sp, &opt, &m), 2);
  assert_true(nuem_model_shape_share(m) > 0 && nuem_model_shape_share(m) <= 1);
  nuem_model_options plain = opt;
  plain.flux_from_spectrum = 0;
  for (int k = 0; k < NUEM_NNU; k++) plain.sigma[k] = 0;
  for (int sign = -1; sign <= 1; sign += 2) {
    nuem_spectrum *varied;
    nuem_model *m_varied;
    assert_int_equal(nuem_spectrum_vary_flux(ctx, sp, m->shape, 0.7 * sign, NULL, &varied),
                     NUEM_OK);
    assert_int_equal(nuem_model_new(ctx, varied, &plain, NULL, &m_varied), NUEM_OK);
    double nu[NUEM_NNU] = {0}, nominal[NUEM_NNU] = {0}, change = 0;
    nu[NUEM_NU_SHAPE] = 0.7 * sign;
    nuem_fixed f, f_varied, f0;
    assert_int_equal(nuem_fixed_init(m, NULL, nu, &f), NUEM_OK);
    assert_int_equal(nuem_fixed_init(m, NULL, nominal, &f0), NUEM_OK);
    assert_int_equal(nuem_fixed_init(m_varied, NULL, nominal, &f_varied), NUEM_OK);
    for (size_t j = 0; j < f.n; j++) {
      assert_rel(f.a[j], f_varied.a[j], 1e-7);
      assert_rel(f.b[j], f_varied.b[j], 1e-7);
      change = fmax(change, fabs(f.b[j] / f0.b[j] - 1));
    }
    assert_true(change > 1e-3); /* the shape does change the CEvNS template */
    nuem_fixed_free(&f);
    nuem_fixed_free(&f0);
    nuem_fixed_free(&f_varied);
    nuem_model_free(m_varied);
    nuem_spectrum_free(varied);
  }
  nuem_model_free(m);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
}

/* Events per kg per day of CEvNS in all bins of spectrum sp. */
static double cevns_window(nuem_spectrum *sp) {
  const nuem_properties none = {0, 0, 0};
  nuem_measured r;
  assert_int_equal(nuem_spectrum_measure(ctx, sp, &none, &r), NUEM_OK);
  double sum = 0;
  for (size_t j = 0; j < r.nbins; j++) sum += r.events[NUEM_COL_NUCL_SM - 1][j];
  nuem_measured_free(&r);
  return sum;
}

/* The flux width of a CEvNS analysis (analysis.flux_model = spectrum) is
 * the relative one-sigma of its window rate. Independent route through the
 * whole chain: with the three-bin covariance C of tests/data/cov_three.dat
 * (0-2, 2-6, 6-8 MeV) the window rate is R = sum_a R_a (R_a: the flux of
 * bin a alone, a reshaped spectrum), so its width is sqrt(R' C R)/R; nuem's
 * model instead folds the band with a kernel (the response's efficiency
 * times the CEvNS cross section without form factor). CONUS-like detector
 * (examples/conus.ini), where both upper bins feed the window. */
static void cevns_flux_width_through_the_chain(void **state) {
  static const double C[3][3] = {{9e-4, 1e-4, 0}, {1e-4, 4e-4, -3e-4}, {0, -3e-4, 2.5e-3}};
  static const double edges[4] = {0, 2, 6, 8};
  nuem_config *cfg;
  assert_int_equal(nuem_config_new(ctx, &cfg), NUEM_OK);
  assert_int_equal(nuem_config_load_file(ctx, cfg, NUEM_SOURCE_DATA "/../examples/conus.ini"),
                   NUEM_OK);
  static const char *const sets[] = {"analysis.poi=cevns", "analysis.flux_model=spectrum",
      "source.band_covariance=" NUEM_TEST_DATA "/cov_three.dat"};
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(nuem_config_set_assignment(ctx, cfg, sets[i]), NUEM_OK);
  nuem_spectrum *sp;
  assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
  double R[3], total = 0, var = 0;
  for (int a = 0; a < 3; a++) {
    /* the indicator of bin a as a relative change: -1 (no flux) outside it */
    double E[6] = {0, edges[a] - 1e-7, edges[a] + 1e-7, edges[a + 1] - 1e-7,
                   edges[a + 1] + 1e-7, 20}, rel[6] = {-1, -1, 0, 0, -1, -1};
    size_t first = a == 0 ? 2 : 0; /* bin 0 starts at E = 0 */
    nuem_interp *ind;
    nuem_spectrum *part;
    assert_int_equal(nuem_interp_new(ctx, E + first, rel + first, 6 - first, NUEM_INTERP_LINEAR,
                                     NUEM_OUTSIDE_CLAMP, "bin", &ind), NUEM_OK);
    assert_int_equal(nuem_spectrum_vary_flux(ctx, sp, ind, 1.0, NULL, &part), NUEM_OK);
    R[a] = cevns_window(part);
    total += R[a];
    nuem_spectrum_free(part);
    nuem_interp_free(ind);
  }
  assert_rel(total, cevns_window(sp), 1e-5);
  assert_true(R[1] > 0.05 * total && R[2] > 0.05 * total); /* the split matters */
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++) var += C[a][b] * R[a] * R[b];
  nuem_model_options opt;
  nuem_model *m;
  assert_int_equal(nuem_model_options_from_config(ctx, cfg, &opt), NUEM_OK);
  assert_int_equal(nuem_model_new(ctx, sp, &opt, NULL, &m), NUEM_OK);
  /* 0.09 % apart when written: the kernel omits the form factor */
  assert_rel(nuem_model_constraint(m, NUEM_NU_FLUX), sqrt(var) / total, 1e-2);
  nuem_model_free(m);
  nuem_spectrum_free(sp);
  nuem_config_free(cfg);
}

/* Errors carry the stage they passed through. */
static void errors_name_their_path(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *[]){"source.type=table",
      "source.file=/nonexistent/flux.dat", NULL});
  nuem_spectrum *sp;
  assert_int_not_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
  const char *msg = nuem_context_error(ctx);
  if (strncmp(msg, "source: ", 8) != 0 || !strstr(msg, "/nonexistent/flux.dat"))
    fail_msg("message lacks its path: %s", msg);
  nuem_config_free(cfg);
}

/* The basis of a property scan reproduces the direct table: every column is
 * a quadratic form in (mu, q, <r2>) (include/nuem/spectrum.h), so the sum
 * of the coefficient arrays equals the table at any values up to rounding
 * of the differences (1e-9 of the column's largest magnitude). */
static void compare_scan(nuem_spectrum *sp, const nuem_spectrum_basis *b,
                         const nuem_properties *p, const double *T, size_t n) {
  nuem_result direct, scan;
  assert_int_equal(nuem_spectrum_table(ctx, sp, p, T, n, 0, &direct), NUEM_OK);
  assert_int_equal(nuem_spectrum_basis_table(ctx, b, p, &scan), NUEM_OK);
  assert_int_equal(scan.ncols, direct.ncols);
  assert_int_equal(scan.nnotes, direct.nnotes);
  for (size_t c = 0; c < direct.ncols; c++) {
    double scale = 0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(direct.data[i * direct.ncols + c]));
    for (size_t i = 0; i < n; i++) {
      double d = direct.data[i * direct.ncols + c], v = scan.data[i * direct.ncols + c];
      if (fabs(v - d) > 1e-9 * scale)
        fail_msg("column %s at T[%zu]: scan %.12g, direct %.12g", direct.names[c], i, v, d);
    }
  }
  nuem_result_free(&direct);
  nuem_result_free(&scan);
}

static void property_scan_equals_direct(void **state) {
  (void)state;
  const char *models[] = {"atomic.model=stepping", "atomic.model=ab-initio"};
  double T[24];
  for (size_t i = 0; i < 24; i++) T[i] = 1e-4 * pow(1e3, i / 23.0); /* 0.1 keV .. 100 keV */
  for (int m = 0; m < 2; m++) {
    nuem_config *cfg = test_config(ctx, (const char *[]){models[m], "source.add=solar", NULL});
    nuem_spectrum *sp;
    assert_int_equal(nuem_spectrum_new(ctx, cfg, &sp), NUEM_OK);
    nuem_properties base = {2e-11, 3e-13, -2e-32};
    nuem_spectrum_basis *all, *mu;
    assert_int_equal(nuem_spectrum_basis_new(ctx, sp, &base,
                                             NUEM_VARY_MU | NUEM_VARY_Q | NUEM_VARY_R2, T, 24,
                                             &all), NUEM_OK);
    assert_int_equal(nuem_spectrum_basis_new(ctx, sp, &base, NUEM_VARY_MU, T, 24, &mu),
                     NUEM_OK);
    const nuem_properties at[] = {{0, 0, 0}, {5e-11, -1e-12, 4e-32}, {1e-12, 2e-14, -3e-33},
                                  {3e-10, 5e-12, 1e-31}};
    for (int k = 0; k < 4; k++) compare_scan(sp, all, &at[k], T, 24);
    for (double x = 0; x < 1e-10; x += 3.3e-11) {
      nuem_properties p = base;
      p.mu = x;
      compare_scan(sp, mu, &p, T, 24);
    }
    /* a property held fixed cannot be asked for at another value */
    nuem_result r;
    assert_int_equal(nuem_spectrum_basis_table(ctx, mu, &at[1], &r), NUEM_EUSAGE);
    assert_non_null(strstr(nuem_context_error(ctx), "holds q"));
    nuem_spectrum_basis_free(all);
    nuem_spectrum_basis_free(mu);
    nuem_spectrum_free(sp);
    nuem_config_free(cfg);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(properties_do_not_rebuild),
      cmocka_unit_test(auto_atomic_model),
      cmocka_unit_test(added_source_sums),
      cmocka_unit_test(variations_match_fresh_chains),
      cmocka_unit_test(model_with_nuisances_builds_one_plan),
      cmocka_unit_test(flux_shape_nuisance_templates),
      cmocka_unit_test(cevns_flux_width_through_the_chain),
      cmocka_unit_test(errors_name_their_path),
      cmocka_unit_test(property_scan_equals_direct),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

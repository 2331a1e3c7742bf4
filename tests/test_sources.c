/* Radioactive and pion-decay-at-rest sources (docs/physics.md, "Source:
 * radioactive" and "Source: pion decay at rest"). Every expected number is
 * derived in the comments from the cited inputs, independently of nuem. */
#include <math.h>
#include <string.h>

#include "source_internal.h"
#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

#define PI 3.14159265358979323846

static nuem_source *make_source(const char *const *sets) { return test_source(ctx, sets); }

static void beta_table_matches_direct(void **state) {
  /* The tabulated p F(Z, W) (src/source/beta.c) against the direct Fermi
   * function with the complex Gamma function, for the daughters nuem uses:
   * 239Np -> 239Pu (capture; Q of data/reactor/capture_u239_np239.dat),
   * 3H -> 3He, 144Ce -> 144Pr, 144Pr -> 144Nd (Q values of docs/physics.md,
   * "Source: radioactive"). */
  static const nuem_beta_branch cases[] = {
      {.z_daughter = 94, .mass_number = 239, .endpoint = 0.7225},
      {.z_daughter = 2, .mass_number = 3, .endpoint = 0.018591},
      {.z_daughter = 59, .mass_number = 144, .endpoint = 0.3187},
      {.z_daughter = 60, .mass_number = 144, .endpoint = 2.9975}};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    nuem_beta_branch b = cases[c];
    assert_int_equal(nuem_beta_normalise(ctx, &b), NUEM_OK);
    assert_non_null(b.pf);
    double worst = 0;
    for (int i = 1; i < 1000; i++) {
      double E = b.endpoint * i / 1000.0, direct = nuem_beta_shape_direct(&b, E);
      worst = fmax(worst, fabs(nuem_beta_shape(&b, E) / direct - 1));
    }
    if (worst > 1e-7) fail_msg("Z = %d: table off by %g", b.z_daughter, worst);
    nuem_beta_free(&b);
  }
}

static void chromium_decays_over_one_half_life(void **state) {
  /* 1 MCi = 3.7e16 Bq; over one half-life (27.704 d, ENSDF) the mean
   * activity is A0 (1 - 1/2) / ln 2. At 1 m the flux is that over
   * 4 pi (100 cm)^2, and the four lines (Bahcall PRC 56, 3391: 81.63 +
   * 8.49 + 8.95 + 0.93 %) carry one neutrino per decay. */
  const char *const sets[] = {"source.type=radioactive", "source.nuclide=51Cr",
                              "source.activity=1 MCi", "source.duration=27.704 day",
                              "source.distance=1 m", NULL};
  nuem_source *src = make_source(sets);
  double mean = 3.7e16 * 0.5 / log(2.0);
  assert_rel(nuem_source_mean_activity(src), mean, 1e-12);
  assert_rel(nuem_source_total(src, NULL), mean / (4 * PI * 1e4), 1e-12);
  const nuem_source_line *lines;
  assert_int_equal(nuem_source_lines(src, &lines), 4);
  /* 752.39 - 5.465 keV (Q_EC minus the V K binding) carries 81.63 % */
  assert_rel(lines[0].energy, 0.75239 - 0.005465, 1e-4);
  assert_rel(lines[0].flux[NUEM_NUE], 0.8163 * mean / (4 * PI * 1e4), 1e-12);
  int flavours[NUEM_NFLAVOURS];
  assert_int_equal(nuem_source_flavours(src, flavours), 1);
  assert_int_equal(flavours[0], NUEM_NUE);
  nuem_source_free(src);
}

/* Allowed shape with the non-relativistic Fermi function 2 pi eta /
 * (1 - exp(-2 pi eta)), eta = alpha Z W / p (e.g. Krane, Introductory
 * Nuclear Physics, ch. 9): within 1 % of the relativistic one for Z = 2. */
static double tritium_shape(double E) {
  const double me = 0.51099895, q = 0.018592, alpha = 1 / 137.035999084;
  double W = me + q - E, p = sqrt(W * W - me * me), eta = alpha * 2 * W / p;
  return p * W * E * E * 2 * PI * eta / (1 - exp(-2 * PI * eta));
}

static void tritium_spectrum_and_total(void **state) {
  /* a 40 MCi source at 14 cm (the tritium proposal's scale, docs/physics.md)
   * for a day: one antineutrino per decay, all in the continuum. T1/2 =
   * 12.32 yr (ENSDF): lambda T = ln 2 / (12.32 x 365.25). */
  const char *const sets[] = {"source.type=radioactive", "source.nuclide=3H",
                              "source.activity=40 MCi", "source.duration=1 day",
                              "source.distance=14 cm", NULL};
  nuem_source *src = make_source(sets);
  double lt = log(2.0) / (12.32 * 365.25);
  double mean = 40 * 3.7e16 * (1 - exp(-lt)) / lt;
  assert_rel(nuem_source_total(src, NULL), mean / (4 * PI * 14 * 14), 1e-7);
  assert_true(nuem_source_flux(src, 0.0186) == 0.0);
  double r = nuem_source_flavour_flux(src, NUEM_ANTINUE, 0.005) /
             nuem_source_flavour_flux(src, NUEM_ANTINUE, 0.012);
  assert_rel(r, tritium_shape(0.005) / tritium_shape(0.012), 0.01);
  assert_true(nuem_source_flavour_flux(src, NUEM_NUE, 0.005) == 0.0);
  nuem_source_free(src);
}

static void cerium_chain_gives_two_antineutrinos(void **state) {
  /* 144Ce and 144Pr in equilibrium: two antineutrinos per 144Ce decay (the
   * 144Pr branchings 97.9 + 1.04 + 1.05 % sum to 99.99 %), ending at the
   * 144Pr Q value 2997.5 keV (ENSDF). Over a 1 s run the activity is A0. */
  const char *const sets[] = {"source.type=radioactive", "source.nuclide=144Ce",
                              "source.activity=100 kCi", "source.duration=1 s",
                              "source.mean_inverse_r2=1e-4 /cm2", NULL};
  nuem_source *src = make_source(sets);
  double per_area = 1e-4 / (4 * PI);
  assert_rel(nuem_source_total(src, NULL), 3.7e15 * per_area * (1.0 + 0.9999), 1e-6);
  assert_rel(nuem_source_e_max(src), 2.9975, 1e-12);
  assert_true(nuem_source_flux(src, 2.5) > 0);
  nuem_source_free(src);
}

static void user_lines(void **state) {
  const char *const sets[] = {"source.type=radioactive", "source.nuclide=user",
                              "source.lines=811 keV:0.9, 813.5 keV:0.1",
                              "source.half_life=35.04 day", "source.activity=1 Bq",
                              "source.duration=1 s", "source.distance=1 cm", NULL};
  nuem_source *src = make_source(sets);
  const nuem_source_line *lines;
  assert_int_equal(nuem_source_lines(src, &lines), 2);
  assert_rel(lines[1].energy, 0.8135, 1e-12);
  assert_rel(nuem_source_total(src, NULL), 1.0 / (4 * PI) * (1 - 1e-7), 1e-6);
  nuem_source_free(src);
}

/* Simpson's rule of E^k dPhi/dE of one flavour on [0, m_mu/2] (the
 * antinu_mu spectrum jumps to 0 at m_mu/2: its last node sits just below). */
static double moment(const nuem_source *src, int flavour, int k) {
  const double hi = 105.6583755 / 2;
  const int n = 2000;
  double sum = 0, h = hi / n;
  for (int i = 0; i <= n; i++) {
    double E = i == n ? hi * (1 - 1e-13) : i * h, w = i == 0 || i == n ? 1 : i % 2 ? 4 : 2;
    sum += w * pow(E, k) * nuem_source_flavour_flux(src, flavour, E);
  }
  return sum * h / 3;
}

static void pion_decay_at_rest(void **state) {
  /* COHERENT 2017 (Science 357, 1123): 0.08 per flavour per proton,
   * 1.76e23 POT over 308.1 days, 19.3 m: per flavour 0.08 x 1.76e23 /
   * (308.1 x 86400 s) / (4 pi 1930^2 cm2). */
  const char *const sets[] = {"source.type=pidar", "source.nu_per_proton=0.08",
                              "source.protons=1.76e23", "source.duration=308.1 day",
                              "source.distance=19.3 m", NULL};
  nuem_source *src = make_source(sets);
  double phi = 0.08 * 1.76e23 / (308.1 * 86400) / (4 * PI * 1930.0 * 1930.0);
  assert_rel(nuem_source_total(src, NULL), 3 * phi, 1e-8);
  const nuem_source_line *lines;
  assert_int_equal(nuem_source_lines(src, &lines), 1);
  /* (m_pi^2 - m_mu^2) / (2 m_pi), PDG 2022 masses 139.57039, 105.6583755 MeV */
  assert_rel(lines[0].energy, 29.79200, 1e-5);
  assert_rel(lines[0].flux[NUEM_NUMU], phi, 1e-12);
  /* Michel spectra: normalised, with mean energies 0.3 m_mu (nu_e) and
   * 0.35 m_mu (antinu_mu): 192 int x^3 (1/2 - x) = 192/640, 64 int x^3
   * (3/4 - x) = 64 x 7/1280 on [0, 1/2]. */
  assert_rel(moment(src, NUEM_NUE, 0), phi, 1e-6);
  assert_rel(moment(src, NUEM_ANTINUMU, 0), phi, 1e-6);
  assert_rel(moment(src, NUEM_NUE, 1) / phi, 0.3 * 105.6583755, 1e-6);
  assert_rel(moment(src, NUEM_ANTINUMU, 1) / phi, 0.35 * 105.6583755, 1e-6);
  int flavours[NUEM_NFLAVOURS];
  assert_int_equal(nuem_source_flavours(src, flavours), 3);
  nuem_source_free(src);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(beta_table_matches_direct),
      cmocka_unit_test(chromium_decays_over_one_half_life),
      cmocka_unit_test(tritium_spectrum_and_total),
      cmocka_unit_test(cerium_chain_gives_two_antineutrinos),
      cmocka_unit_test(user_lines),
      cmocka_unit_test(pion_decay_at_rest),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

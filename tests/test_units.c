/* Units: values convert to MeV, cm, s, kg; wrong dimensions are errors. */
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;

static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static double q(const char *text, const char *unit) {
  double v = NAN;
  nuem_status s = nuem_quantity_parse(ctx, text, unit, "test", &v);
  if (s) fail_msg("'%s' as %s: %s", text, unit, nuem_context_error(ctx));
  return v;
}

static void converts_to_internal_units(void **state) {
  assert_rel(q("28 m", "m"), 2800.0, 1e-15);          /* cm */
  assert_rel(q("300 eV", "keV"), 3e-4, 1e-15);        /* MeV */
  assert_rel(q("1MeV", "MeV"), 1.0, 0);
  assert_rel(q("10keV", "keV"), 0.01, 1e-15);
  assert_rel(q("1 day", "s"), 86400.0, 0);
  assert_rel(q("1 fm", "cm"), 1e-13, 1e-15);
  /* 1 GW = 1e9 J/s = 1e9 / 1.602176634e-13 MeV/s (SI 2019 exact eV) */
  assert_rel(q("2.9 GW", "GW"), 2.9e9 / 1.602176634e-13, 1e-14);
  assert_rel(q("6.4e12/cm2/s", "/cm2/s"), 6.4e12, 1e-15);
  assert_rel(q("6.4e12 cm^-2 s^-1", "/cm2/s"), 6.4e12, 1e-15);
  assert_rel(q("6.4e16 /m2/s", "/cm2/s"), 6.4e12, 1e-14);
  assert_rel(q("1 kg*day", "kg day"), 86400.0, 0);
  /* xenon exposures: 1.16 tonne-year = 1160 kg x 365.25 day (Julian year) */
  assert_rel(q("1.16 t*yr", "kg*day"), 1160 * 365.25 * 86400.0, 1e-15);
  /* B0-style rates: 1 /(t yr keV) = 1 / (1000 x 365.25) /kg/keV/day */
  assert_rel(q("1 /t/yr/keV", "/kg/keV/day"), q("1 /kg/keV/day", "/kg/keV/day") / 365250.0, 1e-14);
  assert_rel(q("1e-11 muB", "muB"), 1e-11, 0);
  assert_rel(q("-1e-12 e", "e"), -1e-12, 0);
  assert_rel(q("1e-32 cm2", "cm2"), 1e-32, 0);
  assert_rel(q("0.162", "1"), 0.162, 0);
}

static void rejects_missing_or_wrong_units(void **state) {
  double v;
  assert_int_equal(nuem_quantity_parse(ctx, "28", "m", "source.distance", &v), NUEM_EUNIT);
  assert_non_null(strstr(nuem_context_error(ctx), "source.distance"));
  assert_non_null(strstr(nuem_context_error(ctx), "no unit"));
  assert_int_equal(nuem_quantity_parse(ctx, "2.9 GeV", "GW", "power", &v), NUEM_EUNIT);
  assert_non_null(strstr(nuem_context_error(ctx), "dimension"));
  assert_int_equal(nuem_quantity_parse(ctx, "3 furlongs", "m", "d", &v), NUEM_EUNIT);
  assert_non_null(strstr(nuem_context_error(ctx), "furlongs"));
  assert_int_equal(nuem_quantity_parse(ctx, "0.1 keV", "1", "k", &v), NUEM_EUNIT);
  assert_int_equal(nuem_quantity_parse(ctx, "abc MeV", "MeV", "E", &v), NUEM_ECONFIG);
  assert_int_equal(nuem_quantity_parse(ctx, "nan MeV", "MeV", "E", &v), NUEM_ECONFIG);
  assert_int_equal(nuem_quantity_parse(ctx, "inf MeV", "MeV", "E", &v), NUEM_ECONFIG);
  assert_int_equal(nuem_quantity_parse(ctx, "1e999 MeV", "MeV", "E", &v), NUEM_ECONFIG);
  assert_int_equal(nuem_quantity_parse(ctx, "1 cm^99", "cm", "x", &v), NUEM_EUNIT);
  assert_int_equal(nuem_quantity_parse(ctx, "1 MeV MeV", "MeV", "E", &v), NUEM_EUNIT);
}

static void describes_dimensions(void **state) {
  nuem_unit u;
  char buf[128];
  assert_int_equal(nuem_unit_parse(ctx, "/cm2/s/MeV", "flux", &u), NUEM_OK);
  nuem_dim_describe(u.dim, buf, sizeof buf);
  assert_string_equal(buf, "energy^-1 length^-2 time^-1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(converts_to_internal_units),
      cmocka_unit_test(rejects_missing_or_wrong_units),
      cmocka_unit_test(describes_dimensions),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

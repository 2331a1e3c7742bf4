/* Config: defaults, INI files, --set, and every bad input named. */
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static void defaults_are_the_kuo_sheng_experiment(void **state) {
  nuem_config *cfg = test_config(ctx, NULL);
  /* DESIGN.md / issue 2: 2.9 GW, 28 m, fractions 0.55/0.07/0.32/0.06, 1 kg Ge */
  assert_rel(nuem_config_number(cfg, NUEM_P_SOURCE_POWER), 2.9e9 / 1.602176634e-13, 1e-14);
  assert_rel(nuem_config_number(cfg, NUEM_P_SOURCE_DISTANCE), 2800.0, 0);
  const nuem_fractions *f = nuem_config_fractions(cfg, NUEM_P_SOURCE_FRACTIONS);
  assert_rel(f->values[NUEM_U235], 0.55, 0);
  assert_rel(f->values[NUEM_U238], 0.07, 0);
  assert_rel(f->values[NUEM_PU239], 0.32, 0);
  assert_rel(f->values[NUEM_PU241], 0.06, 0);
  assert_string_equal(nuem_config_text(cfg, NUEM_P_TARGET_MATERIAL), "Ge");
  assert_false(nuem_config_is_set(cfg, NUEM_P_SOURCE_TOTAL_FLUX));
  char buf[128];
  nuem_config_format(cfg, NUEM_P_SOURCE_POWER, buf, sizeof buf);
  assert_string_equal(buf, "2.9 GW");
  nuem_config_free(cfg);
}

static void ini_and_set_override(void **state) {
  nuem_config *cfg = test_config(ctx, NULL);
  assert_int_equal(nuem_config_load_string(ctx, cfg,
      "; GEMMA-like\n[source]\npower = 3.0 GW ; thermal\ndistance = 13.9 m\n"
      "total_flux = 2.7e13 /cm2/s\n[physics]\nflavour = antinue\n", "g.ini"), NUEM_OK);
  assert_rel(nuem_config_number(cfg, NUEM_P_SOURCE_DISTANCE), 1390.0, 1e-15);
  assert_true(nuem_config_is_set(cfg, NUEM_P_SOURCE_TOTAL_FLUX));
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "source.distance=20m"), NUEM_OK);
  assert_rel(nuem_config_number(cfg, NUEM_P_SOURCE_DISTANCE), 2000.0, 0);
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "source.total_flux=none"), NUEM_OK);
  assert_false(nuem_config_is_set(cfg, NUEM_P_SOURCE_TOTAL_FLUX));
  nuem_config_free(cfg);
}

static void expect_error(const char *ini, nuem_status want, const char *needle) {
  nuem_config *cfg = test_config(ctx, NULL);
  nuem_status s = nuem_config_load_string(ctx, cfg, ini, "bad.ini");
  if (s != want) fail_msg("'%s': status %d, expected %d (%s)", ini, s, want, nuem_context_error(ctx));
  if (!strstr(nuem_context_error(ctx), needle))
    fail_msg("'%s': message '%s' lacks '%s'", ini, nuem_context_error(ctx), needle);
  nuem_config_free(cfg);
}

static void bad_inputs_are_errors_that_name_them(void **state) {
  expect_error("[source]\npowr = 3 GW\n", NUEM_ECONFIG, "bad.ini:2: unknown key 'powr'");
  expect_error("[sorce]\npower = 3 GW\n", NUEM_ECONFIG, "unknown section [sorce]");
  expect_error("[source]\npower = -3 GW\n", NUEM_ERANGE, "must be positive");
  expect_error("[source]\npower = 3\n", NUEM_EUNIT, "no unit");
  expect_error("[source]\npower = 3 m\n", NUEM_EUNIT, "dimension");
  expect_error("[source]\nfractions = U235:0.5 U238:0.1\n", NUEM_ERANGE, "sum to 0.6");
  expect_error("[source]\nfractions = U235:0.9 Th232:0.1\n", NUEM_ECONFIG, "unknown isotope 'Th232'");
  expect_error("[source]\nfractions = U235:1.2 U238:-0.2\n", NUEM_ERANGE, "[0, 1]");
  expect_error("[source]\ntype = pulsar\n", NUEM_ECONFIG, "reactor|table");
  expect_error("[source]\npower = 3 GW\npower = 2 GW\n", NUEM_ECONFIG, "bad.ini:3: source.power is given twice");
  expect_error("[source]\nthis is not ini\n", NUEM_EPARSE, "bad.ini:2");
  expect_error("[output]\npoints = 12.5\n", NUEM_ECONFIG, "whole number");
  expect_error("[physics]\nsin2w = 1.5\n", NUEM_ERANGE, "between 0 and 1");
  expect_error("power = 3 GW\n", NUEM_ECONFIG, "'power' comes before any [section]");
  expect_error("[analysis]\nthreads = 100000\n", NUEM_ERANGE, "at most 1024");
  expect_error("[analysis]\ngrid = 100001\n", NUEM_ERANGE, "at most 100000");
  expect_error("[source]\npower = 0x1p3 GW\n", NUEM_ECONFIG, "source.power");
}

/* inih cuts a line at its buffer and parses the rest as a line of its own:
 * the tail of a long comment would set the power. */
static void long_lines_are_refused_with_their_line(void **state) {
  char ini[1024];
  snprintf(ini, sizeof ini, "[source]\n; %0*d power = 100 GW\n", 200, 0);
  expect_error(ini, NUEM_EPARSE, "bad.ini:2: the line has");
  /* the longest line allowed still parses */
  nuem_config *cfg = test_config(ctx, NULL);
  snprintf(ini, sizeof ini, "[source]\npower = 3 GW ;%*s\n", NUEM_CONFIG_MAX_LINE - 14, "");
  assert_int_equal(strlen(strchr(ini, 'p')), NUEM_CONFIG_MAX_LINE + 1);
  assert_int_equal(nuem_config_load_string(ctx, cfg, ini, "ok.ini"), NUEM_OK);
  char buf[64];
  nuem_config_format(cfg, NUEM_P_SOURCE_POWER, buf, sizeof buf);
  assert_string_equal(buf, "3 GW");
  nuem_config_free(cfg);
  /* one character more is refused */
  snprintf(ini, sizeof ini, "[source]\npower = 3 GW ;%*s\n", NUEM_CONFIG_MAX_LINE - 13, "");
  expect_error(ini, NUEM_EPARSE, "bad.ini:2: the line has 199 characters");
}

static void a_file_that_sets_nothing_is_a_warning(void **state) {
  nuem_context *c;
  assert_int_equal(nuem_context_new(&c), NUEM_OK);
  nuem_config *cfg = test_config(c, NULL);
  assert_int_equal(nuem_config_load_string(c, cfg, "; nothing\n[source]\n", "empty.ini"), NUEM_OK);
  assert_int_equal(nuem_context_warning_count(c), 1);
  assert_non_null(strstr(nuem_context_warning(c, 0), "empty.ini sets no key"));
  nuem_config_free(cfg);
  nuem_context_free(c);
}

static void set_needs_section_key_value(void **state) {
  nuem_config *cfg = test_config(ctx, NULL);
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "power=3GW"), NUEM_EUSAGE);
  assert_int_equal(nuem_config_set_assignment(ctx, cfg, "source.power"), NUEM_EUSAGE);
  assert_int_equal(nuem_config_load_file(ctx, cfg, "/nonexistent.ini"), NUEM_EFILE);
  assert_non_null(strstr(nuem_context_error(ctx), "/nonexistent.ini"));
  nuem_config_free(cfg);
}

static void unused_keys_are_reported(void **state) {
  nuem_context *c;
  assert_int_equal(nuem_context_new(&c), NUEM_OK);
  nuem_config *cfg = test_config(c, (const char *[]){"source.file=flux.dat", NULL});
  nuem_config_number(cfg, NUEM_P_SOURCE_POWER);
  assert_int_equal(nuem_config_report_unused(c, cfg), NUEM_OK);
  assert_int_equal(nuem_context_warning_count(c), 1);
  assert_non_null(strstr(nuem_context_warning(c, 0), "source.file"));
  nuem_config_free(cfg);
  nuem_context_free(c);
}

static void every_default_parses_and_has_docs(void **state) {
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    const nuem_param_info *info = nuem_param_info_get((nuem_param)i);
    assert_true(strlen(info->doc) > 10);
    assert_int_equal(nuem_param_find(info->section, info->key), i);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_are_the_kuo_sheng_experiment),
      cmocka_unit_test(ini_and_set_override),
      cmocka_unit_test(bad_inputs_are_errors_that_name_them),
      cmocka_unit_test(set_needs_section_key_value),
      cmocka_unit_test(unused_keys_are_reported),
      cmocka_unit_test(every_default_parses_and_has_docs),
      cmocka_unit_test(long_lines_are_refused_with_their_line),
      cmocka_unit_test(a_file_that_sets_nothing_is_a_warning),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

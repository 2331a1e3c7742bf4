/* Config: defaults, INI files, --set, every bad input named, choices by name. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static void defaults_are_the_kuo_sheng_experiment(void **state) {
  nuem_config *cfg = test_config(ctx, NULL);
  /* the default experiment is TEXONO at Kuo-Sheng (docs/config.md; docs/physics.md,
   * "Source: reactor antineutrino flux"): 2.9 GW, 28 m, fractions
   * 0.55/0.07/0.32/0.06, 1 kg Ge */
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

static void choices_compare_by_name(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *const[]){"source.type=table", NULL});
  assert_true(nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "table"));
  assert_false(nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "reactor"));
  /* a name that is not a choice never matches, even a near miss */
  assert_false(nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "tabl"));
  assert_false(nuem_param_has_choice(NUEM_P_SOURCE_TYPE, "tabl"));
  assert_false(nuem_param_has_choice(NUEM_P_SOURCE_TYPE, "reactor|table"));
  assert_true(nuem_param_has_choice(NUEM_P_ATOMIC_EXTRAPOLATION, "free"));
  /* keys of other kinds have no choices */
  assert_false(nuem_param_has_choice(NUEM_P_SOURCE_FILE, ""));
  assert_false(nuem_config_choice_is(cfg, NUEM_P_SOURCE_FILE, ""));
  nuem_config_free(cfg);
}

static void choice_maps_must_name_every_choice(void **state) {
  nuem_config *cfg = test_config(ctx, (const char *const[]){"detector.efficiency=erf", NULL});
  /* values deliberately not in the spec's order */
  static const nuem_choice full[] = {{"table", 7}, {"none", 5}, {"erf", 9}};
  int v = -1;
  assert_int_equal(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_EFFICIENCY, full, &v),
                   NUEM_OK);
  assert_int_equal(v, 9);
  static const nuem_choice missing[] = {{"none", 0}, {"erf", 1}};
  static const nuem_choice misspelt[] = {{"none", 0}, {"erf", 1}, {"tabel", 2}};
  static const nuem_choice twice[] = {{"none", 0}, {"erf", 1}, {"erf", 2}};
  assert_int_equal(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_EFFICIENCY, missing, &v),
                   NUEM_EINTERNAL);
  assert_non_null(strstr(nuem_context_error(ctx), "detector.efficiency"));
  assert_int_equal(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_EFFICIENCY, misspelt, &v),
                   NUEM_EINTERNAL);
  assert_non_null(strstr(nuem_context_error(ctx), "'tabel'"));
  assert_int_equal(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_DETECTOR_EFFICIENCY, twice, &v),
                   NUEM_EINTERNAL);
  assert_int_equal(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_SOURCE_FILE, full, &v),
                   NUEM_EINTERNAL);
  assert_int_equal(v, 9); /* untouched on failure */
  nuem_config_free(cfg);
}

static void fractions_by_name(void **state) {
  nuem_config *cfg =
      test_config(ctx, (const char *const[]){"source.fractions=Pu239:0.75 U235:0.25", NULL});
  assert_rel(nuem_config_fraction(cfg, NUEM_P_SOURCE_FRACTIONS, "Pu239"), 0.75, 0);
  assert_rel(nuem_config_fraction(cfg, NUEM_P_SOURCE_FRACTIONS, "U235"), 0.25, 0);
  assert_rel(nuem_config_fraction(cfg, NUEM_P_SOURCE_FRACTIONS, "U238"), 0, 0);
  assert_true(isnan(nuem_config_fraction(cfg, NUEM_P_SOURCE_FRACTIONS, "U236")));
  assert_true(isnan(nuem_config_fraction(cfg, NUEM_P_SOURCE_TYPE, "U235")));
  nuem_config_free(cfg);
}

/* ---- every literal name given to nuem_config_choice_is in the code ------ */

static const struct {
  const char *id;
  nuem_param param;
} param_ids[] = {
#define X_ID(id, sec, key, kind, def, spec, range, doc) {"NUEM_P_" #id, NUEM_P_##id},
    NUEM_PARAM_LIST(X_ID)
#undef X_ID
};

static nuem_param param_by_id(const char *id) {
  for (size_t i = 0; i < sizeof param_ids / sizeof param_ids[0]; i++)
    if (strcmp(param_ids[i].id, id) == 0) return param_ids[i].param;
  return NUEM_P_COUNT;
}

/* Check every call `nuem_config_choice_is(x, NUEM_P_ID, "name")` in `text`;
 * calls whose id is not a NUEM_P_ constant (the definition) are skipped. */
static size_t check_calls(const char *path, const char *text) {
  static const char call[] = "nuem_config_choice_is(";
  size_t checked = 0;
  for (const char *p = strstr(text, call); p; p = strstr(p + 1, call)) {
    const char *a = strchr(p, ',');
    if (!a) break;
    while (isspace((unsigned char)*++a)) {}
    if (strncmp(a, "NUEM_P_", 7) != 0) continue;
    char id[64], name[64];
    size_t n = strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    snprintf(id, sizeof id, "%.*s", (int)n, a);
    a += n;
    while (isspace((unsigned char)*a) || *a == ',') a++;
    if (*a != '"') fail_msg("%s: %s is compared with a non-literal name", path, id);
    size_t len = strcspn(a + 1, "\"");
    snprintf(name, sizeof name, "%.*s", (int)len, a + 1);
    nuem_param param = param_by_id(id);
    if (param == NUEM_P_COUNT) fail_msg("%s: unknown parameter %s", path, id);
    if (!nuem_param_has_choice(param, name))
      fail_msg("%s: \"%s\" is not a choice of %s (%s)", path, name, id,
               nuem_param_info_get(param)->spec);
    checked++;
  }
  return checked;
}

static size_t check_directory(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open %s", dir);
  size_t checked = 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    char *text;
    size_t size;
    if (nuem_file_read(ctx, path, &text, &size)) fail_msg("%s", nuem_context_error(ctx));
    checked += check_calls(path, text);
    free(text);
  }
  closedir(d);
  return checked;
}

static void every_choice_name_in_the_code_is_a_choice(void **state) {
  static const char *const dirs[] = {"src/analysis", "src/core", "src/interaction",
                                     "src/output", "src/rate", "src/response",
                                     "src/source", "src/target", "cli", "bench"};
  size_t checked = 0;
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/../../%s", NUEM_TEST_DATA, dirs[i]);
    checked += check_directory(dir);
  }
  /* source.type, source.capture and detector.quenching at least: the scan
   * must find the calls it is there to check */
  if (checked < 3) fail_msg("only %zu calls found: is the scan looking in the sources?", checked);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_are_the_kuo_sheng_experiment),
      cmocka_unit_test(ini_and_set_override),
      cmocka_unit_test(bad_inputs_are_errors_that_name_them),
      cmocka_unit_test(set_needs_section_key_value),
      cmocka_unit_test(unused_keys_are_reported),
      cmocka_unit_test(every_default_parses_and_has_docs),
      cmocka_unit_test(choices_compare_by_name),
      cmocka_unit_test(choice_maps_must_name_every_choice),
      cmocka_unit_test(fractions_by_name),
      cmocka_unit_test(every_choice_name_in_the_code_is_a_choice),
      cmocka_unit_test(long_lines_are_refused_with_their_line),
      cmocka_unit_test(a_file_that_sets_nothing_is_a_warning),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

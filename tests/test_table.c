/* Tables: directives, units, and every malformed input rejected. */
#include <string.h>

#include "test_common.h"

static nuem_context *ctx;
static int setup(void **state) { return nuem_context_new(&ctx); }
static int teardown(void **state) { nuem_context_free(ctx); return 0; }

static nuem_status parse(const char *text, nuem_table *t) {
  return nuem_table_parse(ctx, text, strlen(text), "t.dat", t);
}

static void reads_columns_units_and_directives(void **state) {
  nuem_table t;
  assert_int_equal(parse("# source: a paper\n# columns: E phi\n# units: keV /cm2/s/MeV\n"
                         "1 2\n  10   20 \n\n", &t), NUEM_OK);
  assert_int_equal(t.ncols, 2);
  assert_int_equal(t.nrows, 2);
  assert_string_equal(t.names[1], "phi");
  assert_rel(nuem_table_get(&t, 1, 0), 0.01, 1e-15); /* 10 keV in MeV */
  assert_rel(nuem_table_get(&t, 1, 1), 20.0, 0);
  assert_string_equal(nuem_table_directive(&t, "source"), "a paper");
  assert_int_equal(nuem_table_column(&t, "phi"), 1);
  assert_int_equal(nuem_table_column(&t, "psi"), -1);
  assert_int_equal(nuem_table_check_column(ctx, &t, 0, 1, 1), NUEM_OK);
  nuem_table_free(&t);
}

static void rejects_malformed_tables(void **state) {
  nuem_table t;
  assert_int_equal(parse("# only comments\n", &t), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "no data rows"));
  assert_int_equal(parse("1 2\n3\n", &t), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "t.dat:2"));
  assert_int_equal(parse("1 2\n3 x\n", &t), NUEM_EPARSE);
  assert_int_equal(parse("1 2\n3 nan\n", &t), NUEM_EPARSE);
  assert_int_equal(parse("# units: MeV\n1 2\n", &t), NUEM_EPARSE);
  assert_int_equal(parse("# units: MeV parsec\n1 2\n", &t), NUEM_EUNIT);
  assert_int_equal(parse("# columns: a b\n1 2 3\n", &t), NUEM_EPARSE);
  assert_int_equal(nuem_table_parse(ctx, "1 2\n\0 3\n", 8, "t.dat", &t), NUEM_EPARSE);
}

static void checks_monotonic_and_sign(void **state) {
  nuem_table t;
  assert_int_equal(parse("1 2\n3 -4\n2 5\n", &t), NUEM_OK);
  assert_int_equal(nuem_table_check_column(ctx, &t, 0, 1, 0), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "increase"));
  assert_int_equal(nuem_table_check_column(ctx, &t, 1, 0, 1), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "negative"));
  nuem_table_free(&t);
}

static void missing_file_is_named(void **state) {
  nuem_table t;
  assert_int_equal(nuem_table_read(ctx, "/nonexistent/flux.dat", &t), NUEM_EFILE);
  assert_non_null(strstr(nuem_context_error(ctx), "/nonexistent/flux.dat"));
}

static void compiled_data_parse(void **state) {
  /* Every compiled-in reactor table must parse as a table. */
  for (size_t i = 0; nuem_data_name(i); i++) {
    const char *name = nuem_data_name(i);
    if (strncmp(name, "reactor/", 8) != 0) continue;
    size_t len;
    const char *text = nuem_data_find(name, &len);
    nuem_table t;
    if (nuem_table_parse(ctx, text, len, name, &t)) fail_msg("%s", nuem_context_error(ctx));
    nuem_table_free(&t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_columns_units_and_directives),
      cmocka_unit_test(rejects_malformed_tables),
      cmocka_unit_test(checks_monotonic_and_sign),
      cmocka_unit_test(missing_file_is_named),
      cmocka_unit_test(compiled_data_parse),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

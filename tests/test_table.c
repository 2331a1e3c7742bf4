/* Tables: directives, units, and every malformed input rejected. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A file of `len` bytes: `head`, then zeros (a sparse file for large sizes). */
static const char *scratch_file(const char *name, const char *head, long len) {
  static char path[256];
  snprintf(path, sizeof path, "/tmp/nuem_test_%ld_%s", (long)getpid(), name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(head, f);
  if (len > (long)strlen(head)) assert_int_equal(ftruncate(fileno(f), len), 0);
  assert_int_equal(fclose(f), 0);
  return path;
}

static void binary_and_huge_files_are_refused(void **state) {
  char *text;
  size_t len;
  /* the NUL byte on line 3 stops the reading, with the line */
  const char *path = scratch_file("nul.dat", "# units: MeV 1\n1 2\n3 ", 100);
  assert_int_equal(nuem_file_read(ctx, path, &text, &len), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), ":3: contains a NUL byte"));
  remove(path);
  /* /dev/zero is stopped at once instead of filling the memory */
  assert_int_equal(nuem_file_read(ctx, "/dev/zero", &text, &len), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "/dev/zero:1"));
  /* one byte above the cap (sparse: no disk space used) */
  path = scratch_file("big.dat", "1 2\n", (long)NUEM_FILE_MAX_BYTES + 1);
  assert_int_equal(nuem_file_read(ctx, path, &text, &len), NUEM_EFILE);
  assert_non_null(strstr(nuem_context_error(ctx), "64 MiB"));
  remove(path);
  /* a directory keeps the system's reason */
  assert_int_equal(nuem_file_read(ctx, "/tmp", &text, &len), NUEM_EFILE);
  assert_non_null(strstr(nuem_context_error(ctx), "Is a directory"));
  /* a text file just below the cap is read whole */
  path = scratch_file("ok.dat", "1 2\n", 4);
  assert_int_equal(nuem_file_read(ctx, path, &text, &len), NUEM_OK);
  assert_int_equal(len, 4);
  free(text);
  remove(path);
}

static void values_in_messages_use_the_files_units(void **state) {
  nuem_table t;
  assert_int_equal(parse("# units: keV /cm2/s/keV\n1000 1\n3000 -5\n2000 1\n", &t), NUEM_OK);
  assert_int_equal(nuem_table_check_column(ctx, &t, 1, 0, 1), NUEM_ERANGE);
  assert_non_null(strstr(nuem_context_error(ctx), "-5 /cm2/s/keV is negative"));
  assert_int_equal(nuem_table_check_column(ctx, &t, 0, 1, 1), NUEM_EPARSE);
  assert_non_null(strstr(nuem_context_error(ctx), "data row 3 (2000 keV)"));
  nuem_table_free(&t);
}

static void compiled_data_parse(void **state) {
  /* Every compiled-in reactor and solar table must parse as a table. */
  for (size_t i = 0; nuem_data_name(i); i++) {
    const char *name = nuem_data_name(i);
    if (strncmp(name, "reactor/", 8) != 0 && strncmp(name, "solar/", 6) != 0) continue;
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
      cmocka_unit_test(binary_and_huge_files_are_refused),
      cmocka_unit_test(values_in_messages_use_the_files_units),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* Units: parse "2.9 GW", "6.4e12/cm2/s", "kg*day" into internal units
 * (MeV, cm, s, kg; mu_B and e as their own bases) with a dimension check. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"

#define MEV_PER_J (1.0e-6 / NUEM_EV_J)
/* Powers in unit text (cm2, s^-1) and of a combined dimension: guards that
 * keep exponents small enough for the signed char dimension vector. */
enum { MAX_UNIT_POWER = 9, MAX_DIM_POWER = 100 };

/* {name, factor to internal, powers of energy, length, time, mass, muB, e} */
static const struct {
  const char *name;
  double factor;
  signed char power[NUEM_DIM_COUNT];
} unit_table[] = {
    {"eV", 1e-6, {1, 0, 0, 0, 0, 0}},
    {"keV", 1e-3, {1, 0, 0, 0, 0, 0}},
    {"MeV", 1.0, {1, 0, 0, 0, 0, 0}},
    {"GeV", 1e3, {1, 0, 0, 0, 0, 0}},
    {"J", MEV_PER_J, {1, 0, 0, 0, 0, 0}},
    {"fm", 1e-13, {0, 1, 0, 0, 0, 0}},
    {"nm", 1e-7, {0, 1, 0, 0, 0, 0}},
    {"um", 1e-4, {0, 1, 0, 0, 0, 0}},
    {"mm", 0.1, {0, 1, 0, 0, 0, 0}},
    {"cm", 1.0, {0, 1, 0, 0, 0, 0}},
    {"m", 100.0, {0, 1, 0, 0, 0, 0}},
    {"km", 1e5, {0, 1, 0, 0, 0, 0}},
    {"b", 1e-24, {0, 2, 0, 0, 0, 0}},
    {"s", 1.0, {0, 0, 1, 0, 0, 0}},
    {"min", 60.0, {0, 0, 1, 0, 0, 0}},
    {"h", 3600.0, {0, 0, 1, 0, 0, 0}},
    {"day", 86400.0, {0, 0, 1, 0, 0, 0}},
    {"yr", 365.25 * 86400.0, {0, 0, 1, 0, 0, 0}}, /* Julian year */
    /* activity: decays per second; 1 Ci = 3.7e10 Bq exactly (BIPM SI
     * brochure, 8th edition, Table 10) */
    {"Bq", 1.0, {0, 0, -1, 0, 0, 0}},
    {"kBq", 1e3, {0, 0, -1, 0, 0, 0}},
    {"MBq", 1e6, {0, 0, -1, 0, 0, 0}},
    {"GBq", 1e9, {0, 0, -1, 0, 0, 0}},
    {"TBq", 1e12, {0, 0, -1, 0, 0, 0}},
    {"PBq", 1e15, {0, 0, -1, 0, 0, 0}},
    {"mCi", 3.7e7, {0, 0, -1, 0, 0, 0}},
    {"Ci", 3.7e10, {0, 0, -1, 0, 0, 0}},
    {"kCi", 3.7e13, {0, 0, -1, 0, 0, 0}},
    {"MCi", 3.7e16, {0, 0, -1, 0, 0, 0}},
    {"g", 1e-3, {0, 0, 0, 1, 0, 0}},
    {"kg", 1.0, {0, 0, 0, 1, 0, 0}},
    {"t", 1e3, {0, 0, 0, 1, 0, 0}},
    {"W", MEV_PER_J, {1, 0, -1, 0, 0, 0}},
    {"kW", 1e3 * MEV_PER_J, {1, 0, -1, 0, 0, 0}},
    {"MW", 1e6 * MEV_PER_J, {1, 0, -1, 0, 0, 0}},
    {"GW", 1e9 * MEV_PER_J, {1, 0, -1, 0, 0, 0}},
    {"muB", 1.0, {0, 0, 0, 0, 1, 0}},
    {"e", 1.0, {0, 0, 0, 0, 0, 1}},
};

static const char *const dim_names[NUEM_DIM_COUNT] = {
    "energy", "length", "time", "mass", "magnetic-moment", "charge"};

int nuem_dim_equal(nuem_dim a, nuem_dim b) {
  return memcmp(a.power, b.power, sizeof a.power) == 0;
}

void nuem_dim_describe(nuem_dim d, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; i < NUEM_DIM_COUNT && used < size; i++) {
    if (!d.power[i]) continue;
    int n = d.power[i] == 1
                ? snprintf(buf + used, size - used, "%s%s", used ? " " : "",
                           dim_names[i])
                : snprintf(buf + used, size - used, "%s%s^%d", used ? " " : "",
                           dim_names[i], d.power[i]);
    if (n < 0) break;
    used += (size_t)n;
  }
  if (!used) snprintf(buf, size, "dimensionless");
}

static int find_unit(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof unit_table / sizeof unit_table[0]; i++)
    if (strlen(unit_table[i].name) == len &&
        strncmp(unit_table[i].name, name, len) == 0)
      return (int)i;
  return -1;
}

static nuem_status bad_unit(nuem_context *ctx, const char *text,
                            const char *what, const char *why) {
  return nuem_error(ctx, NUEM_EUNIT,
                    "%s: cannot read unit '%s': %s (known units: eV keV MeV "
                    "GeV J fm nm um mm cm m km b s min h day yr g kg t W kW "
                    "MW GW muB e, combined with * / and powers like cm2 or "
                    "cm^-2; '1' for none)",
                    what, text, why);
}

nuem_status nuem_unit_parse(nuem_context *ctx, const char *text,
                            const char *what, nuem_unit *out) {
  nuem_unit u = {1.0, {{0}}};
  const char *p = text;
  while (isspace((unsigned char)*p)) p++;
  if (strcmp(p, "1") == 0) { *out = u; return NUEM_OK; }
  if (!*p) return bad_unit(ctx, text, what, "no unit given");
  int sign = 1, first = 1, spaced = 0;
  while (*p) {
    if (*p == '/' || *p == '*' || *p == '.' || *p == ' ') {
      sign = *p == '/' ? -1 : 1;
      p++;
      while (*p == ' ') p++;
    } else if (!first && !spaced) {
      return bad_unit(ctx, text, what, "expected '*' or '/' between units");
    }
    const char *name = p;
    while (isalpha((unsigned char)*p)) p++;
    size_t len = (size_t)(p - name);
    if (!len) return bad_unit(ctx, text, what, "expected a unit name");
    int idx = find_unit(name, len);
    if (idx < 0) {
      char buf[64];
      snprintf(buf, sizeof buf, "unknown unit '%.*s'", (int)(len < 40 ? len : 40),
               name);
      return bad_unit(ctx, text, what, buf);
    }
    long power = 1;
    if (*p == '^' || *p == '-' || isdigit((unsigned char)*p)) {
      if (*p == '^') p++;
      char *end;
      errno = 0;
      power = strtol(p, &end, 10);
      if (end == p || errno || power == 0 || power > MAX_UNIT_POWER || power < -MAX_UNIT_POWER)
        return bad_unit(ctx, text, what, "a power must be a whole number from -9 to 9");
      p = end;
    }
    power *= sign;
    u.factor *= pow(unit_table[idx].factor, (double)power);
    for (int i = 0; i < NUEM_DIM_COUNT; i++) {
      long v = u.dim.power[i] + unit_table[idx].power[i] * power;
      if (v > MAX_DIM_POWER || v < -MAX_DIM_POWER)
        return bad_unit(ctx, text, what, "powers too large");
      u.dim.power[i] = (signed char)v;
    }
    sign = 1;
    first = 0;
    spaced = *p == ' ';
    while (*p == ' ') p++;
  }
  *out = u;
  return NUEM_OK;
}

nuem_status nuem_quantity_parse(nuem_context *ctx, const char *text,
                                const char *expected_unit, const char *what,
                                double *value) {
  nuem_unit want;
  NUEM_TRY(nuem_unit_parse(ctx, expected_unit, "expected unit", &want));
  const char *p = text;
  while (isspace((unsigned char)*p)) p++;
  char *end;
  errno = 0;
  double x = strtod(p, &end);
  /* decimal numbers only: strtod also reads hexadecimal ones (0x1p3 = 8) */
  size_t digits = (size_t)(end - p);
  if (end == p || !isfinite(x) || errno == ERANGE || memchr(p, 'x', digits) ||
      memchr(p, 'X', digits))
    return nuem_error(ctx, NUEM_ECONFIG,
                      "%s: '%s' is not a finite number with a unit (write e.g. "
                      "'1.5 %s')",
                      what, text, expected_unit);
  while (isspace((unsigned char)*end)) end++;
  /* trailing white space is not part of the unit */
  size_t len = strlen(end);
  while (len && isspace((unsigned char)end[len - 1])) len--;
  int dimensionless = nuem_dim_equal(want.dim, (nuem_dim){{0}});
  nuem_unit got = {1.0, {{0}}};
  if (len == 0) {
    if (!dimensionless)
      return nuem_error(ctx, NUEM_EUNIT,
                        "%s: '%s' has no unit; write it with one, e.g. '%s %s'",
                        what, text, p[0] ? p : "1", expected_unit);
  } else {
    char *unit_text = nuem_strndup(end, len);
    if (!unit_text) return NUEM_ENOMEM;
    nuem_status s = nuem_unit_parse(ctx, unit_text, what, &got);
    free(unit_text);
    if (s) return s;
  }
  if (!nuem_dim_equal(got.dim, want.dim)) {
    char gd[128], wd[128];
    nuem_dim_describe(got.dim, gd, sizeof gd);
    nuem_dim_describe(want.dim, wd, sizeof wd);
    return nuem_error(ctx, NUEM_EUNIT,
                      "%s: '%s' has dimension %s but %s is expected (e.g. %s)",
                      what, text, gd, wd, expected_unit);
  }
  double v = x * got.factor;
  if (!isfinite(v))
    return nuem_error(ctx, NUEM_ERANGE, "%s: '%s' overflows", what, text);
  *value = v;
  return NUEM_OK;
}

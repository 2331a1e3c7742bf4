/* Configuration: parse, check and hold every key of NUEM_PARAM_LIST. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/config.h"

/* Fission fractions are quoted to 2-3 digits, so their sum may miss 1 by
 * rounding; integer keys (toys, grid points) are capped as a typo guard. */
#define FRACTION_SUM_TOL 1e-3
#define MAX_INTEGER_VALUE 10000000L

static const nuem_param_info param_table[NUEM_P_COUNT] = {
#define NUEM_X_INFO(id, sec, key, kind, def, spec, range, doc) \
  {sec, key, NUEM_KIND_##kind, def, spec, NUEM_RANGE_##range, doc},
    NUEM_PARAM_LIST(NUEM_X_INFO)
#undef NUEM_X_INFO
};

typedef struct {
  double number;
  long integer;
  int choice;
  int is_set;
  char *text;
  nuem_fractions fractions;
  int per_flavour;                 /* FLAVOURED given as a list */
  double flavour[NUEM_NLEPTONS];   /* FLAVOURED values per lepton flavour */
  char *origin; /* where the value was given; NULL for the default */
} param_value;

struct nuem_config {
  param_value values[NUEM_P_COUNT];
  /* Reading marks a key used; the config is otherwise const for readers.
   * Copies share the flags of their original (which owns them), so keys read
   * only through a copy still count as used. */
  unsigned char *used;
  int owns_used;
};

const nuem_param_info *nuem_param_info_get(nuem_param id) {
  return (unsigned)id < NUEM_P_COUNT ? &param_table[id] : NULL;
}

nuem_param nuem_param_find(const char *section, const char *key) {
  for (int i = 0; i < NUEM_P_COUNT; i++)
    if (strcmp(param_table[i].section, section) == 0 &&
        strcmp(param_table[i].key, key) == 0)
      return (nuem_param)i;
  return NUEM_P_COUNT;
}

size_t nuem_toys_min(double cl) {
  return (size_t)ceil(10.0 / (1.0 - cl) - 1e-9);
}

static int section_known(const char *section) {
  for (int i = 0; i < NUEM_P_COUNT; i++)
    if (strcmp(param_table[i].section, section) == 0) return 1;
  return 0;
}

/* Index of `word` among the '|'-separated words of `spec`, or -1. */
static int word_index(const char *spec, const char *word, size_t len) {
  int idx = 0;
  const char *p = spec;
  while (*p) {
    const char *bar = strchr(p, '|');
    size_t n = bar ? (size_t)(bar - p) : strlen(p);
    if (n == len && strncmp(p, word, len) == 0) return idx;
    idx++;
    if (!bar) break;
    p = bar + 1;
  }
  return -1;
}

static const char *word_at(const char *spec, int idx, size_t *len) {
  const char *p = spec;
  for (int i = 0; i < idx; i++) p = strchr(p, '|') + 1;
  const char *bar = strchr(p, '|');
  *len = bar ? (size_t)(bar - p) : strlen(p);
  return p;
}

static nuem_status check_range(nuem_context *ctx, const nuem_param_info *info,
                               double x, const char *what, const char *text) {
  int ok = 1;
  const char *need = "";
  switch (info->range) {
  case NUEM_RANGE_ANY: break;
  case NUEM_RANGE_POSITIVE: ok = x > 0; need = "positive"; break;
  case NUEM_RANGE_NONNEG: ok = x >= 0; need = "zero or positive"; break;
  case NUEM_RANGE_OPEN_UNIT: ok = x > 0 && x < 1; need = "between 0 and 1"; break;
  case NUEM_RANGE_UNIT: ok = x >= 0 && x <= 1; need = "from 0 to 1"; break;
  }
  if (!ok)
    return nuem_error(ctx, NUEM_ERANGE, "%s: '%s' must be %s", what, text, need);
  return NUEM_OK;
}

static nuem_status parse_fractions(nuem_context *ctx,
                                   const nuem_param_info *info,
                                   const char *text, const char *what,
                                   nuem_fractions *out) {
  nuem_fractions f = {0};
  size_t nnames = 1;
  for (const char *p = info->spec; *p; p++) nnames += *p == '|';
  f.n = nnames;
  int seen[NUEM_FRACTIONS_MAX] = {0};
  const char *p = text;
  double sum = 0;
  while (*p) {
    while (isspace((unsigned char)*p) || *p == ',') p++;
    if (!*p) break;
    const char *name = p;
    while (*p && *p != ':' && !isspace((unsigned char)*p)) p++;
    if (*p != ':')
      return nuem_error(ctx, NUEM_ECONFIG,
                        "%s: expected NAME:fraction pairs such as 'U235:0.55', "
                        "got '%s'", what, text);
    int idx = word_index(info->spec, name, (size_t)(p - name));
    if (idx < 0)
      return nuem_error(ctx, NUEM_ECONFIG, "%s: unknown isotope '%.*s' (known: %s)",
                        what, (int)(p - name), name, info->spec);
    if (seen[idx]++)
      return nuem_error(ctx, NUEM_ECONFIG, "%s: '%.*s' is given twice", what,
                        (int)(p - name), name);
    p++;
    char *end;
    errno = 0;
    double x = strtod(p, &end);
    if (end == p || !isfinite(x) || (*end && !isspace((unsigned char)*end) && *end != ','))
      return nuem_error(ctx, NUEM_ECONFIG, "%s: '%.*s' is not a number",
                        what, (int)strcspn(p, " ,\t"), p);
    if (x < 0 || x > 1)
      return nuem_error(ctx, NUEM_ERANGE,
                        "%s: the fraction of %.*s must lie in [0, 1], got %g",
                        what, (int)(p - 1 - name), name, x);
    f.values[idx] = x;
    sum += x;
    p = end;
  }
  NUEM_TRY(nuem_fractions_check_sum(ctx, what, sum));
  *out = f;
  return NUEM_OK;
}

nuem_status nuem_fractions_check_sum(nuem_context *ctx, const char *what, double sum) {
  if (fabs(sum - 1.0) > FRACTION_SUM_TOL)
    return nuem_error(ctx, NUEM_ERANGE,
                      "%s: the fractions sum to %.6g, not 1 (within 1e-3); "
                      "fix them so they add up", what, sum);
  return NUEM_OK;
}

nuem_status nuem_config_parse_fractions(nuem_context *ctx, nuem_param id, const char *text,
                                        const char *what, nuem_fractions *out) {
  const nuem_param_info *info = nuem_param_info_get(id);
  if (!info || info->kind != NUEM_KIND_FRACTIONS)
    return nuem_error(ctx, NUEM_EINTERNAL, "internal error: %s is not a fractions key", what);
  return parse_fractions(ctx, info, text, what, out);
}

/* The text without surrounding white space, as pointer and length. */
static const char *trimmed(const char *text, size_t *len) {
  while (isspace((unsigned char)*text)) text++;
  size_t n = strlen(text);
  while (n && isspace((unsigned char)text[n - 1])) n--;
  *len = n;
  return text;
}

/* The first n characters of text without surrounding white space. */
static const char *trimmed_n(const char *text, size_t n, size_t *len) {
  while (n && isspace((unsigned char)*text)) text++, n--;
  while (n && isspace((unsigned char)text[n - 1])) n--;
  *len = n;
  return text;
}

/* Names of the lepton flavours in FLAVOURED lists (index = NUEM_LEPTON). */
static const char *const lepton_names[NUEM_NLEPTONS] = {"nue", "numu", "nutau"};

static int lepton_index(const char *name, size_t len) {
  for (int i = 0; i < NUEM_NLEPTONS; i++)
    if (strlen(lepton_names[i]) == len && strncmp(lepton_names[i], name, len) == 0) return i;
  return -1;
}

/* One "name:quantity" item of a FLAVOURED list into v->flavour. */
static nuem_status parse_flavour_item(nuem_context *ctx, const nuem_param_info *info,
                                      const char *item, size_t len, const char *what,
                                      int seen[NUEM_NLEPTONS], param_value *v) {
  const char *colon = memchr(item, ':', len);
  size_t nlen;
  const char *name = colon ? trimmed_n(item, (size_t)(colon - item), &nlen) : item;
  int i = colon ? lepton_index(name, nlen) : -1;
  if (i < 0)
    return nuem_error(ctx, NUEM_ECONFIG, "%s: '%.*s' is not FLAVOUR:value with FLAVOUR "
                      "nue, numu or nutau (antineutrinos share their neutrino's value)",
                      what, (int)len, item);
  if (seen[i]++)
    return nuem_error(ctx, NUEM_ECONFIG, "%s: %s is given twice", what, lepton_names[i]);
  char *value = nuem_strndup(colon + 1, len - (size_t)(colon + 1 - item));
  if (!value) return NUEM_ENOMEM;
  double x;
  nuem_status s = nuem_quantity_parse(ctx, value, info->spec, what, &x);
  if (!s) s = check_range(ctx, info, x, what, value);
  free(value);
  v->flavour[i] = x;
  return s;
}

/* A FLAVOURED value: one quantity, or "nue:x, numu:y" (unlisted: 0). */
static nuem_status parse_flavoured(nuem_context *ctx, const nuem_param_info *info,
                                   const char *text, const char *what, param_value *v) {
  if (!strchr(text, ':')) {
    double x;
    NUEM_TRY(nuem_quantity_parse(ctx, text, info->spec, what, &x));
    NUEM_TRY(check_range(ctx, info, x, what, text));
    v->number = x;
    v->per_flavour = 0;
    for (int i = 0; i < NUEM_NLEPTONS; i++) v->flavour[i] = x;
    return NUEM_OK;
  }
  int seen[NUEM_NLEPTONS] = {0};
  param_value w = *v;
  for (int i = 0; i < NUEM_NLEPTONS; i++) w.flavour[i] = 0;
  for (const char *p = text; *p;) {
    size_t len = strcspn(p, ","), n;
    trimmed_n(p, len, &n);
    if (n) NUEM_TRY(parse_flavour_item(ctx, info, p, len, what, seen, &w));
    p += len + (p[len] == ',');
  }
  w.per_flavour = 1;
  w.number = 0;
  for (int i = 0; i < NUEM_NLEPTONS; i++)
    if (fabs(w.flavour[i]) > fabs(w.number)) w.number = w.flavour[i];
  *v = w;
  return NUEM_OK;
}

/* The largest value of a whole-number key: OpenMP cannot start more threads
 * than NUEM_THREADS_MAX, and a finer grid only costs time. */
static long integer_max(nuem_param id) {
  switch (id) {
  case NUEM_P_ANALYSIS_THREADS: return NUEM_THREADS_MAX;
  case NUEM_P_ANALYSIS_GRID: return NUEM_GRID_MAX;
  default: return MAX_INTEGER_VALUE;
  }
}

static nuem_status parse_value(nuem_context *ctx, nuem_param id,
                               const char *text, const char *what,
                               param_value *v) {
  const nuem_param_info *info = &param_table[id];
  switch (info->kind) {
  case NUEM_KIND_OPTNUMBER: {
    size_t len;
    const char *p = trimmed(text, &len);
    if (len == 4 && strncmp(p, "none", 4) == 0) {
      v->is_set = 0;
      return NUEM_OK;
    }
  }
    /* fall through */
  case NUEM_KIND_NUMBER: {
    double x;
    NUEM_TRY(nuem_quantity_parse(ctx, text, info->spec, what, &x));
    NUEM_TRY(check_range(ctx, info, x, what, text));
    v->number = x;
    v->is_set = 1;
    return NUEM_OK;
  }
  case NUEM_KIND_INTEGER: {
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (end == text || *end || errno)
      return nuem_error(ctx, NUEM_ECONFIG, "%s: '%s' is not a whole number",
                        what, text);
    NUEM_TRY(check_range(ctx, info, (double)n, what, text));
    long max = integer_max(id);
    if (n > max)
      return nuem_error(ctx, NUEM_ERANGE, "%s: '%s' is too large (at most %ld)",
                        what, text, max);
    v->integer = n;
    return NUEM_OK;
  }
  case NUEM_KIND_CHOICE: {
    size_t len;
    const char *p = trimmed(text, &len);
    int idx = word_index(info->spec, p, len);
    if (idx < 0)
      return nuem_error(ctx, NUEM_ECONFIG, "%s: unknown value '%s' (choose one of %s)",
                        what, text, info->spec);
    v->choice = idx;
    return NUEM_OK;
  }
  case NUEM_KIND_TEXT: {
    size_t len;
    const char *p = trimmed(text, &len);
    char *copy = nuem_strndup(p, len);
    if (!copy) return NUEM_ENOMEM;
    free(v->text);
    v->text = copy;
    return NUEM_OK;
  }
  case NUEM_KIND_FRACTIONS:
    return parse_fractions(ctx, info, text, what, &v->fractions);
  case NUEM_KIND_FLAVOURED:
    return parse_flavoured(ctx, info, text, what, v);
  }
  return nuem_error(ctx, NUEM_EINTERNAL, "%s: unknown parameter kind", what);
}

nuem_status nuem_config_new(nuem_context *ctx, nuem_config **out) {
  nuem_config *cfg = calloc(1, sizeof *cfg);
  if (!cfg || !(cfg->used = calloc(NUEM_P_COUNT, 1))) {
    free(cfg);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory creating a config");
  }
  cfg->owns_used = 1;
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    char what[128];
    snprintf(what, sizeof what, "default of %s.%s", param_table[i].section,
             param_table[i].key);
    nuem_status s = parse_value(ctx, (nuem_param)i, param_table[i].default_value,
                                what, &cfg->values[i]);
    if (s) {
      nuem_config_free(cfg);
      return s;
    }
  }
  *out = cfg;
  return NUEM_OK;
}

void nuem_config_free(nuem_config *cfg) {
  if (!cfg) return;
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    free(cfg->values[i].text);
    free(cfg->values[i].origin);
  }
  if (cfg->owns_used) free(cfg->used);
  free(cfg);
}

nuem_status nuem_config_copy(nuem_context *ctx, const nuem_config *cfg, nuem_config **out) {
  nuem_config *c = calloc(1, sizeof *c);
  if (!c) return nuem_error(ctx, NUEM_ENOMEM, "out of memory copying a config");
  *c = *cfg;
  c->owns_used = 0;
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    c->values[i].text = NULL;
    c->values[i].origin = NULL;
  }
  for (int i = 0; i < NUEM_P_COUNT; i++) {
    const param_value *v = &cfg->values[i];
    if ((v->text && !(c->values[i].text = nuem_strdup(v->text))) ||
        (v->origin && !(c->values[i].origin = nuem_strdup(v->origin)))) {
      nuem_config_free(c);
      return nuem_error(ctx, NUEM_ENOMEM, "out of memory copying a config");
    }
  }
  *out = c;
  return NUEM_OK;
}

nuem_status nuem_config_set(nuem_context *ctx, nuem_config *cfg,
                            const char *section, const char *key,
                            const char *value, const char *origin) {
  nuem_param id = nuem_param_find(section, key);
  if (id == NUEM_P_COUNT) {
    if (!*section)
      return nuem_error(ctx, NUEM_ECONFIG, "%s: '%s' comes before any [section]; put it "
                        "under its section (run `nuem config` for the list of keys)",
                        origin, key);
    if (!section_known(section))
      return nuem_error(ctx, NUEM_ECONFIG,
                        "%s: unknown section [%s] (run `nuem config` for the "
                        "list of keys)", origin, section);
    return nuem_error(ctx, NUEM_ECONFIG,
                      "%s: unknown key '%s' in section [%s] (run `nuem config` "
                      "for the list of keys)", origin, key, section);
  }
  char what[512];
  snprintf(what, sizeof what, "%s: %s.%s", origin, section, key);
  param_value v = cfg->values[id];
  v.text = NULL;
  NUEM_TRY(parse_value(ctx, id, value, what, &v));
  if (param_table[id].kind == NUEM_KIND_TEXT) {
    free(cfg->values[id].text);
  } else {
    v.text = cfg->values[id].text;
  }
  char *o = nuem_strdup(origin);
  if (!o) return NUEM_ENOMEM;
  free(cfg->values[id].origin);
  v.origin = o;
  cfg->values[id] = v;
  return NUEM_OK;
}

nuem_status nuem_config_set_assignment(nuem_context *ctx, nuem_config *cfg,
                                       const char *assignment) {
  const char *eq = strchr(assignment, '=');
  const char *dot = strchr(assignment, '.');
  if (!eq || !dot || dot > eq || dot == assignment || dot + 1 == eq)
    return nuem_error(ctx, NUEM_EUSAGE,
                      "--set '%s': write SECTION.KEY=VALUE, e.g. "
                      "--set source.power=3.0GW", assignment);
  char *section = nuem_strndup(assignment, (size_t)(dot - assignment));
  char *key = nuem_strndup(dot + 1, (size_t)(eq - dot - 1));
  nuem_status s = NUEM_ENOMEM;
  if (section && key) s = nuem_config_set(ctx, cfg, section, key, eq + 1, "--set");
  free(section);
  free(key);
  return s;
}

typedef struct {
  nuem_context *ctx;
  nuem_config *cfg;
  const char *origin;
  nuem_status status;
  unsigned char seen[NUEM_P_COUNT];
  size_t nkeys;
} ini_state;

static int config_ini_handler(void *user, const char *section, const char *name,
                       const char *value) {
  ini_state *st = user;
  if (st->status != NUEM_OK) return 0;
  nuem_param id = nuem_param_find(section, name);
  if (id != NUEM_P_COUNT && st->seen[id]++) {
    st->status = nuem_error(st->ctx, NUEM_ECONFIG,
                            "%s.%s is given twice; keep one", section, name);
    return 0;
  }
  st->status = nuem_config_set(st->ctx, st->cfg, section, name, value, st->origin);
  st->nkeys++;
  return st->status == NUEM_OK;
}

/* inih reads a line into a buffer of INI_MAX_LINE bytes and parses the rest
 * of a longer line as a line of its own: the end of a long comment could set
 * a key. So longer lines are refused, with their real line number. */
_Static_assert(NUEM_CONFIG_MAX_LINE + 2 <= INI_MAX_LINE,
               "inih's line buffer must hold the longest line plus newline and NUL");

static nuem_status check_line_lengths(nuem_context *ctx, const char *text,
                                      const char *origin) {
  size_t line = 1;
  for (const char *p = text; *p; line++) {
    size_t len = strcspn(p, "\n");
    if (len > NUEM_CONFIG_MAX_LINE)
      return nuem_error(ctx, NUEM_EPARSE, "%s:%zu: the line has %zu characters; a "
                        "config line may have at most %d: split or shorten it", origin,
                        line, len, NUEM_CONFIG_MAX_LINE);
    p += len + (p[len] == '\n');
  }
  return NUEM_OK;
}

nuem_status nuem_config_load_string(nuem_context *ctx, nuem_config *cfg,
                                    const char *text, const char *origin) {
  NUEM_TRY(check_line_lengths(ctx, text, origin));
  ini_state st = {ctx, cfg, origin, NUEM_OK, {0}, 0};
  int line = ini_parse_string(text, config_ini_handler, &st);
  if (line == 0) {
    if (st.nkeys == 0)
      return nuem_warning(ctx, "%s sets no key (nuem runs on the defaults); is it the "
                          "right file?", origin);
    return NUEM_OK;
  }
  if (st.status != NUEM_OK) {
    /* Prefix the line the handler's message is about. */
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", nuem_context_error(ctx));
    const char *rest = msg;
    size_t olen = strlen(origin);
    if (strncmp(rest, origin, olen) == 0 && rest[olen] == ':') rest += olen + 1;
    while (*rest == ' ') rest++;
    return nuem_error(ctx, st.status, "%s:%d: %s", origin, line, rest);
  }
  if (line < 0)
    return nuem_error(ctx, NUEM_ENOMEM, "%s: out of memory while reading", origin);
  return nuem_error(ctx, NUEM_EPARSE,
                    "%s:%d: not a '[section]' or 'key = value' line", origin, line);
}

nuem_status nuem_config_load_file(nuem_context *ctx, nuem_config *cfg,
                                  const char *path) {
  char *text;
  size_t len;
  NUEM_TRY(nuem_file_read(ctx, path, &text, &len));
  (void)len; /* nuem_file_read refuses NUL bytes: text ends at len */
  nuem_status s = nuem_config_load_string(ctx, cfg, text, path);
  free(text);
  return s;
}

static void mark_used(const nuem_config *cfg, nuem_param id) {
  cfg->used[id] = 1;
}

double nuem_config_number(const nuem_config *cfg, nuem_param id) {
  mark_used(cfg, id);
  return cfg->values[id].number;
}

int nuem_config_is_set(const nuem_config *cfg, nuem_param id) {
  mark_used(cfg, id);
  return cfg->values[id].is_set;
}

long nuem_config_integer(const nuem_config *cfg, nuem_param id) {
  mark_used(cfg, id);
  return cfg->values[id].integer;
}

int nuem_config_choice(const nuem_config *cfg, nuem_param id) {
  mark_used(cfg, id);
  return cfg->values[id].choice;
}

const char *nuem_config_choice_name(const nuem_config *cfg, nuem_param id) {
  static _Thread_local char buf[64];
  size_t len;
  const char *w = word_at(param_table[id].spec, nuem_config_choice(cfg, id), &len);
  snprintf(buf, sizeof buf, "%.*s", (int)len, w);
  return buf;
}

int nuem_param_has_choice(nuem_param id, const char *name) {
  const nuem_param_info *info = nuem_param_info_get(id);
  return info && info->kind == NUEM_KIND_CHOICE &&
         word_index(info->spec, name, strlen(name)) >= 0;
}

int nuem_config_choice_is(const nuem_config *cfg, nuem_param id, const char *name) {
  if (!nuem_param_has_choice(id, name)) return 0;
  return nuem_config_choice(cfg, id) ==
         word_index(param_table[id].spec, name, strlen(name));
}

/* Number of '|'-separated words in a spec. */
static size_t word_count(const char *spec) {
  size_t n = 1;
  for (const char *p = spec; *p; p++) n += *p == '|';
  return n;
}

/* The map names each choice of the key once: n equals the number of choices,
 * every name is a choice, and no name repeats. */
static nuem_status check_choice_map(nuem_context *ctx, nuem_param id,
                                    const nuem_choice *map, size_t n) {
  const nuem_param_info *info = nuem_param_info_get(id);
  if (!info || info->kind != NUEM_KIND_CHOICE)
    return nuem_error(ctx, NUEM_EINTERNAL, "internal error: parameter %d is not a "
                      "choice key", (int)id);
  for (size_t i = 0; i < n; i++) {
    if (!map[i].name || !nuem_param_has_choice(id, map[i].name))
      return nuem_error(ctx, NUEM_EINTERNAL, "internal error: '%s' is not a choice of "
                        "%s.%s (%s)", map[i].name ? map[i].name : "(null)", info->section,
                        info->key, info->spec);
    for (size_t j = 0; j < i; j++)
      if (strcmp(map[i].name, map[j].name) == 0)
        return nuem_error(ctx, NUEM_EINTERNAL, "internal error: '%s' is mapped twice for "
                          "%s.%s", map[i].name, info->section, info->key);
  }
  if (n != word_count(info->spec))
    return nuem_error(ctx, NUEM_EINTERNAL, "internal error: a map of %s.%s names %zu of "
                      "its choices (%s)", info->section, info->key, n, info->spec);
  return NUEM_OK;
}

nuem_status nuem_config_choice_map(nuem_context *ctx, const nuem_config *cfg, nuem_param id,
                                   const nuem_choice *map, size_t n, int *value) {
  NUEM_TRY(check_choice_map(ctx, id, map, n));
  for (size_t i = 0; i < n; i++)
    if (nuem_config_choice_is(cfg, id, map[i].name)) {
      *value = map[i].value;
      return NUEM_OK;
    }
  return nuem_error(ctx, NUEM_EINTERNAL, "internal error: no value for %s.%s",
                    param_table[id].section, param_table[id].key);
}

const char *nuem_config_text(const nuem_config *cfg, nuem_param id) {
  mark_used(cfg, id);
  return cfg->values[id].text ? cfg->values[id].text : "";
}

const nuem_fractions *nuem_config_fractions(const nuem_config *cfg,
                                            nuem_param id) {
  mark_used(cfg, id);
  return &cfg->values[id].fractions;
}

double nuem_config_fraction(const nuem_config *cfg, nuem_param id, const char *name) {
  const nuem_param_info *info = nuem_param_info_get(id);
  if (!info || info->kind != NUEM_KIND_FRACTIONS) return NAN;
  int idx = word_index(info->spec, name, strlen(name));
  return idx < 0 ? NAN : nuem_config_fractions(cfg, id)->values[idx];
}

int nuem_config_given(const nuem_config *cfg, nuem_param id) {
  return cfg->values[id].origin != NULL;
}

/* A number in the key's display unit, e.g. "2.9 GW". */
static void format_quantity(const nuem_param_info *info, double x, char *buf, size_t size) {
  nuem_unit u = {1.0, {{0}}};
  nuem_context *scratch = NULL;
  if (nuem_context_new(&scratch) == NUEM_OK) {
    nuem_unit_parse(scratch, info->spec, "display unit", &u);
    nuem_context_free(scratch);
  }
  if (strcmp(info->spec, "1") == 0)
    snprintf(buf, size, "%.10g", x);
  else
    snprintf(buf, size, "%.10g %s", x / u.factor, info->spec);
}

/* A per-flavour list as it is written: "nue:1e-11 muB, numu:0 muB, ...". */
static void format_flavoured(const nuem_param_info *info, const param_value *v, char *buf,
                             size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; i < NUEM_NLEPTONS && used < size; i++) {
    char q[64];
    format_quantity(info, v->flavour[i], q, sizeof q);
    int n = snprintf(buf + used, size - used, "%s%s:%s", i ? ", " : "", lepton_names[i], q);
    if (n < 0) break;
    used += (size_t)n;
  }
}

int nuem_config_per_flavour(const nuem_config *cfg, nuem_param id,
                            double values[NUEM_NLEPTONS]) {
  mark_used(cfg, id);
  const param_value *v = &cfg->values[id];
  for (int i = 0; i < NUEM_NLEPTONS; i++) values[i] = v->per_flavour ? v->flavour[i] : v->number;
  return v->per_flavour;
}

void nuem_config_format(const nuem_config *cfg, nuem_param id, char *buf,
                        size_t size) {
  const nuem_param_info *info = &param_table[id];
  const param_value *v = &cfg->values[id];
  switch (info->kind) {
  case NUEM_KIND_OPTNUMBER:
    if (!v->is_set) { snprintf(buf, size, "none"); return; }
    /* fall through */
  case NUEM_KIND_FLAVOURED:
    if (v->per_flavour) {
      format_flavoured(info, v, buf, size);
      return;
    }
    /* fall through */
  case NUEM_KIND_NUMBER: format_quantity(info, v->number, buf, size); return;
  case NUEM_KIND_INTEGER: snprintf(buf, size, "%ld", v->integer); return;
  case NUEM_KIND_CHOICE: {
    size_t len;
    const char *w = word_at(info->spec, v->choice, &len);
    snprintf(buf, size, "%.*s", (int)len, w);
    return;
  }
  case NUEM_KIND_TEXT: snprintf(buf, size, "%s", v->text ? v->text : ""); return;
  case NUEM_KIND_FRACTIONS: {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->fractions.n && used < size; i++) {
      size_t len;
      const char *w = word_at(info->spec, (int)i, &len);
      int n = snprintf(buf + used, size - used, "%s%.*s:%.6g", i ? " " : "",
                       (int)len, w, v->fractions.values[i]);
      if (n < 0) break;
      used += (size_t)n;
    }
    return;
  }
  }
}

nuem_status nuem_config_report_unused(nuem_context *ctx,
                                      const nuem_config *cfg) {
  for (int i = 0; i < NUEM_P_COUNT; i++)
    if (cfg->values[i].origin && !cfg->used[i])
      NUEM_TRY(nuem_warning(ctx, "%s.%s was given (%s) but is not used by this "
                            "run", param_table[i].section, param_table[i].key,
                            cfg->values[i].origin));
  return NUEM_OK;
}

nuem_status nuem_config_set_number(nuem_context *ctx, nuem_config *cfg, nuem_param id,
                                   double value, const char *origin) {
  const nuem_param_info *info = nuem_param_info_get(id);
  if (!info || (info->kind != NUEM_KIND_NUMBER && info->kind != NUEM_KIND_OPTNUMBER &&
                info->kind != NUEM_KIND_FLAVOURED))
    return nuem_error(ctx, NUEM_EINTERNAL, "%s: not a numeric key", origin);
  char what[256], text[64];
  snprintf(what, sizeof what, "%s: %s.%s", origin, info->section, info->key);
  snprintf(text, sizeof text, "%g (internal units)", value);
  if (!isfinite(value))
    return nuem_error(ctx, NUEM_ERANGE, "%s must be finite", what);
  NUEM_TRY(check_range(ctx, info, value, what, text));
  char *o = nuem_strdup(origin);
  if (!o) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  free(cfg->values[id].origin);
  cfg->values[id].origin = o;
  cfg->values[id].number = value;
  cfg->values[id].is_set = 1;
  /* a scan sets one value for every flavour */
  cfg->values[id].per_flavour = 0;
  for (int i = 0; i < NUEM_NLEPTONS; i++) cfg->values[id].flavour[i] = value;
  return NUEM_OK;
}

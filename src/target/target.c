/* Targets from the compiled-in records of data/targets/ (format: data/README.md). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/target.h"

enum { MAX_FIELDS = 12 };
/* Larger than any known nuclide's mass number: rejects typos like "Ge7400". */
enum { MAX_MASS_NUMBER = 300 };
#define MEV_PER_EV 1e-6
#define GRAMS_PER_KG 1e3

/* Split a line into at most MAX_FIELDS words in place. */
static size_t split_line(char *line, char *fields[MAX_FIELDS]) {
  size_t n = 0;
  char *save = NULL;
  for (char *w = strtok_r(line, " \t\r", &save); w && n < MAX_FIELDS;
       w = strtok_r(NULL, " \t\r", &save))
    fields[n++] = w;
  return n;
}

static int parse_double(const char *s, double *x) {
  char *end;
  errno = 0;
  *x = strtod(s, &end);
  return end != s && !*end && isfinite(*x) && errno != ERANGE;
}

/* Iterate over the records of a compiled-in file: calls `fn` per data line. */
typedef nuem_status (*record_fn)(nuem_context *ctx, void *user, char **f,
                                 size_t n, const char *file, size_t lineno);

static nuem_status for_each_record(nuem_context *ctx, const char *file,
                                   record_fn fn, void *user) {
  size_t len;
  const char *text = nuem_data_find(file, &len);
  if (!text) return NUEM_EFILE;
  char *copy = nuem_strndup(text, len);
  if (!copy) return NUEM_ENOMEM;
  nuem_status s = NUEM_OK;
  size_t lineno = 0;
  char *save = NULL;
  for (char *line = strtok_r(copy, "\n", &save); line && !s;
       line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    char *p = line;
    while (isspace((unsigned char)*p)) p++;
    if (!*p || *p == '#') continue;
    char *fields[MAX_FIELDS] = {0};
    size_t n = split_line(p, fields);
    if (n) s = fn(ctx, user, fields, n, file, lineno);
  }
  free(copy);
  return s;
}

static nuem_status bad_record(nuem_context *ctx, const char *file, size_t lineno,
                              const char *what) {
  return nuem_error(ctx, NUEM_EPARSE, "data/%s:%zu: %s", file, lineno, what);
}

static nuem_status element_record(nuem_context *ctx, void *user, char **f,
                                  size_t n, const char *file, size_t lineno) {
  nuem_element *el = user;
  double x, y;
  if (strcmp(f[0], "element") == 0) {
    if (n != 4 || !parse_double(f[2], &x))
      return bad_record(ctx, file, lineno, "expected 'element SYMBOL Z WEIGHT'");
    el->Z = (int)x;
    return NUEM_OK;
  }
  if (strcmp(f[0], "isotope") == 0) {
    double A;
    if (n != 4 || !parse_double(f[1], &A) || !parse_double(f[2], &x) ||
        !parse_double(f[3], &y) || x <= 0 || y < 0 || y > 1)
      return bad_record(ctx, file, lineno, "expected 'isotope A MASS_U ABUNDANCE'");
    nuem_isotope *g = realloc(el->isotopes, (el->nisotopes + 1) * sizeof *g);
    if (!g) return NUEM_ENOMEM;
    el->isotopes = g;
    g[el->nisotopes++] = (nuem_isotope){.A = (int)A, .atomic_mass_u = x, .abundance = y};
    return NUEM_OK;
  }
  if (strcmp(f[0], "shell") == 0) {
    if (n != 4 || strlen(f[1]) >= sizeof el->shells[0].name ||
        !parse_double(f[2], &x) || !parse_double(f[3], &y) || x <= 0 || y <= 0)
      return bad_record(ctx, file, lineno, "expected 'shell NAME BINDING_EV ELECTRONS'");
    nuem_shell *g = realloc(el->shells, (el->nshells + 1) * sizeof *g);
    if (!g) return NUEM_ENOMEM;
    el->shells = g;
    nuem_shell *sh = &g[el->nshells++];
    snprintf(sh->name, sizeof sh->name, "%s", f[1]);
    sh->binding = x * MEV_PER_EV; /* data files give binding energies in eV */
    sh->electrons = (int)y;
    return NUEM_OK;
  }
  return bad_record(ctx, file, lineno, "unknown record (element, isotope, shell)");
}

static void element_free(nuem_element *el) {
  free(el->isotopes);
  free(el->shells);
}

/* Load element `symbol`; if A > 0 keep only that isotope (abundance 1). */
static nuem_status element_load(nuem_context *ctx, const char *symbol, int A,
                                nuem_element *el) {
  memset(el, 0, sizeof *el);
  snprintf(el->symbol, sizeof el->symbol, "%s", symbol);
  char file[64];
  snprintf(file, sizeof file, "targets/%s.dat", symbol);
  nuem_status s = for_each_record(ctx, file, element_record, el);
  if (s == NUEM_EFILE)
    return nuem_error(ctx, NUEM_ECONFIG, "unknown target '%s' (known materials: "
                      "%s; or an isotope such as Ge74)", symbol,
                      nuem_target_known_materials());
  if (s) { element_free(el); return s; }
  if (A > 0) {
    size_t k = 0;
    while (k < el->nisotopes && el->isotopes[k].A != A) k++;
    if (k == el->nisotopes) {
      element_free(el);
      return nuem_error(ctx, NUEM_ECONFIG, "unknown isotope %s%d: not a natural "
                        "isotope of %s in nuem's data", symbol, A, symbol);
    }
    el->isotopes[0] = el->isotopes[k];
    el->isotopes[0].abundance = 1.0;
    el->nisotopes = 1;
  }
  double mean = 0;
  for (size_t i = 0; i < el->nisotopes; i++) {
    nuem_isotope *iso = &el->isotopes[i];
    iso->Z = el->Z;
    iso->N = iso->A - el->Z;
    /* Nuclear mass: atomic mass less the electrons (their binding, < 0.1 keV
     * per nucleon mass-energy, is neglected). */
    iso->mass = iso->atomic_mass_u * NUEM_AMU - el->Z * NUEM_ME;
    mean += iso->abundance * iso->atomic_mass_u;
  }
  el->mean_mass_u = mean;
  return NUEM_OK;
}

typedef struct {
  const char *want;
  nuem_target *t;
  int found;
} material_search;

static nuem_status material_record(nuem_context *ctx, void *user, char **f,
                                   size_t n, const char *file, size_t lineno) {
  material_search *ms = user;
  if (strcmp(f[0], "material") != 0 || n < 4)
    return bad_record(ctx, file, lineno, "expected 'material NAME DENSITY EL:N ...'");
  if (ms->found || strcmp(f[1], ms->want) != 0) return NUEM_OK;
  ms->found = 1;
  nuem_target *t = ms->t;
  double density;
  if (!parse_double(f[2], &density) || !(density > 0))
    return bad_record(ctx, file, lineno, "expected a positive density in g/cm3");
  t->density = density * 1e-3; /* kg/cm3 */
  t->nelements = n - 3;
  t->elements = calloc(t->nelements, sizeof *t->elements);
  if (!t->elements) return NUEM_ENOMEM;
  for (size_t i = 0; i < t->nelements; i++) {
    char *colon = strchr(f[3 + i], ':');
    double count;
    if (!colon || !parse_double(colon + 1, &count) || count <= 0)
      return bad_record(ctx, file, lineno, "expected ELEMENT:COUNT");
    *colon = '\0';
    NUEM_TRY(element_load(ctx, f[3 + i], 0, &t->elements[i]));
    t->elements[i].count = count;
  }
  return NUEM_OK;
}

const char *nuem_target_known_materials(void) { return "Ge Si Ar Xe CsI NaI pseudocumene"; }

static void finish_target(nuem_target *t) {
  double mass = 0, electrons = 0;
  for (size_t i = 0; i < t->nelements; i++) {
    mass += t->elements[i].count * t->elements[i].mean_mass_u;
    electrons += t->elements[i].count * t->elements[i].Z;
  }
  t->formula_mass_u = mass;
  t->formulas_per_kg = GRAMS_PER_KG / mass * NUEM_AVOGADRO; /* mass in g/mol */
  t->electrons_per_kg = electrons * t->formulas_per_kg;
}

nuem_status nuem_target_new(nuem_context *ctx, const char *name,
                            nuem_target **out) {
  nuem_target *t = calloc(1, sizeof *t);
  if (!t) return NUEM_ENOMEM;
  if (!*name || strlen(name) >= sizeof t->name) {
    free(t);
    return nuem_error(ctx, NUEM_ECONFIG, "target '%s': expected a material such "
                      "as Ge or CsI, or an isotope such as Ge74", name);
  }
  snprintf(t->name, sizeof t->name, "%s", name);
  material_search ms = {name, t, 0};
  nuem_status s = for_each_record(ctx, "targets/materials.dat", material_record, &ms);
  if (!s && !ms.found) {
    /* Not a material: an element, or an isotope "Ge74". */
    char symbol[4] = {0};
    size_t k = 0;
    while (isalpha((unsigned char)name[k]) && k < 3) symbol[k] = name[k], k++;
    int A = 0;
    if (name[k]) {
      char *end;
      long a = strtol(name + k, &end, 10);
      if (*end || a <= 0 || a > MAX_MASS_NUMBER) {
        free(t);
        return nuem_error(ctx, NUEM_ECONFIG, "unknown target '%s' (known "
                          "materials: %s; or an isotope such as Ge74)", name,
                          nuem_target_known_materials());
      }
      A = (int)a;
    }
    t->nelements = 1;
    t->elements = calloc(1, sizeof *t->elements);
    s = t->elements ? element_load(ctx, symbol, A, &t->elements[0]) : NUEM_ENOMEM;
    if (!s) t->elements[0].count = 1.0;
    else t->nelements = 0;
  }
  if (s) {
    nuem_target_free(t);
    return s;
  }
  finish_target(t);
  *out = t;
  return NUEM_OK;
}

nuem_status nuem_target_init(nuem_context *ctx, const nuem_config *cfg,
                             nuem_target **out) {
  return nuem_target_new(ctx, nuem_config_text(cfg, NUEM_P_TARGET_MATERIAL), out);
}

void nuem_target_free(nuem_target *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nelements; i++) element_free(&t->elements[i]);
  free(t->elements);
  free(t);
}

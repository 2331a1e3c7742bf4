/* Atomic response tables: allocation, the text format of
 * docs/data-formats.md ("Atomic response tables"), validation on load,
 * writing with provenance, and the packed form the shipped tables are
 * compiled in as. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/abinitio.h"

/* Element symbols by Z (1..100): a table names its element and Z, and the
 * two must agree. */
static const char *const element_symbols[] = {
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm"};
enum { NUEM_MAX_Z = (int)(sizeof element_symbols / sizeof element_symbols[0]) - 1 };

static int z_of_symbol(const char *s) {
  for (int z = 1; z <= NUEM_MAX_Z; z++)
    if (strcmp(element_symbols[z], s) == 0) return z;
  return 0;
}

void nuem_atomic_response_free(nuem_atomic_response *r) {
  if (!r) return;
  free(r->shell);
  free(r->edge);
  free(r->occupancy);
  free(r->T);
  free(r->q);
  free(r->RL);
  free(r->RT);
  free(r->origin);
  memset(r, 0, sizeof *r);
}

nuem_status nuem_atomic_response_alloc(nuem_context *ctx, size_t nshells, size_t nT, size_t nq,
                                       nuem_atomic_response *out) {
  memset(out, 0, sizeof *out);
  if (nshells == 0 || nT < 2 || nq < 2 || nT > ((size_t)1 << 24) / nq ||
      nshells > ((size_t)1 << 26) / (nT * nq))
    return nuem_error(ctx, NUEM_ERANGE, "an atomic response table needs >= 1 shell and a "
                      "grid of >= 2 x 2 points (at most 2^26 values); got %zu shells on "
                      "%zu x %zu", nshells, nT, nq);
  size_t n = nshells * nT * nq;
  out->nshells = nshells;
  out->nT = nT;
  out->nq = nq;
  out->shell = calloc(nshells, sizeof *out->shell);
  out->edge = calloc(nshells, sizeof *out->edge);
  out->occupancy = calloc(nshells, sizeof *out->occupancy);
  out->T = calloc(nT, sizeof *out->T);
  out->q = calloc(nq, sizeof *out->q);
  out->RL = calloc(n, sizeof *out->RL);
  out->RT = calloc(n, sizeof *out->RT);
  out->origin = nuem_strdup("computed");
  if (!out->shell || !out->edge || !out->occupancy || !out->T || !out->q || !out->RL ||
      !out->RT || !out->origin) {
    nuem_atomic_response_free(out);
    return nuem_error(ctx, NUEM_ENOMEM, "out of memory for an atomic response table");
  }
  return NUEM_OK;
}

/* ---- reading ------------------------------------------------------------ */

/* The words of a directive's value (at most `max`); returns the count, or
 * max + 1 if there are more. */
static size_t split_directive(const char *value, char *buf, size_t size, char **words,
                              size_t max) {
  snprintf(buf, size, "%s", value);
  size_t n = 0;
  for (char *tok = strtok(buf, " \t,"); tok; tok = strtok(NULL, " \t,")) {
    if (n == max) return max + 1;
    words[n++] = tok;
  }
  return n;
}

static const char *need_directive(nuem_context *ctx, const nuem_table *t, const char *key,
                                  const char *example, nuem_status *s) {
  const char *v = nuem_table_directive(t, key);
  if (!v && !*s)
    *s = nuem_error(ctx, NUEM_EPARSE, "%s: an atomic response table needs a '# %s: %s' line "
                    "(docs/data-formats.md, \"Atomic response tables\")", t->origin, key,
                    example);
  return v;
}

/* element + Z: a known symbol whose atomic number is Z. */
static nuem_status parse_element(nuem_context *ctx, const nuem_table *t,
                                 nuem_atomic_response *r) {
  nuem_status s = NUEM_OK;
  const char *el = need_directive(ctx, t, "element", "Ge", &s);
  const char *zs = need_directive(ctx, t, "Z", "32", &s);
  if (s) return s;
  int z = z_of_symbol(el);
  if (!z)
    return nuem_error(ctx, NUEM_EPARSE, "%s: unknown element '%s' (give a chemical symbol, "
                      "e.g. '# element: Ge')", t->origin, el);
  char *end;
  long zv = strtol(zs, &end, 10);
  while (isspace((unsigned char)*end)) end++;
  if (*end || zv != z)
    return nuem_error(ctx, NUEM_EPARSE, "%s: '# Z: %s' does not match element %s (Z = %d)",
                      t->origin, zs, el, z);
  snprintf(r->element, sizeof r->element, "%s", el);
  r->Z = z;
  return NUEM_OK;
}

/* shells, edges (a unit, then one energy per shell) and occupancy. */
static nuem_status parse_shells(nuem_context *ctx, const nuem_table *t,
                                nuem_atomic_response *r, char (**names)[NUEM_SHELL_NAME],
                                double **edge, double **occ, size_t *nshells) {
  enum { MAXSH = 64 };
  char buf[3][1024], *shell_w[MAXSH + 1], *edge_w[MAXSH + 2], *occ_w[MAXSH + 1];
  nuem_status s = NUEM_OK;
  const char *sv = need_directive(ctx, t, "shells", "1s 2s 2p", &s);
  const char *ev = need_directive(ctx, t, "edges", "eV 11103 1414.6 1217.0", &s);
  const char *ov = need_directive(ctx, t, "occupancy", "2 2 6", &s);
  if (s) return s;
  size_t n = split_directive(sv, buf[0], sizeof buf[0], shell_w, MAXSH);
  size_t ne = split_directive(ev, buf[1], sizeof buf[1], edge_w, MAXSH + 1);
  size_t no = split_directive(ov, buf[2], sizeof buf[2], occ_w, MAXSH);
  if (n == 0 || n > MAXSH)
    return nuem_error(ctx, NUEM_EPARSE, "%s: '# shells:' needs 1 to %d shell names", t->origin,
                      MAXSH);
  if (ne != n + 1 || no != n)
    return nuem_error(ctx, NUEM_EPARSE, "%s: %zu shells, but '# edges:' has %zu values after "
                      "its unit and '# occupancy:' %zu (one per shell each)", t->origin, n,
                      ne ? ne - 1 : 0, no);
  nuem_unit unit;
  NUEM_TRY(nuem_unit_parse(ctx, edge_w[0], "the unit of '# edges:'", &unit));
  nuem_unit mev;
  nuem_unit_parse(ctx, "MeV", "", &mev);
  if (!nuem_dim_equal(unit.dim, mev.dim))
    return nuem_error(ctx, NUEM_EUNIT, "%s: '# edges:' starts with an energy unit (eV, keV), "
                      "not '%s'", t->origin, edge_w[0]);
  *names = calloc(n, sizeof **names);
  *edge = calloc(n, sizeof **edge);
  *occ = calloc(n, sizeof **occ);
  if (!*names || !*edge || !*occ) return nuem_error(ctx, NUEM_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    char *e1, *e2;
    double e = strtod(edge_w[i + 1], &e1), o = strtod(occ_w[i], &e2);
    if (strlen(shell_w[i]) >= NUEM_SHELL_NAME)
      return nuem_error(ctx, NUEM_EPARSE, "%s: shell name '%s' is longer than %d characters",
                        t->origin, shell_w[i], NUEM_SHELL_NAME - 1);
    for (size_t k = 0; k < i; k++)
      if (strcmp((*names)[k], shell_w[i]) == 0)
        return nuem_error(ctx, NUEM_EPARSE, "%s: shell '%s' is listed twice", t->origin,
                          shell_w[i]);
    if (*e1 || !isfinite(e) || e < 0)
      return nuem_error(ctx, NUEM_EPARSE, "%s: edge '%s' of shell %s must be a finite "
                        "energy >= 0", t->origin, edge_w[i + 1], shell_w[i]);
    if (*e2 || !isfinite(o) || o <= 0 || o > r->Z)
      return nuem_error(ctx, NUEM_EPARSE, "%s: occupancy '%s' of shell %s must be a number "
                        "in (0, Z = %d]", t->origin, occ_w[i], shell_w[i], r->Z);
    snprintf((*names)[i], NUEM_SHELL_NAME, "%s", shell_w[i]);
    (*edge)[i] = e * unit.factor;
    (*occ)[i] = o;
  }
  *nshells = n;
  return NUEM_OK;
}

enum { COL_SHELL, COL_T, COL_Q, COL_RL, COL_RT, NCOLS };
static const char *const column_names[NCOLS] = {"shell", "T", "q", "R_L", "R_T"};

/* Column indices by name, with the units checked: shell a number, T and q
 * energies, R_L and R_T inverse energies. */
static nuem_status find_columns(nuem_context *ctx, const nuem_table *t, long col[NCOLS]) {
  nuem_unit energy, inverse;
  nuem_unit_parse(ctx, "MeV", "", &energy);
  nuem_unit_parse(ctx, "/MeV", "", &inverse);
  for (int c = 0; c < NCOLS; c++) {
    col[c] = t->names ? nuem_table_column(t, column_names[c]) : -1;
    if (col[c] < 0)
      return nuem_error(ctx, NUEM_EPARSE, "%s: no column '%s': an atomic response table has "
                        "'# columns: shell T q R_L R_T'", t->origin, column_names[c]);
    nuem_dim want = c == COL_SHELL ? (nuem_dim){{0}}
                    : (c == COL_T || c == COL_Q) ? energy.dim : inverse.dim;
    if (!nuem_dim_equal(t->units[col[c]].dim, want))
      return nuem_error(ctx, NUEM_EUNIT, "%s: column %s needs %s in '# units:' (e.g. "
                        "'# units: 1 eV eV /eV /eV')", t->origin, column_names[c],
                        c == COL_SHELL ? "no unit (1)" : c <= COL_Q ? "an energy unit"
                                                                    : "an inverse energy unit");
  }
  return NUEM_OK;
}

/* The grid from shell 1's rows: q varies fastest, then T. */
static nuem_status grid_shape(nuem_context *ctx, const nuem_table *t, const long col[NCOLS],
                              size_t nshells, size_t *nT, size_t *nq) {
  size_t n = 0;
  while (n < t->nrows && nuem_table_get(t, n, col[COL_T]) == nuem_table_get(t, 0, col[COL_T]))
    n++;
  *nq = n;
  if (t->nrows == 0 || t->nrows % nshells || (t->nrows / nshells) % n ||
      t->nrows / nshells / n < 2 || n < 2)
    return nuem_error(ctx, NUEM_EPARSE, "%s: %zu rows do not form %zu shells x nT x nq with "
                      "nT, nq >= 2 (%zu q values at the first T): every shell needs every "
                      "(T, q) of one grid, q varying fastest", t->origin, t->nrows, nshells,
                      n);
  *nT = t->nrows / nshells / n;
  return NUEM_OK;
}

/* Every row sits on the grid in order, with responses >= 0. */
static nuem_status fill_rows(nuem_context *ctx, const nuem_table *t, const long col[NCOLS],
                             nuem_atomic_response *r) {
  size_t nT = r->nT, nq = r->nq;
  for (size_t i = 0; i < nT; i++) r->T[i] = nuem_table_get(t, i * nq, col[COL_T]);
  for (size_t j = 0; j < nq; j++) r->q[j] = nuem_table_get(t, j, col[COL_Q]);
  for (size_t i = 0; i < nT; i++)
    if (!(r->T[i] > 0) || (i && !(r->T[i] > r->T[i - 1])))
      return nuem_error(ctx, NUEM_EPARSE, "%s: row %zu: T = %g eV: the T grid must be > 0 "
                        "and strictly increasing", t->origin, i * nq + 1, r->T[i] * 1e6);
  for (size_t j = 0; j < nq; j++)
    if (!(r->q[j] > 0) || (j && !(r->q[j] > r->q[j - 1])))
      return nuem_error(ctx, NUEM_EPARSE, "%s: row %zu: q = %g eV: the q grid must be > 0 "
                        "and strictly increasing", t->origin, j + 1, r->q[j] * 1e6);
  for (size_t row = 0; row < t->nrows; row++) {
    size_t s = row / (nT * nq), i = row / nq % nT, j = row % nq;
    double sh = nuem_table_get(t, row, col[COL_SHELL]);
    double rl = nuem_table_get(t, row, col[COL_RL]), rt = nuem_table_get(t, row, col[COL_RT]);
    if (sh != (double)(s + 1))
      return nuem_error(ctx, NUEM_EPARSE, "%s: row %zu: shell %g, expected %zu (%s): shell %s "
                        "is missing or out of order (shells are numbered 1..%zu in the "
                        "order of '# shells:')", t->origin, row + 1, sh, s + 1, r->shell[s],
                        r->shell[s], r->nshells);
    if (nuem_table_get(t, row, col[COL_T]) != r->T[i] ||
        nuem_table_get(t, row, col[COL_Q]) != r->q[j])
      return nuem_error(ctx, NUEM_EPARSE, "%s: row %zu (shell %s): (T, q) = (%g, %g) eV is "
                        "not the grid point (%g, %g) eV: every shell uses the same grid, q "
                        "varying fastest", t->origin, row + 1, r->shell[s],
                        nuem_table_get(t, row, col[COL_T]) * 1e6,
                        nuem_table_get(t, row, col[COL_Q]) * 1e6, r->T[i] * 1e6,
                        r->q[j] * 1e6);
    if (!(rl >= 0) || !(rt >= 0))
      return nuem_error(ctx, NUEM_ERANGE, "%s: row %zu (shell %s, T = %g eV, q = %g eV): "
                        "R_L = %g, R_T = %g /eV: responses must be >= 0", t->origin, row + 1,
                        r->shell[s], r->T[i] * 1e6, r->q[j] * 1e6, rl * 1e-6, rt * 1e-6);
    r->RL[row] = rl;
    r->RT[row] = rt;
  }
  return NUEM_OK;
}

static nuem_status from_table(nuem_context *ctx, const nuem_table *t, nuem_atomic_response *out) {
  nuem_atomic_response head = {0};
  char(*names)[NUEM_SHELL_NAME] = NULL;
  double *edge = NULL, *occ = NULL;
  size_t nshells = 0, nT = 0, nq = 0;
  long col[NCOLS];
  nuem_status s = parse_element(ctx, t, &head);
  if (!s) s = parse_shells(ctx, t, &head, &names, &edge, &occ, &nshells);
  if (!s) s = find_columns(ctx, t, col);
  if (!s) s = grid_shape(ctx, t, col, nshells, &nT, &nq);
  if (!s) s = nuem_atomic_response_alloc(ctx, nshells, nT, nq, out);
  if (!s) {
    memcpy(out->element, head.element, sizeof out->element);
    out->Z = head.Z;
    memcpy(out->shell, names, nshells * sizeof *names);
    memcpy(out->edge, edge, nshells * sizeof *edge);
    memcpy(out->occupancy, occ, nshells * sizeof *occ);
    free(out->origin);
    out->origin = nuem_strdup(t->origin);
    s = out->origin ? fill_rows(ctx, t, col, out)
                    : nuem_error(ctx, NUEM_ENOMEM, "out of memory");
    if (s) nuem_atomic_response_free(out);
  }
  free(names);
  free(edge);
  free(occ);
  return s;
}

nuem_status nuem_atomic_response_parse(nuem_context *ctx, const char *text, size_t len,
                                       const char *origin, nuem_atomic_response *out) {
  nuem_table t;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_table_parse(ctx, text, len, origin, &t));
  nuem_status s = from_table(ctx, &t, out);
  nuem_table_free(&t);
  return s;
}

nuem_status nuem_atomic_response_read(nuem_context *ctx, const char *path,
                                      nuem_atomic_response *out) {
  char *text;
  size_t len;
  memset(out, 0, sizeof *out);
  NUEM_TRY(nuem_file_read(ctx, path, &text, &len));
  nuem_status s = nuem_atomic_response_parse(ctx, text, len, path, out);
  free(text);
  return s;
}

/* ---- writing ------------------------------------------------------------ */

/* Subnormal numbers are refused on reading (not finite to nuem's parser):
 * write them as 0, a change far below any response that matters. */
static double readable(double v) { return fabs(v) < 1e-300 ? 0.0 : v; }

nuem_status nuem_atomic_response_write(nuem_context *ctx, FILE *out,
                                       const nuem_atomic_response *r, const char *provenance) {
  fprintf(out, "# nuem atomic response table (docs/data-formats.md)\n");
  fprintf(out, "# provenance: %s\n", provenance && *provenance ? provenance : r->origin);
  fprintf(out, "# element: %s\n# Z: %d\n# shells:", r->element, r->Z);
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %s", r->shell[s]);
  fprintf(out, "\n# edges: eV");
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %.10g", r->edge[s] * 1e6);
  fprintf(out, "\n# occupancy:");
  for (size_t s = 0; s < r->nshells; s++) fprintf(out, " %.10g", r->occupancy[s]);
  fprintf(out, "\n# columns: shell T q R_L R_T\n# units: 1 eV eV /eV /eV\n");
  for (size_t s = 0; s < r->nshells; s++)
    for (size_t i = 0; i < r->nT; i++)
      for (size_t j = 0; j < r->nq; j++) {
        size_t k = (s * r->nT + i) * r->nq + j;
        fprintf(out, "%zu %.17g %.17g %.17g %.17g\n", s + 1, r->T[i] * 1e6, r->q[j] * 1e6,
                readable(r->RL[k] * 1e-6), readable(r->RT[k] * 1e-6));
      }
  if (ferror(out) || fflush(out))
    return nuem_error(ctx, NUEM_EFILE, "writing the atomic response table failed");
  return NUEM_OK;
}

/* ---- packed form -------------------------------------------------------- */

/* The tables nuem ships are compiled in packed (docs/data-formats.md,
 * "Packed response tables"): the build packs each text table (tools/
 * nuem_pack.c), so the numbers are bit for bit the text's, and loading is a
 * copy plus the checks, with no number parsing (parsing the 20 MB Ge table
 * took 0.3 s per run, 3 s under the sanitizers). Layout, native byte order,
 * 8-byte words: "NUEMRSP1"; the byte count h of the text table's header
 * lines and the lines (padded to 8); element[8]; Z, nshells, nT, nq; shell
 * names (8 bytes each); edges, occupancy, T, q, R_L, R_T as doubles in MeV
 * units. */
static const char packed_magic[8] = {'N', 'U', 'E', 'M', 'R', 'S', 'P', '1'};

static int put(FILE *out, const void *p, size_t bytes) {
  static const char zeros[8] = {0};
  size_t pad = (8 - bytes % 8) % 8;
  return fwrite(p, 1, bytes, out) == bytes && fwrite(zeros, 1, pad, out) == pad;
}

static int put_u64(FILE *out, uint64_t v) { return put(out, &v, sizeof v); }

nuem_status nuem_atomic_response_pack(nuem_context *ctx, FILE *out,
                                      const nuem_atomic_response *r, const char *header) {
  size_t n = r->nshells * r->nT * r->nq, h = strlen(header);
  int ok = put(out, packed_magic, 8) && put_u64(out, h) && put(out, header, h) &&
           put(out, r->element, sizeof r->element) && put_u64(out, (uint64_t)r->Z) &&
           put_u64(out, r->nshells) && put_u64(out, r->nT) && put_u64(out, r->nq) &&
           put(out, r->shell, r->nshells * sizeof *r->shell) &&
           put(out, r->edge, r->nshells * sizeof *r->edge) &&
           put(out, r->occupancy, r->nshells * sizeof *r->occupancy) &&
           put(out, r->T, r->nT * sizeof *r->T) && put(out, r->q, r->nq * sizeof *r->q) &&
           put(out, r->RL, n * sizeof *r->RL) && put(out, r->RT, n * sizeof *r->RT);
  if (!ok || ferror(out) || fflush(out))
    return nuem_error(ctx, NUEM_EFILE, "writing the packed atomic response table failed");
  return NUEM_OK;
}

typedef struct {
  const char *p, *end;
} cursor;

/* The next `bytes` (then padding to 8) into dst, or 0 past the end. */
static int take(cursor *c, void *dst, size_t bytes) {
  size_t step = bytes + (8 - bytes % 8) % 8;
  if ((size_t)(c->end - c->p) < step) return 0;
  if (dst) memcpy(dst, c->p, bytes);
  c->p += step;
  return 1;
}

static int take_u64(cursor *c, uint64_t *v) { return take(c, v, sizeof *v); }

/* Grids > 0 and strictly increasing, responses finite and >= 0, the
 * element and Z consistent: what the text reader checks row by row. */
static nuem_status check_unpacked(nuem_context *ctx, const nuem_atomic_response *r) {
  if (!memchr(r->element, 0, sizeof r->element) || z_of_symbol(r->element) != r->Z)
    return nuem_error(ctx, NUEM_EPARSE, "%s: element and Z do not match", r->origin);
  for (size_t i = 0; i < r->nT; i++)
    if (!(r->T[i] > 0) || (i && !(r->T[i] > r->T[i - 1])))
      return nuem_error(ctx, NUEM_EPARSE, "%s: the T grid must be > 0 and strictly "
                        "increasing", r->origin);
  for (size_t j = 0; j < r->nq; j++)
    if (!(r->q[j] > 0) || (j && !(r->q[j] > r->q[j - 1])))
      return nuem_error(ctx, NUEM_EPARSE, "%s: the q grid must be > 0 and strictly "
                        "increasing", r->origin);
  for (size_t k = 0; k < r->nshells * r->nT * r->nq; k++)
    if (!(r->RL[k] >= 0 && r->RL[k] < INFINITY) || !(r->RT[k] >= 0 && r->RT[k] < INFINITY))
      return nuem_error(ctx, NUEM_ERANGE, "%s: responses must be finite and >= 0",
                        r->origin);
  for (size_t s = 0; s < r->nshells; s++)
    if (!memchr(r->shell[s], 0, NUEM_SHELL_NAME) || !(r->edge[s] > 0) ||
        !(r->occupancy[s] > 0))
      return nuem_error(ctx, NUEM_EPARSE, "%s: shell %zu: a name, an edge > 0 and an "
                        "occupancy > 0 are needed", r->origin, s + 1);
  return NUEM_OK;
}

nuem_status nuem_atomic_response_unpack(nuem_context *ctx, const char *data, size_t len,
                                        const char *origin, nuem_atomic_response *out) {
  cursor c = {data, data + len};
  char magic[8], element[8];
  uint64_t h, Z, nshells, nT, nq;
  memset(out, 0, sizeof *out);
  if (!take(&c, magic, 8) || memcmp(magic, packed_magic, 8) || !take_u64(&c, &h) ||
      h > len || !take(&c, NULL, h) || !take(&c, element, 8) || !take_u64(&c, &Z) ||
      !take_u64(&c, &nshells) || !take_u64(&c, &nT) || !take_u64(&c, &nq) ||
      nshells > 64 || nT > ((uint64_t)1 << 24) || nq > ((uint64_t)1 << 24))
    return nuem_error(ctx, NUEM_EPARSE, "%s: not a packed atomic response table", origin);
  NUEM_TRY(nuem_atomic_response_alloc(ctx, nshells, nT, nq, out));
  size_t n = nshells * nT * nq;
  memcpy(out->element, element, sizeof element);
  out->Z = (int)Z;
  int ok = take(&c, out->shell, nshells * sizeof *out->shell) &&
           take(&c, out->edge, nshells * sizeof *out->edge) &&
           take(&c, out->occupancy, nshells * sizeof *out->occupancy) &&
           take(&c, out->T, nT * sizeof *out->T) && take(&c, out->q, nq * sizeof *out->q) &&
           take(&c, out->RL, n * sizeof *out->RL) && take(&c, out->RT, n * sizeof *out->RT) &&
           c.p == c.end;
  free(out->origin);
  out->origin = nuem_strdup(origin);
  nuem_status s = !out->origin ? nuem_error(ctx, NUEM_ENOMEM, "out of memory")
                  : !ok        ? nuem_error(ctx, NUEM_EPARSE, "%s: a packed atomic response "
                                            "table of the wrong size", origin)
                               : check_unpacked(ctx, out);
  if (s) nuem_atomic_response_free(out);
  return s;
}

const char *nuem_atomic_response_packed_header(const char *data, size_t len, size_t *hlen) {
  uint64_t h;
  if (len < 16 || memcmp(data, packed_magic, 8)) return NULL;
  memcpy(&h, data + 8, sizeof h);
  if (h > len - 16) return NULL;
  *hlen = h;
  return data + 16;
}

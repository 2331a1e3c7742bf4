/* nuem core: status codes, the context, units, plain-text tables and
 * interpolation.
 *
 * Every library function returns a nuem_status; on failure the context holds
 * a message that names the offending key, file or line and says what to do.
 * The library never prints, exits or aborts.
 */
#ifndef NUEM_CORE_H
#define NUEM_CORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: declared once, expanded into the enum and the message table.
 * The third field is the command-line exit status (2: the input is wrong). */
#define NUEM_STATUS_LIST(X)                                                   \
  X(NUEM_OK, "success", 0)                                                    \
  X(NUEM_EUSAGE, "usage error", 2)                                            \
  X(NUEM_ECONFIG, "configuration error", 2)                                   \
  X(NUEM_EUNIT, "unit error", 2)                                              \
  X(NUEM_ERANGE, "value out of range", 2)                                     \
  X(NUEM_EFILE, "file error", 2)                                              \
  X(NUEM_EPARSE, "malformed input", 2)                                        \
  X(NUEM_ENOMEM, "out of memory", 1)                                          \
  X(NUEM_ENUMERIC, "numerical failure", 1)                                    \
  X(NUEM_EINTERNAL, "internal error", 1)

typedef enum {
#define NUEM_X_ENUM(name, msg, exit_code) name,
  NUEM_STATUS_LIST(NUEM_X_ENUM)
#undef NUEM_X_ENUM
} nuem_status;

const char *nuem_status_string(nuem_status s);
int nuem_status_exit_code(nuem_status s);

/* ---- context ------------------------------------------------------------ */

/* Holds what would otherwise be global: the last error and warnings.
 * One context per thread; two contexts give identical, independent results. */
typedef struct nuem_context nuem_context;

nuem_status nuem_context_new(nuem_context **ctx);
void nuem_context_free(nuem_context *ctx);

/* The message of the last failure ("" if none). Valid until the next call. */
const char *nuem_context_error(const nuem_context *ctx);
nuem_status nuem_context_status(const nuem_context *ctx);
void nuem_context_clear(nuem_context *ctx);

/* Warnings (e.g. config keys given but not used) are collected, not printed. */
size_t nuem_context_warning_count(const nuem_context *ctx);
const char *nuem_context_warning(const nuem_context *ctx, size_t i);

/* Progress of long computations: the library reports, the caller draws.
 * `fraction` runs from 0 to 1; `what` names the stage. */
typedef void (*nuem_progress_fn)(void *user, double fraction, const char *what);
void nuem_context_set_progress(nuem_context *ctx, nuem_progress_fn fn, void *user);
void nuem_progress(const nuem_context *ctx, double fraction, const char *what);

/* Record a failure (printf-style) and return the status, so callers write
 * `return nuem_error(ctx, NUEM_ECONFIG, "…")`. */
nuem_status nuem_error(nuem_context *ctx, nuem_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
nuem_status nuem_warning(nuem_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prefix the message of a failure with where it travelled, so the caller
 * reads "analysis: spectrum: source: flux.dat: row 3: ..." (the path of
 * CLASS's class_call). Returns s; NUEM_OK passes through untouched. */
nuem_status nuem_error_trace(nuem_context *ctx, nuem_status s, const char *where);
/* Copy the failure held by `from` (a worker thread's context) into `to`. */
nuem_status nuem_error_forward(nuem_context *to, const nuem_context *from);

/* Counters of the expensive builds, so that tests and `nuem --stats` can
 * show what a job rebuilt. */
typedef enum { NUEM_COUNT_RATE_PLANS, NUEM_COUNT_RESPONSES, NUEM_COUNT_FOLDS,
               NUEM_NCOUNTERS } nuem_counter;
void nuem_context_count(nuem_context *ctx, nuem_counter c);
size_t nuem_context_counter(const nuem_context *ctx, nuem_counter c);
const char *nuem_counter_name(nuem_counter c);

/* ---- work spread over nodes ------------------------------------------------ */

/* A computation split into n independent nodes (grid points, scan points,
 * chunks of toys), node i writing `width` doubles to result. Its result
 * must depend on i and the shared inputs only (random numbers from
 * (seed, i)), so that it is the same whichever process or thread computes
 * it. `worker` is the node's own context. */
typedef nuem_status (*nuem_node_fn)(nuem_context *worker, void *user, size_t node,
                                    double *result);

/* How nodes are spread over processes (MPI ranks; docs/statistics.md, "MPI
 * and the speed of the toys"). Rank r computes the nodes i with
 * i % size == r. The library itself does not link MPI: a program installs a
 * distributor on its context (the nuem command does under mpirun).
 * gather: every rank's results (n x width) hold its own nodes; afterwards
 * every rank holds all. first_failure: in, this rank's lowest failing node
 * (n if none), its status and message; out, the lowest over all ranks with
 * its owner's status and message. Both return 0 on success. */
typedef struct {
  int rank, size;
  int (*gather)(void *self, double *results, size_t n, size_t width);
  int (*first_failure)(void *self, size_t n, size_t *node, nuem_status *status,
                       char *message, size_t cap);
  void *self;
} nuem_distributor;
/* d NULL: one process (the default). Worker contexts have none, so a map
 * inside a node runs in its process alone. */
void nuem_context_set_distributor(nuem_context *ctx, const nuem_distributor *d);
const nuem_distributor *nuem_context_distributor(const nuem_context *ctx);

/* Run fn on nodes 0..n-1 into results (n x width): spread over the
 * context's ranks, in OpenMP threads inside each (threads; 0: OpenMP's
 * default, 1: in order). Every rank ends with every result. On failure
 * every rank returns the failure of the lowest failing node, its message
 * and the node's index in *failed (may be NULL); progress reports `what`. */
nuem_status nuem_map(nuem_context *ctx, size_t n, size_t width, int threads, nuem_node_fn fn,
                     void *user, double *results, size_t *failed, const char *what);

/* ---- flavours ----------------------------------------------------------- */

/* Neutrino flavours: sources say which they deliver, interactions couple
 * each its own way (nuem/interaction.h). NUEM_NLEPTONS lepton flavours
 * (e, mu, tau) index per-flavour properties: a neutrino and its
 * antineutrino share them (docs/physics.md, "Electromagnetic properties"). */
enum { NUEM_NUE, NUEM_ANTINUE, NUEM_NUMU, NUEM_ANTINUMU, NUEM_NUTAU,
       NUEM_ANTINUTAU, NUEM_NFLAVOURS };
enum { NUEM_NLEPTONS = NUEM_NFLAVOURS / 2 };
#define NUEM_LEPTON(flavour) ((flavour) / 2)
/* Flavour by name (nue, antinue, …) or -1; the name of a flavour ("?" if
 * out of range). */
int nuem_flavour_from_name(const char *name);
const char *nuem_flavour_name(int flavour);

/* ---- units -------------------------------------------------------------- */

/* Internal unit system: energy MeV, length cm, time s, mass kg; magnetic
 * moments in Bohr magnetons and charges in units of e are their own bases. */
enum { NUEM_DIM_ENERGY, NUEM_DIM_LENGTH, NUEM_DIM_TIME, NUEM_DIM_MASS,
       NUEM_DIM_MAGMOM, NUEM_DIM_CHARGE, NUEM_DIM_COUNT };

typedef struct {
  signed char power[NUEM_DIM_COUNT];
} nuem_dim;

typedef struct {
  double factor; /* value in internal units = number × factor */
  nuem_dim dim;
} nuem_unit;

/* Parse a unit expression such as "keV", "/cm2/s", "kg*day", "cm^2", "1".
 * `what` names the thing being parsed, for the message. */
nuem_status nuem_unit_parse(nuem_context *ctx, const char *text,
                            const char *what, nuem_unit *out);

/* Parse "2.9 GW", "1MeV", "6.4e12/cm2/s": the number must be finite and the
 * unit must have the dimension of `expected_unit` (itself a unit text). The
 * value is returned in internal units. */
nuem_status nuem_quantity_parse(nuem_context *ctx, const char *text,
                                const char *expected_unit, const char *what,
                                double *value);

int nuem_dim_equal(nuem_dim a, nuem_dim b);
/* A readable dimension, e.g. "energy^-1 length^-2 time^-1". */
void nuem_dim_describe(nuem_dim d, char *buf, size_t size);

/* ---- tables ------------------------------------------------------------- */

/* A numeric table read from text: '#' starts a comment; the comment
 * directives "# columns: a b c" and "# units: MeV /MeV 1" name the columns
 * and give their units; any other "# key: value" directive is kept. */
typedef struct {
  char *origin;        /* file name, for messages */
  size_t ncols, nrows;
  char **names;        /* ncols column names */
  nuem_unit *units;    /* ncols units (factor 1, dimensionless if absent) */
  char **unit_names;   /* ncols units as written, for messages; NULL if absent */
  double *data;        /* nrows × ncols, row-major, in internal units */
  size_t ndirectives;
  char **directive_keys, **directive_values;
} nuem_table;

/* Parse `text` (length `len`); `origin` (a file name) names the table in
 * messages. Rows must all have ncols finite numbers. */
nuem_status nuem_table_parse(nuem_context *ctx, const char *text, size_t len,
                             const char *origin, nuem_table *out);
nuem_status nuem_table_read(nuem_context *ctx, const char *path,
                            nuem_table *out);
void nuem_table_free(nuem_table *t);
double nuem_table_get(const nuem_table *t, size_t row, size_t col);
/* Column index by name, or -1. */
long nuem_table_column(const nuem_table *t, const char *name);
/* Directive value by key, or NULL. */
const char *nuem_table_directive(const nuem_table *t, const char *key);
/* Require column `col` to increase strictly (and, if nonneg, be >= 0). */
nuem_status nuem_table_check_column(nuem_context *ctx, const nuem_table *t,
                                    size_t col, int increasing, int nonneg);

/* Check a two-column table (x, y): the units have the dimensions of x_unit
 * and y_unit, x increases strictly, y >= 0 if nonneg, at least min_rows
 * rows. `what` names it in messages ("a flux table"). */
nuem_status nuem_table_check_xy(nuem_context *ctx, const nuem_table *t,
                                const char *x_unit, const char *y_unit, int nonneg,
                                size_t min_rows, const char *what);

/* ---- interpolation ------------------------------------------------------ */

/* A tabulated function y(x): one type for every table in nuem, so the rule
 * between the points and the rule outside them are written at the call site. */
typedef enum {
  NUEM_INTERP_LINEAR,  /* straight lines between the points */
  NUEM_INTERP_LOGLOG,  /* power laws between the points; x > 0 and y > 0 */
  NUEM_INTERP_STEFFEN  /* monotone cubic (Steffen 1990, GSL); at least 3 points */
} nuem_interp_scheme;

/* What a value outside [x_0, x_{n-1}] is. */
typedef enum {
  NUEM_OUTSIDE_ERROR,      /* none: eval and deriv return NaN; the caller checks
                            * nuem_interp_covers or nuem_interp_check_range */
  NUEM_OUTSIDE_CLAMP,      /* the end value (derivative 0) */
  NUEM_OUTSIDE_ZERO,       /* 0 */
  NUEM_OUTSIDE_EXTRAPOLATE /* the end interval's line or power law continued
                            * (not for STEFFEN) */
} nuem_interp_outside;

typedef struct nuem_interp nuem_interp;

/* Copy n points (x, y); x must increase strictly. `what` names the table in
 * messages (e.g. its file name). */
nuem_status nuem_interp_new(nuem_context *ctx, const double *x, const double *y, size_t n,
                            nuem_interp_scheme scheme, nuem_interp_outside outside,
                            const char *what, nuem_interp **out);
/* Columns x_col and y_col of every row of a table. */
nuem_status nuem_interp_from_table(nuem_context *ctx, const nuem_table *t, size_t x_col,
                                   size_t y_col, nuem_interp_scheme scheme,
                                   nuem_interp_outside outside, nuem_interp **out);
void nuem_interp_free(nuem_interp *f);

double nuem_interp_eval(const nuem_interp *f, double x);
double nuem_interp_deriv(const nuem_interp *f, double x);
/* 1 if x_0 <= x <= x_{n-1}. */
int nuem_interp_covers(const nuem_interp *f, double x);
double nuem_interp_x_min(const nuem_interp *f);
double nuem_interp_x_max(const nuem_interp *f);
/* NUEM_ERANGE, naming the table and both ranges, unless [lo, hi] is covered. */
nuem_status nuem_interp_check_range(nuem_context *ctx, const nuem_interp *f, double lo,
                                    double hi);

/* Input files are text of at most this many bytes (64 MiB). */
#define NUEM_FILE_MAX_BYTES (64 << 20)

/* Read a whole text file into a NUL-terminated buffer (caller frees). Fails
 * on a directory, a file above NUEM_FILE_MAX_BYTES or a NUL byte (naming
 * its line); messages keep the system's reason ("Permission denied"). */
nuem_status nuem_file_read(nuem_context *ctx, const char *path, char **text,
                           size_t *len);

/* ---- result tables ------------------------------------------------------ */

enum { NUEM_RESULT_MAX_COLS = 32, NUEM_RESULT_MAX_NOTES = 16 };

/* A table of results; names and units point to static strings. */
typedef struct {
  size_t ncols, nrows;
  const char *names[NUEM_RESULT_MAX_COLS];
  const char *units[NUEM_RESULT_MAX_COLS];
  double *data; /* nrows × ncols, row-major, in the units named */
  size_t nnotes; /* summary lines: "total_flux" = "6.4e12 /cm2/s" */
  char *note_keys[NUEM_RESULT_MAX_NOTES], *note_values[NUEM_RESULT_MAX_NOTES];
} nuem_result;

nuem_status nuem_result_init(nuem_context *ctx, nuem_result *r, size_t nrows,
                             size_t ncols, const char *const *names,
                             const char *const *units);
nuem_status nuem_result_note(nuem_result *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of note `key`, or NULL. */
const char *nuem_result_note_value(const nuem_result *r, const char *key);
void nuem_result_free(nuem_result *r);

/* ---- compiled-in data --------------------------------------------------- */

/* The data files under data/ are compiled into the library; `name` is the
 * path below data/, e.g. "targets/Ge.dat". Returns NULL if absent. */
const char *nuem_data_find(const char *name, size_t *len);
/* The i-th compiled-in file name, or NULL past the end. */
const char *nuem_data_name(size_t i);

const char *nuem_version(void);

#ifdef __cplusplus
}
#endif
#endif

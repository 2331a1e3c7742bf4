"""The C declarations nuem's binding uses, and the loading of libnuem.

cffi in ABI mode (docs/python.md, "Why cffi in ABI mode"): the declarations
below are copied from include/nuem/*.h; tests/test_layout.py checks every
struct layout against the C compiler's, so they cannot drift silently.
"""
import os
import pathlib

import cffi

CDEF = """
typedef int nuem_status;
typedef int nuem_param;
typedef struct nuem_context nuem_context;
typedef struct nuem_config nuem_config;
typedef struct nuem_spectrum nuem_spectrum;
typedef struct nuem_source nuem_source;
typedef struct nuem_analysis nuem_analysis;

const char *nuem_version(void);
const char *nuem_status_string(nuem_status s);

nuem_status nuem_context_new(nuem_context **ctx);
void nuem_context_free(nuem_context *ctx);
const char *nuem_context_error(const nuem_context *ctx);
size_t nuem_context_warning_count(const nuem_context *ctx);
const char *nuem_context_warning(const nuem_context *ctx, size_t i);

typedef struct {
  size_t ncols, nrows;
  const char *names[32];
  const char *units[32];
  double *data;
  size_t nnotes;
  char *note_keys[16], *note_values[16];
} nuem_result;
void nuem_result_free(nuem_result *r);

nuem_status nuem_config_new(nuem_context *ctx, nuem_config **cfg);
void nuem_config_free(nuem_config *cfg);
nuem_status nuem_config_load_file(nuem_context *ctx, nuem_config *cfg, const char *path);
nuem_status nuem_config_load_string(nuem_context *ctx, nuem_config *cfg,
                                    const char *text, const char *origin);
nuem_status nuem_config_set_assignment(nuem_context *ctx, nuem_config *cfg,
                                       const char *assignment);
nuem_status nuem_config_set(nuem_context *ctx, nuem_config *cfg, const char *section,
                            const char *key, const char *value, const char *origin);
nuem_param nuem_param_find(const char *section, const char *key);
void nuem_config_format(const nuem_config *cfg, nuem_param id, char *buf, size_t size);
nuem_status nuem_config_report_unused(nuem_context *ctx, const nuem_config *cfg);
int nuem_config_given(const nuem_config *cfg, nuem_param id);

typedef struct { double mu, q, r2; } nuem_properties;
nuem_status nuem_spectrum_new(nuem_context *ctx, const nuem_config *cfg, nuem_spectrum **out);
void nuem_spectrum_free(nuem_spectrum *sp);
nuem_properties nuem_spectrum_configured(const nuem_spectrum *sp);
int nuem_spectrum_is_measured(const nuem_config *cfg);
nuem_status nuem_spectrum_table(nuem_context *ctx, const nuem_spectrum *sp,
                                const nuem_properties *p, const double *T, size_t n,
                                int errors, nuem_result *out);
nuem_status nuem_spectrum_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       const nuem_config *cfg, long min_points,
                                       nuem_result *out);
nuem_status nuem_measured_config_table(nuem_context *ctx, const nuem_spectrum *sp,
                                       nuem_result *out);
typedef struct nuem_spectrum_basis nuem_spectrum_basis;
nuem_status nuem_spectrum_basis_new(nuem_context *ctx, const nuem_spectrum *sp,
                                    const nuem_properties *base, int vary, const double *T,
                                    size_t n, nuem_spectrum_basis **out);
nuem_status nuem_spectrum_basis_table(nuem_context *ctx, const nuem_spectrum_basis *b,
                                      const nuem_properties *p, nuem_result *out);
void nuem_spectrum_basis_free(nuem_spectrum_basis *b);

nuem_status nuem_source_init(nuem_context *ctx, const nuem_config *cfg, nuem_source **out);
void nuem_source_free(nuem_source *src);
nuem_status nuem_flux_table(nuem_context *ctx, const nuem_source *src, const nuem_config *cfg,
                            const double *E, size_t n, nuem_result *out);

nuem_status nuem_xsec_table(nuem_context *ctx, const nuem_config *cfg, const char *channel,
                            const char *target, const double *E, const double *T, size_t n,
                            nuem_result *out, const char **per);

typedef struct {
  size_t n;
  double *theta;
  double *t;
  double *critical;
  double lo, hi;
  double theta_hat, best_report;
  int lo_at_boundary, hi_at_boundary;
  double coverage;
} nuem_interval;
void nuem_interval_free(nuem_interval *iv);
nuem_status nuem_analysis_new(nuem_context *ctx, const nuem_config *cfg, const char *data_path,
                              nuem_analysis **out);
void nuem_analysis_free(nuem_analysis *a);
nuem_status nuem_fit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                           nuem_result *out);
nuem_status nuem_limit_table(nuem_context *ctx, const nuem_config *cfg, const nuem_analysis *a,
                             nuem_interval *iv, nuem_result *out);
nuem_status nuem_sensitivity_table(nuem_context *ctx, const nuem_config *cfg,
                                   const char *scan_text, nuem_result *out);

typedef struct nuem_joint nuem_joint;
typedef struct {
  const char *name, *data, *config;
} nuem_joint_input;
nuem_status nuem_joint_new(nuem_context *ctx, const nuem_joint_input *in, size_t n,
                           const char *correlated, const char *const *sets, size_t nsets,
                           nuem_joint **out);
nuem_status nuem_joint_from_file(nuem_context *ctx, const char *path, const char *const *sets,
                                 size_t nsets, nuem_joint **out);
void nuem_joint_free(nuem_joint *j);
size_t nuem_joint_size(const nuem_joint *j);
const char *nuem_joint_name(const nuem_joint *j, size_t e);
const nuem_config *nuem_joint_config(const nuem_joint *j, size_t e);
nuem_status nuem_joint_limit_table(nuem_context *ctx, const nuem_joint *j, nuem_result *out);
"""

ffi = cffi.FFI()
ffi.cdef(CDEF)

_HERE = pathlib.Path(__file__).resolve().parent


def library_path():
    """The libnuem this package uses, in this order: $NUEM_LIBRARY; the copy
    installed inside the package by `pip install ./python` (the library the
    package was built with); the build tree beside the sources
    (<repo>/build/libnuem.so, when the package is imported from python/).
    A libnuem elsewhere on the system is never searched for."""
    env = os.environ.get("NUEM_LIBRARY")
    if env:
        if not os.path.isfile(env):
            raise ImportError(f"nuem: NUEM_LIBRARY={env} is not a file")
        return env
    candidates = [_HERE / "libnuem.so", _HERE.parent.parent / "build" / "libnuem.so"]
    for c in candidates:
        if c.is_file():
            return str(c)
    raise ImportError("nuem: libnuem not found: set NUEM_LIBRARY to the libnuem.so of your "
                      "build, or build nuem (make build) and install the package with "
                      "pip install ./python (docs/python.md)")


lib = ffi.dlopen(library_path())

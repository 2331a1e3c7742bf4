/* Couplings: tree level in sin^2(theta_W), or radiatively corrected. */
#include <string.h>

#include "core_internal.h"
#include "nuem/interaction.h"

/* Effective nu-e couplings (g_V, g_A) for neutrinos of each lepton flavour at
 * sin2w = 0.23857, from arXiv:2207.05036 as quoted by NuRecoil
 * docs/sm_cs.md; and effective nucleon couplings g_V^p (per flavour), g_V^n
 * (arXiv:2411.03122, EPJC 83, 683 (2023), quoted by NuRecoil). */
static const double effective_gv[3] = {0.9521, -0.0397, -0.0353};
static const double effective_ga[3] = {0.4938, -0.5062, -0.5062};
static const double effective_gvp[3] = {0.0382, 0.0300, 0.0256};
static const double effective_gvn = -0.5117;
/* The sin2w at which those effective couplings are quoted (PDG 2020-22
 * MS-bar value at Q^2 -> 0; docs/physics.md, "Units and constants"). */
static const double effective_couplings_sin2w = 0.23857;

nuem_status nuem_interaction_setup(nuem_context *ctx, int flavour, double sin2w,
                                   int couplings, int form_factor,
                                   nuem_interaction *out) {
  if (flavour < 0 || flavour >= NUEM_NFLAVOURS)
    return nuem_error(ctx, NUEM_ECONFIG, "unknown flavour (choose nue, antinue, "
                      "numu, antinumu, nutau or antinutau)");
  if (!(sin2w > 0 && sin2w < 1))
    return nuem_error(ctx, NUEM_ERANGE, "physics.sin2w = %g must lie in (0, 1)", sin2w);
  int lepton = flavour / 2, anti = flavour % 2;
  nuem_interaction in = {.flavour = flavour, .sin2w = sin2w, .couplings = couplings,
                         .form_factor = form_factor};
  if (couplings == NUEM_COUPLINGS_EFFECTIVE) {
    in.gv = effective_gv[lepton];
    in.ga = effective_ga[lepton];
    in.gv_p = effective_gvp[lepton];
    in.gv_n = effective_gvn;
  } else {
    /* Neutral current g_V = T3 - 2 Q s^2, g_A = T3 with T3 = -1/2, Q = -1 for
     * the electron (+1/2, +1 for the proton; the neutron's g_V = -1/2);
     * nu_e and anti-nu_e add the charged current (+1). */
    in.gv = -0.5 + 2.0 * sin2w + (lepton == 0 ? 1.0 : 0.0);
    in.ga = -0.5 + (lepton == 0 ? 1.0 : 0.0);
    in.gv_p = 0.5 - 2.0 * sin2w;
    in.gv_n = -0.5;
  }
  if (anti) in.ga = -in.ga; /* antineutrinos: the axial coupling flips sign */
  *out = in;
  return NUEM_OK;
}

static const nuem_choice coupling_models[] = {
    {"tree", NUEM_COUPLINGS_TREE}, {"effective", NUEM_COUPLINGS_EFFECTIVE}};
static const nuem_choice form_factors[] = {
    {"helm", NUEM_FF_HELM}, {"klein-nystrand", NUEM_FF_KLEIN_NYSTRAND}, {"none", NUEM_FF_NONE}};
static const nuem_choice r2_conventions[] = {
    {"giunti-studenikin", NUEM_R2_GIUNTI_STUDENIKIN}, {"vogel-engel", NUEM_R2_VOGEL_ENGEL}};

nuem_status nuem_interaction_init(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_interaction *out) {
  int flavour = nuem_flavour_from_name(nuem_config_choice_name(cfg, NUEM_P_PHYSICS_FLAVOUR));
  if (flavour < 0)
    return nuem_error(ctx, NUEM_EINTERNAL, "internal error: physics.flavour = %s has no "
                      "flavour", nuem_config_choice_name(cfg, NUEM_P_PHYSICS_FLAVOUR));
  return nuem_interaction_init_flavour(ctx, cfg, flavour, out);
}

nuem_status nuem_interaction_init_flavour(nuem_context *ctx, const nuem_config *cfg,
                                          int flavour, nuem_interaction *out) {
  int couplings, form_factor, r2_convention;
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_PHYSICS_COUPLINGS, coupling_models,
                                  &couplings));
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_PHYSICS_FORM_FACTOR, form_factors,
                                  &form_factor));
  NUEM_TRY(NUEM_CONFIG_CHOICE_MAP(ctx, cfg, NUEM_P_PHYSICS_R2_CONVENTION, r2_conventions,
                                  &r2_convention));
  /* sin2w enters only the tree-level couplings. */
  double sin2w = couplings == NUEM_COUPLINGS_TREE
                     ? nuem_config_number(cfg, NUEM_P_PHYSICS_SIN2W)
                     : effective_couplings_sin2w;
  NUEM_TRY(nuem_interaction_setup(ctx, flavour, sin2w, couplings, form_factor, out));
  /* The properties of this flavour's neutrino (one value, or its entry of a
   * per-flavour list). */
  double mu[NUEM_NLEPTONS], q[NUEM_NLEPTONS], r2[NUEM_NLEPTONS];
  nuem_config_per_flavour(cfg, NUEM_P_PHYSICS_MU_NU, mu);
  nuem_config_per_flavour(cfg, NUEM_P_PHYSICS_Q_NU, q);
  nuem_config_per_flavour(cfg, NUEM_P_PHYSICS_R2_NU, r2);
  out->mu = mu[NUEM_LEPTON(flavour)];
  out->q = q[NUEM_LEPTON(flavour)];
  out->r2 = r2[NUEM_LEPTON(flavour)];
  out->r2_convention = r2_convention;
  return NUEM_OK;
}

const char *nuem_process_name(int proc) {
  static const char *const names[NUEM_NPROC] = {"sm", "mu", "q", "r2", "total"};
  return proc >= 0 && proc < NUEM_NPROC ? names[proc] : "?";
}

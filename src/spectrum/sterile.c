/* Sterile-neutrino dark matter in the spectrum stage: the chain (no flux,
 * no rate plan), the decay line and the off-pole continuum
 * (docs/physics.md, "Sterile-neutrino dark matter"). */
#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/sterile.h"
#include "spectrum_internal.h"


nuem_status nuem_sterile_chain_build(nuem_context *ctx, const nuem_config *cfg, nuem_chain *c) {
  nuem_atomic_options atomic;
  double mu_sa;
  c->sterile = 1;
  NUEM_CALL(ctx, "source", nuem_halo_from_config(ctx, cfg, &c->halo));
  NUEM_CALL(ctx, "source", nuem_halo_line_shape(ctx, &c->halo, &c->line));
  NUEM_CALL(ctx, "target", nuem_target_init(ctx, cfg, &c->tgt));
  if (!(c->tgt->density > 0))
    return nuem_error(ctx, NUEM_ECONFIG, "target %s: the decay line's rate per kg needs the "
                      "detector's density; use a material (%s)", c->tgt->name,
                      nuem_target_known_materials());
  NUEM_CALL(ctx, "interaction", nuem_interaction_init(ctx, cfg, &c->in));
  NUEM_CALL(ctx, "physics", nuem_sterile_moment_from_config(ctx, cfg, c->halo.mass, &mu_sa,
                                                            &c->coupling_given));
  /* the neutrino properties belong to reactor neutrinos: not used here */
  c->in.mu = c->in.q = c->in.r2 = 0;
  NUEM_TRY(nuem_atomic_options_from_config(ctx, cfg, &atomic));
  NUEM_CALL(ctx, "atomic model", nuem_atomic_new(ctx, &atomic, c->tgt, &c->in, &c->atomic));
  c->in.mu = mu_sa;
  return NUEM_OK;
}

int nuem_spectrum_is_sterile(const nuem_spectrum *sp) { return sp->chain->sterile; }

/* Decays per kg per day: n_s Gamma/gamma per unit volume (every photon is
 * absorbed where it is made; moving nu_s decay slower by gamma), over the
 * detector's density. */
double nuem_sterile_line_rate(const nuem_chain *c, double mu_sa) {
  return nuem_halo_number_density(&c->halo) * nuem_sterile_width(mu_sa, c->halo.mass) /
         nuem_halo_gamma(&c->halo) / c->tgt->density * NUEM_SECONDS_PER_DAY;
}

void nuem_spectrum_sterile_line(const nuem_spectrum *sp, double mu_sa, nuem_sterile_line *out) {
  const nuem_chain *c = sp->chain;
  memset(out, 0, sizeof *out);
  if (!c->sterile) return;
  out->mass = c->halo.mass;
  out->energy = c->line.centre;
  out->rate = nuem_sterile_line_rate(c, mu_sa);
  out->decay_width = nuem_sterile_width(mu_sa, c->halo.mass);
  out->hwhm = c->line.hwhm;
  out->half_width_v0 = 0.5 * c->halo.mass * c->halo.v0;
  out->number_density = nuem_halo_number_density(&c->halo);
  out->mu_sa = mu_sa;
  out->sin2_2theta = nuem_sterile_sin2_from_mu(mu_sa, c->halo.mass);
}

/* The off-pole continuum [/kg/MeV/s]: zero inside the line's window
 * (there the pole is the line), above T = m_s, and for a fixed-speed
 * population, whose relativistic continuum is not modelled. */
static double continuum(const nuem_chain *c, double mu_sa, double T) {
  double m = c->halo.mass, RL, RT;
  if (c->halo.fixed || !(T > 0 && T < m) || fabs(T - c->line.centre) < c->line.x_max ||
      mu_sa == 0)
    return 0;
  nuem_sterile_responses(c->atomic, T, m - T, &RL, &RT);
  return c->tgt->formulas_per_kg * nuem_halo_number_density(&c->halo) * NUEM_C_CM_S *
         nuem_sterile_v_dsigma_dt(mu_sa, m, T, RL, RT);
}

void nuem_sterile_row(const nuem_chain *c, double mu_sa, double T, double row[NUEM_SPECTRUM_NCOLS]) {
  for (int k = 0; k < NUEM_SPECTRUM_NCOLS; k++) row[k] = 0;
  row[NUEM_COL_T] = T * NUEM_KEV_PER_MEV;
  row[NUEM_COL_ELEC_MU] = row[NUEM_COL_TOTAL] = continuum(c, mu_sa, T) * NUEM_PER_KEV_DAY;
}

void nuem_sterile_notes(const nuem_chain *c, double mu_sa, nuem_result *out) {
  const nuem_halo *h = &c->halo;
  double m = h->mass, kms = NUEM_C_CM_S / 1e5;
  double sin2 = nuem_sterile_sin2_from_mu(mu_sa, m);
  nuem_result_note(out, "sterile_mass", "%.6g keV, rho_s = %.6g GeV/cm3, n_s = %.6g /cm3",
                   m * 1e3, h->density * 1e-3, nuem_halo_number_density(h));
  if (h->fixed)
    nuem_result_note(out, "velocity", "one speed v = %.6g c (gamma = %.6g)", h->speed,
                     nuem_halo_gamma(h));
  else
    nuem_result_note(out, "halo", "Standard Halo Model: v0 = %.6g km/s, v_esc = %.6g km/s, "
                     "v_earth = %.6g km/s", h->v0 * kms, h->v_esc * kms, h->v_earth * kms);
  if (!c->coupling_given)
    nuem_result_note(out, "warning", "no signal: set physics.mu_sa or physics.sin2_2theta");
  nuem_result_note(out, "mu_sa", "%.6g muB", mu_sa);
  nuem_result_note(out, "sin2_2theta", "%.6g%s", sin2, sin2 > 1 ? " (above 1: no mixing angle "
                   "gives this moment)" : "");
  nuem_result_note(out, "decay_width", "%.6g /s (lifetime %.6g s)",
                   nuem_sterile_width(mu_sa, m), 1.0 / nuem_sterile_width(mu_sa, m));
  nuem_result_note(out, "line", "%.6g /kg/day at T = %.6g keV (n_s Gamma/gamma per volume, target "
                   "%s at %.6g g/cm3)", nuem_sterile_line_rate(c, mu_sa), c->line.centre * 1e3,
                   c->tgt->name, c->tgt->density * 1e3);
  if (h->fixed)
    nuem_result_note(out, "line_width", "a flat box of half width gamma m_s v/2 = %.6g eV",
                     c->line.x_max * 1e6);
  else
    nuem_result_note(out, "line_width", "Doppler half width at half maximum %.6g eV (m_s v0/2 "
                     "= %.6g eV; the line ends at +-%.6g eV)", c->line.hwhm * 1e6,
                     0.5 * m * h->v0 * 1e6, c->line.x_max * 1e6);
  const char *label = nuem_sterile_continuum_label(c->atomic);
  if (h->fixed)
    nuem_result_note(out, "continuum", "none: the off-pole continuum of a relativistic "
                     "population (the full q range of the cross section) is not modelled");
  else if (strcmp(label, "none") == 0)
    nuem_result_note(out, "continuum", "none: free and stepping electrons have no response "
                     "functions off the pole; set atomic.model = ab-initio or epa");
  else
    nuem_result_note(out, "continuum", "%s responses, off the line's window", label);
}

nuem_status nuem_sterile_table(nuem_context *ctx, const nuem_spectrum *sp, double mu_sa,
                               const double *T, size_t n, nuem_result *out) {
  const nuem_chain *c = sp->chain;
  const char *label = c->halo.fixed ? "none" : nuem_sterile_continuum_label(c->atomic);
  const char *continuum_name = strcmp(label, "ab-initio") == 0    ? "continuum_ab-initio"
                               : strcmp(label, "epa-dipole") == 0 ? "continuum_epa-dipole"
                                                                  : "continuum_none";
  const char *names[] = {"T", "line", continuum_name, "total"};
  const char *units[] = {"keV", "/kg/keV/day", "/kg/keV/day", "/kg/keV/day"};
  NUEM_TRY(nuem_result_init(ctx, out, n, 4, names, units));
  double line = nuem_sterile_line_rate(c, mu_sa) / NUEM_KEV_PER_MEV; /* per day per MeV of x */
  for (size_t i = 0; i < n; i++) {
    double *row = &out->data[i * 4];
    row[0] = T[i] * NUEM_KEV_PER_MEV;
    row[1] = line * nuem_line_density(&c->line, T[i] - c->line.centre);
    row[2] = continuum(c, mu_sa, T[i]) * NUEM_PER_KEV_DAY;
    row[3] = row[1] + row[2];
  }
  nuem_sterile_notes(c, mu_sa, out);
  return NUEM_OK;
}

int nuem_param_is_halo(nuem_param id) {
  return id == NUEM_P_SOURCE_MASS || id == NUEM_P_SOURCE_DM_DENSITY ||
         id == NUEM_P_SOURCE_HALO_V0 || id == NUEM_P_SOURCE_HALO_V_ESC ||
         id == NUEM_P_SOURCE_HALO_V_EARTH || id == NUEM_P_PHYSICS_MU_SA ||
         id == NUEM_P_PHYSICS_SIN2_2THETA;
}

double nuem_spectrum_resolution(const nuem_spectrum *sp, double E) {
  return sp->det && !sp->imported ? nuem_detector_sigma(sp->det, E) : NAN;
}

/* Pion decay at rest (e.g. the SNS for COHERENT): pi+ -> mu+ nu_mu gives a
 * prompt nu_mu line, mu+ -> e+ nu_e antinu_mu the delayed Michel spectra;
 * each flavour's flux is r N_POT / (4 pi L^2) (docs/physics.md, "Source:
 * pion decay at rest"). */
#include <math.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "source_internal.h"

/* The prompt line: two-body decay at rest, E = (m_pi^2 - m_mu^2) / (2 m_pi). */
static double prompt_energy(void) {
  return (NUEM_MPI * NUEM_MPI - NUEM_MMU * NUEM_MMU) / (2.0 * NUEM_MPI);
}

/* Protons per second: source.proton_rate, or source.protons over
 * source.duration. */
static nuem_status proton_rate(nuem_context *ctx, const nuem_config *cfg, double *rate) {
  int by_rate = nuem_config_is_set(cfg, NUEM_P_SOURCE_PROTON_RATE);
  int by_total = nuem_config_is_set(cfg, NUEM_P_SOURCE_PROTONS);
  if (by_rate == by_total)
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = pidar needs exactly one of "
                      "source.proton_rate and source.protons (with source.duration)");
  if (by_rate) {
    if (nuem_config_given(cfg, NUEM_P_SOURCE_DURATION))
      return nuem_error(ctx, NUEM_ECONFIG, "source.duration goes with source.protons, not "
                        "with source.proton_rate");
    *rate = nuem_config_number(cfg, NUEM_P_SOURCE_PROTON_RATE);
    return NUEM_OK;
  }
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_DURATION))
    return nuem_error(ctx, NUEM_ECONFIG, "source.protons needs source.duration, the time "
                      "over which they arrive (the detector exposure's live time)");
  *rate = nuem_config_number(cfg, NUEM_P_SOURCE_PROTONS) /
          nuem_config_number(cfg, NUEM_P_SOURCE_DURATION);
  return NUEM_OK;
}

nuem_status nuem_pidar_init(nuem_context *ctx, const nuem_config *cfg, nuem_source *src) {
  src->type = NUEM_SOURCE_PIDAR;
  if (nuem_config_given(cfg, NUEM_P_PHYSICS_FLAVOUR))
    return nuem_error(ctx, NUEM_ECONFIG, "physics.flavour is for reactor and table sources: "
                      "source.type = pidar delivers numu, nue and antinumu");
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_NU_PER_PROTON))
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = pidar needs source.nu_per_proton, "
                      "the neutrinos per flavour per proton on target");
  double per_area;
  NUEM_TRY(proton_rate(ctx, cfg, &src->proton_rate));
  NUEM_TRY(nuem_source_geometry(ctx, cfg, "pidar", &per_area));
  double phi = nuem_config_number(cfg, NUEM_P_SOURCE_NU_PER_PROTON) * src->proton_rate * per_area;
  src->e_min = 0.0;
  nuem_source_line prompt = {.energy = prompt_energy(), .total = phi};
  prompt.flux[NUEM_NUMU] = phi;
  NUEM_TRY(nuem_source_add_line(ctx, src, &prompt));
  nuem_source_deliver(src, NUEM_NUMU);
  const nuem_continuum delayed[2] = {
      {.flavour = NUEM_NUE, .shape = NUEM_SHAPE_MICHEL_NUE, .flux = phi, .e_max = NUEM_MMU / 2},
      {.flavour = NUEM_ANTINUMU, .shape = NUEM_SHAPE_MICHEL_ANTINUMU, .flux = phi,
       .e_max = NUEM_MMU / 2}};
  for (int i = 0; i < 2; i++) NUEM_TRY(nuem_source_add_continuum(ctx, src, &delayed[i]));
  src->e_max = fmax(src->e_max, prompt.energy);
  return nuem_source_finish_knots(ctx, src);
}

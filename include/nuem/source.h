/* Stage 1, source: the neutrino flux dPhi/dE at the detector.
 *
 * A reactor source sums the fission spectra S_i(E) weighted by the fission
 * fractions, scaled by the fission rate P / sum_i f_i e_i and by 1/(4 pi L^2),
 * plus (optionally) the antineutrinos of neutron capture on 238U. A table
 * source interpolates a user's (E, dPhi/dE) table. Flux in 1/(cm2 s MeV). */
#ifndef NUEM_SOURCE_H
#define NUEM_SOURCE_H

#include "nuem/config.h"
#include "nuem/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Source types (source.type = reactor, table, solar, radioactive, pidar or
 * sterile-dm). */
enum { NUEM_SOURCE_REACTOR, NUEM_SOURCE_TABLE, NUEM_SOURCE_SOLAR, NUEM_SOURCE_RADIOACTIVE,
       NUEM_SOURCE_PIDAR, NUEM_SOURCE_STERILE_DM };
/* Solar components (source.components names them). */
enum { NUEM_SOLAR_PP, NUEM_SOLAR_PEP, NUEM_SOLAR_HEP, NUEM_SOLAR_BE7, NUEM_SOLAR_B8,
       NUEM_SOLAR_N13, NUEM_SOLAR_O15, NUEM_SOLAR_F17, NUEM_SOLAR_NCOMPONENTS };
/* The fission isotopes (source.fractions names them U235 ... Pu241). */
enum { NUEM_U235, NUEM_U238, NUEM_PU239, NUEM_PU241, NUEM_NFISSION };
/* Flux components: the four fission isotopes, then neutron capture. */
enum { NUEM_COMPONENT_CAPTURE = NUEM_NFISSION, NUEM_NCOMPONENTS };

typedef struct nuem_source nuem_source;

nuem_status nuem_source_init(nuem_context *ctx, const nuem_config *cfg,
                             nuem_source **out);
/* The source that source.add puts beside source.type (the Sun as a
 * background of a reactor or radioactive-source experiment), or *out = NULL
 * for source.add = none. source.total_flux scales the main source only. */
nuem_status nuem_source_init_added(nuem_context *ctx, const nuem_config *cfg,
                                   nuem_source **out);
void nuem_source_free(nuem_source *src);
/* The source's type (NUEM_SOURCE_REACTOR ...). */
int nuem_source_type(const nuem_source *src);

/* dPhi/dE [1/(cm2 s MeV)] at neutrino energy E [MeV]; 0 outside the support. */
double nuem_source_flux(const nuem_source *src, double E);
/* The same split into components (reactor sources only; other sources put
 * everything in component 0). Returns the total. */
double nuem_source_flux_components(const nuem_source *src, double E,
                                   double comp[NUEM_NCOMPONENTS]);
/* The one-standard-deviation band of dPhi/dE [1/(cm2 s MeV)] at E [MeV]:
 * returns 1 and sets *sigma where nuem carries a published uncertainty of the
 * spectrum, 0 (and *sigma = NAN) where it does not. A reactor with
 * source.low_energy = perisse-2023 below 2 MeV (Perisse et al., PRC 108,
 * 055501 (2023); isotopes fully correlated) and source.high_energy =
 * huber-mueller above (Huber, PRC 84, 024617 (2011): 235U, 239Pu, 241Pu;
 * Mueller et al., PRC 83, 054615 (2011): 238U) or mueller (Mueller's for
 * all four); the sources of error in quadrature; the capture antineutrinos
 * without uncertainty (docs/physics.md, "Reactor spectrum uncertainties"). */
int nuem_source_flux_sigma(const nuem_source *src, double E, double *sigma);
/* The relative one-sigma of the rate N = integral of E^power dPhi/dE over
 * the spectrum, from the published band: below 2 MeV one shift correlated
 * over energy and isotopes; above, each source of error of Huber's and
 * Mueller's tables (other than statistics) correlated over energy and the
 * isotopes that carry it, the statistical errors independent per 250 keV
 * bin and isotope. power 0 stands for nu-e
 * scattering at T << E (a kernel flat in E), 2 for CEvNS well above its
 * threshold (docs/statistics.md, "Flux uncertainty from the spectrum"). An
 * error if the source has no published band. */
nuem_status nuem_source_flux_band_relative(nuem_context *ctx, const nuem_source *src,
                                           int power, double *rel);

/* A detection channel's kernel K(E): its rate is N = integral K(E) dPhi/dE. */
typedef struct {
  double (*fn)(double E, const void *user);
  const void *user;
} nuem_flux_kernel;
/* The band above split for a channel with kernel K: *norm receives the
 * relative one-sigma of N (as nuem_source_flux_band_relative for K = E^p),
 * *shape the relative change dphi/phi(E) of the one-sigma variation that
 * leaves N unchanged and carries the largest share of the band's remaining
 * variance, measured by integral K dphi^2/phi dE / N (the caller frees it),
 * *share that share, in (0, 1]. The sign makes the spectrum harder (shape
 * larger at the top than at the bottom). docs/statistics.md, "Flux shape". */
nuem_status nuem_source_flux_shape(nuem_context *ctx, const nuem_source *src,
                                   const nuem_flux_kernel *kernel, double *norm,
                                   nuem_interp **shape, double *share);
/* A reactor source like src (which must outlive it) whose flux is
 * multiplied by 1 + amplitude shape(E); shape must outlive it too. Its
 * total is src's (it is a variation for fits, not a source to report). */
nuem_status nuem_source_reshaped(nuem_context *ctx, const nuem_source *src,
                                 const nuem_interp *shape, double amplitude, nuem_source **out);

/* ---- flavours and lines ----
 * A source delivers one or more flavours (reactor and table: physics.flavour;
 * solar: nue, and numu and nutau when the flavours convert), each with its
 * own continuum dPhi/dE, plus mono-energetic lines: a line is a delta in E,
 * so its rate is the cross section at its energy times its flux (the rate
 * plan adds lines exactly; docs/physics.md, "Rate"). nuem_source_flux and
 * nuem_source_total are summed over flavours; the total includes lines. */
typedef struct {
  double energy;                 /* MeV */
  double total;                  /* /cm2/s, all flavours */
  double flux[NUEM_NFLAVOURS];   /* /cm2/s in each flavour at the detector */
  int component;                 /* e.g. NUEM_SOLAR_BE7 */
} nuem_source_line;

/* The flavours delivered (at most NUEM_NFLAVOURS, in `flavours`). */
size_t nuem_source_flavours(const nuem_source *src, int flavours[NUEM_NFLAVOURS]);
/* Continuum dPhi/dE [1/(cm2 s MeV)] of one flavour (0 if not delivered). */
double nuem_source_flavour_flux(const nuem_source *src, int flavour, double E);
size_t nuem_source_lines(const nuem_source *src, const nuem_source_line **lines);

/* Solar sources: the flux of a component at the detector [/cm2/s] (0 if not
 * selected), and the probability that its neutrino of energy E [MeV]
 * arrives as `flavour` (P_ee for nue), averaged over its production region. */
double nuem_source_solar_flux(const nuem_source *src, int component);
double nuem_source_solar_probability(const nuem_source *src, int component, int flavour,
                                     double E);
const char *nuem_solar_component_name(int component);
/* Component by name ("pp", "7Be", ...; len characters) or -1. */
int nuem_solar_component_from_name(const char *name, size_t len);

/* Radioactive sources: the activity [1/s] averaged over source.duration
 * (0 for other types). Pion decay at rest: protons on target per second
 * (0 for other types). */
double nuem_source_mean_activity(const nuem_source *src);
double nuem_source_proton_rate(const nuem_source *src);

/* Support [e_min, e_max] of the flux, in MeV. */
double nuem_source_e_min(const nuem_source *src);
double nuem_source_e_max(const nuem_source *src);
/* Energies (MeV, increasing, including both ends of the support) where the
 * flux or its derivatives may jump; integrals should break there. */
size_t nuem_source_knots(const nuem_source *src, const double **knots);

/* Total flux [1/(cm2 s)] and its quadrature error estimate. */
double nuem_source_total(const nuem_source *src, double *abserr);
/* Fissions per second (reactor sources; 0 for tables). */
double nuem_source_fission_rate(const nuem_source *src);
/* Antineutrinos per fission (reactor sources; 0 for tables). */
double nuem_source_per_fission(const nuem_source *src);

/* The spectrum per fission S_i(E) [1/MeV] of fission isotope i under the
 * configured high- and low-energy models (for tests and the flux command). */
double nuem_source_per_fission_spectrum(const nuem_source *src, int isotope,
                                        double E);

/* ---- sterile-neutrino dark matter (source.type = sterile-dm) ---------------
 * Not a flux: a population of non-relativistic nu_s in the galactic halo.
 * Docs: docs/physics.md, "Sterile-neutrino dark matter". */

/* 1 if the config's source is sterile-neutrino dark matter. */
int nuem_source_is_sterile_dm(const nuem_config *cfg);

/* The halo: the nu_s mass, the local density and the Standard Halo Model
 * (a Maxwellian of most probable speed v0, cut at v_esc in the galactic
 * frame, seen from an Earth moving at v_earth). */
typedef struct {
  double mass;    /* m_s [MeV] */
  double density; /* rho_s [MeV/cm3]: an energy density */
  double v0, v_esc, v_earth; /* [units of c] */
  int fixed;      /* source.velocity = fixed: all nu_s at one speed */
  double speed;   /* that speed [units of c] (fixed only) */
} nuem_halo;

/* The halo of the [source] keys; a missing mass, or speeds that make no
 * halo (v_esc <= 0 is refused by the key's range), are errors. */
nuem_status nuem_halo_from_config(nuem_context *ctx, const nuem_config *cfg, nuem_halo *out);
/* n_s = rho_s/(gamma m_s) [1/cm3] (gamma = 1 for the halo). */
double nuem_halo_number_density(const nuem_halo *h);
/* The Lorentz factor of a fixed-speed population (1 for the halo, whose
 * v ~ 1e-3 makes gamma - 1 ~ 1e-6, neglected). */
double nuem_halo_gamma(const nuem_halo *h);

/* The decay line's shape: the photon of nu_s -> nu_a gamma from a nu_s of
 * speed v is spread uniformly over T = (E_s -+ p_s)/2 = (gamma m_s/2)(1 -+ v)
 * (isotropic decay in the rest frame), so the halo's line is that box
 * averaged over its speeds in the Earth frame (gamma = 1), a fixed speed's
 * line the box itself (docs/physics.md, "Sterile-neutrino dark matter"). Stored
 * as NUEM_LINE_CELLS equal cells in x = T - centre over [-x_max, x_max]
 * (halo: x_max = m_s (v_esc + v_earth)/2): the probability of each cell
 * (summing to 1 exactly) at its centre. */
enum { NUEM_LINE_CELLS = 64 };
typedef struct {
  double centre;                      /* gamma m_s/2 [MeV] */
  double x_max;                       /* [MeV] */
  double offset[NUEM_LINE_CELLS];     /* cell centres x [MeV] */
  double weight[NUEM_LINE_CELLS];     /* probabilities, sum 1 */
  double hwhm;                        /* half width at half maximum [MeV] */
} nuem_line_shape;

nuem_status nuem_halo_line_shape(nuem_context *ctx, const nuem_halo *h, nuem_line_shape *out);
/* The shape's density [1/MeV] at x = T - m_s/2 (the cell's probability over
 * its width; 0 outside). */
double nuem_line_density(const nuem_line_shape *s, double x);
/* The Earth-frame speed distribution f(v) [per unit v, v in c], normalised
 * to 1 (for tests and docs). */
double nuem_halo_speed_pdf(const nuem_halo *h, double v);

/* ---- the flux table ---- */

/* dPhi/dE at the detector [/cm2/s/MeV] as `nuem flux` prints it: columns E
 * [MeV], flux, then per source type the fission components and the
 * one-sigma band (reactor), the flavours (solar, radioactive, pidar); the
 * totals as notes. At energies E[0..n-1] [MeV] (positive, finite), or with
 * E NULL on the [output] grid (output.points log-spaced values from
 * output.e_min to the source's upper end). */
nuem_status nuem_flux_table(nuem_context *ctx, const nuem_source *src, const nuem_config *cfg,
                            const double *E, size_t n, nuem_result *out);

#ifdef __cplusplus
}
#endif
#endif

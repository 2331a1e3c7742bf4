/* Stage 3, interaction: differential cross sections dsigma/dT and kinematics.
 * Energies in MeV, cross sections in cm2/MeV per target particle. Formulas,
 * conventions and sources: docs/physics.md. */
#ifndef NUEM_INTERACTION_H
#define NUEM_INTERACTION_H

#include "nuem/config.h"
#include "nuem/core.h"
#include "nuem/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Order of physics.flavour, physics.couplings, physics.form_factor choices. */
enum { NUEM_NUE, NUEM_ANTINUE, NUEM_NUMU, NUEM_ANTINUMU, NUEM_NUTAU,
       NUEM_ANTINUTAU, NUEM_NFLAVOURS };
enum { NUEM_COUPLINGS_TREE, NUEM_COUPLINGS_EFFECTIVE };
enum { NUEM_FF_HELM, NUEM_FF_KLEIN_NYSTRAND, NUEM_FF_NONE };

typedef struct {
  int flavour;
  double sin2w;
  int couplings;
  int form_factor;
  double gv, ga;       /* nu-e vector and axial couplings of this flavour */
  double gv_p, gv_n;   /* nucleon vector couplings for CEvNS */
} nuem_interaction;

/* Couplings for `flavour` (NUEM_NUE…), sin2w and coupling/form-factor
 * choices; checks them. */
nuem_status nuem_interaction_setup(nuem_context *ctx, int flavour, double sin2w,
                                   int couplings, int form_factor,
                                   nuem_interaction *out);
nuem_status nuem_interaction_init(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_interaction *out);
/* Flavour by name (nue, antinue, …) or -1. */
int nuem_flavour_from_name(const char *name);
const char *nuem_flavour_name(int flavour);

/* Kinematics of elastic scattering on a target of mass m at rest:
 * T_max(E) = 2E^2/(m + 2E), E_min(T) = (T + sqrt(T^2 + 2 m T))/2. */
double nuem_kin_t_max(double E, double m);
double nuem_kin_e_min(double T, double m);

/* Standard-Model nu-e elastic scattering on a free electron (Vogel & Engel
 * 1989). Zero outside the kinematic range. */
double nuem_xsec_electron_sm(const nuem_interaction *in, double E, double T);

/* CEvNS on one isotope (Freedman 1974), with the configured form factor. */
double nuem_xsec_cevns(const nuem_interaction *in, const nuem_isotope *iso,
                       double E, double T);
/* Weak charge Q_W = -2 (g_V^p Z + g_V^n N) (= N - (1 - 4 s^2) Z at tree level). */
double nuem_cevns_weak_charge(const nuem_interaction *in, const nuem_isotope *iso);
/* Form factor F(q) for momentum transfer q [MeV]; F(0) = 1. */
double nuem_form_factor(int model, const nuem_isotope *iso, double q);

/* The same cross sections as c0 + c1/E + c2/E^2, valid for E >= E_min(T):
 * every channel here has this shape, which lets the rate stage fold them
 * with precomputed flux moments (docs/physics.md, "Fast path"). */
void nuem_xsec_electron_sm_coeffs(const nuem_interaction *in, double T,
                                  double c[3]);
void nuem_xsec_cevns_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                            double T, double c[3]);

#ifdef __cplusplus
}
#endif
#endif

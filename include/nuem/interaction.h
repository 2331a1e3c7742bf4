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

/* Couplings and form factors (flavours: nuem/core.h); the config words map
 * to them by name (nuem_interaction_init), not by their order. */
enum { NUEM_COUPLINGS_TREE, NUEM_COUPLINGS_EFFECTIVE };
enum { NUEM_FF_HELM, NUEM_FF_KLEIN_NYSTRAND, NUEM_FF_NONE };
/* Charge-radius conventions: Bernabeu / Giunti-Studenikin
 * (g_V -> g_V + sqrt2 pi alpha <r2>/(3 G_F)) or Vogel-Engel (twice that). */
enum { NUEM_R2_GIUNTI_STUDENIKIN, NUEM_R2_VOGEL_ENGEL };

/* Millicharge sign convention: with the charge form factor
 * F(q^2) = q_nu + q^2 <r2>/6 (Giunti-Studenikin), photon exchange at
 * q^2 = -2 m T < 0 shifts g_V^e by -X(T) for q_nu > 0 (q_nu in units of the
 * proton charge), opposite to a positive <r2>, and the proton's g_V^p by the
 * opposite amount (docs/physics.md, "Electromagnetic properties"). */
#define NUEM_MILLICHARGE_SIGN (-1.0)

/* The processes of each channel: the Standard Model, the excess over it
 * from each electromagnetic property alone (total with the property minus
 * SM, so interference is included), and the total with every property. */
enum { NUEM_PROC_SM, NUEM_PROC_MU, NUEM_PROC_Q, NUEM_PROC_R2, NUEM_PROC_TOTAL,
       NUEM_NPROC };

typedef struct {
  int flavour;
  double sin2w;
  int couplings;
  int form_factor;
  double gv, ga;       /* nu-e vector and axial couplings of this flavour */
  double gv_p, gv_n;   /* nucleon vector couplings for CEvNS */
  /* Electromagnetic properties of the NEUTRINO of this flavour (for an
   * antineutrino source they are still the neutrino's: docs/physics.md). */
  double mu;           /* effective magnetic moment [mu_B], >= 0 */
  double q;            /* millicharge [e], signed */
  double r2;           /* charge radius <r^2> [cm2], signed */
  int r2_convention;
} nuem_interaction;

/* Name of a process ("sm", "mu", "q", "r2", "total"). */
const char *nuem_process_name(int proc);

/* Couplings for `flavour` (NUEM_NUE…), sin2w and coupling/form-factor
 * choices; checks them. */
nuem_status nuem_interaction_setup(nuem_context *ctx, int flavour, double sin2w,
                                   int couplings, int form_factor,
                                   nuem_interaction *out);
nuem_status nuem_interaction_init(nuem_context *ctx, const nuem_config *cfg,
                                  nuem_interaction *out);
/* The same for `flavour` instead of physics.flavour (a source that delivers
 * several flavours); the properties are the flavour's own when
 * physics.mu_nu, q_nu or r2_nu are given per flavour. */
nuem_status nuem_interaction_init_flavour(nuem_context *ctx, const nuem_config *cfg,
                                          int flavour, nuem_interaction *out);

/* Kinematics of elastic scattering on a target of mass m at rest:
 * T_max(E) = 2E^2/(m + 2E), E_min(T) = (T + sqrt(T^2 + 2 m T))/2. */
double nuem_kin_t_max(double E, double m);
double nuem_kin_e_min(double T, double m);

/* Standard-Model nu-e elastic scattering on a free electron (Vogel & Engel
 * 1989). Zero outside the kinematic range. */
double nuem_xsec_electron_sm(const nuem_interaction *in, double E, double T);
/* Any process on a free electron, from the closed formulas. */
double nuem_xsec_electron(const nuem_interaction *in, int proc, double E,
                          double T);
/* Shifts of g_V^e at recoil T from the millicharge and the charge radius. */
double nuem_gv_shift_charge(const nuem_interaction *in, double T);
double nuem_gv_shift_radius(const nuem_interaction *in);

/* CEvNS on one isotope (Freedman 1974), with the configured form factor. */
double nuem_xsec_cevns(const nuem_interaction *in, const nuem_isotope *iso,
                       double E, double T);
/* Any process on one isotope: the magnetic moment couples to the nuclear
 * charge (Z^2 F^2), millicharge and charge radius shift g_V^p. */
double nuem_xsec_nuclear(const nuem_interaction *in, const nuem_isotope *iso,
                         int proc, double E, double T);
/* Weak charge Q_W = -2 (g_V^p Z + g_V^n N) (= N - (1 - 4 s^2) Z at tree level). */
double nuem_cevns_weak_charge(const nuem_interaction *in, const nuem_isotope *iso);
/* Form factor F(q) for momentum transfer q [MeV]; F(0) = 1. */
double nuem_form_factor(int model, const nuem_isotope *iso, double q);

/* The same cross sections as c0 + c1/E + c2/E^2, valid for E >= E_min(T):
 * every channel here has this shape, which lets the rate stage fold them
 * with precomputed flux moments (docs/physics.md, "Rate"). */
void nuem_xsec_electron_sm_coeffs(const nuem_interaction *in, double T,
                                  double c[3]);
void nuem_xsec_cevns_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                            double T, double c[3]);
/* Coefficients of every process at once: c[proc][0..2]. */
void nuem_xsec_electron_coeffs(const nuem_interaction *in, double T,
                               double c[NUEM_NPROC][3]);
void nuem_xsec_nuclear_coeffs(const nuem_interaction *in, const nuem_isotope *iso,
                              double T, double c[NUEM_NPROC][3]);

#ifdef __cplusplus
}
#endif
#endif

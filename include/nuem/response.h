/* Stage 5, response: from true deposited energy to what the detector reads.
 * Order (docs/physics.md, "Detector response"): T -> electron-equivalent
 * energy (quenching of nuclear recoils) -> resolution -> efficiency and
 * threshold -> bins.
 * The expensive part is a response matrix, planned once and applied to any
 * spectrum (FFTW's plan/execute); it can be exported and imported. */
#ifndef NUEM_RESPONSE_H
#define NUEM_RESPONSE_H

#include <stdio.h>

#include "nuem/config.h"
#include "nuem/core.h"
#include "nuem/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- quenching ------------------------------------------------------------- */

typedef struct {
  double k; /* Lindhard k */
  int Z;    /* atomic number of the recoiling nucleus */
} nuem_lindhard;

/* Lindhard quenching factor Q(E_R), E_R in MeV (Lindhard, Nielsen, Scharff &
 * Thomsen, Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963)). */
double nuem_lindhard_q(const nuem_lindhard *l, double E_R);
/* dE_ee/dE_R = Q + E_R Q'(E_R): the Jacobian of the quenched spectrum. */
double nuem_lindhard_jacobian(const nuem_lindhard *l, double E_R);
/* E_R with Q(E_R) E_R = E_ee (Newton's method on a monotonic function). */
double nuem_lindhard_recoil(const nuem_lindhard *l, double E_ee);

/* The configured quenching for every element of a target: Lindhard or a
 * user table Q(E_R), and a cutoff below which recoils give no signal. */
typedef struct nuem_quenching nuem_quenching;

nuem_status nuem_quenching_init(nuem_context *ctx, const nuem_config *cfg,
                                const nuem_target *tgt, nuem_quenching **out);
void nuem_quenching_free(nuem_quenching *q);
/* Recoil energy E_R giving E_ee for element `el`, and the Jacobian
 * dE_ee/dE_R there; returns 0 if no recoil gives E_ee (below the cutoff or
 * outside a table), else 1. */
int nuem_quenching_invert(const nuem_quenching *q, size_t el, double E_ee,
                          double *E_R, double *jacobian);
/* Another Lindhard k (the quenching nuisance); an error for a table. */
nuem_status nuem_quenching_set_k(nuem_context *ctx, nuem_quenching *q, double k);

/* ---- resolution, efficiency, bins, exposure ------------------------------- */

typedef struct nuem_detector nuem_detector;

nuem_status nuem_detector_init(nuem_context *ctx, const nuem_config *cfg,
                               nuem_detector **out);
void nuem_detector_free(nuem_detector *d);
/* Gaussian resolution sigma(E) [MeV] at measured energy E. */
double nuem_detector_sigma(const nuem_detector *d, double E);
/* Efficiency at measured energy E, threshold included. */
double nuem_detector_efficiency(const nuem_detector *d, double E);
/* The analysis threshold [MeV] (-inf if none); whether an efficiency model
 * is set. */
double nuem_detector_threshold(const nuem_detector *d);
int nuem_detector_has_efficiency(const nuem_detector *d);
/* Measured energy per deposited energy (1 unless miscalibrated). */
double nuem_detector_energy_scale(const nuem_detector *d);
/* Measured bin edges [MeV]; nbins = 0 if no binning is configured. */
size_t nuem_detector_bins(const nuem_detector *d, const double **edges);
/* Variations of a configured detector: another energy scale (the energy-
 * scale nuisance) or the bins of a measured spectrum. */
nuem_status nuem_detector_set_energy_scale(nuem_context *ctx, nuem_detector *d, double scale);
nuem_status nuem_detector_set_bins(nuem_context *ctx, nuem_detector *d, const double *edges,
                                   size_t nbins);
double nuem_detector_exposure(const nuem_detector *d);     /* kg s */
double nuem_detector_exposure_off(const nuem_detector *d); /* kg s */

/* ---- the response matrix ------------------------------------------------- */

/* m[i * nmeas + j]: probability that an event deposited (electron-
 * equivalent) in true bin i is recorded in measured bin j, resolution,
 * efficiency and threshold included. */
typedef struct {
  size_t ntrue, nmeas;
  double *true_edges; /* ntrue + 1, MeV */
  double *meas_edges; /* nmeas + 1, MeV */
  double *m;
} nuem_response;

/* Build the matrix of detector `d` for true energies from t_lo up to where
 * the last measured bin stops receiving events (8 sigma above it). True bins
 * are narrow against the resolution (sigma/4). */
nuem_status nuem_response_build(nuem_context *ctx, const nuem_detector *d,
                                double t_lo, nuem_response *out);
/* The response of a single true energy E into the measured bins (row). */
void nuem_response_row(const nuem_detector *d, double E, const double *edges,
                       size_t nmeas, double *row);
nuem_status nuem_response_write(nuem_context *ctx, FILE *out,
                                const nuem_response *r);
nuem_status nuem_response_read(nuem_context *ctx, const char *path,
                               nuem_response *out);
void nuem_response_free(nuem_response *r);
/* meas[j] = sum_i content[i] m[i][j] (content: events per true bin). */
void nuem_response_fold(const nuem_response *r, const double *content,
                        double *meas);

#ifdef __cplusplus
}
#endif
#endif

/* Sterile-neutrino dark matter as a "source": the halo's density and speed
 * distribution, and the shape of the decay line they give (docs/physics.md,
 * "Sterile-neutrino dark matter"). */
#include <math.h>
#include <string.h>

#include "core_internal.h"
#include "nuem/constants.h"
#include "nuem/source.h"

/* Speeds on which the line shape is accumulated: the box of every speed
 * is spread over the cells exactly, so this only sets how finely the
 * speed distribution is sampled (midpoint rule; 4000 points put the
 * half-width's quadrature error below 1e-6). */
enum { SPEED_POINTS = 4000 };

int nuem_source_is_sterile_dm(const nuem_config *cfg) {
  return nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "sterile-dm");
}

nuem_status nuem_halo_from_config(nuem_context *ctx, const nuem_config *cfg, nuem_halo *out) {
  memset(out, 0, sizeof *out);
  if (!nuem_config_is_set(cfg, NUEM_P_SOURCE_MASS))
    return nuem_error(ctx, NUEM_ECONFIG, "source.type = sterile-dm needs source.mass, the "
                      "sterile-neutrino mass (e.g. 10 keV)");
  out->mass = nuem_config_number(cfg, NUEM_P_SOURCE_MASS);
  out->density = nuem_config_number(cfg, NUEM_P_SOURCE_DM_DENSITY);
  out->v0 = nuem_config_number(cfg, NUEM_P_SOURCE_HALO_V0) / NUEM_C_CM_S;
  out->v_esc = nuem_config_number(cfg, NUEM_P_SOURCE_HALO_V_ESC) / NUEM_C_CM_S;
  out->v_earth = nuem_config_number(cfg, NUEM_P_SOURCE_HALO_V_EARTH) / NUEM_C_CM_S;
  out->fixed = nuem_config_choice_is(cfg, NUEM_P_SOURCE_VELOCITY, "fixed");
  if (out->fixed && !nuem_config_is_set(cfg, NUEM_P_SOURCE_SPEED))
    return nuem_error(ctx, NUEM_ECONFIG, "source.velocity = fixed needs source.speed, the "
                      "speed v/c of the sterile neutrinos (0 < v/c < 1)");
  if (out->fixed) {
    out->speed = nuem_config_number(cfg, NUEM_P_SOURCE_SPEED);
    return NUEM_OK;
  }
  /* the ranges of the keys exclude zero and negative speeds; a halo that
   * reaches the speed of light is no halo of non-relativistic particles */
  if (!(out->v_esc + out->v_earth < 0.1))
    return nuem_error(ctx, NUEM_ERANGE, "source.halo_v_esc + source.halo_v_earth = %g km/s: "
                      "the Standard Halo Model here is non-relativistic (v << c); keep the "
                      "sum below 0.1 c", (out->v_esc + out->v_earth) * NUEM_C_CM_S / 1e5);
  return NUEM_OK;
}

double nuem_halo_gamma(const nuem_halo *h) {
  return h->fixed ? 1.0 / sqrt((1.0 - h->speed) * (1.0 + h->speed)) : 1.0;
}

double nuem_halo_number_density(const nuem_halo *h) {
  return h->density / (nuem_halo_gamma(h) * h->mass);
}

/* The truncated Maxwellian's normalisation over the galactic-frame sphere
 * |u| < v_esc: pi^(3/2) v0^3 [erf(z) - 2 z exp(-z^2)/sqrt(pi)], z = v_esc/v0
 * (Lewin & Smith, Astropart. Phys. 6, 87 (1996), eq. 3.3 with its k1). */
static double maxwell_norm(const nuem_halo *h) {
  double z = h->v_esc / h->v0;
  return pow(NUEM_PI, 1.5) * h->v0 * h->v0 * h->v0 *
         (erf(z) - 2.0 * z * exp(-z * z) / sqrt(NUEM_PI));
}

/* 2 pi v^2 times the integral over c = cos(angle of v to the Earth's
 * velocity) of exp(-|v + v_E|^2/v0^2), |v + v_E| < v_esc. */
static double speed_density_unnormalised(const nuem_halo *h, double v) {
  double vE = h->v_earth, v02 = h->v0 * h->v0;
  if (v <= 0 || v >= h->v_esc + vE) return 0;
  if (vE == 0) return v < h->v_esc ? 4.0 * NUEM_PI * v * v * exp(-v * v / v02) : 0;
  double c_max = fmin(1.0, (h->v_esc * h->v_esc - v * v - vE * vE) / (2.0 * v * vE));
  double b = 2.0 * v * vE / v02;
  /* int_{-1}^{c_max} exp(-(v^2 + vE^2 + 2 v vE c)/v0^2) dc */
  double angular = (exp(-(v - vE) * (v - vE) / v02) -
                    exp(-(v * v + vE * vE + 2.0 * v * vE * c_max) / v02)) / b;
  return 2.0 * NUEM_PI * v * v * angular;
}

double nuem_halo_speed_pdf(const nuem_halo *h, double v) {
  return speed_density_unnormalised(h, v) / maxwell_norm(h);
}

/* Spread probability p of a box [-half, half] over the cells. */
static void spread_box(nuem_line_shape *s, double half, double p) {
  double width = 2.0 * s->x_max / NUEM_LINE_CELLS;
  for (int k = 0; k < NUEM_LINE_CELLS; k++) {
    double lo = -s->x_max + k * width, hi = lo + width;
    double overlap = fmin(hi, half) - fmax(lo, -half);
    if (overlap > 0) s->weight[k] += p * overlap / (2.0 * half);
  }
}

/* One speed: the photon energies fill [(E_s - p_s)/2, (E_s + p_s)/2]
 * uniformly, so every cell has the same probability. */
static void fixed_speed_shape(const nuem_halo *h, nuem_line_shape *out) {
  double gamma = nuem_halo_gamma(h);
  out->centre = 0.5 * gamma * h->mass;
  out->x_max = out->hwhm = 0.5 * gamma * h->mass * h->speed;
  for (int k = 0; k < NUEM_LINE_CELLS; k++) {
    out->weight[k] = 1.0 / NUEM_LINE_CELLS;
    out->offset[k] = -out->x_max + (k + 0.5) * 2.0 * out->x_max / NUEM_LINE_CELLS;
  }
}

nuem_status nuem_halo_line_shape(nuem_context *ctx, const nuem_halo *h, nuem_line_shape *out) {
  memset(out, 0, sizeof *out);
  if (h->fixed) {
    fixed_speed_shape(h, out);
    return NUEM_OK;
  }
  out->centre = 0.5 * h->mass;
  double v_max = h->v_esc + h->v_earth, dv = v_max / SPEED_POINTS;
  out->x_max = 0.5 * h->mass * v_max;
  double total = 0, inverse_speed[SPEED_POINTS], p[SPEED_POINTS];
  for (int i = 0; i < SPEED_POINTS; i++) {
    double v = (i + 0.5) * dv;
    p[i] = nuem_halo_speed_pdf(h, v) * dv;
    inverse_speed[i] = p[i] / v;
    total += p[i];
  }
  if (!(total > 0))
    return nuem_error(ctx, NUEM_ERANGE, "the halo's speed distribution is empty");
  for (int i = 0; i < SPEED_POINTS; i++) spread_box(out, 0.5 * h->mass * (i + 0.5) * dv, p[i] / total);
  for (int k = 0; k < NUEM_LINE_CELLS; k++)
    out->offset[k] = -out->x_max + (k + 0.5) * 2.0 * out->x_max / NUEM_LINE_CELLS;
  /* density at x is (1/m_s) G(2|x|/m_s), G(u) = <1/v; v > u>: half of G(0) */
  double G0 = 0, G = 0;
  for (int i = 0; i < SPEED_POINTS; i++) G0 += inverse_speed[i];
  for (int i = SPEED_POINTS - 1; i >= 0; i--) {
    G += inverse_speed[i];
    if (G >= 0.5 * G0) { /* interpolate within the speed cell */
      double excess = (G - 0.5 * G0) / inverse_speed[i];
      out->hwhm = 0.5 * h->mass * (i + excess) * dv;
      break;
    }
  }
  return NUEM_OK;
}

double nuem_line_density(const nuem_line_shape *s, double x) {
  if (!(fabs(x) < s->x_max)) return 0;
  double width = 2.0 * s->x_max / NUEM_LINE_CELLS;
  int k = (int)((x + s->x_max) / width);
  if (k >= NUEM_LINE_CELLS) k = NUEM_LINE_CELLS - 1;
  return s->weight[k] / width;
}

/* gnuplot scripts for the Figure-3 picture and the measured spectrum. The
 * library writes the script; the caller runs gnuplot (the library starts no
 * process). */
#include <string.h>

#include "core_internal.h"
#include "nuem/output.h"

static const char *extension(const char *path) {
  const char *dot = strrchr(path, '.');
  return dot && !strchr(dot, '/') ? dot + 1 : "";
}

/* gnuplot single-quoted string: a quote is written twice. */
static void quoted(FILE *out, const char *s) {
  fputc('\'', out);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', out);
    fputc(*s, out);
  }
  fputc('\'', out);
}

/* Picture size in pixels (PDF: 100 pixels to the inch): one panel, or the
 * true and the measured spectrum stacked; a 12-point font reads at both. */
enum { PLOT_WIDTH = 1100, PLOT_HEIGHT = 750, PLOT_HEIGHT_TWO = 1300, PLOT_FONT = 12,
       PIXELS_PER_INCH = 100 };

static nuem_status terminal(nuem_context *ctx, FILE *out, const char *picture, int panels) {
  const char *ext = extension(picture);
  int height = panels == 2 ? PLOT_HEIGHT_TWO : PLOT_HEIGHT;
  if (strcmp(ext, "png") == 0)
    fprintf(out, "set terminal pngcairo size %d,%d enhanced font 'sans,%d'\n", PLOT_WIDTH,
            height, PLOT_FONT);
  else if (strcmp(ext, "svg") == 0)
    fprintf(out, "set terminal svg size %d,%d enhanced font 'sans,%d' background 'white'\n",
            PLOT_WIDTH, height, PLOT_FONT);
  else if (strcmp(ext, "pdf") == 0)
    fprintf(out, "set terminal pdfcairo size %gin,%gin enhanced font 'sans,%d'\n",
            (double)PLOT_WIDTH / PIXELS_PER_INCH, (double)height / PIXELS_PER_INCH, PLOT_FONT);
  else
    return nuem_error(ctx, NUEM_EUSAGE, "--plot '%s': the picture must end in .png, .svg or .pdf",
                      picture);
  fputs("set output ", out);
  quoted(out, picture);
  fputc('\n', out);
  return NUEM_OK;
}

/* The resolved value, with units in gnuplot's enhanced text. */
static void value(const nuem_config *cfg, nuem_param id, char *buf, size_t size) {
  char raw[256];
  nuem_config_format(cfg, id, raw, sizeof raw);
  static const struct { const char *from, *to; } subs[] = {
      {"muB", "{/Symbol m}_B"}, {"cm2", "cm^2"}, {"giunti-studenikin", "Giunti-Studenikin"},
      {"vogel-engel", "Vogel-Engel"}};
  size_t used = 0;
  buf[0] = '\0';
  for (const char *p = raw; *p && used + 1 < size;) {
    size_t k = 0;
    while (k < sizeof subs / sizeof subs[0] && strncmp(p, subs[k].from, strlen(subs[k].from))) k++;
    if (k < sizeof subs / sizeof subs[0]) {
      used += (size_t)snprintf(buf + used, size - used, "%s", subs[k].to);
      p += strlen(subs[k].from);
    } else {
      buf[used++] = *p++;
      buf[used] = '\0';
    }
    if (used >= size) { buf[size - 1] = '\0'; break; }
  }
}

/* One property's two curves (electron solid, nuclear dashed), each split
 * into positive parts and |negative| parts (dotted). */
static void property_curves(FILE *out, const char *data, int elec_col, int nucl_col,
                            const char *colour, const char *label) {
  fprintf(out, ", \\\n  '%s' using 1:(pos($%d)) with lines lw 2 lc rgb '%s' title '%s, {/Symbol n}-e'",
          data, elec_col, colour, label);
  fprintf(out, ", \\\n  '' using 1:(pos(-$%d)) with lines lw 2 dt 3 lc rgb '%s' notitle", elec_col, colour);
  fprintf(out, ", \\\n  '' using 1:(pos($%d)) with lines lw 2 dt 2 lc rgb '%s' title '%s, {/Symbol n}-N'",
          nucl_col, colour, label);
  fprintf(out, ", \\\n  '' using 1:(pos(-$%d)) with lines lw 2 dt 3 lc rgb '%s' notitle", nucl_col, colour);
}

static void figure3(FILE *out, const nuem_config *cfg, const char *atomic_model,
                    const char *data) {
  char power[64], distance[64], target[64], mu[64], q[64], r2[64], conv[64], thr[64];
  value(cfg, NUEM_P_SOURCE_POWER, power, sizeof power);
  value(cfg, NUEM_P_SOURCE_DISTANCE, distance, sizeof distance);
  value(cfg, NUEM_P_TARGET_MATERIAL, target, sizeof target);
  value(cfg, NUEM_P_PHYSICS_MU_NU, mu, sizeof mu);
  value(cfg, NUEM_P_PHYSICS_Q_NU, q, sizeof q);
  value(cfg, NUEM_P_PHYSICS_R2_NU, r2, sizeof r2);
  value(cfg, NUEM_P_PHYSICS_R2_CONVENTION, conv, sizeof conv);
  fprintf(out, "set title 'Reactor anti-{/Symbol n}_e on %s: %s at %s (atomic model: %s)'\n", target,
          power, distance, atomic_model);
  fputs("set logscale xy\nset format x '10^{%L}'\nset format y '10^{%L}'\n"
        "set xlabel 'Measurable energy T [keV] (nuclear recoils: electron-equivalent)'\n"
        "set ylabel 'dR/dT [kg^{-1} keV^{-1} day^{-1}]'\n"
        "set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
        "set key inside top right box opaque spacing 1.1 font ',10'\n"
        "set yrange [1e-6:*]\n", out); /* rates below 1e-6 /kg/keV/day: beyond any detector */
  if (nuem_config_is_set(cfg, NUEM_P_DETECTOR_THRESHOLD)) {
    double t = nuem_config_number(cfg, NUEM_P_DETECTOR_THRESHOLD) * 1e3;
    value(cfg, NUEM_P_DETECTOR_THRESHOLD, thr, sizeof thr);
    fprintf(out, "set arrow from %g, graph 0 to %g, graph 1 nohead dt 4 lw 2 lc rgb '#777777'\n"
                 "set label 'threshold %s' at %g, graph 0.04 offset 0.5,0 tc rgb '#555555'\n",
            t, t, thr, t);
  }
  fprintf(out, "plot '%s' using 1:(pos($2)) with lines lw 3 lc rgb 'black' title 'SM {/Symbol n}-e'", data);
  fprintf(out, ", \\\n  '' using 1:(pos($6)) with lines lw 3 lc rgb 'blue' title 'SM {/Symbol n}-N (CEvNS)'");
  char label[160];
  snprintf(label, sizeof label, "{/Symbol m}_{/Symbol n} = %s", mu);
  property_curves(out, data, 3, 7, "red", label);
  snprintf(label, sizeof label, "q_{/Symbol n} = %s", q);
  property_curves(out, data, 4, 8, "magenta", label);
  snprintf(label, sizeof label, "<r^2_{/Symbol n}> = %s (%s)", r2, conv);
  property_curves(out, data, 5, 9, "#00a000", label);
  fputs(", \\\n  NaN with lines lw 2 dt 3 lc rgb '#555555' title 'dotted: |excess| where negative'\n", out);
}

/* The true spectrum of sterile-neutrino dark matter (columns T, line,
 * continuum, total): the continuum on log axes, the line (a few eV wide,
 * far narrower than the grid) marked at m_s/2. */
static void sterile_true(FILE *out, const nuem_config *cfg, const char *data) {
  char target[64], mass[64], moment[64];
  value(cfg, NUEM_P_TARGET_MATERIAL, target, sizeof target);
  value(cfg, NUEM_P_SOURCE_MASS, mass, sizeof mass);
  int by_angle = nuem_config_is_set(cfg, NUEM_P_PHYSICS_SIN2_2THETA);
  value(cfg, by_angle ? NUEM_P_PHYSICS_SIN2_2THETA : NUEM_P_PHYSICS_MU_SA, moment, sizeof moment);
  double line_kev = 0.5 * nuem_config_number(cfg, NUEM_P_SOURCE_MASS) * 1e3;
  fprintf(out, "set title 'Sterile-neutrino dark matter on %s: m_s = %s, %s = %s (atomic model: %s)'\n",
          target, mass, by_angle ? "sin^2 2{/Symbol q}" : "{/Symbol m}_{sa}", moment,
          nuem_config_choice_name(cfg, NUEM_P_ATOMIC_MODEL));
  fprintf(out, "set logscale xy\nset format x '10^{%%L}'\nset format y '10^{%%L}'\n"
               "set xlabel 'Energy transfer T [keV]'\n"
               "set ylabel 'dR/dT [kg^{-1} keV^{-1} day^{-1}]'\n"
               "set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
               "set key inside top right box opaque font ',10'\n"
               "set arrow from %g, graph 0 to %g, graph 1 nohead lw 2 lc rgb 'red'\n"
               "set label 'decay line at m_s/2 (its rate: the table header)' at %g, graph 0.8 "
               "right offset -1,0 tc rgb 'red'\n"
               "plot '%s' using 1:(pos($3)) with lines lw 3 lc rgb 'black' title "
               "'off-pole ionization continuum', \\\n"
               "  '' using 1:(pos($2)) with impulses lw 2 lc rgb 'red' title "
               "'line (Doppler shape, where the grid samples it)'\n",
          line_kev, line_kev, line_kev, data);
}

static void measured(FILE *out, const char *data, int sterile) {
  fputs("unset arrow\nunset label\nset logscale y\nunset logscale x\nset format x '%g'\n"
        "set xlabel 'Measured energy [keV]'\nset ylabel 'Measured rate [kg^{-1} keV^{-1} day^{-1}]'\n"
        "set title 'Measured spectrum (resolution, efficiency, threshold applied)'\n"
        "set yrange [*:*]\n", out);
  /* six decades below the highest bin: the CEvNS tail falls off a cliff */
  fprintf(out, "stats '%s' using ($11+$12) nooutput\n"
               "set yrange [STATS_max*1e-6:STATS_max*3]\n", data);
  fprintf(out, "plot '%s' using (($1+$2)/2):(pos($11+$12)) with histeps lw 3 lc rgb 'black' "
               "title 'signal + background', \\\n"
               "  '' using (($1+$2)/2):(pos($12)) with histeps lw 2 lc rgb '#888888' title 'background', \\\n"
               "  '' using (($1+$2)/2):(pos($3+$4+$5+$6)) with histeps lw 2 lc rgb 'red' title '%s'%s\n",
          data, sterile ? "sterile {/Symbol n}: line + continuum" : "{/Symbol n}-e (all terms)",
          sterile ? "" : ", \\\n  '' using (($1+$2)/2):(pos($7+$8+$9+$10)) with histeps lw 2 "
                         "lc rgb 'blue' title '{/Symbol n}-N (all terms)'");
}

nuem_status nuem_plot_script(nuem_context *ctx, FILE *out, const nuem_config *cfg,
                             const char *atomic_model, const char *picture,
                             const char *true_data, const char *measured_data) {
  if (strchr(atomic_model, '\'') || strchr(true_data, '\'') ||
      (measured_data && strchr(measured_data, '\'')))
    return nuem_error(ctx, NUEM_EUSAGE, "--plot: file names with a quote (') are not supported");
  fprintf(out, "# gnuplot script written by nuem %s; edit and rerun: gnuplot FILE.gp\n",
          nuem_version());
  NUEM_TRY(terminal(ctx, out, picture, measured_data ? 2 : 1));
  fputs("pos(x) = x > 0 ? x : 1/0\n", out);
  if (measured_data) fputs("set multiplot layout 2,1\n", out);
  int sterile = nuem_config_choice_is(cfg, NUEM_P_SOURCE_TYPE, "sterile-dm");
  if (sterile)
    sterile_true(out, cfg, true_data);
  else
    figure3(out, cfg, atomic_model, true_data);
  if (measured_data) {
    measured(out, measured_data, sterile);
    fputs("unset multiplot\n", out);
  }
  if (fflush(out) || ferror(out))
    return nuem_error(ctx, NUEM_EFILE, "writing the gnuplot script failed");
  return NUEM_OK;
}

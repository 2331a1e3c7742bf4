set terminal pngcairo size 900,600 enhanced font 'sans,12'
set output 'docs/atomic-ratios.png'
set logscale x
set format x '10^{%L}'
set xlabel 'T [keV]'
set ylabel 'model / free electrons (electron channel, flux-averaged)'
set grid
set key outside right top box noenhanced
set yrange [0:*]
set title 'weak solid, {/Symbol m}^2 dashed, q^2 dotted, q-weak dash-dot'
plot 1 with lines lc rgb '#999999' dt 2 notitle, \
  'docs/atomic-ratios.tsv' using 1:2 with lines lw 2 dt 1 lc rgb '#1f77b4' title 'sm_stepping', \
  'docs/atomic-ratios.tsv' using 1:3 with lines lw 2 dt 2 lc rgb '#1f77b4' title 'mu_stepping', \
  'docs/atomic-ratios.tsv' using 1:4 with lines lw 2 dt 3 lc rgb '#1f77b4' title 'q2_stepping', \
  'docs/atomic-ratios.tsv' using 1:5 with lines lw 2 dt 4 lc rgb '#1f77b4' title 'qweak_stepping', \
  'docs/atomic-ratios.tsv' using 1:6 with lines lw 2 dt 1 lc rgb '#d62728' title 'sm_epa', \
  'docs/atomic-ratios.tsv' using 1:7 with lines lw 2 dt 3 lc rgb '#d62728' title 'q2_epa', \
  'docs/atomic-ratios.tsv' using 1:8 with lines lw 2 dt 4 lc rgb '#d62728' title 'qweak_epa', \
  'docs/atomic-ratios.tsv' using 1:9 with lines lw 2 dt 1 lc rgb '#2ca02c' title 'sm_ab-initio', \
  'docs/atomic-ratios.tsv' using 1:10 with lines lw 2 dt 2 lc rgb '#2ca02c' title 'mu_ab-initio', \
  'docs/atomic-ratios.tsv' using 1:11 with lines lw 2 dt 3 lc rgb '#2ca02c' title 'q2_ab-initio', \
  'docs/atomic-ratios.tsv' using 1:12 with lines lw 2 dt 4 lc rgb '#2ca02c' title 'qweak_ab-initio'

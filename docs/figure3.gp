# gnuplot script written by nuem 0.1.0; edit and rerun: gnuplot FILE.gp
set terminal pngcairo size 1100,750 enhanced font 'sans,12'
set output 'docs/figure3.png'
pos(x) = x > 0 ? x : 1/0
set title 'Reactor anti-{/Symbol n}_e on Ge: 2.9 GW at 28 m (atomic model: ab-initio)'
set logscale xy
set format x '10^{%L}'
set format y '10^{%L}'
set xlabel 'Measurable energy T [keV] (nuclear recoils: electron-equivalent)'
set ylabel 'dR/dT [kg^{-1} keV^{-1} day^{-1}]'
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key inside top right box opaque spacing 1.1 font ',10'
set yrange [1e-6:*]
set arrow from 0.3, graph 0 to 0.3, graph 1 nohead dt 4 lw 2 lc rgb '#777777'
set label 'threshold 300 eV' at 0.3, graph 0.04 offset 0.5,0 tc rgb '#555555'
plot 'docs/figure3.true.tsv' using 1:(pos($2)) with lines lw 3 lc rgb 'black' title 'SM {/Symbol n}-e', \
  '' using 1:(pos($6)) with lines lw 3 lc rgb 'blue' title 'SM {/Symbol n}-N (CEvNS)', \
  'docs/figure3.true.tsv' using 1:(pos($3)) with lines lw 2 lc rgb 'red' title '{/Symbol m}_{/Symbol n} = 1e-11 {/Symbol m}_B, {/Symbol n}-e', \
  '' using 1:(pos(-$3)) with lines lw 2 dt 3 lc rgb 'red' notitle, \
  '' using 1:(pos($7)) with lines lw 2 dt 2 lc rgb 'red' title '{/Symbol m}_{/Symbol n} = 1e-11 {/Symbol m}_B, {/Symbol n}-N', \
  '' using 1:(pos(-$7)) with lines lw 2 dt 3 lc rgb 'red' notitle, \
  'docs/figure3.true.tsv' using 1:(pos($4)) with lines lw 2 lc rgb 'magenta' title 'q_{/Symbol n} = 1e-12 e, {/Symbol n}-e', \
  '' using 1:(pos(-$4)) with lines lw 2 dt 3 lc rgb 'magenta' notitle, \
  '' using 1:(pos($8)) with lines lw 2 dt 2 lc rgb 'magenta' title 'q_{/Symbol n} = 1e-12 e, {/Symbol n}-N', \
  '' using 1:(pos(-$8)) with lines lw 2 dt 3 lc rgb 'magenta' notitle, \
  'docs/figure3.true.tsv' using 1:(pos($5)) with lines lw 2 lc rgb '#00a000' title '<r^2_{/Symbol n}> = 1e-32 cm^2 (Giunti-Studenikin), {/Symbol n}-e', \
  '' using 1:(pos(-$5)) with lines lw 2 dt 3 lc rgb '#00a000' notitle, \
  '' using 1:(pos($9)) with lines lw 2 dt 2 lc rgb '#00a000' title '<r^2_{/Symbol n}> = 1e-32 cm^2 (Giunti-Studenikin), {/Symbol n}-N', \
  '' using 1:(pos(-$9)) with lines lw 2 dt 3 lc rgb '#00a000' notitle, \
  NaN with lines lw 2 dt 3 lc rgb '#555555' title 'dotted: |excess| where negative'

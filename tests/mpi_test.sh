#!/bin/sh
# nuem under mpirun (docs/statistics.md, "MPI and the speed of the toys"):
# the output of 1, 2 and (oversubscribed) 4 ranks is byte for byte that of
# the plain run with the same seed, for a Feldman-Cousins limit, a 2-D
# Feldman-Cousins belt, a CLs limit from toys, the sensitivity toy bands, a
# sensitivity scan, a limit mass scan and a joint Feldman-Cousins fit; more
# ranks than grid nodes work; a failing node fails the run with its
# message, printed once.
# Usage: mpi_test.sh NUEM MPIEXEC DATA_DIR [RANKS...] (default 1 2 4).
NUEM=$1
MPIEXEC=$2
DATA=$3
shift 3
RANKS=${*:-"1 2 4"}
EXAMPLES=$(cd "$DATA/../../examples" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# the test machines run as root; OpenMPI refuses that unless told
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# one thread per rank: 4 ranks on 2 cores stay cheap
export OMP_NUM_THREADS=1
# sanitizer builds: MPI's own start-up allocations are not nuem's leaks
[ -n "$NUEM_SANITIZED" ] && export ASAN_OPTIONS=detect_leaks=0
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

mpi() { n=$1; shift; "$MPIEXEC" --oversubscribe -n "$n" "$NUEM" "$@"; }

# same ARGS...: plain and MPI runs agree byte for byte
same() {
  "$NUEM" "$@" >"$TMP/plain" 2>"$TMP/plain.err" || { bad "nuem $*: $(cat "$TMP/plain.err")"; return; }
  for n in $RANKS; do
    if ! mpi "$n" "$@" >"$TMP/mpi" 2>"$TMP/mpi.err"; then bad "mpirun -n $n nuem $*: $(cat "$TMP/mpi.err")"
    elif cmp -s "$TMP/plain" "$TMP/mpi"; then ok
    else bad "mpirun -n $n nuem $*: output differs from the plain run"; fi
  done
}

LIMIT="limit $DATA/texono_like.dat $EXAMPLES/texono2007.ini --set analysis.toys=400"
same $LIMIT --set analysis.grid=12
# more ranks than grid nodes: the extra ranks idle
same $LIMIT --set analysis.grid=2
same sensitivity "$EXAMPLES/gemma.ini" --set analysis.toys=300
# a joint Feldman-Cousins fit: each grid point's toys draw every experiment's data
same limit --combine "$EXAMPLES/combination.ini" --set analysis.method=feldman-cousins \
  --set analysis.toys=400 --set analysis.grid=12
same sensitivity "$EXAMPLES/gemma.ini" --set analysis.toys=100 --scan 'detector.exposure=300kg*day:1200kg*day:3'
same limit "$DATA/sterile_background_only.dat" "$EXAMPLES/sterile_ge.ini" --scan source.mass=9keV:11keV:3 \
  --set analysis.method=feldman-cousins --set analysis.toys=100 --set analysis.grid=8

# 2-D Feldman-Cousins (grid nodes over ranks) and CLs toys (grid points
# over ranks); the 2-D belt also with two threads per rank
FC2D="limit $DATA/texono_like.dat $EXAMPLES/texono2007.ini --set analysis.poi2=q --set analysis.grid=5 --set analysis.toys=100"
same $FC2D
OMP_NUM_THREADS=2 mpi 2 $FC2D >"$TMP/mpi" 2>"$TMP/mpi.err" && cmp -s "$TMP/plain" "$TMP/mpi" && ok ||
  bad "mpirun -n 2 with 2 threads per rank, 2-D Feldman-Cousins: output differs from the plain run"
same limit "$DATA/texono_like.dat" "$EXAMPLES/texono2007.ini" --set analysis.method=cls --set analysis.toys=100 \
  --set analysis.grid=6

# --out: rank 0 alone writes the file, the same as the plain run's
"$NUEM" $LIMIT --set analysis.grid=4 --out "$TMP/plain.tsv"
mpi 2 $LIMIT --set analysis.grid=4 --out "$TMP/mpi.tsv" && cmp -s "$TMP/plain.tsv" "$TMP/mpi.tsv" && ok ||
  bad "mpirun -n 2 nuem limit --out: file differs from the plain run's"

# a node that fails on rank 1 (scan point 1 of 4) fails the run with its
# message, once, and the plain run's exit status
SCAN="sensitivity $EXAMPLES/gemma.ini --set analysis.toys=100 --scan detector.threshold=1keV:500keV:4"
NEEDLE="scan point detector.threshold = 167333 eV"
for n in $RANKS; do
  mpi "$n" $SCAN >"$TMP/out" 2>"$TMP/err"
  got=$?
  if [ "$got" -ne 2 ]; then bad "mpirun -n $n nuem $SCAN: exit $got, expected 2"
  elif [ -s "$TMP/out" ]; then bad "mpirun -n $n: a failed run wrote output"
  elif [ "$(grep -c "$NEEDLE" "$TMP/err")" -ne 1 ]; then
    bad "mpirun -n $n: the failing point's message is not printed once: $(head -c 400 "$TMP/err")"
  else ok; fi
done

# without mpirun, NUEM_MPI=1 starts MPI as a singleton: the same output
NUEM_MPI=1 "$NUEM" $LIMIT --set analysis.grid=4 >"$TMP/single" 2>"$TMP/single.err" &&
  "$NUEM" $LIMIT --set analysis.grid=4 >"$TMP/plain" && cmp -s "$TMP/single" "$TMP/plain" && ok ||
  bad "NUEM_MPI=1 singleton: $(cat "$TMP/single.err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

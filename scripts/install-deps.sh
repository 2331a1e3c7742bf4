#!/bin/sh
# Install the Debian packages nuem needs, if any are missing.
# Usage: scripts/install-deps.sh [build|fuzz|plot]   (default: build)
set -eu
# python3-*: the Python binding (python/, docs/python.md) and its tests
packages="cmake make gcc pkg-config libgsl-dev libinih-dev libcmocka-dev gnuplot-nox
  python3 python3-cffi python3-numpy python3-matplotlib python3-pytest python3-pip
  python3-venv python3-setuptools python3-wheel libopenmpi-dev openmpi-bin"
case "${1:-build}" in
  fuzz) packages="$packages clang libclang-rt-dev" ;;
esac
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "nuem: installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "nuem: need root (or sudo) to install:$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing

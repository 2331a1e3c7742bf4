#!/bin/sh
# make install: command, libraries, headers, pkg-config file and man page,
# and a program built against the installed library through pkg-config.
set -eu
BUILD=$1
PREFIX=$(mktemp -d)
trap 'rm -rf "$PREFIX"' EXIT
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
LIBDIR=$(ls -d "$PREFIX"/lib*/pkgconfig | head -n 1 | xargs dirname)
for f in "$PREFIX/bin/nuem" "$PREFIX/include/nuem/nuem.h" "$LIBDIR/libnuem.a" \
         "$LIBDIR/pkgconfig/nuem.pc" "$PREFIX/share/man/man1/nuem.1"; do
  [ -e "$f" ] || { echo "install: missing $f"; exit 1; }
done
ls "$LIBDIR"/libnuem.so* >/dev/null || { echo "install: no shared library"; exit 1; }
cat > "$PREFIX/prog.c" <<'C'
#include <stdio.h>
#include <nuem/nuem.h>
int main(void) {
  nuem_context *ctx;
  nuem_interaction in;
  if (nuem_context_new(&ctx) ||
      nuem_interaction_setup(ctx, NUEM_ANTINUE, 0.23857, NUEM_COUPLINGS_TREE, NUEM_FF_HELM, &in))
    return 1;
  /* docs/validation.md, V4: 1.0178e-44 cm2/MeV */
  double s = nuem_xsec_electron_sm(&in, 1.0, 0.010);
  nuem_context_free(ctx);
  printf("%.4e\n", s);
  return s > 1.0168e-44 && s < 1.0188e-44 ? 0 : 1;
}
C
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
cc -o "$PREFIX/prog" "$PREFIX/prog.c" $(pkg-config --cflags --libs nuem) -Wl,-rpath,"$LIBDIR"
"$PREFIX/prog"
"$PREFIX/bin/nuem" --version
echo "install: 1 passed, 0 failed"

"""The struct layouts declared to cffi (nuem/_lib.py) equal the C
compiler's for include/nuem/*.h: ABI mode trusts the declarations, so a
field added in C without updating the binding fails here, not in a user's
session."""
import os
import shutil
import subprocess

import pytest

from conftest import REPO

FIELDS = {
    "nuem_result": ["ncols", "nrows", "names", "units", "data", "nnotes", "note_keys",
                    "note_values"],
    "nuem_interval": ["n", "theta", "t", "critical", "lo", "hi", "theta_hat", "best_report",
                      "lo_at_boundary", "hi_at_boundary", "coverage"],
    "nuem_properties": ["mu", "q", "r2"],
    "nuem_joint_input": ["name", "data", "config"],
}


def c_layout(tmp_path):
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler to compare the layouts with")
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "nuem/nuem.h"',
             "int main(void) {"]
    for s, fields in FIELDS.items():
        lines.append(f'printf("{s} sizeof %zu\\n", sizeof({s}));')
        for f in fields:
            lines.append(f'printf("{s} {f} %zu\\n", offsetof({s}, {f}));')
    lines.append("return 0; }")
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    gsl = subprocess.run(["pkg-config", "--cflags", "gsl"], capture_output=True, text=True).stdout
    subprocess.run([cc, "-I", str(REPO / "include"), *gsl.split(), str(src), "-o", str(exe)],
                   check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    return {tuple(l.split()[:2]): int(l.split()[2]) for l in out.splitlines()}


def test_struct_layouts(nuem, tmp_path):
    from nuem._lib import ffi
    c = c_layout(tmp_path)
    for s, fields in FIELDS.items():
        assert ffi.sizeof(s) == c[(s, "sizeof")], s
        for f in fields:
            assert ffi.offsetof(s, f) == c[(s, f)], f"{s}.{f}"

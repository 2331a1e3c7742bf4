"""Install the nuem package together with the libnuem it was built with.

`pip install ./python` copies the shared library of the build (NUEM_LIBRARY,
else <repo>/build/libnuem.so) into the package, so the installed package
loads exactly that library and never another copy on the system
(docs/python.md, "Install"). Build nuem first: `make build`."""
import os
import pathlib
import re
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent


def built_library():
    path = pathlib.Path(os.environ.get("NUEM_LIBRARY") or HERE.parent / "build" / "libnuem.so")
    if not path.is_file():
        raise SystemExit(f"nuem: no library at {path}: run `make build` in the repository first "
                         "(or set NUEM_LIBRARY to the libnuem.so to install with the package)")
    return path.resolve()


def version():
    text = (HERE.parent / "CMakeLists.txt").read_text()
    return re.search(r"project\(nuem VERSION ([0-9.]+)", text).group(1)


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        target = pathlib.Path(self.build_lib) / "nuem" / "libnuem.so"
        shutil.copyfile(built_library(), target)


setup(version=version(), packages=["nuem"], cmdclass={"build_py": BuildWithLibrary})

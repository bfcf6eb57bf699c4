#!/usr/bin/python3
"""Prints the soname of libgdal.so in LIBDIR (e.g. libgdal.so.32), read
from its ELF dynamic section with objdump; nothing if it cannot tell.
csrc/geo/meson.build passes it to geo-gdal.c, which dlopens it."""
import os
import subprocess
import sys

path = os.path.join(sys.argv[1], "libgdal.so")
try:
    out = subprocess.run(["objdump", "-p", path], capture_output=True,
                         text=True, check=True).stdout
except (OSError, subprocess.CalledProcessError):
    sys.exit(0)
for line in out.splitlines():
    words = line.split()
    if len(words) == 2 and words[0] == "SONAME":
        print(words[1])
        break

#!/bin/sh
# The shipped library carries the hardening CMakeLists.txt asks for: a read-only GOT after
# relocation (GNU_RELRO and BIND_NOW, from -Wl,-z,relro,-z,now) and stack canaries
# (__stack_chk_fail, from -fstack-protector-strong: errors.c and onload.c have local arrays).
# Exits 77 (skip) without readelf.
lib="$1"
command -v readelf >/dev/null 2>&1 || { echo "readelf not found: skipped"; exit 77; }
[ -f "$lib" ] || { echo "no library at $lib"; exit 1; }
status=0
readelf -lW "$lib" | grep -q 'GNU_RELRO' || { echo "$lib: no GNU_RELRO segment"; status=1; }
readelf -dW "$lib" | grep -Eq 'BIND_NOW|FLAGS.*[[:space:]]NOW' || { echo "$lib: not linked with -z now"; status=1; }
readelf -sW --dyn-syms "$lib" | grep -q '__stack_chk_fail' || { echo "$lib: no stack protector"; status=1; }
exit $status

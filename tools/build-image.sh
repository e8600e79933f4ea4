#!/bin/sh
# An OCI image of procscope from Debian packages only: the runtime libraries
# the binary links against (found with ldd and dpkg -S, so the list follows
# the build) and coreutils, unpacked by mmdebstrap from this machine's apt
# sources, then imported with podman.  No registry is contacted.
#
# Usage: tools/build-image.sh BINARY ROOTFS_TAR IMAGE_NAME
set -eu
bin=$1 tar=$2 image=$3
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")

# The packages that own the shared libraries the binary loads.
pkgs=$(ldd "$bin" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"
	done | cut -d: -f1 | sort -u | tr '\n' ',')
pkgs="${pkgs}coreutils"
echo "image packages: $pkgs"

# The same inputs give the same tar: file times from the last commit.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
mkdir -p "$(dirname "$tar")"
mmdebstrap --quiet --variant=extract --include="$pkgs" \
	--extract-hook='mkdir -p "$1/proc" "$1/sys" "$1/dev" "$1/etc" "$1/tmp"' \
	--extract-hook="copy-in $bin /usr/bin" \
	"$suite" "$tar"
podman import --quiet "$tar" "$image" >/dev/null
echo "image $image from $tar ($(du -h "$tar" | cut -f1))"

#!/usr/bin/env bash
# The two README commands:
#   ./build.sh run    install what is missing, build, open CoderPrep on its bundled content
#   ./build.sh test   install what is missing, build, run the whole test suite
# Safe to repeat: packages already installed are skipped and the build is incremental.
# Works as root, or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(gcc cmake ninja-build pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
          libsqlite3-dev libcjson-dev libfontconfig-dev libexpat1-dev libcmocka-dev fonts-dejavu-core xz-utils)

install_missing() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "Please run as root or install sudo: missing ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

build() {
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCODERPREP_WERROR=ON >/dev/null
    cmake --build build -j"$(nproc)"
}

case "${1:-}" in
    run)
        install_missing
        build
        shift
        exec ./build/coderprep "$@"
        ;;
    test)
        install_missing
        build
        ctest --test-dir build --output-on-failure -j"$(nproc)"
        ;;
    *)
        echo "usage: ./build.sh run | test" >&2
        exit 2
        ;;
esac

#!/usr/bin/env bash
# Installs every Debian package todoke needs to build, test, benchmark and run its demo.
# Idempotent: when everything is present it only checks and exits.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev openssl
  libxml2-dev
  libzip-dev libdeflate-dev
  libsqlite3-dev libcurl4-openssl-dev
  libboost1.81-dev libboost-json1.81-dev
  libcli11-dev
  libgtest-dev libgmock-dev
  xmlsec1 zip unzip
  clang-format clang-tidy
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

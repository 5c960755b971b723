#!/usr/bin/env bash
# What the browser tests need besides .venv/ and the built widget: Debian's chromium (no
# browser build is downloaded) and a Chinese font (screenshots and layout of Chinese
# text). Installs them with apt-get when missing (as root, or with passwordless sudo);
# does nothing when both are there.
set -euo pipefail
CHROMIUM=${HUKOU_CHROMIUM:-/usr/bin/chromium}
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-wqy-microhei)
[ ${#packages[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "error: the browser tests need ${packages[*]}, which cannot be installed" >&2
    echo "       without root: apt-get install ${packages[*]}" >&2
    exit 1
  fi
fi
echo "==> installing ${packages[*]} (Debian packages) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt_install() {
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
}
if ! apt_install; then
  "${SUDO[@]}" apt-get update -q >/dev/null
  apt_install
fi
"$CHROMIUM" --version 2>/dev/null | head -1

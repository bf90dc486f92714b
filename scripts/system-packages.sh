#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, when missing and when we may (root).
# Usage: scripts/system-packages.sh run|test [--print]   (--print: only list the packages)
set -euo pipefail
# What Qt needs to open a window on an X display (the xcb platform plugin, its GL integration,
# the input-context, image and icon plugins, and the Qt modules the app imports): derived from
# ldd + dpkg -S by scripts/qt-xcb-packages.py; tests/test_real_window.py checks that this list still
# covers it.
need=(libc6 libgcc-s1 libstdc++6 zlib1g libzstd1 libdbus-1-3 libegl1 libfontconfig1 libfreetype6 libgl1 libglib2.0-0 libx11-6 libx11-xcb1
      libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
      libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
      libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0)
if [ "${1:-run}" = test ]; then
  # PostgreSQL and pdftotext for the tests; an X server, xdotool, xwininfo/xprop (x11-utils) and
  # ImageMagick's `import` for the test that opens the real window (tests/test_real_window.py);
  # binutils (readelf) for scripts/qt-xcb-packages.py; gettext (xgettext) for the check that every user string
  # is extractable (scripts/i18n_extract.py).
  need+=(postgresql poppler-utils xvfb xdotool x11-utils imagemagick binutils gettext)
fi
if [ "${2:-}" = --print ]; then
  printf '%s\n' "${need[@]}"
  exit 0
fi
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Missing system packages (${missing[*]}); install them with your package manager." >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

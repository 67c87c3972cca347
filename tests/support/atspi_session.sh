#!/usr/bin/env bash
# Inside `dbus-run-session`: an X display, the AT-SPI bus, the window, the probe; every
# process started here is ended here. Arguments: display venv-python database login out-file
set -u
display=$1 python=$2 database=$3 login=$4 out=$5
Xvfb ":$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
export DISPLAY=":$display" QT_QPA_PLATFORM=xcb QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 NO_AT_BRIDGE=0
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
bus=$!
"$python" -m tests.support.atspi_app "$database" "$login" >/dev/null 2>"$out.app-stderr" &
app=$!
/usr/bin/python3 tests/support/atspi_probe.py >"$out"
status=$?
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
kill "$bus" 2>/dev/null; wait "$bus" 2>/dev/null
kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null
exit $status

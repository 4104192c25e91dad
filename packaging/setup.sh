#!/usr/bin/env bash
# Tunesmith set-up on Debian 12: install what is missing, build, then either open the app
# on the bundled demo project (`run`) or run the whole test suite (`test`).
#   packaging/setup.sh run     install + build + open the demo project in the GUI
#   packaging/setup.sh test    install + build + run every test (what CI runs)
#   packaging/setup.sh build   install + build only
# Each step does only what is needed: apt only for missing packages, npm (the tests' independent
# implementations) only for `test` and only when package-lock.json changed, cmake's configure only for a new
# build folder (ninja re-runs it when a CMakeLists.txt changes), and the build itself is incremental.
# --dry-run (after the mode) prints the commands that would change something instead of running them.
set -euo pipefail

mode="${1:-run}"
dry_run=0
[ "${2:-}" = "--dry-run" ] && dry_run=1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TUNESMITH_BUILD_DIR:-$here/build}"
jobs="$(nproc)"

case "$mode" in
run | test | build) ;;
*)
    echo "usage: $0 run|test|build [--dry-run]" >&2
    exit 2
    ;;
esac

# Runs a command that changes the system or the build, or only says it would (--dry-run).
act() {
    if [ "$dry_run" -eq 1 ]; then
        echo "setup: would run: $*" >&2
    else
        "$@"
    fi
}

# Debian packages the build, the tests and the demo need.
packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    nlohmann-json3-dev libsqlite3-dev sqlite3 libpcre2-dev
    libcurl4-openssl-dev libcpp-httplib-dev qtkeychain-qt6-dev # providers, `serve`, API keys in the keychain
    libtorch-dev libopenblas0-openmp
    libgtest-dev libgmock-dev libbenchmark-dev
    xvfb xauth dpkg-dev file clang-format
    python3-torch # the PyTorch reference of bench-train (bench/bench_train_reference.py)
)
if [ "$mode" = test ]; then
    # The end-to-end tests run node against packages from the lock file; Debian's nodejs ships npm separately,
    # NodeSource's includes it.
    packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

sudo_prefix() {
    [ "$(id -u)" -eq 0 ] || echo sudo
}

install_packages() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "setup: all Debian packages present"
        return
    fi
    echo "setup: installing ${missing[*]}"
    local sudo
    sudo="$(sudo_prefix)"
    act $sudo apt-get update -qq
    act $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

select_openblas() {
    # libtorch calls whatever libblas.so.3 is selected: the OpenMP OpenBLAS is ~30x the reference BLAS.
    local dir=/usr/lib/x86_64-linux-gnu/openblas-openmp sudo
    sudo="$(sudo_prefix)"
    [ -e "$dir/libblas.so.3" ] || return 0
    for lib in libblas.so.3 liblapack.so.3; do
        local group="$lib-x86_64-linux-gnu"
        if ! update-alternatives --query "$group" 2>/dev/null | grep -qx "Value: $dir/$lib"; then
            act $sudo update-alternatives --set "$group" "$dir/$lib" >/dev/null
        fi
    done
}

install_npm() {
    # npm packages (independent implementations the tests check against) come from the lock file; npm records
    # what it installed in node_modules/.package-lock.json, so an unchanged lock file needs no install.
    [ -f "$here/package-lock.json" ] || return 0
    if [ -f "$here/node_modules/.package-lock.json" ] \
        && [ "$here/node_modules/.package-lock.json" -nt "$here/package-lock.json" ]; then
        echo "setup: npm packages up to date"
        return
    fi
    act bash -c "cd '$here' && npm ci --no-audit --no-fund --omit=optional"
}

build_all() {
    # A configured build folder re-configures itself when a CMakeLists.txt changes; the build is incremental.
    if [ ! -f "$build/build.ninja" ]; then
        act cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON
    fi
    act cmake --build "$build" --parallel "$jobs"
}

demo_project() {
    # `tunesmith-cli demo` builds it the way the GUI's File ▸ Open Demo Project does (examples, base model,
    # local-demo endpoint, starter variants) the first time, and later only adds what an older demo lacks, so the
    # user's edits stay.
    local demo="$build/demo/claims-demo.tunesmith"
    act "$build/app/cli/tunesmith-cli" demo "$demo" --assets "$here/resources/demo" >/dev/null
    echo "$demo"
}

install_packages
select_openblas
[ "$mode" = test ] && install_npm
build_all

case "$mode" in
run)
    demo="$(demo_project)"
    # File ▸ Open Demo Project opens this same project, and finds the demo files in this tree.
    export TUNESMITH_DEMO_PROJECT="$demo" TUNESMITH_DEMO_DIR="$here/resources/demo"
    app=("$build/app/tunesmith" "$demo")
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "setup: no display found; starting Tunesmith under xvfb-run (set DISPLAY to see the window)"
        app=(xvfb-run -a "${app[@]}")
    fi
    if [ "$dry_run" -eq 1 ]; then
        act "${app[@]}"
    else
        exec "${app[@]}"
    fi
    ;;
test)
    export QT_QPA_PLATFORM=offscreen
    act ctest --test-dir "$build" --output-on-failure --parallel "$jobs" --timeout 900
    ;;
build) ;;
esac

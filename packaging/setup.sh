#!/usr/bin/env bash
# Tunesmith set-up on Debian 12: install what is missing, build, then either open the app
# on the bundled demo project (`run`) or run the whole test suite (`test`).
#   packaging/setup.sh run     install + build + open the demo project in the GUI
#   packaging/setup.sh test    install + build + run every test (what CI runs)
#   packaging/setup.sh build   install + build only
set -euo pipefail

mode="${1:-run}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TUNESMITH_BUILD_DIR:-$here/build}"
jobs="$(nproc)"

# Debian packages the build, the tests and the demo need.
packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    nlohmann-json3-dev libsqlite3-dev sqlite3 libpcre2-dev
    libcurl4-openssl-dev libcpp-httplib-dev qtkeychain-qt6-dev # providers, `serve`, API keys in the keychain
    libtorch-dev libopenblas0-openmp nodejs
    libgtest-dev libgmock-dev libbenchmark-dev
    xvfb xauth dpkg-dev file clang-format
    python3-torch # the PyTorch reference of bench-train (bench/bench_train_reference.py)
)

install_packages() {
    local missing=()
    # Debian's nodejs ships npm separately; NodeSource's nodejs includes it.
    command -v npm >/dev/null 2>&1 || packages+=(npm)
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "setup: all Debian packages present"
        return
    fi
    echo "setup: installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

select_openblas() {
    # libtorch calls whatever libblas.so.3 is selected: the OpenMP OpenBLAS is ~30x the reference BLAS.
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    local dir=/usr/lib/x86_64-linux-gnu/openblas-openmp
    if [ -e "$dir/libblas.so.3" ]; then
        "${sudo[@]}" update-alternatives --set libblas.so.3-x86_64-linux-gnu "$dir/libblas.so.3" >/dev/null
        "${sudo[@]}" update-alternatives --set liblapack.so.3-x86_64-linux-gnu "$dir/liblapack.so.3" >/dev/null
    fi
}

install_npm() {
    # npm packages (independent implementations the tests check against) come from the lock file.
    if [ -f "$here/package-lock.json" ]; then
        (cd "$here" && npm ci --no-audit --no-fund --omit=optional)
    fi
}

build_all() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON
    cmake --build "$build" --parallel "$jobs"
}

demo_project() {
    # Created once from resources/demo/claims.jsonl; later runs keep the user's edits.
    local demo="$build/demo/claims-demo.tunesmith"
    if [ ! -f "$demo" ]; then
        mkdir -p "$build/demo"
        "$build/app/cli/tunesmith-cli" create "$demo" >/dev/null
        "$build/app/cli/tunesmith-cli" import "$demo" "$here/resources/demo/claims.jsonl" --format openai-jsonl --source golden >/dev/null
        # The Training page starts from the bundled demo base model (resources/demo/base-model).
        "$build/app/cli/tunesmith-cli" meta "$demo" training.model_dir "$here/resources/demo/base-model" >/dev/null
    fi
    demo_prompt_lab "$demo"
    echo "$demo"
}

demo_prompt_lab() {
    # The Prompt lab runs offline out of the box: a "local-demo" endpoint on the bundled base model and two
    # starter variants (added once; also to a demo project made before the Prompt lab existed).
    local demo="$1" cli="$build/app/cli/tunesmith-cli"
    if ! "$cli" endpoint "$demo" list 2>/dev/null | grep -q '"local-demo"'; then
        "$cli" endpoint "$demo" add --name local-demo --kind local --model "$here/resources/demo/base-model" >/dev/null
    fi
    if [ "$("$cli" prompt "$demo" list 2>/dev/null)" = "[]" ]; then
        "$cli" prompt "$demo" set --name terse --endpoint local-demo --temperature 0 --max-tokens 200 \
            --role "You extract the fields of an insurance claim notice." \
            --output-format "Answer with one compact JSON object and nothing else." >/dev/null
        "$cli" prompt "$demo" set --name fields --endpoint local-demo --temperature 0 --max-tokens 200 \
            --role "You are a claims-intake extraction engine." \
            --instructions "Return one JSON object with policy_number, claimant_name, line_of_business, incident_date (YYYY-MM-DD), incident_type, location, estimated_amount, currency, injuries_reported, police_report, third_party_involved and summary." \
            --constraint "Use null when the text does not say." --constraint "No markdown, no commentary." >/dev/null
    fi
}

install_packages
select_openblas
install_npm
build_all

case "$mode" in
run)
    demo="$(demo_project)"
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "setup: no display found; starting Tunesmith under xvfb-run (set DISPLAY to see the window)"
        exec xvfb-run -a "$build/app/tunesmith" "$demo"
    fi
    exec "$build/app/tunesmith" "$demo"
    ;;
test)
    export QT_QPA_PLATFORM=offscreen
    ctest --test-dir "$build" --output-on-failure --parallel "$jobs" --timeout 900
    ;;
build) ;;
*)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac

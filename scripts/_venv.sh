# Sourced by scripts/up and scripts/test: make .venv hold this checkout, installed.
# Reinstalls only when pyproject.toml changed since the last install.

ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    local spec="."
    [ -n "$extras" ] && spec=".[$extras]"
    local stamp_value
    stamp_value="$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras}"
    if [ ! -x .venv/bin/python ]; then
        echo "Creating .venv with $($python --version)…" >&2
        "$python" -m venv .venv
    fi
    if [ "$(cat .venv/.hotline-installed 2>/dev/null)" != "$stamp_value" ]; then
        echo "Installing $spec into .venv…" >&2
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e "$spec"
        echo "$stamp_value" > .venv/.hotline-installed
    fi
}

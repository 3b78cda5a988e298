#!/usr/bin/env bash
# The secret_rotation role as users run it: first with -C for the plan, then for real.
set -eux

out="${OUTPUT_DIR:-/tmp}/role_secret_rotation"
mkdir -p "$out"
verbosity=("$@")  # ansible-test passes its -v flags on
play() { ansible-playbook -i "$INVENTORY_PATH" -e @../../integration_config.yml -e rotation_target_dir="$PWD" \
    -e rotation_token_file="$out/gammaphone.jwt" "${verbosity[@]}" "$@"; }

rm -f "$out/gammaphone.jwt"
play check_mode_empty.yml --check
play seed.yml
play inputs.yml -e rotation_force_text=false
play verify_relative.yml
play check_mode.yml --check
play rotation.yml

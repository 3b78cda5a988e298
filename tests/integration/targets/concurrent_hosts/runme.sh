#!/usr/bin/env bash
# Three inventory hosts run the same account-level tasks at once, as operators do: every object is
# made once, exactly one host reports it created, and a create the API refused changes nothing.
set -eux

ansible-playbook -i inventory.yml --forks 3 -e @../../integration_config.yml "$@" concurrent.yml

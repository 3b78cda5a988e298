#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: role_inputs
short_description: Check a role's variables and return them in the types its argument spec declares
version_added: 0.2.0
description:
  - Used by the collection's roles as their first task; it makes no request. It reads the role's
    C(meta/argument_specs.yml) and the variables it names, and returns each value in its declared type, so that
    V(false) given as C(-e key=false) or an AWX survey answer is the boolean V(false), and V("4") is the number 4.
  - An unknown key in any mapping the role accepts fails, naming the key and the keys it may have meant.
  - Items are checked as their modules check them, and files named relative to the playbook are found there,
    before any request.
  - Its result holds secret values and is hidden from every output, as with C(no_log); a failure shows one line
    with every secret masked.
  - A variable named C(telnyx_...) that no role of the collection reads, but close to one that is, gets a warning.
options:
  entry_point:
    description: The role's entry point whose argument spec applies.
    type: str
    default: main
  items:
    description:
      - Options (C(option) or C(option.key)) whose elements are items of a resource type, mapped to that type
        (V(billing_group), ..., or V(access_ip_allowlist_entry)); each element is checked as that type's module
        checks its options.
    type: dict
  playbook_paths:
    description:
      - Fields (C(option.field) of a list of mappings) naming files on the controller; a relative path is read
        from the playbook's directory and returned absolute. A missing file, or one inside the role, fails.
    type: list
    elements: str
  absolute_paths:
    description:
      - Fields (C(option.field) of a list of mappings) naming files on the managed host; a relative path fails.
    type: list
    elements: str
attributes:
  action:
    support: full
    description: Runs on the controller.
  check_mode:
    support: full
    description: Makes no change in any mode.
  diff_mode:
    support: none
    description: Nothing to diff.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Check the role's variables and type them
  telnyx.account_access.role_inputs:
    items:
      telnyx_billing_groups: billing_group
  register: my_role_inputs
"""

RETURN = r"""
check_mode:
  description:
    - Whether the task ran in check mode, from C(--check) or from C(check_mode) set on the role's import, include
      or block (C(ansible_check_mode) tells only of C(--check)).
  returned: success
  type: bool
  sample: false
telnyx_api_key:
  description:
    - Each option of the role's argument spec is returned under its own name, in its declared type, with the
      spec's default where the variable is not set. The API key is one of them.
  returned: success
  type: str
  sample: null
"""

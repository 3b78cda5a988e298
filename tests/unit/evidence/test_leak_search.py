# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The leak search finds secrets that are numbers or lists, in the text forms they are printed in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "evidence", "leak_search.py")


def search(tmp_path, secrets, output):
    (tmp_path / "secrets.json").write_text(json.dumps({"secrets": secrets}))
    (tmp_path / "run.txt").write_text(output)
    return subprocess.run([sys.executable, SCRIPT, str(tmp_path / "secrets.json"), str(tmp_path / "run.txt")],
                          capture_output=True, text=True, check=False)


def test_a_numeric_secret_printed_as_text_is_found(tmp_path):
    done = search(tmp_path, ["a-string-secret-1", 8842193377, 20240101.0], 'password: 20240101\n"token": 8842193377\n')
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("LEAK ") == 2 and "(8842...)" in done.stdout and "(2024...)" in done.stdout


def test_a_list_secret_is_found_by_its_elements(tmp_path):
    done = search(tmp_path, [["list-secret-aaaa", 77001234]], "token: list-secret-aaaa\n")
    assert done.returncode == 1 and "LEAK " in done.stdout


def test_a_clean_output_passes_and_short_numbers_are_not_searched(tmp_path):
    done = search(tmp_path, ["a-string-secret-1", 8842193377, 7, True, None], "changed: true, count 7\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "found" in done.stdout and "0 found" in done.stdout

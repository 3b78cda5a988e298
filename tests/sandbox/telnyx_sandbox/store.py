"""Stored objects per resource, optional JSON persistence, and small time/id helpers."""
from __future__ import annotations

import copy
import json
import os
import tempfile
import time
import uuid
from datetime import datetime, timezone

# Fixed owner ids: the sandbox has one account.
USER_ID = "b1c3a7a2-5e0f-4d5b-9c1e-3f2a1d0c9e88"
ORGANIZATION_ID = "f1486bae-f067-460c-ad43-73a92848f902"


def now_iso(ts: float | None = None) -> str:
    """RFC 3339 UTC with milliseconds, the form Telnyx examples use (2019-10-15T10:07:15.527Z)."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value) -> datetime | None:
    """Parse an ISO-8601 date-time; naive values are taken as UTC. None when unparseable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Store:
    """Objects per resource key, in creation order (dicts keep insertion order).

    Not thread-safe by itself: the caller holds the sandbox lock.
    """

    def __init__(self, keys, path: str | None = None):
        self.keys = tuple(keys)
        self.path = path
        self.data: dict[str, dict[str, dict]] = {}
        self.clear()
        if path and os.path.exists(path):
            self.load()

    def clear(self) -> None:
        self.data = {key: {} for key in self.keys}

    def objects(self, key: str) -> list[dict]:
        return list(self.data[key].values())

    def get(self, key: str, obj_id: str) -> dict | None:
        return self.data[key].get(obj_id)

    def put(self, key: str, obj: dict) -> None:
        self.data[key][obj["id"]] = obj

    def remove(self, key: str, obj_id: str) -> None:
        del self.data[key][obj_id]

    def snapshot(self) -> dict:
        return {key: copy.deepcopy(self.objects(key)) for key in self.keys}

    def load(self) -> None:
        with open(self.path, encoding="utf-8") as handle:
            saved = json.load(handle)
        for key, objects in saved.get("resources", {}).items():
            if key in self.data:
                self.data[key] = {obj["id"]: obj for obj in objects}

    def save(self) -> None:
        """Write the whole state atomically (temp file + rename), so a kill never leaves half a file."""
        if not self.path:
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, tmp = tempfile.mkstemp(prefix=".sandbox-state-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"resources": {key: self.objects(key) for key in self.keys}}, handle)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

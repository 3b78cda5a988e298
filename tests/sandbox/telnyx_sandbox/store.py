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
        """Read the state file; a malformed one raises ValueError saying, in one line, what is wrong with it."""
        with open(self.path, encoding="utf-8") as handle:
            try:
                saved = json.load(handle)
            except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
                raise ValueError("not JSON: %s" % " ".join(str(exc).split())) from None
        if not isinstance(saved, dict):
            raise ValueError("the top level must be an object with a \"resources\" key, not a %s"
                             % type(saved).__name__)
        resources = saved.get("resources", {})
        if not isinstance(resources, dict):
            raise ValueError("\"resources\" must be an object of lists by resource, not a %s" % type(resources).__name__)
        loaded = {}
        for key, objects in resources.items():
            if key not in self.data:
                continue
            if not isinstance(objects, list):
                raise ValueError("resources.%s must be a list of objects, not a %s" % (key, type(objects).__name__))
            for index, obj in enumerate(objects):
                if not isinstance(obj, dict):
                    raise ValueError("resources.%s[%d] must be an object, not a %s" % (key, index, type(obj).__name__))
                if not isinstance(obj.get("id"), str) or not obj["id"]:
                    raise ValueError("resources.%s[%d] has no string \"id\"" % (key, index))
            loaded[key] = {obj["id"]: obj for obj in objects}
        self.data.update(loaded)

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

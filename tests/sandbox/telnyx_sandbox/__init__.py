"""A stateful local stand-in for the Telnyx v2 API (test code, standard library only).

Start it with ``python3 tests/sandbox/server.py --port 0``; see tests/sandbox/README.md.
"""

"""Serve one portal app in its own process, like one worker of a multi-worker server (used by the Redis test).

    python -m tests.accounts.serve_app '{"SQLALCHEMY_DATABASE_URI": "...", ...}' INSTANCE_FOLDER

Prints the port it listens on (loopback), then serves until killed.
"""
import json
import sys
from pathlib import Path

from werkzeug.serving import make_server

from tests.factories.app import make_app


def main() -> None:
    """Build the app from the JSON overrides and serve it on a free loopback port."""
    overrides = json.loads(sys.argv[1])
    folder = Path(sys.argv[2])
    app = make_app(overrides.pop("SQLALCHEMY_DATABASE_URI"), folder, **overrides)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

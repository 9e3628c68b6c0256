"""A real portal process for the crash test: `publish` commits one entry and then hangs (its follower
blocked on a Whoosh writer the test holds) until it is killed; `serve` answers HTTP on a free port.

    python -m tests.search.crash_child publish '<config json>' 标题
    python -m tests.search.crash_child serve '<config json>'
"""
import json
import sys
import time

from werkzeug.serving import make_server

from portal import create_app
from portal.catalog import workflow
from portal.core.db import transaction
from tests.factories.catalog import ACTOR, BASE


def publish(app, title: str) -> None:
    """Publish through the catalog's write path, say so, and wait to be killed."""
    with app.app_context():
        with transaction():
            doc, _ = workflow.record_published(BASE | {"title": title}, actor=ACTOR, action="import")
        workflow.finish(doc)
        print(f"committed {doc.id}", flush=True)
    while True:
        time.sleep(1)


def serve(app) -> None:
    """Serve the app (a restarted worker) until killed."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"port {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    mode, config = sys.argv[1], json.loads(sys.argv[2])
    application = create_app(config)
    if mode == "publish":
        publish(application, sys.argv[3])
    else:
        serve(application)

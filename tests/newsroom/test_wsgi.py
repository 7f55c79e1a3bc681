"""The WSGI application each app server's workers load (newsroom.wsgi), in a fresh interpreter."""

import json
import subprocess
import sys

LOAD_THE_APPLICATION = """
import gc, json
from newsroom.wsgi import application
print(json.dumps({"frozen": gc.get_freeze_count(), "scanned": len(gc.get_objects())}))
"""


def test_what_start_up_loaded_is_left_out_of_garbage_collections():
    """A full collection scanning every module, class and function Django and the apps loaded
    stopped a request for 60 to 80 ms now and then (make bench's first searches)."""
    result = subprocess.run(
        [sys.executable, "-c", LOAD_THE_APPLICATION], capture_output=True, text=True, check=True
    )
    objects = json.loads(result.stdout)

    assert objects["frozen"] > 50_000
    assert objects["scanned"] < objects["frozen"] / 10

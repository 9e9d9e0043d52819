"""The process of Prefect's temporary API server for one build (`flows.launch.TemporaryServer`).

What `uvicorn --factory prefect.server.api.server:create_app` does, with the server's
imports made outside Python's cyclic garbage collector and frozen afterwards: its
full passes over the ~200,000 objects Prefect's server package leaves would cost
about half a second of the server's boot, which the build waits for.
"""

from __future__ import annotations

import gc
import sys


def main(port: int) -> None:
    gc.disable()
    try:
        import uvicorn
        from prefect.server.api.server import create_app
    finally:
        gc.enable()
    gc.freeze()
    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="error", lifespan="on")


if __name__ == "__main__":
    main(int(sys.argv[1]))

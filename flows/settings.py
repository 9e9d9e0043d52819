"""Settings of a run, read once at the edge (CLI or serve) and passed down as arguments.

`configure_environment()` must run before Prefect or Great Expectations is imported:
it keeps both offline and quiet (no telemetry, no analytics, WARNING logs) and puts
Prefect's home under the project's data folder.  Values already in the environment win.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("REVIEW_SHEETS_DATA", PROJECT_ROOT / "data"))
SAMPLE_DIR = PROJECT_ROOT / "data" / "samples"
DEFAULT_WAREHOUSE = DATA_DIR / "warehouse" / "warehouse.duckdb"

QUIET_PREFECT = {
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    "PREFECT_UI_ENABLED": "false",
}


def configure_environment(data_dir: Path = DATA_DIR) -> None:
    """Offline, quiet defaults for Prefect and Great Expectations (environment wins)."""
    os.environ.setdefault("PREFECT_HOME", str(data_dir / "prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    for name, value in QUIET_PREFECT.items():
        os.environ.setdefault(name, value)


class InputError(ValueError):
    """An input that is not there or cannot be read (a one-line reason)."""


def input_location(item: str | Path) -> str:
    """An input as the flow takes it: an absolute path, or a URL whose filesystem answers.

    Raises `InputError` when it is not there, its protocol is unknown or the fsspec
    backend for it (s3fs, gcsfs, ...) is not installed.
    """
    from transforms.discover import is_url, url_filesystem

    if not is_url(item):
        path = Path(item)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"input not found: {item}")
        return str(path.absolute())
    try:
        fs, inside = url_filesystem(str(item))
        found = fs.exists(inside)
    except (ImportError, ValueError) as exc:  # unknown protocol, or its backend not installed
        raise InputError(f"cannot read {item}: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise InputError(f"cannot read {item}: {exc.strerror or exc}") from None
    if not found:
        raise InputError(f"input not found: {item}")
    return str(item)


@dataclass
class BuildSettings:
    """Everything one build needs, as plain values."""

    inputs: list[Path | str] = field(default_factory=lambda: [SAMPLE_DIR])  # folders, files or fsspec URLs
    warehouse: Path = DEFAULT_WAREHOUSE
    full_refresh: bool = False
    workers: int = max(1, min(4, os.cpu_count() or 1))
    batch_size: int = 250
    max_bytes: int = 8 * 1024 * 1024
    max_line: int = 256 * 1024
    storage_version: str = "v1.4.0"
    # Scale-out: parse batches on this Dask scheduler (tcp://host:8786) instead of local processes.
    dask_address: str | None = field(default_factory=lambda: os.environ.get("REVIEW_SHEETS_DASK_ADDRESS") or None)
    # Parquet staging root (folder or fsspec URL such as s3://bucket/staging); default: beside the warehouse.
    staging_root: str | None = field(default_factory=lambda: os.environ.get("REVIEW_SHEETS_STAGING_ROOT") or None)

    @property
    def work_dir(self) -> Path:
        """Scratch space beside the warehouse (same filesystem, so publishing is a rename)."""
        return self.warehouse.parent / ".work"

    @property
    def staging_base(self) -> str | None:
        """This warehouse's folder under `staging_root` (None: staging in `work_dir`).

        Runs stage under ``<staging_root>/<warehouse stem>-<hash of its path>/<run_id>``,
        so a run holding the warehouse's lock may delete what a killed run left there
        without touching the staging of other warehouses sharing the root.
        """
        if not self.staging_root:
            return None
        tag = hashlib.sha256(str(Path(self.warehouse).absolute()).encode("utf-8")).hexdigest()[:10]
        return f"{self.staging_root.rstrip('/')}/{Path(self.warehouse).stem}-{tag}"

    @property
    def extract_dir(self) -> Path:
        """Project records split out of RS System CSV bundles (`transforms.sources.rs_csv`)."""
        return self.warehouse.parent / "extracted"

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse.parent / "parquet"

    @property
    def reports_dir(self) -> Path:
        return self.warehouse.parent / "reports"

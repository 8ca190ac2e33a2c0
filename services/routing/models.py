"""The model in use: the one `current.json` names, reloaded when training moves the pointer.

Why a shelf: `hotline routing train` runs in another process while the service runs;
checking the pointer's modification time on each use lets the new model take over
without a restart, and a missing pointer simply means "no model yet".
"""

from __future__ import annotations

import threading
from pathlib import Path

from services.routing.classifier import CURRENT_POINTER, TextModel, load_current


class ModelShelf:
    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._stamp: float | None = None
        self._model: TextModel | None = None
        self._lock = threading.Lock()

    def current(self) -> TextModel | None:
        pointer = self.models_dir / CURRENT_POINTER
        stamp = pointer.stat().st_mtime_ns if pointer.exists() else None
        with self._lock:
            if stamp != self._stamp:
                self._model = load_current(self.models_dir) if stamp is not None else None
                self._stamp = stamp
            return self._model

"""``python -m contracts DIRECTORY`` writes the JSON Schemas and the AsyncAPI document."""

from __future__ import annotations

from contracts.export import main

raise SystemExit(main())

"""Audit: replay any ticket from the logs, prove the logs unaltered, report for inspection."""

from __future__ import annotations

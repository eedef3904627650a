"""Northstar: publish a company's plan, strategy apart from execution, as a versioned MkDocs site."""

from __future__ import annotations

__version__ = "0.1.0"

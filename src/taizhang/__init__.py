"""Taizhang (台账): a key-work ledger for Chinese government units."""

__version__ = "0.1.0"

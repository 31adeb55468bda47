"""Writing: the documents Taizhang writes from the ledger — laid out after GB/T 9704 (``layout``)."""

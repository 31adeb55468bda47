"""Creating plans by import: a plan document (via the document engine) or an Excel 台账, each
through a preview that nothing is saved before; and the Excel export of a plan."""
